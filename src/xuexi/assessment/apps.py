"""评学和奖惩: evaluations of a period, the province's scorecard weights, commendations and penalties."""
from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "xuexi.assessment"
    label = "assessment"
    verbose_name = "评学和奖惩"
