from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "xuexi.outcomes"
    label = "outcomes"
    verbose_name = "学习成果"
