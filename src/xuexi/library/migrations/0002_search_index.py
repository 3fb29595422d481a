"""Full-text search of library items over their jieba-segmented text.

SQLite: an FTS5 table kept in step with the items by triggers (bm25() ranks it).
PostgreSQL: a stored generated tsvector column over search_text ('simple' configuration), GIN-indexed, which the
selector matches and ranks with ts_rank (computing to_tsvector at query time took 10 s over 20,000 items).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE library_item_fts USING fts5("
    "search_text, content='library_libraryitem', content_rowid='id', tokenize='unicode61')",
    "CREATE TRIGGER library_item_fts_insert AFTER INSERT ON library_libraryitem BEGIN "
    "INSERT INTO library_item_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER library_item_fts_delete AFTER DELETE ON library_libraryitem BEGIN "
    "INSERT INTO library_item_fts(library_item_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER library_item_fts_update AFTER UPDATE OF search_text ON library_libraryitem BEGIN "
    "INSERT INTO library_item_fts(library_item_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO library_item_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO library_item_fts(library_item_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_item_fts_update",
    "DROP TRIGGER IF EXISTS library_item_fts_delete",
    "DROP TRIGGER IF EXISTS library_item_fts_insert",
    "DROP TABLE IF EXISTS library_item_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE library_libraryitem ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    "CREATE INDEX library_item_search_gin ON library_libraryitem USING GIN (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS library_item_search_gin",
    "ALTER TABLE library_libraryitem DROP COLUMN IF EXISTS search_vector",
]


class RunSQLFor(migrations.RunSQL):
    """RunSQL on one database vendor only; the other keeps its own statements."""

    def __init__(self, vendor: str, sql: list[str], reverse_sql: list[str]) -> None:
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        RunSQLFor("sqlite", SQLITE_FORWARD, SQLITE_BACKWARD),
        RunSQLFor("postgresql", POSTGRES_FORWARD, POSTGRES_BACKWARD),
    ]
