"""The chokepoints for fetching a question, paper, exam or attempt on someone's behalf."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.exams.errors import ExamsError
from xuexi.exams.models import Attempt, Exam, Paper, Question
from xuexi.people.models import Person


def access_question(*, scope: Scope, code: str, write: bool = False, lock: bool = False) -> Question:
    """A question published inside the scope; outside it answers exactly as a missing code."""
    questions = Question.objects.select_related("publisher")
    if lock:
        questions = questions.select_for_update(of=("self",))
    question = questions.filter(scope.org_q("publisher__")).filter(code=code).first()
    if question is None:
        raise NotFound(ExamsError.QUESTION_NOT_FOUND, f"试题编码 {code} 不存在")
    if write and not scope.covers_path(question.publisher.path, write=True):
        raise Forbidden(ExamsError.QUESTION_FORBIDDEN, f"您对试题 {code} 只有查看权限")
    return question


def access_paper(*, scope: Scope, code: str) -> Paper:
    """A paper published inside the scope or above it (a higher organization's paper reaches its subtree)."""
    paper = Paper.objects.select_related("publisher").filter(code=code).first()
    if paper is None or not _reaches(scope, paper.publisher.path):
        raise NotFound(ExamsError.PAPER_NOT_FOUND, f"试卷编码 {code} 不存在")
    return paper


def _reaches(scope: Scope, path: str) -> bool:
    return scope.covers_path(path) or any(outer.startswith(path) for outer in scope.read_paths)


def access_exam(*, scope: Scope, code: str, write: bool = False) -> Exam:
    """An exam for an organization inside the scope; outside it answers exactly as a missing code."""
    exam = Exam.objects.select_related("org", "paper").filter(scope.org_q("org__")).filter(code=code).first()
    if exam is None:
        raise NotFound(ExamsError.EXAM_NOT_FOUND, f"考试编码 {code} 不存在")
    if write and not scope.covers_path(exam.org.path, write=True):
        raise Forbidden(ExamsError.EXAM_FORBIDDEN, f"您对考试 {code} 只有查看权限")
    return exam


def own_attempt(*, person: Person, attempt_id: int, lock: bool = False) -> Attempt:
    """One of the person's own attempts; anyone else's answers as a missing one."""
    attempts = Attempt.objects.select_related("exam")
    if lock:
        attempts = attempts.select_for_update(of=("self",))
    attempt = attempts.filter(person=person, pk=attempt_id).first()
    if attempt is None:
        raise NotFound(ExamsError.ATTEMPT_NOT_FOUND, f"答卷 {attempt_id} 不存在")
    return attempt
