"""考学 writes of a member: starting an attempt, saving answers, handing in; graded on the server.

Late answers: an answer saved after the attempt's deadline (min(start + duration, closing)) is refused,
and a hand-in after the deadline is accepted but graded only on the answers saved before it; the
responses it carries are ignored. So a slow network costs nothing saved in time, and a clock on the
member's device gains nothing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.errors import DomainError, ErrorKind, NotFound
from xuexi.exams import credit, grading
from xuexi.exams.access import own_attempt
from xuexi.exams.errors import ExamsError
from xuexi.exams.models import Attempt, AttemptAnswer, Exam, Question, QuestionKind
from xuexi.exams.selectors import questions_reaching
from xuexi.people.models import Person

_SHUFFLER = random.SystemRandom()


def exam_for_person(*, person: Person, code: str) -> Exam:
    """An exam set for the person's organization or one above it; any other answers as a missing code."""
    exam = Exam.objects.select_related("paper", "org").filter(code=code).first()
    if exam is None or not person.org.path.startswith(exam.org.path):
        raise NotFound(ExamsError.EXAM_NOT_FOUND, f"考试编码 {code} 不存在")
    return exam


def _conflict(code: ExamsError, detail: str) -> DomainError:
    return DomainError(code, detail, kind=ErrorKind.CONFLICT)


def _draw_sheet(exam: Exam, rng: random.Random) -> list[dict[str, object]]:
    paper = exam.paper
    chosen: list[tuple[Question, int]] = []
    if paper.is_random:
        bank = questions_reaching(paper.publisher.path)
        for draw in paper.draws.all():
            pool = list(bank.filter(area=draw.area, difficulty=draw.difficulty).order_by("pk"))
            chosen += [(q, draw.points) for q in rng.sample(pool, min(draw.count, len(pool)))]
    else:
        chosen = [(item.question, item.points) for item in paper.items.select_related("question")]
    if exam.shuffle:
        rng.shuffle(chosen)
    sheet: list[dict[str, object]] = []
    for question, points in chosen:
        order = list(range(len(question.options)))
        if exam.shuffle:
            rng.shuffle(order)
        sheet.append({"q": question.pk, "points": points, "order": order})
    return sheet


@transaction.atomic
def attempt_start(*, actor: User | None, person: Person, exam_code: str, now: datetime | None = None) -> Attempt:
    """Start (or resume, while it runs) an attempt; the server's clock sets the start and the deadline."""
    now = now or timezone.now()
    exam = exam_for_person(person=person, code=exam_code)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one start at a time per person
    running = Attempt.objects.filter(exam=exam, person=person, submitted_at__isnull=True, deadline__gt=now).first()
    if running is not None:
        return running
    if not exam.opens_at <= now < exam.closes_at:
        raise _conflict(ExamsError.EXAM_NOT_OPEN, f"考试“{exam.title}”不在作答时间内（"
                        f"{timezone.localtime(exam.opens_at):%Y-%m-%d %H:%M} 至 "
                        f"{timezone.localtime(exam.closes_at):%Y-%m-%d %H:%M}）")
    used = Attempt.objects.filter(exam=exam, person=person).aggregate(n=Max("seq"))["n"] or 0
    if used >= exam.max_attempts:
        raise _conflict(ExamsError.ATTEMPTS_USED, f"考试“{exam.title}”允许作答 {exam.max_attempts} 次，您已用完")
    sheet = _draw_sheet(exam, _SHUFFLER)
    deadline = min(now + timedelta(minutes=exam.duration_minutes), exam.closes_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(exam=exam, person=person, seq=used + 1, started_at=now,
                                             deadline=deadline, sheet=sheet,
                                             total=sum(int(str(i["points"])) for i in sheet))
    except IntegrityError as exc:
        raise _conflict(ExamsError.ATTEMPTS_USED, "另一次作答已经开始，请刷新页面") from exc
    audit_record(action="attempt_start", actor=actor, object_type="attempt", object_id=str(attempt.pk),
                 object_repr=f"{exam.code} {person.number} 第 {attempt.seq} 次", detail={"deadline": deadline})
    return attempt


def _item(attempt: Attempt, position: int) -> dict[str, object]:
    if not 1 <= position <= len(attempt.sheet):
        raise DomainError(ExamsError.ATTEMPT_NOT_FOUND, f"题号“{position}”不符合要求，应为 1 至 {len(attempt.sheet)}",
                          field="position")
    item: dict[str, object] = attempt.sheet[position - 1]
    return item


def _stored_response(question: Question, order: list[int], response: str) -> str:
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return grading.original_letters(response, order)
    return response.strip()[:500]


def _save(attempt: Attempt, responses: Mapping[int, str], now: datetime) -> None:
    items = {position: _item(attempt, position) for position in responses}
    questions = Question.objects.in_bulk([int(str(i["q"])) for i in items.values()])
    for position, response in responses.items():
        item = items[position]
        question = questions[int(str(item["q"]))]
        order = [int(i) for i in item["order"]]  # type: ignore[attr-defined]
        AttemptAnswer.objects.update_or_create(
            attempt=attempt, question=question,
            defaults={"response": _stored_response(question, order, response), "saved_at": now})


@transaction.atomic
def answers_save(*, person: Person, attempt_id: int, responses: Mapping[int, str],
                 now: datetime | None = None) -> Attempt:
    """Save answers by question number (as shown); refused once the attempt is handed in or its deadline passed."""
    now = now or timezone.now()
    attempt = own_attempt(person=person, attempt_id=attempt_id, lock=True)
    if attempt.submitted_at is not None:
        raise _conflict(ExamsError.ATTEMPT_CLOSED, "本次作答已交卷，答案不能再修改")
    if now > attempt.deadline:
        raise _conflict(ExamsError.ATTEMPT_CLOSED, f"作答时间已于 {timezone.localtime(attempt.deadline):%H:%M:%S} "
                                                   "截止，答案未保存；截止前保存的答案将被评分")
    _save(attempt, responses, now)
    return attempt


@transaction.atomic
def attempt_submit(*, actor: User | None, person: Person, attempt_id: int,
                   responses: Mapping[int, str] | None = None, now: datetime | None = None) -> Attempt:
    """Hand in and grade; in time the responses given are saved first, late they are ignored (see the module)."""
    now = now or timezone.now()
    attempt = own_attempt(person=person, attempt_id=attempt_id, lock=True)
    if attempt.submitted_at is not None:
        return attempt
    if responses and now <= attempt.deadline:
        _save(attempt, responses, now)
    saved = {a.question_id: a for a in attempt.answers.filter(saved_at__lte=attempt.deadline)}
    questions = Question.objects.in_bulk([int(str(i["q"])) for i in attempt.sheet])
    items = []
    for item in attempt.sheet:
        question = questions[int(str(item["q"]))]
        answer = saved.get(question.pk)
        items.append((question.kind, question.answer, int(str(item["points"])),
                      answer.response if answer is not None else None))
    attempt.score, right = grading.score(items)
    attempt.passed = attempt.score >= attempt.exam.pass_mark
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    for answer in saved.values():
        position = next(i for i, item in enumerate(attempt.sheet) if item["q"] == answer.question_id)
        answer.correct = right[position]
    AttemptAnswer.objects.bulk_update(list(saved.values()), ["correct"])
    credited = credit.credit_passed(attempt)
    audit_record(action="attempt_submit", actor=actor, object_type="attempt", object_id=str(attempt.pk),
                 object_repr=f"{attempt.exam.code} {person.number} 第 {attempt.seq} 次",
                 detail={"score": attempt.score, "total": attempt.total, "late": now > attempt.deadline,
                         "credit_hours": credited.hours if credited is not None else None})
    return attempt



def attempts_close_expired(*, person: Person | None = None, exam: Exam | None = None,
                           now: datetime | None = None) -> int:
    """Hand in, as of their deadline, the attempts left open past it (of a person or an exam); return how many."""
    now = now or timezone.now()
    expired = Attempt.objects.filter(submitted_at__isnull=True, deadline__lte=now).select_related("person")
    if person is not None:
        expired = expired.filter(person=person)
    if exam is not None:
        expired = expired.filter(exam=exam)
    closed = 0
    for attempt in expired[:1000]:
        attempt_submit(actor=None, person=attempt.person, attempt_id=attempt.pk, now=attempt.deadline)
        closed += 1
    return closed
