"""成果转化 services and access: what an outcome must say, where it may come from, and who may record it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import Tree
from tests.outcomes.world import DAY, THIS_YEAR, activity, fields, record
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden, NotFound
from xuexi.outcomes import selectors, services
from xuexi.outcomes.access import access_outcome
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.models import Outcome, OutcomeAttachment

PDF = b"%PDF-1.4\n%%EOF\n"


def test_a_county_admin_records_a_research_report_from_grassroots_research(tree: Tree, county_admin: User) -> None:
    # given
    activity("R1")
    scope = Scope.for_user(county_admin)
    # when
    outcome = services.outcome_create(actor=county_admin, scope=scope, org_code="K1",
                                      fields=fields(activity_numbers=["R1"], author_numbers=["CAD1", "MEM1"]))
    # then
    assert outcome.number == f"K1-CG{THIS_YEAR}-001"
    assert [a.number for a in outcome.activities.all()] == ["R1"]
    assert sorted(p.number for p in outcome.authors.all()) == ["CAD1", "MEM1"]
    assert outcome.created_by == "county_admin" and outcome.get_status_display() == "已登记"
    event = AuditEvent.objects.get(action="outcome_create", object_id=outcome.number)
    assert '"activities": ["R1"]' in event.detail


def test_numbers_follow_on_within_an_organization_and_a_year(tree: Tree) -> None:
    # given
    record("K1")
    # when
    second, elsewhere = record("K1"), record("K2")
    # then
    assert second.number == f"K1-CG{THIS_YEAR}-002"
    assert elsewhere.number == f"K2-CG{THIS_YEAR}-001"


def test_a_research_report_from_a_training_is_refused_naming_the_activity(tree: Tree, county_admin: User) -> None:
    # given
    activity("R1")
    activity("T9", kind="培训")
    scope = Scope.for_user(county_admin)
    # when
    with pytest.raises(DomainError) as caught:
        services.outcome_create(actor=county_admin, scope=scope, org_code="K1",
                                fields=fields(activity_numbers=["R1", "T9"]))
    # then
    assert caught.value.code == OutcomeError.ACTIVITY_REFUSED
    assert caught.value.field == "activity_numbers"
    assert caught.value.detail == "来源活动 T9（培训T9）是培训：调研报告应来自专题调研或调查研究活动"
    assert not Outcome.objects.exists()


def test_a_proposal_may_come_from_any_activity(tree: Tree, county_admin: User) -> None:
    activity("T9", kind="培训")
    outcome = services.outcome_create(actor=county_admin, scope=Scope.for_user(county_admin), org_code="K1",
                                      fields=fields(kind="决策建议", adoption="待采纳", activity_numbers=["T9"]))
    assert [a.number for a in outcome.activities.all()] == ["T9"]


def test_an_activity_outside_the_scope_reads_as_a_missing_one(tree: Tree, county_admin: User) -> None:
    # given: K3's activity exists, ZZ1 does not
    activity("FAR1", host="K3")
    scope = Scope.for_user(county_admin)
    # when
    with pytest.raises(DomainError) as outside:
        record("K1", scope=scope, activity_numbers=["FAR1"])
    with pytest.raises(DomainError) as missing:
        record("K1", scope=scope, activity_numbers=["ZZ1"])
    # then
    assert outside.value.detail == "来源活动编号 FAR1 不存在：应为您管理范围内已登记的学习活动"
    assert outside.value.detail.replace("FAR1", "ZZ1") == missing.value.detail


def test_an_outcome_is_not_older_than_the_activity_it_came_from(tree: Tree) -> None:
    activity("R1", day=DAY)
    says = r"来源活动 R1（调查研究R1）开始于 .*，晚于成果日期 .*：成果应形成于来源活动之后$"
    with pytest.raises(DomainError, match=says):
        record(date=DAY - timedelta(days=1), activity_numbers=["R1"])


def test_an_author_must_belong_to_the_organization_or_below(tree: Tree, province_admin: User) -> None:
    with pytest.raises(DomainError) as caught:
        record("K1", scope=Scope.for_user(province_admin), author_numbers=["MEM2"])
    assert caught.value.field == "author_numbers"
    assert caught.value.detail == "执笔人 MEM2（赵党员）属于中共戊县委员会：应为中共丙县委员会或其下级组织的人员"


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"kind": "成果"}, "kind", "成果类别“成果”无效：应为调研报告、决策建议、内参、媒体报道、典型经验之一"),
        ({"title": " "}, "title", "请填写标题：应为不超过 300 个字符的标题"),
        ({"date": DAY + timedelta(days=1)}, "date", "应为 2000-01-01 至今天"),
        ({"kind": "决策建议"}, "adoption", "请填写采纳情况：应为待采纳、已采纳、部分采纳、未采纳之一"),
        ({"kind": "决策建议", "adoption": "已采纳"}, "decision_name",
         "请填写决策名称/文号：已采纳的决策建议应填写采纳它的决策名称或文号"),
        ({"kind": "决策建议", "adoption": "已采纳", "decision_name": "吉发〔2025〕3号"}, "decision_date",
         "请填写决策日期"),
        ({"kind": "决策建议", "adoption": "未采纳", "decision_name": "吉发〔2025〕3号"}, "decision_name",
         "采纳情况为未采纳时决策名称/文号应留空"),
        ({"adoption": "已采纳"}, "adoption", "只有决策建议填写采纳情况，调研报告应留空"),
        ({"kind": "媒体报道"}, "outlet", "请填写媒体：媒体报道应填写刊发的媒体名称"),
        ({"kind": "媒体报道", "outlet": "吉林日报", "link": "javascript:alert(1)"}, "link",
         "链接“javascript:alert(1)”无效：应为 http:// 或 https:// 开头的网址"),
        ({"kind": "内参", "outlet": "吉林日报"}, "outlet", "只有媒体报道填写媒体，内参应留空"),
    ],
)
def test_what_an_outcome_must_say_is_refused_naming_the_field(
        tree: Tree, overrides: dict[str, object], field: str, says: str) -> None:
    with pytest.raises(DomainError) as caught:
        record(**overrides)
    assert caught.value.field == field
    assert says in caught.value.detail
    assert not Outcome.objects.exists()


def test_an_adopted_proposal_keeps_its_decision(tree: Tree) -> None:
    outcome = record(kind="决策建议", adoption="部分采纳", decision_name="吉发〔2025〕3号", decision_date=DAY)
    assert outcome.adopted and outcome.decision_name == "吉发〔2025〕3号"


def test_a_media_report_keeps_its_outlet_and_link(tree: Tree) -> None:
    outcome = record(kind="媒体报道", outlet="吉林日报", link="https://example.cn/a.html")
    assert (outcome.outlet, outcome.link) == ("吉林日报", "https://example.cn/a.html")


# -- who may record, read and change -----------------------------------------------------------------
def test_a_reviewer_reads_but_may_not_record(tree: Tree, reviewer: User) -> None:
    # given
    outcome = record("K1")
    scope = Scope.for_user(reviewer)
    # when / then
    assert access_outcome(scope=scope, number=outcome.number) == outcome
    with pytest.raises(Forbidden):
        record("K1", scope=scope)
    with pytest.raises(Forbidden):
        services.outcome_update(actor=reviewer, scope=scope, number=outcome.number, fields=fields(title="改"))


def test_another_county_gets_not_found_for_the_outcome_and_the_organization(
        tree: Tree, other_county_admin: User) -> None:
    # given
    outcome = record("K1")
    scope = Scope.for_user(other_county_admin)
    # when / then
    with pytest.raises(NotFound) as seen:
        access_outcome(scope=scope, number=outcome.number)
    with pytest.raises(NotFound) as missing:
        access_outcome(scope=scope, number="ZZ-CG2025-001")
    assert seen.value.detail.replace(outcome.number, "ZZ-CG2025-001") == missing.value.detail
    with pytest.raises(NotFound):
        record("K1", scope=scope)
    with pytest.raises(NotFound):
        services.outcome_update(actor=other_county_admin, scope=scope, number=outcome.number, fields=fields())


def test_an_edit_keeps_the_sources_the_editor_cannot_see(tree: Tree, city_admin: User, county_admin: User) -> None:
    # given: the city linked its own research and the county's
    activity("CITY1", host="C1")
    activity("R1")
    activity("R2")
    outcome = record("K1", scope=Scope.for_user(city_admin), activity_numbers=["CITY1", "R1"])
    county = Scope.for_user(county_admin)
    # when: the county, who sees only R1, replaces it with R2
    services.outcome_update(actor=county_admin, scope=county, number=outcome.number,
                            fields=fields(title="修改后的调研报告", activity_numbers=["R2"]))
    # then
    assert sorted(a.number for a in outcome.activities.all()) == ["CITY1", "R2"]
    visible, hidden = selectors.outcome_sources(scope=county, outcome=outcome)
    assert [a.number for a in visible] == ["R2"] and hidden == 1
    event = AuditEvent.objects.get(action="outcome_update", object_id=outcome.number)
    assert '"changed": ["title"]' in event.detail


# -- files ---------------------------------------------------------------------------------------------
def test_a_file_is_kept_checked_and_removed_as_evidence(tree: Tree, county_admin: User) -> None:
    # given
    outcome = record("K1")
    scope = Scope.for_user(county_admin)
    # when
    kept = services.outcome_attachment_add(actor=county_admin, scope=scope, number=outcome.number,
                                           name="调研报告.pdf", data=PDF)
    with pytest.raises(DomainError, match=r"“报告\.docx”的内容是PDF 文档，与扩展名“\.docx”不符"):
        services.outcome_attachment_add(actor=county_admin, scope=scope, number=outcome.number,
                                        name="报告.docx", data=PDF)
    services.outcome_attachment_remove(actor=county_admin, scope=scope, number=outcome.number,
                                       attachment_id=kept.pk)
    # then
    assert kept.content_type == "application/pdf"
    assert OutcomeAttachment.objects.filter(outcome=outcome).count() == 1
    assert not selectors.outcome_attachments(outcome=outcome).exists()
    with pytest.raises(NotFound):
        selectors.attachment_for_download(scope=scope, number=outcome.number, attachment_id=kept.pk)
