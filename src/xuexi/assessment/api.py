"""评学和奖惩 over HTTP: evaluations and their votes, the scorecards, the province's weights, commendations and
penalties."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from xuexi.accounts.scope import Scope
from xuexi.assessment import scorecard, selectors, services
from xuexi.assessment.access import access_evaluation
from xuexi.assessment.models import Commendation, Evaluation, Penalty
from xuexi.assessment.schemas import (
    ComponentOut,
    EvaluationDetailOut,
    EvaluationIn,
    EvaluationOut,
    OrgRef,
    ReviewOut,
    ReviewsIn,
    ReviewsResult,
    SanctionIn,
    SanctionOut,
    SanctionsOut,
    ScorecardOut,
    WeightsIO,
    WeightsOut,
)
from xuexi.orgs.access import access_org

router = Router(tags=["评学和奖惩"])


class OrgQuery(Schema):
    org: str = ""


class ScorecardQuery(Schema):
    org: str
    year: int
    cadres: bool = False


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _evaluation_out(e: Evaluation) -> dict[str, object]:
    return {"id": e.pk, "org": OrgRef(code=e.org.code, name=e.org.name), "title": e.title, "year": e.year,
            "kind": e.kind, "opens": e.opens, "closes": e.closes, "status": e.status,
            "status_label": e.get_status_display(), "excellent_cap": e.excellent_cap}


def _detail(scope: Scope, evaluation: Evaluation) -> EvaluationDetailOut:
    view = selectors.evaluation_detail(scope=scope, evaluation=evaluation)
    return EvaluationDetailOut(**_evaluation_out(evaluation), grades=view.grades,  # type: ignore[arg-type]
                               reviews=[ReviewOut(
                                   person_number=r.person.number, name=r.person.name, org=r.person.org.code,
                                   excellent_votes=r.excellent_votes, qualified_votes=r.qualified_votes,
                                   basic_votes=r.basic_votes, unqualified_votes=r.unqualified_votes, grade=r.grade,
                                   note=r.note, decided=r.decided) for r in view.reviews])


def _sanction_out(s: Commendation | Penalty) -> SanctionOut:
    return SanctionOut(id=s.pk, kind=s.kind, org=OrgRef(code=s.org.code, name=s.org.name),
                       person=s.person.number if s.person else None,
                       granted_by=OrgRef(code=s.granted_by.code, name=s.granted_by.name), reason=s.reason,
                       date=s.date, deadline=getattr(s, "deadline", None),
                       rectify_status=getattr(s, "rectify_status", ""), evaluation_id=s.evaluation_id,
                       inspection=s.inspection.number if s.inspection else None,
                       evidence=[e.name for e in s.evidence.all()])


def _sanction_input(payload: SanctionIn) -> services.SanctionInput:
    return services.SanctionInput(**payload.model_dump())


@router.get("/evaluations", response=list[EvaluationOut], summary="评学列表（您所见组织及其下级组织开展的）")
def evaluation_list(request: HttpRequest, query: Query[OrgQuery]) -> list[EvaluationOut]:
    scope = _scope(request)
    org = access_org(scope=scope, code=query.org) if query.org else None
    return [EvaluationOut(**_evaluation_out(e)) for e in  # type: ignore[arg-type]
            selectors.evaluation_list(scope=scope, org=org)[:500]]


@router.post("/evaluations", response={201: EvaluationDetailOut}, summary="新建评学（组织单位须在您的管理范围内）")
def evaluation_create(request: HttpRequest, payload: EvaluationIn) -> Status[EvaluationDetailOut]:
    scope = _scope(request)
    evaluation = services.evaluation_create(
        actor=request.auth, scope=scope, org_code=payload.org_code,  # type: ignore[attr-defined]
        data=services.EvaluationInput(title=payload.title, year=payload.year, kind=payload.kind, opens=payload.opens,
                                      closes=payload.closes, excellent_cap=payload.excellent_cap))
    return Status(201, _detail(scope, evaluation))


@router.get("/evaluations/{evaluation_id}", response=EvaluationDetailOut, summary="评学详情：党员的票数和评定等次")
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> EvaluationDetailOut:
    scope = _scope(request)
    return _detail(scope, access_evaluation(scope=scope, pk=evaluation_id))


@router.put("/evaluations/{evaluation_id}/reviews", response=ReviewsResult,
            summary="录入党员的票数和评定等次（全部正确才保存；已结束的评学只读）")
def reviews_record(request: HttpRequest, evaluation_id: int, payload: ReviewsIn) -> ReviewsResult:
    created, updated = services.reviews_record(
        actor=request.auth, scope=_scope(request), evaluation_id=evaluation_id,  # type: ignore[attr-defined]
        entries=[services.ReviewInput(person_number=e.person_number, grade=e.grade, note=e.note,
                                      votes=(e.excellent_votes, e.qualified_votes, e.basic_votes,
                                             e.unqualified_votes)) for e in payload.entries])
    return ReviewsResult(created=created, updated=updated)


@router.post("/evaluations/{evaluation_id}/close", response=EvaluationDetailOut,
             summary="结束评学（每名参评党员都有评定等次、优秀比例不超过上限），之后只读")
def evaluation_close(request: HttpRequest, evaluation_id: int) -> EvaluationDetailOut:
    scope = _scope(request)
    evaluation = services.evaluation_close(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                           evaluation_id=evaluation_id)
    return _detail(scope, evaluation)


@router.get("/scorecard", response=list[ScorecardOut],
            summary="考核评价：下级组织（或 cadres=true 时本组织及下级的领导干部）的各项原始数据、加权得分和名次")
def scorecard_list(request: HttpRequest, query: Query[ScorecardQuery]) -> list[ScorecardOut]:
    scope = _scope(request)
    org = access_org(scope=scope, code=query.org)
    services.check_year(query.year)
    select = scorecard.cadre_scorecards if query.cadres else scorecard.org_scorecards
    return [ScorecardOut(rank=c.rank, code=c.code, name=c.name, org_code=c.org_code, total=c.total,
                         components=[ComponentOut(key=p.key, label=p.label, raw=p.raw, points=p.points,
                                                  weight=p.weight, weighted=p.weighted) for p in c.components])
            for c in select(scope=scope, org=org, year=query.year)]


@router.get("/weights/{year}", response=WeightsOut, summary="某年度的考核权重（未设置时为默认值）")
def weights_get(request: HttpRequest, year: int) -> WeightsOut:
    _scope(request).require_business_data()
    w = scorecard.weights_for(year)
    return WeightsOut(year=year, is_default=w.is_default, norms_weight=w.norms, exams_weight=w.exams,
                      reports_weight=w.reports, review_weight=w.review, rating_excellent=w.rating_points["优秀"],
                      rating_good=w.rating_points["良好"], rating_fair=w.rating_points["一般"],
                      rating_poor=w.rating_points["较差"], rating_missing=w.missing_report,
                      grade_excellent=w.grade_points["优秀"], grade_qualified=w.grade_points["合格"],
                      grade_basic=w.grade_points["基本合格"], grade_unqualified=w.grade_points["不合格"])


@router.put("/weights/{year}", response=WeightsOut, summary="设置某年度的考核权重（之和为 100；省级管理员）")
def weights_put(request: HttpRequest, year: int, payload: WeightsIO) -> WeightsOut:
    services.weights_save(actor=request.auth, scope=_scope(request), year=year,  # type: ignore[attr-defined]
                          values=payload.model_dump())
    return weights_get(request, year)


@router.get("/sanctions", response=SanctionsOut, summary="表彰和惩戒（某组织及其下级的，或其决定的）")
def sanction_list(request: HttpRequest, query: Query[OrgQuery]) -> SanctionsOut:
    scope = _scope(request)
    org = access_org(scope=scope, code=query.org) if query.org else None
    return SanctionsOut(
        commendations=[_sanction_out(c) for c in selectors.commendation_list(scope=scope, org=org)[:500]],
        penalties=[_sanction_out(p) for p in selectors.penalty_list(scope=scope, org=org)[:500]])


@router.post("/commendations", response={201: SanctionOut}, summary="表彰：先进集体（组织）或学习标兵（个人）")
def commendation_grant(request: HttpRequest, payload: SanctionIn) -> Status[SanctionOut]:
    commendation = services.commendation_grant(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                               data=_sanction_input(payload))
    return Status(201, _sanction_out(commendation))


@router.post("/penalties", response={201: SanctionOut}, summary="惩戒：通报批评，或限期整改（须填整改期限）")
def penalty_grant(request: HttpRequest, payload: SanctionIn) -> Status[SanctionOut]:
    penalty = services.penalty_grant(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                     data=_sanction_input(payload))
    return Status(201, _sanction_out(penalty))
