"""An inspection by 甲市 (C1) of 丙县 (K1), built through the services as the platform would build it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import Tree
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.supervision import services
from xuexi.supervision.models import ChecklistItem, Finding, Inspection, RectificationItem

PDF = b"%PDF-1.4\n%%EOF\n"


def scope_of(user: User) -> Scope:
    return Scope.for_user(user)


def plan(actor: User, *, inspector: str = "C1", inspected: Sequence[str] = ("K1",), number: str = "DX-T1",
         inspectors: Sequence[tuple[str, str]] = (("张检查", "city_admin"),), year: int | None = None) -> Inspection:
    today = timezone.localdate()
    return services.inspection_plan(actor=actor, scope=scope_of(actor), inspector_code=inspector,
                                    data=services.InspectionInput(
                                        number=number, title="年度督学检查", year=year or today.year,
                                        start_date=today, end_date=today + timedelta(days=3),
                                        inspected_codes=list(inspected),
                                        inspectors=[services.InspectorInput(n, u) for n, u in inspectors]))


def checklist_item(inspection: Inspection, org: str = "K1", area: str = "central_group") -> ChecklistItem:
    return ChecklistItem.objects.get(target__inspection=inspection, target__org__code=org, area=area)


def find(actor: User, inspection: Inspection, *, org: str = "K1", area: str = "central_group",
         text: str = "第三季度未开展中心组集体学习", **links: str) -> Finding:
    return services.finding_record(actor=actor, scope=scope_of(actor), number=inspection.number,
                                   item_id=checklist_item(inspection, org, area).pk, text=text, **links)


def issue(actor: User, finding: Finding, *, responsible: str = "K1", due: date | None = None) -> RectificationItem:
    return services.rectification_issue(actor=actor, scope=scope_of(actor), number=finding.inspection.number,
                                        finding_id=finding.pk, requirement="补开中心组集体学习并报送会议记录",
                                        responsible_code=responsible,
                                        due_date=due or timezone.localdate() + timedelta(days=30))


def answer(actor: User, item: RectificationItem, *, files: Sequence[tuple[str, bytes]] = (("会议记录.pdf", PDF),),
           measures: str = "已于本月补开中心组集体学习") -> RectificationItem:
    return services.rectification_answer(actor=actor, scope=scope_of(actor), number=item.inspection.number,
                                         seq=item.seq, measures=measures,
                                         files=[services.EvidenceFile(n, d) for n, d in files])


@dataclass
class Loop:
    """An inspection of K1 by C1 with one finding and one item owed by K1, not yet answered."""

    inspection: Inspection
    finding: Finding
    item: RectificationItem


@pytest.fixture
def loop(tree: Tree, city_admin: User, county_admin: User) -> Loop:
    inspection = plan(city_admin)
    finding = find(city_admin, inspection)
    return Loop(inspection, finding, issue(city_admin, finding))
