"""The inspection report as an official document (GB/T 9704): the inspected organizations, the findings item by
item, and the rectification items with their state; `exchange.documents` lays it out."""

from __future__ import annotations

from datetime import date

from xuexi.exchange.documents import Block, Heading, OfficialDocument, Paragraph, Record, Table, format_date
from xuexi.supervision.models import Finding, RectificationStatus
from xuexi.supervision.selectors import InspectionView, ItemView, RectificationRow


def _finding_line(finding: Finding) -> str:
    links = []
    if finding.rule is not None:
        links.append(f"涉及制度要求 {finding.rule.code}")
    if finding.activity is not None:
        links.append(f"涉及活动 {finding.activity.number}“{finding.activity.topic}”")
    return finding.text.replace("\n", " ") + (f"（{'；'.join(links)}）" if links else "")


def _item_blocks(view: ItemView) -> list[Block]:
    # A rule's name is the user's and may start with a number of its own; the writer numbers headings.
    label = view.item.label if view.item.rule is None else f"制度要求“{view.item.label}”"
    blocks: list[Block] = [Heading(3, label)]
    if view.figures:
        blocks.append(Paragraph("平台记录：" + "；".join(f"{f.label} {f.value}" for f in view.figures) + "。"))
    blocks.append(Paragraph("\n".join(_finding_line(f) for f in view.findings)))
    return blocks


def _state(row: RectificationRow) -> str:
    label = row.item.get_status_display()
    return f"{label}（逾期 {row.days_overdue} 天）" if row.overdue else label


def inspection_document(view: InspectionView, *, today: date) -> OfficialDocument:
    """The report of an inspection as the viewer sees it (the inspecting side sees all of it)."""
    inspection = view.inspection
    names = [t.target.org.name for t in view.targets]
    team = "、".join(i.name for i in view.inspectors) or "（未登记）"
    blocks: list[Block] = [Paragraph(
        f"根据工作安排，{inspection.inspector_org.name}于{format_date(inspection.start_date)}至"
        f"{format_date(inspection.end_date)}对{'、'.join(names) or '有关组织'}{inspection.year}年度学习型党组织建设情况"
        f"进行了督学检查。检查组成员：{team}。现将检查情况通报如下。")]
    if inspection.description.strip():
        blocks.append(Paragraph(inspection.description))
    rows_by_org: dict[int, list[RectificationRow]] = {}
    for row in view.rectifications:
        rows_by_org.setdefault(row.item.finding.item.target.org_id, []).append(row)
    blocks += [Heading(1, "检查基本情况"), Table(
        header=["被检查组织", "组织编码", "发现问题", "整改事项", "已销号", "逾期未销号"],
        rows=[[t.target.org.name, t.target.org.code, t.findings, len(rows_by_org.get(t.target.org_id, [])),
               sum(1 for r in rows_by_org.get(t.target.org_id, []) if r.item.status == RectificationStatus.CLOSED),
               sum(1 for r in rows_by_org.get(t.target.org_id, []) if r.overdue)] for t in view.targets],
        widths=[4, 2, 1.5, 1.5, 1.5, 1.8])]
    blocks.append(Heading(1, "检查发现的问题"))
    for target in view.targets:
        blocks.append(Heading(2, target.target.org.name))
        found = [item for item in target.items if item.findings]
        if not found:
            blocks.append(Paragraph("对照检查清单逐项检查，未发现问题。"))
        for item in found:
            blocks += _item_blocks(item)
    blocks.append(Heading(1, "整改要求"))
    if view.rectifications:
        blocks.append(Table(
            header=["序号", "整改要求", "责任单位", "整改期限", "状态"],
            rows=[[r.item.seq, r.item.requirement, r.item.responsible_org.name, r.item.due_date.isoformat(), _state(r)]
                  for r in view.rectifications],
            widths=[0.8, 6, 3, 2.5, 2.2]))
        blocks.append(Paragraph("请各责任单位对照整改要求逐项落实，在整改期限内报送整改措施和佐证材料，"
                                "由检查组逐项核验销号；逾期未完成整改的，将予以通报。"))
    else:
        blocks.append(Paragraph("本次检查未下达整改要求。"))
    return OfficialDocument(
        issuer=inspection.inspector_org.name, title=f"{inspection.title}情况报告", date=today,
        addressee="、".join(names), blocks=blocks,
        record=Record(printed_by=inspection.inspector_org.name, printed_on=today))
