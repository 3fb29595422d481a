"""Django's admin, for the system administrator only: accounts and their settings, no business data."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from xuexi.accounts.models import AdminRole, User


def _is_system_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and user.admin_role == AdminRole.SYSTEM)  # type: ignore[union-attr]


admin.site.has_permission = _is_system_admin  # type: ignore[method-assign]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-mostly: accounts are created and changed through the 账户与授权 page's services."""

    list_display = ("username", "display_name", "admin_role", "is_active", "must_change_password", "last_login")
    list_filter = ("admin_role", "is_active")
    search_fields = ("username", "display_name")
    fields = ("username", "display_name", "email", "admin_role", "is_active", "must_change_password",
              "last_login", "date_joined", "password_changed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_system_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request)
