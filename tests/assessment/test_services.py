"""评学 and 奖惩 services: the rules, the refusals, all-or-nothing, read-only once closed, audited."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from tests.assessment.world import YEAR, city_scope, province_scope, review_evaluation
from tests.conftest import Tree
from tests.supervision.conftest import find, plan
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope
from xuexi.assessment import services
from xuexi.assessment.models import DemocraticReview, EvaluationStatus, Penalty, SanctionEvidence
from xuexi.cli import main
from xuexi.errors import DomainError, ErrorKind
from xuexi.exchange.files import write_xlsx
from xuexi.notices.models import Notification, NotificationKind

PDF = b"%PDF-1.4\n%%EOF\n"
pytestmark = pytest.mark.django_db


def _scope(user: User) -> Scope:
    return Scope.for_user(user)


@pytest.mark.parametrize(("votes", "grade"), [
    ((5, 3, 0, 0), "优秀"), ((3, 3, 1, 0), "合格"), ((0, 2, 2, 0), "基本合格"), ((0, 1, 1, 5), "基本合格"),
    ((0, 0, 0, 0), ""),
])
def test_the_votes_give_the_plurality_a_tie_the_lower_grade_and_never_unqualified(votes: tuple[int, ...],
                                                                                  grade: str) -> None:
    assert services.default_grade(votes) == grade


def test_votes_are_recorded_and_the_organization_decides_unqualified_with_a_reason(tree: Tree) -> None:
    # given
    evaluation = review_evaluation()
    # when
    services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, entries=[
        services.ReviewInput("CAD1", (1, 6, 0, 0)),
        services.ReviewInput("MEM1", (0, 1, 1, 5), grade="不合格", note="长期不参加组织生活")])
    # then
    grades = dict(DemocraticReview.objects.values_list("person__number", "grade"))
    assert grades == {"CAD1": "合格", "MEM1": "不合格"}
    assert DemocraticReview.objects.get(person__number="MEM1").decided
    assert AuditEvent.objects.filter(action="review_record", object_id=str(evaluation.pk)).exists()


def test_a_bad_entry_stores_nothing_and_names_the_row_column_and_value(tree: Tree) -> None:
    # given
    evaluation = review_evaluation()
    # when: a good row, a member of another city, and 不合格 without a reason
    with pytest.raises(DomainError) as refused:
        services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, entries=[
            services.ReviewInput("CAD1", (1, 6, 0, 0)), services.ReviewInput("MEM2", (1, 0, 0, 0)),
            services.ReviewInput("MEM1", (0, 0, 0, 3), grade="不合格")])
    # then
    assert "第 2 行“人员编号”列：值“MEM2”" in refused.value.detail
    assert "第 3 行“说明”列" in refused.value.detail
    assert not DemocraticReview.objects.exists()


def test_closing_checks_the_excellent_cap_then_the_evaluation_is_read_only(tree: Tree) -> None:
    # given: both members 优秀, the cap 50%
    evaluation = review_evaluation(cap=50)
    services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, entries=[
        services.ReviewInput("CAD1", (5, 0, 0, 0)), services.ReviewInput("MEM1", (5, 1, 0, 0))])
    # when / then: refused over the cap
    with pytest.raises(DomainError) as over:
        services.evaluation_close(actor=None, scope=city_scope(), evaluation_id=evaluation.pk)
    assert "占参评 2 人的 100.0%，超过优秀比例上限 50%" in over.value.detail
    # when: the organization decides one 合格, and closes
    services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, entries=[
        services.ReviewInput("MEM1", (5, 1, 0, 0), grade="合格")])
    closed = services.evaluation_close(actor=None, scope=city_scope(), evaluation_id=evaluation.pk)
    # then
    assert closed.status == EvaluationStatus.CLOSED
    with pytest.raises(DomainError) as read_only:
        services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk,
                                entries=[services.ReviewInput("CAD1", (0, 5, 0, 0))])
    assert read_only.value.kind == ErrorKind.CONFLICT


def test_the_level_below_and_a_reviewer_cannot_change_an_evaluation(tree: Tree, county_admin: User,
                                                                     reviewer: User, other_county_admin: User) -> None:
    evaluation = review_evaluation()
    entries = [services.ReviewInput("CAD1", (1, 0, 0, 0))]
    for user, kind in ((county_admin, ErrorKind.NOT_FOUND), (other_county_admin, ErrorKind.NOT_FOUND),
                       (reviewer, ErrorKind.FORBIDDEN)):
        with pytest.raises(DomainError) as refused:
            services.reviews_record(actor=user, scope=_scope(user), evaluation_id=evaluation.pk, entries=entries)
        assert refused.value.kind == kind
    assert not DemocraticReview.objects.exists()


def _sheet(rows: list[list[object]]) -> bytes:
    return write_xlsx(services.REVIEW_HEADERS, rows)


def test_the_import_stores_all_rows_or_none_and_the_export_reads_back(tree: Tree) -> None:
    # given
    evaluation = review_evaluation()
    bad = _sheet([["CAD1", "", "", 1, 6, 0, 0, "", ""], ["MEM1", "", "", "三", 1, 0, 0, "", ""],
                  ["NOBODY", "", "", 0, 0, 0, 0, "良好", ""]])
    # when
    refused = services.reviews_import(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, data=bad,
                                      filename="票数.xlsx")
    # then: nothing stored, each bad cell named
    assert not refused.stored and not DemocraticReview.objects.exists()
    shown = [str(e) for e in refused.errors]
    assert "第 3 行“优秀票”列：值“三”，应为不小于 0 的整数票数" in shown
    assert any(s.startswith("第 4 行“人员编号”列：值“NOBODY”") for s in shown)
    assert any(s.startswith("第 4 行“评定等次”列：值“良好”") for s in shown)
    # when: the corrected file
    good = _sheet([["CAD1", "", "", 1, 6, 0, 0, "", ""], ["MEM1", "", "", 3, 1, 0, 0, "", ""]])
    stored = services.reviews_import(actor=None, scope=city_scope(), evaluation_id=evaluation.pk, data=good,
                                     filename="票数.xlsx")
    # then
    assert stored.stored and stored.created == 2
    _, data = services.evaluation_export(actor=None, scope=city_scope(), evaluation_id=evaluation.pk)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == services.REVIEW_HEADERS
    assert [(r[0], r[3], r[4], r[7]) for r in rows[1:]] == [("CAD1", 1, 6, "合格"), ("MEM1", 3, 1, "优秀")]
    assert AuditEvent.objects.filter(action="review_import", outcome="failure").count() == 1


def test_only_the_province_sets_weights_summing_to_100(tree: Tree, city_admin: User) -> None:
    # when / then
    with pytest.raises(DomainError) as forbidden:
        services.weights_save(actor=city_admin, scope=_scope(city_admin), year=YEAR, values={"norms_weight": 40})
    assert forbidden.value.kind == ErrorKind.FORBIDDEN
    with pytest.raises(DomainError) as wrong:
        services.weights_save(actor=None, scope=province_scope(), year=YEAR, values={"norms_weight": 50})
    assert "四项权重之和为 110" in wrong.value.detail
    row = services.weights_save(actor=None, scope=province_scope(), year=YEAR,
                                values={"norms_weight": 50, "exams_weight": 10, "rating_good": 80})
    assert (row.norms_weight, row.exams_weight, row.rating_good) == (50, 10, 80)
    assert AuditEvent.objects.filter(action="weights_save", object_id=str(YEAR)).count() == 1


def test_a_city_commends_a_member_below_it_with_evidence_and_tells_the_admins(tree: Tree, city_admin: User,
                                                                             county_admin: User) -> None:
    # when
    commendation = services.commendation_grant(
        actor=city_admin, scope=_scope(city_admin), files=[services.EvidenceFile("表彰决定.pdf", PDF)],
        data=services.SanctionInput(kind="学习标兵", granted_by_code="C1", reason="学习成效突出",
                                    date=timezone.localdate(), person_number="MEM1"))
    # then
    assert commendation.org.code == "B1" and commendation.person.number == "MEM1"
    assert SanctionEvidence.objects.filter(commendation=commendation, name="表彰决定.pdf").exists()
    assert AuditEvent.objects.filter(action="commendation_grant", object_id=str(commendation.pk)).exists()
    assert Notification.objects.filter(recipient=county_admin, kind=NotificationKind.SANCTION).exists()


def test_a_commendation_is_refused_outside_the_granting_subtree_or_for_the_wrong_subject(
        tree: Tree, county_admin: User) -> None:
    scope = _scope(county_admin)
    with pytest.raises(DomainError) as outside:
        services.commendation_grant(actor=county_admin, scope=scope, data=services.SanctionInput(
            kind="先进集体", granted_by_code="K1", reason="好", date=timezone.localdate(), org_code="K2"))
    assert "组织编码 K2 不存在，或不是中共丙县委员会及其下级组织" in outside.value.detail
    with pytest.raises(DomainError) as collective:
        services.commendation_grant(actor=county_admin, scope=scope, data=services.SanctionInput(
            kind="先进集体", granted_by_code="K1", reason="好", date=timezone.localdate(), person_number="MEM1"))
    assert collective.value.field == "person_number"


def test_a_rectification_by_deadline_follows_an_inspection_finding_and_is_marked_done(
        tree: Tree, city_admin: User) -> None:
    # given
    inspection = plan(city_admin)
    finding = find(city_admin, inspection)
    scope, today = _scope(city_admin), timezone.localdate()
    data = services.SanctionInput(kind="限期整改", granted_by_code="C1", reason="中心组学习不落实", date=today,
                                  org_code="K1", inspection_number=inspection.number, finding_id=finding.pk)
    # when / then: a deadline is required
    with pytest.raises(DomainError) as no_deadline:
        services.penalty_grant(actor=city_admin, scope=scope, data=data)
    assert no_deadline.value.field == "deadline"
    penalty = services.penalty_grant(actor=city_admin, scope=scope, data=services.SanctionInput(
        **{**data.__dict__, "deadline": today + timedelta(days=30)}))
    assert penalty.finding == finding and penalty.rectify_status == "open"
    done = services.penalty_rectified(actor=city_admin, scope=scope, penalty_id=penalty.pk, note="已补课")
    assert done.rectify_status == "done"
    assert Penalty.objects.get(pk=penalty.pk).rectified_at is not None


def test_a_penalty_of_a_person_by_circulated_criticism_needs_no_deadline(tree: Tree) -> None:
    penalty = services.penalty_grant(actor=None, scope=province_scope(), data=services.SanctionInput(
        kind="通报批评", granted_by_code="P", reason="考试作弊", date=date(YEAR, 6, 1), person_number="MEM2"))
    assert penalty.org.code == "K3" and penalty.deadline is None and penalty.rectify_status == ""


def test_the_command_line_exports_an_evaluation_or_says_it_is_missing(tree: Tree, tmp_path: Path) -> None:
    # given
    evaluation = review_evaluation()
    services.reviews_record(actor=None, scope=city_scope(), evaluation_id=evaluation.pk,
                            entries=[services.ReviewInput("CAD1", (1, 6, 0, 0))])
    target = tmp_path / "评议.xlsx"
    # when
    status = main(["assessment", "export", "--evaluation", str(evaluation.pk), "--output", str(target)])
    # then
    assert status == 0
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert rows[1][0] == "CAD1" and rows[1][7] == "合格"
    assert main(["assessment", "export", "--evaluation", "999999"]) == 1
