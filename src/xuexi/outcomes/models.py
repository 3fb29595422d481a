"""成果转化: what an organization's learning produced, and the activities it came from (seed document 四(五))."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from xuexi.learning.models import StoredFile


class OutcomeKind(models.TextChoices):  # 成果类别
    RESEARCH_REPORT = "调研报告", "调研报告"  # from 专题调研 and 调查研究
    PROPOSAL = "决策建议", "决策建议"
    INTERNAL_REFERENCE = "内参", "内参"
    MEDIA_REPORT = "媒体报道", "媒体报道"
    TYPICAL_EXPERIENCE = "典型经验", "典型经验"


class Adoption(models.TextChoices):  # 采纳情况 of a 决策建议
    PENDING = "待采纳", "待采纳"
    ADOPTED = "已采纳", "已采纳"
    PARTLY_ADOPTED = "部分采纳", "部分采纳"
    NOT_ADOPTED = "未采纳", "未采纳"


# Adopted into a decision, wholly or in part: these name the decision that adopted them.
ADOPTED_STATES = (Adoption.ADOPTED, Adoption.PARTLY_ADOPTED)


class ExperienceStatus(models.TextChoices):  # 典型经验的审核和入库
    # Only a 典型经验 leaves 已登记: sent to the level above, approved there, and published in its library.
    RECORDED = "recorded", "已登记"
    SUBMITTED = "submitted", "已报上级"
    APPROVED = "approved", "上级已审核"
    PUBLISHED = "published", "已入库"


class Outcome(models.Model):
    """One result of learning an organization recorded: a report, a proposal, a 内参, a media report, an experience."""

    # Given when recorded: the organization's code, the year, a sequence (220102-CG2026-003).
    number = models.CharField("成果编号", max_length=96, unique=True)
    org = models.ForeignKey("orgs.Organization", verbose_name="所属组织", on_delete=models.PROTECT,
                            related_name="outcomes")
    kind = models.CharField("成果类别", max_length=8, choices=OutcomeKind.choices)
    title = models.CharField("标题", max_length=300)
    # When it was finished, sent up, or (a media report) published.
    date = models.DateField("日期")
    summary = models.TextField("内容摘要", blank=True)
    authors = models.ManyToManyField("people.Person", verbose_name="执笔人", through="OutcomeAuthor",
                                     related_name="outcomes", blank=True)
    activities = models.ManyToManyField("learning.Activity", verbose_name="来源活动", through="OutcomeSource",
                                        related_name="outcomes", blank=True)
    # 决策建议 only.
    adoption = models.CharField("采纳情况", max_length=8, choices=Adoption.choices, blank=True)
    decision_name = models.CharField("决策名称/文号", max_length=300, blank=True)
    decision_date = models.DateField("决策日期", null=True, blank=True)
    # 媒体报道 only.
    outlet = models.CharField("媒体", max_length=200, blank=True)
    link = models.URLField("链接", max_length=500, blank=True)
    status = models.CharField("审核状态", max_length=12, choices=ExperienceStatus.choices,
                              default=ExperienceStatus.RECORDED)
    # 典型经验 only: the library item the level above published it as (入库).
    library_item = models.ForeignKey("library.LibraryItem", verbose_name="入库资料", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="experiences")
    # 撤回: marked, never deleted; a withdrawn outcome counts no more.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.CharField("撤回人", max_length=150, blank=True)
    withdrawal_reason = models.CharField("撤回原因", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField("登记人", max_length=150, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        verbose_name = "学习成果"
        verbose_name_plural = "学习成果"
        indexes = [models.Index(fields=["org", "date"]), models.Index(fields=["date", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="决策建议") | (Q(adoption="") & Q(decision_name="") & Q(decision_date__isnull=True)),
                name="outcome_adoption_only_for_proposals"),
            models.CheckConstraint(condition=~Q(kind="决策建议") | ~Q(adoption=""),
                                   name="outcome_proposal_has_adoption"),
            models.CheckConstraint(
                condition=(~Q(adoption__in=["已采纳", "部分采纳"])
                           | (~Q(decision_name="") & Q(decision_date__isnull=False))),
                name="outcome_adopted_names_decision"),
            models.CheckConstraint(condition=Q(kind="媒体报道") | (Q(outlet="") & Q(link="")),
                                   name="outcome_outlet_only_for_media"),
            models.CheckConstraint(condition=~Q(kind="媒体报道") | ~Q(outlet=""), name="outcome_media_has_outlet"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}：{self.title}"

    @property
    def adopted(self) -> bool:
        return self.adoption in ADOPTED_STATES


class ExperienceAction(models.TextChoices):  # 典型经验审核记录的事项
    SUBMIT = "submit", "报送上级"
    APPROVE = "approve", "审核通过"
    PUBLISH = "publish", "入库"
    RETURN = "return", "退回修改"
    WITHDRAW = "withdraw", "撤回"


class ExperienceEvent(models.Model):
    """One step of a 典型经验's review (审核记录): who did what, when, and why; never changed."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="experience_events")
    action = models.CharField("事项", max_length=12, choices=ExperienceAction.choices)
    org = models.ForeignKey("orgs.Organization", verbose_name="办理组织", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("意见或原因", blank=True)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.CharField("办理人", max_length=150, blank=True)

    class Meta:
        verbose_name = "典型经验审核记录"
        verbose_name_plural = "典型经验审核记录"
        indexes = [models.Index(fields=["outcome", "at"], name="experienceevent_outcome_at")]

    def __str__(self) -> str:
        return f"{self.outcome_id} {self.action}"


class OutcomeSource(models.Model):
    """An activity an outcome came from (来源活动)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="source_rows")
    activity = models.ForeignKey("learning.Activity", on_delete=models.PROTECT, related_name="outcome_rows")

    class Meta:
        verbose_name = "成果来源活动"
        verbose_name_plural = "成果来源活动"
        constraints = [models.UniqueConstraint(fields=["outcome", "activity"], name="outcomesource_unique")]

    def __str__(self) -> str:
        return f"{self.outcome_id}←{self.activity_id}"


class OutcomeAuthor(models.Model):
    """A person of the organization who wrote the outcome (执笔人)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="author_rows")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="outcome_rows")

    class Meta:
        verbose_name = "成果执笔人"
        verbose_name_plural = "成果执笔人"
        constraints = [models.UniqueConstraint(fields=["outcome", "person"], name="outcomeauthor_unique")]

    def __str__(self) -> str:
        return f"{self.outcome_id}/{self.person_id}"


class OutcomeAttachment(StoredFile):
    """A file kept with an outcome (the report itself, the 内参, a clipping): checked and stored as activity files."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="attachments")

    class Meta:
        verbose_name = "成果附件"
        verbose_name_plural = "成果附件"
        indexes = [models.Index(fields=["outcome", "uploaded_at"])]
