"""Who reads a library item: its publisher's subtree, and the administrators above the publisher's subtree.

An item reaches the members of its publishing organization and of every organization below it (the
province's reach everyone): a person reads what their own organization or any of its ancestors
published. Administrators and reviewers also read what their subtree published.
"""

from __future__ import annotations

from django.db.models import Q

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.library.errors import LibraryError
from xuexi.library.models import LibraryItem
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


def ancestry(path: str) -> list[str]:
    """The paths of an organization and of every organization above it, nearest last."""
    step = Organization.steplen
    return [path[:end] for end in range(step, len(path) + 1, step)]


def home_paths(scope: Scope) -> list[str]:
    """Where the viewer stands in the tree: their own organization, then the roots they administer or review."""
    homes: list[str] = []
    if scope.person_id is not None:
        own = Person.objects.filter(pk=scope.person_id).values_list("org__path", flat=True).first()
        if own:
            homes.append(own)
    homes.extend(path for path in scope.read_paths if path not in homes)
    return homes


def reader_q(scope: Scope, prefix: str = "") -> Q:
    """Q for the items (through `prefix`) the scope reads: published above or at its home, or inside its subtree."""
    scope.require_business_data()
    above = sorted({path for home in home_paths(scope) for path in ancestry(home)})
    return Q(**{f"{prefix}publisher__path__in": above}) | scope.org_q(f"{prefix}publisher__")


def sees_removed(scope: Scope, item: LibraryItem) -> bool:
    """Whether the scope still sees a withdrawn item: those administering or reviewing its publisher do."""
    return scope.covers_path(item.publisher.path)


def access_item(*, scope: Scope, item_id: int, write: bool = False) -> LibraryItem:
    """An item the scope reads; outside it answers exactly as a missing one; editing needs the publisher's subtree.

    A withdrawn item (撤回) answers as a missing one, except to those over its publisher, who see why it went.
    """
    item = LibraryItem.objects.select_related("publisher").filter(reader_q(scope), pk=item_id).first()
    if item is None or (item.removed_at is not None and not sees_removed(scope, item)):
        raise NotFound(LibraryError.NOT_FOUND, f"学习资料 {item_id} 不存在")
    if write and not scope.covers_path(item.publisher.path, write=True):
        raise Forbidden(LibraryError.READ_ONLY, f"学习资料 {item_id} 由{item.publisher.name}发布，您只能查看")
    return item
