"""评学 and 奖惩: evaluations of a period with their democratic review, the province's scorecard weights by
year, and the commendations and penalties an organization grants below itself.

Nothing here is deleted: a closed evaluation is read-only, a penalty's rectification is marked, evidence stays.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from xuexi.learning.models import StoredFile


class EvaluationKind(models.TextChoices):  # 评学的类别: what the evaluation feeds
    MEMBER_REVIEW = "民主评议党员", "民主评议党员"
    CADRE_APPRAISAL = "领导班子和领导干部综合考核评价", "领导班子和领导干部综合考核评价"
    BEST_SELECTION = "党建评先", "党建评先"


class EvaluationStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class Grade(models.TextChoices):  # 民主评议等次, best first
    EXCELLENT = "优秀", "优秀"
    QUALIFIED = "合格", "合格"
    BASICALLY_QUALIFIED = "基本合格", "基本合格"
    UNQUALIFIED = "不合格", "不合格"


class Evaluation(models.Model):
    """评学: an evaluation of a year organized by an organization over the members of its subtree."""

    org = models.ForeignKey("orgs.Organization", verbose_name="组织单位", on_delete=models.PROTECT,
                            related_name="evaluations")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=EvaluationKind.choices)
    opens = models.DateField("开始日期")
    closes = models.DateField("结束日期")
    status = models.CharField("状态", max_length=8, choices=EvaluationStatus.choices, default=EvaluationStatus.OPEN)
    # 优秀 share cap, percent of those reviewed: checked when the evaluation is closed.
    excellent_cap = models.PositiveSmallIntegerField("优秀比例上限（%）", default=20)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField("创建人", max_length=150, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "评学"
        verbose_name_plural = "评学"
        indexes = [models.Index(fields=["org", "year"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gte=models.F("opens")), name="evaluation_dates_ordered"),
            models.CheckConstraint(condition=Q(excellent_cap__lte=100), name="evaluation_cap_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.year}）"


class DemocraticReview(models.Model):
    """民主评议: one member's votes per grade and the grade the organization decided."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="reviews")
    person = models.ForeignKey("people.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="+")
    excellent_votes = models.PositiveIntegerField("优秀票", default=0)
    qualified_votes = models.PositiveIntegerField("合格票", default=0)
    basic_votes = models.PositiveIntegerField("基本合格票", default=0)
    unqualified_votes = models.PositiveIntegerField("不合格票", default=0)
    grade = models.CharField("评定等次", max_length=4, choices=Grade.choices, blank=True)
    decided = models.BooleanField("组织决定", default=False)  # the grade set by the organization, not by votes
    note = models.CharField("说明", max_length=500, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        verbose_name = "民主评议"
        verbose_name_plural = "民主评议"
        constraints = [models.UniqueConstraint(fields=["evaluation", "person"], name="review_person_unique")]
        indexes = [models.Index(fields=["person", "evaluation"])]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.person_id} {self.grade}"


class ScorecardWeights(models.Model):
    """考核权重: the province's weights for a year (summing to 100) and the points of each rating and grade."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    norms_weight = models.PositiveSmallIntegerField("制度落实权重", default=40)
    exams_weight = models.PositiveSmallIntegerField("考学权重", default=20)
    reports_weight = models.PositiveSmallIntegerField("述学权重", default=20)
    review_weight = models.PositiveSmallIntegerField("民主评议权重", default=20)
    # 述学 rating → points
    rating_excellent = models.PositiveSmallIntegerField("述学优秀得分", default=100)
    rating_good = models.PositiveSmallIntegerField("述学良好得分", default=85)
    rating_fair = models.PositiveSmallIntegerField("述学一般得分", default=70)
    rating_poor = models.PositiveSmallIntegerField("述学较差得分", default=50)
    rating_missing = models.PositiveSmallIntegerField("未述学得分", default=0)
    # 民主评议 grade → points
    grade_excellent = models.PositiveSmallIntegerField("评议优秀得分", default=100)
    grade_qualified = models.PositiveSmallIntegerField("评议合格得分", default=85)
    grade_basic = models.PositiveSmallIntegerField("评议基本合格得分", default=60)
    grade_unqualified = models.PositiveSmallIntegerField("评议不合格得分", default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("设置人", max_length=150, blank=True)

    class Meta:
        verbose_name = "考核权重"
        verbose_name_plural = "考核权重"
        constraints = [models.CheckConstraint(
            condition=Q(norms_weight__lte=100, exams_weight__lte=100, reports_weight__lte=100,
                        review_weight__lte=100), name="weights_percent")]

    def __str__(self) -> str:
        return f"{self.year} 年度考核权重"


class CommendationKind(models.TextChoices):  # 表彰
    ADVANCED_COLLECTIVE = "先进集体", "先进集体"  # an organization
    STUDY_MODEL = "学习标兵", "学习标兵"  # a person


class PenaltyKind(models.TextChoices):  # 惩戒
    CIRCULATED_CRITICISM = "通报批评", "通报批评"
    RECTIFY_BY_DEADLINE = "限期整改", "限期整改"


class RectifyStatus(models.TextChoices):
    NONE = "", "—"
    OPEN = "open", "整改中"
    DONE = "done", "已整改"


class Commendation(models.Model):
    """表彰: 先进集体 for an organization, 学习标兵 for a person, granted by it or an organization above it."""

    kind = models.CharField("类别", max_length=8, choices=CommendationKind.choices)
    org = models.ForeignKey("orgs.Organization", verbose_name="受表彰组织（或个人所在组织）", on_delete=models.PROTECT,
                            related_name="+")
    person = models.ForeignKey("people.Person", verbose_name="受表彰个人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey("orgs.Organization", verbose_name="表彰单位", on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.TextField("事由")
    date = models.DateField("日期")
    evaluation = models.ForeignKey(Evaluation, verbose_name="依据的评学", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey("supervision.Inspection", verbose_name="依据的督学检查", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        verbose_name = "表彰"
        verbose_name_plural = "表彰"
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["person", "date"])]
        constraints = [models.CheckConstraint(
            condition=(Q(kind=CommendationKind.STUDY_MODEL) & Q(person__isnull=False))
            | (Q(kind=CommendationKind.ADVANCED_COLLECTIVE) & Q(person__isnull=True)),
            name="commendation_subject_fits_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class Penalty(models.Model):
    """惩戒: 通报批评, or 限期整改 with a deadline and its rectification, of an organization or a person."""

    kind = models.CharField("类别", max_length=8, choices=PenaltyKind.choices)
    org = models.ForeignKey("orgs.Organization", verbose_name="对象组织（或个人所在组织）", on_delete=models.PROTECT,
                            related_name="+")
    person = models.ForeignKey("people.Person", verbose_name="对象个人", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    granted_by = models.ForeignKey("orgs.Organization", verbose_name="决定单位", on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.TextField("事由")
    date = models.DateField("日期")
    deadline = models.DateField("整改期限", null=True, blank=True)
    rectify_status = models.CharField("整改状态", max_length=8, choices=RectifyStatus.choices, blank=True)
    rectified_at = models.DateTimeField("整改完成时间", null=True, blank=True)
    rectify_note = models.TextField("整改情况", blank=True)
    evaluation = models.ForeignKey(Evaluation, verbose_name="依据的评学", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey("supervision.Inspection", verbose_name="依据的督学检查", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey("supervision.Finding", verbose_name="依据的检查问题", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        verbose_name = "惩戒"
        verbose_name_plural = "惩戒"
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["person", "date"])]
        constraints = [models.CheckConstraint(
            condition=(Q(kind=PenaltyKind.RECTIFY_BY_DEADLINE) & Q(deadline__isnull=False) & ~Q(rectify_status=""))
            | (Q(kind=PenaltyKind.CIRCULATED_CRITICISM) & Q(rectify_status="")),
            name="penalty_deadline_fits_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


class SanctionEvidence(StoredFile):
    """奖惩佐证材料: a file kept with a commendation or a penalty, checked and stored as activity attachments are."""

    commendation = models.ForeignKey(Commendation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="evidence")
    penalty = models.ForeignKey(Penalty, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence")

    class Meta:
        verbose_name = "奖惩佐证材料"
        verbose_name_plural = "奖惩佐证材料"
        constraints = [models.CheckConstraint(
            condition=Q(commendation__isnull=True, penalty__isnull=False)
            | Q(commendation__isnull=False, penalty__isnull=True),
            name="sanction_evidence_one_owner")]
