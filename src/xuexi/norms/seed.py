"""The six norms of the seed document, as every new database holds them (spec/norms.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

# The implementation opinions follow 中办发〔2009〕44号; the rules hold from 2010 on.
SEED_EFFECTIVE_FROM = date(2010, 1, 1)
COUNTY_LEVEL_AND_ABOVE = ["省部级", "厅局级", "县处级"]
LEADER_POSTS = ["省级领导", "市州领导", "县市区领导", "部门领导"]

SEED_RULES: list[dict[str, Any]] = [
    {"code": "central-group-study-quarterly", "name": "中心组集体学习每季度不少于 1 次",
     "source": "各级党委（党组）中心组集中学习每个季度不少于1次", "subject_type": "org", "metric": "hosted",
     "kinds": ["中心组集体学习"], "central_group_only": True, "period": "quarter", "required": Decimal(1)},
    {"code": "member-training-annual", "name": "每年至少 1 次党员教育培训",
     "source": "各级各类党组织每年至少进行1次党员教育培训", "subject_type": "org", "metric": "hosted",
     "kinds": ["培训"], "period": "year", "required": Decimal(1)},
    {"code": "leader-off-job-training-110h", "name": "县处级以上领导干部脱产培训每年不少于 110 学时",
     "source": "县处级以上党政领导干部参加脱产培训每年一般不少于110学时", "subject_type": "person",
     "metric": "hours", "kinds": ["培训"], "off_job_only": True, "person_ranks": COUNTY_LEVEL_AND_ABOVE,
     "person_leader_posts": LEADER_POSTS, "period": "year", "required": Decimal(110)},
    {"code": "provincial-leader-research-30d", "name": "省级领导干部调查研究每年不少于 30 天",
     "source": "省级领导干部到基层调查研究时间每年不少于30天", "subject_type": "person", "metric": "days",
     "kinds": ["调查研究"], "person_leader_posts": ["省级领导"], "period": "year", "required": Decimal(30)},
    {"code": "city-county-leader-research-60d", "name": "市县领导干部调查研究每年不少于 60 天",
     "source": "市（州）、县（市、区）党政领导干部不少于60天", "subject_type": "person", "metric": "days",
     "kinds": ["调查研究"], "person_leader_posts": ["市州领导", "县市区领导"], "period": "year",
     "required": Decimal(60)},
    {"code": "annual-report-jan31", "name": "1 月底前报送上年度学习总结和本年度学习计划",
     "source": "各级党组织应在每年1月底前……报送上一年度学习情况总结和本年度学习计划", "subject_type": "org",
     "metric": "report_on_time", "with_parent_only": True, "period": "year", "required": Decimal(1)},
]
