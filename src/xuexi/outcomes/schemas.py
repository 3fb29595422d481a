from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class OutcomeIn(Schema):
    """An outcome's fields; its organization and number do not change."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="成果类别：调研报告、决策建议、内参、媒体报道、典型经验")
    title: str = Field(max_length=300)
    date: dt.date = Field(description="成果形成、报送或刊发的日期")
    summary: str = Field(default="", max_length=5000, description="内容摘要")
    author_numbers: list[str] = Field(default=[], max_length=50,
                                      description="执笔人的人员编号：本组织或其下级组织的人员")
    activity_numbers: list[str] = Field(default=[], max_length=50,
                                        description="来源活动编号：您管理范围内的学习活动；调研报告只能来自专题调研或调查研究")
    adoption: str = Field(default="", description="仅决策建议（必填）：待采纳、已采纳、部分采纳、未采纳")
    decision_name: str = Field(default="", max_length=300,
                               description="仅已采纳、部分采纳的决策建议（必填）：决策名称或文号")
    decision_date: dt.date | None = Field(default=None, description="仅已采纳、部分采纳的决策建议（必填）：决策日期")
    outlet: str = Field(default="", max_length=200, description="仅媒体报道（必填）：媒体名称")
    link: str = Field(default="", max_length=500, description="仅媒体报道：报道的网址")


class OutcomeCreateIn(OutcomeIn):
    org_code: str = Field(max_length=64, description="所属组织编码，须在您的管理范围内")


class OutcomeOut(Schema):
    number: str = Field(description="成果编号，登记时生成")
    org_code: str
    org_name: str
    kind: str
    title: str
    date: dt.date
    summary: str
    adoption: str
    adopted: bool = Field(description="已采纳或部分采纳的决策建议")
    decision_name: str
    decision_date: dt.date | None
    outlet: str
    link: str
    status: str = Field(description="审核状态：recorded（已登记）、submitted（已报上级）、approved（上级已审核）、"
                                    "published（已入库）；只有典型经验报送上级审核")
    library_item: int | None = Field(default=None, description="典型经验入库后的学习资料编号")
    withdrawn_at: dt.datetime | None = Field(default=None, description="撤回时间；撤回的成果不计入统计")
    withdrawal_reason: str = ""
    activity_numbers: list[str] = Field(description="来源活动中您能查看的")
    author_numbers: list[str]


class ActivityRefOut(Schema):
    number: str
    kind: str
    topic: str
    start_date: dt.date
    host_code: str
    host_name: str


class AuthorOut(Schema):
    number: str
    name: str
    org_code: str
    org_name: str


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    uploaded_by: str


class ExperienceEventOut(Schema):
    action: str = Field(description="submit 报送上级、approve 审核通过、publish 入库、return 退回修改、withdraw 撤回")
    org_code: str
    org_name: str
    reason: str
    at: dt.datetime
    by: str


class ReviewIn(Schema):
    """The level above decides on a 典型经验 sent to it."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "return", "publish"] = Field(
        description="approve 审核通过（publish=true 时同时入库）、return 退回修改（须写明原因）、"
                    "publish 将已审核的入库")
    reason: str = Field(default="", max_length=2000, description="审核意见；退回时必填")
    areas: list[str] = Field(default=[], max_length=6, description="入库资料的学习内容（六个方面中的若干项）")
    publish: bool = Field(default=True, description="审核通过时是否同时入库")


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=500, description="撤回原因")


class OutcomeDetailOut(OutcomeOut):
    activities: list[ActivityRefOut]
    hidden_activities: int = Field(description="来源活动中不在您查看范围内的项数")
    authors: list[AuthorOut]
    attachments: list[AttachmentOut]
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    events: list[ExperienceEventOut] = Field(description="典型经验的审核记录")


class OutcomePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[OutcomeOut]
