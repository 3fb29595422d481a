"""典型经验: sent up by an organization, approved by the level above into its library, or returned; 撤回."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import Tree
from tests.outcomes.world import DAY, THIS_YEAR, record
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.library import selectors as library_selectors
from xuexi.library.access import access_item
from xuexi.library.models import LibraryItem
from xuexi.notices.models import Notification
from xuexi.outcomes import experiences, selectors, services
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.models import Outcome
from xuexi.outcomes.services import OutcomeFields

TITLE = "丙县网格化党员学习积分管理经验"
SUMMARY = "丙县以网格为单位组织党员学习，每月交流心得。"


def _experience(county_admin: User) -> Outcome:
    return services.outcome_create(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1",
                                   fields=OutcomeFields(kind="典型经验", title=TITLE, date=DAY,
                                                        summary=SUMMARY))


@pytest.fixture
def submitted(tree: Tree, county_admin: User, city_admin: User) -> Outcome:
    outcome = _experience(county_admin)
    return experiences.experience_submit(actor=county_admin, scope=Scope.for_user(county_admin),
                                         number=outcome.number)


def _search(user: User, words: str) -> list[str]:
    items = library_selectors.item_list(scope=Scope.for_user(user),
                                        filters=library_selectors.ItemFilters(search=words))
    return [i.title for i in items]


def test_a_county_submits_and_the_city_is_told(submitted: Outcome, city_admin: User) -> None:
    # then
    assert submitted.get_status_display() == "已报上级"
    notice = Notification.objects.get(recipient=city_admin)
    assert notice.title == f"中共丙县委员会报送了典型经验，待审核：{TITLE}"
    assert notice.link == f"/outcomes/{submitted.number}/"
    assert AuditEvent.objects.filter(action="experience_submit", object_id=submitted.number).exists()
    assert [o.number for o in selectors.experiences_to_review(scope=Scope.for_user(city_admin))] == [submitted.number]


def test_the_city_approves_and_it_is_published_in_the_city_library_for_its_subtree(
        submitted: Outcome, city_admin: User, county_admin: User, member: User, tree: Tree) -> None:
    # when
    outcome = experiences.experience_approve(actor=city_admin, scope=Scope.for_user(city_admin),
                                             number=submitted.number, comments="经验可推广", areas=["科学发展观"])
    # then
    assert outcome.get_status_display() == "已入库"
    item = LibraryItem.objects.get(pk=outcome.library_item_id)
    assert (item.publisher.code, item.kind, item.title, item.body, item.source, item.areas) == (
        "C1", "文章", TITLE, SUMMARY, "典型经验（中共丙县委员会）", ["科学发展观"])
    assert [e.action for e in selectors.experience_events(outcome=outcome)] == ["submit", "approve", "publish"]
    assert Notification.objects.filter(recipient=county_admin,
                                       title__startswith="中共甲市委员会审核通过并入库").exists()
    assert AuditEvent.objects.filter(action="experience_approve", object_id=outcome.number).exists()
    # the member of a branch under the city finds it; the other city's member does not
    assert _search(member, "网格化") == [TITLE]
    other = factories.make_user("other_member", person=tree.other_member)
    assert _search(other, "网格化") == []


def test_approving_twice_is_refused(submitted: Outcome, city_admin: User) -> None:
    # given
    scope = Scope.for_user(city_admin)
    experiences.experience_approve(actor=city_admin, scope=scope, number=submitted.number)
    # when
    with pytest.raises(DomainError) as caught:
        experiences.experience_approve(actor=city_admin, scope=scope, number=submitted.number)
    # then
    assert caught.value.kind == ErrorKind.CONFLICT
    assert caught.value.detail == (f"典型经验 {submitted.number}（{TITLE}）当前为“已入库”："
                                   "只有已报上级、待审核的典型经验可以审核")
    assert LibraryItem.objects.count() == 1


def test_the_submitters_own_administrator_cannot_approve(submitted: Outcome, county_admin: User) -> None:
    # when
    with pytest.raises(DomainError) as caught:
        experiences.experience_approve(actor=county_admin, scope=Scope.for_user(county_admin),
                                       number=submitted.number)
    # then
    assert caught.value.kind == ErrorKind.FORBIDDEN
    assert caught.value.detail == f"只有中共甲市委员会的管理员可以审核中共丙县委员会报送的典型经验 {submitted.number}"
    assert Outcome.objects.get(pk=submitted.pk).status == "submitted"


def test_the_province_administers_the_city_too_so_it_may_approve(submitted: Outcome, province_admin: User) -> None:
    # when
    outcome = experiences.experience_approve(actor=province_admin, scope=Scope.for_user(province_admin),
                                             number=submitted.number, publish=False)
    # then
    assert outcome.get_status_display() == "上级已审核"
    assert outcome.library_item_id is None


def test_another_city_does_not_even_see_it(submitted: Outcome, other_county_admin: User) -> None:
    # when
    with pytest.raises(DomainError) as caught:
        experiences.experience_approve(actor=other_county_admin, scope=Scope.for_user(other_county_admin),
                                       number=submitted.number)
    # then
    assert caught.value.kind == ErrorKind.NOT_FOUND


def test_returning_without_a_reason_is_refused(submitted: Outcome, city_admin: User) -> None:
    # when
    with pytest.raises(DomainError) as caught:
        experiences.experience_return(actor=city_admin, scope=Scope.for_user(city_admin), number=submitted.number,
                                      reason="  ")
    # then
    assert caught.value.code == OutcomeError.REASON_REQUIRED and caught.value.field == "reason"
    assert caught.value.detail == "请填写退回原因：应说明需要中共丙县委员会修改什么（不超过 2000 个字符）"
    assert Outcome.objects.get(pk=submitted.pk).status == "submitted"


def test_a_returned_experience_is_editable_again_and_keeps_its_history(
        submitted: Outcome, city_admin: User, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    with pytest.raises(DomainError) as locked:
        services.outcome_update(actor=county_admin, scope=scope, number=submitted.number,
                                fields=OutcomeFields(kind="典型经验", title="改", date=submitted.date))
    # when
    experiences.experience_return(actor=city_admin, scope=Scope.for_user(city_admin), number=submitted.number,
                                  reason="请补充成效数据")
    changed = services.outcome_update(actor=county_admin, scope=scope, number=submitted.number,
                                      fields=OutcomeFields(kind="典型经验", title="改后的经验", date=submitted.date))
    again = experiences.experience_submit(actor=county_admin, scope=scope, number=submitted.number)
    # then
    assert locked.value.code == OutcomeError.LOCKED
    assert changed.title == "改后的经验"
    assert again.status == "submitted"
    events = list(selectors.experience_events(outcome=again))
    assert [(e.action, e.reason) for e in events] == [("submit", ""), ("return", "请补充成效数据"), ("submit", "")]
    assert Notification.objects.filter(recipient=county_admin, body="请补充成效数据").exists()


def test_only_a_typical_experience_is_submitted_and_only_once(submitted: Outcome, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    report = record("K1")
    # when
    with pytest.raises(DomainError) as not_one:
        experiences.experience_submit(actor=county_admin, scope=scope, number=report.number)
    with pytest.raises(DomainError) as twice:
        experiences.experience_submit(actor=county_admin, scope=scope, number=submitted.number)
    # then
    assert not_one.value.code == OutcomeError.NOT_AN_EXPERIENCE
    assert twice.value.kind == ErrorKind.CONFLICT


def test_withdrawing_a_published_experience_hides_its_library_item_and_its_count(
        submitted: Outcome, city_admin: User, county_admin: User, member: User) -> None:
    # given
    published = experiences.experience_approve(actor=city_admin, scope=Scope.for_user(city_admin),
                                               number=submitted.number)
    scope = Scope.for_user(county_admin)
    counted = selectors.outcome_counts(scope=scope, org=published.org, year=THIS_YEAR)["典型经验"]
    # when
    services.outcome_withdraw(actor=county_admin, scope=scope, number=published.number, reason="数据有误")
    # then
    assert counted == 1
    assert selectors.outcome_counts(scope=scope, org=published.org, year=THIS_YEAR)["典型经验"] == 0
    assert selectors.experience_counts(scope=scope, org=published.org, year=THIS_YEAR)["已入库"] == 0
    item = LibraryItem.objects.get(pk=published.library_item_id)
    assert item.removed_at is not None and item.removal_reason.endswith("数据有误")
    assert _search(member, "网格化") == []
    with pytest.raises(DomainError) as hidden:
        access_item(scope=Scope.for_user(member), item_id=item.pk)
    assert hidden.value.kind == ErrorKind.NOT_FOUND
    assert access_item(scope=Scope.for_user(city_admin), item_id=item.pk).removal_reason.endswith("数据有误")
    assert Notification.objects.filter(recipient=city_admin, title__startswith="中共丙县委员会撤回了典型经验").exists()
    assert AuditEvent.objects.filter(action="outcome_withdraw", object_id=published.number).exists()


def test_withdrawing_needs_a_reason_and_happens_once(submitted: Outcome, county_admin: User) -> None:
    # given
    scope = Scope.for_user(county_admin)
    # when
    with pytest.raises(DomainError) as no_reason:
        services.outcome_withdraw(actor=county_admin, scope=scope, number=submitted.number, reason="")
    services.outcome_withdraw(actor=county_admin, scope=scope, number=submitted.number, reason="重复登记")
    with pytest.raises(DomainError) as twice:
        services.outcome_withdraw(actor=county_admin, scope=scope, number=submitted.number, reason="重复登记")
    # then
    assert no_reason.value.field == "reason"
    assert twice.value.kind == ErrorKind.CONFLICT
    assert not selectors.outcomes_of(scope=scope, org=submitted.org, year=None).exists()
    assert selectors.outcomes_of(scope=scope, org=submitted.org, year=None, withdrawn=True).count() == 1
