from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "xuexi.exams"
    label = "exams"
    verbose_name = "考学"
