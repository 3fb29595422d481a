"""Set-based writes for large generated data: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model

BATCH = 5000
COPY_CHUNK = 100_000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def bulk_insert(model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows (tuples in the order of `columns`) into the model's table; return the count."""
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
            # Table and column names come from the model, never from input.
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            batch: list[Sequence[Any]] = []
            sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608
            for row in rows:
                batch.append(row)
                if len(batch) >= 5000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def reset_sequence(model: type[Model]) -> None:
    """After inserting explicit ids, let the next ordinary insert continue after the largest."""
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE((SELECT MAX(id) FROM "  # noqa: S608
            f"{connection.ops.quote_name(table)}), 0) + 1, false)",
            [table],
        )


def next_id(model: type[Model]) -> int:
    last = model._default_manager.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def bulk_upsert(
    model: type[Model], columns: Mapping[str, Sequence[Any]], *, conflict: Sequence[str],
    constants: Mapping[str, Any] | None = None,
) -> tuple[int, int]:
    """Insert rows given column by column, or update the stored ones whose `conflict` columns match; count both.

    Each column is a list of plain values of one type (int, str, Decimal, bool, date or None), all lists of the
    same length. A stored row is updated only when another of its columns differs; `constants` (one value for
    every row, such as who wrote it and when) are written with every new or updated row. A stored row that does
    not differ is left alone, so storing the same rows again changes nothing. Returns (inserted, updated).
    """
    names = list(columns)
    if not names or not columns[names[0]]:
        return 0, 0
    fields = {f.column: f for f in model._meta.concrete_fields}
    upsert = _Upsert(
        table=connection.ops.quote_name(model._meta.db_table), names=names, columns=[columns[c] for c in names],
        conflict=list(conflict), constants={c: fields[c].get_db_prep_save(v, connection)
                                            for c, v in (constants or {}).items()},
        types={c: fields[c].db_type(connection) or "" for c in [*names, *(constants or {})]},
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            return upsert.on_postgresql(cursor)
        return upsert.elsewhere(cursor)


def bulk_patch(
    model: type[Model], columns: Mapping[str, Sequence[Any]], *, key: str, constants: Mapping[str, Any] | None = None,
) -> int:
    """Update the stored rows whose `key` column matches, given column by column; return how many were updated.

    A None leaves that cell as it is stored, so each row changes only the columns it gives. `constants` (one
    value for every row, such as when it was written) are written with every row. Values are plain (int, str,
    bool, bytes, date; datetimes through adapt_datetime), all lists of the same length.
    """
    names = [c for c in columns if c != key]
    keys = columns[key]
    if not keys:
        return 0
    q = connection.ops.quote_name
    fields = {f.column: f for f in model._meta.concrete_fields}
    table = q(model._meta.db_table)
    fixed = {c: fields[c].get_db_prep_save(v, connection) for c, v in (constants or {}).items()}
    # Table and column names come from the model and the caller's code, never from input.
    sets = [f"{q(c)} = COALESCE(%s, {q(c)})" for c in names] + [f"{q(c)} = %s" for c in fixed]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sql = f"UPDATE {table} SET {', '.join(sets)} WHERE {q(key)} = %s"  # noqa: S608
            updated = 0
            for start in range(0, len(keys), BATCH):
                batch = zip(*(columns[c][start:start + BATCH] for c in names), keys[start:start + BATCH], strict=True)
                cursor.executemany(sql, [(*row[:-1], *fixed.values(), row[-1]) for row in batch])
                updated += cursor.rowcount
            return updated
        # PostgreSQL: the rows go into a temporary table with COPY and are joined to the table in one UPDATE.
        listed = ", ".join(q(c) for c in [key, *names])
        cursor.execute(f"CREATE TEMP TABLE xuexi_patch AS SELECT {listed} FROM {table} WITH NO DATA")  # noqa: S608
        with cursor.cursor.copy(f"COPY xuexi_patch ({listed}) FROM STDIN") as copy:
            for row in zip(keys, *(columns[c] for c in names), strict=True):
                copy.write_row(row)
        patched = [f"{q(c)} = COALESCE(p.{q(c)}, {table}.{q(c)})" for c in names] + [f"{q(c)} = %s" for c in fixed]
        cursor.execute(f"UPDATE {table} SET {', '.join(patched)} FROM xuexi_patch p "  # noqa: S608
                       f"WHERE {table}.{q(key)} = p.{q(key)}", list(fixed.values()))
        updated = cursor.rowcount
        cursor.execute("DROP TABLE xuexi_patch")
        return updated


@dataclass
class _Upsert:
    # Table and column names come from the model and the caller's code, never from input.
    table: str
    names: list[str]
    columns: list[Sequence[Any]]
    conflict: list[str]
    constants: dict[str, Any]
    types: dict[str, str]

    def sql(self, source: str, *, update: bool) -> str:
        q = connection.ops.quote_name
        target = f"{self.table} ({', '.join(q(c) for c in [*self.names, *self.constants])})"
        head = f"INSERT INTO {target} {source} ON CONFLICT ({', '.join(q(c) for c in self.conflict)}) DO "
        if not update:
            return head + "NOTHING"
        different = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        differs = " OR ".join(f"{self.table}.{q(c)} {different} excluded.{q(c)}"
                              for c in self.names if c not in self.conflict) or "FALSE"
        sets = ", ".join(f"{q(c)} = excluded.{q(c)}" for c in [*self.names, *self.constants] if c not in self.conflict)
        return f"{head}UPDATE SET {sets} WHERE {differs}"

    def elsewhere(self, cursor: Any) -> tuple[int, int]:
        placeholders = f"VALUES ({', '.join(['%s'] * (len(self.names) + len(self.constants)))})"
        inserted = self.execute_many(cursor, self.sql(placeholders, update=False))
        updated = 0
        if inserted < len(self.columns[0]):
            updated = self.execute_many(cursor, self.sql(placeholders, update=True))
        return inserted, updated

    def execute_many(self, cursor: Any, sql: str) -> int:
        constants = list(self.constants.values())
        changed = 0
        for start in range(0, len(self.columns[0]), BATCH):
            batch = zip(*(c[start:start + BATCH] for c in self.columns), strict=True)
            cursor.executemany(sql, [(*row, *constants) for row in batch])
            changed += cursor.rowcount
        return changed

    def on_postgresql(self, cursor: Any) -> tuple[int, int]:
        from psycopg.errors import UniqueViolation

        new, changed = self.split(cursor)
        if not new and not changed:
            return 0, 0
        values = {**dict(zip(self.names, self.columns, strict=True)), **{c: [v] for c, v in self.constants.items()}}
        with _foreign_keys_checked_by_value(cursor, self.table, values):
            try:
                # New rows go straight into the table with COPY, the fastest way in.
                with transaction.atomic():
                    self.copy(cursor, self.table, [*self.names, *self.constants], new, with_constants=True)
            except UniqueViolation:
                # Someone stored some of the same rows meanwhile: merge all of them instead.
                return self.merge(cursor, range(len(self.columns[0])))
            inserted, updated = self.merge(cursor, changed) if changed else (0, 0)
        return len(new) + inserted, updated

    def split(self, cursor: Any) -> tuple[Sequence[int], list[int]]:
        """The positions of the rows not stored yet, and of the stored rows that differ."""
        q = connection.ops.quote_name
        first = self.conflict[0]
        keys = [self.columns[self.names.index(c)] for c in self.conflict]
        others = [self.columns[i] for i, c in enumerate(self.names) if c not in self.conflict]
        cursor.execute(
            f"SELECT {', '.join(q(c) for c in self.conflict)}, "  # noqa: S608
            f"{', '.join(q(c) for c in self.names if c not in self.conflict) or 'NULL'} FROM {self.table} "
            f"WHERE {q(first)} = ANY(CAST(%s AS {self.types[first]}[]))",
            [list(set(keys[0]))],
        )
        width = len(self.conflict)
        stored = {tuple(row[:width]): tuple(row[width:]) for row in cursor.fetchall()}
        if not stored:
            return range(len(self.columns[0])), []
        new: list[int] = []
        changed: list[int] = []
        for i, (key, values) in enumerate(zip(zip(*keys, strict=True), zip(*others, strict=True), strict=True)):
            before = stored.get(key)
            if before is None:
                new.append(i)
            elif before != values:
                changed.append(i)
        return new, changed

    def merge(self, cursor: Any, rows: Sequence[int]) -> tuple[int, int]:
        """Upsert the rows at these positions through a temporary table; return (inserted, updated)."""
        q = connection.ops.quote_name
        cols = ", ".join(q(c) for c in self.names)
        cursor.execute(f"CREATE TEMP TABLE xuexi_upsert AS SELECT {cols} FROM {self.table} WITH NO DATA")  # noqa: S608
        self.copy(cursor, "xuexi_upsert", self.names, rows, with_constants=False)
        constants = [f"CAST(%s AS {self.types[c]})" for c in self.constants]
        source = f"SELECT {', '.join([cols, *constants])} FROM xuexi_upsert"  # noqa: S608
        values = list(self.constants.values())
        cursor.execute(self.sql(source, update=False), values)
        inserted, updated = cursor.rowcount, 0
        if inserted < len(rows):
            cursor.execute(self.sql(source, update=True), values)
            updated = cursor.rowcount
        cursor.execute("DROP TABLE xuexi_upsert")
        return inserted, updated

    def copy(self, cursor: Any, table: str, names: Sequence[str], rows: Sequence[int], *,
             with_constants: bool) -> None:
        """COPY the rows at these positions (in text form, built column by column) into a table."""
        from psycopg.copy import QueuedLibpqWriter

        if not rows:
            return
        q = connection.ops.quote_name
        everything = isinstance(rows, range) and len(rows) == len(self.columns[0])
        columns = self.columns if everything else [[column[i] for i in rows] for column in self.columns]
        tail = "".join(f"\t{_copy_text(v)}" for v in self.constants.values()) if with_constants else ""
        texts: list[dict[Any, str]] = [{} for _ in columns]
        # A thread sends each chunk while the next one is being formatted.
        with cursor.cursor.copy(f"COPY {table} ({', '.join(q(c) for c in names)}) FROM STDIN",
                                writer=QueuedLibpqWriter(cursor.cursor)) as copy:
            for start in range(0, len(rows), COPY_CHUNK):
                cells = []
                # Columns repeat their values: each distinct value is turned into text once.
                for column, known in zip(columns, texts, strict=True):
                    chunk = column[start:start + COPY_CHUNK]
                    known.update((value, _copy_text(value)) for value in dict.fromkeys(chunk) if value not in known)
                    cells.append(map(known.__getitem__, chunk))
                copy.write("".join(line + tail + "\n" for line in map("\t".join, zip(*cells, strict=True))))


@contextmanager
def _foreign_keys_checked_by_value(cursor: Any, table: str, values: Mapping[str, Sequence[Any]]) -> Iterator[None]:
    """Check the table's foreign keys once per distinct value for the writes inside, not once per row.

    PostgreSQL checks a foreign key with a trigger per written row, 5-10 µs each: the two keys of a million
    attendance rows cost 10-20 s, more than all the rest of an import. Locking every referenced row FOR KEY
    SHARE, as each of those triggers does, and finding all of them proves the same once per value, and no
    transaction can delete one of them or change its key before this one ends. The per-row checks are then
    left out with replication role "replica", for the writes inside only. That needs a superuser or `GRANT SET
    ON PARAMETER session_replication_role`, and replica would silence every trigger of the table: without the
    right, or with triggers other than the key checks, or a key of several columns, the rows are checked one
    by one as before.
    """
    keys = _checkable_foreign_keys(cursor, table, values)
    if keys is None:
        yield
        return
    quote = connection.ops.quote_name
    for column, target, target_column, target_type in keys:
        wanted = {value for value in values[column] if value is not None}
        cursor.execute(
            f"SELECT {quote(target_column)} FROM {target} "  # noqa: S608 -- names from the catalog
            f"WHERE {quote(target_column)} = ANY(CAST(%s AS {target_type}[])) FOR KEY SHARE",
            [list(wanted)],
        )
        missing = wanted.difference(row[0] for row in cursor.fetchall())
        if missing:
            raise IntegrityError(f"foreign key {table}.{column}: no row of {target} has "
                                 f"{', '.join(map(str, sorted(missing)[:10]))}")
    cursor.execute("SELECT current_setting('session_replication_role'), "
                   "set_config('session_replication_role', 'replica', true)")
    before = cursor.fetchone()[0]
    yield
    # Not in a `finally`: after an error the transaction (or the caller's savepoint) is rolled back,
    # and that puts the role back anyway.
    cursor.execute("SELECT set_config('session_replication_role', %s, true)", [before])


def _checkable_foreign_keys(cursor: Any, table: str,
                            values: Mapping[str, Sequence[Any]]) -> list[tuple[str, str, str, str]] | None:
    """The table's foreign keys as (column, referenced table, its column, its type), if they may be checked by value."""
    cursor.execute("""
        SELECT has_parameter_privilege('session_replication_role', 'SET')
           AND NOT EXISTS (
               -- a trigger that replica would silence (other than a key check) or wake
               SELECT 1 FROM pg_trigger t
               WHERE t.tgrelid = CAST(%(table)s AS regclass)
                 AND (t.tgenabled = 'R' OR (t.tgenabled = 'O' AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint c
                      WHERE c.oid = t.tgconstraint AND c.contype = 'f' AND c.conrelid = t.tgrelid)))
           )
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = CAST(%(table)s AS regclass)
                           AND c.contype = 'f' AND cardinality(c.conkey) <> 1)
    """, {"table": table})
    if not cursor.fetchone()[0]:
        return None
    cursor.execute("""
        SELECT a.attname, CAST(CAST(c.confrelid AS regclass) AS text), r.attname, format_type(r.atttypid, r.atttypmod)
        FROM pg_constraint c
        JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
        WHERE c.conrelid = CAST(%s AS regclass) AND c.contype = 'f'
    """, [table])
    keys = [(column, target, target_column, target_type) for column, target, target_column, target_type
            in cursor.fetchall()]
    # A key column the rows do not give would take its default, which is not looked at here.
    if not keys or any(column not in values for column, *_ in keys):
        return None
    return keys


def _copy_text(value: Any) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    raise TypeError(f"bulk_upsert cannot copy {type(value).__name__}")


def adapt_datetime(value: Any) -> Any:
    """A datetime as the database driver expects it in raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def adapt_decimal(value: Any) -> Any:
    return None if value is None else connection.ops.adapt_decimalfield_value(value)
