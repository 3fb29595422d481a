"""The four exchange tables of exchange-formats.md: headers, keys, and how each cell is read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from xuexi.exchange import cells
from xuexi.learning.models import ActivityKind, AttendanceStatus, ContentArea, TrainingType
from xuexi.orgs.models import Kind, Level, Sector
from xuexi.people.models import FocusGroup, LeaderPost, Rank


@dataclass(frozen=True)
class Column:
    header: str  # 组织编码
    key: str  # code
    required: bool
    read: Callable[[str], Any]
    default: Any = None

    def parse(self, text: str | None) -> Any:
        if text is None or text == "":
            if self.required:
                raise cells.CellError("必填，不能为空")
            return self.default
        return self.read(text)


def _text(max_length: int) -> Callable[[str], str]:
    def read(value: str) -> str:
        if len(value) > max_length:
            raise cells.CellError(f"不超过 {max_length} 个字符的文字")
        return value

    return read


def _choice(choices: Sequence[str]) -> Callable[[str], str]:
    allowed = tuple(choices)
    return lambda value: cells.parse_choice(value, allowed)


def _many(choices: Sequence[str]) -> Callable[[str], list[str]]:
    allowed = tuple(choices)
    return lambda value: cells.parse_list(value, allowed)


@dataclass(frozen=True)
class Table:
    name: str  # orgs, members, activities, attendance
    title: str  # 组织
    columns: tuple[Column, ...]

    def column(self, header_or_key: str) -> Column | None:
        for column in self.columns:
            if header_or_key in (column.header, column.key):
                return column
        return None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


ORGS = Table("orgs", "组织", (
    Column("组织编码", "code", True, _text(64)),
    Column("组织名称", "name", True, _text(200)),
    Column("上级组织编码", "parent_code", False, _text(64), ""),
    Column("组织层级", "level", True, _choice(Level.values)),
    Column("组织类型", "kind", True, _choice(Kind.values)),
    Column("单位类别", "sector", True, _choice(Sector.values)),
    Column("设有中心组", "has_central_group", False, cells.parse_bool, False),
))

MEMBERS = Table("members", "人员", (
    Column("人员编号", "number", True, _text(64)),
    Column("姓名", "name", True, _text(100)),
    Column("性别", "gender", False, _choice(["男", "女"]), ""),
    Column("所属组织编码", "org_code", True, _text(64)),
    Column("职级", "rank", False, _choice(Rank.values), Rank.NONE),
    Column("领导职务", "leader_post", False, _choice(LeaderPost.values), LeaderPost.NONE),
    Column("关注群体", "groups", False, _many(FocusGroup.values), []),
    Column("身份证号", "id_card", False, _text(18), ""),
    Column("手机号", "phone", False, _text(20), ""),
    Column("中心组成员", "central_group_member", False, cells.parse_bool, False),
))

ACTIVITIES = Table("activities", "活动", (
    Column("活动编号", "number", True, _text(64)),
    Column("活动类型", "kind", True, _choice(ActivityKind.values)),
    Column("主办组织编码", "org_code", True, _text(64)),
    Column("开始日期", "start_date", True, cells.parse_date),
    Column("结束日期", "end_date", False, cells.parse_date),
    Column("学时", "hours", False, cells.parse_decimal),
    Column("主题", "topic", True, _text(300)),
    Column("学习内容", "content_areas", False, _many(ContentArea.values), []),
    Column("培训类别", "training_type", False, _choice(TrainingType.values), ""),
    Column("是否脱产", "off_job", False, cells.parse_bool, False),
    Column("主讲人", "speaker", False, _text(100), ""),
    Column("主讲人编号", "speaker_number", False, _text(64), ""),
    Column("地点", "venue", False, _text(200), ""),
))

ATTENDANCE = Table("attendance", "参加", (
    Column("活动编号", "activity_number", True, _text(64)),
    Column("人员编号", "person_number", True, _text(64)),
    Column("出勤", "status", False, _choice(AttendanceStatus.values), AttendanceStatus.PRESENT),
    Column("学时", "hours", False, cells.parse_decimal),
    Column("天数", "days", False, cells.parse_decimal),
))

TABLES = {t.name: t for t in (ORGS, MEMBERS, ACTIVITIES, ATTENDANCE)}
