"""The demo's library: twenty items of the province and today's push, which every member sees first."""

from __future__ import annotations

from tests.conftest import Tree
from tests.library.world import TODAY
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.demo.library import ITEMS, PUSHED_TODAY, generate_library
from xuexi.library import selectors


def test_the_province_publishes_twenty_items_and_pushes_three_today(tree: Tree, member: User) -> None:
    # when
    made = generate_library(today=TODAY)
    # then
    scope = Scope.for_user(member)
    assert made == {"library_items": len(ITEMS), "daily_pushes": 2} and len(ITEMS) == 20
    assert selectors.item_list(scope=scope).count() == 20
    pushes = selectors.pushes_for(scope=scope, date=TODAY)
    assert [p.org.code for p in pushes] == ["P"]
    assert [e.item.title for e in pushes[0].entries.all()] == [ITEMS[i][1] for i in PUSHED_TODAY]
    found = selectors.item_list(scope=scope, filters=selectors.ItemFilters(search="黑土地保护"))
    assert found[0].title == "黑土地保护利用的吉林实践"
