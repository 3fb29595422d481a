"""督学检查 over HTTP: plan an inspection, read its checklist, record findings, issue, answer and verify items."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError
from xuexi.learning import attachments
from xuexi.orgs.access import access_org
from xuexi.pagination import paginate
from xuexi.supervision import selectors, services
from xuexi.supervision.access import access_inspection, access_rectification
from xuexi.supervision.models import Finding, Inspection, RectificationItem
from xuexi.supervision.schemas import (
    ActivityRef,
    ChecklistItemOut,
    EventOut,
    EvidenceOut,
    FigureOut,
    FindingIn,
    FindingOut,
    InspectionDetailOut,
    InspectionIn,
    InspectionOut,
    InspectionPage,
    InspectionPatch,
    InspectorIO,
    OrgRef,
    RectificationIn,
    RectificationOut,
    StandingOut,
    TargetOut,
    VerifyIn,
)

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

router = Router(tags=["督学检查"])


class ListQuery(Schema):
    org: str = ""  # an organization code: the inspections it runs, undergoes or owes items of
    status: str = ""  # planned, in_progress, ended
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _summary(inspection: Inspection) -> dict[str, object]:
    return {
        "number": inspection.number, "title": inspection.title,
        "inspector": OrgRef(code=inspection.inspector_org.code, name=inspection.inspector_org.name),
        "year": inspection.year, "start_date": inspection.start_date, "end_date": inspection.end_date,
        "status": inspection.status, "status_label": inspection.get_status_display(),
    }


def _finding_out(finding: Finding, org: str) -> FindingOut:
    return FindingOut(id=finding.pk, item_id=finding.item_id, org=org, text=finding.text,
                      rule=finding.rule.code if finding.rule else None,
                      activity=finding.activity.number if finding.activity else None,
                      recorded_at=finding.recorded_at, recorded_by=finding.recorded_by)


def _rectification_out(row: selectors.RectificationRow) -> RectificationOut:
    item = row.item
    return RectificationOut(
        seq=item.seq, finding_id=item.finding_id, requirement=item.requirement,
        responsible=OrgRef(code=item.responsible_org.code, name=item.responsible_org.name), due_date=item.due_date,
        status=item.status, status_label=item.get_status_display(), overdue=row.overdue,
        days_overdue=row.days_overdue,
        history=[EventOut(at=e.at, actor=e.actor_name, action=e.action, action_label=e.get_action_display(),
                          text=e.text, status=e.status, due_date=e.due_date,
                          evidence=[EvidenceOut(id=ev.pk, name=ev.name, content_type=ev.content_type, size=ev.size)
                                    for ev in e.evidence.all()])
                 for e in item.events.all()])


def _detail(scope: Scope, inspection: Inspection) -> InspectionDetailOut:
    view = selectors.inspection_detail(scope=scope, inspection=inspection, today=timezone.localdate())
    return InspectionDetailOut(
        **_summary(inspection), description=inspection.description,  # type: ignore[arg-type]
        inspectors=[InspectorIO(name=i.name, username=i.user.username if i.user else "") for i in view.inspectors],
        inspected=[TargetOut(
            org=OrgRef(code=t.target.org.code, name=t.target.org.name),
            checklist=[ChecklistItemOut(
                id=v.item.pk, area=v.item.area, rule=v.item.rule.code if v.item.rule else None, label=v.item.label,
                figures=[FigureOut(label=f.label, value=f.value) for f in v.figures],
                rows=[StandingOut(period=r.period, required=_number(r.required), actual=_number(r.actual),
                                  status=r.status, at_risk=r.at_risk) for r in v.rows],
                activities=[ActivityRef(number=a.number, kind=a.kind, topic=a.topic, start_date=a.start_date)
                            for a in v.activities],
                note=v.note, findings=[_finding_out(f, t.target.org.code) for f in v.findings])
                for v in t.items]) for t in view.targets],
        rectifications=[_rectification_out(row) for row in view.rectifications])


def _item_out(scope: Scope, item: RectificationItem) -> RectificationOut:
    fresh = access_rectification(scope=scope, number=item.inspection.number, seq=item.seq)
    rows = selectors.inspection_rectifications(scope=scope, inspection=fresh.inspection, today=timezone.localdate())
    return _rectification_out(next(row for row in rows if row.item.pk == fresh.pk))


@router.get("/inspections", response=InspectionPage, summary="督学检查列表（您所见组织开展、接受或须整改的）")
def inspection_list(request: HttpRequest, query: Query[ListQuery]) -> InspectionPage:
    scope = _scope(request)
    org = access_org(scope=scope, code=query.org) if query.org else None
    page = paginate(selectors.inspection_list(scope=scope, org=org, status=query.status), page=query.page,
                    page_size=query.page_size)
    return InspectionPage(count=page.count, page=page.page, page_size=page.page_size,
                          items=[InspectionOut(**_summary(i)) for i in page.items])  # type: ignore[arg-type]


@router.post("/inspections", response={201: InspectionDetailOut},
             summary="新建督学检查（检查组织须在您的管理范围内，被检查组织为其下级组织），并生成检查清单")
def inspection_plan(request: HttpRequest, payload: InspectionIn) -> Status[InspectionDetailOut]:
    scope = _scope(request)
    inspection = services.inspection_plan(
        actor=request.auth, scope=scope, inspector_code=payload.inspector_code,  # type: ignore[attr-defined]
        data=services.InspectionInput(
            number=payload.number, title=payload.title, year=payload.year, start_date=payload.start_date,
            end_date=payload.end_date, inspected_codes=payload.inspected_codes, description=payload.description,
            inspectors=[services.InspectorInput(i.name, i.username) for i in payload.inspectors]))
    return Status(201, _detail(scope, inspection))


@router.get("/inspections/{number}", response=InspectionDetailOut,
            summary="督学检查详情：检查清单及被检查组织本级当年的数据、发现的问题、整改事项及其全过程")
def inspection_detail(request: HttpRequest, number: str) -> InspectionDetailOut:
    scope = _scope(request)
    return _detail(scope, access_inspection(scope=scope, number=number))


@router.patch("/inspections/{number}", response=InspectionDetailOut, summary="修改督学检查的计划或状态（检查方）")
def inspection_update(request: HttpRequest, number: str, payload: InspectionPatch) -> InspectionDetailOut:
    scope = _scope(request)
    changes = payload.model_dump(exclude_none=True)
    if payload.inspectors is not None:
        changes["inspectors"] = [services.InspectorInput(i.name, i.username) for i in payload.inspectors]
    inspection = services.inspection_update(actor=request.auth, scope=scope, number=number,  # type: ignore[attr-defined]
                                            changes=changes)
    return _detail(scope, inspection)


@router.post("/inspections/{number}/findings", response={201: FindingOut},
             summary="记录发现的问题（检查清单条目，涉及的规则或活动；检查方）")
def finding_record(request: HttpRequest, number: str, payload: FindingIn) -> Status[FindingOut]:
    finding = services.finding_record(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                      number=number, item_id=payload.item_id, text=payload.text,
                                      rule_code=payload.rule_code, activity_number=payload.activity_number)
    return Status(201, _finding_out(finding, finding.item.target.org.code))


@router.post("/inspections/{number}/rectifications", response={201: RectificationOut},
             summary="下达整改要求（问题、责任单位、整改期限；检查方）")
def rectification_issue(request: HttpRequest, number: str, payload: RectificationIn) -> Status[RectificationOut]:
    scope = _scope(request)
    item = services.rectification_issue(actor=request.auth, scope=scope, number=number,  # type: ignore[attr-defined]
                                        finding_id=payload.finding_id, requirement=payload.requirement,
                                        responsible_code=payload.responsible_code, due_date=payload.due_date)
    return Status(201, _item_out(scope, item))


@router.post("/inspections/{number}/rectifications/{seq}/answer", response=RectificationOut,
             summary="报送整改情况（multipart：measures 整改措施，files 佐证材料；责任单位的管理员）")
def rectification_answer(request: HttpRequest, number: str, seq: int, measures: Form[str],
                         files: File[list[UploadedFile]] = None) -> RectificationOut:  # type: ignore[assignment]
    scope = _scope(request)
    limit = attachments.max_bytes()
    evidence = []
    for upload in files or []:
        if upload.size is not None and upload.size > limit:
            shown = attachments.display_name(upload.name or "")
            raise DomainError(attachments.AttachmentRefusal.TOO_LARGE,
                              f"“{shown}”超过附件上限 {limit // attachments.MIB} MB", field="files")
        evidence.append(services.EvidenceFile(upload.name or "", upload.read()))
    item = services.rectification_answer(actor=request.auth, scope=scope, number=number,  # type: ignore[attr-defined]
                                         seq=seq, measures=measures, files=evidence)
    return _item_out(scope, item)


@router.post("/inspections/{number}/rectifications/{seq}/verify", response=RectificationOut,
             summary="核验整改情况：销号，或退回重改（写明理由，可定新期限；检查方）")
def rectification_verify(request: HttpRequest, number: str, seq: int, payload: VerifyIn) -> RectificationOut:
    scope = _scope(request)
    item = services.rectification_verify(actor=request.auth, scope=scope, number=number,  # type: ignore[attr-defined]
                                         seq=seq, close=payload.decision == "close", comment=payload.comment,
                                         due_date=payload.due_date)
    return _item_out(scope, item)


@router.get("/inspections/{number}/report", response={200: None},
            summary="督学检查报告（Word，GB/T 9704 公文格式）")
def inspection_report(request: HttpRequest, number: str) -> HttpResponse:
    filename, data = services.inspection_report_export(actor=request.auth,  # type: ignore[attr-defined]
                                                       scope=_scope(request), number=number)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
