"""主题教育 and 学习计划 over HTTP: campaigns with their progress, organizations' and people's plans."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound
from xuexi.learning import selectors, services
from xuexi.learning.access import access_campaign
from xuexi.learning.errors import LearningError
from xuexi.learning.models import Campaign
from xuexi.learning.schemas_planning import (
    ActivityRefOut,
    CampaignActivityIn,
    CampaignActivityOut,
    CampaignCreateIn,
    CampaignOut,
    CampaignPage,
    CampaignProgressOut,
    CampaignUpdateIn,
    GoalOut,
    PersonalPlanIn,
    PersonalPlanOut,
    PlanItemOut,
    ProgressRowOut,
    RequirementSchema,
    StudyPlanIn,
    StudyPlanOut,
)
from xuexi.orgs.access import access_org
from xuexi.pagination import paginate
from xuexi.people.access import access_person

campaign_router = Router(tags=["主题教育"])
plan_router = Router(tags=["学习计划"])


class PageQuery(Schema):
    page: int = 1
    page_size: int = 50


class ProgressQuery(Schema):
    org: str = ""  # an organization code inside the covered subtree: its own row and one per child


class YearQuery(Schema):
    year: int | None = None  # the current year when absent


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _year(query: YearQuery) -> int:
    return query.year or timezone.localdate().year


def _campaign_out(campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        code=campaign.code, name=campaign.name, start_date=campaign.start_date, end_date=campaign.end_date,
        organizer_code=campaign.organizer.code, organizer_name=campaign.organizer.name,
        covers_code=campaign.covers.code, covers_name=campaign.covers.name, themes=campaign.themes,
        description=campaign.description,
        requirements=[RequirementSchema(level=r.level, kind=r.kind, minimum=r.minimum)
                      for r in sorted(campaign.requirements.all(), key=lambda r: (r.level, r.kind))],
    )


def _campaign_input(code: str, payload: CampaignUpdateIn) -> services.CampaignInput:
    return services.CampaignInput(
        code=code, name=payload.name, start_date=payload.start_date, end_date=payload.end_date,
        organizer_code=payload.organizer_code, covers_code=payload.covers_code, themes=payload.themes,
        description=payload.description,
        requirements=[(r.level, r.kind, r.minimum) for r in payload.requirements],
    )


@campaign_router.get("", response=CampaignPage, summary="主题教育列表（覆盖范围与本人管理范围相交的）")
def campaign_list(request: HttpRequest, query: Query[PageQuery]) -> CampaignPage:
    page = paginate(selectors.campaign_list(scope=_scope(request)), page=query.page, page_size=query.page_size)
    return CampaignPage(count=page.count, page=page.page, page_size=page.page_size,
                        items=[_campaign_out(c) for c in page.items])


@campaign_router.post("", response={201: CampaignOut}, summary="新建主题教育")
def campaign_create(request: HttpRequest, payload: CampaignCreateIn) -> Status[CampaignOut]:
    campaign = services.campaign_save(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                      data=_campaign_input(payload.code, payload), create=True)
    return Status(201, _campaign_out(campaign))


@campaign_router.get("/{code}", response=CampaignOut, summary="主题教育详情")
def campaign_detail(request: HttpRequest, code: str) -> CampaignOut:
    return _campaign_out(access_campaign(scope=_scope(request), code=code))


@campaign_router.put("/{code}", response=CampaignOut, summary="修改主题教育（要求整体替换）")
def campaign_update(request: HttpRequest, code: str, payload: CampaignUpdateIn) -> CampaignOut:
    scope = _scope(request)
    access_campaign(scope=scope, code=code, write=True)
    campaign = services.campaign_save(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                      data=_campaign_input(code, payload))
    return _campaign_out(campaign)


@campaign_router.get("/{code}/progress", response=CampaignProgressOut,
                     summary="主题教育进度：本级及每个下级组织的完成与参与情况")
def campaign_progress(request: HttpRequest, code: str, query: Query[ProgressQuery]) -> CampaignProgressOut:
    scope = _scope(request)
    campaign = access_campaign(scope=scope, code=code)
    if query.org:
        under = access_org(scope=scope, code=query.org)
    else:
        under = selectors.campaign_default_under(scope=scope, campaign=campaign)
    progress = selectors.campaign_progress(scope=scope, campaign=campaign, under=under)

    def row(r: selectors.ProgressRow) -> ProgressRowOut:
        return ProgressRowOut(org_code=r.code, org_name=r.name, level=r.level, scope=r.scope_label, owing=r.owing,
                              met=r.met, met_share=r.met_share, participants=r.participants, members=r.members,
                              participation_share=r.participation_share)

    return CampaignProgressOut(
        campaign_code=campaign.code, org_code=under.code,
        requirements=[RequirementSchema(level=lv, kind=k, minimum=m) for lv, k, m in progress.requirements],
        rows=[row(r) for r in progress.rows], total=row(progress.total),
    )


@campaign_router.post("/{code}/activities", response=CampaignActivityOut, summary="将活动纳入主题教育")
def campaign_activity_add(request: HttpRequest, code: str, payload: CampaignActivityIn) -> CampaignActivityOut:
    activity = services.campaign_activity_add(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                              campaign_code=code, activity_number=payload.activity_number)
    return CampaignActivityOut(campaign_code=code, activity_number=activity.number)


@campaign_router.delete("/{code}/activities/{number}", response=CampaignActivityOut,
                        summary="将活动移出主题教育")
def campaign_activity_remove(request: HttpRequest, code: str, number: str) -> CampaignActivityOut:
    activity = services.campaign_activity_remove(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                                 campaign_code=code, activity_number=number)
    return CampaignActivityOut(campaign_code=None, activity_number=activity.number)


def _study_plan_out(org_code: str, org_name: str, progress: selectors.PlanProgress) -> StudyPlanOut:
    plan = progress.plan
    return StudyPlanOut(
        org_code=org_code, org_name=org_name, year=plan.year, title=plan.title, reading_list=plan.reading_list,
        items=[PlanItemOut(quarter=p.item.quarter, kind=p.item.kind, topic=p.item.topic,
                           content_areas=p.item.content_areas, done=p.done,
                           activities=[ActivityRefOut(number=a.number, topic=a.topic, start_date=a.start_date)
                                       for a in p.activities])
               for p in progress.items],
        done=progress.done, done_share=progress.share,
    )


@plan_router.get("/orgs/{code}", response=StudyPlanOut, summary="组织的年度学习计划及完成情况")
def study_plan_detail(request: HttpRequest, code: str, query: Query[YearQuery]) -> StudyPlanOut:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year = _year(query)
    plan = selectors.study_plan_for(scope=scope, org=org, year=year)
    if plan is None:
        raise NotFound(LearningError.PLAN_NOT_FOUND, f"组织 {org.code} 没有 {year} 年度的学习计划")
    return _study_plan_out(org.code, org.name, selectors.study_plan_progress(plan=plan))


@plan_router.put("/orgs/{code}", response=StudyPlanOut, summary="制定或修改组织的年度学习计划（条目整体替换）")
def study_plan_save(request: HttpRequest, code: str, payload: StudyPlanIn) -> StudyPlanOut:
    plan = services.study_plan_save(
        actor=request.auth, scope=_scope(request), org_code=code, year=payload.year,  # type: ignore[attr-defined]
        title=payload.title, reading_list=payload.reading_list,
        items=[services.PlanItemInput(quarter=i.quarter, kind=i.kind, topic=i.topic, content_areas=i.content_areas)
               for i in payload.items],
    )
    return _study_plan_out(plan.org.code, plan.org.name, selectors.study_plan_progress(plan=plan))


def _personal_out(progress: selectors.PersonalProgress) -> PersonalPlanOut:
    person = progress.archive.person

    def goals(items: list[selectors.GoalProgress]) -> list[GoalOut]:
        return [GoalOut(goal=g.goal, records=[f"{e.start_date:%Y-%m-%d} {e.title}" for e in g.entries])
                for g in items]

    return PersonalPlanOut(
        person_number=person.number, person_name=person.name, year=progress.archive.year,
        goal_hours=progress.goal_hours, credited_hours=progress.credited_hours, share=progress.share,
        topics=goals(progress.topics), books=goals(progress.books),
    )


@plan_router.get("/people/{number}", response=PersonalPlanOut, summary="个人自学计划及完成情况")
def personal_plan_detail(request: HttpRequest, number: str, query: Query[YearQuery]) -> PersonalPlanOut:
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    year = _year(query)
    progress = selectors.personal_plan_progress(scope=scope, person=person, year=year)
    if progress.plan is None:
        raise NotFound(LearningError.PLAN_NOT_FOUND, f"人员 {person.number} 没有 {year} 年度的个人自学计划")
    return _personal_out(progress)


@plan_router.put("/people/{number}", response=PersonalPlanOut, summary="制定或修改个人自学计划（本人或其组织的管理员）")
def personal_plan_save(request: HttpRequest, number: str, payload: PersonalPlanIn) -> PersonalPlanOut:
    scope = _scope(request)
    plan = services.personal_plan_save(
        actor=request.auth, scope=scope, person_number=number, year=payload.year,  # type: ignore[attr-defined]
        goal_hours=payload.goal_hours, topics=payload.topics, books=payload.books,
    )
    return _personal_out(selectors.personal_plan_progress(scope=scope, person=plan.person, year=plan.year))
