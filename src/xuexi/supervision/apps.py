from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xuexi.supervision"
    label = "supervision"
    verbose_name = "督学检查"
