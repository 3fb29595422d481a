"""制度要求: the document's norms held as data, each change a new version from a date, and exemptions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SubjectType(models.TextChoices):
    ORG = "org", "组织"
    PERSON = "person", "人员"


class Metric(models.TextChoices):
    HOSTED = "hosted", "主办活动次数"
    SPOKE = "spoke", "主讲活动次数"
    HOURS = "hours", "认定学时"
    DAYS = "days", "认定天数"
    REPORT_ON_TIME = "report_on_time", "按时报送年度学习总结和计划"


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"
    WINDOW = "window", "连续多年累计"


class Rule(models.Model):
    """A norm, known by a stable code; what it requires lives in its versions."""

    code = models.SlugField("规则编码", max_length=64, unique=True)
    # The organization whose subtree the rule binds; none for the province's own rules.
    owner = models.ForeignKey("orgs.Organization", verbose_name="制定组织", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "制度要求"
        verbose_name_plural = "制度要求"

    def __str__(self) -> str:
        return self.code


class RuleVersion(models.Model):
    """What a rule requires from a date on; a past period is judged by the version in force at its start."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions")
    effective_from = models.DateField("生效日期")
    name = models.CharField("名称", max_length=200)
    source = models.TextField("制度原文")
    enabled = models.BooleanField("启用", default=True)
    subject_type = models.CharField("对象", max_length=8, choices=SubjectType.choices)
    metric = models.CharField("指标", max_length=16, choices=Metric.choices)
    kinds = models.JSONField("计入的活动类型", default=list)
    off_job_only = models.BooleanField("只计脱产培训", default=False)
    training_type = models.CharField("只计培训类别", max_length=8, blank=True)
    org_levels = models.JSONField("组织层级", default=list, blank=True)
    org_kinds = models.JSONField("组织类型", default=list, blank=True)
    org_sectors = models.JSONField("单位类别", default=list, blank=True)
    central_group_only = models.BooleanField("只对设有中心组的组织", default=False)
    with_parent_only = models.BooleanField("只对有上级的组织", default=False)
    person_ranks = models.JSONField("职级", default=list, blank=True)
    person_leader_posts = models.JSONField("领导职务", default=list, blank=True)
    person_groups = models.JSONField("关注群体", default=list, blank=True)
    period = models.CharField("周期", max_length=8, choices=PeriodKind.choices)
    window_years = models.PositiveSmallIntegerField("累计年数", default=1)
    required = models.DecimalField("要求", max_digits=9, decimal_places=2)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        verbose_name = "制度要求版本"
        verbose_name_plural = "制度要求版本"
        constraints = [
            models.UniqueConstraint(fields=["rule", "effective_from"], name="ruleversion_unique"),
            models.CheckConstraint(condition=Q(required__gte=0), name="ruleversion_required_positive"),
            models.CheckConstraint(condition=Q(window_years__gte=1, window_years__lte=10),
                                   name="ruleversion_window_years"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} @ {self.effective_from}"


class Exemption(models.Model):
    """A subject excused from a rule for a period (joined mid-year, long illness…), with who granted it and why."""

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="exemptions")
    org = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    period = models.CharField("周期", max_length=16)  # 2025, 2025-Q1, 2021-2025
    reason = models.CharField("理由", max_length=300)
    granted_by = models.CharField("批准人", max_length=150)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "豁免"
        verbose_name_plural = "豁免"
        constraints = [
            models.CheckConstraint(condition=Q(org__isnull=True) ^ Q(person__isnull=True),
                                   name="exemption_one_subject"),
            models.UniqueConstraint(fields=["rule", "org", "person", "period"], name="exemption_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.period}"
