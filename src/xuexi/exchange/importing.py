"""Importing an exchange file: every row checked first, then all of it stored or none of it.

The flow is the same for the four tables: read the file (files.read_table), map the headers,
read every cell, check the rows against each other, the database and the uploader's scope,
and only when no row is wrong write the whole file in one transaction with set-based writes.
Rows are matched by code or number, so importing the same file again changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AuditOutcome, User
from xuexi.accounts.scope import Scope
from xuexi.bulk import adapt_datetime, bulk_insert, bulk_patch, bulk_upsert
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
from xuexi.people.personal_numbers import blind_indexes, normalize_id_card, normalize_phone
from xuexi.people.services import SUBJECT_FIELDS, personal_number_columns

BATCH = 5000
# Lookups by sets of codes go in chunks, each chunk one parameter (see _listed).
LOOKUP_CHUNK = 100_000


def _where_in(qs: QuerySet[Any], field: str, values: Iterable[Any]) -> Iterator[Any]:
    """The rows of `qs` whose `field` is one of `values`, however many values there are."""
    unique = [v for v in dict.fromkeys(values) if v not in (None, "")]
    for start in range(0, len(unique), LOOKUP_CHUNK):
        yield from qs.filter(**{f"{field}__in": _listed(qs, field, unique[start:start + LOOKUP_CHUNK])})


def _delete_in(qs: QuerySet[Any], field: str, values: Sequence[Any]) -> None:
    for start in range(0, len(values), LOOKUP_CHUNK):
        qs.filter(**{f"{field}__in": _listed(qs, field, values[start:start + LOOKUP_CHUNK])}).delete()


def _listed(qs: QuerySet[Any], field: str, values: Sequence[Any]) -> RawSQL:
    """The values as one parameter that SQL reads as a column: an array on PostgreSQL, JSON on SQLite.

    An IN list of ten thousand parameters costs more to pass, parse and plan than the look-up itself
    (a 100,000-row file: 3.5 s against 1 s on either database).
    """
    if connection.vendor == "postgresql":
        column = qs.model._meta.get_field(field)
        # Text, not varchar(n): a cast to varchar(n) would cut a longer value short, and might then match.
        element = "text" if column.get_internal_type() in {"CharField", "TextField"} else column.db_type(connection)
        return RawSQL(f"SELECT unnest(CAST(%s AS {element}[]))", [list(values)])  # noqa: S611 -- type from the model
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(values))])


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

# A person's own columns that a row may give; a blank cell keeps what is stored.
_PERSON_FIELDS = ("name", "gender", "rank", "leader_post", "central_group_member")
# What a check and a comparison need of each stored person the file names: no personal number but its index.
_STORED_PERSON = ("number", "id", "org_id", "org__path", "org__code", *_PERSON_FIELDS, "id_card_index",
                  "phone_index")


@dataclass
class _Roster:
    """A checked members file, column by column: position i of every list is the file's i-th data row."""

    numbers: list[str]
    values: dict[str, list[Any]]
    given: dict[str, list[bool]]  # the optional cells each row fills
    people: list[Any]  # the stored person of each row's number (a row of _STORED_PERSON), or None
    org_ids: list[int]
    id_cards: list[str | None]  # normalized; None where not given
    id_card_indexes: list[str | None]
    phones: list[str | None]


def _plan_members(spec: Table, sheet: Sheet, scope: Scope, checker: _Checker) -> _Plan:
    # A roster may hold a province's 1.3 million people: it is read column by column, with no object per row,
    # and each personal number is checked, indexed and enciphered once.
    texts = {column.key: _column_texts(spec, sheet, column.key) for column in spec.columns}
    values = _read_columns(spec, sheet, checker, texts)
    numbers = values["number"]
    stored = {p.number: p for p in _where_in(Person.objects.values_list(*_STORED_PERSON, named=True), "number",
                                             numbers)}
    people = list(map(stored.get, numbers))
    problems: list[tuple[int, str, str]] = []  # the position of the row, the column, what is expected
    _duplicate_numbers(numbers, sheet.row_numbers, problems)
    org_ids = _member_orgs(values["org_code"], people, scope, problems)
    today = timezone.localdate()
    id_cards = _normalized(values["id_card"], lambda v: normalize_id_card(v, today=today), "id_card",
                           lambda exc: f"有效的身份证号（{exc.detail}）", problems)
    id_card_indexes = _blind_indexes(id_cards, purpose="id_card")
    _id_cards_free(numbers, people, id_card_indexes, sheet.row_numbers, problems)
    phones = _normalized(values["phone"], normalize_phone, "phone", lambda _: "1 开头的 11 位手机号", problems)
    order = {column.key: n for n, column in enumerate(spec.columns)}
    for i, key, expected in sorted(problems, key=lambda p: (p[0], order[p[1]])):
        checker.add_cell(sheet.row_numbers[i], key, texts[key][i], expected)
    roster = _Roster(numbers, values, {key: list(map(bool, cells_of)) for key, cells_of in texts.items()}, people,
                     org_ids, id_cards, id_card_indexes, phones)
    return _Plan(len(numbers), lambda actor: _store_members(roster))


def _duplicate_numbers(numbers: Sequence[str | None], row_numbers: Sequence[int],
                       problems: list[tuple[int, str, str]]) -> None:
    # Reversed, so the row kept for each number is its first.
    first = dict(zip(reversed(numbers), range(len(numbers) - 1, -1, -1), strict=True))
    if len(first) == len(numbers):
        return
    problems.extend((i, "number", f"人员编号在文件中唯一（与第 {row_numbers[first[number]]} 行重复）")
                    for i, number in enumerate(numbers) if number is not None and first[number] != i)


def _member_orgs(codes: Sequence[str | None], people: Sequence[Any], scope: Scope,
                 problems: list[tuple[int, str, str]]) -> list[int]:
    """The organization of each row (0 where it is wrong), each code and each stored path checked once."""
    orgs: dict[str | None, tuple[int, str, bool]] = {code: (pk, path, active) for code, pk, path, active in _where_in(
        Organization.objects.values_list("code", "id", "path", "is_active"), "code", codes)}
    refused: dict[str | None, str] = {}
    for code in dict.fromkeys(codes):
        if code is None:
            continue
        org = orgs.get(code)
        if org is None or not scope.covers_path(org[1], write=True):
            refused[code] = "您管理范围内已存在的组织编码"
        elif not org[2]:
            refused[code] = "未撤销的组织"
    covered: dict[str, bool] = {}
    org_ids: list[int] = []
    for i, (code, person) in enumerate(zip(codes, people, strict=True)):
        org = orgs.get(code)
        org_ids.append(org[0] if org else 0)
        if code in refused:
            problems.append((i, "org_code", refused[code]))
        if person is None:
            continue
        if person.org__path not in covered:
            covered[person.org__path] = scope.covers_path(person.org__path, write=True)
        if not covered[person.org__path]:
            problems.append((i, "number", "您管理范围内的人员编号（该编号已被范围外的人员使用）"))
        elif org is not None and person.org_id != org[0]:
            problems.append((i, "org_code", f"该人员现在的组织 {person.org__code}（变更组织请办理组织关系转接）"))
    return org_ids


def _normalized(values: Sequence[str | None], normalize: Callable[[str], str], key: str,
                expected: Callable[[DomainError], str], problems: list[tuple[int, str, str]]) -> list[str | None]:
    """Each given personal number normalized (None where blank or wrong); each distinct one is checked once."""
    read: dict[str | None, str | None] = {None: None, "": None}
    refused: dict[str | None, str] = {}
    for value in dict.fromkeys(values):
        if value in read:
            continue
        try:
            read[value] = normalize(value)  # type: ignore[arg-type]
        except DomainError as exc:
            read[value] = None
            refused[value] = expected(exc)
    if refused:
        problems.extend((i, key, refused[value]) for i, value in enumerate(values) if value in refused)
    return list(map(read.__getitem__, values))


def _blind_indexes(numbers: Sequence[str | None], *, purpose: str) -> list[str | None]:
    """The blind index of each number (None for None), each distinct one worked out once."""
    distinct = [number for number in dict.fromkeys(numbers) if number is not None]
    index_of: dict[str | None, str | None] = dict(zip(distinct, blind_indexes(distinct, purpose=purpose),
                                                      strict=True))
    return [index_of.get(number) for number in numbers]


def _id_cards_free(numbers: Sequence[str | None], people: Sequence[Any], indexes: Sequence[str | None],
                   row_numbers: Sequence[int], problems: list[tuple[int, str, str]]) -> None:
    """Each ID-card number once in the file, and not held by another person."""
    first: dict[str, int] = {}
    for i, index in enumerate(indexes):
        if index is None:
            continue
        if index in first:
            problems.append((i, "id_card", f"未被他人使用的身份证号（与第 {row_numbers[first[index]]} 行相同）"))
        else:
            first[index] = i
    # A person's own number, as stored, needs no look-up.
    unknown = {index: i for index, i in first.items() if people[i] is None or people[i].id_card_index != index}
    for index, holder in _where_in(Person.objects.values_list("id_card_index", "number"), "id_card_index", unknown):
        if holder != numbers[unknown[index]]:
            problems.append((unknown[index], "id_card", "未被他人使用的身份证号（已登记在另一人员名下）"))


@dataclass
class _Numbers:
    """One kind of personal number (id_card, phone) as the rows give it, and which rows store it."""

    purpose: str
    numbers: Sequence[str | None]  # normalized
    indexes: Sequence[str | None]
    written: list[bool]

    @classmethod
    def of(cls, numbers: Sequence[str | None], indexes: Sequence[str | None], held: Sequence[str | None], *,
           purpose: str) -> _Numbers:
        # Stored only where it is new to the person: the same blind index is the same number.
        written = [index is not None and index != before for index, before in zip(indexes, held, strict=True)]
        return cls(purpose, numbers, indexes, written)

    def columns(self, rows: Sequence[int]) -> dict[str, list[Any]]:
        """These rows' stored columns, each number enciphered once; a row that stores none holds a blank number."""
        columns = personal_number_columns([self.numbers[i] if self.written[i] else None for i in rows],
                                          [self.indexes[i] for i in rows], purpose=self.purpose)
        if "birth_date" in columns:
            columns["birth_date"] = [None if d is None else connection.ops.adapt_datefield_value(d)
                                     for d in columns["birth_date"]]
        return columns

    def patch(self, rows: Sequence[int]) -> dict[str, list[Any]]:
        """The columns for bulk_patch: None (keep what is stored) where a row stores no number."""
        return {name: [value if self.written[i] else None for i, value in zip(rows, column, strict=True)]
                for name, column in self.columns(rows).items()}


def _store_members(roster: _Roster) -> tuple[int, int]:
    now = timezone.now()
    values, given, people = roster.values, roster.given, roster.people
    rows = range(len(roster.numbers))
    id_cards = _Numbers.of(roster.id_cards, roster.id_card_indexes, [p and p.id_card_index for p in people],
                           purpose="id_card")
    phones = _Numbers.of(roster.phones, _blind_indexes(roster.phones, purpose="phone"),
                         [p and p.phone_index for p in people], purpose="phone")
    differs = {f: [p is not None and given[f][i] and values[f][i] != getattr(p, f) for i, p in enumerate(people)]
               for f in _PERSON_FIELDS}
    regrouped = _regrouped(roster)
    created = [i for i in rows if people[i] is None]
    changed = [i for i in rows if people[i] is not None and (
        any(d[i] for d in differs.values()) or id_cards.written[i] or phones.written[i] or i in regrouped)]
    stamp = adapt_datetime(now)

    def new_people() -> Iterator[tuple[Any, ...]]:
        # Chunk by chunk: on PostgreSQL the server stores one chunk while the next is enciphered.
        for start in range(0, len(created), BATCH):
            chunk = created[start:start + BATCH]
            numbers = [*id_cards.columns(chunk).values(), *phones.columns(chunk).values()]
            for n, i in enumerate(chunk):
                yield (roster.numbers[i], *(values[f][i] for f in _PERSON_FIELDS), roster.org_ids[i],
                       *(column[n] for column in numbers), True, stamp, stamp)

    ids = {p.number: p.id for p in people if p is not None}
    if created:
        last = Person.objects.aggregate(last=Max("id"))["last"] or 0
        bulk_insert(Person, ("number", *_PERSON_FIELDS, "org_id", *id_cards.columns([]), *phones.columns([]),
                             "is_active", "created_at", "updated_at"), new_people())
        # Ids come from a sequence: the people just stored are among those above the largest id before.
        new = {roster.numbers[i] for i in created}
        ids.update((number, pk) for number, pk in Person.objects.filter(id__gt=last).values_list("number", "id")
                   if number in new)
    if changed:
        bulk_patch(Person, {
            "number": [roster.numbers[i] for i in changed],
            **{f: [values[f][i] if differs[f][i] else None for i in changed] for f in _PERSON_FIELDS},
            **id_cards.patch(changed), **phones.patch(changed),
        }, key="number", constants={"updated_at": now})
    if regrouped:
        _delete_in(PersonGroup.objects.all(), "person_id", [people[i].id for i in regrouped if people[i] is not None])
        bulk_insert(PersonGroup, ("person_id", "group"), (
            (ids[roster.numbers[i]], group) for i in sorted(regrouped) for group in values["groups"][i]))
    # New people, and those whose rank, post, central group or groups changed, may now be bound by other norms.
    facts = [f for f in _PERSON_FIELDS if f in SUBJECT_FIELDS]
    dependents.roster_changed(people=[ids[roster.numbers[i]] for i in rows if people[i] is None or i in regrouped
                                      or any(differs[f][i] for f in facts)])
    return len(created), len(changed)


def _regrouped(roster: _Roster) -> set[int]:
    """The rows whose 关注群体 cell gives other groups than the person holds (every new person's that gives any)."""
    with_groups = [i for i, filled in enumerate(roster.given["groups"]) if filled]
    held: dict[int, set[str]] = {}
    for person_id, group in _where_in(PersonGroup.objects.values_list("person_id", "group"), "person_id",
                                      [roster.people[i].id for i in with_groups if roster.people[i] is not None]):
        held.setdefault(person_id, set()).add(group)
    wanted = roster.values["groups"]
    return {i for i in with_groups if set(wanted[i]) != (held.get(roster.people[i].id, set())
                                                          if roster.people[i] is not None else set())}


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
        # The totals count the stored rows only: when none was written (the same file again), none changed.
        if any(counts):
            totals.refresh(totals.attendance_touch(zip(activity_ids, person_ids, strict=True)))  # type: ignore[arg-type]
        return counts

    return _Plan(len(numbers), store)


def _column_texts(spec: Table, sheet: Sheet, key: str) -> list[str | None]:
    """One column's cells as the file holds them (a column the file lacks: all blank)."""
    position = next((i for i, h in enumerate(sheet.headers) if spec.column(h).key == key), None)  # type: ignore[union-attr]
    return [row[position] for row in sheet.rows] if position is not None else [None] * len(sheet.rows)


def _read_columns(spec: Table, sheet: Sheet, checker: _Checker,
                  texts_of: dict[str, list[str | None]] | None = None) -> dict[str, list[Any]]:
    """Every column of the table read from the sheet (a column the file lacks holds its default).

    `texts_of` holds the columns' cells when the caller has taken them already.
    """
    values: dict[str, list[Any]] = {}
    wrong: list[tuple[int, int, str, str | None, str]] = []
    for order, column in enumerate(spec.columns):
        texts = texts_of[column.key] if texts_of is not None else _column_texts(spec, sheet, column.key)
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
    "orgs": _by_row(_check_orgs, _apply_orgs), "members": _plan_members,
    "activities": _by_row(_check_activities, _apply_activities), "attendance": _plan_attendance,
}

__all__ = ["ImportResult", "RowError", "import_file"]
