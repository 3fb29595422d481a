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
    return _emit(args, data, len(records))


def _emit(args: argparse.Namespace, data: bytes, rows: int) -> int:
    """Write a command's output to --output (saying so on standard error) or to standard output."""
    from pathlib import Path

    if args.output:
        Path(args.output).write_bytes(data)
        print(f"已写出 {args.output}（{rows} 行）", file=sys.stderr)
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


def _cmd_study_report(args: argparse.Namespace) -> int:
    """述学 from the command line, acting for the whole province (audited as `xuexi study-report`)."""
    from pathlib import Path

    from django.utils import timezone

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.orgs.access import access_org
    from xuexi.studyreports import exporting, selectors

    scope = whole_tree_scope()
    try:
        if args.study_report_command == "export":
            _, data = exporting.coverage_export(actor=None, scope=scope, org_code=args.org, year=args.year,
                                                period=args.period or "年度", who=args.who,
                                                actor_name="xuexi study-report export")
            Path(args.output).write_bytes(data)
            print(f"已写入 {args.output}（{len(data)} 字节）")
            return 0
        org = access_org(scope=scope, code=args.org)
        reports = selectors.inbox(scope=scope, org=org, year=args.year, period=args.period, status=args.status)
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    print("\t".join(["编号", "人员编号", "姓名", "所属组织", "年度", "期间", "标题", "状态", "提交时间", "评阅等次"]))
    count = 0
    for r in reports.iterator(chunk_size=2000):
        submitted = timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else ""
        print("\t".join(str(v) for v in (r.pk, r.person.number, r.person.name, r.org.name, r.year, r.period,
                                           r.title, r.get_status_display(), submitted, r.rating)))
        count += 1
    print(f"共 {count} 份述学报告", file=sys.stderr)
    return 0


OUTCOME_COLUMNS = [("number", "成果编号"), ("org", "组织编码"), ("org_name", "所属组织"), ("kind", "成果类别"),
                   ("title", "标题"), ("date", "日期"), ("status", "审核状态"), ("withdrawn", "已撤回")]


def _cmd_outcome(args: argparse.Namespace) -> int:
    """成果转化 from the command line: an organization's outcomes (its subtree's too), listed or exported."""
    import json
    from pathlib import Path

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.exchange.files import write_csv, write_xlsx
    from xuexi.orgs.access import access_org
    from xuexi.outcomes import exporting, selectors
    from xuexi.outcomes.models import ExperienceStatus, OutcomeKind

    scope = whole_tree_scope()
    problems = []
    if args.year is not None and not 2000 <= args.year <= 2100:
        problems.append(f"--year {args.year} 不在 2000 到 2100 之间")
    kind = getattr(args, "kind", "")
    if kind and kind not in OutcomeKind.values:
        problems.append(f"--kind “{kind}”无效，应为{'、'.join(OutcomeKind.values)}之一")
    if args.outcome_command == "export" and not args.output.lower().endswith(".xlsx"):
        problems.append(f"--output “{args.output}”应为 .xlsx 文件")
    try:
        org = access_org(scope=scope, code=args.org)
    except DomainError as exc:
        problems.insert(0, exc.detail)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    rows = list(selectors.outcomes_of(scope=scope, org=org, year=args.year, subtree=True, kind=kind, withdrawn=True))
    if args.outcome_command == "export":
        counts = selectors.outcome_counts(scope=scope, org=org, year=args.year)
        experiences = selectors.experience_counts(scope=scope, org=org, year=args.year)
        data, listed = exporting.workbook(rows, counts, experiences, args.year)
        Path(args.output).write_bytes(data)
        print(f"已写出 {args.output}（{listed} 项成果）", file=sys.stderr)
        return 0
    records = [exporting.record(o) for o in rows]
    file_format = args.format or ("table" if sys.stdout.isatty() and not args.output else "json")
    labels = dict(ExperienceStatus.choices)

    def shown(r: dict[str, object], key: str) -> object:
        if key == "status":
            return labels[str(r[key])]
        return ("是" if r[key] else "否") if key == "withdrawn" else r[key]

    if file_format == "json":
        data = (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode()
    elif file_format in ("csv", "xlsx"):
        headers = [label for _, label in OUTCOME_COLUMNS]
        cells = [[shown(r, k) for k, _ in OUTCOME_COLUMNS] for r in records]
        data = write_csv(headers, cells) if file_format == "csv" else write_xlsx(headers, cells, sheet_title="学习成果")
    else:
        lines = ["\t".join(label for _, label in OUTCOME_COLUMNS)]
        lines += ["\t".join(str(shown(r, k)) for k, _ in OUTCOME_COLUMNS) for r in records]
        withdrawn = sum(1 for r in records if r["withdrawn"])
        lines.append(f"共 {len(records)} 项成果（{org.name}及其下级组织），其中已撤回 {withdrawn} 项")
        data = ("\n".join(lines) + "\n").encode()
    return _emit(args, data, len(records))


def _cmd_points(args: argparse.Namespace) -> int:
    """学习积分 of one person for a year, by rule, as the rules in force compute them (whether shown or not)."""
    import json

    from django.utils import timezone

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.mylearning.selectors import person_points, points_open
    from xuexi.people.access import access_person

    if not 2000 <= args.year <= 2100:
        print(f"--year {args.year} 不在 2000 到 2100 之间", file=sys.stderr)
        return 1
    try:
        person = access_person(scope=whole_tree_scope(), number=args.person)
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    result = person_points(person=person, year=args.year, today=timezone.localdate(), whole_tree=True)
    rows = [{"person": person.number, "person_name": person.name, "org": person.org.code, "year": args.year,
             "action": r.action, "points_each": r.points_each, "daily_cap": r.daily_cap, "earned": r.earned}
            for r in result.by_rule]
    file_format = args.format or ("table" if sys.stdout.isatty() else "json")
    if file_format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print("\t".join(["积分项目", "每次积分", "每日上限", "计得积分"]))
    for r in rows:
        print("\t".join(str(r[k]) for k in ("action", "points_each", "daily_cap", "earned")))
    shown = "已向本人显示" if points_open(person.org) else "所在组织未开启学习积分，本人看不到"
    print(f"{person.name}（{person.number}）{args.year} 年共 {result.total} 分（启用的规则 {len(rows)} 项；{shown}）。"
          "积分按现行规则从学习记录计算。")
    return 0


def _cmd_assessment(args: argparse.Namespace) -> int:
    """评学 exports from the command line, acting for the whole province (audited as `xuexi assessment`)."""
    from pathlib import Path

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.assessment import services
    from xuexi.errors import DomainError

    scope = whole_tree_scope()
    try:
        if args.assessment_command == "scorecard":
            filename, data = services.scorecard_export(
                actor=None, scope=scope, org_code=args.org, year=args.year,
                kind="cadres" if args.cadres else "best", actor_name="xuexi assessment scorecard")
        else:
            filename, data = services.evaluation_export(actor=None, scope=scope, evaluation_id=args.evaluation,
                                                        actor_name="xuexi assessment export")
    except DomainError as exc:
        print(exc.detail, file=sys.stderr)
        return 1
    target = Path(args.output or filename)
    target.write_bytes(data)
    print(f"已写入 {target}（{len(data)} 字节）")
    return 0


EXAM_RESULT_COLUMNS = [("person", "人员编号"), ("person_name", "姓名"), ("org", "组织"), ("attempts", "交卷次数"),
                       ("best", "最好成绩"), ("total", "满分"), ("passed", "及格")]
REACH_COLUMNS = [("date", "日期"), ("items", "推送资料"), ("opened", "已打开人数"), ("members", "在册人数"),
                 ("share", "到达率")]


def _write_rows(args: argparse.Namespace, columns: list[tuple[str, str]], records: list[dict[str, object]],
                sheet_title: str, summary: str) -> int:
    """Write rows as --format asks (json, csv, xlsx or a table; a table by default on a terminal)."""
    import json

    from xuexi.exchange.files import write_csv, write_xlsx

    def shown(value: object) -> object:
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, list):
            return "；".join(str(v) for v in value)
        if isinstance(value, float):
            return f"{value:.1%}"
        return "" if value is None else value

    file_format = args.format or ("table" if sys.stdout.isatty() and not args.output else "json")
    if file_format == "json":
        data = (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode()
    elif file_format in ("csv", "xlsx"):
        headers = [label for _, label in columns]
        cells = [[shown(r[k]) for k, _ in columns] for r in records]
        data = write_csv(headers, cells) if file_format == "csv" else write_xlsx(headers, cells,
                                                                                  sheet_title=sheet_title)
    else:
        lines = ["\t".join(label for _, label in columns)]
        lines += ["\t".join(str(shown(r[k])) for k, _ in columns) for r in records]
        lines.append(summary)
        data = ("\n".join(lines) + "\n").encode()
    return _emit(args, data, len(records))


def _cmd_exam(args: argparse.Namespace) -> int:
    """考学 from the command line: an exam's results by person, the question bank's import and export."""
    from pathlib import Path

    from xuexi.accounts.scope import Scope, whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.exams import attempts, papers, selectors, sheets
    from xuexi.exams.access import access_exam
    from xuexi.orgs.access import access_org

    scope = whole_tree_scope()
    command = args.exam_command if args.exam_command == "results" else args.questions_command
    problems = []
    if command == "export" and not args.output.lower().endswith((".xlsx", ".csv")):
        problems.append(f"--output “{args.output}”应为 .xlsx 或 .csv 文件")
    if command == "import" and not Path(args.file).is_file():
        problems.append(f"找不到文件：{args.file}")
    try:
        if command == "results":
            exam = access_exam(scope=scope, code=args.exam)
        elif args.publisher:
            # The publisher's own administrator: every row must name it or an organization below it.
            scope = Scope(admin_paths=(access_org(scope=scope, code=args.publisher).path,))
    except DomainError as exc:
        problems.insert(0, exc.detail)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if command == "export":
        data = sheets.export(actor=None, scope=scope, file_format="csv" if args.output.lower().endswith(".csv")
                             else "xlsx")
        Path(args.output).write_bytes(data)
        print(f"已写出 {args.output}", file=sys.stderr)
        return 0
    if command == "import":
        path = Path(args.file)
        try:
            result = sheets.import_questions(actor=None, scope=scope, data=path.read_bytes(), filename=path.name)
        except DomainError as exc:
            print(exc.detail, file=sys.stderr)
            return 1
        if not result.ok:
            for error in result.errors:
                print(str(error), file=sys.stderr)
            print(f"共 {len(result.errors)} 处错误，未导入任何试题。", file=sys.stderr)
            return 1
        print(f"已导入 {result.rows} 道试题：新增 {result.created}，更新 {result.updated}，其余未变。")
        return 0
    attempts.attempts_close_expired(exam=exam)  # as the results page does: an attempt past its deadline counts
    total = papers.paper_total(exam.paper)
    records: list[dict[str, object]] = [
        {"person": r.number, "person_name": r.name, "org": r.org, "attempts": r.attempts, "best": r.best,
         "total": total, "passed": r.passed} for r in selectors.exam_results_by_person(exam=exam, org=exam.org)]
    passed = sum(1 for r in records if r["passed"])
    summary = f"{exam.title}（{exam.code}）：交卷 {len(records)} 人，及格 {passed} 人（及格分 {exam.pass_mark}）"
    return _write_rows(args, EXAM_RESULT_COLUMNS, records, "考试成绩", summary)


def _cmd_library(args: argparse.Namespace) -> int:
    """理论学习天天向上的到达情况: per day, how many of the subtree's members opened the push (no names)."""
    import datetime as dt

    from django.utils import timezone

    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.errors import DomainError
    from xuexi.library.selectors import push_reach
    from xuexi.orgs.access import access_org

    problems = []
    if not 1 <= args.days <= 366:
        problems.append(f"--days {args.days} 不在 1 到 366 之间")
    try:
        org = access_org(scope=whole_tree_scope(), code=args.org)
    except DomainError as exc:
        problems.insert(0, exc.detail)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    today = timezone.localdate()
    reach = push_reach(org=org, date_from=today - dt.timedelta(days=args.days - 1), date_to=today)
    records: list[dict[str, object]] = [
        {"date": r.push.date.isoformat(), "items": [e.item.title for e in r.push.entries.all()], "opened": r.opened,
         "members": r.members, "share": round(r.share, 4)} for r in reach]
    return _write_rows(args, REACH_COLUMNS, records, "推送到达",
                       f"{org.name}近 {args.days} 天推送 {len(records)} 次（只计人数，不列姓名、不排名）")


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

    study = sub.add_parser("study-report", help="述学：列出组织其下的述学报告，导出述学情况（Excel）")
    study_sub = study.add_subparsers(dest="study_report_command", required=True)
    study_list = study_sub.add_parser("list", help="列出组织其下（含本级）已提交的述学报告")
    study_export = study_sub.add_parser("export", help="导出述学情况、述学报告和未提交人员（Excel）")
    for command in (study_list, study_export):
        command.add_argument("--org", required=True, help="组织编码")
        command.add_argument("--year", type=int, required=True, help="年度")
        command.add_argument("--period", choices=["年度", "上半年", "下半年"], default="",
                             help="期间；导出时默认“年度”")
        command.set_defaults(handler=_cmd_study_report)
    study_list.add_argument("--status", choices=["submitted", "returned", "reviewed"], default="")
    study_export.add_argument("--who", choices=["领导干部", "全体党员"], default="领导干部", help="述学对象")
    study_export.add_argument("--output", required=True, help="写入的 .xlsx 文件")

    outcome = sub.add_parser("outcome", help="学习成果（成果转化）：列出或导出一个组织及其下级的成果")
    outcome_sub = outcome.add_subparsers(dest="outcome_command", required=True)
    outcome_list = outcome_sub.add_parser("list", help="列出学习成果（含已撤回的，另行标明）")
    outcome_list.add_argument("--org", required=True, help="组织编码（含其下级组织的成果）")
    outcome_list.add_argument("--year", type=int, default=None, help="按成果日期所在年度；默认不限年度")
    outcome_list.add_argument("--kind", default="", help="成果类别：调研报告、决策建议、内参、媒体报道、典型经验")
    outcome_list.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="")
    outcome_list.add_argument("--output", default="", help="写入的文件；默认写到标准输出")
    outcome_list.set_defaults(handler=_cmd_outcome)
    outcome_export = outcome_sub.add_parser("export", help="导出一年的学习成果、分类统计和典型经验审核情况（.xlsx）")
    outcome_export.add_argument("--org", required=True, help="组织编码（含其下级组织的成果）")
    outcome_export.add_argument("--year", type=int, required=True, help="年度")
    outcome_export.add_argument("--output", required=True, help="写入的 .xlsx 文件")
    outcome_export.set_defaults(handler=_cmd_outcome)

    points = sub.add_parser("points", help="学习积分：某人一年按规则计得的积分（按现行规则从学习记录计算）")
    points.add_argument("--person", required=True, help="人员编号")
    points.add_argument("--year", type=int, required=True)
    points.add_argument("--format", choices=["table", "json"], default="")
    points.set_defaults(handler=_cmd_points)

    assessment = sub.add_parser("assessment", help="评学：导出考核评价（下级组织或领导干部）、民主评议结果（.xlsx）")
    assessment_sub = assessment.add_subparsers(dest="assessment_command", required=True)
    scorecard = assessment_sub.add_parser("scorecard", help="导出考核评价：下级组织排名，或领导干部")
    scorecard.add_argument("--org", required=True, help="组织编码：评价其下级组织，或其及下级的领导干部")
    scorecard.add_argument("--year", type=int, required=True, help="年度")
    scorecard.add_argument("--cadres", action="store_true", help="评价领导干部，而不是下级组织")
    scorecard.add_argument("--output", default="", help="写入的 .xlsx 文件，默认按类别、组织和年度命名")
    scorecard.set_defaults(handler=_cmd_assessment)
    evaluation_export = assessment_sub.add_parser("export", help="导出一次评学的民主评议党员结果（票数和评定等次）")
    evaluation_export.add_argument("--evaluation", type=int, required=True, help="评学编号")
    evaluation_export.add_argument("--output", default="", help="写入的 .xlsx 文件，默认按组织、年度和编号命名")
    evaluation_export.set_defaults(handler=_cmd_assessment)

    exam = sub.add_parser("exam", help="考学：考试成绩（按人），题库导入和导出")
    exam_sub = exam.add_subparsers(dest="exam_command", required=True)
    exam_results = exam_sub.add_parser("results", help="一场考试的成绩：每人交卷次数、最好成绩、满分、是否及格")
    exam_results.add_argument("--exam", required=True, help="考试编码")
    exam_results.add_argument("--format", choices=["table", "json", "csv", "xlsx"], default="")
    exam_results.add_argument("--output", default="", help="写入的文件；默认写到标准输出")
    exam_results.set_defaults(handler=_cmd_exam)
    questions = exam_sub.add_parser("questions", help="题库：导入（全部正确才导入）或导出")
    questions_sub = questions.add_subparsers(dest="questions_command", required=True)
    questions_import = questions_sub.add_parser("import", help="导入题库（.xlsx、.xls 或 .csv），全部正确才导入")
    questions_import.add_argument("file", help="题库文件（格式同模板，按试题编码匹配）")
    questions_import.add_argument("--publisher", required=True,
                                  help="发布组织编码：文件中的发布组织须为该组织或其下级")
    questions_import.set_defaults(handler=_cmd_exam)
    questions_export = questions_sub.add_parser("export", help="导出题库（与导入格式相同）")
    questions_export.add_argument("--output", required=True, help="写入的 .xlsx 或 .csv 文件")
    questions_export.add_argument("--publisher", default="", help="只导出该组织及其下级发布的试题；默认全部")
    questions_export.set_defaults(handler=_cmd_exam)

    library = sub.add_parser("library", help="学习资料库：理论学习天天向上的到达情况")
    library_sub = library.add_subparsers(dest="library_command", required=True)
    reach = library_sub.add_parser("reach", help="一个组织近几天每日推送的打开人数和到达率（不列姓名、不排名）")
    reach.add_argument("--org", required=True, help="推送组织编码")
    reach.add_argument("--days", type=int, default=14, help="近几天（含今天），默认 14")
    reach.add_argument("--format", choices=["table", "json", "csv"], default="")
    reach.add_argument("--output", default="", help="写入的文件；默认写到标准输出")
    reach.set_defaults(handler=_cmd_library)

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
