"""Writes of 评学 and 奖惩: evaluations and their votes (by form, API or spreadsheet), the province's weights,
commendations and penalties with their evidence, and the exports. Each is one transaction, scoped and audited.

民主评议 results: the grade with the most votes (a tie goes to the lower grade); 不合格 is never the result of
votes alone — when 不合格 has the most votes the result stays 基本合格 until the organization decides 不合格
itself, with its reason in the note. The organization may decide any grade (a decision is marked as such).
An evaluation closes only when every member reviewed has a grade and the 优秀 share is within the evaluation's
cap (default 20%, the ceiling commonly applied to 优秀 in annual appraisals, e.g. 公务员考核规定's 15–20%).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import GrantRole, ScopeGrant, User
from xuexi.accounts.scope import Scope
from xuexi.assessment import scorecard
from xuexi.assessment.access import (
    access_evaluation,
    access_penalty,
    require_weights_setter,
)
from xuexi.assessment.errors import AssessmentError
from xuexi.assessment.models import (
    Commendation,
    CommendationKind,
    DemocraticReview,
    Evaluation,
    EvaluationKind,
    EvaluationStatus,
    Grade,
    Penalty,
    PenaltyKind,
    RectifyStatus,
    SanctionEvidence,
    ScorecardWeights,
)
from xuexi.errors import DomainError, ErrorKind
from xuexi.exchange.files import read_table, write_workbook, write_xlsx
from xuexi.exchange.importing import ImportResult, RowError
from xuexi.learning import attachments
from xuexi.learning.attachments import EvidenceFile as EvidenceFile
from xuexi.notices.models import NotificationKind
from xuexi.notices.services import Draft, notify
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization
from xuexi.people.models import Person
from xuexi.supervision.access import inspection_q
from xuexi.supervision.models import Finding, Inspection

TEXT_LIMIT = 4000
MAX_EVIDENCE_FILES = 10
GRADE_ORDER = (Grade.EXCELLENT, Grade.QUALIFIED, Grade.BASICALLY_QUALIFIED, Grade.UNQUALIFIED)
VOTE_HEADERS = ("优秀票", "合格票", "基本合格票", "不合格票")
REVIEW_HEADERS = ("人员编号", "姓名", "所属组织", *VOTE_HEADERS, "评定等次", "说明")
WEIGHT_FIELDS = ("norms_weight", "exams_weight", "reports_weight", "review_weight")
POINT_FIELDS = ("rating_excellent", "rating_good", "rating_fair", "rating_poor", "rating_missing",
                "grade_excellent", "grade_qualified", "grade_basic", "grade_unqualified")


def _invalid(detail: str, field: str, code: str = AssessmentError.EVALUATION_INVALID, row: int | None = None
             ) -> DomainError:
    return DomainError(code, detail, field=field, row=row)


def _text(value: str, *, label: str, field: str, code: str, limit: int = TEXT_LIMIT, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise _invalid(f"请填写{label}", field, code)
    if len(text) > limit:
        raise _invalid(f"{label}有 {len(text)} 个字，超过上限 {limit} 个字", field, code)
    return text


def check_year(year: int, code: str = AssessmentError.EVALUATION_INVALID) -> int:
    if not 2000 <= year <= 2100:
        raise _invalid(f"年度 {year} 无效：应为 2000 到 2100 之间的年份", "year", code)
    return year


# -- evaluations -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvaluationInput:
    title: str
    year: int
    kind: str
    opens: date
    closes: date
    excellent_cap: int = 20


@transaction.atomic
def evaluation_create(*, actor: User | None, scope: Scope, org_code: str, data: EvaluationInput) -> Evaluation:
    """Open an evaluation organized by an organization in the write scope, over the members of its subtree."""
    org = access_org(scope=scope, code=org_code, write=True)
    title = _text(data.title, label="评学标题", field="title", limit=200, code=AssessmentError.EVALUATION_INVALID)
    check_year(data.year)
    if data.kind not in EvaluationKind.values:
        raise _invalid(f"类别“{data.kind}”无效：应为 {'、'.join(EvaluationKind.values)} 之一", "kind")
    if data.closes < data.opens:
        raise _invalid(f"结束日期 {data.closes.isoformat()} 早于开始日期 {data.opens.isoformat()}", "closes")
    if not 0 <= data.excellent_cap <= 100:
        raise _invalid(f"优秀比例上限 {data.excellent_cap} 无效：应为 0 到 100 之间的整数", "excellent_cap")
    evaluation = Evaluation.objects.create(org=org, title=title, year=data.year, kind=data.kind, opens=data.opens,
                                           closes=data.closes, excellent_cap=data.excellent_cap,
                                           created_by=actor.username if actor else "")
    audit_record(action="evaluation_create", actor=actor, object_type="evaluation", object_id=str(evaluation.pk),
                 object_repr=title, detail={"org": org.code, "year": data.year, "kind": data.kind,
                                            "opens": data.opens.isoformat(), "closes": data.closes.isoformat(),
                                            "excellent_cap": data.excellent_cap})
    return evaluation


def default_grade(votes: Sequence[int]) -> str:
    """The grade the votes give (优秀, 合格, 基本合格, 不合格 counts): the most votes, a tie to the lower grade;
    never 不合格 by votes alone (基本合格 until the organization decides)."""
    if not any(votes):
        return ""
    most = max(votes)
    grade = GRADE_ORDER[max(i for i, n in enumerate(votes) if n == most)]
    return Grade.BASICALLY_QUALIFIED if grade == Grade.UNQUALIFIED else grade


@dataclass(frozen=True)
class ReviewInput:
    person_number: str
    votes: tuple[int, int, int, int]  # 优秀, 合格, 基本合格, 不合格
    grade: str = ""  # the organization's decision; blank: by the votes
    note: str = ""
    row: int | None = None  # the spreadsheet's row, for the messages


def _writable(scope: Scope, pk: int) -> Evaluation:
    found = access_evaluation(scope=scope, pk=pk, write=True)
    evaluation = Evaluation.objects.select_for_update().select_related("org").get(pk=found.pk)
    if evaluation.status == EvaluationStatus.CLOSED:
        raise DomainError(AssessmentError.EVALUATION_CLOSED, f"评学“{evaluation.title}”已结束，结果不能再修改",
                          kind=ErrorKind.CONFLICT)
    return evaluation


def _review_problems(evaluation: Evaluation, entries: Sequence[ReviewInput]
                     ) -> tuple[list[RowError], dict[str, Person]]:
    """Every wrong value of the entries, by row and column; the people they name."""
    numbers = [e.person_number.strip() for e in entries]
    people = {p.number: p for p in Person.objects.filter(number__in=numbers, is_active=True,
                                                            org__path__startswith=evaluation.org.path)}
    errors: list[RowError] = []
    first: dict[str, int] = {}
    for n, (entry, number) in enumerate(zip(entries, numbers, strict=True), start=1):
        row = entry.row if entry.row is not None else n
        if number not in people:
            errors.append(RowError(row, "人员编号", number, f"{evaluation.org.name}及其下级组织在册党员的人员编号"))
        elif number in first:
            errors.append(RowError(row, "人员编号", number, f"文件中唯一的人员编号（与第 {first[number]} 行重复）"))
        else:
            first[number] = row
        for header, value in zip(VOTE_HEADERS, entry.votes, strict=True):
            if value < 0 or value > 100_000:
                errors.append(RowError(row, header, str(value), "0 到 100000 之间的整数"))
        if entry.grade and entry.grade not in Grade.values:
            errors.append(RowError(row, "评定等次", entry.grade, f"{'、'.join(Grade.values)} 之一，或留空按得票评定"))
        if entry.grade == Grade.UNQUALIFIED and not entry.note.strip():
            errors.append(RowError(row, "说明", "", "评定为不合格的理由（不合格须由组织决定并写明理由）"))
        if len(entry.note) > 500:
            errors.append(RowError(row, "说明", entry.note[:20], "不超过 500 个字"))
    return errors, people


def _store_reviews(actor: User | None, evaluation: Evaluation, entries: Sequence[ReviewInput],
                   people: Mapping[str, Person]) -> tuple[int, int]:
    held = {r.person_id: r for r in evaluation.reviews.all()}
    now, by = timezone.now(), actor.username if actor else ""
    created: list[DemocraticReview] = []
    updated: list[DemocraticReview] = []
    for entry in entries:
        person = people[entry.person_number.strip()]
        review = held.get(person.pk) or DemocraticReview(evaluation=evaluation, person=person)
        (review.excellent_votes, review.qualified_votes, review.basic_votes,
         review.unqualified_votes) = entry.votes
        review.decided = bool(entry.grade)
        review.grade = entry.grade or default_grade(entry.votes)
        review.note = entry.note.strip()
        review.updated_at, review.updated_by = now, by
        (updated if review.pk else created).append(review)
    DemocraticReview.objects.bulk_create(created)
    DemocraticReview.objects.bulk_update(updated, ["excellent_votes", "qualified_votes", "basic_votes",
                                                   "unqualified_votes", "grade", "decided", "note", "updated_at",
                                                   "updated_by"])
    return len(created), len(updated)


@transaction.atomic
def reviews_record(*, actor: User | None, scope: Scope, evaluation_id: int,
                   entries: Sequence[ReviewInput]) -> tuple[int, int]:
    """Record members' votes and grades (all or nothing): the numbers created and updated."""
    evaluation = _writable(scope, evaluation_id)
    if not entries:
        raise _invalid("请至少填写一名党员的评议票数", "entries", AssessmentError.REVIEW_INVALID)
    errors, people = _review_problems(evaluation, entries)
    if errors:
        first = errors[0]
        raise DomainError(AssessmentError.REVIEW_INVALID, "；".join(str(e) for e in errors[:20]),
                          field={"人员编号": "person_number", "评定等次": "grade", "说明": "note"}.get(
                              first.column, "votes"), row=first.row if len(entries) > 1 else None)
    created, updated = _store_reviews(actor, evaluation, entries, people)
    audit_record(action="review_record", actor=actor, object_type="evaluation", object_id=str(evaluation.pk),
                 object_repr=evaluation.title,
                 detail={"created": created, "updated": updated,
                         "people": [e.person_number.strip() for e in entries][:200]})
    return created, updated


def _int_cell(text: str) -> int | None:
    value = text.strip()
    if not value:
        return 0
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number == int(number) else None


def reviews_import(*, actor: User | None, scope: Scope, evaluation_id: int, data: bytes,
                   filename: str = "") -> ImportResult:
    """Import votes from a spreadsheet (the evaluation's export is its template): every cell checked, all or
    nothing, each bad cell named by row, column and value."""
    evaluation = access_evaluation(scope=scope, pk=evaluation_id, write=True)
    result = ImportResult(table="democratic_review", file_hash=hashlib.sha256(data).hexdigest())
    sheet = read_table(data, filename)
    required = ("人员编号", *VOTE_HEADERS)
    result.errors = [RowError(1, h, "", f"表头中有“{h}”列（可先导出本次评议作为模板）")
                     for h in required if h not in sheet.headers]
    if not sheet.rows:
        result.errors.append(RowError(None, "", "", "至少一行评议数据（第 1 行为表头）"))
    if result.errors:
        _audit_import(actor, evaluation, result, filename)
        return result
    index = {h: i for i, h in enumerate(sheet.headers)}

    def cell(row: Sequence[str | None], header: str) -> str:
        i = index.get(header)
        return (row[i] or "") if i is not None and i < len(row) else ""

    entries = []
    for number, row in zip(sheet.row_numbers, sheet.rows, strict=True):
        votes = []
        for header in VOTE_HEADERS:
            value = _int_cell(cell(row, header))
            if value is None:
                result.errors.append(RowError(number, header, cell(row, header), "不小于 0 的整数票数"))
            votes.append(value or 0)
        entries.append(ReviewInput(person_number=cell(row, "人员编号"), votes=(votes[0], votes[1], votes[2], votes[3]),
                                   grade=cell(row, "评定等次").strip(), note=cell(row, "说明"), row=number))
    problems, people = _review_problems(evaluation, entries)
    result.errors += problems
    result.errors.sort(key=lambda e: (e.row or 0, e.column))
    result.rows = len(entries)
    if result.errors:
        _audit_import(actor, evaluation, result, filename)
        return result
    with transaction.atomic():
        locked = _writable(scope, evaluation_id)
        result.created, result.updated = _store_reviews(actor, locked, entries, people)
        result.stored = True
        _audit_import(actor, evaluation, result, filename)
    return result


def _audit_import(actor: User | None, evaluation: Evaluation, result: ImportResult, filename: str) -> None:
    audit_record(action="review_import", actor=actor, object_type="evaluation", object_id=str(evaluation.pk),
                 object_repr=evaluation.title, outcome="success" if result.stored else "failure",
                 detail={"file": filename[:200], "sha256": result.file_hash, "rows": result.rows,
                         "created": result.created, "updated": result.updated, "errors": len(result.errors)})


@transaction.atomic
def evaluation_close(*, actor: User | None, scope: Scope, evaluation_id: int) -> Evaluation:
    """Close an evaluation: every member reviewed has a grade, the 优秀 share within the cap; then read-only."""
    evaluation = _writable(scope, evaluation_id)
    reviews = list(evaluation.reviews.select_related("person"))
    if not reviews:
        raise DomainError(AssessmentError.EVALUATION_INVALID, "尚未录入任何评议结果，不能结束", field="status",
                          kind=ErrorKind.CONFLICT)
    missing = [r.person.number for r in reviews if not r.grade]
    if missing:
        raise DomainError(AssessmentError.EVALUATION_INVALID,
                          f"人员编号 {'、'.join(missing[:10])} 尚无评定等次（没有得票）：请录入票数或由组织评定",
                          field="status", kind=ErrorKind.CONFLICT)
    excellent = sum(1 for r in reviews if r.grade == Grade.EXCELLENT)
    if excellent * 100 > evaluation.excellent_cap * len(reviews):
        share = round(100 * excellent / len(reviews), 1)
        raise DomainError(AssessmentError.EVALUATION_INVALID,
                          f"评为优秀 {excellent} 人，占参评 {len(reviews)} 人的 {share}%，"
                          f"超过优秀比例上限 {evaluation.excellent_cap}%：请由组织调整评定等次",
                          field="status", kind=ErrorKind.CONFLICT)
    evaluation.status = EvaluationStatus.CLOSED
    evaluation.closed_at = timezone.now()
    evaluation.save(update_fields=["status", "closed_at"])
    counts = {g: sum(1 for r in reviews if r.grade == g) for g in Grade.values}
    audit_record(action="evaluation_close", actor=actor, object_type="evaluation", object_id=str(evaluation.pk),
                 object_repr=evaluation.title, detail={"reviewed": len(reviews), "grades": counts})
    return evaluation


def _review_rows(evaluation: Evaluation) -> list[list[Any]]:
    return [[r.person.number, r.person.name, r.person.org.name, r.excellent_votes, r.qualified_votes, r.basic_votes,
             r.unqualified_votes, r.grade, r.note]
            for r in evaluation.reviews.select_related("person__org").order_by("person__org__path", "person__number")]


@transaction.atomic
def evaluation_export(*, actor: User | None, scope: Scope, evaluation_id: int,
                      actor_name: str = "") -> tuple[str, bytes]:
    """民主评议党员: the members, their votes and grades (.xlsx, the import's own layout); audited."""
    evaluation = access_evaluation(scope=scope, pk=evaluation_id)
    rows = _review_rows(evaluation)
    data = write_xlsx(REVIEW_HEADERS, rows, sheet_title="民主评议党员")
    audit_record(action="export", actor=actor, actor_name=actor_name, object_type="evaluation",
                 object_id=str(evaluation.pk), object_repr=evaluation.title,
                 detail={"format": "xlsx", "rows": len(rows), "sha256": hashlib.sha256(data).hexdigest()})
    return f"民主评议党员-{evaluation.org.code}-{evaluation.year}-{evaluation.pk}.xlsx", data


def _label(name: str) -> str:
    return str(getattr(ScorecardWeights._meta.get_field(name), "verbose_name", name))


# -- weights -----------------------------------------------------------------------------------------------------
@transaction.atomic
def weights_save(*, actor: User | None, scope: Scope, year: int, values: Mapping[str, int]) -> ScorecardWeights:
    """Set a year's weights (summing to 100) and points (0–100): administrators of the province only."""
    require_weights_setter(scope)
    check_year(year, AssessmentError.WEIGHTS_INVALID)
    unknown = sorted(set(values) - set(WEIGHT_FIELDS) - set(POINT_FIELDS))
    if unknown:
        raise _invalid(f"不能设置这些字段：{'、'.join(unknown)}", unknown[0], AssessmentError.WEIGHTS_INVALID)
    row = ScorecardWeights.objects.select_for_update().filter(year=year).first() or ScorecardWeights(year=year)
    before = {f: getattr(row, f) for f in (*WEIGHT_FIELDS, *POINT_FIELDS)} if row.pk else {}
    for name, value in values.items():
        label = _label(name)
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise _invalid(f"{label}“{value}”无效：应为 0 到 100 之间的整数", name, AssessmentError.WEIGHTS_INVALID)
        setattr(row, name, value)
    total = sum(getattr(row, f) for f in WEIGHT_FIELDS)
    if total != 100:
        parts = "、".join(f"{_label(f)} {getattr(row, f)}"
                         for f in WEIGHT_FIELDS)
        raise _invalid(f"四项权重之和为 {total}（{parts}），应为 100", "norms_weight", AssessmentError.WEIGHTS_INVALID)
    row.updated_at, row.updated_by = timezone.now(), actor.username if actor else ""
    row.save()
    after = {f: getattr(row, f) for f in (*WEIGHT_FIELDS, *POINT_FIELDS)}
    audit_record(action="weights_save", actor=actor, object_type="scorecard_weights", object_id=str(year),
                 object_repr=f"{year} 年度考核权重",
                 detail={"before": {k: v for k, v in before.items() if after[k] != v},
                         "after": {k: v for k, v in after.items() if before.get(k) != v}})
    return row


# -- scorecard exports ---------------------------------------------------------------------------------------------
SCORE_HEADERS = ("制度落实", "制度落实得分", "考学", "考学得分", "述学", "述学得分", "民主评议", "民主评议得分",
                 "综合得分")


def _score_cells(card: scorecard.Scorecard) -> list[Any]:
    cells: list[Any] = []
    for c in card.components:
        cells += [c.raw, "" if c.points is None else c.weighted]
    return [*cells, card.total]


@transaction.atomic
def scorecard_export(*, actor: User | None, scope: Scope, org_code: str, year: int, kind: str,
                     actor_name: str = "") -> tuple[str, bytes]:
    """Export a scorecard (.xlsx): kind 'appraisal' (领导班子和领导干部综合考核评价: the organizations below and the
    leading cadres), 'best' (党建评先: the organizations below, ranked) or 'cadres' (leading cadres only); audited."""
    org = access_org(scope=scope, code=org_code)
    check_year(year)
    orgs = scorecard.org_scorecards(scope=scope, org=org, year=year) if kind != "cadres" else []
    cadres = scorecard.cadre_scorecards(scope=scope, org=org, year=year) if kind != "best" else []
    org_sheet = ("领导班子" if kind == "appraisal" else "党建评先", ("名次", "组织编码", "组织名称", *SCORE_HEADERS),
                 [[c.rank, c.code, c.name, *_score_cells(c)] for c in orgs])
    cadre_sheet = ("领导干部", ("名次", "人员编号", "姓名", "所属组织", *SCORE_HEADERS),
                   [[c.rank, c.code, c.name, c.org_name, *_score_cells(c)] for c in cadres])
    Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
    choices: dict[str, list[Sheet]] = {"appraisal": [org_sheet, cadre_sheet], "best": [org_sheet],
                                       "cadres": [cadre_sheet]}
    sheets = choices.get(kind)
    if sheets is None:
        raise _invalid(f"导出类别“{kind}”无效：应为 appraisal（领导班子和领导干部综合考核评价）、best（党建评先）"
                       f"或 cadres（领导干部）", "kind")
    data = write_workbook(sheets)
    title = {"appraisal": "领导班子和领导干部综合考核评价", "best": "党建评先", "cadres": "领导干部考核评价"}[kind]
    audit_record(action="export", actor=actor, actor_name=actor_name, object_type="scorecard", object_id=org.code,
                 object_repr=f"{org.name} {year} 年度{title}",
                 detail={"format": "xlsx", "kind": kind, "year": year, "orgs": len(orgs), "cadres": len(cadres),
                         "sha256": hashlib.sha256(data).hexdigest()})
    return f"{title}-{org.code}-{year}.xlsx", data


# -- 奖惩 ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SanctionInput:
    kind: str
    granted_by_code: str  # the deciding organization: the subject's own or one above it, in the write scope
    reason: str
    date: datetime.date
    org_code: str = ""  # the organization concerned (先进集体, or a penalty of an organization)
    person_number: str = ""  # the person concerned (学习标兵, or a penalty of a person)
    evaluation_id: int | None = None
    inspection_number: str = ""
    finding_id: int | None = None  # penalties only: a finding of the inspection
    deadline: datetime.date | None = None  # 限期整改 only


def _subject(scope: Scope, data: SanctionInput, person_kinds: Sequence[str],
             code: str = AssessmentError.SANCTION_INVALID) -> tuple[Organization, Organization, Person | None]:
    granted_by = access_org(scope=scope, code=data.granted_by_code, write=True)
    person = None
    if data.person_number.strip():
        person = Person.objects.select_related("org").filter(number=data.person_number.strip(), is_active=True,
                                                             org__path__startswith=granted_by.path).first()
        if person is None:
            raise _invalid(f"人员编号 {data.person_number} 不存在，或不在{granted_by.name}及其下级组织",
                           "person_number", code)
        org = person.org
    else:
        org_found = Organization.objects.filter(code=data.org_code.strip(), path__startswith=granted_by.path,
                                                is_active=True).first()
        if org_found is None:
            raise _invalid(f"组织编码 {data.org_code} 不存在，或不是{granted_by.name}及其下级组织", "org_code", code)
        org = org_found
    if data.kind in person_kinds and person is None:
        raise _invalid(f"{data.kind}须填写个人的人员编号", "person_number", code)
    return granted_by, org, person


def _links(scope: Scope, data: SanctionInput, org: Organization) -> tuple[Evaluation | None, Inspection | None]:
    evaluation = None
    if data.evaluation_id:
        evaluation = access_evaluation(scope=scope, pk=data.evaluation_id)
        if not org.path.startswith(evaluation.org.path):
            raise _invalid(f"评学 {data.evaluation_id} 不涉及{org.name}", "evaluation_id",
                           AssessmentError.SANCTION_INVALID)
    inspection = None
    if data.inspection_number.strip():
        inspection = Inspection.objects.filter(inspection_q(scope), number=data.inspection_number.strip()).first()
        if inspection is None:
            raise _invalid(f"督学检查编号 {data.inspection_number} 不存在", "inspection_number",
                           AssessmentError.SANCTION_INVALID)
    return evaluation, inspection


def _store_evidence(files: Sequence[EvidenceFile]) -> list[tuple[str, str, int, str]]:
    if len(files) > MAX_EVIDENCE_FILES:
        raise _invalid(f"一次上传了 {len(files)} 个文件，至多 {MAX_EVIDENCE_FILES} 个", "files",
                       AssessmentError.SANCTION_INVALID)
    return attachments.store_all(files)


def _nearest_admins(org: Organization) -> set[int]:
    """The administrators of the organization, else of the nearest organization above it that has some."""
    step = Organization.steplen
    paths = [org.path[:end] for end in range(step, len(org.path) + 1, step)]
    grants = (ScopeGrant.objects.filter(role=GrantRole.ORG_ADMIN, user__is_active=True, user__admin_role="",
                                        org__path__in=paths, org__is_active=True)
              .values_list("org__path", "user_id"))
    by_path: dict[str, set[int]] = {}
    for path, user_id in grants:
        by_path.setdefault(path, set()).add(user_id)
    return by_path[max(by_path, key=len)] if by_path else set()


def _tell_subject(org: Organization, person: Person | None, title: str, body: str, link: str, key: str) -> None:
    recipients = _nearest_admins(org)
    if person is not None:
        recipients |= set(User.objects.filter(person=person, is_active=True).values_list("pk", flat=True))
    notify(recipients=recipients, draft=Draft(kind=NotificationKind.SANCTION, key=key, title=title, body=body,
                                              link=link))


def _subject_name(org: Organization, person: Person | None) -> str:
    return f"{person.name}（{org.name}）" if person else org.name


@transaction.atomic
def commendation_grant(*, actor: User | None, scope: Scope, data: SanctionInput,
                       files: Sequence[EvidenceFile] = ()) -> Commendation:
    """表彰: 先进集体 of an organization or 学习标兵 of a person, by their organization or one above, with evidence."""
    code = AssessmentError.SANCTION_INVALID
    if data.kind not in CommendationKind.values:
        raise _invalid(f"表彰类别“{data.kind}”无效：应为 {'、'.join(CommendationKind.values)} 之一", "kind", code)
    if data.kind == CommendationKind.ADVANCED_COLLECTIVE and data.person_number.strip():
        raise _invalid("先进集体表彰的是组织：请填写组织编码，不填人员编号", "person_number", code)
    granted_by, org, person = _subject(scope, data, [CommendationKind.STUDY_MODEL])
    reason = _text(data.reason, label="表彰事由", field="reason", code=code)
    evaluation, inspection = _links(scope, data, org)
    stored = _store_evidence(files)
    commendation = Commendation.objects.create(
        kind=data.kind, org=org, person=person, granted_by=granted_by, reason=reason, date=data.date,
        evaluation=evaluation, inspection=inspection, created_by=actor.username if actor else "")
    _evidence_rows(actor, stored, commendation=commendation)
    audit_record(action="commendation_grant", actor=actor, object_type="commendation",
                 object_id=str(commendation.pk), object_repr=f"{data.kind}：{_subject_name(org, person)}",
                 detail={"granted_by": granted_by.code, "org": org.code, "person": person.number if person else "",
                         "date": data.date.isoformat(), "evaluation": evaluation.pk if evaluation else None,
                         "inspection": inspection.number if inspection else "",
                         "files": [{"name": n, "sha256": d} for n, _, _, d in stored]})
    _tell_subject(org, person, f"{granted_by.name}授予{_subject_name(org, person)}“{data.kind}”", reason,
                  reverse("web:org_assessment", args=[org.code]), f"commendation:{commendation.pk}")
    return commendation


def _evidence_rows(actor: User | None, stored: Sequence[tuple[str, str, int, str]], **owner: Any) -> None:
    by = actor.username if actor else ""
    SanctionEvidence.objects.bulk_create([SanctionEvidence(name=name, content_type=content_type, size=size,
                                                           sha256=digest, uploaded_by=by, **owner)
                                          for name, content_type, size, digest in stored])


@transaction.atomic
def penalty_grant(*, actor: User | None, scope: Scope, data: SanctionInput,
                  files: Sequence[EvidenceFile] = ()) -> Penalty:
    """惩戒: 通报批评, or 限期整改 with a deadline, of an organization or a person, by their organization or one above,
    linked to an inspection (or one of its findings) and/or an evaluation, with evidence."""
    code = AssessmentError.SANCTION_INVALID
    if data.kind not in PenaltyKind.values:
        raise _invalid(f"惩戒类别“{data.kind}”无效：应为 {'、'.join(PenaltyKind.values)} 之一", "kind", code)
    granted_by, org, person = _subject(scope, data, [])
    reason = _text(data.reason, label="惩戒事由", field="reason", code=code)
    deadline = data.deadline if data.kind == PenaltyKind.RECTIFY_BY_DEADLINE else None
    if data.kind == PenaltyKind.RECTIFY_BY_DEADLINE and (deadline is None or deadline < data.date):
        shown = deadline.isoformat() if deadline else "空"
        raise _invalid(f"整改期限“{shown}”无效：限期整改须填写不早于决定日期 {data.date.isoformat()} 的整改期限",
                       "deadline", code)
    evaluation, inspection = _links(scope, data, org)
    finding = None
    if data.finding_id:
        finding = Finding.objects.filter(pk=data.finding_id, inspection=inspection).first() if inspection else None
        if finding is None:
            raise _invalid(f"检查问题 {data.finding_id} 不属于所填的督学检查", "finding_id", code)
    stored = _store_evidence(files)
    penalty = Penalty.objects.create(
        kind=data.kind, org=org, person=person, granted_by=granted_by, reason=reason, date=data.date,
        deadline=deadline, rectify_status=RectifyStatus.OPEN if deadline else RectifyStatus.NONE,
        evaluation=evaluation, inspection=inspection, finding=finding, created_by=actor.username if actor else "")
    _evidence_rows(actor, stored, penalty=penalty)
    audit_record(action="penalty_grant", actor=actor, object_type="penalty", object_id=str(penalty.pk),
                 object_repr=f"{data.kind}：{_subject_name(org, person)}",
                 detail={"granted_by": granted_by.code, "org": org.code, "person": person.number if person else "",
                         "date": data.date.isoformat(), "deadline": deadline.isoformat() if deadline else "",
                         "evaluation": evaluation.pk if evaluation else None,
                         "inspection": inspection.number if inspection else "",
                         "finding": finding.pk if finding else None,
                         "files": [{"name": n, "sha256": d} for n, _, _, d in stored]})
    due = f"，整改期限 {deadline.isoformat()}" if deadline else ""
    _tell_subject(org, person, f"{granted_by.name}对{_subject_name(org, person)}{data.kind}{due}", reason,
                  reverse("web:org_assessment", args=[org.code]), f"penalty:{penalty.pk}")
    return penalty


@transaction.atomic
def penalty_rectified(*, actor: User | None, scope: Scope, penalty_id: int, note: str) -> Penalty:
    """The deciding organization marks a 限期整改 as rectified, with what was done."""
    found = access_penalty(scope=scope, pk=penalty_id, write=True)
    penalty = Penalty.objects.select_for_update().get(pk=found.pk)
    if penalty.rectify_status != RectifyStatus.OPEN:
        raise DomainError(AssessmentError.SANCTION_INVALID,
                          f"该惩戒{'已整改' if penalty.rectify_status else '不是限期整改'}，不能再标记整改完成",
                          kind=ErrorKind.CONFLICT)
    text = _text(note, label="整改情况", field="note", code=AssessmentError.SANCTION_INVALID)
    penalty.rectify_status, penalty.rectify_note, penalty.rectified_at = RectifyStatus.DONE, text, timezone.now()
    penalty.save(update_fields=["rectify_status", "rectify_note", "rectified_at"])
    audit_record(action="penalty_rectified", actor=actor, object_type="penalty", object_id=str(penalty.pk),
                 object_repr=f"{penalty.kind}：{found.org.name}", detail={"note": text[:500]})
    return penalty
