"""Activities and outcomes for the outcomes tests, made through the services as the platform would."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.learning import services as learning_services
from xuexi.learning.models import Activity
from xuexi.outcomes import services
from xuexi.outcomes.models import Outcome
from xuexi.outcomes.services import OutcomeFields

# Today (Asia/Shanghai): an outcome is dated no later, and no earlier than the activities it came from.
DAY = timezone.localdate()
THIS_YEAR = DAY.year
RESEARCH_DAY = DAY


def activity(number: str, host: str = "K1", kind: str = "调查研究", day: date = RESEARCH_DAY) -> Activity:
    return learning_services.activity_save(actor=None, scope=whole_tree_scope(), data=learning_services.ActivityInput(
        number=number, kind=kind, host_code=host, start_date=day, topic=f"{kind}{number}",
        training_type="理论培训" if kind == "培训" else ""))


def fields(**overrides: Any) -> OutcomeFields:
    values: dict[str, Any] = {"kind": "调研报告", "title": "关于乡村振兴的调研报告", "date": DAY,
                              "summary": "调研了三个乡镇。"}
    values.update(overrides)
    return OutcomeFields(**values)


def record(org: str = "K1", scope: Scope | None = None, **overrides: Any) -> Outcome:
    return services.outcome_create(actor=None, scope=scope or whole_tree_scope(), org_code=org,
                                   fields=fields(**overrides))
