"""The HTTP API under /api: one router per app, one error shape, session or token sign-in."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from xuexi.accounts.api import router as accounts_router
from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AuditOutcome, User
from xuexi.accounts.services import api_token_user
from xuexi.accounts.sign_in_steps import needs_password_change, needs_second_factor
from xuexi.assessment.api import router as assessment_router
from xuexi.errors import DomainError, ErrorKind
from xuexi.exams.api import router as exams_router
from xuexi.learning.api import router as learning_router
from xuexi.learning.api_planning import campaign_router, plan_router
from xuexi.library.api import router as library_router
from xuexi.mylearning.api import router as mylearning_router
from xuexi.norms.api import router as norms_router
from xuexi.orgs.api import router as orgs_router
from xuexi.outcomes.api import router as outcomes_router
from xuexi.people.api import router as people_router
from xuexi.reports.api import router as reports_router
from xuexi.studyreports.api import router as study_reports_router
from xuexi.supervision.api import router as supervision_router


class _Session(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        if needs_password_change(user) or (needs_second_factor(user) and not user.is_verified()):
            return None
        return user


class _Token(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


def _signed_in_for_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and its docs page are for signed-in users who have finished signing in."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _Session().authenticate(request, None) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"code": "unauthenticated", "detail": "请先登录"}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


api = NinjaAPI(
    title="xuexi 学习型党组织建设平台 API",
    version="1",
    description=(
        "组织、人员及后续业务的接口。认证：网页登录后的会话（需 CSRF 令牌），"
        "或 `Authorization: Bearer <令牌>`。"
    ),
    auth=[_Session(), _Token()],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=_signed_in_for_docs,
)

_STATUS = {
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.INVALID: 422,
    ErrorKind.CONFLICT: 409,
}


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    if exc.kind in (ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN) and not exc.audited:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        audit_record(action="access_refused", actor=user, outcome=AuditOutcome.DENIED,
                     object_type="path", object_repr=request.path[:255], detail={"code": exc.code})
    return api.create_response(request, exc.as_dict(), status=_STATUS[exc.kind])


# Pydantic's messages by error type, in Chinese; the limit, when the type has one, from its context.
_VALIDATION_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不接受此字段",
    "date_parsing": "应为日期，如 2025-03-01",
    "date_from_datetime_parsing": "应为日期，如 2025-03-01",
    "date_type": "应为日期，如 2025-03-01",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "model_type": "应为对象",
    "json_invalid": "不是有效的 JSON",
    "string_too_long": "过长，至多 {max_length} 个字符",
    "string_too_short": "过短，至少 {min_length} 个字符",
    "too_long": "过多，至多 {max_length} 项",
    "too_short": "过少，至少 {min_length} 项",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "decimal_max_digits": "位数过多，至多 {max_digits} 位",
    "decimal_max_places": "小数位过多，至多 {decimal_places} 位",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
}


def _in_chinese(error: dict[str, Any]) -> str:
    template = _VALIDATION_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", "无效"))
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split("，")[0]


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        location = list(error.get("loc", ()))
        # ("body", "payload", "path"): the body's parameter name says nothing to the caller.
        parts = location[2:] if location[:1] == ["body"] and len(location) > 2 else location[1:]
        where = ".".join(str(p) for p in parts) or "请求"
        problems.append(f"{where}：{_in_chinese(error)}")
    return api.create_response(
        request,
        {"code": "invalid_input", "detail": "；".join(problems) or "请求格式不正确", "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"code": "unauthenticated", "detail": "请先登录或提供有效的 API 令牌"},
                               status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"code": "http_error", "detail": str(exc)}, status=exc.status_code)


api.add_router("/accounts", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/people", people_router)
# The learning router names its own nouns: /activities, /claims, /credit-rules, /people/{number}/archive.
api.add_router("", learning_router)
api.add_router("/campaigns", campaign_router)
api.add_router("/plans", plan_router)
# The norms router names its own nouns too: /rules, /compliance, /exemptions.
api.add_router("", norms_router)
# 成果转化: /outcomes.
api.add_router("", outcomes_router)
api.add_router("", library_router)
# 年度学习总结和计划: /reports.
api.add_router("", reports_router)
# 督学检查: /inspections.
api.add_router("", supervision_router)
# 述学: /study-reports.
api.add_router("", study_reports_router)
# 考学: /exams/questions.
api.add_router("/exams", exams_router)
# 评学和奖惩: /assessment/evaluations, /assessment/scorecard, /assessment/weights, /assessment/sanctions.
api.add_router("/assessment", assessment_router)
# 我的学习 and 学习积分: /me/learning, /me/points.
api.add_router("", mylearning_router)

__all__ = ["api"]
