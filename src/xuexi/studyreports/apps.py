from django.apps import AppConfig


class StudyReportsConfig(AppConfig):
    name = "xuexi.studyreports"
    label = "studyreports"
    verbose_name = "述学"

    def ready(self) -> None:
        from xuexi.notices.services import register_source
        from xuexi.studyreports.reminders import study_report_reminders

        register_source(study_report_reminders)
