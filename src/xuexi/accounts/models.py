"""Accounts, the roles they hold, the subtrees they see, and the audit log."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AdminRole(models.TextChoices):
    """三员分立: the three separated administrator roles; one account holds at most one."""

    NONE = "", "无"
    SYSTEM = "system", "系统管理员"
    SECURITY = "security", "安全管理员"
    AUDIT = "audit", "审计管理员"


class GrantRole(models.TextChoices):
    ORG_ADMIN = "org_admin", "组织管理员"
    REVIEWER = "reviewer", "审阅"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **fields: object) -> User:
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("admin_role", AdminRole.SYSTEM)
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(username, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    username = models.CharField("用户名", max_length=150, unique=True)
    display_name = models.CharField("姓名", max_length=100, blank=True)
    email = models.EmailField("电子邮件", blank=True)
    # The single column is the 三员分立 constraint: an account cannot hold two of the three.
    admin_role = models.CharField(
        "管理员角色", max_length=16, choices=AdminRole.choices, blank=True, default=""
    )
    person = models.OneToOneField(
        "people.Person",
        verbose_name="对应人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account",
    )
    is_active = models.BooleanField("启用", default=True)
    is_staff = models.BooleanField("可进入后台", default=False)
    must_change_password = models.BooleanField("首次登录须修改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    is_demo_account = models.BooleanField("演示账户", default=False)
    date_joined = models.DateTimeField("创建时间", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "账户"
        verbose_name_plural = "账户"
        constraints = [
            models.CheckConstraint(
                condition=Q(admin_role__in=["", "system", "security", "audit"]),
                name="user_admin_role_valid",
            ),
            # 三员 accounts hold no business data: no person behind them.
            models.CheckConstraint(
                condition=Q(admin_role="") | Q(person__isnull=True),
                name="user_separated_admin_has_no_person",
            ),
            # Only the system administrator may reach Django's admin.
            models.CheckConstraint(
                condition=Q(is_staff=False) | Q(admin_role="system"),
                name="user_staff_only_system_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class ScopeGrant(models.Model):
    """A subtree of the organization tree that an account administers or reviews."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    org = models.ForeignKey(
        "orgs.Organization", verbose_name="组织", on_delete=models.PROTECT, related_name="grants"
    )
    role = models.CharField("角色", max_length=16, choices=GrantRole.choices)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "管理范围"
        verbose_name_plural = "管理范围"
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="scopegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.org_id}"


class PasswordHistory(models.Model):
    """Earlier password hashes of an account: a new password may not repeat the last few."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史口令"
        verbose_name_plural = "历史口令"
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SM3 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AuditEvent(models.Model):
    """One row of the append-only, SM3 hash-chained audit log (database triggers refuse edits)."""

    seq = models.BigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor_id = models.BigIntegerField("操作人编号", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    actor_org = models.CharField("操作人组织", max_length=64, blank=True)
    address = models.CharField("地址", max_length=64, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象", max_length=128, blank=True)
    object_repr = models.CharField("对象名称", max_length=255, blank=True)
    outcome = models.CharField("结果", max_length=16, choices=AuditOutcome.choices)
    detail = models.TextField("详情", blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering: ClassVar[list[str]] = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.outcome}"


class AuditChainHead(models.Model):
    """The single row that serializes appends to the audit chain."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"{self.last_seq}"
