"""通知: what `xuexi remind` tells an account, read in the notification centre and, when configured, mailed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", "中心组学习"
    BEHIND_PACE = "behind_pace", "进度落后"
    ANNUAL_REPORT = "annual_report", "年度报送"
    REPORT_REVIEW = "report_review", "报告审核"
    INSPECTION = "inspection", "督学检查"
    RECTIFICATION = "rectification", "整改事项"
    SANCTION = "sanction", "表彰和惩戒"
    STUDY_REPORT = "study_report", "述学"
    EXPERIENCE = "experience", "典型经验"


class Notification(models.Model):
    """One notice to one account; its key makes a reminder that is due again the same day a no-op."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收账户", on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField("类别", max_length=16, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)  # a path of this site, never an outside address
    key = models.CharField("去重键", max_length=200)
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key")]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
                   models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title
