"""The append-only audit log: write an event, verify the SM3 hash chain."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC

from cryptography.hazmat.primitives import hashes
from django.db import transaction
from django.utils import timezone

from xuexi.accounts import request_context
from xuexi.accounts.models import AuditChainHead, AuditEvent, AuditOutcome, User

GENESIS_HASH = "0" * 64


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _canonical(event: AuditEvent) -> bytes:
    at = event.at.astimezone(UTC).isoformat(timespec="microseconds")
    fields = [
        event.prev_hash,
        str(event.seq),
        at,
        "" if event.actor_id is None else str(event.actor_id),
        event.actor_name,
        event.actor_org,
        event.address,
        event.action,
        event.object_type,
        event.object_id,
        event.object_repr,
        event.outcome,
        event.detail,
    ]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()


def actor_org_code(actor: User | None) -> str:
    """The organization an event's actor belongs to: their person's, else their outermost grant's (one query)."""
    if actor is None:
        return ""
    if actor.person_id is not None:
        code = User.objects.filter(pk=actor.pk).values_list("person__org__code", flat=True).first()
    else:
        code = actor.grants.order_by("org__path").values_list("org__code", flat=True).first()
    return code or ""


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor: User | None = None,
    actor_name: str = "",
    outcome: str = AuditOutcome.SUCCESS,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: Mapping[str, object] | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Append one event to the chain in the caller's transaction; a failure here fails the caller."""
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    event = AuditEvent(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor.username if actor is not None else actor_name,
        actor_org=actor_org_code(actor),
        address=address if address is not None else request_context.current().address,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:128],
        object_repr=str(object_repr)[:255],
        outcome=str(outcome),
        detail=json.dumps(dict(detail or {}), ensure_ascii=False, sort_keys=True, default=str),
        prev_hash=head.last_hash,
        hash="",
    )
    event.hash = sm3_hex(_canonical(event))
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


def _events_in_order(batch: int = 5000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def audit_verify() -> tuple[int, ChainBreak | None]:
    """Walk the chain; return the number of rows checked and the first altered or missing row."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _events_in_order():
        if event.seq != expected_seq:
            return checked, ChainBreak(expected_seq, f"缺少序号 {expected_seq} 的记录（已被删除）")
        if event.prev_hash != expected_prev:
            return checked, ChainBreak(event.seq, "上一条记录的哈希不符（前一条被改动或删除）")
        if sm3_hex(_canonical(event)) != event.hash:
            return checked, ChainBreak(event.seq, "记录内容与其哈希不符（该条被改动）")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq != checked:
        return checked, ChainBreak(checked + 1, f"链头记录为 {head.last_seq} 条，实际只有 {checked} 条（末尾被删除）")
    return checked, None
