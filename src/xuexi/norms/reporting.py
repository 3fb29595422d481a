"""The annual report's submissions, as the reports app tells the engine (it sits above norms).

The `annual-report-jan31` rule asks whether an organization's report on year Y reached the level
above by 31 January of Y+1, 23:59:59 Asia/Shanghai. The reports app registers, at start-up, how
to look up when each organization first submitted its report on a year; the engine judges that
moment against the deadline, and the reports app announces each submission so the standings follow.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Collection, Mapping
from datetime import datetime

# (year, organization ids) → when each of them first submitted its report on that year.
FirstSubmissions = Callable[[int, Collection[int]], Mapping[int, datetime]]
_provider: list[FirstSubmissions] = []

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def provide(lookup: FirstSubmissions) -> None:
    """Register the lookup (once; registering again replaces it)."""
    _provider[:] = [lookup]


def is_provided() -> bool:
    return bool(_provider)


def deadline_of(year: int) -> datetime:
    """The last moment a report on `year` is on time: 31 January of the next year, 23:59:59 in Beijing."""
    return datetime(year + 1, 1, 31, 23, 59, 59, tzinfo=SHANGHAI)


def on_time(moment: datetime, year: int) -> bool:
    """Submitted by the deadline; a second later is late."""
    return moment <= deadline_of(year)


def first_submissions(year: int, org_ids: Collection[int]) -> Mapping[int, datetime]:
    return _provider[0](year, org_ids) if _provider else {}
