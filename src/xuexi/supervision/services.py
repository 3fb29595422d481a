"""Writes of 督学检查: plan, record findings, issue rectification items, answer them, verify them.

Each is one transaction, checked against the scope and audited. An item's every step is kept as a
`RectificationEvent`; evidence files are checked and stored as activity attachments are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AdminRole, User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, refuse_unknown_fields
from xuexi.exchange.documents import write_document
from xuexi.learning import attachments
from xuexi.learning.attachments import EvidenceFile as EvidenceFile
from xuexi.learning.models import Activity
from xuexi.norms import selectors as norms_selectors
from xuexi.norms.models import Rule
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft, nearest_admins, notify
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.supervision import selectors
from xuexi.supervision.access import access_inspection, access_rectification, inspects, may_answer
from xuexi.supervision.errors import SupervisionError
from xuexi.supervision.models import (
    ChecklistArea,
    ChecklistItem,
    Evidence,
    Finding,
    InspectedOrganization,
    Inspection,
    InspectionStatus,
    Inspector,
    RectificationAction,
    RectificationEvent,
    RectificationItem,
    RectificationStatus,
)
from xuexi.supervision.reminders import owing_admins
from xuexi.supervision.report import inspection_document

NUMBER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
TEXT_LIMIT = 4000
MAX_EVIDENCE_FILES = 10
MAX_INSPECTED = 30  # organizations in one inspection: its report numbers them as headings
# Changes to an inspection its planners may make; the year is fixed (the checklist is drawn for it).
INSPECTION_CHANGES = ("title", "start_date", "end_date", "description", "status", "inspectors", "inspected_codes")


@dataclass(frozen=True)
class InspectorInput:
    name: str
    username: str = ""  # the inspector's account, when they have one


@dataclass(frozen=True)
class InspectionInput:
    title: str
    year: int
    start_date: date
    end_date: date
    inspected_codes: Sequence[str]
    inspectors: Sequence[InspectorInput]
    description: str = ""
    number: str = ""  # blank: DX-<inspecting organization>-<year>-<n>




def _invalid(detail: str, field: str, code: str = SupervisionError.INVALID) -> DomainError:
    return DomainError(code, detail, field=field)


def _text(value: str, *, label: str, field: str, limit: int = TEXT_LIMIT, code: str = SupervisionError.INVALID) -> str:
    text = value.strip()
    if not text:
        raise _invalid(f"请填写{label}", field, code)
    if len(text) > limit:
        raise _invalid(f"{label}有 {len(text)} 个字，超过上限 {limit} 个字", field, code)
    return text


def _item_link(number: str, seq: int) -> str:
    return reverse("web:rectification_detail", args=[number, seq])


# -- planning --------------------------------------------------------------------------------------------
def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise _invalid(f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}", "end_date")


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise _invalid(f"检查年度 {year} 无效：应为 2000 到 2100 之间的年份", "year")


def _number(given: str, inspector_org: Organization, year: int) -> str:
    number = given.strip()
    if number:
        if not NUMBER_PATTERN.fullmatch(number):
            raise _invalid(f"检查编号“{number}”无效：应为不超过 64 个字符的英文字母、数字、连字符或下划线", "number")
        if Inspection.objects.filter(number=number).exists():
            raise DomainError(SupervisionError.NUMBER_TAKEN, f"检查编号 {number} 已被使用", field="number",
                              kind=ErrorKind.CONFLICT)
        return number
    prefix = f"DX-{inspector_org.code}-{year}-"
    taken = set(Inspection.objects.filter(number__startswith=prefix).values_list("number", flat=True))
    return next(f"{prefix}{n:02d}" for n in range(1, len(taken) + 2) if f"{prefix}{n:02d}" not in taken)


def _inspected(inspector_org: Organization, codes: Sequence[str]) -> list[Organization]:
    """The organizations to inspect: inside the inspecting organization's subtree, not itself, not 撤销."""
    wanted = list(dict.fromkeys(code.strip() for code in codes if code.strip()))
    if not wanted:
        raise _invalid("请填写被检查组织的组织编码", "inspected_codes")
    if len(wanted) > MAX_INSPECTED:
        raise _invalid(f"一次检查列入了 {len(wanted)} 个组织，至多 {MAX_INSPECTED} 个：请分几次检查", "inspected_codes")
    found = {org.code: org for org in Organization.objects.filter(
        code__in=wanted, path__startswith=inspector_org.path, depth__gt=inspector_org.depth)}
    for code in wanted:
        org = found.get(code)
        if org is None:
            raise _invalid(f"被检查组织编码 {code} 不存在，或不是{inspector_org.name}的下级组织", "inspected_codes")
        if not org.is_active:
            raise _invalid(f"被检查组织 {org.name}（{code}）已撤销", "inspected_codes")
    return [found[code] for code in wanted]


def _inspector_accounts(inspector_org: Organization, inspectors: Sequence[InspectorInput]) -> list[Inspector]:
    """The team: at least one name; an account named must exist and see the inspecting organization."""
    team = [(i.name.strip(), i.username.strip()) for i in inspectors if i.name.strip() or i.username.strip()]
    if not team:
        raise _invalid("请填写检查组成员：每行一人，姓名后可跟其账户用户名", "inspectors")
    usernames = [username for _, username in team if username]
    users = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True,
                                                         admin_role=AdminRole.NONE)}
    rows = []
    for position, (name, username) in enumerate(team):
        if not name:
            raise _invalid(f"检查组成员账户“{username}”缺少姓名", "inspectors")
        if len(name) > 100:
            raise _invalid(f"检查组成员姓名“{name[:20]}…”超过 100 个字", "inspectors")
        user = users.get(username) if username else None
        # One message whether the account is missing or cannot see: no way to learn which accounts exist.
        if username and (user is None or not Scope.for_user(user).covers_path(inspector_org.path)):
            raise _invalid(f"检查组成员 {name} 的账户“{username}”不存在、已停用或看不到{inspector_org.name}的数据",
                           "inspectors")
        rows.append(Inspector(name=name, user=user, position=position))
    return rows


def _add_targets(*, scope: Scope, inspection: Inspection, orgs: Sequence[Organization], first: int = 0) -> None:
    """Each inspected organization with its checklist: the document's requirements, then the rules that bind it."""
    today = timezone.localdate()
    for position, org in enumerate(orgs, start=first):
        target = InspectedOrganization.objects.create(inspection=inspection, org=org, position=position)
        rates = norms_selectors.rule_rates(scope=scope, org=org, year=inspection.year, as_of=today)
        rules = dict(Rule.objects.filter(code__in=[r.rule for r in rates]).values_list("code", "id"))
        items = [ChecklistItem(target=target, position=n, area=area, label=label)
                 for n, (area, label) in enumerate(ChecklistArea.choices)]
        items += [ChecklistItem(target=target, position=len(items) + n, rule_id=rules[rate.rule], label=rate.name)
                  for n, rate in enumerate(rates)]
        ChecklistItem.objects.bulk_create(items)


def _tell_inspected(inspection: Inspection, orgs: Sequence[Organization]) -> None:
    admins = owing_admins((org.pk, inspection.inspector_org_id) for org in orgs)
    link = reverse("web:inspection_detail", args=[inspection.number])
    for org in orgs:
        notify(recipients=admins[(org.pk, inspection.inspector_org_id)], draft=Draft(
            kind=NotificationKind.INSPECTION, key=f"inspection:{inspection.pk}:{org.pk}",
            title=f"{inspection.inspector_org.name}将对{org.name}开展督学检查",
            body=(f"{inspection.title}（{inspection.number}）：检查 {inspection.year} 年度学习情况，"
                  f"{inspection.start_date.isoformat()} 至 {inspection.end_date.isoformat()}。"),
            link=link))


@transaction.atomic
def inspection_plan(*, actor: User | None, scope: Scope, inspector_code: str, data: InspectionInput) -> Inspection:
    """Plan an inspection by an organization in the write scope of organizations below it, with its checklist."""
    inspector_org = access_org(scope=scope, code=inspector_code, write=True)
    title = _text(data.title, label="检查标题", field="title", limit=200)
    _check_year(data.year)
    _check_dates(data.start_date, data.end_date)
    number = _number(data.number, inspector_org, data.year)
    orgs = _inspected(inspector_org, data.inspected_codes)
    team = _inspector_accounts(inspector_org, data.inspectors)
    inspection = Inspection.objects.create(
        number=number, title=title, inspector_org=inspector_org, year=data.year, start_date=data.start_date,
        end_date=data.end_date, description=data.description.strip()[:TEXT_LIMIT],
        created_by=actor.username if actor else "")
    for member in team:
        member.inspection = inspection
    Inspector.objects.bulk_create(team)
    _add_targets(scope=scope, inspection=inspection, orgs=orgs)
    audit_record(action="inspection_plan", actor=actor, object_type="inspection", object_id=number,
                 object_repr=title, detail={"inspector_org": inspector_org.code, "year": data.year,
                                            "inspected": [org.code for org in orgs],
                                            "inspectors": [m.name for m in team]})
    _tell_inspected(inspection, orgs)
    return inspection


def _snapshot(inspection: Inspection) -> dict[str, Any]:
    return {
        "title": inspection.title, "start_date": inspection.start_date.isoformat(),
        "end_date": inspection.end_date.isoformat(), "description": inspection.description,
        "status": inspection.status,
        "inspectors": [f"{i.name}（{i.user.username}）" if i.user else i.name
                       for i in inspection.inspectors.filter(removed_at__isnull=True).select_related("user")
                       .order_by("position", "id")],
        "inspected": list(inspection.targets.order_by("position").values_list("org__code", flat=True)),
    }


def _change_status(inspection: Inspection, status: str) -> None:
    if status not in InspectionStatus.values:
        labels = "、".join(f"{value}（{label}）" for value, label in InspectionStatus.choices)
        raise _invalid(f"状态“{status}”无效：应为 {labels} 之一", "status")
    if status == InspectionStatus.PLANNED and inspection.findings.exists():
        raise DomainError(SupervisionError.INVALID, f"督学检查 {inspection.number} 已记录问题，不能改回计划中",
                          field="status", kind=ErrorKind.CONFLICT)
    inspection.status = status


def _replace_team(inspection: Inspection, team: list[Inspector]) -> None:
    """The team as planned now: members who stay keep their row, those taken off are marked, never deleted."""
    current = {(m.name, m.user_id): m for m in inspection.inspectors.filter(removed_at__isnull=True)}
    wanted = {(m.name, m.user_id) for m in team}
    gone = [m.pk for key, m in current.items() if key not in wanted]
    Inspector.objects.filter(pk__in=gone).update(removed_at=timezone.now())
    added = []
    for member in team:
        kept = current.get((member.name, member.user_id))
        if kept is None:
            member.inspection = inspection
            added.append(member)
        elif kept.position != member.position:
            kept.position = member.position
            kept.save(update_fields=["position"])
    Inspector.objects.bulk_create(added)


@transaction.atomic
def inspection_update(*, actor: User | None, scope: Scope, number: str, changes: Mapping[str, Any]) -> Inspection:
    """Change an inspection's plan or status; inspected organizations may be added, never taken off."""
    refuse_unknown_fields(changes, INSPECTION_CHANGES, code=SupervisionError.INVALID)
    found = access_inspection(scope=scope, number=number, write=True)
    inspection = Inspection.objects.select_for_update().select_related("inspector_org").get(pk=found.pk)
    before = _snapshot(inspection)
    if "title" in changes:
        inspection.title = _text(str(changes["title"]), label="检查标题", field="title", limit=200)
    inspection.start_date = changes.get("start_date", inspection.start_date)
    inspection.end_date = changes.get("end_date", inspection.end_date)
    _check_dates(inspection.start_date, inspection.end_date)
    if "description" in changes:
        inspection.description = str(changes["description"]).strip()[:TEXT_LIMIT]
    if "status" in changes:
        _change_status(inspection, str(changes["status"]))
    if "inspectors" in changes:
        _replace_team(inspection, _inspector_accounts(inspection.inspector_org, changes["inspectors"]))
    if "inspected_codes" in changes:
        have = list(inspection.targets.order_by("position").values_list("org__code", flat=True))
        wanted = [code.strip() for code in changes["inspected_codes"] if code.strip()]
        dropped = [code for code in have if code not in wanted]
        if dropped:
            raise _invalid(f"不能从检查中移除已列入的组织 {'、'.join(dropped)}", "inspected_codes")
        added = [code for code in wanted if code not in have]
        if len(have) + len(added) > MAX_INSPECTED:
            raise _invalid(f"一次检查至多列入 {MAX_INSPECTED} 个组织", "inspected_codes")
        if added:
            _add_targets(scope=scope, inspection=inspection, orgs=_inspected(inspection.inspector_org, added),
                         first=len(have))
    inspection.updated_at = timezone.now()
    inspection.save(update_fields=["title", "start_date", "end_date", "description", "status", "updated_at"])
    after = _snapshot(inspection)
    audit_record(action="inspection_update", actor=actor, object_type="inspection", object_id=number,
                 object_repr=inspection.title,
                 detail={"before": {k: v for k, v in before.items() if after[k] != v},
                         "after": {k: v for k, v in after.items() if before[k] != v}})
    return inspection


# -- findings ----------------------------------------------------------------------------------------------
def _rule_at_fault(code: str, org: Organization) -> Rule:
    rule = Rule.objects.select_related("owner").filter(code=code.strip()).first()
    binds = rule is not None and (rule.owner is None or org.path.startswith(rule.owner.path)
                                  or rule.owner.path.startswith(org.path))
    if rule is None or not binds:
        raise _invalid(f"规则编码 {code} 不存在，或不约束{org.name}", "rule_code")
    return rule


def _activity_at_fault(number: str, org: Organization) -> Activity:
    activity = Activity.objects.filter(number=number.strip(), host__path__startswith=org.path).first()
    if activity is None:
        raise _invalid(f"活动编号 {number} 不存在，或不是{org.name}及其下级组织主办的活动", "activity_number")
    return activity


@transaction.atomic
def finding_record(*, actor: User | None, scope: Scope, number: str, item_id: int, text: str,
                   rule_code: str = "", activity_number: str = "") -> Finding:
    """Record a problem found on a checklist item, linked to the rule or the activity at fault."""
    inspection = access_inspection(scope=scope, number=number, write=True)
    if inspection.status == InspectionStatus.ENDED:
        raise DomainError(SupervisionError.ENDED, f"督学检查 {number} 已结束，不能再记录问题", kind=ErrorKind.CONFLICT)
    item = (ChecklistItem.objects.select_related("target__org", "rule")
            .filter(target__inspection=inspection, pk=item_id).first())
    if item is None:
        raise DomainError(SupervisionError.CHECKLIST_ITEM_NOT_FOUND,
                          f"检查清单条目 {item_id} 不属于督学检查 {number}", field="item")
    body = _text(text, label="发现的问题", field="text")
    org = item.target.org
    rule = _rule_at_fault(rule_code, org) if rule_code.strip() else item.rule
    activity = _activity_at_fault(activity_number, org) if activity_number.strip() else None
    if inspection.status == InspectionStatus.PLANNED:  # a problem found: the inspection has begun
        inspection.status = InspectionStatus.IN_PROGRESS
        inspection.updated_at = timezone.now()
        inspection.save(update_fields=["status", "updated_at"])
    finding = Finding.objects.create(inspection=inspection, item=item, text=body, rule=rule, activity=activity,
                                     recorded_by=actor.username if actor else "")
    audit_record(action="finding_record", actor=actor, object_type="inspection", object_id=number,
                 object_repr=body[:100], detail={"finding": finding.pk, "org": org.code, "item": item.label,
                                                 "rule": rule.code if rule else "",
                                                 "activity": activity.number if activity else ""})
    return finding


# -- rectification -----------------------------------------------------------------------------------------
def _event(item: RectificationItem, actor: User | None, action: str, text: str) -> RectificationEvent:
    return RectificationEvent.objects.create(
        item=item, actor_id=actor.pk if actor else None, actor_name=actor.username if actor else "",
        action=action, text=text, status=item.status, due_date=item.due_date)


def _check_due(due_date: date, today: date) -> None:
    if due_date < today:
        raise _invalid(f"整改期限 {due_date.isoformat()} 早于今天 {today.isoformat()}：应为今天或以后的日期",
                       "due_date", SupervisionError.RECTIFICATION_INVALID)


def _tell_owing(item: RectificationItem, key: str, title: str, body: str) -> None:
    pair = (item.responsible_org_id, item.inspection.inspector_org_id)
    notify(recipients=owing_admins([pair])[pair], draft=Draft(
        kind=NotificationKind.RECTIFICATION, key=key, title=title, body=body,
        link=_item_link(item.inspection.number, item.seq)))


@transaction.atomic
def rectification_issue(*, actor: User | None, scope: Scope, number: str, finding_id: int, requirement: str,
                        responsible_code: str, due_date: date) -> RectificationItem:
    """Issue a rectification item on a finding, owed by an organization of the inspected subtree by a date."""
    found = access_inspection(scope=scope, number=number, write=True)
    inspection = Inspection.objects.select_for_update().select_related("inspector_org").get(pk=found.pk)
    finding = Finding.objects.select_related("item__target__org").filter(inspection=inspection, pk=finding_id).first()
    if finding is None:
        raise DomainError(SupervisionError.FINDING_NOT_FOUND, f"问题 {finding_id} 不属于督学检查 {number}",
                          field="finding")
    text = _text(requirement, label="整改要求", field="requirement", code=SupervisionError.RECTIFICATION_INVALID)
    inspected = finding.item.target.org
    responsible = Organization.objects.filter(code=responsible_code.strip(), path__startswith=inspected.path,
                                              is_active=True).first()
    if responsible is None:
        raise _invalid(f"责任单位编码 {responsible_code} 不存在，或不是被检查组织{inspected.name}及其下级组织",
                       "responsible_code", SupervisionError.RECTIFICATION_INVALID)
    _check_due(due_date, timezone.localdate())
    seq = (inspection.rectifications.aggregate(last=Max("seq"))["last"] or 0) + 1
    item = RectificationItem.objects.create(inspection=inspection, seq=seq, finding=finding, requirement=text,
                                            responsible_org=responsible, due_date=due_date,
                                            issued_by=actor.username if actor else "")
    _event(item, actor, RectificationAction.ISSUE, text)
    audit_record(action="rectification_issue", actor=actor, object_type="inspection", object_id=number,
                 object_repr=f"第 {seq} 项：{text[:80]}",
                 detail={"seq": seq, "finding": finding.pk, "responsible": responsible.code,
                         "due_date": due_date.isoformat()})
    _tell_owing(item, f"rectification-issued:{item.pk}",
                f"{inspection.inspector_org.name}下达整改要求：{responsible.name}须于 {due_date.isoformat()} 前整改",
                f"{inspection.title}第 {seq} 项整改事项：{text}")
    return item


def _store_evidence(files: Sequence[EvidenceFile]) -> list[tuple[str, str, int, str]]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise _invalid(f"一次上传了 {len(files)} 个文件，至多 {MAX_EVIDENCE_FILES} 个", "files",
                       SupervisionError.RECTIFICATION_INVALID)
    return attachments.store_all(files)


def _tell_inspectors(item: RectificationItem, event: RectificationEvent) -> None:
    inspection = item.inspection
    accounts = set(inspection.inspectors.filter(removed_at__isnull=True, user__is_active=True)
                   .values_list("user_id", flat=True))
    recipients = accounts or nearest_admins([inspection.inspector_org_id]).get(inspection.inspector_org_id, set())
    notify(recipients=recipients, draft=Draft(
        kind=NotificationKind.RECTIFICATION, key=f"rectification-answered:{item.pk}:{event.pk}",
        title=f"{item.responsible_org.name}报送了整改情况，待核验：{inspection.title}第 {item.seq} 项",
        body=f"整改要求：{item.requirement}\n整改措施：{event.text}",
        link=_item_link(inspection.number, item.seq)))


@transaction.atomic
def rectification_answer(*, actor: User | None, scope: Scope, number: str, seq: int, measures: str,
                         files: Sequence[EvidenceFile] = ()) -> RectificationItem:
    """The owing organization reports the measures it took, with evidence; the inspectors are told."""
    found = access_rectification(scope=scope, number=number, seq=seq)
    if not may_answer(scope, found):
        side = "；检查方不能代为报送" if inspects(scope, found.inspection) else ""
        raise Forbidden(SupervisionError.ANSWER_FORBIDDEN,
                        f"第 {seq} 项整改事项由{found.responsible_org.name}的管理员报送整改情况{side}")
    item = RectificationItem.objects.select_for_update().select_related("responsible_org").get(pk=found.pk)
    item.inspection = found.inspection
    if item.status not in (RectificationStatus.OPEN, RectificationStatus.RETURNED):
        raise DomainError(SupervisionError.RECTIFICATION_STATE,
                          f"第 {seq} 项整改事项{item.get_status_display()}，不能再报送整改情况",
                          kind=ErrorKind.CONFLICT)
    text = _text(measures, label="整改措施", field="measures", code=SupervisionError.RECTIFICATION_INVALID)
    if not files and not item.evidence.exists():
        raise _invalid("请上传佐证材料（如整改后的会议记录、签到表、照片）", "files",
                       SupervisionError.RECTIFICATION_INVALID)
    stored = _store_evidence(files)
    item.status = RectificationStatus.ANSWERED
    item.updated_at = timezone.now()
    item.save(update_fields=["status", "updated_at"])
    event = _event(item, actor, RectificationAction.ANSWER, text)
    uploader = actor.username if actor else ""
    Evidence.objects.bulk_create([Evidence(item=item, event=event, name=name, content_type=content_type, size=size,
                                           sha256=digest, uploaded_by=uploader)
                                  for name, content_type, size, digest in stored])
    audit_record(action="rectification_answer", actor=actor, object_type="inspection", object_id=number,
                 object_repr=f"第 {seq} 项：{text[:80]}",
                 detail={"seq": seq, "files": [{"name": n, "sha256": d, "size": s} for n, _, s, d in stored]})
    _tell_inspectors(item, event)
    return item


@transaction.atomic
def rectification_verify(*, actor: User | None, scope: Scope, number: str, seq: int, close: bool,
                         comment: str = "", due_date: date | None = None) -> RectificationItem:
    """The inspecting side closes an answered item (销号), or sends it back with a comment and perhaps a new date."""
    found = access_rectification(scope=scope, number=number, seq=seq)
    if not inspects(scope, found.inspection):
        raise Forbidden(SupervisionError.READ_ONLY,
                        f"第 {seq} 项整改事项由{found.inspection.inspector_org.name}核验，您只能查看")
    item = RectificationItem.objects.select_for_update().select_related("responsible_org").get(pk=found.pk)
    item.inspection = found.inspection
    if item.status != RectificationStatus.ANSWERED:
        raise DomainError(SupervisionError.RECTIFICATION_STATE,
                          f"第 {seq} 项整改事项{item.get_status_display()}，没有待核验的整改情况",
                          kind=ErrorKind.CONFLICT)
    text = comment.strip()[:TEXT_LIMIT]
    if close:
        item.status = RectificationStatus.CLOSED
    else:
        text = _text(comment, label="退回理由", field="comment", code=SupervisionError.RECTIFICATION_INVALID)
        if due_date is not None:
            _check_due(due_date, timezone.localdate())
            item.due_date = due_date
        item.status = RectificationStatus.RETURNED
    item.updated_at = timezone.now()
    item.save(update_fields=["status", "due_date", "updated_at"])
    event = _event(item, actor, RectificationAction.CLOSE if close else RectificationAction.RETURN, text)
    audit_record(action="rectification_close" if close else "rectification_return", actor=actor,
                 object_type="inspection", object_id=number, object_repr=f"第 {seq} 项",
                 detail={"seq": seq, "comment": text, "due_date": item.due_date.isoformat()})
    verdict = "已核验销号" if close else f"被退回重改，整改期限 {item.due_date.isoformat()}"
    _tell_owing(item, f"rectification-{event.action}:{item.pk}:{event.pk}",
                f"{item.inspection.title}第 {seq} 项整改事项{verdict}", text or item.requirement)
    return item


# -- the report --------------------------------------------------------------------------------------------
@transaction.atomic
def inspection_report_export(*, actor: User | None, scope: Scope, number: str,
                             actor_name: str = "") -> tuple[str, bytes]:
    """The inspection's report as a Word document (GB/T 9704): its file name and bytes; audited."""
    inspection = access_inspection(scope=scope, number=number)
    today = timezone.localdate()
    view = selectors.inspection_detail(scope=scope, inspection=inspection, today=today)
    data = write_document(inspection_document(view, today=today))
    audit_record(action="export", actor=actor, actor_name=actor_name, object_type="inspection", object_id=number,
                 object_repr=inspection.title,
                 detail={"format": "docx", "findings": sum(len(i.findings) for t in view.targets for i in t.items),
                         "rectifications": len(view.rectifications)})
    return f"督学检查报告-{number}.docx", data
