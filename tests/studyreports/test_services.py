"""述学 services and access: a member writes and submits, the organization above returns or reviews; every refusal."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from tests.conftest import Tree
from xuexi.accounts.models import AuditEvent, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.notices.models import Notification, NotificationKind
from xuexi.notices.services import remind
from xuexi.studyreports import services
from xuexi.studyreports.access import access_study_report
from xuexi.studyreports.errors import StudyReportError
from xuexi.studyreports.models import EventAction, Status, StudyReport

YEAR = 2025


def _scope(user: User) -> Scope:
    return Scope.for_user(user)


def _written(member: User, **fields: Any) -> StudyReport:
    values = {"year": YEAR, "period": "年度", "title": "我的述学", "body": "学习了党章和党史。", **fields}
    return services.study_report_save(actor=member, scope=_scope(member), **values)


def _submitted(member: User) -> StudyReport:
    report = _written(member)
    return services.study_report_submit(actor=member, scope=_scope(member), report_id=report.pk)


def _refused(call: Any, code: str, kind: ErrorKind = ErrorKind.INVALID) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call()
    assert (caught.value.code, caught.value.kind) == (code, kind)
    return caught.value


def test_a_member_submits_and_the_county_reviews_with_rating_and_comment(
        tree: Tree, member: User, county_admin: User) -> None:
    # given: an administrator of the branch as the nearest to be told
    branch_admin = factories.make_user("branch_admin", admin_of=tree.branch)
    report = _submitted(member)
    # when
    reviewed = services.study_report_review(actor=county_admin, scope=_scope(county_admin), report_id=report.pk,
                                            rating="优秀", comment="学得扎实。")
    # then
    assert (reviewed.status, reviewed.rating, reviewed.comment, reviewed.org_id) == (
        Status.REVIEWED, "优秀", "学得扎实。", tree.branch.pk)
    assert list(reviewed.events.values_list("action", flat=True)) == [EventAction.SUBMITTED, EventAction.REVIEWED]
    told = Notification.objects.filter(kind=NotificationKind.STUDY_REPORT)
    assert set(told.values_list("recipient__username", flat=True)) == {"branch_admin", "member"}
    assert branch_admin.notifications.get().title.startswith("王党员提交了")
    audited = AuditEvent.objects.filter(object_type="study_report").order_by("pk").values_list("action", flat=True)
    assert list(audited) == ["study_report_create", "study_report_submit", "study_report_review"]


def test_a_returned_report_is_mended_and_submitted_again_with_the_history_kept(
        tree: Tree, member: User, city_admin: User) -> None:
    # given
    report = _submitted(member)
    services.study_report_return(actor=city_admin, scope=_scope(city_admin), report_id=report.pk,
                                 comment="请联系工作实际。")
    # when
    services.study_report_edit(actor=member, scope=_scope(member), report_id=report.pk,
                               changes={"body": "学习党章，联系村里的工作。"})
    services.study_report_submit(actor=member, scope=_scope(member), report_id=report.pk)
    # then
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
    events = list(report.events.values_list("action", "body", "comment"))
    assert events == [("submitted", "学习了党章和党史。", ""), ("returned", "", "请联系工作实际。"),
                      ("submitted", "学习党章，联系村里的工作。", "")]


def test_every_refusal_changes_nothing(tree: Tree, member: User, cadre: User, county_admin: User,
                                       other_county_admin: User, reviewer: User) -> None:
    # given: the member's report submitted, and a cadre's report (of K1) submitted
    report = _submitted(member)
    before = StudyReport.objects.get(pk=report.pk)
    m, c = _scope(member), _scope(county_admin)
    # then: the author's side
    _refused(lambda: _written(county_admin), StudyReportError.NO_PERSON, ErrorKind.FORBIDDEN)
    _refused(lambda: _written(member, period="全年"), StudyReportError.INVALID)
    _refused(lambda: _written(member, year=1999), StudyReportError.INVALID)
    _refused(lambda: _written(member, year=YEAR + 5), StudyReportError.INVALID)
    _refused(lambda: _written(member, title="  "), StudyReportError.INVALID)
    _refused(lambda: _written(member, body="字" * 20_001), StudyReportError.INVALID)
    _refused(lambda: _written(member, call_id=999_999), StudyReportError.INVALID)
    _refused(lambda: _written(member), StudyReportError.LOCKED, ErrorKind.CONFLICT)
    _refused(lambda: services.study_report_edit(actor=member, scope=m, report_id=report.pk,
                                                changes={"body": "改"}), StudyReportError.LOCKED, ErrorKind.CONFLICT)
    _refused(lambda: services.study_report_edit(actor=member, scope=m, report_id=report.pk,
                                                changes={"status": "reviewed"}), StudyReportError.INVALID)
    empty = _written(member, period="上半年", body="")
    _refused(lambda: services.study_report_submit(actor=member, scope=m, report_id=empty.pk),
             StudyReportError.INCOMPLETE)
    # the reviewing side
    _refused(lambda: services.study_report_review(actor=county_admin, scope=c, report_id=report.pk, rating="满分"),
             StudyReportError.INVALID)
    _refused(lambda: services.study_report_return(actor=county_admin, scope=c, report_id=report.pk, comment=" "),
             StudyReportError.INVALID)
    _refused(lambda: services.study_report_review(actor=reviewer, scope=_scope(reviewer), report_id=report.pk,
                                                  rating="优秀"), StudyReportError.FORBIDDEN, ErrorKind.FORBIDDEN)
    _refused(lambda: services.study_report_review(actor=other_county_admin, scope=_scope(other_county_admin),
                                                  report_id=report.pk, rating="优秀"),
             StudyReportError.NOT_FOUND, ErrorKind.NOT_FOUND)
    _refused(lambda: services.study_report_review(actor=member, scope=m, report_id=report.pk, rating="优秀"),
             StudyReportError.FORBIDDEN, ErrorKind.FORBIDDEN)
    _refused(lambda: services.study_report_submit(actor=cadre, scope=_scope(cadre), report_id=report.pk),
             StudyReportError.NOT_FOUND, ErrorKind.NOT_FOUND)
    # a draft is its author's alone: to the administrators it does not exist
    _refused(lambda: services.study_report_review(actor=county_admin, scope=c, report_id=empty.pk, rating="优秀"),
             StudyReportError.NOT_FOUND, ErrorKind.NOT_FOUND)
    after = StudyReport.objects.get(pk=report.pk)
    assert (after.status, after.body, after.rating) == (before.status, before.body, before.rating)
    # and once reviewed, a second review finds nothing to review
    services.study_report_review(actor=county_admin, scope=c, report_id=report.pk, rating="良好")
    _refused(lambda: services.study_report_review(actor=county_admin, scope=c, report_id=report.pk, rating="优秀"),
             StudyReportError.NOTHING_TO_REVIEW, ErrorKind.CONFLICT)
    _refused(lambda: services.study_report_edit(actor=member, scope=m, report_id=report.pk,
                                                changes={"body": "改"}), StudyReportError.LOCKED, ErrorKind.CONFLICT)


@pytest.mark.parametrize(("role", "sees"), [
    ("member", True), ("county_admin", True), ("city_admin", True), ("province_admin", True), ("reviewer", True),
    ("other_county_admin", False), ("cadre", False), ("auditor", False),
])
def test_who_sees_a_submitted_report(tree: Tree, member: User, role: str, sees: bool,
                                     request: pytest.FixtureRequest) -> None:
    # given
    report = _submitted(member)
    viewer: User = request.getfixturevalue(role)
    # when
    found = True
    try:
        access_study_report(scope=_scope(viewer), report_id=report.pk)
    except DomainError as exc:
        assert exc.kind == ErrorKind.NOT_FOUND
        found = False
    # then
    assert found is sees


def test_an_administrator_who_is_the_author_does_not_review_their_own_report(tree: Tree) -> None:
    # given: CAD1 administers 丙县 and wrote a report there
    account = factories.make_user("cadre_admin", admin_of=tree.county, person=tree.cadre_person)
    report = _submitted(account)
    # then
    _refused(lambda: services.study_report_review(actor=account, scope=_scope(account), report_id=report.pk,
                                                  rating="优秀"), StudyReportError.FORBIDDEN, ErrorKind.FORBIDDEN)


def test_calls_are_made_by_administrators_once_per_period_and_audience(
        tree: Tree, county_admin: User, member: User, reviewer: User) -> None:
    # given
    c = _scope(county_admin)
    call = services.call_create(actor=county_admin, scope=c, org_code="K1", year=YEAR, period="年度",
                                who="全体党员", due_date=date(YEAR, 12, 20), title="丙县 2025 年度述学")
    # then: the member's report on the period follows it
    assert _written(member).call_id == call.pk
    _refused(lambda: services.call_create(actor=county_admin, scope=c, org_code="K1", year=YEAR, period="年度",
                                          who="全体党员", due_date=date(YEAR, 12, 20), title="重复"),
             StudyReportError.CALL_TAKEN, ErrorKind.CONFLICT)
    _refused(lambda: services.call_create(actor=county_admin, scope=c, org_code="K1", year=YEAR, period="年度",
                                          who="群众", due_date=date(YEAR, 12, 20), title="无效"),
             StudyReportError.INVALID)
    _refused(lambda: services.call_create(actor=reviewer, scope=_scope(reviewer), org_code="K1", year=YEAR,
                                          period="年度", who="领导干部", due_date=date(YEAR, 12, 20), title="无权"),
             "org_read_only", ErrorKind.FORBIDDEN)
    _refused(lambda: services.call_create(actor=member, scope=_scope(member), org_code="K1", year=YEAR,
                                          period="年度", who="领导干部", due_date=date(YEAR, 12, 20), title="无权"),
             "org_not_found", ErrorKind.NOT_FOUND)
    updated = services.call_update(actor=county_admin, scope=c, call_id=call.pk,
                                   changes={"due_date": date(YEAR, 12, 25), "title": "改后的标题"})
    assert (updated.due_date, updated.title) == (date(YEAR, 12, 25), "改后的标题")
    _refused(lambda: services.call_update(actor=county_admin, scope=c, call_id=call.pk, changes={"year": 2020}),
             StudyReportError.INVALID)


def test_the_reminder_comes_a_week_and_a_day_before_to_those_not_reported(
        tree: Tree, member: User, cadre: User) -> None:
    # given: a call for everyone of 丙县, due on 20 December; the cadre has submitted, the member has not
    call = services.call_create(actor=None, scope=whole_tree_scope(), org_code="K1", year=YEAR, period="年度",
                                who="全体党员", due_date=date(YEAR, 12, 20), title="丙县述学")
    _submitted(cadre)
    # when
    early = remind(as_of=date(YEAR, 12, 12))
    week = remind(as_of=date(YEAR, 12, 13))
    again = remind(as_of=date(YEAR, 12, 13))
    day = remind(as_of=date(YEAR, 12, 19))
    # then
    assert [r.created[NotificationKind.STUDY_REPORT] for r in (early, week, again, day)] == [0, 1, 0, 1]
    keys = Notification.objects.filter(kind=NotificationKind.STUDY_REPORT, recipient=member).values_list("key",
                                                                                                      flat=True)
    assert sorted(keys) == [f"study-report-due:{call.pk}:{YEAR}-12-20:1", f"study-report-due:{call.pk}:{YEAR}-12-20:7"]
