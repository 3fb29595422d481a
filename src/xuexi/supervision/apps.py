"""督学检查: inspections of lower organizations, their findings and the rectification that follows."""
from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xuexi.supervision"
    label = "supervision"
    verbose_name = "督学检查"

    def ready(self) -> None:
        from xuexi.notices.services import register_source
        from xuexi.supervision.reminders import rectification_reminders

        register_source(rectification_reminders)
