"""述学: a call to report on a period (述学安排), the reports people write (述学报告), and their history."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Period(models.TextChoices):  # 述学期间
    YEAR = "年度", "年度"
    FIRST_HALF = "上半年", "上半年"
    SECOND_HALF = "下半年", "下半年"


class Audience(models.TextChoices):  # 述学对象
    LEADING_CADRES = "领导干部", "领导干部"
    ALL_MEMBERS = "全体党员", "全体党员"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "已退回"
    REVIEWED = "reviewed", "已评阅"


class Rating(models.TextChoices):  # 评阅等次
    EXCELLENT = "优秀", "优秀"
    GOOD = "良好", "良好"
    FAIR = "一般", "一般"
    POOR = "较差", "较差"


class StudyReportCall(models.Model):  # 述学安排
    """An organization asks the people of its subtree (leading cadres, or every member) to report on a period."""

    org = models.ForeignKey("orgs.Organization", verbose_name="安排组织", on_delete=models.PROTECT,
                            related_name="study_report_calls")
    year = models.PositiveSmallIntegerField("年度")
    period = models.CharField("期间", max_length=4, choices=Period.choices)
    who = models.CharField("述学对象", max_length=8, choices=Audience.choices)
    due_date = models.DateField("截止日期")
    title = models.CharField("标题", max_length=200)
    note = models.TextField("说明", blank=True)
    created_by = models.CharField("安排人", max_length=150, blank=True)
    created_at = models.DateTimeField("安排时间", default=timezone.now)

    class Meta:
        verbose_name = "述学安排"
        verbose_name_plural = "述学安排"
        constraints = [models.UniqueConstraint(fields=["org", "year", "period", "who"],
                                               name="studyreportcall_unique")]
        indexes = [models.Index(fields=["year", "period"], name="studyreportcall_period"),
                   models.Index(fields=["due_date"], name="studyreportcall_due")]

    def __str__(self) -> str:
        return self.title


class StudyReport(models.Model):  # 述学报告
    """One person's report on one period; reviewed by their organization's administrators or those above.

    What was submitted is kept in its events; once reviewed the report no longer changes.
    """

    person = models.ForeignKey("people.Person", verbose_name="述学人", on_delete=models.PROTECT,
                               related_name="study_reports")
    # The person's organization when the report was written: its administrators (and those above) review it.
    org = models.ForeignKey("orgs.Organization", verbose_name="所属组织", on_delete=models.PROTECT,
                            related_name="study_reports")
    call = models.ForeignKey(StudyReportCall, verbose_name="述学安排", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="reports")
    year = models.PositiveSmallIntegerField("年度")
    period = models.CharField("期间", max_length=4, choices=Period.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("评阅时间", null=True, blank=True)
    reviewed_by = models.CharField("评阅人", max_length=150, blank=True)
    comment = models.TextField("评阅意见", blank=True)
    rating = models.CharField("评阅等次", max_length=4, choices=Rating.choices, blank=True)

    class Meta:
        verbose_name = "述学报告"
        verbose_name_plural = "述学报告"
        constraints = [models.UniqueConstraint(fields=["person", "year", "period"], name="studyreport_unique")]
        indexes = [models.Index(fields=["year", "period", "status"], name="studyreport_period_status"),
                   models.Index(fields=["org", "year"], name="studyreport_org_year")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}{self.period}"


class EventAction(models.TextChoices):
    SUBMITTED = "submitted", "提交"
    RETURNED = "returned", "退回"
    REVIEWED = "reviewed", "评阅"


class StudyReportEvent(models.Model):
    """The history of a report: each submission as it was sent, each return and the review; never changed."""

    report = models.ForeignKey(StudyReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=12, choices=EventAction.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("提交的内容", blank=True)
    comment = models.TextField("意见", blank=True)
    rating = models.CharField("评阅等次", max_length=4, choices=Rating.choices, blank=True)

    class Meta:
        verbose_name = "述学报告记录"
        verbose_name_plural = "述学报告记录"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
