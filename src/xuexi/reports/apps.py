from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "xuexi.reports"
    label = "reports"
    verbose_name = "年度学习报告"

    def ready(self) -> None:
        from xuexi.norms import reporting
        from xuexi.reports import selectors

        # The norms sit below: they ask here when each organization first sent its report.
        reporting.provide(selectors.first_submissions)
