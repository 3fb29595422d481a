"""Writes of the library and the daily push: each one transaction, checked against the scope, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, NotFound
from xuexi.learning import attachments
from xuexi.learning.models import Campaign, ContentArea
from xuexi.library.access import access_item, ancestry, reader_q
from xuexi.library.errors import LibraryError
from xuexi.library.models import DailyPush, ItemFile, ItemKind, ItemView, LibraryItem, PushEntry, PushOpen
from xuexi.library.search import segment
from xuexi.orgs.access import access_org
from xuexi.orgs.models import Organization

EARLIEST = dt.date(1921, 7, 1)
TITLE_LIMIT, SOURCE_LIMIT, BODY_LIMIT = 300, 200, 100_000
PUSH_MAX_ITEMS = 5
# The files a library item plays or shows in the browser.
VIEWABLE_TYPES = (attachments.PDF.content_type, attachments.MP4.content_type)


@dataclass(frozen=True)
class ItemFields:
    """What a publisher says about an item; its publishing organization is not among them."""

    kind: str
    title: str
    date: dt.date
    source: str = ""
    body: str = ""
    areas: Sequence[str] = ()  # values of learning.models.ContentArea
    campaign_codes: Sequence[str] = ()


def _invalid(field: str, detail: str, code: str = LibraryError.INVALID) -> DomainError:
    return DomainError(code, detail, field=field)


def _check(fields: ItemFields) -> None:
    if fields.kind not in ItemKind.values:
        raise _invalid("kind", f"类别“{fields.kind}”无效，应为{'、'.join(ItemKind.values)}之一")
    if not fields.title.strip() or len(fields.title) > TITLE_LIMIT:
        raise _invalid("title", f"标题“{fields.title[:20]}”无效，应为 1 至 {TITLE_LIMIT} 个字符")
    if len(fields.source) > SOURCE_LIMIT:
        raise _invalid("source", f"来源有 {len(fields.source)} 个字符，应不超过 {SOURCE_LIMIT} 个")
    if len(fields.body) > BODY_LIMIT:
        raise _invalid("body", f"正文有 {len(fields.body)} 个字符，应不超过 {BODY_LIMIT} 个")
    today = timezone.localdate()
    if not EARLIEST <= fields.date <= today:
        raise _invalid("date", f"日期 {fields.date} 无效，应在 {EARLIEST} 至今天（{today}）之间")
    for area in fields.areas:
        if area not in ContentArea.values:
            raise _invalid("areas", f"学习内容“{area}”无效，应为{'、'.join(ContentArea.values)}之一")


def _campaigns(publisher: Organization, codes: Sequence[str]) -> list[Campaign]:
    """The campaigns named, each one covering the publisher or lying inside its subtree."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {c.code: c for c in Campaign.objects.select_related("covers").filter(code__in=wanted)}
    for code in wanted:
        campaign = found.get(code)
        meets = campaign is not None and (publisher.path.startswith(campaign.covers.path)
                                          or campaign.covers.path.startswith(publisher.path))
        if not meets:
            raise _invalid("campaign_codes", f"主题教育编号 {code} 不存在，或不在{publisher.name}的范围内")
    return [found[code] for code in wanted]


def _values(fields: ItemFields) -> dict[str, object]:
    areas = [a for a in ContentArea.values if a in set(fields.areas)]
    return {"kind": fields.kind, "title": fields.title.strip(), "date": fields.date, "source": fields.source.strip(),
            "body": fields.body, "areas": areas, "search_text": segment(f"{fields.title}\n{fields.body}")}


def _actor_name(actor: User | None) -> str:
    return actor.username if actor is not None else "系统"


@transaction.atomic
def item_publish(*, actor: User | None, scope: Scope, org_code: str, fields: ItemFields) -> LibraryItem:
    """Publish an item to the subtree of an organization the scope administers."""
    _check(fields)
    org = access_org(scope=scope, code=org_code, write=True)
    campaigns = _campaigns(org, fields.campaign_codes)
    now = timezone.now()
    item = LibraryItem(publisher=org, created_at=now, updated_at=now, created_by=_actor_name(actor),
                       updated_by=_actor_name(actor), **_values(fields))
    item.save(force_insert=True)
    item.campaigns.set(campaigns)
    audit_record(action="library_item_publish", actor=actor, object_type="library_item", object_id=str(item.pk),
                 object_repr=item.title, detail={"org": org.code, "kind": item.kind,
                                                 "campaigns": [c.code for c in campaigns]})
    return item


@transaction.atomic
def item_update(*, actor: User | None, scope: Scope, item_id: int, fields: ItemFields) -> LibraryItem:
    """Change an item; its publisher stays."""
    item = access_item(scope=scope, item_id=item_id, write=True)
    _check(fields)
    campaigns = _campaigns(item.publisher, fields.campaign_codes)
    values = _values(fields)
    changed = sorted(name for name, value in values.items() if getattr(item, name) != value and name != "search_text")
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    item.updated_by = _actor_name(actor)
    item.save(update_fields=[*values, "updated_at", "updated_by"])
    item.campaigns.set(campaigns)
    audit_record(action="library_item_update", actor=actor, object_type="library_item", object_id=str(item.pk),
                 object_repr=item.title, detail={"changed": changed, "campaigns": [c.code for c in campaigns]})
    return item


@transaction.atomic
def item_file_add(*, actor: User, scope: Scope, item_id: int, name: str, data: bytes) -> ItemFile:
    """Keep a PDF or an mp4 video with an item: its type read from its bytes, stored by its hash."""
    item = access_item(scope=scope, item_id=item_id, write=True)
    shown = attachments.display_name(name)
    file_type = attachments.detect(data, shown, allow_video=True)
    if file_type.content_type not in VIEWABLE_TYPES:
        raise _invalid("file", f"“{shown}”是{file_type.label}；学习资料只能上传 PDF 文档或 MP4 视频",
                       LibraryError.FILE_REFUSED)
    digest = attachments.sha256_of(data)
    attachments.store(data, digest)
    stored = ItemFile.objects.create(item=item, name=shown, content_type=file_type.content_type, size=len(data),
                                     sha256=digest, uploaded_by=actor.username)
    audit_record(action="library_file_add", actor=actor, object_type="library_item", object_id=str(item.pk),
                 object_repr=shown, detail={"file": stored.pk, "sha256": digest, "size": len(data)})
    return stored


REASON_LIMIT = 500


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text or len(text) > REASON_LIMIT:
        shown = f"“{text[:20]}”无效" if text else "请填写撤回原因"
        raise _invalid("reason", f"{shown}：应为 1 至 {REASON_LIMIT} 个字符，说明为什么撤回",
                       LibraryError.REMOVAL_INVALID)
    return text


def _mark_removed(item: LibraryItem, actor: User | None, reason: str) -> None:
    item.removed_at = timezone.now()
    item.removed_by = _actor_name(actor)
    item.removal_reason = reason
    item.save(update_fields=["removed_at", "removed_by", "removal_reason"])


@transaction.atomic
def item_withdraw(*, actor: User | None, scope: Scope, item_id: int, reason: str) -> LibraryItem:
    """撤回: hide an item from members, search, lists and pushes; the row and its push records stay."""
    item = access_item(scope=scope, item_id=item_id, write=True)
    text = _reason(reason)
    if item.removed_at is not None:
        raise DomainError(LibraryError.REMOVED, f"学习资料 {item.pk}（{item.title}）已于 "
                          f"{timezone.localtime(item.removed_at):%Y-%m-%d %H:%M} 撤回", kind=ErrorKind.CONFLICT)
    _mark_removed(item, actor, text)
    audit_record(action="library_item_withdraw", actor=actor, object_type="library_item", object_id=str(item.pk),
                 object_repr=item.title, detail={"publisher": item.publisher.code, "reason": text})
    return item


@transaction.atomic
def item_withdraw_with_source(*, actor: User | None, item_id: int, reason: str) -> LibraryItem | None:
    """撤回 an item because what it was published from (a 典型经验) was withdrawn by its own organization.

    The caller has checked its own right over the source; the source's organization need not administer the
    publisher. An item already withdrawn stays as it is (None).
    """
    item = LibraryItem.objects.select_related("publisher").select_for_update(of=("self",)).get(pk=item_id)
    if item.removed_at is not None:
        return None
    _mark_removed(item, actor, _reason(reason))
    audit_record(action="library_item_withdraw", actor=actor, object_type="library_item", object_id=str(item.pk),
                 object_repr=item.title, detail={"publisher": item.publisher.code, "reason": item.removal_reason,
                                                 "with_source": True})
    return item


@transaction.atomic
def item_file_remove(*, actor: User, scope: Scope, item_id: int, file_id: int) -> ItemFile:
    """Take a file off an item; the stored file and its record stay."""
    item = access_item(scope=scope, item_id=item_id, write=True)
    stored = ItemFile.objects.filter(item=item, pk=file_id, removed_at__isnull=True).first()
    if stored is None:
        raise NotFound(LibraryError.FILE_NOT_FOUND, f"资料文件 {file_id} 不存在")
    stored.removed_at = timezone.now()
    stored.removed_by = actor.username
    stored.save(update_fields=["removed_at", "removed_by"])
    audit_record(action="library_file_remove", actor=actor, object_type="library_item", object_id=str(item.pk),
                 object_repr=stored.name, detail={"file": stored.pk})
    return stored


@transaction.atomic
def item_open(*, scope: Scope, item: LibraryItem) -> None:
    """Record that the viewer (a person) opened the item, and their opening of every push that holds it.

    ItemView is the hook online-learning time credit will build on; PushOpen feeds the reach figures.
    """
    if scope.person_id is None or item.removed_at is not None:
        return
    now = timezone.now()
    updated = ItemView.objects.filter(person_id=scope.person_id, item=item).update(
        last_opened_at=now, opened=F("opened") + 1)
    if not updated:
        ItemView.objects.bulk_create([ItemView(person_id=scope.person_id, item=item, first_opened_at=now,
                                               last_opened_at=now)], ignore_conflicts=True)
    own = (Organization.objects.filter(members__pk=scope.person_id).values_list("path", flat=True).first())
    if not own:
        return
    pushes = DailyPush.objects.filter(org__path__in=ancestry(own), entries__item=item).values_list("pk", flat=True)
    PushOpen.objects.bulk_create([PushOpen(push_id=pk, person_id=scope.person_id, at=now) for pk in pushes],
                                 ignore_conflicts=True)


@transaction.atomic
def push_set(*, actor: User | None, scope: Scope, org_code: str, date: dt.date, item_ids: Sequence[int]) -> DailyPush:
    """Choose a day's items (1 to 5, in order) for an organization's subtree; a second choice replaces the first."""
    org = access_org(scope=scope, code=org_code, write=True)
    wanted = list(dict.fromkeys(item_ids))
    if not 1 <= len(wanted) <= PUSH_MAX_ITEMS:
        raise _invalid("items", f"每日推送选了 {len(wanted)} 条资料，应为 1 至 {PUSH_MAX_ITEMS} 条",
                       LibraryError.PUSH_INVALID)
    # What the whole subtree may read: published by the organization itself or above it.
    reachable = {i.pk: i for i in LibraryItem.objects.filter(reader_q(scope), pk__in=wanted, removed_at__isnull=True)
                 .filter(Q(publisher__path__in=ancestry(org.path)))}
    for item_id in wanted:
        if item_id not in reachable:
            raise _invalid("items", f"学习资料 {item_id} 不存在，或不是{org.name}及其上级发布的资料（下级组织看不到）",
                           LibraryError.PUSH_INVALID)
    push, _ = DailyPush.objects.get_or_create(org=org, date=date)
    push.updated_at = timezone.now()
    push.updated_by = _actor_name(actor)
    push.save(update_fields=["updated_at", "updated_by"])
    push.entries.all().delete()
    PushEntry.objects.bulk_create([PushEntry(push=push, item_id=item_id, position=n)
                                   for n, item_id in enumerate(wanted, start=1)])
    audit_record(action="library_push_set", actor=actor, object_type="daily_push", object_id=f"{org.code}/{date}",
                 object_repr=f"{org.name} {date} 理论学习天天向上", detail={"items": wanted})
    return push
