"""督学检查: an upper organization inspects lower ones, records what it finds and follows the rectification (整改).

Nothing here is ever deleted: a rectification item's every step is a `RectificationEvent`, its evidence
files stay, and an inspection ends rather than disappears.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from xuexi.learning.models import StoredFile


class InspectionStatus(models.TextChoices):  # 检查状态
    PLANNED = "planned", "计划中"
    IN_PROGRESS = "in_progress", "进行中"
    ENDED = "ended", "已结束"


class ChecklistArea(models.TextChoices):  # 检查事项: the seed document's requirements
    CENTRAL_GROUP = "central_group", "中心组学习"
    TRAINING = "training", "培训"
    RESEARCH = "research", "调查研究"
    SELF_STUDY = "self_study", "个人自学制度"
    ASSESSMENT = "assessment", "述学考学评学"
    OUTCOMES = "outcomes", "成果转化"
    FUNDING = "funding", "经费和设施保障"


class RectificationStatus(models.TextChoices):  # 整改状态
    OPEN = "open", "待整改"
    ANSWERED = "answered", "待核验"
    RETURNED = "returned", "退回重改"
    CLOSED = "closed", "已销号"


class RectificationAction(models.TextChoices):
    ISSUE = "issue", "下达整改要求"
    ANSWER = "answer", "报送整改情况"
    RETURN = "return", "退回重改"
    CLOSE = "close", "核验销号"


class Inspection(models.Model):
    """督学检查: planned by an organization over organizations of its subtree, for one year's learning."""

    number = models.CharField("检查编号", max_length=64, unique=True)
    title = models.CharField("标题", max_length=200)
    inspector_org = models.ForeignKey("orgs.Organization", verbose_name="检查组织", on_delete=models.PROTECT,
                                      related_name="inspections_run")
    year = models.PositiveSmallIntegerField("检查年度")
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices,
                              default=InspectionStatus.PLANNED)
    description = models.TextField("检查说明", blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField("创建人", max_length=150, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "督学检查"
        verbose_name_plural = "督学检查"
        indexes = [models.Index(fields=["inspector_org", "status"])]
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="inspection_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class InspectedOrganization(models.Model):
    """被检查组织: one organization an inspection looks at, with its own checklist."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="targets")
    org = models.ForeignKey("orgs.Organization", verbose_name="被检查组织", on_delete=models.PROTECT,
                            related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "被检查组织"
        verbose_name_plural = "被检查组织"
        constraints = [models.UniqueConstraint(fields=["inspection", "org"], name="inspected_org_unique")]
        indexes = [models.Index(fields=["org", "inspection"])]

    def __str__(self) -> str:
        return f"{self.inspection_id}/{self.org_id}"


class Inspector(models.Model):
    """检查组成员: a name, and the account when the inspector has one (told when an item is answered)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="inspectors")
    name = models.CharField("姓名", max_length=100)
    user = models.ForeignKey("accounts.User", verbose_name="账户", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    removed_at = models.DateTimeField("移出检查组的时间", null=True, blank=True)  # kept, as every record here

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = "检查组成员"

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """检查清单条目: one of the document's requirements, or one rule that binds the inspected organization."""

    target = models.ForeignKey(InspectedOrganization, on_delete=models.PROTECT, related_name="checklist")
    position = models.PositiveSmallIntegerField(default=0)
    area = models.CharField("检查事项", max_length=16, choices=ChecklistArea.choices, blank=True)
    rule = models.ForeignKey("norms.Rule", verbose_name="制度要求", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    label = models.CharField("名称", max_length=200)

    class Meta:
        verbose_name = "检查清单条目"
        verbose_name_plural = "检查清单条目"
        constraints = [
            models.CheckConstraint(
                condition=(Q(area="") & Q(rule__isnull=False)) | (~Q(area="") & Q(rule__isnull=True)),
                name="checklist_area_or_rule"),
            models.UniqueConstraint(fields=["target", "area"], condition=~Q(area=""), name="checklist_area_unique"),
            models.UniqueConstraint(fields=["target", "rule"], name="checklist_rule_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Finding(models.Model):
    """检查发现的问题: what an inspector found on a checklist item, and the rule or activity at fault."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    item = models.ForeignKey(ChecklistItem, verbose_name="检查清单条目", on_delete=models.PROTECT,
                             related_name="findings")
    text = models.TextField("问题")
    rule = models.ForeignKey("norms.Rule", verbose_name="涉及的制度要求", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("learning.Activity", verbose_name="涉及的学习活动", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    recorded_by = models.CharField("记录人", max_length=150, blank=True)

    class Meta:
        verbose_name = "检查发现的问题"
        verbose_name_plural = "检查发现的问题"
        indexes = [models.Index(fields=["inspection", "recorded_at"])]

    def __str__(self) -> str:
        return self.text[:50]


class RectificationItem(models.Model):
    """整改事项: a requirement issued on a finding, owed by an organization of the inspected subtree by a date."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="rectifications")
    seq = models.PositiveIntegerField("序号")  # 1, 2, 3… within the inspection: its address
    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="rectifications")
    requirement = models.TextField("整改要求")
    responsible_org = models.ForeignKey("orgs.Organization", verbose_name="责任单位", on_delete=models.PROTECT,
                                        related_name="+")
    due_date = models.DateField("整改期限")
    status = models.CharField("状态", max_length=12, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    issued_at = models.DateTimeField("下达时间", default=timezone.now)
    issued_by = models.CharField("下达人", max_length=150, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "整改事项"
        verbose_name_plural = "整改事项"
        constraints = [models.UniqueConstraint(fields=["inspection", "seq"], name="rectification_seq_unique")]
        indexes = [models.Index(fields=["responsible_org", "status"]), models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.inspection_id}-{self.seq}"


class RectificationEvent(models.Model):
    """One step of an item's history: who did what when, with the measures or the comment, and the state after."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间", default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=8, choices=RectificationAction.choices)
    text = models.TextField("内容", blank=True)  # the requirement, the measures taken, or the inspector's comment
    status = models.CharField("之后的状态", max_length=12, choices=RectificationStatus.choices)
    due_date = models.DateField("之后的整改期限")

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        indexes = [models.Index(fields=["item", "at"])]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action}"


class Evidence(StoredFile):
    """整改佐证材料: a file sent with an answer, checked and stored as activity attachments are."""

    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="evidence")
    event = models.ForeignKey(RectificationEvent, on_delete=models.PROTECT, related_name="evidence")

    class Meta:
        verbose_name = "整改佐证材料"
        verbose_name_plural = "整改佐证材料"
