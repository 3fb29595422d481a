from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "xuexi.notices"
    label = "notices"
    verbose_name = "通知"
