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
    """阅读记录: a person opened an item; the hook that online-learning time credit (heartbeats) will build on."""

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

