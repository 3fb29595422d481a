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
