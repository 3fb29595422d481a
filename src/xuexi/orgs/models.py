"""组织体系: the tree of party organizations, province to branch."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from treebeard.mp_tree import MP_Node


class Level(models.TextChoices):  # 组织层级
    PROVINCE = "省级", "省级"
    CITY = "市级", "市级"
    COUNTY = "县级", "县级"
    TOWNSHIP = "乡级", "乡级"
    GRASSROOTS = "基层", "基层"


class Kind(models.TextChoices):  # 组织类型
    COMMITTEE = "党委", "党委"
    LEADING_GROUP = "党组", "党组"
    WORKING_COMMITTEE = "党工委", "党工委"
    GENERAL_BRANCH = "党总支", "党总支"
    BRANCH = "党支部", "党支部"


class Sector(models.TextChoices):  # 单位类别
    GOVERNMENT = "党政机关", "党政机关"
    PUBLIC_INSTITUTION = "事业单位", "事业单位"
    STATE_ENTERPRISE = "国有企业", "国有企业"
    RURAL = "农村", "农村"
    COMMUNITY = "社区", "社区"
    NON_PUBLIC_ECONOMY = "非公有制经济组织", "非公有制经济组织"
    SOCIAL_ORGANIZATION = "社会组织", "社会组织"
    UNIVERSITY = "高等学校", "高等学校"
    OTHER = "其他", "其他"


class Organization(MP_Node):
    """A party organization; its path makes a subtree one indexed prefix match."""

    code = models.CharField("组织编码", max_length=64, unique=True)
    name = models.CharField("组织名称", max_length=200, db_index=True)
    level = models.CharField("组织层级", max_length=8, choices=Level.choices)
    kind = models.CharField("组织类型", max_length=8, choices=Kind.choices)
    sector = models.CharField("单位类别", max_length=16, choices=Sector.choices)
    has_central_group = models.BooleanField("设有中心组", default=False)
    is_active = models.BooleanField("有效", default=True)  # False: 撤销
    deactivated_at = models.DateTimeField("撤销时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = "党组织"
        verbose_name_plural = "党组织"
        # depth: a node's direct children are found by depth, not by scanning its whole subtree.
        indexes = [models.Index(fields=["level"]), models.Index(fields=["sector"]), models.Index(fields=["depth"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class OrganizationChange(models.Model):
    """The history of an organization: every create, update, move and deactivation."""

    class Action(models.TextChoices):
        CREATE = "create", "新建"
        UPDATE = "update", "修改"
        MOVE = "move", "调整隶属关系"
        DEACTIVATE = "deactivate", "撤销"
        REACTIVATE = "reactivate", "恢复"

    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="changes")
    at = models.DateTimeField("时间", default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("变更", max_length=16, choices=Action.choices)
    before = models.JSONField("变更前", default=dict)
    after = models.JSONField("变更后", default=dict)

    class Meta:
        verbose_name = "组织变更记录"
        verbose_name_plural = "组织变更记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.action} {self.at:%Y-%m-%d}"
