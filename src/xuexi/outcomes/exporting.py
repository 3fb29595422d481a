"""成果转化 as a workbook and as records: what the page's export and `xuexi outcome` write."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from xuexi.exchange.files import write_workbook
from xuexi.outcomes.models import Outcome

HEADERS = ["成果编号", "组织编码", "所属组织", "成果类别", "标题", "日期", "内容摘要", "执笔人", "来源活动", "采纳情况",
           "决策名称/文号", "决策日期", "媒体", "链接", "审核状态", "入库资料编号", "登记人", "登记时间", "撤回时间",
           "撤回原因"]


def cells(outcome: Outcome) -> list[object]:
    """One outcome's row under HEADERS (its authors and activities prefetched by outcomes_of)."""
    o = outcome
    return [o.number, o.org.code, o.org.name, o.kind, o.title, o.date, o.summary,
            "、".join(f"{p.name}（{p.number}）" for p in o.authors.all()),
            "、".join(a.number for a in o.activities.all()), o.adoption, o.decision_name, o.decision_date, o.outlet,
            o.link, o.get_status_display(), o.library_item_id or "", o.created_by, o.created_at, o.withdrawn_at,
            o.withdrawal_reason]


def record(outcome: Outcome) -> dict[str, object]:
    """One outcome as a JSON object (dates ISO, null where none)."""
    o = outcome
    return {"number": o.number, "org": o.org.code, "org_name": o.org.name, "kind": o.kind, "title": o.title,
            "date": o.date.isoformat(), "summary": o.summary, "authors": [p.number for p in o.authors.all()],
            "activities": [a.number for a in o.activities.all()], "adoption": o.adoption,
            "decision_name": o.decision_name,
            "decision_date": o.decision_date.isoformat() if o.decision_date else None, "outlet": o.outlet,
            "link": o.link, "status": o.status, "library_item": o.library_item_id,
            "withdrawn": o.withdrawn_at is not None, "withdrawal_reason": o.withdrawal_reason}


def workbook(rows: Sequence[Outcome], counts: Mapping[str, int] | None, experience_counts: Mapping[str, int] | None,
             year: int | None) -> tuple[bytes, int]:
    """The outcomes (withdrawn ones marked), and for a year its counts by kind and its 典型经验 by status."""
    listed = [cells(o) for o in rows]
    sheets: list[tuple[str, list[str], list[list[object]]]] = [("学习成果", HEADERS, listed)]
    if counts is not None:
        sheets.append((f"{year}年分类统计", ["成果类别", "数量"], [[kind, n] for kind, n in counts.items()]))
    if experience_counts is not None:
        sheets.append((f"{year}年典型经验", ["审核状态", "数量"], [[s, n] for s, n in experience_counts.items()]))
    return write_workbook(sheets), len(listed)
