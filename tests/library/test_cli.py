"""`xuexi library reach`: the reach of an organization's daily pushes, counts only, from the command line."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import Tree
from tests.library.world import TODAY, publish, push
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.cli import main
from xuexi.library import services


@pytest.fixture
def pushed(tree: Tree, member: User, cadre: User) -> None:
    # K1's subtree holds CAD1 (K1) and MEM1 (B1); the member opens today's push, nobody the one of 3 days ago
    today, earlier = publish("P", "今日推送"), publish("P", "前几天的推送")
    push("K1", [today])
    push("K1", [earlier], date=TODAY - dt.timedelta(days=3))
    push("K1", [earlier], date=TODAY - dt.timedelta(days=20))
    services.item_open(scope=Scope.for_user(member), item=today)


def test_the_reach_lists_each_days_push_with_its_opened_share(pushed: None,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # when
    status = main(["library", "reach", "--org", "K1", "--format", "json"])
    # then
    out, _ = capsys.readouterr()
    assert status == 0
    assert json.loads(out) == [
        {"date": TODAY.isoformat(), "items": ["今日推送"], "opened": 1, "members": 2, "share": 0.5},
        {"date": (TODAY - dt.timedelta(days=3)).isoformat(), "items": ["前几天的推送"], "opened": 0, "members": 2,
         "share": 0.0}]
    assert "王党员" not in out and "MEM1" not in out


def test_the_days_and_the_table(pushed: None, capsys: pytest.CaptureFixture[str]) -> None:
    # when
    status = main(["library", "reach", "--org", "K1", "--days", "30", "--format", "table"])
    # then
    out, _ = capsys.readouterr()
    assert status == 0
    assert out.splitlines()[0] == "日期\t推送资料\t已打开人数\t在册人数\t到达率"
    assert f"{TODAY.isoformat()}\t今日推送\t1\t2\t50.0%" in out
    assert out.strip().endswith("中共丙县委员会近 30 天推送 3 次（只计人数，不列姓名、不排名）")


def test_wrong_input_is_named_in_chinese_with_exit_status_1(pushed: None,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    # when
    unknown = main(["library", "reach", "--org", "ZZ9"])
    bad_days = main(["library", "reach", "--org", "K1", "--days", "0"])
    # then
    out, err = capsys.readouterr()
    assert (unknown, bad_days, out) == (1, 1, "")
    assert "组织编码 ZZ9 不存在" in err and "--days 0 不在 1 到 366 之间" in err


def test_a_wrong_use_of_the_command_exits_2(tree: Tree) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["library", "reach", "--org", "K1", "--format", "xlsx"])
    assert exited.value.code == 2
