"""Records for the points and 我的学习 tests, written through the services where a service exists."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.learning import services as learning_services
from xuexi.learning.services import ActivityInput, AttendanceInput
from xuexi.library.models import ItemView, LibraryItem
from xuexi.mylearning import services
from xuexi.people.models import Person

SHANGHAI = ZoneInfo("Asia/Shanghai")


def attended(number: str, activity: str, day: date, *, host: str = "B1", hours: str = "2",
             kind: str = "专题学习") -> None:
    """The person present at a new activity of `host` on the day."""
    learning_services.activity_save(actor=None, scope=whole_tree_scope(), data=ActivityInput(
        number=activity, kind=kind, host_code=host, start_date=day, topic=f"学习{activity}", hours=Decimal(hours)))
    learning_services.attendance_record(actor=None, scope=whole_tree_scope(), activity_number=activity,
                                        entries=[AttendanceInput(number)])


def opened(person: Person, item: LibraryItem, day: date) -> None:
    """The person first opened the item on the day (Asia/Shanghai, late in the evening: the day boundary)."""
    at = datetime.combine(day, time(23, 30), tzinfo=SHANGHAI)
    ItemView.objects.create(person=person, item=item, first_opened_at=at, last_opened_at=at)


def rule(action: str, points: int, cap: int, *, enabled: bool = True, unit_minutes: int = 10) -> None:
    services.point_rule_set(actor=None, scope=whole_tree_scope(), action=action, points=points, daily_cap=cap,
                            unit_minutes=unit_minutes, enabled=enabled)


def switch(org_code: str, enabled: bool | None) -> None:
    services.points_switch(actor=None, scope=Scope(admin_paths=("",)), org_code=org_code, enabled=enabled)
