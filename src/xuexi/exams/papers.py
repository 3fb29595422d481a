"""考学 writes: papers (fixed or drawn at random) and the exams that set them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden
from xuexi.exams.access import access_exam, access_paper
from xuexi.exams.errors import ExamsError
from xuexi.exams.models import Attempt, Difficulty, Exam, Paper, PaperDraw, PaperItem
from xuexi.exams.selectors import questions_reaching
from xuexi.learning.models import ContentArea
from xuexi.orgs.access import access_org

MAX_POINTS, MAX_QUESTIONS, MAX_DURATION, MAX_ATTEMPTS = 100, 200, 600, 10


@dataclass(frozen=True)
class FixedItem:
    question: str  # 试题编码
    points: int


@dataclass(frozen=True)
class Draw:
    area: str
    difficulty: str
    count: int
    points: int  # each


def paper_total(paper: Paper) -> int:
    """The paper's full marks."""
    if paper.is_random:
        return sum(d.count * d.points for d in paper.draws.all())
    return sum(i.points for i in paper.items.all())


def _invalid(detail: str, field: str) -> DomainError:
    return DomainError(ExamsError.PAPER_INVALID, detail, field=field)


@transaction.atomic
def paper_create(*, actor: User | None, scope: Scope, code: str, title: str, publisher_code: str,
                 items: Sequence[FixedItem] = (), draws: Sequence[Draw] = ()) -> Paper:
    """Make a paper of chosen questions (items) or of draws by area and difficulty, from the bank reaching it."""
    publisher = access_org(scope=scope, code=publisher_code, write=True)
    code, title = code.strip(), title.strip()
    if not code or len(code) > 64:
        raise _invalid(f"试卷编码“{code}”不符合要求，应为 1 至 64 个字符", "code")
    if not title or len(title) > 200:
        raise _invalid(f"试卷名称“{title}”不符合要求，应为 1 至 200 个字符", "title")
    if bool(items) == bool(draws):
        raise _invalid("试卷应为固定题目（items）或随机抽题（draws）二者之一，且不为空", "items")
    if Paper.objects.filter(code=code).exists():
        raise DomainError(ExamsError.PAPER_CODE_TAKEN, f"试卷编码 {code} 已被使用，请换一个编码", field="code")
    bank = questions_reaching(publisher.path)
    paper = Paper.objects.create(code=code, title=title, publisher=publisher, is_random=bool(draws))
    if items:
        _add_items(paper, bank, items)
    else:
        _add_draws(paper, bank, draws)
    audit_record(action="paper_create", actor=actor, object_type="paper", object_id=code, object_repr=str(paper),
                 detail={"random": paper.is_random, "total": paper_total(paper)})
    return paper


def _check_points(points: int, where: str) -> None:
    if not 1 <= points <= MAX_POINTS:
        raise _invalid(f"{where}的分值“{points}”不符合要求，应为 1 至 {MAX_POINTS} 的整数", "points")


def _add_items(paper: Paper, bank: object, items: Sequence[FixedItem]) -> None:
    if len(items) > MAX_QUESTIONS:
        raise _invalid(f"试题 {len(items)} 道过多，应不超过 {MAX_QUESTIONS} 道", "items")
    codes = [item.question for item in items]
    found = {q.code: q for q in bank.filter(code__in=codes)}  # type: ignore[attr-defined]
    seen: set[str] = set()
    rows = []
    for position, item in enumerate(items, start=1):
        where = f"第 {position} 题（{item.question}）"
        if item.question not in found:
            raise _invalid(f"{where}不在本组织可用的题库中，应为本组织或上级组织发布、已启用的试题编码", "items")
        if item.question in seen:
            raise _invalid(f"{where}重复，每道试题只能出现一次", "items")
        seen.add(item.question)
        _check_points(item.points, where)
        rows.append(PaperItem(paper=paper, question=found[item.question], points=item.points, position=position))
    PaperItem.objects.bulk_create(rows)


def _add_draws(paper: Paper, bank: object, draws: Sequence[Draw]) -> None:
    available = {(r["area"], r["difficulty"]): r["n"]
                 for r in bank.values("area", "difficulty").annotate(n=Count("pk"))}  # type: ignore[attr-defined]
    seen: set[tuple[str, str]] = set()
    rows = []
    for draw in draws:
        where = f"抽题规则“{draw.area}·{draw.difficulty}”"
        if draw.area not in ContentArea.values:
            raise _invalid(f"{where}的学习内容不符合要求，应为 {'、'.join(ContentArea.values)} 之一", "draws")
        if draw.difficulty not in Difficulty.values:
            raise _invalid(f"{where}的难度不符合要求，应为 易、中、难 之一", "draws")
        if (draw.area, draw.difficulty) in seen:
            raise _invalid(f"{where}重复，每种学习内容和难度只能有一条规则", "draws")
        seen.add((draw.area, draw.difficulty))
        have = available.get((draw.area, draw.difficulty), 0)
        if not 1 <= draw.count <= have:
            raise _invalid(f"{where}的题数“{draw.count}”不符合要求，应为 1 至 {have}（题库中可用的题数）", "draws")
        _check_points(draw.points, where)
        rows.append(PaperDraw(paper=paper, area=draw.area, difficulty=draw.difficulty, count=draw.count,
                              points=draw.points))
    PaperDraw.objects.bulk_create(rows)


@dataclass(frozen=True)
class ExamInput:
    title: str
    paper: str  # 试卷编码
    opens_at: datetime
    closes_at: datetime
    duration_minutes: int
    pass_mark: int
    max_attempts: int = 1
    shuffle: bool = True


def _exam_invalid(detail: str, field: str) -> DomainError:
    return DomainError(ExamsError.EXAM_INVALID, detail, field=field)


@transaction.atomic
def exam_create(*, actor: User | None, scope: Scope, code: str, org_code: str, data: ExamInput) -> Exam:
    """Set an exam of a paper for the members of an organization's subtree."""
    org = access_org(scope=scope, code=org_code, write=True)
    paper = access_paper(scope=scope, code=data.paper)
    code, title = code.strip(), data.title.strip()
    if not code or len(code) > 64:
        raise _exam_invalid(f"考试编码“{code}”不符合要求，应为 1 至 64 个字符", "code")
    if not title or len(title) > 200:
        raise _exam_invalid(f"考试名称“{title}”不符合要求，应为 1 至 200 个字符", "title")
    if not org.path.startswith(paper.publisher.path):
        raise _exam_invalid(f"试卷 {paper.code} 由 {paper.publisher.code} 发布，不能用于其范围以外的组织 {org.code}",
                            "paper")
    if data.closes_at <= data.opens_at:
        raise _exam_invalid("截止时间应晚于开考时间", "closes_at")
    if not 1 <= data.duration_minutes <= MAX_DURATION:
        raise _exam_invalid(f"考试时长“{data.duration_minutes}”不符合要求，应为 1 至 {MAX_DURATION} 分钟",
                            "duration_minutes")
    if not 1 <= data.max_attempts <= MAX_ATTEMPTS:
        raise _exam_invalid(f"允许作答次数“{data.max_attempts}”不符合要求，应为 1 至 {MAX_ATTEMPTS}", "max_attempts")
    total = paper_total(paper)
    if not 0 <= data.pass_mark <= total:
        raise _exam_invalid(f"及格分“{data.pass_mark}”不符合要求，应为 0 至 {total}（试卷满分）", "pass_mark")
    if Exam.objects.filter(code=code).exists():
        raise DomainError(ExamsError.EXAM_CODE_TAKEN, f"考试编码 {code} 已被使用，请换一个编码", field="code")
    exam = Exam.objects.create(code=code, title=title, paper=paper, org=org, opens_at=data.opens_at,
                               closes_at=data.closes_at, duration_minutes=data.duration_minutes,
                               max_attempts=data.max_attempts, shuffle=data.shuffle, pass_mark=data.pass_mark)
    audit_record(action="exam_create", actor=actor, object_type="exam", object_id=code, object_repr=str(exam),
                 detail={"org": org.code, "paper": paper.code, "opens_at": data.opens_at,
                         "closes_at": data.closes_at})
    return exam


def _writable_paper(scope: Scope, code: str) -> Paper:
    """A paper the scope may change: published by an organization it administers, locked for the transaction."""
    paper = access_paper(scope=scope, code=code)
    if not scope.covers_path(paper.publisher.path, write=True):
        raise Forbidden(ExamsError.PAPER_FORBIDDEN, f"试卷 {paper.code} 由{paper.publisher.name}发布，您只能查看")
    return Paper.objects.select_for_update(of=("self",)).select_related("publisher").get(pk=paper.pk)


@transaction.atomic
def paper_update(*, actor: User | None, scope: Scope, code: str, title: str, items: Sequence[FixedItem] = (),
                 draws: Sequence[Draw] = ()) -> Paper:
    """Change a paper's title and its questions (fixed) or draws (random), until anyone has sat an exam of it."""
    paper = _writable_paper(scope, code)
    taken = (Exam.objects.filter(paper=paper, pk__in=Attempt.objects.values("exam_id")).order_by("opens_at", "code")
             .first())
    if taken is not None:
        raise DomainError(ExamsError.PAPER_IN_USE,
                          f"试卷 {paper.code} 用于的考试“{taken.title}”（{taken.code}）已有人作答，"
                          "不能再修改试卷；请另建试卷", kind=ErrorKind.CONFLICT)
    title = title.strip()
    if not title or len(title) > 200:
        raise _invalid(f"试卷名称“{title}”不符合要求，应为 1 至 200 个字符", "title")
    if paper.is_random and (items or not draws):
        raise _invalid(f"试卷 {paper.code} 是随机抽题试卷，应填写抽题规则（学习内容,难度,题数,每题分值），且不为空",
                       "draws")
    if not paper.is_random and (draws or not items):
        raise _invalid(f"试卷 {paper.code} 是固定题目试卷，应填写试题（试题编码,分值），且不为空", "items")
    before = paper_total(paper)
    bank = questions_reaching(paper.publisher.path)
    PaperItem.objects.filter(paper=paper).delete()
    PaperDraw.objects.filter(paper=paper).delete()
    if items:
        _add_items(paper, bank, items)
    else:
        _add_draws(paper, bank, draws)
    total = paper_total(Paper.objects.prefetch_related("items", "draws").get(pk=paper.pk))
    too_high = Exam.objects.filter(paper=paper, pass_mark__gt=total).order_by("code").first()
    if too_high is not None:
        raise _invalid(f"修改后试卷满分为 {total} 分，低于考试“{too_high.title}”（{too_high.code}）的及格分 "
                       f"{too_high.pass_mark} 分：请先修改该考试的及格分，或增加分值", "items")
    paper.title = title
    paper.save(update_fields=["title"])
    audit_record(action="paper_update", actor=actor, object_type="paper", object_id=paper.code, object_repr=str(paper),
                 detail={"random": paper.is_random, "total_before": before, "total": total})
    return paper


@transaction.atomic
def exam_update(*, actor: User | None, scope: Scope, code: str, data: ExamInput) -> Exam:
    """Change an exam's title, times, duration, attempts, pass mark and shuffle, until it opens; its paper stays."""
    found = access_exam(scope=scope, code=code, write=True)
    exam = Exam.objects.select_for_update(of=("self",)).select_related("paper", "org").get(pk=found.pk)
    now = timezone.now()
    if exam.opens_at <= now:
        raise DomainError(ExamsError.EXAM_STARTED, f"考试“{exam.title}”（{exam.code}）已于 "
                          f"{timezone.localtime(exam.opens_at):%Y-%m-%d %H:%M} 开考，不能再修改",
                          kind=ErrorKind.CONFLICT)
    if data.paper.strip() and data.paper.strip() != exam.paper.code:
        raise _exam_invalid(f"试卷“{data.paper}”：考试的试卷不能更换，应为 {exam.paper.code}", "paper")
    title = data.title.strip()
    if not title or len(title) > 200:
        raise _exam_invalid(f"考试名称“{title}”不符合要求，应为 1 至 200 个字符", "title")
    if data.closes_at <= data.opens_at:
        raise _exam_invalid("截止时间应晚于开考时间", "closes_at")
    if not 1 <= data.duration_minutes <= MAX_DURATION:
        raise _exam_invalid(f"考试时长“{data.duration_minutes}”不符合要求，应为 1 至 {MAX_DURATION} 分钟",
                            "duration_minutes")
    if not 1 <= data.max_attempts <= MAX_ATTEMPTS:
        raise _exam_invalid(f"允许作答次数“{data.max_attempts}”不符合要求，应为 1 至 {MAX_ATTEMPTS}", "max_attempts")
    total = paper_total(exam.paper)
    if not 0 <= data.pass_mark <= total:
        raise _exam_invalid(f"及格分“{data.pass_mark}”不符合要求，应为 0 至 {total}（试卷满分）", "pass_mark")
    values = {"title": title, "opens_at": data.opens_at, "closes_at": data.closes_at,
              "duration_minutes": data.duration_minutes, "max_attempts": data.max_attempts,
              "pass_mark": data.pass_mark, "shuffle": data.shuffle}
    changed = sorted(name for name, value in values.items() if getattr(exam, name) != value)
    for name, value in values.items():
        setattr(exam, name, value)
    exam.save(update_fields=list(values))
    audit_record(action="exam_update", actor=actor, object_type="exam", object_id=exam.code, object_repr=str(exam),
                 detail={"changed": changed, "opens_at": data.opens_at, "closes_at": data.closes_at})
    return exam
