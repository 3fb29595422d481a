from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "xuexi.learning"
    label = "learning"
    verbose_name = "学习活动"
