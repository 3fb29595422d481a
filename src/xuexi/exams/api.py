"""考学 over HTTP: the question bank and its spreadsheets, papers, exams, a member's attempts, results."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden
from xuexi.exams import attempts, credit, listeners, papers, selectors, services, sheets
from xuexi.exams.access import access_exam, access_question, own_attempt
from xuexi.exams.errors import ExamsError
from xuexi.exams.models import Attempt, Exam, Question
from xuexi.exams.schemas import (
    AnswersIn,
    AttemptOut,
    AttemptSummaryOut,
    ExamCreditIn,
    ExamCreditOut,
    ExamIn,
    ExamOut,
    ImportErrorOut,
    ImportOut,
    OrgResultOut,
    PaperIn,
    PaperOut,
    PersonResultOut,
    PracticeGradedOut,
    PracticeOut,
    PracticeQuestionOut,
    PracticeResultOut,
    QuestionChangeIn,
    QuestionCreateIn,
    QuestionOut,
    QuestionPage,
    ResultsOut,
    SheetQuestionOut,
)
from xuexi.orgs.access import access_org
from xuexi.pagination import MAX_PAGE_SIZE, paginate
from xuexi.people.models import Person

router = Router(tags=["考学"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class QuestionQuery(Schema):
    area: str = ""
    kind: str = ""
    difficulty: str = ""
    publisher: str = ""  # an organization code
    q: str = ""  # part of the code or the stem
    enabled: bool | None = None
    page: int = 1
    page_size: int = 50


def _scope(request: HttpRequest) -> Scope:
    return Scope.for_user(request.auth)  # type: ignore[attr-defined]


def _out(question: Question) -> QuestionOut:
    return QuestionOut(code=question.code, area=question.area, kind=question.kind, stem=question.stem,
                       options=list(question.options), answer=question.answer, difficulty=question.difficulty,
                       explanation=question.explanation, publisher=question.publisher.code, enabled=question.enabled)


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(filename)}"
    return response


@router.get("/questions", response=QuestionPage, summary="题库：您管理或查看范围内各组织发布的试题")
def question_list(request: HttpRequest, query: Query[QuestionQuery]) -> QuestionPage:
    filters = selectors.QuestionFilters(area=query.area, kind=query.kind, difficulty=query.difficulty,
                                        publisher=query.publisher, text=query.q, enabled=query.enabled)
    page = paginate(selectors.question_list(scope=_scope(request), filters=filters), page=query.page,
                    page_size=min(query.page_size, MAX_PAGE_SIZE))
    return QuestionPage(items=[_out(q) for q in page.items], count=page.count, page=page.page,
                        page_size=page.page_size)


@router.post("/questions", response={201: QuestionOut}, summary="新增试题（发布组织须在您的管理范围内）")
def question_create(request: HttpRequest, payload: QuestionCreateIn) -> Status[QuestionOut]:
    data = services.QuestionInput(area=payload.area, kind=payload.kind, stem=payload.stem, answer=payload.answer,
                                  difficulty=payload.difficulty, options=tuple(payload.options),
                                  explanation=payload.explanation, enabled=payload.enabled)
    question = services.question_create(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                        code=payload.code, publisher_code=payload.publisher, data=data)
    return Status(201, _out(question))


@router.get("/questions/template", response={200: None}, summary="试题导入模板（.xlsx）")
def question_template(request: HttpRequest) -> HttpResponse:
    _scope(request).require_business_data()
    return _download(sheets.template(), "试题导入模板.xlsx", XLSX)


@router.get("/questions/export", response={200: None}, summary="导出题库（.xlsx 或 .csv，与导入格式相同）")
def question_export(request: HttpRequest, format: Literal["xlsx", "csv"] = "xlsx") -> HttpResponse:
    scope = _scope(request)
    scope.require_business_data()
    data = sheets.export(actor=request.auth, scope=scope, file_format=format)  # type: ignore[attr-defined]
    return _download(data, f"题库.{format}", CSV if format == "csv" else XLSX)


@router.post("/questions/import", response=ImportOut,
             summary="导入试题（multipart：file；dry_run=true 只检查不保存）；有任一错误则全部不保存")
def question_import(request: HttpRequest, file: File[UploadedFile],
                    dry_run: Form[bool] = False) -> ImportOut:
    scope = _scope(request)
    scope.require_business_data()
    result = sheets.import_questions(actor=request.auth, scope=scope,  # type: ignore[attr-defined]
                                     data=file.read(), filename=file.name or "", commit=not dry_run)
    return ImportOut(rows=result.rows, created=result.created, updated=result.updated, stored=result.stored,
                     errors=[ImportErrorOut(row=e.row, column=e.column, value=e.value, expected=e.expected,
                                            message=str(e)) for e in result.errors])


@router.get("/questions/{code}", response=QuestionOut, summary="试题详情")
def question_detail(request: HttpRequest, code: str) -> QuestionOut:
    return _out(access_question(scope=_scope(request), code=code))


@router.patch("/questions/{code}", response=QuestionOut, summary="修改试题（只改所给字段；整题重新校验）")
def question_update(request: HttpRequest, code: str, payload: QuestionChangeIn) -> QuestionOut:
    changes = payload.model_dump(exclude_none=True)
    if "options" in changes:
        changes["options"] = tuple(changes["options"])
    question = services.question_update(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                        code=code, changes=changes)
    return _out(question)


# -- papers and exams (administrators) ---------------------------------------------------------------
def _exam_out(exam: Exam) -> ExamOut:
    return ExamOut(code=exam.code, title=exam.title, paper=exam.paper.code, org=exam.org.code,
                   opens_at=exam.opens_at, closes_at=exam.closes_at, duration_minutes=exam.duration_minutes,
                   pass_mark=exam.pass_mark, max_attempts=exam.max_attempts, shuffle=exam.shuffle)


@router.post("/papers", response={201: PaperOut}, summary="组卷：固定题目（items）或按学习内容和难度随机抽题（draws）")
def paper_create(request: HttpRequest, payload: PaperIn) -> Status[PaperOut]:
    paper = papers.paper_create(
        actor=request.auth, scope=_scope(request), code=payload.code, title=payload.title,  # type: ignore[attr-defined]
        publisher_code=payload.publisher, items=[papers.FixedItem(i.question, i.points) for i in payload.items],
        draws=[papers.Draw(d.area, d.difficulty, d.count, d.points) for d in payload.draws])
    return Status(201, PaperOut(code=paper.code, title=paper.title, publisher=paper.publisher.code,
                                random=paper.is_random, total=papers.paper_total(paper)))


@router.get("", response=list[ExamOut], summary="考试列表（为您范围内的组织设置的）")
def exam_list(request: HttpRequest) -> list[ExamOut]:
    return [_exam_out(exam) for exam in selectors.exam_list(scope=_scope(request))[:MAX_PAGE_SIZE]]


@router.post("", response={201: ExamOut}, summary="设置考试（参考组织的下级党员均可参加）")
def exam_create(request: HttpRequest, payload: ExamIn) -> Status[ExamOut]:
    data = papers.ExamInput(title=payload.title, paper=payload.paper, opens_at=payload.opens_at,
                            closes_at=payload.closes_at, duration_minutes=payload.duration_minutes,
                            pass_mark=payload.pass_mark, max_attempts=payload.max_attempts, shuffle=payload.shuffle)
    exam = papers.exam_create(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                              code=payload.code, org_code=payload.org, data=data)
    return Status(201, _exam_out(exam))


@router.put("/{code}/credit-hours", response=ExamCreditOut,
            summary="设置考试的合格计入学时（网络学习；只有省级组织管理员可以设置，首次合格计入一次）")
def exam_credit_set(request: HttpRequest, code: str, payload: ExamCreditIn) -> ExamCreditOut:
    exam = credit.exam_credit_set(actor=request.auth, scope=_scope(request),  # type: ignore[attr-defined]
                                  code=code, credit_hours=payload.credit_hours)
    return ExamCreditOut(code=exam.code, credit_hours=exam.credit_hours)


@router.get("/{code}/results", response=ResultsOut, summary="考试成绩：按组织汇总（参考人数、及格人数、平均分）和按人")
def exam_results(request: HttpRequest, code: str, org: str = "") -> ResultsOut:
    scope = _scope(request)
    exam = access_exam(scope=scope, code=code)
    attempts.attempts_close_expired(exam=exam)
    unit = access_org(scope=scope, code=org) if org else exam.org
    if not unit.path.startswith(exam.org.path):
        unit = exam.org
    return ResultsOut(
        exam=exam.code, org=unit.code, pass_mark=exam.pass_mark,
        orgs=[OrgResultOut(**vars(r)) for r in selectors.exam_results_by_org(exam=exam, org=unit)],
        people=[PersonResultOut(**vars(r)) for r in selectors.exam_results_by_person(exam=exam, org=unit)])


# -- a member's own exams ------------------------------------------------------------------------------
def _person(request: HttpRequest) -> Person:
    _scope(request).require_business_data()
    user: User = request.auth  # type: ignore[attr-defined]
    if user.person is None:
        raise Forbidden(ExamsError.NOT_A_MEMBER, "只有本人账号关联了人员的党员、干部可以参加考试")
    return user.person


def _attempt_out(attempt: Attempt) -> AttemptOut:
    return AttemptOut(
        id=attempt.pk, exam=attempt.exam.code, seq=attempt.seq, started_at=attempt.started_at,
        deadline=attempt.deadline, submitted_at=attempt.submitted_at, total=attempt.total, score=attempt.score,
        passed=attempt.passed,
        questions=[SheetQuestionOut(position=q.position, kind=q.kind, stem=q.stem,
                                    options=[list(o) for o in q.options], points=q.points, response=q.response,
                                    correct=q.correct if attempt.submitted_at else None)
                   for q in selectors.attempt_sheet(attempt)])


@router.get("/mine", response=list[ExamOut], summary="我的考试：为本人所在组织及上级组织设置的考试")
def my_exams(request: HttpRequest) -> list[ExamOut]:
    return [_exam_out(exam) for exam in selectors.exams_for_person(_person(request))[:MAX_PAGE_SIZE]]


@router.get("/attempts", response=list[AttemptSummaryOut], summary="本人的全部答卷和成绩")
def my_attempts(request: HttpRequest) -> list[AttemptSummaryOut]:
    person = _person(request)
    attempts.attempts_close_expired(person=person)
    return [AttemptSummaryOut(id=a.pk, exam=a.exam.code, title=a.exam.title, seq=a.seq, started_at=a.started_at,
                              deadline=a.deadline, submitted_at=a.submitted_at, total=a.total, score=a.score,
                              passed=a.passed) for a in selectors.attempts_of(person)[:MAX_PAGE_SIZE]]


@router.post("/{code}/attempts", response={201: AttemptOut}, summary="开始作答（作答中则继续；服务器记录开始时间）")
def attempt_start(request: HttpRequest, code: str) -> Status[AttemptOut]:
    attempt = attempts.attempt_start(actor=request.auth, person=_person(request),  # type: ignore[attr-defined]
                                     exam_code=code)
    return Status(201, _attempt_out(attempt))


@router.get("/attempts/{attempt_id}", response=AttemptOut, summary="本人的答卷")
def attempt_detail(request: HttpRequest, attempt_id: int) -> AttemptOut:
    return _attempt_out(own_attempt(person=_person(request), attempt_id=attempt_id))


@router.put("/attempts/{attempt_id}/answers", response=AttemptOut, summary="保存答案（截止后不再保存）")
def answers_save(request: HttpRequest, attempt_id: int, payload: AnswersIn) -> AttemptOut:
    attempt = attempts.answers_save(person=_person(request), attempt_id=attempt_id, responses=payload.answers)
    return _attempt_out(attempt)


@router.post("/attempts/{attempt_id}/submit", response=AttemptOut,
             summary="交卷并评分（截止后交卷只按截止前保存的答案评分）")
def attempt_submit(request: HttpRequest, attempt_id: int, payload: AnswersIn | None = None) -> AttemptOut:
    attempt = attempts.attempt_submit(actor=request.auth, person=_person(request),  # type: ignore[attr-defined]
                                      attempt_id=attempt_id, responses=payload.answers if payload else None)
    return _attempt_out(attempt)


# -- 每日一练 ----------------------------------------------------------------------------------------------
@router.get("/practice", response=PracticeOut, summary="每日一练：今天的 5 道题（每人每天固定，不排名）")
def practice_today(request: HttpRequest) -> PracticeOut:
    day = timezone.localdate()
    questions = selectors.daily_practice(_person(request), day)
    return PracticeOut(day=day, questions=[
        PracticeQuestionOut(number=n, kind=q.kind, area=q.area, stem=q.stem, options=list(q.options))
        for n, q in enumerate(questions, start=1)])


@router.post("/practice", response=PracticeGradedOut,
             summary="每日一练：提交即评分（选择题用原选项字母），显示答案和解析；只记下当天已练，不保存作答、不排名")
def practice_grade(request: HttpRequest, payload: AnswersIn) -> PracticeGradedOut:
    day = timezone.localdate()
    person = _person(request)
    results = selectors.practice_grade(person, day, payload.answers)
    listeners.practice_graded(person, day, questions=len(results), right=sum(r.correct for r in results))
    return PracticeGradedOut(day=day, right=sum(r.correct for r in results), results=[
        PracticeResultOut(number=n, stem=r.question.stem, response=r.response, correct=r.correct,
                          answer=r.question.answer, explanation=r.question.explanation)
        for n, r in enumerate(results, start=1)])
