"""学习积分 and 我的学习: the point rules, the switch that shows points, and the days of 每日一练 done.

Points themselves are never stored: they are derived from the learning records by the rules in force
(selectors.points_by_day), so a changed rule re-reads the whole history the same way.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from xuexi.learning.models import OrgSwitch


class PointAction(models.TextChoices):  # 积分项目
    READ = "阅读资料", "阅读资料"  # a library item opened, once per item and day
    ONLINE_TIME = "在线学习时长", "在线学习时长"  # every N minutes of credited reading time in a day
    PRACTICE = "每日一练", "每日一练"  # the day's practice handed in
    EXAM_PASSED = "考试合格", "考试合格"  # an exam passed (its first passing attempt)
    ACTIVITY = "参加学习活动", "参加学习活动"  # present at an activity
    CLAIM = "学时认定", "学时认定"  # a self-declared record certified


class PointRule(models.Model):
    """积分规则: how many points one unit of an action earns and the most it earns in a day; off by default."""

    action = models.CharField("积分项目", max_length=16, choices=PointAction.choices, unique=True)
    points = models.PositiveSmallIntegerField("每次积分", default=1)
    daily_cap = models.PositiveSmallIntegerField("每日上限", default=1)
    # Only 在线学习时长: a unit is this many minutes of credited reading time.
    unit_minutes = models.PositiveSmallIntegerField("每单位分钟数（仅在线学习时长）", default=10)
    enabled = models.BooleanField("启用", default=False)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)
    updated_by = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        verbose_name = "积分规则"
        verbose_name_plural = "积分规则"
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=1), name="pointrule_points_positive"),
            models.CheckConstraint(condition=Q(daily_cap__gte=1), name="pointrule_cap_positive"),
            models.CheckConstraint(condition=Q(unit_minutes__gte=1), name="pointrule_unit_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.points}/{self.daily_cap}{'' if self.enabled else '（停用）'}"


class PointsSwitch(OrgSwitch):
    """学习积分: whether an organization's members see points; off and inherited as 学习排名's switch is."""

    enabled = models.BooleanField("向党员显示学习积分", default=False)

    class Meta:
        verbose_name = "学习积分开关"
        verbose_name_plural = "学习积分开关"


class PracticeDay(models.Model):
    """每日一练: a day on which a person handed in the day's practice, and how they did the last time."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField("日期")
    questions = models.PositiveSmallIntegerField("题数")
    right = models.PositiveSmallIntegerField("答对")
    handed_in = models.PositiveSmallIntegerField("提交次数", default=1)
    first_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "每日一练记录"
        verbose_name_plural = "每日一练记录"
        # The unique key leads with the person: a person's days are one range scan.
        constraints = [models.UniqueConstraint(fields=["person", "day"], name="practiceday_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}"
