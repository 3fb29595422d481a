"""学习资料库 and 理论学习天天向上: the items an organization publishes to its subtree, and each day's push."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from xuexi.learning.models import StoredFile


class ItemKind(models.TextChoices):  # 资料类别
    ARTICLE = "文章", "文章"
    BOOK = "图书", "图书"
    DOCUMENT = "文件", "文件"
    VIDEO = "视频", "视频"
    COURSE = "课程", "课程"


class LibraryItem(models.Model):
    """学习资料: one item published by an organization to its subtree (the province's reach everyone)."""

    kind = models.CharField("类别", max_length=4, choices=ItemKind.choices)
    title = models.CharField("标题", max_length=300)
    source = models.CharField("来源", max_length=200, blank=True)
    date = models.DateField("日期")
    body = models.TextField("正文", blank=True)
    # The six content areas of learning.models.ContentArea (学习内容), as their values.
    areas = models.JSONField("学习内容", default=list)
    campaigns = models.ManyToManyField("learning.Campaign", verbose_name="主题教育", related_name="library_items",
                                       blank=True)
    publisher = models.ForeignKey("orgs.Organization", verbose_name="发布组织", on_delete=models.PROTECT,
                                  related_name="library_items")
    # Title and body cut into words by jieba, space-separated: what FTS5 (SQLite) and tsvector (PostgreSQL) index.
    search_text = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField("发布人", max_length=150, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("修改人", max_length=150, blank=True)
    # 撤回: hidden from members, search, lists and pushes; the row, its pushes and its reading records stay.
    removed_at = models.DateTimeField("撤回时间", null=True, blank=True)
    removed_by = models.CharField("撤回人", max_length=150, blank=True)
    removal_reason = models.CharField("撤回原因", max_length=500, blank=True)

    class Meta:
        verbose_name = "学习资料"
        verbose_name_plural = "学习资料"
        indexes = [models.Index(fields=["publisher", "date"]), models.Index(fields=["date"])]

    def __str__(self) -> str:
        return self.title


class ItemFile(StoredFile):
    """The file of an item: a PDF read in the browser, or an mp4 video played from the platform."""

    item = models.ForeignKey(LibraryItem, on_delete=models.PROTECT, related_name="files")

    class Meta:
        verbose_name = "资料文件"
        verbose_name_plural = "资料文件"


class DailyPush(models.Model):
    """理论学习天天向上: the items an organization's editor chose for its subtree on one day."""

    org = models.ForeignKey("orgs.Organization", verbose_name="推送组织", on_delete=models.PROTECT,
                            related_name="daily_pushes")
    date = models.DateField("日期")
    items = models.ManyToManyField(LibraryItem, through="PushEntry", related_name="pushes")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("编辑", max_length=150, blank=True)

    class Meta:
        verbose_name = "每日推送"
        verbose_name_plural = "每日推送"
        constraints = [models.UniqueConstraint(fields=["org", "date"], name="dailypush_one_per_org_day")]
        indexes = [models.Index(fields=["date", "org"])]

    def __str__(self) -> str:
        return f"{self.org_id} {self.date}"


class PushEntry(models.Model):
    """One item of a day's push, in the order the editor gave."""

    push = models.ForeignKey(DailyPush, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey(LibraryItem, on_delete=models.PROTECT, related_name="push_entries")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["push", "position"], name="pushentry_position_unique"),
            models.UniqueConstraint(fields=["push", "item"], name="pushentry_item_unique"),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.push_id} #{self.position}"


class ItemView(models.Model):
    """阅读记录: a person opened an item (the time spent reading it is ReadingTime's, credited by heartbeats)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="library_views")
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="views")
    first_opened_at = models.DateTimeField(default=timezone.now)
    last_opened_at = models.DateTimeField(default=timezone.now)
    opened = models.PositiveIntegerField("打开次数", default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "item"], name="itemview_person_item_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.item_id}"


class PushOpen(models.Model):
    """A person opened an item of a day's push: the reach figures count these, never rank them."""

    push = models.ForeignKey(DailyPush, on_delete=models.CASCADE, related_name="opens")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="push_opens")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["push", "person"], name="pushopen_push_person_unique")]

    def __str__(self) -> str:
        return f"{self.push_id} {self.person_id}"



class OnlineCreditRule(models.Model):
    """网络学习计时规则: how reading and viewing on the platform earns 网络学习 hours; one row, the province edits it.

    Without the row the defaults below apply.
    """

    enabled = models.BooleanField("计入网络学习学时", default=True)
    beat_seconds = models.PositiveSmallIntegerField("计时间隔（秒）", default=30)
    grace_seconds = models.PositiveSmallIntegerField("允许误差（秒）", default=10)
    item_cap_minutes = models.PositiveSmallIntegerField("每条资料每天至多计（分钟）", default=30)
    day_cap_minutes = models.PositiveSmallIntegerField("每人每天至多计（分钟）", default=120)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        verbose_name = "网络学习计时规则"
        verbose_name_plural = "网络学习计时规则"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="onlinecreditrule_single_row"),
            models.CheckConstraint(condition=models.Q(grace_seconds__lt=models.F("beat_seconds")),
                                   name="onlinecreditrule_grace_below_interval"),
        ]

    def __str__(self) -> str:
        return f"每 {self.beat_seconds} 秒计时"


class ReadingTime(models.Model):
    """在线学习计时: the time a person's open item was seen, visible and in use, credited on one day (Asia/Shanghai).

    last_beat_at is the last heartbeat that counted as visible and active (never moved back, so no two credited
    spans overlap); running says whether the page has beaten live since, so the next beat may count the gap.
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reading_times")
    item = models.ForeignKey(LibraryItem, on_delete=models.PROTECT, related_name="reading_times")
    day = models.DateField("日期")
    seconds = models.PositiveIntegerField("计入秒数", default=0)
    beats = models.PositiveIntegerField("心跳次数", default=0)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    running = models.BooleanField(default=False)

    class Meta:
        verbose_name = "在线学习计时"
        verbose_name_plural = "在线学习计时"
        constraints = [models.UniqueConstraint(fields=["person", "item", "day"], name="readingtime_unique")]
        indexes = [models.Index(fields=["person", "day"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.item_id} {self.day} {self.seconds}s"
