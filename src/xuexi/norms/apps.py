from django.apps import AppConfig


class NormsConfig(AppConfig):
    name = "xuexi.norms"
    label = "norms"
    verbose_name = "制度要求"
