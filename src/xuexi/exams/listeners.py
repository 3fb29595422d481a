"""Who hears of a graded 每日一练: a higher layer (我的学习 keeps the day's record for its streak and points)
registers in its AppConfig.ready; the exams app itself keeps nothing of a practice."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from xuexi.people.models import Person


class PracticeListener(Protocol):
    def __call__(self, *, person: Person, day: date, questions: int, right: int) -> object: ...


_listeners: list[PracticeListener] = []


def on_practice_graded(listener: PracticeListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def practice_graded(person: Person, day: date, *, questions: int, right: int) -> None:
    """Tell the listeners that the person handed in the day's practice."""
    for listener in _listeners:
        listener(person=person, day=day, questions=questions, right=right)
