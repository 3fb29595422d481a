"""年度学习总结和计划: an organization's report on a year to the level above, and every version it sent."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已通过"


class Decision(models.TextChoices):
    PENDING = "", "待审核"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "通过"


# The four parts of the report, in order, as the seed document's section 四(五) and the template name them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("basics", "基本情况"),
    ("practices", "主要做法和成效"),
    ("problems", "存在问题和不足"),
    ("next_plan", "下一年度学习计划"),
)


class AnnualReport(models.Model):
    """One organization's report on one year: the draft being edited, and where it stands with the level above.

    The text drafted from the record is the administrator's to edit; what was sent is in its versions.
    """

    org = models.ForeignKey("orgs.Organization", verbose_name="报送组织", on_delete=models.PROTECT,
                            related_name="annual_reports")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=ReportState.choices, default=ReportState.DRAFT)
    basics = models.TextField("基本情况", blank=True)
    practices = models.TextField("主要做法和成效", blank=True)
    problems = models.TextField("存在问题和不足", blank=True)
    next_plan = models.TextField("下一年度学习计划", blank=True)
    # The key figures drafted from the record (see reports.drafting.Figures), for the parent's compilation.
    figures = models.JSONField("主要数据", default=dict)
    drafted_at = models.DateTimeField("草稿生成时间", default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("修改人", max_length=150, blank=True)
    # What the annual-report rule judges: the first time the report reached the level above.
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度学习总结和计划"
        verbose_name_plural = "年度学习总结和计划"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="annualreport_unique")]
        indexes = [models.Index(fields=["year", "org"], name="annualreport_year_org")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}"


class ReportVersion(models.Model):
    """A version as it was sent: never changed afterwards, except for the decision on it, taken once."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField("版本")
    basics = models.TextField("基本情况")
    practices = models.TextField("主要做法和成效")
    problems = models.TextField("存在问题和不足")
    next_plan = models.TextField("下一年度学习计划")
    figures = models.JSONField("主要数据", default=dict)
    submitted_at = models.DateTimeField("报送时间")
    submitted_by = models.CharField("报送人", max_length=150)
    late = models.BooleanField("逾期", default=False)
    decision = models.CharField("审核结果", max_length=12, choices=Decision.choices, blank=True,
                                default=Decision.PENDING)
    comments = models.TextField("审核意见", blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.CharField("审核人", max_length=150, blank=True)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique"),
            models.CheckConstraint(condition=Q(decision="") | Q(decided_at__isnull=False),
                                   name="reportversion_decided_when"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.number}"

    CONTENT = ("basics", "practices", "problems", "next_plan", "figures", "submitted_at", "submitted_by", "late",
               "number", "report_id")

    def save(self, *args: Any, **kwargs: Any) -> None:
        """A sent version is immutable: only its pending decision may be taken, once."""
        if self.pk is not None:
            held = ReportVersion.objects.filter(pk=self.pk).values(*self.CONTENT, "decision").first()
            if held is not None and (held["decision"] or any(held[name] != getattr(self, name)
                                                             for name in self.CONTENT)):
                raise ValueError("已报送的版本不能修改")
        super().save(*args, **kwargs)
