from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "xuexi.web"
    label = "web"
    verbose_name = "页面"
