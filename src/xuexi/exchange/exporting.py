"""Exporting the four tables, and their empty templates, in the exchange format."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.exchange.files import write_csv, write_xlsx
from xuexi.exchange.tables import TABLES
from xuexi.learning.models import Activity, Attendance
from xuexi.orgs.models import Organization
from xuexi.people import personal_numbers
from xuexi.people.models import Person, PersonGroup

_CHUNK = 2000


def template(table: str) -> bytes:
    """An empty file with the table's headers, to fill in and import."""
    return write_xlsx(TABLES[table].headers, [], sheet_title=TABLES[table].title)


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _org_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    orgs = Organization.objects.filter(scope.org_q()).order_by("path")
    codes_by_path: dict[str, str] = {}
    for org in orgs.iterator(chunk_size=_CHUNK):
        codes_by_path[org.path] = org.code
        parent = codes_by_path.get(org.path[: -Organization.steplen], "")
        yield [org.code, org.name, parent, org.level, org.kind, org.sector, _yes_no(org.has_central_group)]


def _member_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    people = (Person.objects.filter(scope.person_q(), is_active=True).select_related("org")
              .order_by("org__path", "number"))
    batch: list[Person] = []

    def flush() -> Iterator[Sequence[Any]]:
        groups: dict[int, list[str]] = {p.pk: [] for p in batch}
        for pid, group in PersonGroup.objects.filter(person_id__in=groups).values_list("person_id", "group"):
            groups[pid].append(group)
        for p in batch:
            # Full numbers only for those who may see them: the administrators of the person's organization.
            full = scope.covers_path(p.org.path, write=True) or p.pk == scope.person_id
            id_card = personal_numbers.decrypt(p.id_card_cipher, purpose="id_card") if full and p.id_card_cipher \
                else p.id_card_masked
            phone = personal_numbers.decrypt(p.phone_cipher, purpose="phone") if full and p.phone_cipher \
                else p.phone_masked
            yield [p.number, p.name, p.gender, p.org.code, p.rank, p.leader_post, "；".join(sorted(groups[p.pk])),
                   id_card, phone, _yes_no(p.central_group_member)]

    for person in people.iterator(chunk_size=_CHUNK):
        batch.append(person)
        if len(batch) >= _CHUNK:
            yield from flush()
            batch = []
    yield from flush()


def _activity_rows(scope: Scope, activities: QuerySet[Activity] | None = None) -> Iterator[Sequence[Any]]:
    if activities is None:
        activities = Activity.objects.filter(scope.org_q("host__")).order_by("start_date", "number")
    activities = activities.select_related("host", "speaker_person").prefetch_related("area_rows")
    for a in activities.iterator(chunk_size=_CHUNK):
        yield [a.number, a.kind, a.host.code, a.start_date, a.end_date, a.hours if a.hours is not None else "",
               a.topic, "；".join(r.area for r in a.area_rows.all()), a.training_type,
               _yes_no(a.off_job) if a.kind == "培训" else "", a.speaker,
               a.speaker_person.number if a.speaker_person else "", a.venue]


def _attendance_rows(scope: Scope) -> Iterator[Sequence[Any]]:
    rows = (Attendance.objects.filter(scope.org_q("activity__host__"))
            .values_list("activity__number", "person__number", "status", "hours", "days")
            .order_by("activity__number", "person__number"))
    for activity, person, status, hours, days in rows.iterator(chunk_size=_CHUNK):
        yield [activity, person, status, "" if hours is None else hours, "" if days is None else days]


_ROWS = {"orgs": _org_rows, "members": _member_rows, "activities": _activity_rows, "attendance": _attendance_rows}


class _Counted:
    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def export(*, actor: User | None, scope: Scope, table: str, file_format: str = "xlsx") -> bytes:
    """Every row of a table inside the scope, formulas neutralised, numbers masked unless permitted; audited."""
    scope.require_business_data()
    return _write(actor, table, _Counted(_ROWS[table](scope)), file_format)


def export_activities(*, actor: User, scope: Scope, activities: QuerySet[Activity], file_format: str = "xlsx") -> bytes:
    """A list of activities as the page shows it (already scoped and filtered), in the 活动 exchange format."""
    scope.require_business_data()
    return _write(actor, "activities", _Counted(_activity_rows(scope, activities.filter(scope.org_q("host__")))),
                  file_format)


def _write(actor: User | None, table: str, rows: _Counted, file_format: str) -> bytes:
    spec = TABLES[table]
    data = write_csv(spec.headers, rows) if file_format == "csv" else write_xlsx(spec.headers, rows,
                                                                                  sheet_title=spec.title)
    audit_record(action="export", actor=actor, actor_name="xuexi export" if actor is None else "",
                 object_type="exchange", object_id=table,
                 detail={"rows": rows.count, "format": file_format, "sha256": hashlib.sha256(data).hexdigest()})
    return data
