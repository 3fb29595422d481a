from django.apps import AppConfig


class MyLearningConfig(AppConfig):
    name = "xuexi.mylearning"
    label = "mylearning"
    verbose_name = "我的学习与学习积分"

    def ready(self) -> None:
        # 每日一练 is graded in exams (a lower layer); the day's record is kept here, told through its hook.
        from xuexi.exams import listeners
        from xuexi.mylearning.services import practice_record

        listeners.on_practice_graded(practice_record)
