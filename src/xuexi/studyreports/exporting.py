"""述学 exports: the coverage and the reports of an organization's subtree as Excel, one report as Word
(GB/T 9704); each export audited."""

from __future__ import annotations

from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError
from xuexi.exchange.documents import Heading, OfficialDocument, Paragraph, write_document
from xuexi.exchange.files import write_workbook
from xuexi.orgs.access import access_org
from xuexi.studyreports import selectors
from xuexi.studyreports.access import access_study_report
from xuexi.studyreports.errors import StudyReportError
from xuexi.studyreports.models import Audience, Period

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COVERAGE_HEADERS = ("组织编码", "组织名称", "应述学人数", "已提交", "已评阅", "未提交", "提交率（%）")
REPORT_HEADERS = ("人员编号", "姓名", "所属组织", "年度", "期间", "标题", "状态", "提交时间", "评阅等次", "评阅意见",
                  "评阅人", "评阅时间")
MISSING_HEADERS = ("人员编号", "姓名", "所属组织编码", "所属组织")
MISSING_LIMIT = 50_000  # rows of the not-reported sheet: a province's leading cadres fit


def _stamp(value: object) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""  # type: ignore[arg-type]


def check_choices(period: str, who: str) -> None:
    if period not in Period.values:
        raise DomainError(StudyReportError.INVALID, f"期间“{period}”无效，应为{'、'.join(Period.values)}之一",
                          field="period")
    if who not in Audience.values:
        raise DomainError(StudyReportError.INVALID, f"述学对象“{who}”无效，应为{'、'.join(Audience.values)}之一",
                          field="who")


def coverage_export(*, actor: User | None, scope: Scope, org_code: str, year: int, period: str,
                    who: str = Audience.LEADING_CADRES, actor_name: str = "") -> tuple[str, bytes]:
    """述学情况: coverage by child, the reports submitted, and who has not reported, as one workbook."""
    check_choices(period, who)
    org = access_org(scope=scope, code=org_code)
    result = selectors.coverage(scope=scope, org=org, year=year, period=period, who=who)
    coverage_rows = [[row.org.code, row.org.name + ("（本级）" if row.own else ""), row.expected, row.reported,
                      row.reviewed, row.not_reported, "" if row.percent is None else row.percent]
                     for row in result.rows]
    total = result.total
    coverage_rows.append(["", "合计", total.expected, total.reported, total.reviewed, total.not_reported,
                          "" if total.percent is None else total.percent])
    reports = selectors.inbox(scope=scope, org=org, year=year, period=period)
    report_rows = ([r.person.number, r.person.name, r.org.name, r.year, r.period, r.title, r.get_status_display(),
                    _stamp(r.submitted_at), r.rating, r.comment, r.reviewed_by, _stamp(r.reviewed_at)]
                   for r in reports.iterator(chunk_size=2000))
    missing = selectors.not_reported(scope=scope, org=org, year=year, period=period, who=who)[:MISSING_LIMIT]
    missing_rows = ([p.number, p.name, p.org.code, p.org.name] for p in missing.iterator(chunk_size=2000))
    data = write_workbook([(f"{year}年{period}述学情况（{who}）", COVERAGE_HEADERS, coverage_rows),
                           ("述学报告", REPORT_HEADERS, report_rows), ("未提交人员", MISSING_HEADERS, missing_rows)])
    audit_record(action="study_report_export", actor=actor, actor_name=actor_name, object_type="organization",
                 object_id=org.code, object_repr=org.name,
                 detail={"year": year, "period": period, "who": who, "bytes": len(data)})
    return f"{org.code}-{year}年{period}述学情况.xlsx", data


def report_export(*, actor: User | None, scope: Scope, report_id: int) -> tuple[str, bytes]:
    """One report as a Word document in the GB/T 9704 layout, with the review when there is one."""
    report = access_study_report(scope=scope, report_id=report_id)
    blocks: list[Heading | Paragraph] = [Paragraph(part) for part in report.body.split("\n") if part.strip()]
    if report.rating or report.comment:
        blocks += [Heading(1, "评阅意见"), Paragraph(f"评阅等次：{report.rating or '未评定'}。{report.comment}")]
    on = timezone.localtime(report.submitted_at).date() if report.submitted_at else timezone.localdate()
    data = write_document(OfficialDocument(
        issuer=report.person.name,
        title=f"{report.title}\n——{report.person.name} {report.year} 年{report.period}述学报告",
        date=on, addressee=report.org.name, blocks=blocks or [Paragraph("（未填写）")]))
    audit_record(action="study_report_export_docx", actor=actor, object_type="study_report",
                 object_id=str(report.pk),
                 object_repr=f"{report.person.name} {report.year} 年{report.period}述学报告",
                 detail={"bytes": len(data)})
    return f"{report.person.number}-{report.year}年{report.period}述学报告.docx", data
