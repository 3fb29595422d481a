"""Importing an exchange file: every row checked first, then all of it stored or none of it.

The flow is the same for the four tables: read the file (files.read_table), map the headers,
read every cell, check the rows against each other, the database and the uploader's scope,
and only when no row is wrong write the whole file in one transaction with set-based writes.
Rows are matched by code or number, so importing the same file again changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AuditOutcome, User
from xuexi.accounts.scope import Scope
from xuexi.bulk import bulk_upsert
from xuexi.errors import DomainError
from xuexi.exchange import cells
from xuexi.exchange.files import FileRefused, Sheet, read_table
from xuexi.exchange.tables import TABLES, Table
from xuexi.learning import totals
from xuexi.learning.models import Activity, ActivityContentArea, Attendance
from xuexi.learning.services import ActivityInput, activity_problems
from xuexi.orgs import dependents
from xuexi.orgs.models import Organization, OrganizationChange
from xuexi.people.models import Person, PersonGroup
from xuexi.people.services import personal_number_fields

BATCH = 5000
# Lookups by sets of codes go in chunks: SQLite allows 32,766 parameters in a statement.
LOOKUP_CHUNK = 10_000


def _where_in(qs: QuerySet[Any], field: str, values: Iterable[Any]) -> Iterator[Any]:
    """The rows of `qs` whose `field` is one of `values`, however many values there are."""
    unique = [v for v in dict.fromkeys(values) if v not in (None, "")]
    for start in range(0, len(unique), LOOKUP_CHUNK):
        yield from qs.filter(**{f"{field}__in": unique[start:start + LOOKUP_CHUNK]})


def _delete_in(qs: QuerySet[Any], field: str, values: Sequence[Any]) -> None:
    for start in range(0, len(values), LOOKUP_CHUNK):
        qs.filter(**{f"{field}__in": values[start:start + LOOKUP_CHUNK]}).delete()


@dataclass(frozen=True)
class RowError:
    """One wrong cell: the row as the spreadsheet shows it (header = 1), the column, the value, what fits."""

    row: int | None
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row is not None else "文件"
        column = f"“{self.column}”列" if self.column else ""
        value = f"值“{self.value}”" if self.value else "值为空"
        return f"{where}{column}：{value}，应为{self.expected}"


@dataclass
class ImportResult:
    table: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_hash: str = ""
    stored: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    raw: dict[str, str]


class _Checker:
    """Collects errors, naming the column by the header the file used."""

    def __init__(self, table: Table, headers: dict[str, str]) -> None:
        self.table = table
        self.headers = headers
        self.errors: list[RowError] = []

    def add(self, row: _Row, key: str, expected: str) -> None:
        self.add_cell(row.number, key, row.raw.get(key, ""), expected)

    def add_cell(self, number: int, key: str, value: str | None, expected: str) -> None:
        column = self.table.column(key)
        header = self.headers.get(key) or (column.header if column else key)
        self.errors.append(RowError(number, header, value or "", expected))


@dataclass
class _Plan:
    """A checked file: how many rows it holds, and how to store them."""

    rows: int
    store: Callable[[User | None], tuple[int, int]]


def import_file(
    *, actor: User | None, scope: Scope, table: str, data: bytes, filename: str = "", commit: bool = True,
    max_bytes: int | None = None, max_cells: int | None = None,
) -> ImportResult:
    """Check a file and, when commit is set and nothing is wrong, store all of it; audit either way."""
    result = ImportResult(table=table, file_hash=hashlib.sha256(data).hexdigest())
    with _collector_paused():
        try:
            sheet = read_table(data, filename, max_bytes=max_bytes, max_cells=max_cells)
        except FileRefused as exc:
            result.errors.append(RowError(None, "", "", str(exc)))
        else:
            _check_and_store(TABLES[table], sheet, scope, actor, commit, result)
    _audit(actor, result, filename, commit)
    return result


def _check_and_store(spec: Table, sheet: Sheet, scope: Scope, actor: User | None, commit: bool,
                     result: ImportResult) -> None:
    headers, header_errors = _map_headers(spec, sheet.headers)
    result.errors.extend(header_errors)
    if header_errors:
        return
    checker = _Checker(spec, headers)
    # When storing, the checks and the writes see the same database: one transaction.
    with transaction.atomic() if commit else nullcontext():
        plan = _PLANS[spec.name](spec, sheet, scope, checker)
        result.rows = plan.rows
        result.errors.extend(checker.errors)
        if result.ok and commit:
            result.created, result.updated = plan.store(actor)
            result.stored = True


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a file is read, checked and stored.

    A file of a million rows makes millions of lists and tuples, none of them in a reference cycle, and the
    collector would walk them again and again: a third of the time of reading a large file. Cycles made
    meanwhile, here or in another thread, are collected when it runs again.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _audit(actor: User | None, result: ImportResult, filename: str, commit: bool) -> None:
    if not commit:
        return
    audit_record(
        action="import", actor=actor, actor_name="xuexi import" if actor is None else "",
        outcome=AuditOutcome.SUCCESS if result.stored else AuditOutcome.FAILURE, object_type="exchange",
        object_id=result.table, object_repr=filename[-255:],
        detail={"rows": result.rows, "created": result.created, "updated": result.updated,
                "errors": len(result.errors), "sha256": result.file_hash},
    )


def _map_headers(spec: Table, headers: Sequence[str]) -> tuple[dict[str, str], list[RowError]]:
    errors: list[RowError] = []
    mapped: dict[str, str] = {}
    for header in headers:
        column = spec.column(header)
        if column is None:
            errors.append(RowError(1, header, header, f"{spec.title}表的列名之一：{'、'.join(spec.headers)}"))
        elif column.key in mapped:
            errors.append(RowError(1, header, header, "每列只出现一次"))
        else:
            mapped[column.key] = header
    for column in spec.columns:
        if column.required and column.key not in mapped:
            errors.append(RowError(1, column.header, "", f"包含必填列“{column.header}”"))
    return mapped, errors


def _read_rows(
    spec: Table, mapped: dict[str, str], headers: Sequence[str], data: Sequence[Sequence[str | None]],
    numbers: Sequence[int], checker: _Checker,
) -> list[_Row]:
    keys = [spec.column(h).key for h in headers]  # type: ignore[union-attr]
    rows: list[_Row] = []
    for number, cells_of_row in zip(numbers, data, strict=True):
        raw = {key: (cells_of_row[i] or "") if i < len(cells_of_row) else "" for i, key in enumerate(keys)}
        row = _Row(number, {}, raw)
        for column in spec.columns:
            try:
                row.values[column.key] = column.parse(raw.get(column.key) or None)
            except cells.CellError as exc:
                checker.add(row, column.key, str(exc))
        rows.append(row)
    return rows


def _duplicates(rows: Iterable[_Row], key: Callable[[_Row], object], checker: _Checker, column: str,
                what: str) -> None:
    seen: dict[object, int] = {}
    for row in rows:
        value = key(row)
        if value in (None, "", (None, None)):
            continue
        if value in seen:
            checker.add(row, column, f"{what}在文件中唯一（与第 {seen[value]} 行重复）")
        else:
            seen[value] = row.number


# -- organizations ---------------------------------------------------------------------------------

def _check_orgs(rows: list[_Row], scope: Scope, checker: _Checker) -> None:
    _duplicates(rows, lambda r: r.values.get("code"), checker, "code", "组织编码")
    file_parent = {r.values["code"]: r.values.get("parent_code") or "" for r in rows if r.values.get("code")}
    wanted = set(file_parent) | {p for p in file_parent.values() if p}
    existing = {o.code: o for o in _where_in(Organization.objects.all(), "code", wanted)}
    by_path = {existing[c].path: c for c in file_parent if c in existing}
    has_root = Organization.objects.filter(depth=1).exists()
    for row in rows:
        code = row.values.get("code")
        if not code:
            continue
        parent = file_parent[code]
        current = existing.get(code)
        if current is not None and not scope.covers_path(current.path, write=True):
            checker.add(row, "code", "您管理范围内的组织编码（该编码已被范围外的组织使用或无权修改）")
            continue
        if not parent:
            is_root = current is not None and current.depth == 1
            root_ok = is_root or (not has_root and scope.covers_path("", write=True))
            if not root_ok:
                checker.add(row, "parent_code", "已有组织的编码（只有根组织可以没有上级）")
            continue
        if parent not in file_parent and parent not in existing:
            checker.add(row, "parent_code", "已存在或本文件中的组织编码")
        elif parent not in file_parent and not scope.covers_path(existing[parent].path, write=True):
            checker.add(row, "parent_code", "您管理范围内的组织编码")
        elif _cycles(code, file_parent, existing, by_path):
            checker.add(row, "parent_code", "不形成循环的上级组织（不能是它自己或它的下级）")


def _cycles(start: str, file_parent: dict[str, str], existing: dict[str, Organization],
            by_path: dict[str, str]) -> bool:
    """Follow the parents the file will leave behind; coming back to the start is a cycle."""
    seen = {start}
    code = file_parent.get(start, "")
    while code:
        if code in seen:
            # A loop that does not pass through `start` is reported on its own rows.
            return code == start
        seen.add(code)
        if code in file_parent:
            code = file_parent[code]
            continue
        org = existing.get(code)
        if org is None:
            return False
        # An organization the file does not change: its nearest ancestor that the file does change.
        step = Organization.steplen
        prefixes = (org.path[:i] for i in range(len(org.path) - step, 0, -step))
        code = next((by_path[p] for p in prefixes if p in by_path), "")
    return False


def _apply_orgs(rows: list[_Row], scope: Scope, actor: User | None) -> tuple[int, int]:
    order = _parents_first(rows)
    now = timezone.now()
    created = updated = 0
    changes: list[OrganizationChange] = []
    moved_from: dict[int, tuple[str, str]] = {}  # the paths a moved organization had and has
    fields = ("name", "level", "kind", "sector", "has_central_group")
    for row in order:
        v = row.values
        org = Organization.objects.filter(code=v["code"]).first()
        parent = Organization.objects.filter(code=v["parent_code"]).first() if v["parent_code"] else None
        if org is None:
            values = {"code": v["code"], **{f: v[f] for f in fields}}
            org = Organization.objects.add_child(parent, values) if parent else Organization.objects.add_root(values)
            created += 1
            changes.append(OrganizationChange(org=org, at=now, actor_id=actor.pk if actor else None,
                                              actor_name=actor.username if actor else "导入", action="create",
                                              after={k: str(v[k]) for k in ("code", *fields)}))
            continue
        before = {f: getattr(org, f) for f in fields}
        after = {f: v[f] if row.raw.get(f) else before[f] for f in fields}
        current_parent = Organization.objects.get_parent(org)
        moved = parent is not None and (current_parent is None or current_parent.pk != parent.pk)
        if before == after and not moved:
            continue
        if moved:
            old_path = org.path
            Organization.objects.move(org, parent, pos="last-child")
            org.refresh_from_db()
            moved_from[org.pk] = (old_path, org.path)
        for f, value in after.items():
            setattr(org, f, value)
        org.updated_at = now
        org.save(update_fields=[*fields, "updated_at"])
        updated += 1
        changes.append(OrganizationChange(org=org, at=now, actor_id=actor.pk if actor else None,
                                          actor_name=actor.username if actor else "导入",
                                          action="move" if moved else "update",
                                          before={k: str(x) for k, x in before.items()},
                                          after={k: str(x) for k, x in after.items()}))
    OrganizationChange.objects.bulk_create(changes, batch_size=BATCH)
    dependents.roster_changed(orgs=[c.org.pk for c in changes if c.action != "move"],
                              subtrees=[path for c in changes if c.action == "move" for path in moved_from[c.org.pk]])
    return created, updated


def _parents_first(rows: list[_Row]) -> list[_Row]:
    by_code = {r.values["code"]: r for r in rows}
    ordered: list[_Row] = []
    placed: set[str] = set()

    def place(row: _Row) -> None:
        code = row.values["code"]
        if code in placed:
            return
        parent = row.values["parent_code"]
        if parent in by_code:
            place(by_code[parent])
        placed.add(code)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


# -- people ----------------------------------------------------------------------------------------

def _check_members(rows: list[_Row], scope: Scope, checker: _Checker) -> None:
    from xuexi.people.personal_numbers import blind_index, normalize_id_card, normalize_phone

    _duplicates(rows, lambda r: r.values.get("number"), checker, "number", "人员编号")
    orgs = {o.code: o for o in _where_in(Organization.objects.all(), "code", (r.values.get("org_code") for r in rows))}
    people = {p.number: p for p in _where_in(Person.objects.select_related("org"), "number",
                                             (r.values.get("number") for r in rows))}
    indexes: dict[str, int] = {}
    for row in rows:
        v = row.values
        org = orgs.get(v.get("org_code") or "")
        if v.get("org_code") and (org is None or not scope.covers_path(org.path, write=True)):
            checker.add(row, "org_code", "您管理范围内已存在的组织编码")
        elif org is not None and not org.is_active:
            checker.add(row, "org_code", "未撤销的组织")
        person = people.get(v.get("number") or "")
        if person is not None and not scope.covers_path(person.org.path, write=True):
            checker.add(row, "number", "您管理范围内的人员编号（该编号已被范围外的人员使用）")
        elif person is not None and org is not None and person.org_id != org.pk:
            checker.add(row, "org_code", f"该人员现在的组织 {person.org.code}（变更组织请办理组织关系转接）")
        if v.get("id_card"):
            try:
                v["id_card"] = normalize_id_card(v["id_card"])
            except DomainError as exc:
                checker.add(row, "id_card", f"有效的身份证号（{exc.detail}）")
            else:
                index = blind_index(v["id_card"], purpose="id_card")
                if index in indexes:
                    checker.add(row, "id_card", f"未被他人使用的身份证号（与第 {indexes[index]} 行相同）")
                indexes[index] = row.number
        if v.get("phone"):
            try:
                v["phone"] = normalize_phone(v["phone"])
            except DomainError:
                checker.add(row, "phone", "1 开头的 11 位手机号")
    if indexes:
        by_number = {r.number: r for r in rows}
        taken = _where_in(Person.objects.values_list("id_card_index", "number"), "id_card_index", indexes)
        for taken_index, holder in taken:
            owner = by_number[indexes[taken_index or ""]]
            if owner.values.get("number") != holder:
                checker.add(owner, "id_card", "未被他人使用的身份证号（已登记在另一人员名下）")


def _apply_members(rows: list[_Row], scope: Scope, actor: User | None) -> tuple[int, int]:
    now = timezone.now()
    orgs = dict(_where_in(Organization.objects.values_list("code", "id"), "code", (r.values["org_code"] for r in rows)))
    existing = {p.number: p for p in _where_in(Person.objects.all(), "number", (r.values["number"] for r in rows))}
    plain = ("name", "gender", "rank", "leader_post", "central_group_member")
    new: list[Person] = []
    changed: list[Person] = []
    for row in rows:
        v = row.values
        # A blank optional cell means "not given": a new person takes the default, a stored one keeps its value.
        numbers = personal_number_fields(id_card=v["id_card"] or None, phone=v["phone"] or None)
        person = existing.get(v["number"])
        if person is None:
            new.append(Person(number=v["number"], org_id=orgs[v["org_code"]], created_at=now, updated_at=now,
                              **{f: v[f] for f in plain}, **numbers))
            continue
        given = {f: v[f] for f in plain if row.raw.get(f)}
        differs = any(getattr(person, f) != value for f, value in given.items()) or any(
            k.endswith("_masked") and getattr(person, k) != numbers[k] for k in numbers)
        if differs:
            for f, value in {**given, **numbers}.items():
                setattr(person, f, value)
            person.updated_at = now
            changed.append(person)
    Person.objects.bulk_create(new, batch_size=BATCH)
    update_fields = [*plain, "updated_at", "id_card_cipher", "id_card_index", "id_card_masked", "birth_date",
                     "phone_cipher", "phone_index", "phone_masked"]
    Person.objects.bulk_update(changed, update_fields, batch_size=BATCH)
    with_groups = [r for r in rows if r.raw.get("groups")]
    if with_groups:
        group_numbers = [r.values["number"] for r in with_groups]
        ids = dict(_where_in(Person.objects.values_list("number", "id"), "number", group_numbers))
        _delete_in(PersonGroup.objects.all(), "person_id", list(ids.values()))
        PersonGroup.objects.bulk_create(
            [PersonGroup(person_id=ids[r.values["number"]], group=g) for r in with_groups for g in r.values["groups"]],
            batch_size=BATCH,
        )
    touched = {p.number for p in new} | {p.number for p in changed} | {r.values["number"] for r in with_groups}
    dependents.roster_changed(people=[i for _, i in _where_in(Person.objects.values_list("number", "id"), "number",
                                                                 touched)])
    return len(new), len(changed)


# -- activities ------------------------------------------------------------------------------------

def _activity_input(v: dict[str, Any]) -> ActivityInput:
    return ActivityInput(
        number=v.get("number") or "", kind=v.get("kind") or "", host_code=v.get("org_code") or "",
        start_date=v.get("start_date") or date.min, end_date=v.get("end_date"), hours=v.get("hours"),
        topic=v.get("topic") or "", content_areas=v.get("content_areas") or [],
        training_type=v.get("training_type") or "", off_job=bool(v.get("off_job")), speaker=v.get("speaker") or "",
        speaker_number=v.get("speaker_number") or "", venue=v.get("venue") or "",
    )


def _check_activities(rows: list[_Row], scope: Scope, checker: _Checker) -> None:
    _duplicates(rows, lambda r: r.values.get("number"), checker, "number", "活动编号")
    orgs = {o.code: o for o in _where_in(Organization.objects.all(), "code", (r.values.get("org_code") for r in rows))}
    wanted_speakers = {r.values.get("speaker_number") for r in rows if r.values.get("speaker_number")}
    speakers = set(_where_in(Person.objects.filter(scope.person_q()).values_list("number", flat=True), "number",
                             wanted_speakers))
    existing = {a.number: a for a in _where_in(Activity.objects.select_related("host"), "number",
                                               (r.values.get("number") for r in rows))}
    for row in rows:
        v = row.values
        if v.get("start_date") is None:
            continue
        for problem in activity_problems(_activity_input(v)):
            if problem.field not in {"number", "kind", "topic", "content_areas"}:  # already read by the columns
                checker.add(row, {"end_date": "end_date", "hours": "hours"}.get(problem.field, problem.field),
                            problem.expected)
        org = orgs.get(v.get("org_code") or "")
        if v.get("org_code") and (org is None or not scope.covers_path(org.path, write=True)):
            checker.add(row, "org_code", "您管理范围内已存在的组织编码")
        current = existing.get(v.get("number") or "")
        if current is not None and not scope.covers_path(current.host.path, write=True):
            checker.add(row, "number", "您管理范围内的活动编号（该编号已被范围外的活动使用）")
        if v.get("speaker_number") and v["speaker_number"] not in speakers:
            checker.add(row, "speaker_number", "已存在的人员编号")


def _apply_activities(rows: list[_Row], scope: Scope, actor: User | None) -> tuple[int, int]:
    now = timezone.now()
    orgs = dict(_where_in(Organization.objects.values_list("code", "id"), "code", (r.values["org_code"] for r in rows)))
    speakers = dict(_where_in(Person.objects.values_list("number", "id"), "number",
                              (r.values["speaker_number"] for r in rows)))
    existing = set(_where_in(Activity.objects.values_list("number", flat=True), "number",
                             (r.values["number"] for r in rows)))
    names = dict(_where_in(Person.objects.values_list("id", "name"), "id", speakers.values()))
    # What the activities counted for before the import, and after it, is brought up to date.
    before = totals.activities_touch(list(_where_in(Activity.objects.values_list("id", flat=True), "number",
                                                    (r.values["number"] for r in rows))))
    objects = []
    for row in rows:
        v = row.values
        speaker_id = speakers.get(v["speaker_number"])
        objects.append(Activity(
            number=v["number"], kind=v["kind"], host_id=orgs[v["org_code"]], start_date=v["start_date"],
            end_date=v["end_date"] or v["start_date"], hours=v["hours"], topic=v["topic"],
            training_type=v["training_type"], off_job=v["off_job"],
            speaker=v["speaker"] or (names.get(speaker_id, "") if speaker_id else ""), speaker_person_id=speaker_id,
            venue=v["venue"], created_at=now, updated_at=now,
        ))
    fields = ["kind", "host", "start_date", "end_date", "hours", "topic", "training_type", "off_job", "speaker",
              "speaker_person", "venue", "updated_at"]
    Activity.objects.bulk_create(objects, batch_size=BATCH, update_conflicts=True, unique_fields=["number"],
                                 update_fields=fields)
    ids = dict(_where_in(Activity.objects.values_list("number", "id"), "number", (r.values["number"] for r in rows)))
    with_areas = [r for r in rows if "content_areas" in r.raw]
    _delete_in(ActivityContentArea.objects.all(), "activity_id", [ids[r.values["number"]] for r in with_areas])
    ActivityContentArea.objects.bulk_create(
        [ActivityContentArea(activity_id=ids[r.values["number"]], area=a) for r in with_areas
         for a in r.values["content_areas"]], batch_size=BATCH)
    totals.refresh(totals.activities_touch(list(ids.values()), before))
    created = sum(1 for r in rows if r.values["number"] not in existing)
    return created, len(rows) - created


# -- attendance ------------------------------------------------------------------------------------

def _plan_attendance(spec: Table, sheet: Sheet, scope: Scope, checker: _Checker) -> _Plan:
    # Attendance files run to millions of rows: they are read column by column, with no object per row.
    values = _read_columns(spec, sheet, checker)
    numbers = sheet.row_numbers
    activity_numbers, person_numbers = values["activity_number"], values["person_number"]
    _duplicate_pairs(numbers, activity_numbers, person_numbers, checker)
    activities = {number: pk for number, pk, path in _where_in(
        Activity.objects.values_list("number", "id", "host__path"), "number", activity_numbers,
    ) if scope.covers_path(path, write=True)}
    people = dict(_where_in(Person.objects.filter(scope.person_q()).values_list("number", "id"), "number",
                            person_numbers))
    activity_ids = list(map(activities.get, activity_numbers))
    person_ids = list(map(people.get, person_numbers))
    if None in activity_ids or None in person_ids:
        for number, activity, activity_id, person, person_id in zip(
                numbers, activity_numbers, activity_ids, person_numbers, person_ids, strict=True):
            if activity is not None and activity_id is None:
                checker.add_cell(number, "activity_number", activity, "您管理范围内已存在的活动编号")
            if person is not None and person_id is None:
                checker.add_cell(number, "person_number", person, "您管理范围内已存在的人员编号")

    def store(actor: User | None) -> tuple[int, int]:
        counts = bulk_upsert(
            Attendance, {"activity_id": activity_ids, "person_id": person_ids, "status": values["status"],
                         "hours": values["hours"], "days": values["days"]},
            conflict=("activity_id", "person_id"),
            constants={"recorded_at": timezone.now(), "recorded_by_id": actor.pk if actor else None},
        )
        totals.refresh(totals.attendance_touch(zip(activity_ids, person_ids, strict=True)))  # type: ignore[arg-type]
        return counts

    return _Plan(len(numbers), store)


def _read_columns(spec: Table, sheet: Sheet, checker: _Checker) -> dict[str, list[Any]]:
    """Every column of the table read from the sheet (a column the file lacks holds its default)."""
    position = {spec.column(h).key: i for i, h in enumerate(sheet.headers)}  # type: ignore[union-attr]
    count = len(sheet.rows)
    values: dict[str, list[Any]] = {}
    wrong: list[tuple[int, int, str, str | None, str]] = []
    for order, column in enumerate(spec.columns):
        i = position.get(column.key)
        texts = [row[i] for row in sheet.rows] if i is not None else [None] * count
        # Columns repeat their values (the same activity on every row of it): each distinct text is read once.
        read: dict[str | None, Any] = {}
        refused: dict[str | None, str] = {}
        for text in dict.fromkeys(texts):
            try:
                read[text] = column.parse(text or None)
            except cells.CellError as exc:
                read[text] = None
                refused[text] = str(exc)
        values[column.key] = list(map(read.__getitem__, texts))
        if refused:
            wrong.extend((n, order, column.key, text, refused[text]) for n, text in enumerate(texts) if text in refused)
    for n, _, key, text, expected in sorted(wrong, key=lambda w: w[:2]):
        checker.add_cell(sheet.row_numbers[n], key, text, expected)
    return values


def _duplicate_pairs(numbers: Sequence[int], activities: Sequence[str | None], people: Sequence[str | None],
                     checker: _Checker) -> None:
    pairs = list(zip(activities, people, strict=True))
    # Reversed, so the row kept for each pair is its first.
    first = dict(zip(reversed(pairs), reversed(numbers), strict=True))
    if len(first) == len(pairs):
        return
    for number, pair in zip(numbers, pairs, strict=True):
        if first[pair] != number and None not in pair:
            checker.add_cell(number, "person_number", pair[1],
                             f"同一活动的同一人员在文件中唯一（与第 {first[pair]} 行重复）")


def _by_row(check: Callable[[list[_Row], Scope, _Checker], None],
            apply: Callable[[list[_Row], Scope, User | None], tuple[int, int]]) -> Callable[..., _Plan]:
    def plan(spec: Table, sheet: Sheet, scope: Scope, checker: _Checker) -> _Plan:
        rows = _read_rows(spec, checker.headers, sheet.headers, sheet.rows, sheet.row_numbers, checker)
        check(rows, scope, checker)
        return _Plan(len(rows), lambda actor: apply(rows, scope, actor))

    return plan


_PLANS: dict[str, Callable[[Table, Sheet, Scope, _Checker], _Plan]] = {
    "orgs": _by_row(_check_orgs, _apply_orgs), "members": _by_row(_check_members, _apply_members),
    "activities": _by_row(_check_activities, _apply_activities), "attendance": _plan_attendance,
}

__all__ = ["ImportResult", "RowError", "import_file"]
