"""考学: the question bank (题库), papers (试卷), exams (考试) and the attempts members make (答卷)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from xuexi.learning.models import ContentArea
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


class QuestionKind(models.TextChoices):  # 题型
    SINGLE = "单选", "单选"
    MULTIPLE = "多选", "多选"
    JUDGE = "判断", "判断"
    FILL = "填空", "填空"


class Difficulty(models.TextChoices):  # 难度
    EASY = "易", "易"
    MEDIUM = "中", "中"
    HARD = "难", "难"


class Question(models.Model):  # 试题
    """One question of the bank, published by an organization for its subtree.

    The answer is stored canonical (services.normalized_answer): the option letters in order
    (``B``, ``ACD``), ``对``/``错``, or a fill-in's accepted answers joined by ``|``.
    """

    code = models.CharField("试题编码", max_length=64, unique=True)
    area = models.CharField("学习内容", max_length=32, choices=ContentArea.choices)
    kind = models.CharField("题型", max_length=4, choices=QuestionKind.choices)
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list, blank=True)
    answer = models.CharField("答案", max_length=500)
    difficulty = models.CharField("难度", max_length=2, choices=Difficulty.choices)
    explanation = models.TextField("解析", blank=True)
    publisher = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="发布组织")
    enabled = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)

    class Meta:
        verbose_name = "试题"
        verbose_name_plural = "试题"
        indexes = [models.Index(fields=["area", "difficulty"])]

    def __str__(self) -> str:
        return f"{self.code} {self.stem[:30]}"


class Paper(models.Model):  # 试卷
    """A paper: chosen questions with their points (fixed), or draws by area and difficulty (random)."""

    code = models.CharField("试卷编码", max_length=64, unique=True)
    title = models.CharField("试卷名称", max_length=200)
    publisher = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="发布组织")
    is_random = models.BooleanField("随机组卷", default=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "试卷"
        verbose_name_plural = "试卷"

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"


class PaperItem(models.Model):  # 试卷试题 (fixed papers)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField("分值")
    position = models.PositiveSmallIntegerField("题号")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "question"], name="exams_paper_item_once")]

    def __str__(self) -> str:
        return f"{self.position}. {self.question_id}（{self.points} 分）"


class PaperDraw(models.Model):  # 抽题规则 (random papers)
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="draws")
    area = models.CharField("学习内容", max_length=32, choices=ContentArea.choices)
    difficulty = models.CharField("难度", max_length=2, choices=Difficulty.choices)
    count = models.PositiveSmallIntegerField("题数")
    points = models.PositiveSmallIntegerField("每题分值")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "area", "difficulty"], name="exams_draw_once")]

    def __str__(self) -> str:
        return f"{self.area}·{self.difficulty} {self.count} 题 × {self.points} 分"


class Exam(models.Model):  # 考试
    """A timed exam of a paper for the members of an organization's subtree."""

    code = models.CharField("考试编码", max_length=64, unique=True)
    title = models.CharField("考试名称", max_length=200)
    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="exams", verbose_name="试卷")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="参考组织")
    opens_at = models.DateTimeField("开考时间")
    closes_at = models.DateTimeField("截止时间")
    duration_minutes = models.PositiveSmallIntegerField("考试时长（分钟）")
    max_attempts = models.PositiveSmallIntegerField("允许作答次数", default=1)
    shuffle = models.BooleanField("乱序（题目和选项）", default=True)
    pass_mark = models.PositiveSmallIntegerField("及格分")
    # 考试学时: what passing credits as 网络学习 in the hours ledger (first pass only); blank: none. Only the
    # province sets it (exams.credit.exam_credit_set).
    credit_hours = models.DecimalField("合格计入学时", max_digits=5, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    class Meta:
        verbose_name = "考试"
        verbose_name_plural = "考试"

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"


class Attempt(models.Model):  # 答卷
    """One sitting of an exam: the questions as drawn and ordered for it, recorded by the server at the start.

    ``sheet`` holds, in the order shown, ``{"q": question id, "points": n, "order": [original option indexes]}``.
    """

    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveSmallIntegerField("第几次")
    started_at = models.DateTimeField("开始时间")
    deadline = models.DateTimeField("作答截止")
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    sheet = models.JSONField(default=list)
    total = models.PositiveIntegerField("满分")
    score = models.PositiveIntegerField("得分", null=True, blank=True)
    passed = models.BooleanField("及格", null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exam", "person", "seq"], name="exams_attempt_seq")]
        indexes = [models.Index(fields=["person", "exam"])]

    def __str__(self) -> str:
        return f"{self.exam_id} 第 {self.seq} 次作答（{self.person_id}）"


class AttemptAnswer(models.Model):  # 作答
    """An answer as saved, in the original option letters; saved_at tells a late one (after the deadline)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    response = models.CharField("作答", max_length=500, blank=True)
    saved_at = models.DateTimeField("保存时间")
    correct = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="exams_answer_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}: {self.response}"
