"""考学 writes: questions of the bank, one at a time or a whole spreadsheet (see sheets.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, refuse_unknown_fields
from xuexi.exams.access import access_question
from xuexi.exams.errors import ExamsError
from xuexi.exams.grading import MAX_OPTIONS, MIN_OPTIONS, AnswerError, canonical_answer
from xuexi.exams.models import Difficulty, Question, QuestionKind
from xuexi.learning.models import ContentArea
from xuexi.orgs.access import access_org

CODE_MAX, STEM_MAX, OPTION_MAX, EXPLANATION_MAX = 64, 2000, 500, 2000
LABELS = {  # the Chinese name of each field, as forms, files and messages say it
    "code": "试题编码", "area": "学习内容", "kind": "题型", "stem": "题干", "options": "选项", "answer": "答案",
    "difficulty": "难度", "explanation": "解析", "publisher": "发布组织编码", "enabled": "启用",
}
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


@dataclass(frozen=True)
class QuestionInput:
    area: str
    kind: str
    stem: str
    answer: str
    difficulty: str
    options: Sequence[str] = field(default_factory=tuple)
    explanation: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class Problem:
    """One field that does not fit: which, the value given, what is expected."""

    field: str
    value: str
    expected: str

    def __str__(self) -> str:
        shown = f"“{self.value}”" if self.value else "为空"
        return f"{LABELS.get(self.field, self.field)}{shown}不符合要求，应为{self.expected}"


def _choices(values: Sequence[str]) -> str:
    return "、".join(values) + " 之一"


def question_problems(data: QuestionInput) -> tuple[list[Problem], str]:
    """Check a question; return what is wrong and, when the answer fits, its canonical form."""
    problems: list[Problem] = []
    if data.area not in ContentArea.values:
        problems.append(Problem("area", data.area, _choices(ContentArea.values)))
    if data.kind not in QuestionKind.values:
        problems.append(Problem("kind", data.kind, _choices(QuestionKind.values)))
    if data.difficulty not in Difficulty.values:
        problems.append(Problem("difficulty", data.difficulty, _choices(Difficulty.values)))
    stem = data.stem.strip()
    if not stem or len(stem) > STEM_MAX:
        problems.append(Problem("stem", data.stem[:50], f"1 至 {STEM_MAX} 个字符的文字"))
    if len(data.explanation) > EXPLANATION_MAX:
        problems.append(Problem("explanation", data.explanation[:50], f"不超过 {EXPLANATION_MAX} 个字符的文字"))
    options = [option.strip() for option in data.options]
    if data.kind in CHOICE_KINDS:
        if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS or not all(options):
            problems.append(Problem("options", "；".join(options), f"{MIN_OPTIONS} 至 {MAX_OPTIONS} 个不为空的选项"))
        elif len(set(options)) != len(options):
            problems.append(Problem("options", "；".join(options), "互不相同的选项"))
        elif any(len(option) > OPTION_MAX for option in options):
            problems.append(Problem("options", "；".join(options), f"每项不超过 {OPTION_MAX} 个字符"))
    elif options and data.kind in QuestionKind.values:
        problems.append(Problem("options", "；".join(options), f"空（{data.kind}题没有选项）"))
    answer = ""
    if data.kind in QuestionKind.values:
        try:
            answer = canonical_answer(data.kind, data.answer, len(options))
        except AnswerError as exc:
            problems.append(Problem("answer", data.answer, str(exc)))
        if len(answer) > 500:
            problems.append(Problem("answer", data.answer[:50], "不超过 500 个字符"))
    return problems, answer


def _refuse(problems: Sequence[Problem]) -> DomainError:
    return DomainError(ExamsError.QUESTION_INVALID, "；".join(str(p) for p in problems), field=problems[0].field)


def _snapshot(question: Question) -> dict[str, Any]:
    return {"area": question.area, "kind": question.kind, "difficulty": question.difficulty,
            "enabled": question.enabled, "publisher": question.publisher.code}


@transaction.atomic
def question_create(*, actor: User | None, scope: Scope, code: str, publisher_code: str,
                    data: QuestionInput) -> Question:
    """Add a question to the bank of an organization the actor administers."""
    publisher = access_org(scope=scope, code=publisher_code, write=True)
    code = code.strip()
    problems, answer = question_problems(data)
    if not code or len(code) > CODE_MAX:
        problems.insert(0, Problem("code", code, f"1 至 {CODE_MAX} 个字符"))
    if problems:
        raise _refuse(problems)
    if Question.objects.filter(code=code).exists():
        raise DomainError(ExamsError.QUESTION_CODE_TAKEN, f"试题编码 {code} 已被使用，请换一个编码", field="code")
    question = Question(code=code, publisher=publisher, area=data.area, kind=data.kind, stem=data.stem.strip(),
                        options=[o.strip() for o in data.options], answer=answer, difficulty=data.difficulty,
                        explanation=data.explanation.strip(), enabled=data.enabled)
    question.full_clean()
    question.save(force_insert=True)
    audit_record(action="question_create", actor=actor, object_type="question", object_id=code,
                 object_repr=str(question), detail=_snapshot(question))
    return question


EDITABLE = tuple(f.name for f in fields(QuestionInput))


@transaction.atomic
def question_update(*, actor: User | None, scope: Scope, code: str, changes: Mapping[str, Any]) -> Question:
    """Change a question's fields (those of QuestionInput); the whole question is checked again."""
    refuse_unknown_fields(changes, EDITABLE, code=ExamsError.QUESTION_FIELDS)
    question = access_question(scope=scope, code=code, write=True, lock=True)
    current = QuestionInput(area=question.area, kind=question.kind, stem=question.stem, answer=question.answer,
                            difficulty=question.difficulty, options=tuple(question.options),
                            explanation=question.explanation, enabled=question.enabled)
    data = replace(current, **changes)
    problems, answer = question_problems(data)
    if problems:
        raise _refuse(problems)
    before = _snapshot(question)
    question.area, question.kind, question.difficulty = data.area, data.kind, data.difficulty
    question.stem, question.options = data.stem.strip(), [o.strip() for o in data.options]
    question.answer, question.explanation, question.enabled = answer, data.explanation.strip(), data.enabled
    question.updated_at = timezone.now()
    question.full_clean()
    question.save(update_fields=[*EDITABLE, "updated_at"])
    audit_record(action="question_update", actor=actor, object_type="question", object_id=code,
                 object_repr=str(question), detail={"before": before, "after": _snapshot(question),
                                                    "changed": sorted(changes)})
    return question
