"""The `xuexi` command line (docs: spec/cli.md): a presentation layer over the services."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuexi.settings")
    import django

    django.setup()


def _migrate() -> None:
    """Every command first brings the schema up to date by itself."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _cmd_serve(args: argparse.Namespace) -> int:
    from xuexi.serve import serve

    serve(host=args.host, port=args.port, workers=args.workers)
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from xuexi.demo.generate import DemoRefused, generate

    try:
        result = generate(scale=args.scale, seed=args.seed, reset=args.reset)
    except DemoRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.exchange.importing import import_file

    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{args.file}", file=sys.stderr)
        return 1
    from django.conf import settings

    result = import_file(actor=None, scope=whole_tree_scope(), table=args.table, data=path.read_bytes(),
                         filename=path.name, max_bytes=settings.XUEXI_CLI_IMPORT_MAX_BYTES,
                         max_cells=settings.XUEXI_CLI_IMPORT_MAX_CELLS)
    if not result.ok:
        for error in result.errors:
            print(str(error), file=sys.stderr)
        print(f"共 {len(result.errors)} 处错误，未导入任何数据。", file=sys.stderr)
        return 1
    print(f"已导入 {result.rows} 行：新增 {result.created}，更新 {result.updated}，其余未变。")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.exchange.exporting import export, template

    file_format = "csv" if args.output.lower().endswith(".csv") else "xlsx"
    data = template(args.table) if args.template else export(
        actor=None, scope=whole_tree_scope(), table=args.table, file_format=file_format)
    Path(args.output).write_bytes(data)
    print(f"已写出 {args.output}")
    return 0


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from xuexi.accounts.audit import audit_verify

    checked, broken = audit_verify()
    if broken is None:
        print(f"审计日志完整：共 {checked} 条记录，哈希链校验通过。")
        return 0
    print(f"审计日志第 {broken.seq} 条记录被改动：{broken.reason}（此前 {checked} 条校验通过）", file=sys.stderr)
    return 1


def _cmd_createadmin(args: argparse.Namespace) -> int:
    import getpass

    from xuexi.accounts.services import user_create
    from xuexi.errors import DomainError

    password = os.environ.get("XUEXI_ADMIN_PASSWORD") or getpass.getpass("初始密码：")
    try:
        user = user_create(actor=None, username=args.username, password=password,
                           display_name=args.name or "", admin_role=args.role, must_change_password=True)
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    print(f"已创建 {user.get_admin_role_display()} 账户 {user.username}，首次登录须修改密码并绑定身份验证器。")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    from xuexi.backup import BackupFailed, backup

    try:
        size = backup(args.file)
    except BackupFailed as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"已备份到 {args.file}（{size / 1_048_576:.1f} MB）")
    return 0


def _cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xuexi manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xuexi", description="学习型党组织建设平台命令行")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="启动网页平台")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(handler=_cmd_serve)

    demo = sub.add_parser("demo", help="生成可复现的演示省份")
    demo.add_argument("--scale", choices=["small", "county", "province"], default="small")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--reset", action="store_true", help="先清空数据库中的业务数据和账户")
    demo.set_defaults(handler=_cmd_demo)

    tables = ["orgs", "members", "activities", "attendance"]
    import_parser = sub.add_parser("import", help="导入交换文件（组织、人员、活动、参加），全部正确才导入")
    import_parser.add_argument("table", choices=tables)
    import_parser.add_argument("file")
    import_parser.set_defaults(handler=_cmd_import)

    export_parser = sub.add_parser("export", help="导出交换文件（.xlsx 或 .csv），或空白模板")
    export_parser.add_argument("table", choices=tables)
    export_parser.add_argument("output")
    export_parser.add_argument("--template", action="store_true", help="只写出带表头的空白模板")
    export_parser.set_defaults(handler=_cmd_export)

    audit = sub.add_parser("audit", help="审计日志")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="校验审计日志的哈希链，指出第一条被改动的记录")
    verify.set_defaults(handler=_cmd_audit_verify)

    admin = sub.add_parser("createadmin", help="创建三员账户（系统、安全或审计管理员）")
    admin.add_argument("username")
    admin.add_argument("--role", choices=["system", "security", "audit"], required=True)
    admin.add_argument("--name", default="")
    admin.set_defaults(handler=_cmd_createadmin)
    backup_parser = sub.add_parser("backup", help="在线备份数据库（SQLite 在线备份接口 / pg_dump -Fc）")
    backup_parser.add_argument("file")
    backup_parser.set_defaults(handler=_cmd_backup)

    manage = sub.add_parser("manage", help="运行 Django 管理命令，如 collectstatic --noinput")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=_cmd_manage)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_django()
    _migrate()
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
