"""制度要求 over HTTP: the rules and their versions, compliance rows of a subtree or a subject, exemptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError
from xuexi.norms import selectors, services
from xuexi.norms.access import access_rule
from xuexi.norms.engine import STATUS_LABELS, Row
from xuexi.norms.errors import NormsError
from xuexi.norms.models import Exemption, RuleVersion
from xuexi.norms.schemas import (
    CompliancePage,
    ComplianceRowOut,
    EvidenceOut,
    ExemptionIn,
    ExemptionOut,
    ExemptionPage,
    ExplainedRowOut,
    RuleCreateIn,
    RuleDetailOut,
    RuleOut,
    RulePage,
    RuleTermsIn,
    RuleVersionIn,
    RuleVersionOut,
    SubjectComplianceOut,
)
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.orgs.selectors import org_roots
from xuexi.pagination import MAX_PAGE_SIZE, paginate
from xuexi.people.access import access_person
from xuexi.people.models import Person

# Mounted at the root of the API: its paths (/rules, /compliance, /exemptions) read as the domain's nouns.
router = Router(tags=["制度要求"])


class PageQuery(Schema):
    page: int = 1
    page_size: int = 50


class ComplianceQuery(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)  # the current year when absent
    org: str = ""  # an organization code: its subtree; by default the outermost organizations of the scope
    rule: str = ""  # a rule code
    as_of: date | None = None  # the day of the evaluation; today (Asia/Shanghai) when absent
    status: str = ""  # met, missed, in_progress, exempt
    page: int = 1
    page_size: int = 50


class YearQuery(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)  # the current year when absent


class ExemptionQuery(Schema):
    rule: str = ""  # a rule code
    period: str = ""  # 2025, 2025-Q1, 2021-2025
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# -- rules -----------------------------------------------------------------------------------------
def _version_out(version: RuleVersion) -> RuleVersionOut:
    return RuleVersionOut(
        effective_from=version.effective_from, name=version.name, source=version.source, enabled=version.enabled,
        subject_type=version.subject_type, metric=version.metric, kinds=version.kinds,
        off_job_only=version.off_job_only, training_type=version.training_type, org_levels=version.org_levels,
        org_kinds=version.org_kinds, org_sectors=version.org_sectors,
        central_group_only=version.central_group_only, with_parent_only=version.with_parent_only,
        person_ranks=version.person_ranks, person_leader_posts=version.person_leader_posts,
        person_groups=version.person_groups, period=version.period, window_years=version.window_years,
        required=_number(version.required),
        sector_required={sector: _number(Decimal(figure)) for sector, figure in version.sector_required.items()},
        changed_at=version.changed_at, changed_by=version.changed_by,
    )


def _rule_fields(view: selectors.RuleView) -> dict[str, Any]:
    owner = view.rule.owner
    return {
        "code": view.rule.code, "owner_code": owner.code if owner else None,
        "owner_name": owner.name if owner else "省级", "enabled": bool(view.current and view.current.enabled),
        "may_edit": view.may_edit, "current": _version_out(view.current) if view.current else None,
    }


def _rule_detail(scope: Scope, code: str) -> RuleDetailOut:
    view = selectors.rule_detail(scope=scope, code=code, on=timezone.localdate())
    return RuleDetailOut(**_rule_fields(view), versions=[_version_out(v) for v in view.versions])


def _terms(payload: RuleTermsIn) -> services.RuleTerms:
    return services.RuleTerms(**payload.model_dump(include=set(services.RULE_TERM_FIELDS)))


@router.get("/rules", response=RulePage, summary="制度要求列表（省级规则，及约束您所见组织的下级规则）")
def rule_list(request: HttpRequest, query: Query[PageQuery]) -> RulePage:
    scope = _scope(request)
    page = paginate(selectors.rule_list(scope=scope), page=query.page, page_size=query.page_size)
    views = selectors.rule_views(scope=scope, rules=page.items, on=timezone.localdate())
    return RulePage(count=page.count, page=page.page, page_size=page.page_size,
                    items=[RuleOut(**_rule_fields(view)) for view in views])


@router.get("/rules/{code}", response=RuleDetailOut, summary="制度要求详情（含全部版本）")
def rule_detail(request: HttpRequest, code: str) -> RuleDetailOut:
    return _rule_detail(_scope(request), code)


@router.post("/rules", response={201: RuleDetailOut},
             summary="增设规则（制定组织须在您的管理范围内；省级组织即为省级规则）")
def rule_create(request: HttpRequest, payload: RuleCreateIn) -> Status[RuleDetailOut]:
    scope = _scope(request)
    rule = services.rule_create(actor=request.auth, scope=scope, code=payload.code,  # type: ignore[attr-defined]
                                owner_code=payload.owner_code, effective_from=payload.effective_from,
                                terms=_terms(payload))
    return Status(201, _rule_detail(scope, rule.code))


@router.post("/rules/{code}/versions", response={201: RuleDetailOut},
             summary="规则自某日起的新版本（只写要改的条件；同一生效日期的版本被替换）")
def rule_version_add(request: HttpRequest, code: str, payload: RuleVersionIn) -> Status[RuleDetailOut]:
    scope = _scope(request)
    changes = payload.model_dump(exclude={"effective_from"}, exclude_none=True)
    services.rule_version_change(actor=request.auth, scope=scope, code=code,  # type: ignore[attr-defined]
                                 effective_from=payload.effective_from, changes=changes)
    return Status(201, _rule_detail(scope, code))


# -- compliance ------------------------------------------------------------------------------------
def _row_fields(row: Row) -> dict[str, Any]:
    return {
        "rule": row.rule, "subject_type": row.subject_type, "subject": row.subject,
        "subject_name": row.subject_name, "org": row.org, "period": row.period,
        "required": _number(row.required), "actual": _number(row.actual), "status": row.status,
        "at_risk": row.at_risk, "deadline": row.deadline,
    }


@router.get("/compliance", response=CompliancePage,
            summary="制度落实：一个组织子树内每个对象、每条规则、每个周期的一行（默认您管理或查看的最上级组织）")
def compliance_list(request: HttpRequest, query: Query[ComplianceQuery]) -> CompliancePage:
    scope = _scope(request)
    scope.require_business_data()
    if query.status and query.status not in STATUS_LABELS:
        raise DomainError(NormsError.STATUS_INVALID,
                          f"状态“{query.status}”无效，应为 {'、'.join(STATUS_LABELS)} 之一", field="status")
    under = [access_org(scope=scope, code=query.org)] if query.org else list(org_roots(scope=scope))
    rule_codes = [access_rule(scope=scope, code=query.rule).code] if query.rule else []
    today = timezone.localdate()
    year = query.year or today.year
    as_of = query.as_of or today
    result = selectors.compliance_rows(scope=scope, under=under, year=year, as_of=as_of, rule_codes=rule_codes,
                                       status=query.status)
    size = min(max(1, query.page_size), MAX_PAGE_SIZE)
    number = max(1, query.page)
    start = (number - 1) * size
    return CompliancePage(
        year=year, as_of=as_of, count=len(result.rows), page=number, page_size=size,
        skipped=[f"{s.rule}：{s.reason}" for s in result.skipped],
        items=[ComplianceRowOut(**_row_fields(row)) for row in result.rows[start:start + size]],
    )


def _subject_out(scope: Scope, subject: Organization | Person, year: int | None) -> SubjectComplianceOut:
    today = timezone.localdate()
    year = year or today.year
    explained = selectors.subject_compliance(scope=scope, subject=subject, year=year, as_of=today)
    if isinstance(subject, Person):
        kind, code, org = "person", subject.number, subject.org.code
    else:
        kind, code, org = "org", subject.code, subject.code
    return SubjectComplianceOut(
        subject_type=kind, subject=code, subject_name=subject.name, org=org, year=year, as_of=today,
        rows=[
            ExplainedRowOut(
                **_row_fields(e.row), rule_name=e.rule_name, source=e.source, version_from=e.version_from,
                period_start=e.period.start, period_end=e.period.end,
                evidence=[EvidenceOut(source=ev.source, reference=ev.reference, title=ev.title, date=ev.day,
                                      amount=_number(ev.amount), counted=ev.counted, reason=ev.reason)
                          for ev in e.evidence],
            )
            for e in explained
        ],
    )


@router.get("/compliance/people/{number}", response=SubjectComplianceOut,
            summary="一名人员一年的制度落实，每行附计入与未计入的记录及原因")
def person_compliance(request: HttpRequest, number: str, query: Query[YearQuery]) -> SubjectComplianceOut:
    scope = _scope(request)
    return _subject_out(scope, access_person(scope=scope, number=number), query.year)


@router.get("/compliance/orgs/{code}", response=SubjectComplianceOut,
            summary="一个组织本身一年的制度落实，每行附计入与未计入的活动")
def org_compliance(request: HttpRequest, code: str, query: Query[YearQuery]) -> SubjectComplianceOut:
    scope = _scope(request)
    return _subject_out(scope, access_org(scope=scope, code=code), query.year)


# -- exemptions ------------------------------------------------------------------------------------
def _exemption_out(exemption: Exemption) -> ExemptionOut:
    if exemption.org is not None:
        kind, code, name, org = "org", exemption.org.code, exemption.org.name, exemption.org.code
    else:
        assert exemption.person is not None  # the database holds one subject or the other
        kind, code, name, org = "person", exemption.person.number, exemption.person.name, exemption.person.org.code
    return ExemptionOut(id=exemption.pk, rule=exemption.rule.code, subject_type=kind, subject=code,
                        subject_name=name, org=org, period=exemption.period, reason=exemption.reason,
                        granted_by=exemption.granted_by, granted_at=exemption.granted_at)


@router.get("/exemptions", response=ExemptionPage, summary="豁免列表（您可见的组织和人员的）")
def exemption_list(request: HttpRequest, query: Query[ExemptionQuery]) -> ExemptionPage:
    scope = _scope(request)
    rule_code = access_rule(scope=scope, code=query.rule).code if query.rule else ""
    page = paginate(selectors.exemption_list(scope=scope, rule_code=rule_code, period=query.period.strip()),
                    page=query.page, page_size=query.page_size)
    return ExemptionPage(count=page.count, page=page.page, page_size=page.page_size,
                         items=[_exemption_out(e) for e in page.items])


@router.post("/exemptions", response={201: ExemptionOut},
             summary="批准豁免（一个组织或一名人员、一条规则、一个周期；须在您的管理范围内）")
def exemption_grant(request: HttpRequest, payload: ExemptionIn) -> Status[ExemptionOut]:
    exemption = services.exemption_grant(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                         rule_code=payload.rule, period=payload.period, reason=payload.reason,
                                         org_code=payload.org_code, person_number=payload.person_number)
    return Status(201, _exemption_out(exemption))


@router.delete("/exemptions/{exemption_id}", response={204: None}, summary="撤销豁免（记入审计日志）")
def exemption_revoke(request: HttpRequest, exemption_id: int) -> Status[None]:
    services.exemption_revoke(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                              exemption_id=exemption_id)
    return Status(204, None)
