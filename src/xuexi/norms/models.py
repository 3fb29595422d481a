"""制度要求: the document's norms held as data, each change a new version from a date, and exemptions."""

from __future__ import annotations

from decimal import Decimal

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
    # Of the organization's own central group, the share present at the sessions it hosted (%).
    PRESENCE = "presence", "中心组成员出席率"
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
    # 单位类别模板: a requirement of its own for subjects of these 单位类别 ({"国有企业": "40"}); the rest
    # are held to `required`. Together, a rule's versions give each 单位类别 its set of minimums.
    sector_required = models.JSONField("按单位类别的要求", default=dict, blank=True)
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

    def requirement_for(self, sector: str) -> Decimal:
        """What a subject of this 单位类别 must reach (its template's figure, else the rule's)."""
        own = self.sector_required.get(sector)
        return Decimal(own) if own is not None else self.required


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


class Standing(models.Model):
    """达标情况: one subject's measure against one rule in one period, kept current by every write.

    The status is not stored: it depends on the day it is read (a deadline passes, the pace moves),
    and is computed in the query from the measure, the requirement and the period's days (see
    `norms.standings`). Measures are in hundredths, as integers, exact on both databases; days are
    day numbers (`date.toordinal`), and the day a row falls behind pace is worked out when it is
    stored, so that reading a status is a comparison of integers. The subject's
    organization's path, level and sector are copied in, kept current by the writes that change
    them, so a subtree's roll-up is one scan of this table.
    """

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+")
    # Derived rows, rebuilt by the ten thousand: no foreign-key check per row.
    version = models.ForeignKey(RuleVersion, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    year = models.PositiveSmallIntegerField()  # the year evaluated; a window ends in it
    period = models.CharField(max_length=16)  # 2025, 2025-Q1, 2021-2025
    quarter = models.PositiveSmallIntegerField()  # 1–4 for a quarter, 0 for a year or a window
    subject_type = models.CharField(max_length=8, choices=SubjectType.choices)
    org = models.ForeignKey("orgs.Organization", on_delete=models.DO_NOTHING, related_name="+",
                            db_constraint=False)  # the subject, or the organization the person belongs to
    person = models.ForeignKey("people.Person", null=True, on_delete=models.DO_NOTHING, related_name="+",
                               db_constraint=False)
    org_path = models.CharField(max_length=255, db_index=True)
    org_level = models.CharField(max_length=8)
    org_sector = models.CharField(max_length=16)
    start_day = models.IntegerField()
    deadline_day = models.IntegerField()
    required_centi = models.BigIntegerField()
    actual_centi = models.BigIntegerField()
    exempt = models.BooleanField()
    # The first day on which the row, not yet met, is behind pace: actual / required < elapsed share.
    behind_from_day = models.IntegerField()
    short = models.BooleanField()  # neither met nor exempt: the rows a dashboard lists as behind

    class Meta:
        verbose_name = "达标情况"
        verbose_name_plural = "达标情况"
        constraints = [
            models.UniqueConstraint(fields=["rule", "period", "org"], condition=Q(person__isnull=True),
                                    name="standing_org_unique"),
            models.UniqueConstraint(fields=["rule", "period", "person"], condition=Q(person__isnull=False),
                                    name="standing_person_unique"),
        ]
        indexes = [models.Index(fields=["year", "rule"]), models.Index(fields=["person", "year"]),
                   models.Index(fields=["org", "year"]),
                   models.Index(fields=["year", "rule", "org_path"], condition=Q(short=True),
                                name="standing_short_idx")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.period} {self.person_id or self.org_id}"


class StandingYear(models.Model):
    """A year whose standings are held: built whole once, then kept current by every write."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "达标情况年度"
        verbose_name_plural = "达标情况年度"

    def __str__(self) -> str:
        return str(self.year)


class GroupCoverage(models.Model):
    """关注群体学习覆盖: per organization, year and 关注群体, how many on its roster learned at all, kept current."""

    year = models.PositiveSmallIntegerField()
    org = models.ForeignKey("orgs.Organization", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)
    org_path = models.CharField(max_length=255, db_index=True)
    group = models.CharField(max_length=16)
    people = models.PositiveIntegerField()
    learners = models.PositiveIntegerField()  # with at least one credited record in the year

    class Meta:
        verbose_name = "关注群体学习覆盖"
        verbose_name_plural = "关注群体学习覆盖"
        constraints = [models.UniqueConstraint(fields=["year", "org", "group"], name="groupcoverage_unique")]
        indexes = [models.Index(fields=["year", "org_path"])]

    def __str__(self) -> str:
        return f"{self.year} {self.org_id} {self.group}"


class StandingRollup(models.Model):
    """达标汇总: an organization's standings counted by direct child (and itself), kept with the standings.

    Rows short of the requirement are counted by the day they fall behind pace, so that the day a
    dashboard is read decides, as for a single standing, which are missed, in progress or behind.
    """

    year = models.PositiveSmallIntegerField()
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    period = models.CharField(max_length=16)
    quarter = models.PositiveSmallIntegerField()
    deadline_day = models.IntegerField()
    org_path = models.CharField(max_length=255)  # the organization counting
    child_path = models.CharField(max_length=255)  # its direct child's subtree, or its own path for its own subjects
    org_level = models.CharField(max_length=8)  # of the subjects' organizations
    org_sector = models.CharField(max_length=16)
    behind_from_day = models.IntegerField()  # of the rows short of the requirement; 0 for met and exempt
    met = models.PositiveIntegerField()
    exempt = models.PositiveIntegerField()
    short = models.PositiveIntegerField()

    class Meta:
        verbose_name = "达标汇总"
        verbose_name_plural = "达标汇总"
        indexes = [models.Index(fields=["year", "org_path", "child_path"])]

    def __str__(self) -> str:
        return f"{self.year} {self.org_path}/{self.child_path} {self.rule_id} {self.period}"


class GroupCoverageRollup(models.Model):
    """关注群体学习覆盖汇总: an organization's coverage counted by direct child (and itself), kept current."""

    year = models.PositiveSmallIntegerField()
    org_path = models.CharField(max_length=255)
    child_path = models.CharField(max_length=255)
    group = models.CharField(max_length=16)
    people = models.PositiveIntegerField()
    learners = models.PositiveIntegerField()

    class Meta:
        verbose_name = "关注群体学习覆盖汇总"
        verbose_name_plural = "关注群体学习覆盖汇总"
        indexes = [models.Index(fields=["year", "org_path", "child_path"])]

    def __str__(self) -> str:
        return f"{self.year} {self.org_path}/{self.child_path} {self.group}"
