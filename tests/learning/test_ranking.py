"""学习排名: off for members unless their organization (or the nearest level above) switched it on; audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import selectors, services
from xuexi.learning.services import ActivityInput, AttendanceInput

YEAR = date.today().year


def _trained(numbers: dict[str, str]) -> None:
    """Each person present at a training of the given hours hosted by B1."""
    for index, (number, hours) in enumerate(numbers.items()):
        services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
            number=f"R{index}", kind="培训", host_code="B1", start_date=date(YEAR, 1, 10), topic="学习",
            hours=Decimal(hours), training_type="理论培训"))
        services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number=f"R{index}",
                                   entries=[AttendanceInput(number)])


def test_members_see_no_ranking_until_their_organization_switches_it_on(tree: Tree, member: User,
                                                                         county_admin: User) -> None:
    # given: two people of B1 with credited hours, MEM1 behind
    factories.make_person(tree.branch, number="MEM9", name="钱党员")
    _trained({"MEM9": "8", "MEM1": "3"})
    client = signed_in_client(member)
    # then: off by default for the member (as if there were nothing), on for the county administrator
    assert client.get("/orgs/B1/ranking/").status_code == 404
    assert 'data-testid="ranking-link"' not in client.get("/people/MEM1/archive/").content.decode()
    admin_view = selectors.hours_ranking(scope=Scope.for_user(county_admin), org=tree.branch, year=YEAR)
    assert [(r.rank, r.number, r.hours) for r in admin_view.rows] == [(1, "MEM9", 8), (2, "MEM1", 3)]
    # when: the county switches it on for its subtree; B1 follows
    services.ranking_switch(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1", enabled=True)
    # then: the member sees their organization's ranking and their own place, but not another organization's
    page = client.get("/orgs/B1/ranking/").content.decode()
    assert "您排在第 2 名，认定 3 学时" in page
    assert client.get("/orgs/K1/ranking/").status_code == 404
    assert 'data-testid="ranking-link"' in client.get("/people/MEM1/archive/").content.decode()
    # when: B1's own switch says off, it wins over the county's
    services.ranking_switch(actor=county_admin, scope=Scope.for_user(county_admin), org_code="B1", enabled=False)
    assert client.get("/orgs/B1/ranking/").status_code == 404
    assert AuditEvent.objects.filter(action="ranking_switch", object_id="B1").exists()


def test_only_administrators_of_the_organization_switch(tree: Tree, reviewer: User, other_county_admin: User,
                                                        county_admin: User) -> None:
    with pytest.raises(DomainError) as read_only:
        services.ranking_switch(actor=reviewer, scope=Scope.for_user(reviewer), org_code="B1", enabled=True)
    assert read_only.value.kind == ErrorKind.FORBIDDEN
    with pytest.raises(DomainError) as outside:
        services.ranking_switch(actor=other_county_admin, scope=Scope.for_user(other_county_admin), org_code="B1",
                                enabled=True)
    assert outside.value.kind == ErrorKind.NOT_FOUND
    client = signed_in_client(county_admin)
    assert client.post("/orgs/B1/ranking/", {"switch": "on"}).status_code == 302
    assert 'data-testid="ranking-state">已开启' in client.get("/orgs/B1/ranking/").content.decode()
    assert client.post("/orgs/B1/ranking/", {"switch": "inherit"}).status_code == 302
    assert selectors.own_ranking_switch(tree.branch) is None and not selectors.rankings_open(tree.branch)
