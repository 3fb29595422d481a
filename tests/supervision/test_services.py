"""督学检查's services, step by step: who may take each step, what it leaves behind, and that it is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from tests.conftest import Tree
from tests.supervision.conftest import PDF, Loop, answer, checklist_item, find, issue, plan, scope_of
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import whole_tree_scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import services as learning
from xuexi.learning.attachments import stored_path
from xuexi.notices.models import Notification, NotificationKind
from xuexi.notices.services import remind
from xuexi.supervision import services
from xuexi.supervision.models import (
    ChecklistArea,
    Evidence,
    Inspection,
    InspectionStatus,
    RectificationEvent,
    RectificationStatus,
)


def _audited(action: str) -> list[str]:
    return list(AuditEvent.objects.filter(action=action).values_list("actor_name", flat=True))


# -- planning ------------------------------------------------------------------------------------------
def test_the_city_plans_an_inspection_of_a_county_with_the_documents_requirements_and_its_rules(
        tree: Tree, city_admin: User, county_admin: User) -> None:
    # when
    inspection = plan(city_admin)
    # then: the seven requirements, then the rules that bind the county's subtree
    items = list(inspection.targets.get().checklist.order_by("position").values_list("area", "rule__code"))
    assert [area for area, _ in items[:7]] == ChecklistArea.values
    assert ("", "central-group-study-quarterly") in items
    assert ("", "leader-off-job-training-110h") in items
    assert inspection.status == InspectionStatus.PLANNED
    assert list(inspection.inspectors.values_list("name", "user__username")) == [("张检查", "city_admin")]
    assert _audited("inspection_plan") == ["city_admin"]
    # and the county's administrators are told
    assert Notification.objects.filter(recipient=county_admin, kind=NotificationKind.INSPECTION).count() == 1


def test_a_number_is_given_when_none_is_typed(tree: Tree, city_admin: User) -> None:
    # when
    first, second = plan(city_admin, number=""), plan(city_admin, number="", inspected=["K2"])
    # then
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"DX-C1-{year}-01", f"DX-C1-{year}-02")


@pytest.mark.parametrize(("inspected", "message"), [
    (["C1"], "被检查组织编码 C1 不存在，或不是中共甲市委员会的下级组织"),
    (["K3"], "被检查组织编码 K3 不存在，或不是中共甲市委员会的下级组织"),
    (["ZZ9"], "被检查组织编码 ZZ9 不存在，或不是中共甲市委员会的下级组织"),
    ([], "请填写被检查组织的组织编码"),
])
def test_only_organizations_below_the_inspecting_one_are_inspected(
        tree: Tree, city_admin: User, inspected: list[str], message: str) -> None:
    # when
    with pytest.raises(DomainError) as refused:
        plan(city_admin, inspected=inspected)
    # then
    assert (refused.value.field, refused.value.detail) == ("inspected_codes", message)
    assert not Inspection.objects.exists()


def test_an_inspector_account_must_see_the_inspecting_organization(
        tree: Tree, city_admin: User, other_county_admin: User) -> None:
    # when
    with pytest.raises(DomainError) as refused:
        plan(city_admin, inspectors=[("赵某", "other_county_admin")])
    # then
    assert refused.value.detail == ("检查组成员 赵某 的账户“other_county_admin”"
                                    "不存在、已停用或看不到中共甲市委员会的数据")


def test_a_county_cannot_plan_for_the_city_and_a_reviewer_cannot_plan_at_all(
        tree: Tree, county_admin: User, reviewer: User) -> None:
    # when
    with pytest.raises(DomainError) as unseen:
        plan(county_admin)
    with pytest.raises(DomainError) as read_only:
        plan(reviewer)
    # then
    assert unseen.value.kind == ErrorKind.NOT_FOUND
    assert read_only.value.kind == ErrorKind.FORBIDDEN


def test_an_update_adds_organizations_and_never_takes_one_off(tree: Tree, city_admin: User) -> None:
    # given
    inspection = plan(city_admin)
    # when
    services.inspection_update(actor=city_admin, scope=scope_of(city_admin), number=inspection.number,
                               changes={"inspected_codes": ["K1", "K2"], "status": "in_progress"})
    with pytest.raises(DomainError) as refused:
        services.inspection_update(actor=city_admin, scope=scope_of(city_admin), number=inspection.number,
                                   changes={"inspected_codes": ["K2"]})
    with pytest.raises(DomainError) as unknown:
        services.inspection_update(actor=city_admin, scope=scope_of(city_admin), number=inspection.number,
                                   changes={"year": 2020})
    # then
    assert sorted(inspection.targets.values_list("org__code", flat=True)) == ["K1", "K2"]
    assert refused.value.detail == "不能从检查中移除已列入的组织 K1"
    assert unknown.value.detail == "不能修改这些字段：year"
    event = AuditEvent.objects.get(action="inspection_update")
    assert '"status": "in_progress"' in event.detail


def test_a_member_taken_off_the_team_is_kept_marked_and_no_longer_told(
        tree: Tree, city_admin: User, province_admin: User, county_admin: User) -> None:
    # given: the city's administrator and 李检查 inspect; 王检查 joins, the city's administrator leaves
    inspection = plan(city_admin, inspectors=[("张检查", "city_admin"), ("李检查", "")])
    services.inspection_update(actor=city_admin, scope=scope_of(city_admin), number=inspection.number,
                               changes={"inspectors": [services.InspectorInput("李检查"),
                                                       services.InspectorInput("王检查", "province_admin")]})
    finding = find(city_admin, inspection)
    # when
    answer(county_admin, issue(city_admin, finding))
    # then
    rows = [(name, removed is None) for name, removed in inspection.inspectors.order_by("id")
            .values_list("name", "removed_at")]
    assert rows == [("张检查", False), ("李检查", True), ("王检查", True)]
    told = set(Notification.objects.filter(key__startswith="rectification-answered:")
               .values_list("recipient__username", flat=True))
    assert told == {"province_admin"}


# -- findings ------------------------------------------------------------------------------------------
def test_a_finding_links_the_rule_or_the_activity_at_fault_and_starts_the_inspection(
        tree: Tree, city_admin: User) -> None:
    # given
    inspection = plan(city_admin)
    learning.activity_save(actor=None, scope=whole_tree_scope(), data=learning.ActivityInput(
        number="A-T1", kind="中心组集体学习", host_code="T1", start_date=timezone.localdate(), topic="镇中心组"))
    # when
    finding = find(city_admin, inspection, rule_code="central-group-study-quarterly", activity_number="A-T1")
    on_rule = services.finding_record(actor=city_admin, scope=scope_of(city_admin), number=inspection.number,
                                      item_id=inspection.targets.get().checklist.get(rule__code="member-training-annual").pk,
                                      text="未开展党员教育培训")
    # then
    assert (finding.rule.code, finding.activity.number) == ("central-group-study-quarterly", "A-T1")  # type: ignore[union-attr]
    assert on_rule.rule.code == "member-training-annual"  # type: ignore[union-attr]
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.IN_PROGRESS
    assert _audited("finding_record") == ["city_admin", "city_admin"]


@pytest.mark.parametrize(("links", "field", "message"), [
    ({"activity_number": "ACT-K2"}, "activity_number",
     "活动编号 ACT-K2 不存在，或不是中共丙县委员会及其下级组织主办的活动"),
    ({"rule_code": "no-such-rule"}, "rule_code", "规则编码 no-such-rule 不存在，或不约束中共丙县委员会"),
    ({"text": " "}, "text", "请填写发现的问题"),
])
def test_a_finding_refuses_what_does_not_concern_the_inspected_organization(
        tree: Tree, city_admin: User, links: dict[str, str], field: str, message: str) -> None:
    # given: K2's own activity, outside the inspected county
    inspection = plan(city_admin)
    learning.activity_save(actor=None, scope=whole_tree_scope(), data=learning.ActivityInput(
        number="ACT-K2", kind="培训", host_code="K2", start_date=timezone.localdate(), topic="培训",
        training_type="理论培训"))
    # when
    with pytest.raises(DomainError) as refused:
        find(city_admin, inspection, **links)
    # then
    assert (refused.value.field, refused.value.detail) == (field, message)


def test_an_ended_inspection_takes_no_more_findings_and_the_inspected_record_none(
        tree: Tree, city_admin: User, county_admin: User) -> None:
    # given
    inspection = plan(city_admin)
    # when
    with pytest.raises(DomainError) as inspected_side:
        find(county_admin, inspection)
    services.inspection_update(actor=city_admin, scope=scope_of(city_admin), number=inspection.number,
                               changes={"status": "ended"})
    with pytest.raises(DomainError) as ended:
        find(city_admin, inspection)
    # then
    assert inspected_side.value.kind == ErrorKind.FORBIDDEN
    assert inspected_side.value.detail == f"督学检查 {inspection.number} 由中共甲市委员会组织，您只能查看"
    assert (ended.value.kind, ended.value.code) == (ErrorKind.CONFLICT, "inspection_ended")


# -- rectification: issue, answer, verify ---------------------------------------------------------------
def test_an_item_is_owed_inside_the_inspected_subtree_by_a_date_not_past(tree: Tree, city_admin: User) -> None:
    # given
    finding = find(city_admin, plan(city_admin))
    # when
    with pytest.raises(DomainError) as sibling:
        issue(city_admin, finding, responsible="K2")
    with pytest.raises(DomainError) as past:
        issue(city_admin, finding, due=timezone.localdate() - timedelta(days=1))
    first, second = issue(city_admin, finding), issue(city_admin, finding, responsible="T1")
    # then
    assert sibling.value.detail == "责任单位编码 K2 不存在，或不是被检查组织中共丙县委员会及其下级组织"
    assert past.value.field == "due_date"
    assert (first.seq, second.seq, second.responsible_org.code) == (1, 2, "T1")


def test_the_county_answers_with_evidence_and_the_inspectors_are_told(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User) -> None:
    # when
    item = answer(county_admin, loop.item)
    # then
    assert item.status == RectificationStatus.ANSWERED
    evidence = Evidence.objects.get(item=item)
    assert (evidence.name, evidence.content_type, evidence.uploaded_by) == ("会议记录.pdf", "application/pdf",
                                                                            "county_admin")
    assert stored_path(evidence.sha256).read_bytes() == PDF
    told = Notification.objects.get(recipient=city_admin, kind=NotificationKind.RECTIFICATION)
    assert told.link == f"/inspections/{loop.inspection.number}/rectifications/1/"
    assert "已于本月补开中心组集体学习" in told.body
    assert _audited("rectification_answer") == ["county_admin"]


def test_the_inspecting_side_cannot_answer_its_own_requirement_and_others_do_not_see_it(
        tree: Tree, loop: Loop, city_admin: User, province_admin: User, other_county_admin: User) -> None:
    # when
    refused = []
    for user in (city_admin, province_admin, other_county_admin):
        with pytest.raises(DomainError) as error:
            answer(user, loop.item)
        refused.append(error.value.kind)
    # then
    assert refused == [ErrorKind.FORBIDDEN, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND]
    assert RectificationEvent.objects.filter(item=loop.item).count() == 1


@pytest.mark.parametrize(("files", "field", "message"), [
    ((), "files", "请上传佐证材料（如整改后的会议记录、签到表、照片）"),
    ((("照片.png", PDF),), "file", "“照片.png”的内容是PDF 文档，与扩展名“.png”不符，应为 .pdf"),
    ((("空.pdf", b""),), "file", "“空.pdf”是空文件"),
])
def test_an_answer_needs_evidence_that_is_what_it_says(
        tree: Tree, loop: Loop, county_admin: User, files: tuple[tuple[str, bytes], ...], field: str,
        message: str) -> None:
    # when
    with pytest.raises(DomainError) as refused:
        answer(county_admin, loop.item, files=files)
    # then
    assert (refused.value.field, refused.value.detail) == (field, message)
    assert not Evidence.objects.exists()


def test_sent_back_answered_again_then_closed_every_step_kept(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User) -> None:
    # given
    answer(county_admin, loop.item)
    later = timezone.localdate() + timedelta(days=60)
    # when
    returned = services.rectification_verify(actor=city_admin, scope=scope_of(city_admin),
                                             number=loop.inspection.number, seq=1, close=False,
                                             comment="会议记录缺少签到表", due_date=later)
    answer(county_admin, loop.item, files=(), measures="已补充签到表")
    closed = services.rectification_verify(actor=city_admin, scope=scope_of(city_admin),
                                           number=loop.inspection.number, seq=1, close=True)
    # then
    assert (returned.status, returned.due_date) == (RectificationStatus.RETURNED, later)
    assert closed.status == RectificationStatus.CLOSED
    steps = list(RectificationEvent.objects.filter(item=loop.item).order_by("at", "id")
                 .values_list("action", "actor_name", "status"))
    assert steps == [("issue", "city_admin", "open"), ("answer", "county_admin", "answered"),
                     ("return", "city_admin", "returned"), ("answer", "county_admin", "answered"),
                     ("close", "city_admin", "closed")]
    assert _audited("rectification_return") == _audited("rectification_close") == ["city_admin"]
    told = Notification.objects.filter(recipient__username="county_admin", key__startswith="rectification-")
    assert told.count() == 3


def test_only_the_inspecting_side_verifies_and_only_an_answered_item(
        tree: Tree, loop: Loop, city_admin: User, county_admin: User, reviewer: User) -> None:
    # when
    with pytest.raises(DomainError) as not_answered:
        services.rectification_verify(actor=city_admin, scope=scope_of(city_admin), number=loop.inspection.number,
                                      seq=1, close=True)
    answer(county_admin, loop.item)
    refusals = []
    for user in (county_admin, reviewer):
        with pytest.raises(DomainError) as error:
            services.rectification_verify(actor=user, scope=scope_of(user), number=loop.inspection.number, seq=1,
                                          close=True)
        refusals.append(error.value.kind)
    with pytest.raises(DomainError) as no_reason:
        services.rectification_verify(actor=city_admin, scope=scope_of(city_admin), number=loop.inspection.number,
                                      seq=1, close=False, comment="")
    # then
    assert not_answered.value.kind == ErrorKind.CONFLICT
    assert refusals == [ErrorKind.FORBIDDEN, ErrorKind.FORBIDDEN]
    assert (no_reason.value.field, no_reason.value.detail) == ("comment", "请填写退回理由")


def test_a_township_that_owes_an_item_sees_only_that_item(tree: Tree, city_admin: User) -> None:
    # given: an item owed by T1, inside the inspected county, and another owed by the county
    township_admin = factories.make_user("township_admin", admin_of=tree.township)
    finding = find(city_admin, plan(city_admin))
    issue(city_admin, finding)
    owed = issue(city_admin, finding, responsible="T1")
    # when
    from xuexi.supervision.access import access_inspection
    from xuexi.supervision.selectors import inspection_detail

    inspection = access_inspection(scope=scope_of(township_admin), number=owed.inspection.number)
    view = inspection_detail(scope=scope_of(township_admin), inspection=inspection, today=timezone.localdate())
    # then: no checklist of the county, only its own item; and it answers it
    assert view.targets == []
    assert [row.item.seq for row in view.rectifications] == [2]
    assert answer(township_admin, owed).status == RectificationStatus.ANSWERED
    with pytest.raises(DomainError) as other:
        answer(township_admin, owed.inspection.rectifications.get(seq=1))
    assert other.value.kind == ErrorKind.NOT_FOUND


def test_the_inspectors_are_never_told_to_answer_their_own_requirement(
        tree: Tree, city_admin: User, county_admin: User) -> None:
    # given: K2 and T1 have no administrators of their own; K2's parent is the inspecting city, T1's is K1
    inspection = plan(city_admin, inspected=["K1", "K2"])
    owed_by_k2 = issue(city_admin, find(city_admin, inspection, org="K2"), responsible="K2")
    issue(city_admin, find(city_admin, inspection), responsible="T1")
    # when
    remind(as_of=owed_by_k2.due_date + timedelta(days=1))
    # then: the county is told of T1's item and of its own inspection; the city of nothing it must answer
    told = set(Notification.objects.filter(kind__in=[NotificationKind.RECTIFICATION, NotificationKind.INSPECTION])
               .values_list("recipient__username", "key"))
    assert {username for username, _ in told} == {"county_admin"}
    assert len(told) == 3  # planned (K1), issued (T1), overdue (T1)


def test_nothing_is_half_stored_when_a_later_file_is_refused(tree: Tree, loop: Loop, county_admin: User) -> None:
    # when
    with pytest.raises(DomainError):
        answer(county_admin, loop.item, files=(("会议记录.pdf", PDF), ("坏.docx", b"not a document")))
    # then
    assert RectificationEvent.objects.filter(item=loop.item).count() == 1
    assert loop.item.__class__.objects.get(pk=loop.item.pk).status == RectificationStatus.OPEN
    assert not _audited("rectification_answer")


def test_checklist_items_stay_tied_to_their_inspection(tree: Tree, city_admin: User) -> None:
    # given: two inspections; an item id of the second named on the first
    first, second = plan(city_admin, number="DX-A"), plan(city_admin, number="DX-B")
    # when
    with pytest.raises(DomainError) as refused:
        services.finding_record(actor=city_admin, scope=scope_of(city_admin), number=first.number,
                                item_id=checklist_item(second).pk, text="问题")
    # then
    assert refused.value.code == "checklist_item_not_found"
