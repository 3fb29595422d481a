from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from tests.conftest import Tree
from xuexi.accounts.audit import audit_record, audit_verify
from xuexi.accounts.models import AuditEvent
from xuexi.cli import main


def _drop_triggers() -> None:
    # Only a test (or an attacker with the database's owner rights) can do this.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER accounts_auditevent_no_change ON accounts_auditevent")
        else:
            cursor.execute("DROP TRIGGER accounts_auditevent_no_update")
            cursor.execute("DROP TRIGGER accounts_auditevent_no_delete")


def _three_events() -> list[AuditEvent]:
    return [audit_record(action=f"test_{i}", actor_name="tester", object_id=str(i)) for i in range(3)]


def test_events_chain_each_to_the_previous(db: None) -> None:
    events = _three_events()
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert audit_verify() == (3, None)


def test_database_refuses_update_of_an_event(db: None) -> None:
    event = _three_events()[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    assert AuditEvent.objects.get(pk=event.pk).action == "test_0"


def test_database_refuses_delete_of_an_event(db: None) -> None:
    event = _three_events()[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_verify_names_the_first_altered_row(db: None) -> None:
    # given
    events = _three_events()
    _drop_triggers()
    # when
    AuditEvent.objects.filter(pk=events[1].pk).update(object_repr="改过的")
    # then
    checked, broken = audit_verify()
    assert checked == 1
    assert broken is not None
    assert broken.seq == events[1].seq


def test_verify_names_a_deleted_row(db: None) -> None:
    events = _three_events()
    _drop_triggers()
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    _, broken = audit_verify()
    assert broken is not None
    assert broken.seq == events[1].seq


def test_verify_notices_a_truncated_tail(db: None) -> None:
    events = _three_events()
    _drop_triggers()
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    _, broken = audit_verify()
    assert broken is not None
    assert broken.seq == events[2].seq


def test_cli_audit_verify_exits_1_naming_the_row(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    events = _three_events()
    _drop_triggers()
    AuditEvent.objects.filter(pk=events[0].pk).update(outcome="denied")
    assert main(["audit", "verify"]) == 1
    assert f"第 {events[0].seq} 条" in capsys.readouterr().err


def test_cli_audit_verify_exits_0_on_intact_log(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    _three_events()
    assert main(["audit", "verify"]) == 0
    assert "校验通过" in capsys.readouterr().out


def test_a_failing_audit_write_fails_the_audited_action(tree: Tree) -> None:
    from xuexi.accounts.scope import whole_tree_scope
    from xuexi.orgs import services
    from xuexi.orgs.models import Organization

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE accounts_auditchainhead")
    with pytest.raises(DatabaseError):
        services.org_update(actor=None, scope=whole_tree_scope(), code="K1", changes={"name": "改名"})
    assert Organization.objects.get(code="K1").name == "中共丙县委员会"
