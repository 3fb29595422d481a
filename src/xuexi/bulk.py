"""Set-based writes for large generated data: COPY on PostgreSQL, executemany elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


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
    model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
    conflict: Sequence[str], update: Sequence[str],
) -> None:
    """Insert rows, or update the ones whose `conflict` columns already exist: one set-based statement.

    Values must already be adapted for the database (see `adapt`). On PostgreSQL the rows are copied into
    a temporary table first, then merged with INSERT … SELECT … ON CONFLICT.
    """
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    cols = ", ".join(q(c) for c in columns)
    on_conflict = (f"ON CONFLICT ({', '.join(q(c) for c in conflict)}) DO UPDATE SET "
                   + ", ".join(f"{q(c)} = excluded.{q(c)}" for c in update))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Names come from the model, never from input.
            cursor.execute(f"CREATE TEMP TABLE xuexi_upsert AS SELECT {cols} FROM {table} WITH NO DATA")  # noqa: S608
            with cursor.cursor.copy(f"COPY xuexi_upsert ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM xuexi_upsert {on_conflict}")  # noqa: S608
            cursor.execute("DROP TABLE xuexi_upsert")
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({placeholders}) {on_conflict}"  # noqa: S608
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start:start + 5000])


def adapt_datetime(value: Any) -> Any:
    """A datetime as the database driver expects it in raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def adapt_decimal(value: Any) -> Any:
    return None if value is None else connection.ops.adapt_decimalfield_value(value)
