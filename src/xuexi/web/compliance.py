"""制度落实 pages: a subject's rows with the records behind them, and a subtree's roll-up (一级抓一级)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from xuexi.accounts.scope import Scope
from xuexi.norms import selectors as norms_selectors
from xuexi.norms.engine import STATUS_LABELS
from xuexi.orgs.access import access_org
from xuexi.people.access import access_person


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined,no-any-return]


def _year_and_day(request: HttpRequest) -> tuple[int, date]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = today.year
    year = min(max(year, 2010), today.year)
    return year, today


@login_required
def person_compliance(request: HttpRequest, number: str) -> HttpResponse:
    scope = _scope(request)
    person = access_person(scope=scope, number=number)
    year, today = _year_and_day(request)
    rows = norms_selectors.subject_compliance(scope=scope, subject=person, year=year, as_of=today)
    return render(request, "web/compliance/subject.html", {
        "subject_name": person.name, "person": person, "rows": rows, "year": year, "as_of": today,
        "labels": STATUS_LABELS, "years": range(today.year, 2009, -1),
    })


@login_required
def org_compliance(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    org = access_org(scope=scope, code=code)
    year, today = _year_and_day(request)
    own = norms_selectors.subject_compliance(scope=scope, subject=org, year=year, as_of=today)
    rollup = norms_selectors.subtree_rollup(scope=scope, org=org, year=year, as_of=today)
    return render(request, "web/compliance/org.html", {
        "org": org, "rows": own, "rollup": rollup, "year": year, "as_of": today, "labels": STATUS_LABELS,
        "years": range(today.year, 2009, -1),
    })
