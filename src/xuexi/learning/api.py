from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind
from xuexi.learning import selectors, services
from xuexi.learning.access import access_activity
from xuexi.learning.errors import LearningError
from xuexi.learning.ledger import default_rules
from xuexi.learning.models import Activity, ActivityKind, Attendance, ClaimStatus, CreditRule, LearningClaim
from xuexi.learning.schemas import (
    ActivityCreateIn,
    ActivityDetailOut,
    ActivityIn,
    ActivityOut,
    ActivityPage,
    ArchiveAreaOut,
    ArchiveEntryOut,
    ArchiveKindOut,
    ArchiveOut,
    AttendanceBatchIn,
    AttendanceOut,
    AttendancePage,
    AttendanceRecordedOut,
    ClaimIn,
    ClaimOut,
    ClaimPage,
    CreditRuleIn,
    CreditRuleOut,
    DecisionIn,
)
from xuexi.orgs.access import access_org
from xuexi.pagination import paginate
from xuexi.people.access import access_person

# Mounted at the root of the API: its paths (/activities, /claims, /credit-rules and
# /people/{number}/archive, which the people router does not hold) read as the domain's nouns.
router = Router(tags=["学习记录"])


class ActivityQuery(Schema):
    org: str = ""  # an organization code: the activities its subtree hosted
    direct_only: bool = False
    kind: str = ""
    since: date | None = None
    until: date | None = None
    search: str = ""  # part of the topic
    page: int = 1
    page_size: int = 50


class AttendanceQuery(Schema):
    status: str = ""  # 出席、缺席、请假
    page: int = 1
    page_size: int = 50


class ArchiveQuery(Schema):
    year: int | None = Field(default=None, ge=1949, le=2100)  # the current year when absent


class ClaimQuery(Schema):
    status: str = ""  # pending, certified, refused
    org: str = ""  # an organization code: claims of the people in its subtree
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _number_or_none(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _activity_out(activity: Activity) -> ActivityOut:
    return ActivityOut(
        number=activity.number, kind=activity.kind, host_code=activity.host.code, host_name=activity.host.name,
        start_date=activity.start_date, end_date=activity.end_date, hours=_number_or_none(activity.hours),
        topic=activity.topic, training_type=activity.training_type, off_job=activity.off_job,
        speaker=activity.speaker, venue=activity.venue,
        content_areas=[row.area for row in activity.area_rows.all()],
    )


def _activity_detail(scope: Scope, number: str) -> ActivityDetailOut:
    activity = access_activity(scope=scope, number=number)
    return ActivityDetailOut(
        **_activity_out(activity).model_dump(),
        speaker_number=activity.speaker_person.number if activity.speaker_person else None,
        campaign_code=activity.campaign.code if activity.campaign else None,
        created_at=activity.created_at, updated_at=activity.updated_at,
        attendance=selectors.attendance_counts(activity=activity),
    )


def _activity_input(number: str, payload: ActivityIn) -> services.ActivityInput:
    fields = payload.model_dump(exclude={"number"})
    return services.ActivityInput(number=number, **fields)


def _attendance_out(row: Attendance) -> AttendanceOut:
    return AttendanceOut(
        person_number=row.person.number, person_name=row.person.name, org_code=row.person.org.code,
        org_name=row.person.org.name, status=row.status, hours=_number_or_none(row.hours),
        days=_number_or_none(row.days), recorded_at=row.recorded_at,
    )


def _claim_out(claim: LearningClaim) -> ClaimOut:
    return ClaimOut(
        id=claim.pk, person_number=claim.person.number, person_name=claim.person.name,
        org_code=claim.person.org.code, org_name=claim.person.org.name, kind=claim.kind, title=claim.title,
        start_date=claim.start_date, end_date=claim.end_date, hours=float(claim.hours), days=float(claim.days),
        off_job=claim.off_job, evidence=claim.evidence, status=claim.status,
        status_label=claim.get_status_display(), submitted_at=claim.submitted_at, decided_at=claim.decided_at,
        decided_by=claim.decided_by, refusal_reason=claim.refusal_reason,
    )


def _rule_out(kind: str, rule: CreditRule | None) -> CreditRuleOut:
    if rule is None:
        return CreditRuleOut(kind=kind, hours_per_session=0, hours_per_day=None, updated_at=None, updated_by="")
    return CreditRuleOut(kind=kind, hours_per_session=float(rule.hours_per_session),
                         hours_per_day=_number_or_none(rule.hours_per_day), updated_at=rule.updated_at,
                         updated_by=rule.updated_by)


# -- activities ------------------------------------------------------------------------------------
@router.get("/activities", response=ActivityPage, summary="学习活动列表")
def activity_list(request: HttpRequest, query: Query[ActivityQuery]) -> ActivityPage:
    scope = _scope(request)
    host_path = access_org(scope=scope, code=query.org).path if query.org else ""
    filters = selectors.ActivityFilters(host_path=host_path, direct_only=query.direct_only, kind=query.kind,
                                        since=query.since, until=query.until, search=query.search)
    page = paginate(selectors.activity_list(scope=scope, filters=filters), page=query.page,
                    page_size=query.page_size)
    prefetch_related_objects(page.items, "area_rows")
    return ActivityPage(count=page.count, page=page.page, page_size=page.page_size,
                        items=[_activity_out(a) for a in page.items])


@router.get("/activities/{number}", response=ActivityDetailOut, summary="学习活动详情（含各出勤状态人数）")
def activity_detail(request: HttpRequest, number: str) -> ActivityDetailOut:
    return _activity_detail(_scope(request), number)


@router.post("/activities", response={201: ActivityDetailOut}, summary="登记学习活动")
def activity_create(request: HttpRequest, payload: ActivityCreateIn) -> Status[ActivityDetailOut]:
    scope = _scope(request)
    # activity_save changes an activity that already has the number; a POST only ever records a new one.
    if selectors.activity_list(scope=scope).filter(number=payload.number).exists():
        raise DomainError(LearningError.NUMBER_TAKEN, f"活动编号 {payload.number} 已被使用", field="number",
                          kind=ErrorKind.CONFLICT)
    activity = services.activity_save(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                      data=_activity_input(payload.number, payload))
    return Status(201, _activity_detail(scope, activity.number))


@router.put("/activities/{number}", response=ActivityDetailOut, summary="修改学习活动")
def activity_update(request: HttpRequest, number: str, payload: ActivityIn) -> ActivityDetailOut:
    scope = _scope(request)
    access_activity(scope=scope, number=number, write=True)
    activity = services.activity_save(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                      data=_activity_input(number, payload))
    return _activity_detail(scope, activity.number)


@router.get("/activities/{number}/attendance", response=AttendancePage, summary="参加记录")
def attendance_list(request: HttpRequest, number: str, query: Query[AttendanceQuery]) -> AttendancePage:
    activity = access_activity(scope=_scope(request), number=number)
    page = paginate(selectors.activity_attendance(activity=activity, status=query.status), page=query.page,
                    page_size=query.page_size)
    return AttendancePage(count=page.count, page=page.page, page_size=page.page_size,
                          items=[_attendance_out(row) for row in page.items])


@router.post("/activities/{number}/attendance", response=AttendanceRecordedOut,
             summary="登记参加记录（批量；再次登记同一人员时更新）")
def attendance_record(request: HttpRequest, number: str, payload: AttendanceBatchIn) -> AttendanceRecordedOut:
    scope = _scope(request)
    entries = [services.AttendanceInput(**entry.model_dump()) for entry in payload.entries]
    recorded = services.attendance_record(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                          activity_number=number, entries=entries)
    activity = access_activity(scope=scope, number=number)
    return AttendanceRecordedOut(activity_number=activity.number, recorded=recorded,
                                 attendance=selectors.attendance_counts(activity=activity))


# -- a person's archive ----------------------------------------------------------------------------
@router.get("/people/{number}/archive", response=ArchiveOut,
            summary="学习档案（一年的每条记录、合计、按类型和内容汇总）")
def person_archive(request: HttpRequest, number: str, query: Query[ArchiveQuery]) -> ArchiveOut:
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    year = query.year or timezone.localdate().year
    archive = selectors.person_archive(scope=scope, person=person, year=year)
    return ArchiveOut(
        person_number=person.number, person_name=person.name, org_code=person.org.code, org_name=person.org.name,
        year=year, total_hours=float(archive.total_hours), total_days=float(archive.total_days),
        entries=[
            ArchiveEntryOut(source=e.source, reference=e.reference, kind=e.kind, title=e.title, date=e.start_date,
                            hours=float(e.hours), days=float(e.days), off_job=e.off_job,
                            content_areas=list(e.content_areas), counted=e.counted, reason=e.reason)
            for e in archive.entries
        ],
        by_kind=[ArchiveKindOut(kind=kind, hours=float(hours), days=float(days))
                 for kind, (hours, days) in archive.by_kind().items()],
        by_area=[ArchiveAreaOut(area=area, hours=float(hours)) for area, hours in archive.by_area().items()],
    )


# -- claims ----------------------------------------------------------------------------------------
@router.get("/claims", response=ClaimPage, summary="学时申报列表（本人的，或管理范围内人员的）")
def claim_list(request: HttpRequest, query: Query[ClaimQuery]) -> ClaimPage:
    scope = _scope(request)
    scope.require_business_data()
    if query.status and query.status not in ClaimStatus.values:
        raise DomainError(LearningError.INVALID,
                          f"状态“{query.status}”无效，应为 {'、'.join(ClaimStatus.values)} 之一", field="status")
    org_path = access_org(scope=scope, code=query.org).path if query.org else ""
    page = paginate(selectors.claim_list(scope=scope, status=query.status, org_path=org_path), page=query.page,
                    page_size=query.page_size)
    return ClaimPage(count=page.count, page=page.page, page_size=page.page_size,
                     items=[_claim_out(c) for c in page.items])


@router.post("/claims", response={201: ClaimOut}, summary="申报本人学时（待所在组织认定）")
def claim_submit(request: HttpRequest, payload: ClaimIn) -> Status[ClaimOut]:
    scope = _scope(request)
    scope.require_business_data()
    claim = services.claim_submit(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                  **payload.model_dump())
    return Status(201, _claim_out(selectors.claim_list(scope=scope).get(pk=claim.pk)))


@router.post("/claims/{claim_id}/decision", response=ClaimOut, summary="认定或不予认定学时申报")
def claim_decide(request: HttpRequest, claim_id: int, payload: DecisionIn) -> ClaimOut:
    claim = services.claim_decide(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                  claim_id=claim_id, certify=payload.certify, reason=payload.reason)
    return _claim_out(claim)


# -- 学时认定规则 ----------------------------------------------------------------------------------
@router.get("/credit-rules", response=list[CreditRuleOut], summary="学时认定规则（每种活动类型的默认学时）")
def credit_rule_list(request: HttpRequest) -> list[CreditRuleOut]:
    _scope(request).require_business_data()
    rules = default_rules()
    return [_rule_out(kind, rules.get(kind)) for kind in ActivityKind.values]


@router.put("/credit-rules/{kind}", response=CreditRuleOut, summary="设置学时认定规则（省级组织管理员）")
def credit_rule_set(request: HttpRequest, kind: str, payload: CreditRuleIn) -> CreditRuleOut:
    scope = _scope(request)
    scope.require_business_data()
    rule = services.credit_rule_set(actor=request.auth, scope=scope, kind=kind,  # type: ignore[attr-defined]
                                    hours_per_session=payload.hours_per_session,
                                    hours_per_day=payload.hours_per_day)
    return _rule_out(rule.kind, rule)
