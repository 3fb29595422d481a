from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xuexi.accounts"
    label = "accounts"
    verbose_name = "账户与审计"

    def ready(self) -> None:
        from xuexi.accounts import signals  # noqa: F401  (sign-in events into the audit log)
