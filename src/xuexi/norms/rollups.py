"""达标汇总: the standings and the 关注群体 coverage counted for every organization by direct child, kept current.

A dashboard of an organization reads only the rows counted for it (a few hundred even at the
root of a province) instead of every standing of its subtree. Each organization A keeps, per
direct child C (and per A itself, for its own subjects), the counts of C's subtree; a change to
the standings of subjects in an organization O recounts the pairs (A, C) on O's path, a handful
of small grouped scans; a year is counted whole, depth by depth, when it is built or rebuilt.

Statuses still depend on the day they are read: met and exempt rows are counted as such; rows
short of the requirement are counted by the day they fall behind pace and judged against the
period's deadline when read (see `tally_rows`).
"""

# ruff: noqa: S608 -- the statements are put together from table and column names of this module's
# models only; every value (years, paths) is passed as a parameter.
from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass

from django.db import connection

from xuexi.norms.models import GroupCoverage, GroupCoverageRollup, Standing, StandingRollup
from xuexi.orgs.models import Organization

STEP = Organization.steplen
PAIRS_PER_STATEMENT = 200


@dataclass(frozen=True)
class Counted:
    """How a base table is counted into its pairs table: (column of the pairs table, expression over the base)."""

    base: str
    into: str
    keys: tuple[tuple[str, str], ...]  # copied and grouped by
    sums: tuple[tuple[str, str], ...]  # summed

    @property
    def columns(self) -> str:
        return ", ".join((*(name for name, _ in self.keys), "org_path", "child_path",
                          *(name for name, _ in self.sums)))


def _standings() -> Counted:
    return Counted(
        base=Standing._meta.db_table, into=StandingRollup._meta.db_table,
        keys=(*((column, column) for column in ("year", "rule_id", "period", "quarter", "deadline_day", "org_level",
                                                 "org_sector")),
              ("behind_from_day", "CASE WHEN short THEN behind_from_day ELSE 0 END")),
        sums=(("met", "CASE WHEN NOT exempt AND NOT short THEN 1 ELSE 0 END"),
              ("exempt", "CASE WHEN exempt THEN 1 ELSE 0 END"),
              ("short", "CASE WHEN short THEN 1 ELSE 0 END")),
    )


def _coverage() -> Counted:
    return Counted(base=GroupCoverage._meta.db_table, into=GroupCoverageRollup._meta.db_table,
                   keys=(("year", "year"), ('"group"', '"group"')),
                   sums=(("people", "people"), ("learners", "learners")))


def _insert(counted: Counted, length: int, where: str) -> str:
    keys = ", ".join(expression for _, expression in counted.keys)
    sums = ", ".join(f"SUM({expression})" for _, expression in counted.sums)
    # SUBSTR past the end of a path gives the path itself: an organization's own rows count under it.
    return f"""
        INSERT INTO {counted.into} ({counted.columns})
        SELECT {keys}, SUBSTR(org_path, 1, {length}), SUBSTR(org_path, 1, {length + STEP}), {sums}
        FROM {counted.base}
        WHERE year = %s AND LENGTH(org_path) >= {length} AND {where}
        GROUP BY {keys}, SUBSTR(org_path, 1, {length}), SUBSTR(org_path, 1, {length + STEP})
    """


def pairs_of(paths: Iterable[str]) -> set[tuple[str, str]]:
    """Every (organization, direct child or itself) pair whose counts hold subjects of these organizations."""
    pairs = set()
    for path in paths:
        for length in range(STEP, len(path) + 1, STEP):
            pairs.add((path[:length], path[:length + STEP]))
    return pairs


def _chunks(pairs: Collection[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    ordered = sorted(pairs)
    for start in range(0, len(ordered), PAIRS_PER_STATEMENT):
        yield ordered[start:start + PAIRS_PER_STATEMENT]


def _recount_pairs(counted: Counted, year: int, pairs: Collection[tuple[str, str]]) -> None:
    by_length: dict[int, list[tuple[str, str]]] = {}
    for pair in pairs:
        by_length.setdefault(len(pair[0]), []).append(pair)
    with connection.cursor() as cursor:
        for length, length_pairs in sorted(by_length.items()):
            for chunk in _chunks(length_pairs):
                matches = " OR ".join(["(org_path = %s AND child_path = %s)"] * len(chunk))
                cursor.execute(f"DELETE FROM {counted.into} WHERE year = %s AND ({matches})",
                               [year, *(p for pair in chunk for p in pair)])
                # A child's whole subtree; the organization's own rows are those of its exact path.
                within = " OR ".join("org_path = %s" if a == c else "org_path LIKE %s" for a, c in chunk)
                cursor.execute(_insert(counted, length, f"({within})"),
                               [year, *(a if a == c else f"{c}%" for a, c in chunk)])


def _recount_year(counted: Counted, year: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {counted.into} WHERE year = %s", [year])
        cursor.execute(f"SELECT MAX(LENGTH(org_path)) FROM {counted.base} WHERE year = %s", [year])
        found = cursor.fetchone()
        longest = found[0] if found and found[0] else 0
        for length in range(STEP, longest + 1, STEP):
            cursor.execute(_insert(counted, length, "1 = 1"), [year])


def recount_standings(year: int, paths: Iterable[str] | None = None) -> None:
    """Recount the pairs holding subjects of these organizations (by path), or the whole year."""
    if paths is None:
        _recount_year(_standings(), year)
    else:
        _recount_pairs(_standings(), year, pairs_of(paths))


def recount_coverage(year: int, paths: Iterable[str] | None = None) -> None:
    if paths is None:
        _recount_year(_coverage(), year)
    else:
        _recount_pairs(_coverage(), year, pairs_of(paths))
