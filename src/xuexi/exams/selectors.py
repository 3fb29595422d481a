"""考学 reads: the bank an administrator manages, the questions and exams reaching a member, results."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.exams.grading import LETTERS, is_correct
from xuexi.exams.models import Attempt, Exam, Question
from xuexi.orgs.models import Organization
from xuexi.people.models import Person

STEP = 4  # the length of one level of an organization's path (treebeard's steplen)


@dataclass(frozen=True)
class QuestionFilters:
    area: str = ""
    kind: str = ""
    difficulty: str = ""
    publisher: str = ""  # an organization code
    text: str = ""  # part of the code or the stem
    enabled: bool | None = None


def question_list(*, scope: Scope, filters: QuestionFilters | None = None) -> QuerySet[Question]:
    """The questions published by organizations inside the scope, by code."""
    scope.require_business_data()
    filters = filters or QuestionFilters()
    questions = Question.objects.filter(scope.org_q("publisher__")).select_related("publisher")
    if filters.area:
        questions = questions.filter(area=filters.area)
    if filters.kind:
        questions = questions.filter(kind=filters.kind)
    if filters.difficulty:
        questions = questions.filter(difficulty=filters.difficulty)
    if filters.publisher:
        questions = questions.filter(publisher__code=filters.publisher)
    if filters.text:
        questions = questions.filter(Q(code__icontains=filters.text) | Q(stem__icontains=filters.text))
    if filters.enabled is not None:
        questions = questions.filter(enabled=filters.enabled)
    return questions.order_by("code")


def questions_reaching(org_path: str) -> QuerySet[Question]:
    """The enabled questions a member of the organization at `org_path` may be asked: those of it and above."""
    ancestors = [org_path[:end] for end in range(STEP, len(org_path) + 1, STEP)]
    return Question.objects.filter(publisher__path__in=ancestors, enabled=True)


def exams_for_person(person: Person) -> QuerySet[Exam]:
    """The exams set for the person's organization or one above it (我的考试), newest first."""
    ancestors = [person.org.path[:end] for end in range(STEP, len(person.org.path) + 1, STEP)]
    return Exam.objects.filter(org__path__in=ancestors).select_related("org").order_by("-opens_at", "code")


def attempts_of(person: Person, exam: Exam | None = None) -> QuerySet[Attempt]:
    """The person's own attempts, of one exam or all."""
    attempts = Attempt.objects.filter(person=person).select_related("exam")
    if exam is not None:
        attempts = attempts.filter(exam=exam)
    return attempts.order_by("exam__code", "seq")


def exam_list(*, scope: Scope) -> QuerySet[Exam]:
    """The exams set for organizations inside the scope."""
    scope.require_business_data()
    return Exam.objects.filter(scope.org_q("org__")).select_related("org", "paper").order_by("-opens_at", "code")


@dataclass(frozen=True)
class PersonResult:
    number: str
    name: str
    org: str
    attempts: int
    best: int | None
    passed: bool


@dataclass(frozen=True)
class OrgResult:  # one organization's subtree: takers, passed, average of each taker's best score
    code: str
    name: str
    takers: int
    passed: int
    average: float | None


def _best_scores(exam: Exam, org_path: str) -> list[Any]:
    return list(Attempt.objects.filter(exam=exam, submitted_at__isnull=False, person__org__path__startswith=org_path)
            .values("person_id", "person__number", "person__name", "person__org__code", "person__org__path")
            .annotate(best=Max("score"), tries=Count("pk")).order_by("person__number"))


def exam_results_by_person(*, exam: Exam, org: Organization) -> list[PersonResult]:
    """Each taker inside the organization's subtree: attempts handed in, best score, passed."""
    rows = _best_scores(exam, org.path)
    return [PersonResult(r["person__number"], r["person__name"], r["person__org__code"], r["tries"], r["best"],
                         r["best"] is not None and r["best"] >= exam.pass_mark) for r in rows]


def exam_results_by_org(*, exam: Exam, org: Organization) -> list[OrgResult]:
    """The organization and each of its children, each rolled up over its subtree."""
    rows = list(_best_scores(exam, org.path))
    units = [org, *Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path")]
    results = []
    for unit in units:
        mine = [r["best"] for r in rows if r["person__org__path"].startswith(unit.path) and r["best"] is not None]
        results.append(OrgResult(unit.code, unit.name, len(mine), sum(1 for s in mine if s >= exam.pass_mark),
                                 round(sum(mine) / len(mine), 1) if mine else None))
    return results


@dataclass(frozen=True)
class SheetQuestion:
    """A question as the member sees it on their sheet: options in the shown order, their answer in shown letters."""

    position: int
    kind: str
    stem: str
    options: list[tuple[str, str]]  # (shown letter, text)
    points: int
    response: str
    correct: bool | None


def attempt_sheet(attempt: Attempt) -> list[SheetQuestion]:
    """The attempt's questions in the order drawn for it; never the answers."""
    ids = [int(item["q"]) for item in attempt.sheet]
    questions = Question.objects.in_bulk(ids)
    saved = {a.question_id: a for a in attempt.answers.all()}
    shown = []
    for position, item in enumerate(attempt.sheet, start=1):
        question = questions[int(item["q"])]
        order = [int(i) for i in item["order"]]
        answer = saved.get(question.pk)
        response = answer.response if answer is not None else ""
        if question.kind in ("单选", "多选"):
            response = "".join(sorted(LETTERS[order.index(LETTERS.index(c))] for c in response))
        shown.append(SheetQuestion(position, question.kind, question.stem,
                                   [(LETTERS[i], question.options[j]) for i, j in enumerate(order)],
                                   int(item["points"]), response, answer.correct if answer is not None else None))
    return shown


PRACTICE_SIZE = 5


def daily_practice(person: Person, day: date) -> list[Question]:
    """每日一练: five questions of the bank reaching the person, the same all day for them, another set tomorrow."""
    pool = list(questions_reaching(person.org.path).order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(f"{person.pk}:{day.isoformat()}").sample(pool, min(PRACTICE_SIZE, len(pool)))
    found = Question.objects.in_bulk(chosen)
    return [found[pk] for pk in chosen]


@dataclass(frozen=True)
class PracticeResult:
    question: Question
    response: str
    correct: bool


def practice_grade(person: Person, day: date, responses: dict[int, str]) -> list[PracticeResult]:
    """Grade the day's practice at once (by question number, 1 to 5, letters as stored); nothing is kept or ranked."""
    return [PracticeResult(q, responses.get(n, ""), is_correct(q.kind, q.answer, responses.get(n, "")))
            for n, q in enumerate(daily_practice(person, day), start=1)]
