"""The audit log is append-only in the database itself: updates and deletes are refused."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER accounts_auditevent_no_update BEFORE UPDATE ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;""",
    """CREATE TRIGGER accounts_auditevent_no_delete BEFORE DELETE ON accounts_auditevent
       BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_delete;",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION accounts_auditevent_refuse() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '审计日志只能追加，不能修改或删除'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER accounts_auditevent_no_change BEFORE UPDATE OR DELETE ON accounts_auditevent
       FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_refuse();""",
    """CREATE TRIGGER accounts_auditevent_no_truncate BEFORE TRUNCATE ON accounts_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION accounts_auditevent_refuse();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_change ON accounts_auditevent;",
    "DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;",
    "DROP FUNCTION IF EXISTS accounts_auditevent_refuse();",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
