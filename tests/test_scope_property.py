"""Dashboards leak too: on random trees, every list and count holds exactly the viewer's subtrees.

Hypothesis draws an organization tree (2–25 organizations, random parents), people on it, and
one or two subtrees for an administrator (a scope is a union of subtrees, the second one an
administrator's or a reviewer's grant), sometimes with the administrator's own person record
somewhere in the tree. The expected sets are worked out in plain Python from the parent relation,
never from the tree's paths; the selectors and the API lists must return exactly those.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from xuexi.accounts import services as account_services
from xuexi.accounts.models import GrantRole, User
from xuexi.accounts.scope import Scope
from xuexi.orgs import selectors as org_selectors
from xuexi.orgs.models import Organization
from xuexi.people import selectors as people_selectors

NAMES = ("王红", "王建军", "李明", "张王氏", "赵云")
COMMON = "王"  # part of several names, as a search string
CODE_PREFIX = "O1"  # O1 and O10–O19: a code search


@dataclass(frozen=True)
class Forest:
    parents: tuple[int | None, ...]  # parents[i] < i; the first organization is the root
    people: tuple[tuple[int, str], ...]  # (organization, name) of each person
    grants: tuple[tuple[int, str], ...]  # (organization, role): the first one an admin grant
    me: int | None  # the person behind the administrator's account, if any

    def within(self, org: int, root: int) -> bool:
        node: int | None = org
        while node is not None:
            if node == root:
                return True
            node = self.parents[node]
        return False

    def in_scope(self, org: int) -> bool:
        return any(self.within(org, root) for root, _ in self.grants)

    @property
    def visible_orgs(self) -> set[str]:
        return {org_code(i) for i in range(len(self.parents)) if self.in_scope(i)}

    @property
    def tree_order(self) -> list[str]:
        """The organizations in scope, depth first, children in the order they were created."""
        order: list[str] = []
        stack = [0]
        while stack:
            node = stack.pop()
            order += [org_code(node)] if self.in_scope(node) else []
            stack += reversed([i for i, p in enumerate(self.parents) if p == node])
        return order

    @property
    def top_orgs(self) -> set[str]:
        roots = {root for root, _ in self.grants}
        return {org_code(r) for r in roots if not any(
            self.within(r, other) for other in roots - {r})}

    def visible_children(self, org: int) -> set[str]:
        return {org_code(i) for i, p in enumerate(self.parents) if p == org and self.in_scope(i)}

    def visible_people(self, *, under: int = 0, search: str = "") -> set[str]:
        return {
            person_number(j) for j, (org, name) in enumerate(self.people)
            if (self.in_scope(org) or j == self.me) and self.within(org, under) and search in name
        }


def org_code(i: int) -> str:
    return f"O{i}"


def person_number(j: int) -> str:
    return f"N{j}"


@st.composite
def forests(draw: Any) -> Forest:
    size = draw(st.integers(min_value=2, max_value=25))
    # Half the time the last organization as parent, so deep chains come up as well as bushes.
    parents = (None, *(draw(st.integers(0, i - 1) | st.just(i - 1)) for i in range(1, size)))
    people = draw(st.lists(st.tuples(st.integers(0, size - 1), st.sampled_from(NAMES)), max_size=30))
    roots = draw(st.lists(st.integers(0, size - 1), min_size=1, max_size=2, unique=True))
    roles = [GrantRole.ORG_ADMIN, draw(st.sampled_from([GrantRole.ORG_ADMIN, GrantRole.REVIEWER]))]
    me = draw(st.none() | st.integers(0, len(people) - 1)) if people else None
    return Forest(parents=parents, people=tuple(people), grants=tuple(zip(roots, roles, strict=False)),
                  me=me)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Keep one example's rows to itself: the test's transaction outlives every example."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def plant(forest: Forest) -> tuple[User, list[Organization]]:
    """Build the forest through the services, and the administrator's account with its grants."""
    orgs: list[Organization] = []
    for i, parent in enumerate(forest.parents):
        orgs.append(factories.make_org(org_code(i), parent=None if parent is None else orgs[parent]))
    people = [factories.make_person(orgs[org], number=person_number(j), name=name)
              for j, (org, name) in enumerate(forest.people)]
    user = factories.make_user("scoped_admin", person=None if forest.me is None else people[forest.me])
    for org, role in forest.grants:
        account_services.grant_add(actor=None, user=user, org_id=orgs[org].pk, role=role)
    return user, orgs


def codes(items: Any) -> set[str]:
    return {item.code for item in items}


def numbers(items: Any) -> set[str]:
    return {item.number for item in items}


EXAMPLES = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@EXAMPLES
@given(forest=forests())
def test_org_selectors_hold_exactly_the_union_of_subtrees(db: None, forest: Forest) -> None:
    with rolled_back():
        # given
        user, orgs = plant(forest)
        scope = Scope.for_user(user)
        # when
        listed = org_selectors.org_list(scope=scope)
        searched = org_selectors.org_list(scope=scope, filters=org_selectors.OrgFilters(
            search=CODE_PREFIX))
        roots = org_selectors.org_roots(scope=scope)
        children = [codes(org_selectors.org_children(scope=scope, org=org)) for org in orgs]
        subtree_counts = [org_selectors.org_subtree_count(scope=scope, org=org) for org in orgs]
        # then
        assert [org.code for org in listed] == forest.tree_order
        assert listed.count() == len(forest.visible_orgs)
        assert codes(searched) == {c for c in forest.visible_orgs if c.startswith(CODE_PREFIX)}
        assert searched.count() == len(codes(searched))
        assert codes(roots) == forest.top_orgs
        assert children == [forest.visible_children(i) for i in range(len(orgs))]
        assert subtree_counts == [
            sum(forest.in_scope(j) and forest.within(j, i) for j in range(len(orgs)))
            for i in range(len(orgs))
        ]


@EXAMPLES
@given(forest=forests())
def test_person_selectors_hold_exactly_the_union_of_subtrees_and_oneself(
    db: None, forest: Forest
) -> None:
    with rolled_back():
        # given
        user, orgs = plant(forest)
        scope = Scope.for_user(user)
        # when
        listed = people_selectors.person_list(scope=scope)
        searched = people_selectors.person_list(
            scope=scope, filters=people_selectors.PersonFilters(search=COMMON))
        per_subtree = [people_selectors.person_count(scope=scope, org_path=org.path) for org in orgs]
        # then
        assert numbers(listed) == forest.visible_people()
        assert listed.count() == len(forest.visible_people())
        assert numbers(searched) == forest.visible_people(search=COMMON)
        assert searched.count() == len(forest.visible_people(search=COMMON))
        assert per_subtree == [len(forest.visible_people(under=i)) for i in range(len(orgs))]


@EXAMPLES
@given(forest=forests())
def test_api_lists_hold_exactly_the_union_of_subtrees(db: None, forest: Forest) -> None:
    with rolled_back():
        # given
        user, _ = plant(forest)
        _, secret = account_services.api_token_create(user=user, name="property")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        # when
        orgs = client.get("/api/orgs", {"page_size": 500}).json()
        searched_orgs = client.get("/api/orgs", {"page_size": 500, "search": CODE_PREFIX}).json()
        people = client.get("/api/people", {"page_size": 500}).json()
        searched_people = client.get("/api/people", {"page_size": 500, "search": COMMON}).json()
        # then
        assert {item["code"] for item in orgs["items"]} == forest.visible_orgs
        assert orgs["count"] == len(forest.visible_orgs)
        assert {item["code"] for item in searched_orgs["items"]} == {
            c for c in forest.visible_orgs if c.startswith(CODE_PREFIX)}
        assert searched_orgs["count"] == len(searched_orgs["items"])
        assert {item["number"] for item in people["items"]} == forest.visible_people()
        assert people["count"] == len(forest.visible_people())
        assert {item["number"] for item in searched_people["items"]} == forest.visible_people(
            search=COMMON)
        assert searched_people["count"] == len(forest.visible_people(search=COMMON))
