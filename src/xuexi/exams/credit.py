"""考试学时: an exam passed credits hours (网络学习) in the ledger where the province says so.

Only the province sets an exam's credit (Exam.credit_hours). A person's first passed attempt writes one
PlatformCredit (reference: the exam's code, dated the day of the hand-in in Asia/Shanghai); later attempts,
passed or not, add nothing. Setting or changing the credit is not retroactive: it applies to passes after it.
The kind is 网络学习: the exam is taken on the platform, as the seed document's 网络学习教育平台 (a topic
session, 专题学习, is an activity an organization holds, which an exam is not).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope
from xuexi.errors import DomainError, Forbidden
from xuexi.exams.access import access_exam
from xuexi.exams.errors import ExamsError
from xuexi.exams.models import Attempt, Exam
from xuexi.learning import services as learning_services
from xuexi.learning.models import ActivityKind, PlatformCredit, PlatformSource
from xuexi.orgs.models import Organization

CREDIT_LIMIT = Decimal(24)
CREDIT_KIND = ActivityKind.ONLINE_LEARNING


def sets_credit(scope: Scope) -> bool:
    """Whether the viewer is an administrator of the province, the only one who sets exams' credit."""
    root = Organization.objects.filter(depth=1).order_by("path").first()
    return root is not None and scope.covers_path(root.path, write=True)


@transaction.atomic
def exam_credit_set(*, actor: User | None, scope: Scope, code: str, credit_hours: Decimal | None) -> Exam:
    """Set (or clear, with None) the hours an exam's pass credits; only an administrator of the province may."""
    exam = access_exam(scope=scope, code=code)
    if not sets_credit(scope):
        raise Forbidden(ExamsError.CREDIT_FORBIDDEN, "考试的“合格计入学时”（credit_hours）只能由省级组织管理员设置")
    if credit_hours is not None and not (Decimal(0) < credit_hours <= CREDIT_LIMIT
                                         and credit_hours == credit_hours.quantize(Decimal("0.01"))):
        raise DomainError(ExamsError.EXAM_INVALID, f"合格计入学时“{credit_hours}”无效，应为大于 0、不超过 "
                          f"{CREDIT_LIMIT} 的数（至多两位小数），或留空表示不计学时", field="credit_hours")
    before = exam.credit_hours
    exam.credit_hours = credit_hours
    exam.save(update_fields=["credit_hours"])
    audit_record(action="exam_credit_set", actor=actor, object_type="exam", object_id=exam.code,
                 object_repr=str(exam), detail={"before": before, "after": credit_hours})
    return exam


def credit_passed(attempt: Attempt) -> PlatformCredit | None:
    """Inside the hand-in: credit the exam's hours for a first pass; None when nothing is credited."""
    exam = attempt.exam
    if not attempt.passed or exam.credit_hours is None or attempt.submitted_at is None:
        return None
    if PlatformCredit.objects.filter(person_id=attempt.person_id, source=PlatformSource.EXAM,
                                     reference=exam.code).exists():
        return None
    return learning_services.platform_credit_record(
        person_id=attempt.person_id, source=PlatformSource.EXAM, reference=exam.code,
        day=timezone.localdate(attempt.submitted_at), hours=exam.credit_hours, title=exam.title, kind=CREDIT_KIND)
