"""The reads the annual report and the dashboards use: counts by kind and the rows, scoped and by year."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.conftest import Tree
from tests.outcomes.world import DAY, THIS_YEAR, activity, record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.errors import NotFound
from xuexi.outcomes import selectors


def _year_of_outcomes() -> None:
    record("C1", kind="决策建议", adoption="已采纳", decision_name="市委决定", decision_date=DAY)
    record("K1", kind="决策建议", adoption="部分采纳", decision_name="县委决定", decision_date=DAY)
    record("K1", kind="决策建议", adoption="未采纳")
    record("K1", kind="调研报告")
    record("T1", kind="媒体报道", outlet="吉林日报")
    record("K3", kind="内参")
    record("K1", kind="调研报告", date=date(THIS_YEAR - 1, 6, 1))  # last year's


def test_counts_cover_the_subtree_by_kind_with_the_adopted_proposals_apart(tree: Tree, city_admin: User) -> None:
    # given
    _year_of_outcomes()
    scope = Scope.for_user(city_admin)
    # when
    counts = selectors.outcome_counts(scope=scope, org=tree.city, year=THIS_YEAR)
    own = selectors.outcome_counts(scope=scope, org=tree.city, year=THIS_YEAR, subtree=False)
    # then
    assert counts == {"调研报告": 1, "决策建议": 3, "内参": 0, "媒体报道": 1, "典型经验": 0, selectors.ADOPTED: 2}
    assert own == {"调研报告": 0, "决策建议": 1, "内参": 0, "媒体报道": 0, "典型经验": 0, selectors.ADOPTED: 1}


def test_counts_take_one_query(tree: Tree, django_assert_num_queries: Any) -> None:
    _year_of_outcomes()
    with django_assert_num_queries(1):
        selectors.outcome_counts(scope=whole_tree_scope(), org=tree.province, year=THIS_YEAR)


def test_the_rows_are_the_organizations_own_unless_the_subtree_is_asked_for(tree: Tree, county_admin: User) -> None:
    # given
    _year_of_outcomes()
    scope = Scope.for_user(county_admin)
    # when
    own = selectors.outcomes_of(scope=scope, org=tree.county, year=THIS_YEAR)
    subtree = selectors.outcomes_of(scope=scope, org=tree.county, year=THIS_YEAR, subtree=True)
    every_year = selectors.outcomes_of(scope=scope, org=tree.county, year=None, kind="调研报告")
    # then
    assert sorted(o.kind for o in own) == ["决策建议", "决策建议", "调研报告"]
    assert len(subtree) == 4 and {o.org.code for o in subtree} == {"K1", "T1"}
    assert [o.date.year for o in every_year] == [THIS_YEAR, THIS_YEAR - 1]


def test_rows_list_only_the_sources_the_viewer_sees(tree: Tree, city_admin: User, county_admin: User) -> None:
    # given
    activity("CITY1", host="C1")
    activity("R1")
    record("K1", scope=Scope.for_user(city_admin), activity_numbers=["CITY1", "R1"])
    # when
    [row] = selectors.outcomes_of(scope=Scope.for_user(county_admin), org=tree.county, year=THIS_YEAR)
    # then
    assert [a.number for a in row.activities.all()] == ["R1"]


def test_an_activity_lists_the_outcomes_in_scope_that_cite_it(tree: Tree, county_admin: User) -> None:
    # given: a county report and a city proposal both cite the county's research
    research = activity("R1")
    record("K1", activity_numbers=["R1"], title="县里的报告")
    record("C1", activity_numbers=["R1"], title="市里的建议", kind="决策建议", adoption="待采纳")
    # when
    county = selectors.outcomes_citing(scope=Scope.for_user(county_admin), activity=research)
    everyone = selectors.outcomes_citing(scope=whole_tree_scope(), activity=research)
    # then
    assert [o.title for o in county] == ["县里的报告"]
    assert len(everyone) == 2


def test_a_separated_account_reads_no_outcomes(tree: Tree, auditor: User) -> None:
    with pytest.raises(NotFound):
        selectors.outcome_counts(scope=Scope.for_user(auditor), org=tree.province, year=THIS_YEAR)
