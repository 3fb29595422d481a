"""Reads of learning outcomes, always within the caller's scope.

The annual report (报送) and the 督学 dashboard read through `outcome_counts` and `outcomes_of`:

    counts = outcome_counts(scope=scope, org=org, year=2025)
    counts["调研报告"], counts["决策建议"], counts[ADOPTED]   # ADOPTED: of the 决策建议, those adopted

    for outcome in outcomes_of(scope=scope, org=org, year=2025):
        outcome.number, outcome.kind, outcome.title, outcome.date, outcome.org.name, outcome.adopted,
        outcome.decision_name, outcome.activities.all()  # (the source activities in scope, prefetched)
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from xuexi.accounts.scope import Scope
from xuexi.errors import NotFound
from xuexi.learning.models import Activity
from xuexi.orgs.models import Organization
from xuexi.outcomes.access import access_outcome
from xuexi.outcomes.errors import OutcomeError
from xuexi.outcomes.models import (
    ADOPTED_STATES,
    ExperienceEvent,
    ExperienceStatus,
    Outcome,
    OutcomeAttachment,
    OutcomeKind,
)
from xuexi.people.models import Person

# The key of outcome_counts for the adopted proposals: a part of 决策建议, never a sixth kind to add up.
ADOPTED = "决策建议（已采纳）"


def _year_q(year: int) -> Q:
    # A range, not __year, so that the (date, kind) index serves it.
    return Q(date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))


def _of(scope: Scope, org: Organization, subtree: bool, withdrawn: bool = False) -> QuerySet[Outcome]:
    scope.require_business_data()
    qs = Outcome.objects.filter(scope.org_q("org__"))
    if not withdrawn:
        # 撤回: a withdrawn outcome is kept, and counted nowhere.
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs.filter(org__path__startswith=org.path) if subtree else qs.filter(org=org)


def outcome_counts(*, scope: Scope, org: Organization, year: int, subtree: bool = True) -> dict[str, int]:
    """Count the year's outcomes by kind, with ADOPTED apart: the organization's and, by default, its subtree's.

    Every kind is a key (0 when none), in the order of OutcomeKind; ADOPTED counts the 决策建议 已采纳
    or 部分采纳, which are already counted under 决策建议. One query.
    """
    rows = (_of(scope, org, subtree).filter(_year_q(year)).order_by().values("kind")
            .annotate(n=Count("id"), adopted_n=Count("id", filter=Q(adoption__in=ADOPTED_STATES))))
    counts = dict.fromkeys([*OutcomeKind.values, ADOPTED], 0)
    for row in rows:
        counts[row["kind"]] = row["n"]
        counts[ADOPTED] += row["adopted_n"]
    return counts


def outcomes_of(
    *, scope: Scope, org: Organization, year: int | None, subtree: bool = False, kind: str = "",
    withdrawn: bool = False,
) -> QuerySet[Outcome]:
    """The outcomes of the organization (and its subtree, if asked) in a year (None: every year), newest first.

    Each row has its organization, and its source activities (those in scope) and authors prefetched. The
    withdrawn ones are left out unless asked for (the organization's own list shows them, marked).
    """
    qs = _of(scope, org, subtree, withdrawn)
    if year is not None:
        qs = qs.filter(_year_q(year))
    if kind:
        qs = qs.filter(kind=kind)
    return (qs.select_related("org")
            .prefetch_related(Prefetch("activities", queryset=_sources_in(scope)),
                              Prefetch("authors", queryset=Person.objects.order_by("number")))
            .order_by("-date", "-id"))


def experience_counts(*, scope: Scope, org: Organization, year: int, subtree: bool = True) -> dict[str, int]:
    """The year's 典型经验 by review status (已登记, 已报上级, 上级已审核, 已入库), withdrawn ones apart. One query."""
    rows = (_of(scope, org, subtree).filter(_year_q(year), kind=OutcomeKind.TYPICAL_EXPERIENCE).order_by()
            .values("status").annotate(n=Count("id")))
    counts = dict.fromkeys(ExperienceStatus.labels, 0)
    for row in rows:
        counts[ExperienceStatus(row["status"]).label] = row["n"]
    return counts


def experiences_to_review(*, scope: Scope) -> QuerySet[Outcome]:
    """The 典型经验 sent up to an organization the scope administers and not yet decided, oldest first."""
    scope.require_business_data()
    below = Q(pk__in=[])
    for path in scope.admin_paths:
        # Strictly below an administered organization: its level above is then administered too.
        below |= Q(org__path__startswith=path) & ~Q(org__path=path)
    return (Outcome.objects.filter(below, kind=OutcomeKind.TYPICAL_EXPERIENCE, withdrawn_at__isnull=True,
                                   status__in=[ExperienceStatus.SUBMITTED, ExperienceStatus.APPROVED])
            .select_related("org").order_by("updated_at", "id"))


def experience_events(*, outcome: Outcome) -> QuerySet[ExperienceEvent]:
    """The review history of an outcome already fetched through access_outcome, oldest first."""
    return ExperienceEvent.objects.filter(outcome=outcome).select_related("org").order_by("at", "id")


def _sources_in(scope: Scope) -> QuerySet[Activity]:
    return Activity.objects.filter(scope.org_q("host__")).order_by("start_date", "number")


def outcome_sources(*, scope: Scope, outcome: Outcome) -> tuple[list[Activity], int]:
    """The activities an outcome came from that the viewer sees, and how many others it names."""
    visible = list(_sources_in(scope).filter(outcome_rows__outcome=outcome).select_related("host"))
    total = outcome.source_rows.count()
    return visible, total - len(visible)


def outcome_authors(*, outcome: Outcome) -> QuerySet[Person]:
    """The authors of an outcome already fetched through access_outcome (people of its organization's subtree)."""
    return Person.objects.filter(outcome_rows__outcome=outcome).select_related("org").order_by("number")


def outcomes_citing(*, scope: Scope, activity: Activity) -> QuerySet[Outcome]:
    """The outcomes in scope that name an activity among their sources, newest first."""
    scope.require_business_data()
    return (Outcome.objects.filter(scope.org_q("org__"), source_rows__activity=activity)
            .select_related("org").order_by("-date", "-id"))


def outcome_attachments(*, outcome: Outcome) -> QuerySet[OutcomeAttachment]:
    return OutcomeAttachment.objects.filter(outcome=outcome, removed_at__isnull=True).order_by("uploaded_at", "id")


def attachment_for_download(*, scope: Scope, number: str, attachment_id: int) -> OutcomeAttachment:
    """An attachment of an outcome in scope; outside the scope it answers as a missing one."""
    outcome = access_outcome(scope=scope, number=number)
    attachment = outcome_attachments(outcome=outcome).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(OutcomeError.ATTACHMENT_NOT_FOUND, f"附件 {attachment_id} 不存在")
    return attachment
