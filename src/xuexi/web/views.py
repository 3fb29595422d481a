"""Pages: thin views over the domain selectors and services, always with the viewer's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xuexi.accounts.scope import Scope
from xuexi.assessment import selectors as assessment_selectors
from xuexi.errors import DomainError
from xuexi.library import selectors as library_selectors
from xuexi.norms import selectors as norms_selectors
from xuexi.orgs import selectors as org_selectors
from xuexi.orgs.access import access_org
from xuexi.pagination import page_number, paginate
from xuexi.people import selectors as people_selectors
from xuexi.people import services as people_services
from xuexi.people.access import access_person, may_reveal
from xuexi.supervision import selectors as supervision_selectors


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


WORKBENCH_DASHBOARDS = 5  # the first organizations of the scope whose rates the 工作台 shows


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """工作台: what the viewer's scope holds, and where to go next."""
    scope = _scope(request)
    context: dict[str, object] = {"me": request.user.person if request.user.person_id else None}  # type: ignore[union-attr]
    if not scope.admin_role:
        # 理论学习天天向上 comes first on everyone's workbench.
        context["pushes"] = library_selectors.pushes_for(scope=scope, date=timezone.localdate())
    if scope.sees_organizations:
        roots = list(org_selectors.org_roots(scope=scope))
        year, today = timezone.localdate().year, timezone.localdate()
        # The roster's size and its learning reach are kept with the standings: no count of people per view.
        reach = [norms_selectors.learning_reach(scope=scope, org=org, year=year) for org in roots]
        context.update(
            roots=roots, year=year,
            org_count=org_selectors.org_list(scope=scope).count(),
            person_count=sum(r.people for r in reach),
            learner_count=sum(r.learners for r in reach),
            supervision=[(org, norms_selectors.rule_rates(scope=scope, org=org, year=year, as_of=today))
                         for org in roots[:WORKBENCH_DASHBOARDS]],
            summary=supervision_selectors.rectification_summary(scope=scope, today=today),
        )
    return render(request, "web/workbench.html", context)


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """组织树: the viewer's top organizations, children loaded on demand; search by name or code."""
    scope = _scope(request)
    search = request.GET.get("q", "").strip()
    results = None
    if search:
        results = paginate(org_selectors.org_list(scope=scope, filters=org_selectors.OrgFilters(search=search)),
                           page=page_number(request))
    return render(request, "web/org_tree.html", {
        "roots": org_selectors.org_roots(scope=scope), "search": search, "results": results,
    })


@login_required
def org_children(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    return render(request, "web/org_tree.html#children", {
        "children": org_selectors.org_children(scope=scope, org=org),
    })


@login_required
def org_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    members = paginate(
        people_selectors.person_list(scope=scope, filters=people_selectors.PersonFilters(
            org_path=org.path, direct_only=True)),
        page=page_number(request),
    )
    return render(request, "web/org_detail.html", {
        "org": org,
        "breadcrumbs": org_selectors.org_breadcrumbs(scope=scope, org=org),
        "children": org_selectors.org_children(scope=scope, org=org),
        "members": members,
        "subtree_orgs": org_selectors.org_subtree_count(scope=scope, org=org),
        "subtree_people": people_selectors.person_count(scope=scope, org_path=org.path),
        "history": org_selectors.org_history(scope=scope, org=org)[:20],
        "can_write": scope.covers_path(org.path, write=True),
    })


@login_required
def person_search(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    search = request.GET.get("q", "").strip()
    results = None
    if search:
        results = paginate(
            people_selectors.person_list(scope=scope, filters=people_selectors.PersonFilters(search=search)),
            page=page_number(request),
        )
    return render(request, "web/person_search.html", {"search": search, "results": results})


@login_required
def person_detail(request: HttpRequest, number: str) -> HttpResponse:
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    return render(request, "web/person_detail.html", {
        "person": person,
        "groups": people_selectors.person_groups(person=person),
        "posts": people_selectors.person_posts(scope=scope, person=person),
        "transfers": people_selectors.person_transfers(scope=scope, person=person),
        "can_reveal": may_reveal(scope=scope, person=person),
        "can_write": scope.covers_path(person.org.path, write=True),
        "org_visible": scope.covers_path(person.org.path),
        # 奖惩 of the person (表彰 and 惩戒 they are named in), as the viewer may see them.
        "commendations": assessment_selectors.commendation_list(scope=scope, person=person)[:20],
        "penalties": assessment_selectors.penalty_list(scope=scope, person=person)[:20],
    })


@login_required
@require_POST
def person_reveal(request: HttpRequest, number: str) -> HttpResponse:
    """查看完整信息: the full numbers as an htmx fragment, audited; never cached."""
    numbers = people_services.person_reveal(actor=request.user, scope=_scope(request), number=number)  # type: ignore[arg-type]
    return render(request, "web/person_detail.html#revealed", {"numbers": numbers})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # One body for "does not exist" and "outside your scope": nothing of the target in it.
    return render(request, "web/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    detail = exception.detail if isinstance(exception, DomainError) else "您没有执行此操作的权限。"
    return render(request, "web/403.html", {"detail": detail}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)
