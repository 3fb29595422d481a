from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xuexi.reports"
    label = "reports"
    verbose_name = "年度学习报告"
