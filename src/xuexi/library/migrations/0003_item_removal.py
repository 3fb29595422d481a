"""撤回 of a library item: marked with when, by whom and why; the row, its pushes and reading records stay.

On SQLite, adding a NOT NULL column rebuilds the table (create, copy, drop, rename), which drops the triggers that
keep the FTS5 index of 0002 in step; they are made again afterwards (and after the columns go, backwards).
"""

import importlib

from django.db import migrations, models

search_index = importlib.import_module("xuexi.library.migrations.0002_search_index")
# The three triggers of 0002, made again; then the index rebuilt from the table.
TRIGGERS = [sql for sql in search_index.SQLITE_FORWARD if sql.startswith("CREATE TRIGGER")]
REMAKE = [*search_index.SQLITE_BACKWARD[:3], *TRIGGERS, "INSERT INTO library_item_fts(library_item_fts) VALUES ('rebuild')"]


class Migration(migrations.Migration):
    dependencies = [("library", "0002_search_index")]

    operations = [
        search_index.RunSQLFor("sqlite", [], REMAKE),
        migrations.AddField(
            model_name="libraryitem",
            name="removed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="撤回时间"),
        ),
        migrations.AddField(
            model_name="libraryitem",
            name="removed_by",
            field=models.CharField(blank=True, max_length=150, verbose_name="撤回人"),
        ),
        migrations.AddField(
            model_name="libraryitem",
            name="removal_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="撤回原因"),
        ),
        search_index.RunSQLFor("sqlite", REMAKE, []),
    ]
