"""The `xuexi` command line (docs: spec/cli.md): a presentation layer over the services."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from decimal import Decimal


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


COMPLIANCE_COLUMNS = [
    ("rule", "规则"), ("subject_type", "对象类型"), ("subject", "对象编码"), ("subject_name", "名称"),
    ("org", "所属组织"), ("period", "周期"), ("required", "要求"), ("actual", "实际"), ("status", "状态"),
    ("at_risk", "进度落后"), ("deadline", "截止日期"),
]


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _cmd_compliance(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict
    from datetime import date
    from pathlib import Path

    from django.db import transaction
    from django.utils import timezone

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.exchange.files import write_csv, write_xlsx
    from xuexi.learning import totals
    from xuexi.norms import standings
    from xuexi.norms.engine import STATUS_LABELS
    from xuexi.norms.models import Rule
    from xuexi.norms.selectors import compliance_rows
    from xuexi.orgs.models import Organization

    problems = []
    under = None
    if args.org:
        under = Organization.objects.filter(code=args.org).first()
        if under is None:
            problems.append(f"组织编码 {args.org} 不存在")
    unknown = sorted(set(args.rule) - set(Rule.objects.filter(code__in=args.rule).values_list("code", flat=True)))
    problems += [f"规则编码 {code} 不存在" for code in unknown]
    as_of = timezone.localdate()
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            problems.append(f"--as-of “{args.as_of}”不是日期，应写作 2025-12-31")
    if not 2000 <= args.year <= 2100:
        problems.append(f"--year {args.year} 不在 2000 到 2100 之间")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.rebuild:
        with transaction.atomic():
            totals.rebuild()
            standings.rebuild()
    roots = [under] if under is not None else list(Organization.objects.filter(depth=1))
    evaluation = compliance_rows(scope=whole_tree_scope(), under=roots, year=args.year, as_of=as_of,
                                 rule_codes=args.rule)
    for skipped in evaluation.skipped:
        print(f"{skipped.rule}：{skipped.reason}", file=sys.stderr)
    records = []
    for row in evaluation.rows:
        record = asdict(row)
        for internal in ("version_id", "subject_id", "period_start", "place"):
            record.pop(internal)
        records.append(record)
    file_format = args.format or ("table" if sys.stdout.isatty() and not args.output else "json")
    if file_format == "json":
        text = json.dumps([{**r, "required": _json_number(r["required"]), "actual": _json_number(r["actual"]),
                            "deadline": r["deadline"].isoformat()} for r in records], ensure_ascii=False, indent=1)
        data = (text + "\n").encode()
    elif file_format in ("csv", "xlsx"):
        headers = [label for _, label in COMPLIANCE_COLUMNS]
        cells = [[STATUS_LABELS[r[k]] if k == "status" else ("是" if r[k] else "否") if k == "at_risk" else r[k]
                  for k, _ in COMPLIANCE_COLUMNS] for r in records]
        data = write_csv(headers, cells) if file_format == "csv" else write_xlsx(headers, cells, sheet_title="制度落实")
    else:
        lines = ["\t".join(label for _, label in COMPLIANCE_COLUMNS)]
        lines += ["\t".join(str(STATUS_LABELS[r[k]] if k == "status" else ("是" if r[k] else "") if k == "at_risk"
                                 else r[k]) for k, _ in COMPLIANCE_COLUMNS) for r in records]
        met = sum(1 for r in records if r["status"] == "met")
        lines.append(f"共 {len(records)} 行：达标 {met}，未达标 {sum(1 for r in records if r['status'] == 'missed')}，"
                     f"进行中 {sum(1 for r in records if r['status'] == 'in_progress')}，"
                     f"豁免 {sum(1 for r in records if r['status'] == 'exempt')}（评估日 {as_of.isoformat()}）")
        data = ("\n".join(lines) + "\n").encode()
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"已写出 {args.output}（{len(records)} 行）", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


def _cmd_remind(args: argparse.Namespace) -> int:
    from datetime import date

    from django.utils import timezone

    from xuexi.notices.models import NotificationKind
    from xuexi.notices.services import remind

    as_of = timezone.localdate()
    if args.as_of:
        try:
            as_of = date.fromisoformat(args.as_of)
        except ValueError:
            print(f"--as-of “{args.as_of}”不是日期，应写作 2025-12-31", file=sys.stderr)
            return 1
    result = remind(as_of=as_of)
    counts = "，".join(f"{label} {result.created[kind]}" for kind, label in NotificationKind.choices)
    print(f"{as_of.isoformat()} 新建提醒 {result.total} 条：{counts}；发送提醒邮件 {result.mails} 封。")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    """年度学习总结和计划 from the command line, acting for the whole province (audited as `xuexi`)."""
    from pathlib import Path

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.reports import exporting, services
    from xuexi.reports.models import SECTIONS

    scope = whole_tree_scope()
    try:
        if args.report_command == "draft":
            report = services.report_draft(actor=None, scope=scope, org_code=args.org, year=args.year)
            for number, (name, label) in enumerate(SECTIONS, start=1):
                print(f"{'一二三四'[number - 1]}、{label}\n{getattr(report, name)}\n")
        elif args.report_command == "submit":
            version = services.report_submit(actor=None, scope=scope, org_code=args.org, year=args.year)
            print(f"已报送 {args.org} {args.year} 年度报告第 {version.number} 版"
                  + ("（逾期）" if version.late else ""))
        else:
            if args.compile:
                filename, data = exporting.compilation_export(actor=None, scope=scope, org_code=args.org,
                                                              year=args.year, file_format=args.compile)
            else:
                filename, data = exporting.report_export(actor=None, scope=scope, org_code=args.org, year=args.year,
                                                         version=args.version)
            target = Path(args.output or filename)
            target.write_bytes(data)
            print(f"已写入 {target}（{len(data)} 字节）")
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    return 0


def _cmd_inspection(args: argparse.Namespace) -> int:
    """督学检查 from the command line, acting for the whole province (audited as `xuexi inspection`)."""
    from pathlib import Path

    from django.utils import timezone

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.orgs.access import access_org
    from xuexi.supervision import selectors, services

    scope = whole_tree_scope()
    try:
        if args.inspection_command == "export":
            filename, data = services.inspection_report_export(actor=None, scope=scope, number=args.number,
                                                               actor_name="xuexi inspection export")
            target = Path(args.output or filename)
            target.write_bytes(data)
            print(f"已写入 {target}（{len(data)} 字节）")
            return 0
        org = access_org(scope=scope, code=args.org) if args.org else None
        inspections = list(selectors.inspection_list(scope=scope, org=org, status=args.status))
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    counts = selectors.item_counts(inspections=inspections, today=timezone.localdate())
    print("\t".join(["检查编号", "标题", "检查组织", "年度", "状态", "整改事项", "未销号", "待核验", "逾期"]))
    for i in inspections:
        c = counts.get(i.pk, selectors.ItemCounts())
        print("\t".join(str(v) for v in (i.number, i.title, i.inspector_org.name, i.year, i.get_status_display(),
                                           c.total, c.open, c.answered, c.overdue)))
    print(f"共 {len(inspections)} 次督学检查", file=sys.stderr)
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

    compliance = sub.add_parser("compliance", help="按制度要求评估一年的落实情况（spec/norms.md）")
    compliance.add_argument("--year", type=int, required=True)
    compliance.add_argument("--org", default="", help="组织编码：只评估其下（含本级）的对象，默认全省")
    compliance.add_argument("--rule", action="append", default=[], help="规则编码，可重复；默认全部启用的规则")
    compliance.add_argument("--as-of", default="", help="评估日期，默认今天（北京时间）")
    compliance.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="")
    compliance.add_argument("--output", default="", help="写入文件，默认标准输出")
    compliance.add_argument("--rebuild", action="store_true",
                            help="先从原始记录重新计算全部学时汇总和达标情况，结果应与平时保持的一致")
    compliance.set_defaults(handler=_cmd_compliance)

    remind_parser = sub.add_parser("remind", help="生成当日提醒通知（每天由 cron 运行一次），配置了邮件时发送摘要邮件")
    remind_parser.add_argument("--as-of", default="", help="按哪一天提醒，默认今天（北京时间）")
    remind_parser.set_defaults(handler=_cmd_remind)

    report = sub.add_parser("report", help="年度学习总结和计划：生成草稿、报送、导出 Word 或下级汇总")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    for name, text in (("draft", "根据平台记录生成（或重新生成）草稿并显示"),
                       ("submit", "把当前稿作为新的一版报送上级"),
                       ("export", "导出 Word（GB/T 9704 公文格式）；--compile 导出下级报送汇总")):
        command = report_sub.add_parser(name, help=text)
        command.add_argument("--org", required=True, help="组织编码")
        command.add_argument("--year", type=int, required=True, help="报告的年度")
        if name == "export":
            command.add_argument("--version", type=int, default=None, help="报送的第几版；默认当前稿")
            command.add_argument("--compile", choices=["docx", "xlsx"], default="",
                                 help="导出该组织的下级报送汇总，而不是本组织的报告")
            command.add_argument("--output", default="", help="写入的文件，默认按组织和年度命名")
        command.set_defaults(handler=_cmd_report)

    inspection = sub.add_parser("inspection", help="督学检查：列出检查，导出检查报告（Word）")
    inspection_sub = inspection.add_subparsers(dest="inspection_command", required=True)
    inspection_export = inspection_sub.add_parser("export", help="导出检查报告（Word，GB/T 9704 公文格式）")
    inspection_export.add_argument("number", help="检查编号")
    inspection_export.add_argument("--output", default="", help="写入的文件，默认“督学检查报告-<检查编号>.docx”")
    inspection_export.set_defaults(handler=_cmd_inspection)
    inspection_list = inspection_sub.add_parser("list", help="列出督学检查及其整改事项的数目")
    inspection_list.add_argument("--org", default="", help="组织编码：它开展、接受或须整改的检查")
    inspection_list.add_argument("--status", choices=["planned", "in_progress", "ended"], default="")
    inspection_list.set_defaults(handler=_cmd_inspection)

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
