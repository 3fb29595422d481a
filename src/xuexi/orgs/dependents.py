"""Derived data that higher apps keep about organizations and people, told when a write below changes it.

The norms' standings (达标情况) depend on the roster (an organization's level, kind, sector,
central group and place in the tree; a person's rank, post, groups and organization) and on
the ledger's totals; the apps that hold those sit below `norms` and may not import it. So a
higher app registers a listener once, at start-up (`AppConfig.ready`), and every write that
changes a subject says so here, inside its transaction, before it returns: the derived rows
are then current when the write commits, and gone with it when it rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class SubjectsChanged:
    """What a write changed about the subjects of the norms."""

    # Their roster facts changed: they may have become or stopped being a subject, in every year.
    people: set[int] = field(default_factory=set)
    orgs: set[int] = field(default_factory=set)
    # Every organization and person under these tree paths (a subtree moved).
    subtrees: set[str] = field(default_factory=set)
    # Their measures (credited hours and days, hosted and given activities) changed in a year.
    person_years: set[tuple[int, int]] = field(default_factory=set)
    org_years: set[tuple[int, int]] = field(default_factory=set)
    # Anyone's measures may have changed (a default credit changed).
    whole_tree: bool = False

    def __bool__(self) -> bool:
        return bool(self.whole_tree or self.people or self.orgs or self.subtrees or self.person_years
                    or self.org_years)


Listener = Callable[[SubjectsChanged], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    """Register a listener (once: registering it again changes nothing)."""
    if listener not in _listeners:
        _listeners.append(listener)


def subjects_changed(change: SubjectsChanged) -> None:
    """Tell every listener, inside the caller's transaction."""
    if change:
        for listener in _listeners:
            listener(change)


def roster_changed(*, people: Iterable[int] = (), orgs: Iterable[int] = (), subtrees: Iterable[str] = ()) -> None:
    subjects_changed(SubjectsChanged(people=set(people), orgs=set(orgs), subtrees=set(subtrees)))
