"""考学 pages: 我的考试 and taking an exam (members); the question bank, its import, and results (administrators)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, ErrorKind, Forbidden, NotFound
from xuexi.exams import attempts, credit, listeners, papers, selectors, services, sheets
from xuexi.exams.access import access_exam, access_paper, access_question, own_attempt
from xuexi.exams.errors import ExamsError
from xuexi.exams.grading import LETTERS
from xuexi.exams.models import Attempt, Difficulty, Exam, Paper, QuestionKind
from xuexi.learning.models import ContentArea
from xuexi.orgs.access import access_org
from xuexi.pagination import page_number, paginate
from xuexi.people.models import Person
from xuexi.web.uploads import read_upload

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _person(request: HttpRequest) -> Person:
    Scope.for_user(_user(request)).require_business_data()
    person = _user(request).person
    if person is None:
        raise Forbidden(ExamsError.NOT_A_MEMBER, "只有本人账号关联了人员的党员、干部可以参加考试")
    return person


@login_required
@require_GET
def exam_home(request: HttpRequest) -> HttpResponse:
    """我的考试 for a member; the exams of the scope, and the way to the bank, for administrators."""
    scope = Scope.for_user(_user(request))
    scope.require_business_data()
    person = _user(request).person
    mine = []
    if person is not None:
        attempts.attempts_close_expired(person=person)
        tries: dict[int, list[Attempt]] = {}
        for attempt in selectors.attempts_of(person):
            tries.setdefault(attempt.exam_id, []).append(attempt)
        now = timezone.now()
        for exam in selectors.exams_for_person(person)[:100]:
            taken = tries.get(exam.pk, [])
            running = next((a for a in taken if a.submitted_at is None and a.deadline > now), None)
            best = max((a.score for a in taken if a.score is not None), default=None)
            mine.append({"exam": exam, "attempts": taken, "running": running, "best": best,
                         "open": exam.opens_at <= now < exam.closes_at,
                         "left": exam.max_attempts - len(taken)})
    managed = list(selectors.exam_list(scope=scope)[:100]) if scope.sees_organizations else []
    now = timezone.now()
    editable = {e.code for e in managed if e.opens_at > now and scope.covers_path(e.org.path, write=True)}
    return render(request, "web/exams/home.html", {"mine": mine, "managed": managed, "person": person,
                                                   "editable": editable, "sets_credit": credit.sets_credit(scope)})


@login_required
@require_POST
def exam_credit(request: HttpRequest, code: str) -> HttpResponse:
    """合格计入学时: the province sets (or clears, left blank) the hours a first pass of an exam credits."""
    scope = Scope.for_user(_user(request))
    raw = request.POST.get("credit_hours", "").strip()
    try:
        hours = Decimal(raw) if raw else None
    except InvalidOperation:
        access_exam(scope=scope, code=code)
        messages.error(request, f"合格计入学时“{raw}”不是数字：请填写学时（如 1.5），或留空表示不计学时。")
        return redirect("web:exam_home")
    try:
        exam = credit.exam_credit_set(actor=_user(request), scope=scope, code=code, credit_hours=hours)
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
    else:
        shown = f"合格计入 {exam.credit_hours} 学时（网络学习）" if exam.credit_hours is not None else "合格不计学时"
        messages.success(request, f"考试 {code}：{shown}，此后首次合格的人员计入。")
    return redirect("web:exam_home")


@login_required
@require_POST
def exam_start(request: HttpRequest, code: str) -> HttpResponse:
    person = _person(request)
    try:
        attempt = attempts.attempt_start(actor=_user(request), person=person, exam_code=code)
    except DomainError as exc:
        if exc.kind != ErrorKind.CONFLICT:
            raise
        messages.error(request, exc.detail)
        return redirect("web:exam_home")
    return redirect("web:attempt_page", attempt.pk)


def _responses(request: HttpRequest, attempt: Attempt) -> dict[int, str]:
    responses = {}
    for position in range(1, len(attempt.sheet) + 1):
        values = request.POST.getlist(f"q{position}")
        if values:
            responses[position] = "".join(values) if len(values) > 1 else values[0]
    return responses


@login_required
@require_http_methods(["GET", "POST"])
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The sheet while it runs (save or hand in), the score once handed in."""
    person = _person(request)
    attempt = own_attempt(person=person, attempt_id=attempt_id)
    if request.method == "POST" and attempt.submitted_at is None:
        responses = _responses(request, attempt)
        try:
            if request.POST.get("action") == "submit":
                attempt = attempts.attempt_submit(actor=_user(request), person=person, attempt_id=attempt.pk,
                                                  responses=responses)
                messages.success(request, f"已交卷，得分 {attempt.score} / {attempt.total}。")
            else:
                attempts.answers_save(person=person, attempt_id=attempt.pk, responses=responses)
                messages.success(request, "答案已保存。")
        except DomainError as exc:
            if exc.kind != ErrorKind.CONFLICT:
                raise
            messages.error(request, exc.detail)
        return redirect("web:attempt_page", attempt.pk)
    return render(request, "web/exams/attempt.html", {
        "attempt": attempt, "exam": attempt.exam, "questions": selectors.attempt_sheet(attempt),
        "choice_kinds": CHOICE_KINDS, "expired": attempt.submitted_at is None and attempt.deadline <= timezone.now()})


def _bank_page(request: HttpRequest, result: object = None) -> HttpResponse:
    scope = Scope.for_user(_user(request))
    filters = selectors.QuestionFilters(area=request.GET.get("area", "")[:32], kind=request.GET.get("kind", "")[:4],
                                        difficulty=request.GET.get("difficulty", "")[:2],
                                        text=request.GET.get("q", "")[:100])
    page = paginate(selectors.question_list(scope=scope, filters=filters), page=page_number(request))
    return render(request, "web/exams/questions.html", {
        "page": page, "filters": filters, "areas": ContentArea.values, "kinds": QuestionKind.values,
        "difficulties": Difficulty.values, "result": result, "may_import": scope.is_org_admin,
        "writable": {q.code for q in page.items if scope.covers_path(q.publisher.path, write=True)}})


@login_required
@require_GET
def question_bank(request: HttpRequest) -> HttpResponse:
    Scope.for_user(_user(request)).require_business_data()
    return _bank_page(request)


@login_required
@require_POST
def question_import(request: HttpRequest) -> HttpResponse:
    """Check the whole file and store it only when no cell is wrong (dry_run: check only)."""
    scope = Scope.for_user(_user(request))
    scope.require_business_data()
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要导入的 .xlsx、.xls 或 .csv 文件")
        return _bank_page(request)
    try:
        result = sheets.import_questions(actor=_user(request), scope=scope, data=read_upload(upload),
                                         filename=upload.name or "", commit=not request.POST.get("dry_run"))
    except DomainError as exc:
        if exc.kind != ErrorKind.INVALID:
            raise
        messages.error(request, exc.detail)
        return _bank_page(request)
    return _bank_page(request, result)


@login_required
@require_GET
def exam_results(request: HttpRequest, code: str) -> HttpResponse:
    scope = Scope.for_user(_user(request))
    exam = access_exam(scope=scope, code=code)
    attempts.attempts_close_expired(exam=exam)
    org_code = request.GET.get("org", "")[:64]
    unit = access_org(scope=scope, code=org_code) if org_code else exam.org
    if not unit.path.startswith(exam.org.path):
        unit = exam.org
    return render(request, "web/exams/results.html", {
        "exam": exam, "unit": unit, "orgs": selectors.exam_results_by_org(exam=exam, org=unit),
        "people": selectors.exam_results_by_person(exam=exam, org=unit)})


@login_required
@require_http_methods(["GET", "POST"])
def practice(request: HttpRequest) -> HttpResponse:
    """每日一练: today's five questions; handed in, each is marked with its answer and explanation at once."""
    person = _person(request)
    day = timezone.localdate()
    results = None
    if request.method == "POST":
        responses = {}
        for number in range(1, selectors.PRACTICE_SIZE + 1):
            values = request.POST.getlist(f"q{number}")
            if values:
                responses[number] = "".join(values)[:500]
        results = selectors.practice_grade(person, day, responses)
        listeners.practice_graded(person, day, questions=len(results), right=sum(r.correct for r in results))
    questions = selectors.daily_practice(person, day)
    return render(request, "web/exams/practice.html", {
        "day": day, "questions": [(n, q, [(LETTERS[i], o) for i, o in enumerate(q.options)])
                                  for n, q in enumerate(questions, start=1)],
        "results": results, "right": sum(r.correct for r in results) if results else 0})


def _require_admin(scope: Scope, refusal: str) -> None:
    """Administrators only: a reviewer sees why, anyone else finds no such page."""
    if scope.is_org_admin:
        return
    if scope.is_reviewer:
        raise Forbidden(ExamsError.EXAM_FORBIDDEN, refusal)
    raise NotFound("page_not_found", "页面不存在")


class _Explained(forms.Form):
    """Field errors that name the field, the value given and what is expected."""

    EXPECTED: dict[str, str] = {}

    def explain(self) -> None:
        for name in list(self.errors):
            if name in self.fields:
                label, value = self.fields[name].label, self.data.get(name, "")
                expected = self.EXPECTED.get(name, "有效的值")
                self.errors[name] = self.error_class(
                    [f"{label}“{value}”无效：应为{expected}" if value else f"请填写{label}：应为{expected}"])


class PaperForm(_Explained):
    code = forms.CharField(label="试卷编码", max_length=64)
    title = forms.CharField(label="试卷名称", max_length=200)
    publisher = forms.CharField(label="发布组织（组织编码）", max_length=64,
                                help_text="您管理的组织；试卷可用于它及其下级的考试")
    lines = forms.CharField(label="题目或抽题规则", widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
                            help_text="固定题目每行“试题编码,分值”，如 Q-001,10；"
                                      "随机抽题每行“学习内容,难度,题数,每题分值”，如 科学发展观,易,5,4。二者不可混用")
    EXPECTED = {"code": "1 至 64 个字符", "title": "1 至 200 个字符", "publisher": "组织编码",
                "lines": "每行“试题编码,分值”或“学习内容,难度,题数,每题分值”"}


def _paper_lines(text: str) -> tuple[list[papers.FixedItem], list[papers.Draw]]:
    items, draws = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in raw.replace("，", ",").split(",")]
        if not any(parts):
            continue
        try:
            if len(parts) == 2:
                items.append(papers.FixedItem(parts[0], int(parts[1])))
            elif len(parts) == 4:
                draws.append(papers.Draw(parts[0], parts[1], int(parts[2]), int(parts[3])))
            else:
                raise ValueError
        except ValueError as exc:
            raise DomainError(ExamsError.PAPER_INVALID, f"第 {number} 行“{raw.strip()}”无效：应为“试题编码,分值”"
                              "或“学习内容,难度,题数,每题分值”，分值和题数为整数", field="lines") from exc
    return items, draws


@login_required
@require_http_methods(["GET", "POST"])
def paper_create(request: HttpRequest) -> HttpResponse:
    scope = Scope.for_user(_user(request))
    scope.require_business_data()
    _require_admin(scope, "只有组织管理员可以组卷")
    form = PaperForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                items, draws = _paper_lines(form.cleaned_data["lines"])
                paper = papers.paper_create(actor=_user(request), scope=scope, code=form.cleaned_data["code"],
                                            title=form.cleaned_data["title"],
                                            publisher_code=form.cleaned_data["publisher"], items=items, draws=draws)
            except DomainError as exc:
                _form_errors(form, exc, NAMED_ELSEWHERE)
            else:
                messages.success(request, f"已建立试卷 {paper.code}，满分 {papers.paper_total(paper)} 分。")
                return redirect("web:exam_home")
        else:
            form.explain()
    return render(request, "web/form.html", {"form": form, "title": "组卷", "back_url": "/exams/"})


class ExamForm(_Explained):
    code = forms.CharField(label="考试编码", max_length=64)
    title = forms.CharField(label="考试名称", max_length=200)
    paper = forms.CharField(label="试卷（试卷编码）", max_length=64)
    org = forms.CharField(label="参考组织（组织编码）", max_length=64, help_text="该组织及其全部下级的党员可以参加")
    opens_at = forms.DateTimeField(label="开考时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label="截止时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    duration_minutes = forms.IntegerField(label="考试时长（分钟）", min_value=1, max_value=papers.MAX_DURATION,
                                          initial=30)
    max_attempts = forms.IntegerField(label="允许作答次数", min_value=1, max_value=papers.MAX_ATTEMPTS, initial=1)
    pass_mark = forms.IntegerField(label="及格分", min_value=0, initial=60)
    shuffle = forms.BooleanField(label="题目和选项乱序", required=False, initial=True)
    EXPECTED = {"code": "1 至 64 个字符", "title": "1 至 200 个字符", "paper": "试卷编码", "org": "组织编码",
                "opens_at": "日期时间，如 2026-03-01 08:00", "closes_at": "日期时间，如 2026-03-31 18:00",
                "duration_minutes": f"1 至 {papers.MAX_DURATION} 的整数",
                "max_attempts": f"1 至 {papers.MAX_ATTEMPTS} 的整数", "pass_mark": "不小于 0 的整数"}


@login_required
@require_http_methods(["GET", "POST"])
def exam_create(request: HttpRequest) -> HttpResponse:
    scope = Scope.for_user(_user(request))
    scope.require_business_data()
    _require_admin(scope, "只有组织管理员可以设置考试")
    form = ExamForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                exam = papers.exam_create(actor=_user(request), scope=scope, code=data["code"], org_code=data["org"],
                                          data=papers.ExamInput(
                                              title=data["title"], paper=data["paper"], opens_at=data["opens_at"],
                                              closes_at=data["closes_at"], duration_minutes=data["duration_minutes"],
                                              pass_mark=data["pass_mark"], max_attempts=data["max_attempts"],
                                              shuffle=data["shuffle"]))
            except DomainError as exc:
                _form_errors(form, exc, NAMED_ELSEWHERE)
            else:
                messages.success(request, f"已设置考试 {exam.code}。")
                return redirect("web:exam_home")
        else:
            form.explain()
    return render(request, "web/form.html", {"form": form, "title": "设置考试", "back_url": "/exams/"})


# -- changing a question, a paper, an exam (administrators of the publisher or the exam's organization) -----
# A new paper or exam names a publisher, paper or organization: one the author may not see or write
# is a field error like a missing one, never a 404 or 403 page (the form names it).
NAMED_ELSEWHERE = (ErrorKind.INVALID, ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN)
# A change refused by the object's state (an exam open, a paper in use) is the form's error too.
CHANGE_REFUSED = (ErrorKind.INVALID, ErrorKind.CONFLICT)


def _form_errors(form: forms.Form, exc: DomainError, shown: tuple[ErrorKind, ...] = CHANGE_REFUSED) -> None:
    """A service's refusal shown on the form, at its field where the form has one; other kinds go on up."""
    if exc.kind not in shown:
        raise exc
    form.add_error(exc.field if exc.field in form.fields else None, exc.detail)


class QuestionForm(_Explained):
    area = forms.ChoiceField(label="学习内容", choices=ContentArea.choices)
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    difficulty = forms.ChoiceField(label="难度", choices=Difficulty.choices)
    stem = forms.CharField(label="题干", max_length=services.STEM_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(label="选项", required=False, max_length=8 * (services.OPTION_MAX + 1),
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="单选、多选题每行一个选项（依次为 A、B、C……）；判断、填空题留空")
    answer = forms.CharField(label="答案", max_length=500,
                             help_text="选择题填选项字母，如 B 或 ACD；判断题填 对 或 错；"
                                       "填空题多个可接受答案以 | 分隔")
    explanation = forms.CharField(label="解析", required=False, max_length=services.EXPLANATION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    enabled = forms.BooleanField(label="启用", required=False)
    EXPECTED = {"area": "、".join(ContentArea.values) + " 之一", "kind": "、".join(QuestionKind.values) + " 之一",
                "difficulty": "易、中、难 之一", "stem": f"1 至 {services.STEM_MAX} 个字符",
                "options": "每行一个选项", "answer": "不超过 500 个字符", "explanation": "不超过 2000 个字符"}


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change one question of the bank; the whole question is checked again."""
    scope = Scope.for_user(_user(request))
    question = access_question(scope=scope, code=code, write=True)
    initial = {name: getattr(question, name) for name in ("area", "kind", "difficulty", "stem", "answer",
                                                          "explanation", "enabled")}
    initial["options"] = "\n".join(question.options)
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["options"] = tuple(line.strip() for line in data["options"].splitlines() if line.strip())
            try:
                services.question_update(actor=_user(request), scope=scope, code=code, changes=data)
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"已保存试题 {code}。")
                return redirect("web:question_bank")
        else:
            form.explain()
    return render(request, "web/form.html", {"form": form, "title": f"修改试题 {code}",
                                             "back_url": reverse("web:question_bank")})


@login_required
@require_POST
def question_enabled(request: HttpRequest, code: str) -> HttpResponse:
    """Disable (停用) or enable (启用) a question: a disabled one is no more drawn nor added to papers."""
    enabled = request.POST.get("enabled") == "1"
    services.question_update(actor=_user(request), scope=Scope.for_user(_user(request)), code=code,
                             changes={"enabled": enabled})
    messages.success(request, f"已{'启用' if enabled else '停用'}试题 {code}。")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/exams/questions/") else reverse("web:question_bank"))


class PaperEditForm(_Explained):
    title = forms.CharField(label="试卷名称", max_length=200)
    lines = PaperForm.base_fields["lines"]
    EXPECTED = {"title": "1 至 200 个字符", "lines": PaperForm.EXPECTED["lines"]}


def _lines_of(paper: Paper) -> str:
    if paper.is_random:
        return "\n".join(f"{d.area},{d.difficulty},{d.count},{d.points}" for d in paper.draws.order_by("id"))
    return "\n".join(f"{i.question.code},{i.points}" for i in paper.items.select_related("question"))


@login_required
@require_http_methods(["GET", "POST"])
def paper_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change a paper's questions and points (fixed: add, remove, reorder) or its draws, until anyone has sat it."""
    scope = Scope.for_user(_user(request))
    scope.require_business_data()
    paper = access_paper(scope=scope, code=code)
    if not scope.covers_path(paper.publisher.path, write=True):
        raise Forbidden(ExamsError.PAPER_FORBIDDEN, f"试卷 {paper.code} 由{paper.publisher.name}发布，您只能查看")
    form = PaperEditForm(request.POST or None, initial={"title": paper.title, "lines": _lines_of(paper)})
    if request.method == "POST":
        if form.is_valid():
            try:
                items, draws = _paper_lines(form.cleaned_data["lines"])
                updated = papers.paper_update(actor=_user(request), scope=scope, code=code,
                                              title=form.cleaned_data["title"], items=items, draws=draws)
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"已保存试卷 {code}，满分 {papers.paper_total(updated)} 分。")
                return redirect("web:exam_home")
        else:
            form.explain()
    kind = ("随机抽题：每行“学习内容,难度,题数,每题分值”" if paper.is_random
            else "固定题目：每行“试题编码,分值”，按行序为题号")
    return render(request, "web/form.html", {"form": form, "title": f"修改试卷 {paper.code}（{kind}）",
                                             "back_url": reverse("web:exam_home")})


class ExamEditForm(_Explained):
    title = ExamForm.base_fields["title"]
    opens_at = ExamForm.base_fields["opens_at"]
    closes_at = ExamForm.base_fields["closes_at"]
    duration_minutes = ExamForm.base_fields["duration_minutes"]
    max_attempts = ExamForm.base_fields["max_attempts"]
    pass_mark = ExamForm.base_fields["pass_mark"]
    shuffle = ExamForm.base_fields["shuffle"]
    EXPECTED = ExamForm.EXPECTED


def _exam_initial(exam: Exam) -> dict[str, object]:
    local = "%Y-%m-%dT%H:%M"
    return {"title": exam.title, "opens_at": timezone.localtime(exam.opens_at).strftime(local),
            "closes_at": timezone.localtime(exam.closes_at).strftime(local),
            "duration_minutes": exam.duration_minutes, "max_attempts": exam.max_attempts,
            "pass_mark": exam.pass_mark, "shuffle": exam.shuffle}


@login_required
@require_http_methods(["GET", "POST"])
def exam_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change an exam's times, duration, attempts and pass mark until it opens."""
    scope = Scope.for_user(_user(request))
    exam = access_exam(scope=scope, code=code, write=True)
    form = ExamEditForm(request.POST or None, initial=_exam_initial(exam))
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                papers.exam_update(actor=_user(request), scope=scope, code=code, data=papers.ExamInput(
                    title=data["title"], paper=exam.paper.code, opens_at=data["opens_at"],
                    closes_at=data["closes_at"], duration_minutes=data["duration_minutes"],
                    pass_mark=data["pass_mark"], max_attempts=data["max_attempts"], shuffle=data["shuffle"]))
            except DomainError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"已保存考试 {code}。")
                return redirect("web:exam_home")
        else:
            form.explain()
    return render(request, "web/form.html", {"form": form, "title": f"修改考试 {exam.title}（{exam.code}）",
                                             "back_url": reverse("web:exam_home")})
