"""Chinese full-text search: jieba cuts the text into words; the database ranks the matches.

The items keep their segmented text in `search_text`. SQLite matches it through the FTS5 table of
migration 0002 and ranks by bm25(); PostgreSQL matches the stored column search_vector =
to_tsvector('simple', search_text) (GIN-indexed) and ranks by ts_rank normalized by the document's length,
so that both put the best match first.
"""

from __future__ import annotations

import logging
import re

import jieba
from django.db import connection
from django.db.models import QuerySet

from xuexi.library.models import LibraryItem

jieba.setLogLevel(logging.WARNING)

MAX_TERMS = 20
_WORD = re.compile(r"\w", re.UNICODE)
# Words too common to tell items apart; a query of only these finds nothing rather than everything.
STOP_WORDS = frozenset({"的", "了", "和", "与", "及", "是", "在", "等", "之", "也", "对", "把", "被", "为", "以", "于",
                        "中", "上", "下", "不", "有", "这", "那", "其", "并", "或", "而"})


def _words(text: str, *, for_search: bool) -> list[str]:
    cut = jieba.cut_for_search(text) if for_search else jieba.cut(text)
    return [w.strip().lower() for w in cut if _WORD.search(w)]


def segment(text: str) -> str:
    """The text as the index holds it: its words and their shorter parts (cut_for_search), space-separated."""
    return " ".join(_words(text, for_search=True))


def query_terms(text: str) -> list[str]:
    """The words of a query (precise cut, which the index's cut_for_search always contains), without stop words."""
    terms: list[str] = []
    for word in _words(text, for_search=False):
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _fts5_match(terms: list[str]) -> str:
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


def ranked(items: QuerySet[LibraryItem], terms: list[str]) -> QuerySet[LibraryItem]:
    """The items matching any of the terms, best first (then newest)."""
    if not terms:
        return items.none()
    table = LibraryItem._meta.db_table
    if connection.vendor == "postgresql":
        # search_vector: the stored tsvector column of migration 0002 (PostgreSQL only, unknown to the model).
        query = " || ".join(["plainto_tsquery('simple', %s)"] * len(terms))
        return items.extra(  # noqa: S610 -- the terms travel as parameters; the SQL around them is fixed
            where=[f"{table}.search_vector @@ ({query})"], params=terms,
            select={"rank": f"ts_rank({table}.search_vector, ({query}), 1)"}, select_params=terms,
        ).order_by("-rank", "-date", "-id")
    # A join with the FTS5 table, which drives the query through its index; bm25() is lower for a better match.
    # (A correlated subquery per item ran one full-text query per row: 28 s for 20,000 items.)
    return items.extra(  # noqa: S610 -- the match travels as a parameter; the table names are fixed
        tables=["library_item_fts"],
        where=[f"library_item_fts.rowid = {table}.id", "library_item_fts MATCH %s"],
        params=[_fts5_match(terms)],
        select={"rank": "bm25(library_item_fts)"},
    ).order_by("rank", "-date", "-id")
