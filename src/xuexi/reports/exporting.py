"""The report as a GB/T 9704 Word document, and the parent's compilation (汇总) as Word and Excel; audited."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.exchange.documents import Cell, Heading, OfficialDocument, Paragraph, Table, write_document
from xuexi.exchange.files import write_workbook
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.reports import selectors
from xuexi.reports.errors import ReportError
from xuexi.reports.models import SECTIONS, AnnualReport, ReportVersion
from xuexi.reports.selectors import InboxRow

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIGURE_HEADERS = ("组织编码", "组织名称", "报送情况", "逾期", "首次报送时间", "版本", "主办活动", "本级及下级活动",
                  "中心组学习（各季度）", "培训（脱产）", "参加人次", "制度落实率", "学习成果")


def _title(org: Organization, year: int) -> str:
    return f"{org.name}\n关于 {year} 年度学习情况总结和 {year + 1} 年度学习计划的报告"


def _parent_name(org: Organization) -> str:
    parent = Organization.objects.filter(path=org.path[:-Organization.steplen]).values_list("name", flat=True).first()
    return parent or ""


def report_document(org: Organization, year: int, source: AnnualReport | ReportVersion, on: date) -> bytes:
    blocks: list[Any] = []
    for name, label in SECTIONS:
        blocks.append(Heading(1, label))
        blocks.append(Paragraph(getattr(source, name) or "（未填写）"))
    return write_document(OfficialDocument(issuer=org.name, title=_title(org, year), date=on,
                                           addressee=_parent_name(org), blocks=blocks))


def report_export(*, actor: User | None, scope: Scope, org_code: str, year: int,
                  version: int | None = None) -> tuple[str, bytes]:
    """A report as Word: the draft as it stands, or a version as it was sent."""
    org = access_org(scope=scope, code=org_code)
    report = selectors.report_for(scope=scope, org=org, year=year)
    if report is None:
        raise DomainError(ReportError.NOT_FOUND, f"{org.name}尚无 {year} 年度报告", kind=ErrorKind.NOT_FOUND)
    source: AnnualReport | ReportVersion = report
    on = timezone.localdate()
    if version is not None:
        sent = report.versions.filter(number=version).first()
        if sent is None:
            raise DomainError(ReportError.NOT_FOUND, f"{org.name} {year} 年度报告没有第 {version} 版",
                              kind=ErrorKind.NOT_FOUND)
        source, on = sent, timezone.localtime(sent.submitted_at).date()
    data = report_document(org, year, source, on)
    suffix = f"-第{version}版" if version is not None else "-草稿"
    audit_record(action="report_export", actor=actor, object_type="annual_report", object_id=f"{org.code}/{year}",
                 object_repr=org.name, detail={"version": version, "bytes": len(data)})
    return f"{org.code}-{year}年度学习总结和计划{suffix}.docx", data


def _figure_cells(row: InboxRow) -> list[Cell]:
    report = row.report
    figures: dict[str, Any] = report.figures if report is not None else {}
    sessions = figures.get("central_group_sessions")
    rules = figures.get("rules") or []
    rates = "；".join(f"{r['name']} {r['percent']}%" for r in rules if r.get("percent") is not None)
    outcomes = figures.get("outcomes") or {}
    first = report.first_submitted_at if report is not None else None
    return [
        row.org.code, row.org.name, row.status_label, "是" if row.late else "否",
        timezone.localtime(first).strftime("%Y-%m-%d %H:%M:%S") if first else "",
        row.versions,
        figures.get("activities", ""), figures.get("subtree_activities", ""),
        "/".join(str(n) for n in sessions) if sessions else "",
        f"{figures['trainings']}（{figures['off_job_trainings']}）" if "trainings" in figures else "",
        figures.get("attendances", ""), rates,
        "、".join(f"{k} {v}" for k, v in outcomes.items() if v),
    ]


def _compilation_rows(scope: Scope, org_code: str, year: int) -> tuple[Organization, list[InboxRow]]:
    parent = access_org(scope=scope, code=org_code)
    return parent, selectors.inbox(scope=scope, parent=parent, year=year, now=timezone.now())


def compilation_document(parent: Organization, year: int, rows: Sequence[InboxRow], on: date) -> bytes:
    counts = selectors.inbox_counts(list(rows))
    summary = (f"{parent.name}所属 {len(rows)} 个党组织中，{counts['accepted']} 个报告已通过审核，"
               f"{counts['submitted']} 个已报送待审核，{counts['returned']} 个退回修改，{counts['draft']} 个尚在起草，"
               f"{counts['not_started']} 个尚未开始；逾期 {counts['late']} 个。")
    late = [row.org.name for row in rows if row.late]
    blocks: list[Any] = [Heading(1, "报送情况"), Paragraph(summary)]
    if late:
        blocks.append(Paragraph(f"逾期的组织：{'、'.join(late)}。"))
    blocks += [Heading(1, "各组织主要数据"),
               Table(header=FIGURE_HEADERS[1:4] + FIGURE_HEADERS[6:10] + FIGURE_HEADERS[11:12],
                     rows=[[c for i, c in enumerate(_figure_cells(row)) if i in (1, 2, 3, 6, 7, 8, 9, 11)]
                           for row in rows],
                     title=f"{year} 年度各组织学习情况主要数据")]
    problems = [(row.org.name, row.report.problems) for row in rows if row.report is not None and row.report.problems]
    if problems:
        blocks.append(Heading(1, "存在问题和不足"))
        blocks += [Paragraph(f"{name}：{text}") for name, text in problems]
    return write_document(OfficialDocument(
        issuer=parent.name, title=f"{parent.name}\n{year} 年度所属党组织学习情况汇总", date=on,
        addressee=_parent_name(parent), blocks=blocks))


def compilation_export(*, actor: User | None, scope: Scope, org_code: str, year: int,
                       file_format: str) -> tuple[str, bytes]:
    """汇总: every child's report on the year, as one Word document or one workbook, ready to send up again."""
    parent, rows = _compilation_rows(scope, org_code, year)
    if file_format == "docx":
        data = compilation_document(parent, year, rows, timezone.localdate())
    elif file_format == "xlsx":
        data = write_workbook([(f"{year}年度报送汇总", FIGURE_HEADERS, [_figure_cells(row) for row in rows])])
    else:
        raise DomainError(ReportError.INVALID, f"格式“{file_format}”无效，应为 docx 或 xlsx", field="format")
    audit_record(action="report_compilation_export", actor=actor, object_type="annual_report",
                 object_id=f"{parent.code}/{year}", object_repr=parent.name,
                 detail={"format": file_format, "rows": len(rows), "bytes": len(data)})
    return f"{parent.code}-{year}年度学习情况汇总.{file_format}", data
