"""党员与干部: people on the roster, their ranks, posts, groups and encrypted personal numbers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Gender(models.TextChoices):
    UNKNOWN = "", "未填"
    MALE = "男", "男"
    FEMALE = "女", "女"


class Rank(models.TextChoices):  # 职级
    PROVINCIAL_MINISTERIAL = "省部级", "省部级"
    BUREAU = "厅局级", "厅局级"
    COUNTY_DIVISION = "县处级", "县处级"
    TOWNSHIP_SECTION = "乡科级", "乡科级"
    NONE = "无", "无"


class LeaderPost(models.TextChoices):  # 领导职务
    PROVINCIAL = "省级领导", "省级领导"
    CITY = "市州领导", "市州领导"
    COUNTY = "县市区领导", "县市区领导"
    DEPARTMENT = "部门领导", "部门领导"
    NONE = "无", "无"


class FocusGroup(models.TextChoices):  # 关注群体, seed document 五(二)
    RETIRED = "离退休", "离退休"
    REMOTE_RURAL = "偏远农村", "偏远农村"
    NON_PUBLIC_ECONOMY = "非公有制经济组织", "非公有制经济组织"
    NEW_SOCIAL_ORGANIZATION = "新社会组织", "新社会组织"
    LAID_OFF = "下岗失业", "下岗失业"
    MOBILE = "流动党员", "流动党员"


class Person(models.Model):
    number = models.CharField("人员编号", max_length=64, unique=True)
    name = models.CharField("姓名", max_length=100, db_index=True)
    gender = models.CharField("性别", max_length=2, choices=Gender.choices, blank=True, default="")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="所属组织", on_delete=models.PROTECT, related_name="members"
    )
    rank = models.CharField("职级", max_length=8, choices=Rank.choices, default=Rank.NONE)
    leader_post = models.CharField("领导职务", max_length=8, choices=LeaderPost.choices, default=LeaderPost.NONE)
    central_group_member = models.BooleanField("中心组成员", default=False)
    id_card_cipher = models.BinaryField("身份证号（密文）", null=True, blank=True, editable=False)
    # NULL, not "", for "no number": unique must hold only among the numbers that exist.
    id_card_index = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    id_card_masked = models.CharField("身份证号", max_length=18, blank=True, editable=False)
    phone_cipher = models.BinaryField("手机号（密文）", null=True, blank=True, editable=False)
    phone_index = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)  # noqa: DJ001
    phone_masked = models.CharField("手机号", max_length=11, blank=True, editable=False)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        indexes = [
            models.Index(fields=["org", "is_active"]),
            models.Index(fields=["leader_post", "rank"]),
            # The leading cadres (领导职务 or 中心组成员) of a subtree without reading every member: 述学 coverage.
            models.Index(fields=["org"], name="person_leading_cadres",
                         condition=Q(is_active=True) & (~Q(leader_post="无") | Q(central_group_member=True))),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.number}）"


class PersonGroup(models.Model):
    """A person's membership of one 关注群体."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_rows")
    group = models.CharField("关注群体", max_length=16, choices=FocusGroup.choices)

    class Meta:
        verbose_name = "关注群体"
        verbose_name_plural = "关注群体"
        constraints = [models.UniqueConstraint(fields=["person", "group"], name="persongroup_unique")]
        indexes = [models.Index(fields=["group"])]

    def __str__(self) -> str:
        return self.group


class Post(models.Model):
    """A post held in an organization, which may be other than the person's own (兼职)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="posts")
    org = models.ForeignKey("orgs.Organization", verbose_name="任职组织", on_delete=models.PROTECT,
                            related_name="posts")
    title = models.CharField("职务", max_length=100)
    start_date = models.DateField("任职日期", null=True, blank=True)
    end_date = models.DateField("免职日期", null=True, blank=True)

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        ordering = ["-start_date", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.title}"


class Transfer(models.Model):
    """组织关系转接: a move of a person's membership from one organization to another."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="transfers")
    from_org = models.ForeignKey("orgs.Organization", verbose_name="转出组织", on_delete=models.PROTECT,
                                 related_name="transfers_out")
    to_org = models.ForeignKey("orgs.Organization", verbose_name="转入组织", on_delete=models.PROTECT,
                               related_name="transfers_in")
    effective_date = models.DateField("转接日期")
    reason = models.CharField("原因", max_length=200, blank=True)
    at = models.DateTimeField("办理时间", default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField("经办人", max_length=150, blank=True)

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.from_org_id}→{self.to_org_id}"
