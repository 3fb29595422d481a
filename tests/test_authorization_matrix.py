"""The authorization matrix: every URL pattern and API operation × every persona × every position.

Positions are the county administrator's view of the persona tree in conftest.py:

    organizations  own K1 · descendant T1 · sibling K2 · ancestor C1 · unrelated K3
    people         own CAD1 (K1) · descendant MEM1 (B1) · sibling SIB1 (K2) · ancestor ANC1 (C1)
                   · unrelated MEM2 (K3)

and every other persona asks for the same objects; routes without an object are checked per
persona. Each cell states one expected answer, worked out below in plain Python from the parent
relation (never from the code's paths):

- inside the read scope a read answers 200; outside it 404, with a body identical to the one for
  an identifier that does not exist (the identifier the caller typed aside);
- a write needs the write scope: visible but read-only (a reviewer, or a person on their own
  record) is 403, outside is 404; a refused write changes nothing, an allowed one takes effect;
  a page form that names an unseen destination shows the same field error as for a missing one;
- anonymous callers are sent to sign in (302) from pages and get 401 from the API;
- 三员 accounts (system, security, audit) see no business data: 404 on every org/person route;
- the audit log is the auditor's alone; the account pages are the system and security
  administrators' (each for their own actions); Django's admin is the system administrator's.

A route that the URLconf or the OpenAPI schema holds but ROUTES does not fails the suite.
Building the tree and the sessions takes a while, so it is done once for the module (with the
conftest fixtures' own bodies) and each cell runs in a savepoint that is rolled back.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests import conftest, factories
from xuexi.accounts.models import AuditEvent, ScopeGrant, User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.api import api
from xuexi.learning import attachments
from xuexi.learning import services as learning_services
from xuexi.learning.models import (
    Activity,
    Attachment,
    Attendance,
    Campaign,
    CreditRule,
    LearningClaim,
    PersonalPlan,
    RankingSwitch,
    StudyPlan,
)
from xuexi.norms import models as norms_models
from xuexi.orgs import services as org_services
from xuexi.orgs.models import Organization, OrganizationChange
from xuexi.outcomes import services as outcome_services
from xuexi.outcomes.models import Outcome, OutcomeAttachment
from xuexi.people import personal_numbers
from xuexi.people import services as people_services
from xuexi.people.models import Person, Transfer
from xuexi.reports import services as report_services
from xuexi.reports.models import AnnualReport
from xuexi.studyreports.models import StudyReport, StudyReportCall
from xuexi.supervision import services as supervision_services
from xuexi.supervision.models import ChecklistItem, Evidence, Finding, Inspection, RectificationItem

# -- the tree, in plain Python -------------------------------------------------------------------
PARENT = {"P": "", "C1": "P", "K1": "C1", "T1": "K1", "B1": "T1", "K2": "C1", "C2": "P", "K3": "C2"}
PERSON_ORG = {"CAD1": "K1", "MEM1": "B1", "SIB1": "K2", "ANC1": "C1", "MEM2": "K3"}
# Transfers stay close to home, so an administrator over the person can make them.
TRANSFER_TO = {"CAD1": "T1", "MEM1": "T1", "SIB1": "C1", "ANC1": "K2", "MEM2": "C2"}

ORG, PERSON, NO_OBJECT = "org", "person", "none"
POSITIONS = {
    ORG: {"own": "K1", "descendant": "T1", "sibling": "K2", "ancestor": "C1", "unrelated": "K3"},
    PERSON: {"own": "CAD1", "descendant": "MEM1", "sibling": "SIB1", "ancestor": "ANC1",
             "unrelated": "MEM2"},
    NO_OBJECT: {"-": ""},
}
MISSING, MISSING_DEST = "ZZ404", "ZZ404D"  # identifiers that exist nowhere
NEW_ORG, NEW_PERSON, NEW_NAME, NEW_ACCOUNT = "ZNEW1", "ZNEWP1", "改名后的名称", "znew_account"
NEW_ACTIVITY = "ZNEWA1"
NEW_CAMPAIGN = "ZNEWZT"
UNKNOWN_PAGE = "/zz-no-such-page/"


def _inside(code: str, root: str) -> bool:
    while code:
        if code == root:
            return True
        code = PARENT.get(code, "")
    return False


@dataclass(frozen=True)
class Persona:
    admin: tuple[str, ...] = ()
    review: tuple[str, ...] = ()
    person: str = ""
    separated: str = ""  # 三员: system, security or audit
    signed_in: bool = True

    def reads_org(self, code: str) -> bool:
        return any(_inside(code, root) for root in self.admin + self.review)

    def writes_org(self, code: str) -> bool:
        return any(_inside(code, root) for root in self.admin)

    def reads_person(self, number: str) -> bool:
        return number == self.person or self.reads_org(PERSON_ORG.get(number, ""))

    def writes_person(self, number: str) -> bool:
        return self.writes_org(PERSON_ORG.get(number, ""))

    def meets(self, code: str) -> bool:
        """The subtree of `code` and the read scope overlap: one lies inside the other (campaigns)."""
        return any(_inside(code, root) or _inside(root, code) for root in self.admin + self.review)

    def reads(self, target_kind: str, identifier: str) -> bool:
        return self.reads_person(identifier) if target_kind == PERSON else self.reads_org(identifier)


PERSONAS = {
    "province_admin": Persona(admin=("P",)),
    "city_admin": Persona(admin=("C1",)),
    "county_admin": Persona(admin=("K1",)),
    "other_county_admin": Persona(admin=("K3",)),
    "reviewer": Persona(review=("P",)),
    "cadre": Persona(person="CAD1"),
    "member": Persona(person="MEM1"),
    "auditor": Persona(separated="audit"),
    "system_admin": Persona(separated="system"),
    "security_admin": Persona(separated="security"),
    "anonymous": Persona(signed_in=False),
}

# -- expected answers ------------------------------------------------------------------------------
Expect = tuple[int, str]  # status, and where a redirect goes (its path, without the query)
OK, CREATED, FORBIDDEN, NOT_FOUND = (200, ""), (201, ""), (403, ""), (404, "")
TO_SIGN_IN, UNAUTHENTICATED = (302, "/accounts/sign-in/"), (401, "")
TO_ADMIN_SIGN_IN, TO_ACCOUNTS = (302, "/system-admin/login/"), (302, "/admin/accounts/")
FORM_ERROR = (200, "")  # a page form shown again, with the reason on its field
DONE = (0, "done")  # allowed: the route's own answer for a success (Route.done)
Rule = Callable[[Persona, str, str], Expect]


def read_org(p: Persona, code: str, dest: str) -> Expect:
    return DONE if p.reads_org(code) else NOT_FOUND


def read_person(p: Persona, number: str, dest: str) -> Expect:
    return DONE if p.reads_person(number) else NOT_FOUND


def _write(p: Persona, reads: bool, writes: bool, dest: str, dest_refused: Expect | None) -> Expect:
    # The object is checked first, then the destination (a new parent, a new organization).
    if not reads:
        return NOT_FOUND
    if not writes:
        return FORBIDDEN
    if dest and not p.reads_org(dest):
        return dest_refused or NOT_FOUND
    if dest and not p.writes_org(dest):
        return dest_refused or FORBIDDEN
    return DONE


def write_org(dest_refused: Expect | None = None) -> Rule:
    def rule(p: Persona, code: str, dest: str) -> Expect:
        return _write(p, p.reads_org(code), p.writes_org(code), dest, dest_refused)

    return rule


def write_person(dest_refused: Expect | None = None) -> Rule:
    def rule(p: Persona, number: str, dest: str) -> Expect:
        return _write(p, p.reads_person(number), p.writes_person(number), dest, dest_refused)

    return rule


def reveal(p: Persona, number: str, dest: str) -> Expect:
    if not p.reads_person(number):
        return NOT_FOUND
    return DONE if number == p.person or p.writes_person(number) else FORBIDDEN


def signed_in(p: Persona, _: str, __: str) -> Expect:
    return DONE


def business_data(p: Persona, _: str, __: str) -> Expect:
    return NOT_FOUND if p.separated else DONE


def only(*separated: str, refused: Expect = NOT_FOUND) -> Rule:
    def rule(p: Persona, _: str, __: str) -> Expect:
        return DONE if p.separated in separated else refused

    return rule


def already_signed_in(p: Persona, _: str, __: str) -> Expect:
    return (302, "/")


def back_to_sign_in(p: Persona, _: str, __: str) -> Expect:
    return TO_SIGN_IN


def no_such_page(p: Persona, _: str, __: str) -> Expect:
    return NOT_FOUND


# -- the world every cell runs in ------------------------------------------------------------------
@dataclass(frozen=True)
class World:
    sessions: dict[str, str]
    id_cards: dict[str, str]
    # One client for every cell: each new one loads the middleware again, WhiteNoise's scan included.
    browser: Client = field(default_factory=Client)
    # What a persona gets for an identifier that exists nowhere does not depend on the cell.
    missing_bodies: dict[tuple[str, str], str] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        """The shared client, holding nothing but the role's session (sign-out cells clear it)."""
        self.browser.cookies.clear()
        if role in self.sessions:
            self.browser.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return self.browser


def _build_world() -> World:
    # The conftest fixtures' own bodies (pytest keeps each as __wrapped__), run once: the tree
    # and the personas are exactly those of every other test.
    tree = conftest.tree.__wrapped__(None)
    factories.make_person(tree.sibling_county, number="SIB1", name="孙党员",
                          id_card=factories.valid_id_card(seq=44))
    factories.make_person(tree.city, number="ANC1", name="周干部",
                          id_card=factories.valid_id_card(seq=55))
    # One activity hosted by each organization, so that routes keyed by an activity number have positions.
    for code in PARENT:
        Activity.objects.create(number=f"ACT-{code}", kind="专题学习", host=Organization.objects.get(code=code),
                                start_date=date(2026, 3, 1), end_date=date(2026, 3, 1), topic=f"矩阵测试活动 {code}")
    _inspections_of_each()
    sessions = {}
    for role in [role for role, persona in PERSONAS.items() if persona.signed_in]:
        user = getattr(conftest, role).__wrapped__(tree)
        sessions[role] = conftest.signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    id_cards = {
        p.number: personal_numbers.decrypt(p.id_card_cipher, purpose="id_card")
        for p in Person.objects.filter(number__in=PERSON_ORG)
    }
    return World(sessions=sessions, id_cards=id_cards)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["tests.hashers.QuickArgon2PasswordHasher"]):
            built = _build_world()
        yield built
        transaction.set_rollback(True)


# -- requests and what they leave behind ----------------------------------------------------------
@dataclass(frozen=True)
class Req:
    method: str
    path: str
    body: dict[str, Any] | None = None
    form: bool = False  # a page form (multipart) rather than JSON


def _send(client: Client, req: Req) -> HttpResponse:
    if req.form:
        return client.post(req.path, req.body or {})
    data = "" if req.body is None else json.dumps(req.body)
    return client.generic(req.method, req.path, data=data, content_type="application/json")


# A page's CSRF token is masked anew for every response: in forms, and in htmx's headers.
_CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')


def _text(response: HttpResponse) -> str:
    raw = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True)
    return _CSRF_TOKEN.sub(r'\1"', raw)


def _answer(response: HttpResponse) -> Expect:
    return response.status_code, response.get("Location", "").split("?")[0]


def _state(req: Req) -> tuple[object, ...]:
    """What a write could change (a GET is taken for a read: the state is not compared)."""
    if req.method == "GET":
        return ()
    return (
        tuple(Organization.objects.order_by("code").values_list("code", "path", "name", "is_active")),
        tuple(Person.objects.order_by("number").values_list("number", "org__code", "name", "is_active")),
        tuple(User.objects.order_by("username").values_list("username", "is_active")),
        tuple(ScopeGrant.objects.order_by("pk").values_list("user__username", "org__code", "role")),
        OrganizationChange.objects.count(),
        Transfer.objects.count(),
    )


Effect = Callable[[World, str, str, HttpResponse], bool]


def _names_org(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Organization.objects.get(code=code).name in _text(response)


def _names_person(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return Person.objects.get(number=number).name in _text(response)


def _org_created(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    parent = Organization.objects.get(code=code)
    return Organization.objects.filter(code=NEW_ORG, path__startswith=parent.path).exists()


def _activity_created(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Activity.objects.filter(number=NEW_ACTIVITY, host__code=code).exists()


def _pending_claim(number: str) -> None:
    from datetime import date

    LearningClaim.objects.create(person=Person.objects.get(number=number), title="矩阵测试申报",
                                 start_date=date(2025, 5, 6), end_date=date(2025, 5, 6), hours=2)


def _decision(number: str, dest: str) -> dict[str, Any]:
    # The twin request (an identifier that does not exist) has no claim to name.
    claim = LearningClaim.objects.filter(person__number=number, title="矩阵测试申报").first()
    return {"claim": claim.pk if claim else 0, "decision": "certify"}


def _claim_certified(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return LearningClaim.objects.filter(person__number=number, status="certified").exists()


def _own_claim(number: str, dest: str) -> dict[str, Any]:
    return {"title": "矩阵测试自学", "kind": "个人自学", "start_date": "2025-05-06", "hours": "2"}


def _claim_submitted(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return LearningClaim.objects.filter(person__number=number, title="矩阵测试自学").exists()


MATRIX_CLAIM = 990001  # one fixed id: the twin request names the same id before the claim exists


def _pending_api_claim(number: str) -> None:
    LearningClaim.objects.create(pk=MATRIX_CLAIM, person=Person.objects.get(number=number), title="矩阵接口申报",
                                 start_date=date(2025, 5, 6), end_date=date(2025, 5, 6), hours=2)


def _names_activity(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return f"矩阵测试活动 {code}" in _text(response)


def _api_claim_submitted(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return LearningClaim.objects.filter(title="矩阵接口自学").exists()


def _credit_rule_changed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return CreditRule.objects.filter(kind="讲党课", hours_per_session=Decimal("2.5")).exists()


def claims_for_oneself(p: Persona, _: str, __: str) -> Expect:
    """A claim is one's own: an account tied to a person submits, others are refused."""
    if p.separated:
        return NOT_FOUND
    return DONE if p.person else FORBIDDEN


def sets_credit_rules(p: Persona, _: str, __: str) -> Expect:
    """学时认定规则 are the province's: an administrator of the root sets them, others only read."""
    if p.separated:
        return NOT_FOUND
    return DONE if p.writes_org("P") else FORBIDDEN


# 主题教育 and 学习计划: the campaign ZT-<code> is organized by and covers the organization in the position,
# and ZA-<code> is an activity it hosted within the campaign's period.
def meets_org(p: Persona, code: str, dest: str) -> Expect:
    return DONE if p.meets(code) else NOT_FOUND


def write_campaign(p: Persona, code: str, dest: str) -> Expect:
    return _write(p, p.meets(code), p.writes_org(code), dest, None)


def writes_some_org(p: Persona, _: str, __: str) -> Expect:
    if p.admin:
        return DONE
    return FORBIDDEN if p.review else NOT_FOUND


def new_campaign_form(p: Persona, code: str, dest: str) -> Expect:
    """Only administrators open the form; an organizer outside their write scope is a field error."""
    if not p.admin:
        return FORBIDDEN if p.review else NOT_FOUND
    return DONE if p.writes_org(code) else FORM_ERROR


def own_or_write_person(p: Persona, number: str, dest: str) -> Expect:
    """The person themselves, or an administrator over them; others who see them are refused."""
    if not p.reads_person(number):
        return NOT_FOUND
    return DONE if number == p.person or p.writes_person(number) else FORBIDDEN


def _campaign_of(code: str) -> None:
    learning_services.campaign_save(actor=None, scope=whole_tree_scope(), data=learning_services.CampaignInput(
        code=f"ZT-{code}", name="矩阵测试主题教育", start_date=date(2025, 1, 1), end_date=date(2025, 12, 31),
        organizer_code=code, covers_code=code, requirements=[("县级", "中心组集体学习", 1)]))


def _campaign_and_activity(code: str) -> None:
    _campaign_of(code)
    learning_services.activity_save(actor=None, scope=whole_tree_scope(), data=learning_services.ActivityInput(
        number=f"ZA-{code}", kind="专题学习", host_code=code, start_date=date(2025, 5, 6), topic="矩阵测试专题学习"))


def _campaign_with_activity(code: str) -> None:
    _campaign_and_activity(code)
    learning_services.campaign_activity_add(actor=None, scope=whole_tree_scope(), campaign_code=f"ZT-{code}",
                                            activity_number=f"ZA-{code}")


def _campaign_fields(code: str) -> dict[str, Any]:
    return {"name": NEW_NAME, "start_date": "2025-01-01", "end_date": "2025-12-31", "organizer_code": code,
            "covers_code": code}


def _campaign_form(code: str, dest: str) -> dict[str, Any]:
    return {**_campaign_fields(code), "themes": "学理论、学政策", "requirements": "县级 中心组集体学习 1"}


def _new_campaign_form(code: str, dest: str) -> dict[str, Any]:
    return {**_campaign_form(code, dest), "code": NEW_CAMPAIGN}


def _campaign_body(code: str, dest: str) -> dict[str, Any]:
    return {**_campaign_fields(code), "themes": ["学理论"],
            "requirements": [{"level": "县级", "kind": "中心组集体学习", "minimum": 1}]}


def _new_campaign_body(code: str, dest: str) -> dict[str, Any]:
    return {**_campaign_body(code, dest), "code": NEW_CAMPAIGN}


def _campaign_created(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Campaign.objects.filter(code=NEW_CAMPAIGN, organizer__code=code).exists()


def _campaign_renamed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Campaign.objects.filter(code=f"ZT-{code}", name=NEW_NAME).exists()


def _activity_in_campaign(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Activity.objects.filter(number=f"ZA-{code}", campaign__code=f"ZT-{code}").exists()


def _activity_out_of_campaign(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Activity.objects.filter(number=f"ZA-{code}", campaign__isnull=True).exists()


def _org_plan_of(code: str) -> None:
    learning_services.study_plan_save(actor=None, scope=whole_tree_scope(), org_code=code, year=2025,
                                      title="矩阵测试计划", items=[])


def _personal_plan_of(number: str) -> None:
    learning_services.personal_plan_save(actor=None, scope=whole_tree_scope(), person_number=number, year=2025,
                                         goal_hours=Decimal(100))


def _org_plan_body(code: str, dest: str) -> dict[str, Any]:
    return {"year": 2025, "title": NEW_NAME, "reading_list": ["《中国共产党章程》"],
            "items": [{"quarter": 1, "kind": "中心组集体学习", "topic": "矩阵测试"}]}


def _org_plan_form(code: str, dest: str) -> dict[str, Any]:
    return {"year": "2025", "title": NEW_NAME, "items": "1 中心组集体学习 矩阵测试", "reading_list": ""}


def _org_plan_saved(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return StudyPlan.objects.filter(org__code=code, year=2025, title=NEW_NAME).exists()


def _personal_plan_body(number: str, dest: str) -> dict[str, Any]:
    return {"year": 2025, "goal_hours": "120", "topics": ["党史"], "books": ["《中国共产党章程》"]}


def _personal_plan_form(number: str, dest: str) -> dict[str, Any]:
    return {"year": "2025", "goal_hours": "120", "topics": "党史", "books": "《中国共产党章程》"}


def _personal_plan_saved(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return PersonalPlan.objects.filter(person__number=number, year=2025, goal_hours=120).exists()


# 制度要求: the province's rules are seeded on every database; ZR-<code> is the rule the organization in the
# position made for its subtree, which those whose scope meets that subtree see. Exemptions are of the
# province's off-job training rule, for the person in the position.
OFF_JOB_RULE = "leader-off-job-training-110h"
NEW_RULE = "ZNEWR1"
MATRIX_EXEMPTION = 990002  # one fixed id: the twin request names the same id before the exemption exists


def _rule_of(code: str) -> None:
    rule = norms_models.Rule.objects.create(code=f"ZR-{code}", owner=Organization.objects.get(code=code))
    norms_models.RuleVersion.objects.create(
        rule=rule, effective_from=date(2025, 1, 1), name="矩阵测试规则", source="矩阵测试：每年至少讲一次党课",
        subject_type="org", metric="hosted", kinds=["讲党课"], period="year", required=1)


def _exemption_of(number: str) -> None:
    norms_models.Exemption.objects.create(
        pk=MATRIX_EXEMPTION, rule=norms_models.Rule.objects.get(code=OFF_JOB_RULE),
        person=Person.objects.get(number=number), period="2025", reason="矩阵测试豁免", granted_by="matrix")


def _new_rule_fields(owner: str, dest: str) -> dict[str, Any]:
    return {"code": NEW_RULE, "owner_code": owner, "effective_from": "2025-01-01", "name": "矩阵测试新规则",
            "source": "矩阵测试：每年至少讲一次党课", "subject_type": "org", "metric": "hosted", "period": "year",
            "required": "1"}


def _new_rule_form(owner: str, dest: str) -> dict[str, Any]:
    return {**_new_rule_fields(owner, dest), "kinds": "讲党课", "window_years": "1"}


def _new_rule_body(owner: str, dest: str) -> dict[str, Any]:
    return {**_new_rule_fields(owner, dest), "kinds": ["讲党课"]}


def _rule_created(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return norms_models.Rule.objects.filter(code=NEW_RULE, owner__code=code).exists()


def _version_form(_: str, __: str) -> dict[str, Any]:
    return {"effective_from": "2030-01-01", "required": "3", "enabled": "on", "name": "矩阵测试新版本"}


def _template_form(_: str, __: str) -> dict[str, Any]:
    return {"sector": "农村", "effective_from": "2030-01-01", f"figure_{OFF_JOB_RULE}": "100"}


def _templated(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return norms_models.RuleVersion.objects.filter(rule__code=OFF_JOB_RULE, effective_from=date(2030, 1, 1),
                                                   sector_required={"农村": "100"}).exists()


def _version_body(_: str, __: str) -> dict[str, Any]:
    return {"effective_from": "2030-01-01", "required": "3"}


def _versioned(rule_code: str) -> Effect:
    def effect(world: World, code: str, dest: str, response: HttpResponse) -> bool:
        return norms_models.RuleVersion.objects.filter(rule__code=rule_code.format(code),
                                                       effective_from=date(2030, 1, 1), required=3).exists()

    return effect


def _exemption_form(number: str, dest: str) -> dict[str, Any]:
    return {"subject_type": "person", "subject": number, "period": "2025", "reason": "矩阵测试豁免"}


def _exemption_body(number: str, dest: str) -> dict[str, Any]:
    return {"rule": OFF_JOB_RULE, "person_number": number, "period": "2025", "reason": "矩阵测试豁免"}


def _exempted(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return norms_models.Exemption.objects.filter(rule__code=OFF_JOB_RULE, person__number=number).exists()


def _exemption_revoked(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return not norms_models.Exemption.objects.filter(pk=MATRIX_EXEMPTION).exists()


def edits_province_rule(p: Persona, _: str, __: str) -> Expect:
    """The province's rules are the province's: an administrator of the root adds versions, others who see them
    are refused."""
    if p.separated:
        return NOT_FOUND
    return DONE if p.writes_org("P") else FORBIDDEN


def creates_rule_form(p: Persona, code: str, dest: str) -> Expect:
    """Administrators add rules; an owner outside their write scope is the field error a missing code gets."""
    if p.separated:
        return NOT_FOUND
    if not p.admin:
        return FORBIDDEN
    return DONE if p.writes_org(code) else FORM_ERROR


def grants_exemption_form(p: Persona, number: str, dest: str) -> Expect:
    """Administrators grant exemptions; a subject outside their write scope is the field error a missing one gets."""
    if p.separated:
        return NOT_FOUND
    if not p.admin:
        return FORBIDDEN
    return DONE if p.writes_person(number) else FORM_ERROR


def reads_some_org(p: Persona, _: str, __: str) -> Expect:
    return DONE if p.admin or p.review else NOT_FOUND


def imports(p: Persona, _: str, __: str) -> Expect:
    if p.admin:
        return DONE
    return FORBIDDEN if p.review else NOT_FOUND


def confirms_nothing(p: Persona, _: str, __: str) -> Expect:
    """A confirmation of an upload that was never previewed: not found, or refused to a reviewer first."""
    return FORBIDDEN if p.review and not p.admin else NOT_FOUND


def _upload(_: str, __: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = "组织编码,组织名称,上级组织编码,组织层级,组织类型,单位类别\nZX1,新组织,K1,基层,党支部,农村\n"
    return {"table": "orgs", "file": SimpleUploadedFile("orgs.csv", content.encode())}


def own_person(p: Persona, number: str, dest: str) -> Expect:
    """Only the person themselves: others who see them are refused, others who don't get 404."""
    if not p.reads_person(number):
        return NOT_FOUND
    return DONE if p.person == number else FORBIDDEN


def _org_renamed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Organization.objects.get(code=code).name == NEW_NAME


def _org_moved(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return OrganizationChange.objects.filter(org__code=code, action="move").exists()


def _org_deactivated(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return not Organization.objects.get(code=code).is_active


def _person_created(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Person.objects.filter(number=NEW_PERSON, org__code=code).exists()


def _person_renamed(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return Person.objects.get(number=number).name == NEW_NAME


def _person_transferred(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return Person.objects.get(number=number).org.code == dest


def _numbers_revealed(world: World, number: str, dest: str, response: HttpResponse) -> bool:
    return world.id_cards[number] in _text(response)


def _account_created(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return User.objects.filter(username=NEW_ACCOUNT).exists()


def _cadre_disabled(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return not User.objects.get(username="cadre").is_active


def _cadre_unlocked(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return AuditEvent.objects.filter(action="account_unlock", object_repr="cadre").exists()


def _member_granted(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return ScopeGrant.objects.filter(user__username="member", org__code="K2").exists()


def _county_grant_removed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return not ScopeGrant.objects.filter(user__username="county_admin").exists()


def _nothing(target: str) -> None:
    return None


def _emptied(code: str) -> None:
    """Make an organization deactivatable: its people leave, its descendants are deactivated."""
    scope = whole_tree_scope()
    org = Organization.objects.get(code=code)
    for number in Person.objects.filter(org__path__startswith=org.path).values_list("number", flat=True):
        people_services.person_transfer(actor=None, scope=scope, number=number, to_org_code="P")
    below = Organization.objects.filter(path__startswith=org.path, depth__gt=org.depth)
    for child in below.order_by("-depth").values_list("code", flat=True):
        org_services.org_deactivate(actor=None, scope=scope, code=child)


# 督学检查: ZI-<code> is the inspection of the organization in the position by its parent, built with the world,
# with one finding and its item 第 1 项, which the organization owes. Routes on ZI-K1 alone are checked per persona.
INSPECTION_YEAR = 2025
NEW_INSPECTION = "ZNEWI1"


def _inspections_of_each() -> None:
    scope = whole_tree_scope()
    for code, parent in PARENT.items():
        if not parent:
            continue
        inspection = supervision_services.inspection_plan(
            actor=None, scope=scope, inspector_code=parent, data=supervision_services.InspectionInput(
                number=f"ZI-{code}", title=f"矩阵督学检查 {code}", year=INSPECTION_YEAR, start_date=date(2025, 11, 1),
                end_date=date(2025, 11, 3), inspected_codes=[code],
                inspectors=[supervision_services.InspectorInput("矩阵检查员")]))
        item = inspection.targets.get().checklist.get(area="central_group")
        finding = supervision_services.finding_record(actor=None, scope=scope, number=inspection.number,
                                                      item_id=item.pk, text="矩阵问题")
        supervision_services.rectification_issue(actor=None, scope=scope, number=inspection.number,
                                                 finding_id=finding.pk, requirement="矩阵整改要求",
                                                 responsible_code=code, due_date=date(2099, 12, 31))


def _answered(code: str) -> None:
    """The owing organization answered 第 1 项 of ZI-<code>, with a file."""
    code = code or "K1"
    owing = Scope(admin_paths=(Organization.objects.get(code=code).path,))
    supervision_services.rectification_answer(
        actor=None, scope=owing, number=f"ZI-{code}", seq=1, measures="矩阵整改措施",
        files=[supervision_services.EvidenceFile("矩阵佐证.pdf", MATRIX_PDF)])


def sees_inspection_of(code: str) -> Rule:
    """A fixed inspection, ZI-<code>: seen by those who see the organization inspected."""
    return lambda p, _, __: DONE if p.reads_org(code) else NOT_FOUND


def inspects(p: Persona, code: str, dest: str) -> Expect:
    """The inspecting side (write scope over the parent) changes ZI-<code>; others who see it are refused."""
    return _write(p, p.reads_org(code), p.writes_org(PARENT[code]), "", None)


def answers(p: Persona, code: str, dest: str) -> Expect:
    """The owing organization's administrators answer, never the inspecting side."""
    if not p.reads_org(code):
        return NOT_FOUND
    return DONE if p.writes_org(code) and not p.writes_org(PARENT[code]) else FORBIDDEN


def fixed(rule: Callable[[Persona, str, str], Expect], code: str = "K1") -> Rule:
    return lambda p, _, __: rule(p, code, "")


def plans_from(p: Persona, code: str, dest: str) -> Expect:
    return _write(p, p.reads_org(code), p.writes_org(code), "", None)


def _item_of(code: str, area: str = "training") -> int:
    item = ChecklistItem.objects.filter(target__inspection__number=f"ZI-{code}", area=area).first()
    return item.pk if item else 0


def _finding_of(code: str) -> int:
    finding = Finding.objects.filter(inspection__number=f"ZI-{code}").first()
    return finding.pk if finding else 0


def _new_inspection_fields(_: str, __: str) -> dict[str, Any]:
    return {"number": NEW_INSPECTION, "title": "矩阵新检查", "year": INSPECTION_YEAR, "start_date": "2025-11-01",
            "end_date": "2025-11-03"}


def _new_inspection_form(_: str, __: str) -> dict[str, Any]:
    return {**_new_inspection_fields(_, __), "inspected_codes": "K1", "inspectors": "矩阵检查员", "description": ""}


def _inspection_planned(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return Inspection.objects.filter(number=NEW_INSPECTION, inspector_org__code="C1").exists()


def _inspection_edit_form(_: str, __: str) -> dict[str, Any]:
    return {"title": NEW_NAME, "status": "in_progress", "start_date": "2025-11-01", "end_date": "2025-11-03",
            "inspected_codes": "K1", "inspectors": "矩阵检查员", "description": ""}


def _inspection_renamed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return Inspection.objects.filter(number="ZI-K1", title=NEW_NAME).exists()


def _names_inspection(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return f"矩阵督学检查 {code}" in _text(response)


def _found_on(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Finding.objects.filter(inspection__number=f"ZI-{code or 'K1'}", text="矩阵新问题").exists()


def _second_item(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return RectificationItem.objects.filter(inspection__number="ZI-K1", seq=2).exists()


def _item_in(status: str) -> Effect:
    def effect(world: World, code: str, dest: str, response: HttpResponse) -> bool:
        return RectificationItem.objects.filter(inspection__number=f"ZI-{code or 'K1'}", seq=1, status=status).exists()

    return effect


def _evidence_upload(_: str, __: str) -> dict[str, Any]:
    upload = io.BytesIO(MATRIX_PDF)
    upload.name = "矩阵佐证.pdf"
    return {"measures": "矩阵整改措施", "files": upload}


def _evidence_of(path: str) -> Callable[[str, str], Req]:
    def request(code: str, dest: str) -> Req:
        found = Evidence.objects.filter(item__inspection__number=f"ZI-{code or 'K1'}").first()
        return Req("GET", path.format(code, found.pk if found else 0))

    return request


# 评学和奖惩: the evaluation MATRIX_EVALUATION is organized by 甲市 (C1), with 李书记's grade; the penalty
# MATRIX_PENALTY is C1's 限期整改 of 丙县 (K1); C1 commended K1 with a file. Seen by those who see C1 (the
# evaluation) or K1 or C1 (the penalty, the file); changed by C1's administrators; weights by the province's.
MATRIX_EVALUATION, MATRIX_PENALTY = 990100, 990200
ASSESSMENT_YEAR = 2025


def _evaluation_of_c1(_: str = "") -> None:
    from xuexi.assessment.models import DemocraticReview, Evaluation

    if not Evaluation.objects.filter(pk=MATRIX_EVALUATION).exists():
        evaluation = Evaluation.objects.create(
            pk=MATRIX_EVALUATION, org=Organization.objects.get(code="C1"), year=ASSESSMENT_YEAR, title="矩阵评学",
            kind="民主评议党员", opens=date(2025, 12, 1), closes=date(2025, 12, 31), excellent_cap=100)
        DemocraticReview.objects.create(evaluation=evaluation, person=Person.objects.get(number="CAD1"),
                                        qualified_votes=5, grade="合格")


def _penalty_of_k1(_: str = "") -> None:
    from xuexi.assessment.models import Penalty

    if not Penalty.objects.filter(pk=MATRIX_PENALTY).exists():
        Penalty.objects.create(pk=MATRIX_PENALTY, kind="限期整改", org=Organization.objects.get(code="K1"),
                               granted_by=Organization.objects.get(code="C1"), reason="矩阵整改", date=date(2025, 6, 1),
                               deadline=date(2099, 1, 1), rectify_status="open")


def _commendation_file(_: str, __: str) -> Req:
    from xuexi.assessment import services as assessment_services
    from xuexi.assessment.models import SanctionEvidence

    found = SanctionEvidence.objects.filter(commendation__reason="矩阵表彰").first()
    if found is None:
        assessment_services.commendation_grant(
            actor=None, scope=whole_tree_scope(), files=[assessment_services.EvidenceFile("矩阵表彰.pdf", MATRIX_PDF)],
            data=assessment_services.SanctionInput(kind="先进集体", granted_by_code="C1", reason="矩阵表彰",
                                                   date=date(2025, 6, 1), org_code="K1"))
        found = SanctionEvidence.objects.get(commendation__reason="矩阵表彰")
    return Req("GET", f"/assessment/evidence/{found.pk}/")


def _assessment_exists(model: str, **lookup: Any) -> Effect:
    def effect(world: World, _: str, __: str, response: HttpResponse) -> bool:
        from django.apps import apps

        return apps.get_model("assessment", model).objects.filter(**lookup).exists()

    return effect


def sees_k1_or_c1(p: Persona, _: str, __: str) -> Expect:
    return DONE if p.reads_org("K1") or p.reads_org("C1") else NOT_FOUND


def decides_for_k1(p: Persona, _: str, __: str) -> Expect:
    """C1 decided the penalty of K1: those who see either see it; C1's administrators change it."""
    if not (p.reads_org("K1") or p.reads_org("C1")):
        return NOT_FOUND
    return DONE if p.writes_org("C1") else FORBIDDEN


_WEIGHTS = {"norms_weight": 30, "exams_weight": 30, "reports_weight": 20, "review_weight": 20}
_ALL_WEIGHTS = {**_WEIGHTS, "rating_excellent": 100, "rating_good": 85, "rating_fair": 70, "rating_poor": 50,
                "rating_missing": 0, "grade_excellent": 100, "grade_qualified": 85, "grade_basic": 60,
                "grade_unqualified": 0}
_SANCTION = {"granted_by_code": "C1", "org_code": "K1", "person_number": "", "reason": NEW_NAME,
             "date": "2025-06-01"}


def _review_sheet(_: str, __: str) -> dict[str, Any]:
    from xuexi.exchange.files import write_xlsx

    upload = io.BytesIO(write_xlsx(["人员编号", "优秀票", "合格票", "基本合格票", "不合格票"], [["MEM1", 0, 3, 0, 0]]))
    upload.name = "矩阵票数.xlsx"
    return {"file": upload}


# -- the table of routes ---------------------------------------------------------------------------
PAGE, API = "page", "api"


@dataclass(frozen=True)
class Route:
    key: str  # how the cell is named
    pattern: str  # the URLconf pattern it covers
    kind: str  # PAGE or API: what an anonymous caller gets, and what a 404 looks like
    target: str  # ORG, PERSON or NO_OBJECT: what the positions are positions of
    request: Callable[[str, str], Req]  # (target, destination) → the request
    rule: Rule
    operation: str = ""  # the OpenAPI operation it covers
    done: Expect = OK  # the answer when allowed; a redirect's location may hold {} for the target
    dest: Callable[[str], str] = field(default=lambda target: "")
    effect: Effect | None = None  # what an allowed request leaves behind, and a refused one not
    mutates: bool = False
    prepare: Callable[[str], None] = _nothing
    anonymous: Expect | None = None  # when not the kind's default
    # Who sees the object in the position, when not those who read it (a campaign meets the scope).
    sees: Callable[[Persona, str], bool] | None = None

    def seen_by(self, persona: Persona, identifier: str) -> bool:
        return self.sees(persona, identifier) if self.sees else persona.reads(self.target, identifier)

    @property
    def anonymous_answer(self) -> Expect:
        return self.anonymous or (TO_SIGN_IN if self.kind == PAGE else UNAUTHENTICATED)


def _get(path: str) -> Callable[[str, str], Req]:
    return lambda target, dest: Req("GET", path.format(target))


Body = Callable[[str, str], dict[str, Any]]


def _call(path: str, body: Body | None = None, method: str = "POST") -> Callable[[str, str], Req]:
    return lambda target, dest: Req(method, path.format(target), body(target, dest) if body else None)


def _submit(path: str, body: Body | None = None) -> Callable[[str, str], Req]:
    return lambda target, dest: Req("POST", path.format(target),
                                    body(target, dest) if body else None, form=True)


def _grant_removal(target: str, dest: str) -> Req:
    grant = ScopeGrant.objects.get(user__username="county_admin")
    return Req("POST", f"/admin/grants/{grant.pk}/remove/", form=True)


_ORG_FIELDS = {"level": "基层", "kind": "党支部", "sector": "党政机关"}
_PERSON_FIELDS = {"rank": "无", "leader_post": "无"}


def _new_org(parent: str, dest: str) -> dict[str, Any]:
    return {"code": NEW_ORG, "name": "新建测试组织", "parent_code": parent, **_ORG_FIELDS}


def _new_child(parent: str, dest: str) -> dict[str, Any]:
    return {"code": NEW_ORG, "name": "新建测试组织", **_ORG_FIELDS}


def _new_activity(org: str, dest: str) -> dict[str, Any]:
    return {"number": NEW_ACTIVITY, "kind": "专题学习", "topic": "专题学习", "start_date": "2025-05-06"}


def _api_new_activity(org: str, dest: str) -> dict[str, Any]:
    return {**_new_activity(org, dest), "host_code": org}


def _api_activity_put(org: str, dest: str) -> dict[str, Any]:
    return {**_activity_edit(org, dest), "host_code": org}


def _api_attendance(org: str, dest: str) -> dict[str, Any]:
    return {"entries": [{"person_number": SIGN_IN_PERSON.get(org, "CAD1")}]}


def _api_claim(_: str, __: str) -> dict[str, Any]:
    return {"title": "矩阵接口自学", "start_date": "2025-05-06", "hours": "2"}


def _api_decision(number: str, dest: str) -> Req:
    return Req("POST", f"/api/claims/{MATRIX_CLAIM}/decision", {"certify": True})


def _credit_rule_form(_: str, __: str) -> dict[str, Any]:
    return {"kind": "讲党课", "hours_per_session": "2.5"}


# Each organization hosts the activity ACT-<code> (built with the world); signing in for it takes a
# person inside the host's subtree, whom anyone allowed to write the activity also covers.
SIGN_IN_PERSON = {"P": "CAD1", "C1": "CAD1", "K1": "CAD1", "T1": "MEM1", "B1": "MEM1", "K2": "SIB1",
                  "C2": "MEM2", "K3": "MEM2"}
MATRIX_PDF = b"%PDF-1.4\n%%EOF\n"


def _activity_edit(org: str, dest: str) -> dict[str, Any]:
    return {"kind": "专题学习", "topic": "矩阵改名", "start_date": "2026-03-01"}


def _activity_renamed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Activity.objects.filter(number=f"ACT-{code}", topic="矩阵改名").exists()


def _sign_in(org: str, dest: str) -> dict[str, Any]:
    person = SIGN_IN_PERSON.get(org, "CAD1")
    return {"source": "search", "q": "", "person": [person], f"status-{person}": "出席"}


def _signed_in_for(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Attendance.objects.filter(activity__number=f"ACT-{code}", person__number=SIGN_IN_PERSON[code]).exists()


def _attended(code: str) -> None:
    if code in SIGN_IN_PERSON:
        Attendance.objects.get_or_create(activity=Activity.objects.get(number=f"ACT-{code}"),
                                         person=Person.objects.get(number=SIGN_IN_PERSON[code]))


def _removal_of_attendance(org: str, dest: str) -> dict[str, Any]:
    return {"person": SIGN_IN_PERSON.get(org, "CAD1")}


def _attendance_removed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return not Attendance.objects.filter(activity__number=f"ACT-{code}").exists()


def _attachment_upload(org: str, dest: str) -> dict[str, Any]:
    upload = io.BytesIO(MATRIX_PDF)
    upload.name = "矩阵附件.pdf"
    return {"file": upload, "kind": "会议记录"}


def _attachment_added(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Attachment.objects.filter(activity__number=f"ACT-{code}", name="矩阵附件.pdf").exists()


def _with_attachment(code: str) -> None:
    if code in SIGN_IN_PERSON and not Attachment.objects.filter(activity__number=f"ACT-{code}").exists():
        digest = attachments.sha256_of(MATRIX_PDF)
        attachments.store(MATRIX_PDF, digest)
        Attachment.objects.create(activity=Activity.objects.get(number=f"ACT-{code}"), name="矩阵附件.pdf",
                                  content_type="application/pdf", size=len(MATRIX_PDF), sha256=digest)


def _attachment_of(path: str, method: str = "GET") -> Callable[[str, str], Req]:
    def request(org: str, dest: str) -> Req:
        found = Attachment.objects.filter(activity__number=f"ACT-{org}").first()
        return Req(method, path.format(org, found.pk if found else 0), form=method == "POST")
    return request


def _ranking_on(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return RankingSwitch.objects.filter(org__code=code, enabled=True).exists()


# 学习积分: the switch of the organization in the position, the province's rules, the ranking (closed: both
# switches are off in the world, so those who read the organization are refused and the rest find nothing).
def _points_on(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    from xuexi.mylearning.models import PointsSwitch

    return PointsSwitch.objects.filter(org__code=code, enabled=True).exists()


def _point_rule_changed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.mylearning.models import PointRule

    return PointRule.objects.filter(action="每日一练", points=3, enabled=True).exists()


def points_ranking_closed(p: Persona, code: str, dest: str) -> Expect:
    return FORBIDDEN if p.reads_org(code) else NOT_FOUND


# 年度学习总结和计划: the organization in the position drafted (and sent) its report on 2025.
def _report_of(code: str) -> None:
    report_services.report_draft(actor=None, scope=whole_tree_scope(), org_code=code, year=2025)


def _submitted_report_of(code: str) -> None:
    _report_of(code)
    report_services.report_submit(actor=None, scope=whole_tree_scope(), org_code=code, year=2025)


def reviews_report(p: Persona, code: str, dest: str) -> Expect:
    """The level above decides: write scope over the parent, or a reviewer's scope holding the organization."""
    if not p.reads_org(code):
        return NOT_FOUND
    return DONE if p.writes_org(PARENT[code]) or any(_inside(code, root) for root in p.review) else FORBIDDEN


def _report_drafted(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return AnnualReport.objects.filter(org__code=code, year=2025).exists()


def _report_edited(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return AnnualReport.objects.filter(org__code=code, year=2025, practices=NEW_NAME).exists()


def _report_submitted(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return AnnualReport.objects.filter(org__code=code, year=2025, state="submitted").exists()


def _report_accepted(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return AnnualReport.objects.filter(org__code=code, year=2025, state="accepted").exists()


# 述学: the person in the position wrote the report MATRIX_STUDY on 2025 (submitted, or returned to mend), and the
# organization in the position made the call MATRIX_STUDY_CALL.
MATRIX_STUDY, MATRIX_STUDY_CALL = 990301, 990401


def _study_report_of(number: str, status: str = "submitted") -> None:
    person = Person.objects.get(number=number)
    StudyReport.objects.create(pk=MATRIX_STUDY, person=person, org=person.org, year=2025, period="年度",
                               title="矩阵述学", body="矩阵述学内容", status=status)


def _returned_study_report_of(number: str) -> None:
    _study_report_of(number, "returned")


def _study_call_of(code: str) -> None:
    StudyReportCall.objects.create(pk=MATRIX_STUDY_CALL, org=Organization.objects.get(code=code), year=2025,
                                   period="年度", who="领导干部", due_date=date(2025, 12, 20), title="矩阵述学安排")


def writes_own_study(p: Persona, number: str, dest: str) -> Expect:
    """A report is written and submitted by its author alone; others who see it only read."""
    if not p.reads_person(number):
        return NOT_FOUND
    return DONE if p.person == number else FORBIDDEN


def reviews_study(p: Persona, number: str, dest: str) -> Expect:
    """Administrators of the report's organization or above return or review it, never the author themself."""
    if not p.reads_person(number):
        return NOT_FOUND
    return DONE if p.writes_person(number) and p.person != number else FORBIDDEN


def _study_status(status: str) -> Effect:
    def effect(world: World, number: str, dest: str, response: HttpResponse) -> bool:
        return StudyReport.objects.filter(pk=MATRIX_STUDY, person__number=number, status=status).exists()

    return effect


def _study_call_made(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return StudyReportCall.objects.filter(org__code=code, title="矩阵新述学安排").exists()


def _study_call_changed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return StudyReportCall.objects.filter(pk=MATRIX_STUDY_CALL, title=NEW_NAME).exists()


def _study_written(world: World, _: str, __: str, response: HttpResponse) -> bool:
    return StudyReport.objects.filter(title="矩阵新述学").exists()


def _study_call_form(code: str, dest: str) -> dict[str, Any]:
    return {"year": str(date.today().year), "period": "年度", "who": "领导干部",
            "due_date": f"{date.today().year}-12-20", "title": "矩阵新述学安排"}


def _study_call_body(code: str, dest: str) -> dict[str, Any]:
    return {"org": code, "year": 2025, "period": "上半年", "who": "全体党员", "due_date": "2025-06-30",
            "title": "矩阵新述学安排"}


# 成果转化: the organization in the position recorded the outcome <code>-CG2025-001 (its first of 2025).
def _outcome_number(code: str) -> str:
    return f"{code}-CG2025-001"


def _outcome_of(code: str) -> None:
    if code in PARENT and not Outcome.objects.filter(number=_outcome_number(code)).exists():
        outcome_services.outcome_create(actor=None, scope=whole_tree_scope(), org_code=code,
                                        fields=outcome_services.OutcomeFields(kind="内参", title="矩阵成果",
                                                                              date=date(2025, 6, 1)))


def _outcome_with_attachment(code: str) -> None:
    _outcome_of(code)
    if code in PARENT and not OutcomeAttachment.objects.filter(outcome__number=_outcome_number(code)).exists():
        digest = attachments.sha256_of(MATRIX_PDF)
        attachments.store(MATRIX_PDF, digest)
        OutcomeAttachment.objects.create(outcome=Outcome.objects.get(number=_outcome_number(code)),
                                         name="矩阵成果附件.pdf", content_type="application/pdf",
                                         size=len(MATRIX_PDF), sha256=digest)


def _outcome_form(code: str, dest: str) -> dict[str, Any]:
    return {"kind": "内参", "title": "矩阵改名成果", "date": "2025-06-01"}


def _outcome_body(code: str, dest: str) -> dict[str, Any]:
    return {"kind": "内参", "title": "矩阵改名成果", "date": "2025-06-01"}


def _new_outcome_body(code: str, dest: str) -> dict[str, Any]:
    return {**_outcome_body(code, dest), "org_code": code}


def _outcome_recorded(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Outcome.objects.filter(org__code=code, title="矩阵改名成果").exists()


def _outcome_upload(code: str, dest: str) -> dict[str, Any]:
    upload = io.BytesIO(MATRIX_PDF)
    upload.name = "矩阵成果附件.pdf"
    return {"file": upload}


def _outcome_file_added(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return OutcomeAttachment.objects.filter(outcome__number=_outcome_number(code), removed_at__isnull=True).exists()


def _outcome_file_removed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return OutcomeAttachment.objects.filter(outcome__number=_outcome_number(code), removed_at__isnull=False).exists()


# 典型经验: the organization in the position recorded <code>-CG2025-001 as a 典型经验 (and sent it up).
def _experience_of(code: str) -> None:
    if code in PARENT and not Outcome.objects.filter(number=_outcome_number(code)).exists():
        outcome_services.outcome_create(actor=None, scope=whole_tree_scope(), org_code=code,
                                        fields=outcome_services.OutcomeFields(kind="典型经验", title="矩阵经验",
                                                                              date=date(2025, 6, 1)))


def _submitted_experience_of(code: str) -> None:
    from xuexi.outcomes import experiences

    _experience_of(code)
    if code in PARENT:
        experiences.experience_submit(actor=None, scope=whole_tree_scope(), number=_outcome_number(code))


def reviews_experience(p: Persona, code: str, dest: str) -> Expect:
    """The level above decides on a 典型经验: write scope over the parent; others who see it are refused."""
    if not p.reads_org(code):
        return NOT_FOUND
    return DONE if p.writes_org(PARENT[code]) else FORBIDDEN


def _experience_in(status: str) -> Effect:
    return lambda world, code, dest, response: Outcome.objects.filter(number=_outcome_number(code),
                                                                      status=status).exists()


def _outcome_withdrawn(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Outcome.objects.filter(number=_outcome_number(code), withdrawn_at__isnull=False).exists()


# 学习资料库: the item LIBRARY_ITEM, published by K1, with the PDF LIBRARY_FILE. An item reaches the publisher's
# subtree (a person whose organization lies inside it) and those whose read scope holds the publisher.
LIBRARY_ITEM, LIBRARY_FILE = 90001, 90002


def _reaches_k1_item(p: Persona) -> bool:
    homes = (PERSON_ORG.get(p.person, ""), *p.admin, *p.review)
    return p.reads_org("K1") or any(home and _inside(home, "K1") for home in homes)


def reads_library_item(p: Persona, _: str, __: str) -> Expect:
    return DONE if _reaches_k1_item(p) else NOT_FOUND


def writes_library_item(p: Persona, _: str, __: str) -> Expect:
    return _write(p, _reaches_k1_item(p), p.writes_org("K1"), "", None)


def _library_withdrawn(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import LibraryItem

    return LibraryItem.objects.filter(pk=LIBRARY_ITEM, removed_at__isnull=False).exists()


def _library_file_removed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import ItemFile

    return ItemFile.objects.filter(pk=LIBRARY_FILE, removed_at__isnull=False).exists()


def beats_library_item(p: Persona, _: str, __: str) -> Expect:
    """网络学习计时: a reader who is a person beats an item they read; an account without a person is refused."""
    if not _reaches_k1_item(p):
        return NOT_FOUND
    return DONE if p.person else FORBIDDEN


def sets_online_rule(p: Persona, _: str, __: str) -> Expect:
    """网络学习计时规则 are the province's: those who see the tree and do not administer the root are refused."""
    if p.separated:
        return NOT_FOUND
    if p.writes_org("P"):
        return DONE
    return FORBIDDEN if p.admin or p.review else NOT_FOUND


def sets_exam_credit(p: Persona, _: str, __: str) -> Expect:
    """An exam's 合格计入学时 is the province's to set: others who see the exam are refused."""
    if not p.reads_org("K1"):
        return NOT_FOUND
    return DONE if p.writes_org("P") else FORBIDDEN


def _online_rule_changed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import OnlineCreditRule

    return OnlineCreditRule.objects.filter(pk=1, beat_seconds=20).exists()


def _online_rule_form(_: str, __: str) -> dict[str, Any]:
    return {"enabled": "on", "beat_seconds": "20", "grace_seconds": "5", "item_cap_minutes": "30",
            "day_cap_minutes": "120"}


def _beaten(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import ReadingTime

    return ReadingTime.objects.filter(item_id=LIBRARY_ITEM, beats=1).exists()


def _library_item(_: str = "") -> None:
    from xuexi.library.models import LibraryItem

    if not LibraryItem.objects.filter(pk=LIBRARY_ITEM).exists():
        LibraryItem.objects.create(pk=LIBRARY_ITEM, kind="文章", title="矩阵资料", date=date(2025, 5, 6),
                                   body="矩阵正文", search_text="矩阵 资料",
                                   publisher=Organization.objects.get(code="K1"))


def _library_file(_: str = "") -> None:
    from xuexi.library.models import ItemFile

    _library_item()
    if not ItemFile.objects.filter(pk=LIBRARY_FILE).exists():
        digest = attachments.sha256_of(MATRIX_PDF)
        attachments.store(MATRIX_PDF, digest)
        ItemFile.objects.create(pk=LIBRARY_FILE, item_id=LIBRARY_ITEM, name="矩阵.pdf", content_type="application/pdf",
                                size=len(MATRIX_PDF), sha256=digest)


def _library_form(_: str, __: str) -> dict[str, Any]:
    return {"kind": "文章", "title": "矩阵资料改", "date": "2025-05-06", "body": "矩阵正文"}


def _library_renamed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import LibraryItem

    return LibraryItem.objects.filter(pk=LIBRARY_ITEM, title="矩阵资料改").exists()


def _library_published(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import LibraryItem

    return LibraryItem.objects.filter(title="矩阵资料改", publisher__code="K1").exists()


def _library_upload(_: str, __: str) -> dict[str, Any]:
    upload = io.BytesIO(MATRIX_PDF)
    upload.name = "矩阵讲义.pdf"
    return {"file": upload}


def _library_file_added(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import ItemFile

    return ItemFile.objects.filter(item_id=LIBRARY_ITEM, name="矩阵讲义.pdf").exists()


def _library_pushed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.library.models import DailyPush

    return DailyPush.objects.filter(org__code="K1", date=date(2025, 5, 6)).exists()


def _outcome_attachment_of(path: str, method: str = "GET") -> Callable[[str, str], Req]:
    def request(code: str, dest: str) -> Req:
        found = OutcomeAttachment.objects.filter(outcome__number=_outcome_number(code)).first()
        return Req(method, path.format(_outcome_number(code), found.pk if found else 0), form=method == "POST")
    return request


def _attachment_removed(world: World, code: str, dest: str, response: HttpResponse) -> bool:
    return Attachment.objects.filter(activity__number=f"ACT-{code}", removed_at__isnull=False).exists()


def _org_edit(target: str, dest: str) -> dict[str, Any]:
    return {"name": NEW_NAME, **_ORG_FIELDS}


def _new_person(org: str, dest: str) -> dict[str, Any]:
    return {"number": NEW_PERSON, "name": "新党员", "org_code": org}


def _new_person_form(org: str, dest: str) -> dict[str, Any]:
    return {"number": NEW_PERSON, "name": "新党员", **_PERSON_FIELDS}


def _person_edit(target: str, dest: str) -> dict[str, Any]:
    return {"name": NEW_NAME, **_PERSON_FIELDS}


def _rename(target: str, dest: str) -> dict[str, Any]:
    return {"name": NEW_NAME}


def _move(target: str, dest: str) -> dict[str, Any]:
    return {"new_parent_code": dest}


def _transfer(target: str, dest: str) -> dict[str, Any]:
    return {"to_org_code": dest}


def _new_account(_: str, __: str) -> dict[str, Any]:
    return {"username": NEW_ACCOUNT, "display_name": "新账户", "password": "Zx#9-Long-Passw0rd"}


def _grant(_: str, __: str) -> dict[str, Any]:
    return {"username": "member", "org_code": "K2", "role": "reviewer"}


def _disable(_: str, __: str) -> dict[str, Any]:
    return {"active": "0"}


_TO_ORG, _TO_PERSON = (302, "/orgs/{}/"), (302, "/people/{}/")

# -- 考学 question bank -----------------------------------------------------------------------------
_QUESTION = {"publisher": "K1", "area": "科学发展观", "kind": "单选", "stem": "矩阵试题", "options": ["甲", "乙"],
             "answer": "A", "difficulty": "易"}


def _question_of_k1(_: str) -> None:
    from xuexi.exams import services as exam_services

    exam_services.question_create(actor=None, scope=whole_tree_scope(), code="Q-K1", publisher_code="K1",
                                  data=exam_services.QuestionInput(**{k: v for k, v in _QUESTION.items()
                                                                      if k != "publisher"}))


def _question_exists(code: str) -> Effect:
    from xuexi.exams.models import Question

    return lambda world, _, __, response: Question.objects.filter(code=code).exists()


def _question_disabled(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.exams.models import Question

    return Question.objects.filter(code="Q-K1", enabled=False).exists()


def _question_upload(_: str, __: str) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xuexi.exams.sheets import HEADERS

    content = ",".join(HEADERS) + "\nQ-UP,科学发展观,判断,矩阵导入,,,,,,,,,对,易,,K1,是\n"
    return {"file": SimpleUploadedFile("questions.csv", content.encode())}


def _paper_of_k1(_: str) -> None:
    from xuexi.exams import papers

    _question_of_k1(_)
    papers.paper_create(actor=None, scope=whole_tree_scope(), code="PA-K1", title="矩阵试卷", publisher_code="K1",
                        items=[papers.FixedItem("Q-K1", 10)])


def _exam_of_k1(_: str) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from xuexi.exams import papers

    _paper_of_k1(_)
    now = timezone.now()
    papers.exam_create(actor=None, scope=whole_tree_scope(), code="EX-K1", org_code="K1", data=papers.ExamInput(
        title="矩阵考试", paper="PA-K1", opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
        duration_minutes=30, pass_mark=5))


MATRIX_ATTEMPT = 990101  # MEM1's attempt at EX-K1


def _upcoming_exam_of_k1(_: str) -> None:
    """EX-K1, opening tomorrow: it may still be changed."""
    from datetime import timedelta

    from django.utils import timezone

    from xuexi.exams.models import Exam

    _exam_of_k1(_)
    tomorrow = timezone.now() + timedelta(days=1)
    Exam.objects.filter(code="EX-K1").update(opens_at=tomorrow, closes_at=tomorrow + timedelta(days=1))


def _exam_edit_form(_: str, __: str) -> dict[str, Any]:
    return {"title": "矩阵考试（改）", "opens_at": "2098-01-01T08:00", "closes_at": "2099-01-01T08:00",
            "duration_minutes": "30", "max_attempts": "1", "pass_mark": "7", "shuffle": "on"}


def _question_edit_form(_: str, __: str) -> dict[str, Any]:
    return {"area": "科学发展观", "kind": "单选", "difficulty": "易", "stem": "矩阵改题", "options": "甲\n乙",
            "answer": "B", "explanation": "", "enabled": "on"}


def _exam_changed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.exams.models import Exam

    return Exam.objects.filter(code="EX-K1", pass_mark=7).exists()


def _paper_changed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.exams.models import Paper

    return Paper.objects.filter(code="PA-K1", title="矩阵改卷").exists()


def _question_changed(world: World, _: str, __: str, response: HttpResponse) -> bool:
    from xuexi.exams.models import Question

    return Question.objects.filter(code="Q-K1", stem="矩阵改题").exists()


def _attempt_of_member(_: str) -> None:
    from xuexi.exams.models import Attempt, Exam, Question

    _exam_of_k1(_)
    exam = Exam.objects.get(code="EX-K1")
    Attempt.objects.create(pk=MATRIX_ATTEMPT, exam=exam, person=Person.objects.get(number="MEM1"), seq=1,
                           started_at=exam.opens_at, deadline=exam.closes_at, total=10,
                           sheet=[{"q": Question.objects.get(code="Q-K1").pk, "points": 10, "order": [1, 0]}])


def _exists(model: str, **lookup: Any) -> Effect:
    def effect(world: World, _: str, __: str, response: HttpResponse) -> bool:
        from django.apps import apps

        return apps.get_model("exams", model).objects.filter(**lookup).exists()

    return effect


def _running_attempts(_: str) -> None:
    """MEM1 and CAD1 each in the middle of an attempt at EX-K1, which a start resumes."""
    from xuexi.exams.models import Attempt, Exam

    _attempt_of_member(_)
    exam = Exam.objects.get(code="EX-K1")
    Attempt.objects.create(pk=MATRIX_ATTEMPT + 1, exam=exam, person=Person.objects.get(number="CAD1"), seq=1,
                           started_at=exam.opens_at, deadline=exam.closes_at, total=10,
                           sheet=Attempt.objects.get(pk=MATRIX_ATTEMPT).sheet)


def resumes_attempt(p: Persona, _: str, __: str) -> Expect:
    """A start takes the person back to the attempt they are in; others without a person are refused."""
    if p.separated:
        return NOT_FOUND
    if not p.person:
        return FORBIDDEN
    return 302, f"/exams/attempts/{MATRIX_ATTEMPT + (p.person == 'CAD1')}/"


def members_own_attempt(p: Persona, _: str, __: str) -> Expect:
    """MEM1's attempt: MEM1 alone; another person gets 404, an account without a person 403."""
    if p.separated:
        return NOT_FOUND
    if not p.person:
        return FORBIDDEN
    return DONE if p.person == "MEM1" else NOT_FOUND


def imports_questions(p: Persona, _: str, __: str) -> Expect:
    """Anyone with business data may upload; only an administrator of K1 gets the file stored (else 200, errors)."""
    if p.separated:
        return NOT_FOUND
    return DONE if p.writes_org("K1") else OK


ROUTES = [
    # pages without an object
    Route("GET /", "", PAGE, NO_OBJECT, _get("/"), signed_in),
    Route("GET /orgs/?q=", "orgs/", PAGE, NO_OBJECT, _get("/orgs/?q=县"), business_data),
    Route("GET /people/?q=", "people/", PAGE, NO_OBJECT, _get("/people/?q=党员"), business_data),
    Route("GET /accounts/sign-in/", "accounts/sign-in/", PAGE, NO_OBJECT,
          _get("/accounts/sign-in/"), already_signed_in, anonymous=OK),
    Route("POST /accounts/sign-out/", "accounts/sign-out/", PAGE, NO_OBJECT,
          _submit("/accounts/sign-out/"), back_to_sign_in),
    Route("GET /accounts/password/", "accounts/password/", PAGE, NO_OBJECT,
          _get("/accounts/password/"), signed_in),
    Route("GET /accounts/otp/", "accounts/otp/", PAGE, NO_OBJECT, _get("/accounts/otp/"), signed_in),
    # 通知: every account, 三员 included, reads and marks its own notifications and nobody else's
    Route("GET /notifications/", "notifications/", PAGE, NO_OBJECT, _get("/notifications/"), signed_in),
    Route("POST /notifications/read/", "notifications/read/", PAGE, NO_OBJECT,
          _submit("/notifications/read/", lambda _, __: {"all": "1"}), signed_in, done=(302, "/notifications/")),
    Route("GET /accounts/audit/", "accounts/audit/", PAGE, NO_OBJECT, _get("/accounts/audit/"),
          only("audit")),
    Route("GET /system-admin/", "system-admin/", PAGE, NO_OBJECT, _get("/system-admin/"),
          only("system", refused=TO_ADMIN_SIGN_IN), anonymous=TO_ADMIN_SIGN_IN),
    # 账户与授权 pages, on fixed accounts: the cadre's, the member's, the county admin's grant
    Route("GET /admin/accounts/", "admin/accounts/", PAGE, NO_OBJECT, _get("/admin/accounts/"),
          only("system", "security")),
    Route("POST /admin/accounts/create/", "admin/accounts/create/", PAGE, NO_OBJECT,
          _submit("/admin/accounts/create/", _new_account), only("system"), done=TO_ACCOUNTS,
          effect=_account_created, mutates=True),
    Route("POST /admin/accounts/cadre/active/", "admin/accounts/<str:username>/active/", PAGE,
          NO_OBJECT, _submit("/admin/accounts/cadre/active/", _disable), only("system"),
          done=TO_ACCOUNTS, effect=_cadre_disabled, mutates=True),
    Route("POST /admin/accounts/cadre/unlock/", "admin/accounts/<str:username>/unlock/", PAGE,
          NO_OBJECT, _submit("/admin/accounts/cadre/unlock/"), only("security"),
          done=TO_ACCOUNTS, effect=_cadre_unlocked),
    Route("POST /admin/grants/add/", "admin/grants/add/", PAGE, NO_OBJECT,
          _submit("/admin/grants/add/", _grant), only("security"), done=TO_ACCOUNTS,
          effect=_member_granted, mutates=True),
    Route("POST /admin/grants/{county_admin's}/remove/", "admin/grants/<int:grant_id>/remove/",
          PAGE, NO_OBJECT, _grant_removal, only("security"), done=TO_ACCOUNTS,
          effect=_county_grant_removed, mutates=True),
    # pages of an organization
    Route("GET /orgs/{code}/", "orgs/<str:code>/", PAGE, ORG, _get("/orgs/{}/"), read_org,
          effect=_names_org),
    Route("GET /orgs/{code}/children/", "orgs/<str:code>/children/", PAGE, ORG,
          _get("/orgs/{}/children/"), read_org),
    Route("GET /orgs/{code}/new-child/", "orgs/<str:code>/new-child/", PAGE, ORG,
          _get("/orgs/{}/new-child/"), write_org()),
    Route("POST /orgs/{code}/new-child/", "orgs/<str:code>/new-child/", PAGE, ORG,
          _submit("/orgs/{}/new-child/", _new_child), write_org(), done=(302, f"/orgs/{NEW_ORG}/"),
          effect=_org_created, mutates=True),
    Route("GET /orgs/{code}/edit/", "orgs/<str:code>/edit/", PAGE, ORG, _get("/orgs/{}/edit/"),
          write_org()),
    Route("POST /orgs/{code}/edit/", "orgs/<str:code>/edit/", PAGE, ORG,
          _submit("/orgs/{}/edit/", _org_edit), write_org(), done=_TO_ORG, effect=_org_renamed,
          mutates=True),
    Route("GET /orgs/{code}/move/", "orgs/<str:code>/move/", PAGE, ORG, _get("/orgs/{}/move/"),
          write_org()),
    Route("POST /orgs/{code}/move/ (to its parent)", "orgs/<str:code>/move/", PAGE, ORG,
          _submit("/orgs/{}/move/", _move), write_org(dest_refused=FORM_ERROR), done=_TO_ORG,
          dest=PARENT.__getitem__, effect=_org_moved, mutates=True),
    Route("POST /orgs/{code}/deactivate/", "orgs/<str:code>/deactivate/", PAGE, ORG,
          _submit("/orgs/{}/deactivate/"), write_org(), done=_TO_ORG, effect=_org_deactivated,
          mutates=True, prepare=_emptied),
    Route("GET /orgs/{code}/new-person/", "orgs/<str:code>/new-person/", PAGE, ORG,
          _get("/orgs/{}/new-person/"), write_org()),
    Route("POST /orgs/{code}/new-person/", "orgs/<str:code>/new-person/", PAGE, ORG,
          _submit("/orgs/{}/new-person/", _new_person_form), write_org(),
          done=(302, f"/people/{NEW_PERSON}/"), effect=_person_created, mutates=True),
    Route("GET /orgs/{code}/activities/", "orgs/<str:code>/activities/", PAGE, ORG,
          _get("/orgs/{}/activities/"), read_org),
    Route("GET /orgs/{code}/activities/new/", "orgs/<str:code>/activities/new/", PAGE, ORG,
          _get("/orgs/{}/activities/new/"), write_org()),
    Route("POST /orgs/{code}/activities/new/", "orgs/<str:code>/activities/new/", PAGE, ORG,
          _submit("/orgs/{}/activities/new/", _new_activity), write_org(), done=(302, f"/activities/{NEW_ACTIVITY}/"),
          effect=_activity_created),
    # pages of an activity (ACT-<code> is hosted by the organization in the position)
    Route("GET /activities/{number}/", "activities/<str:number>/", PAGE, ORG, _get("/activities/ACT-{}/"),
          read_org),
    Route("GET /activities/{number}/edit/", "activities/<str:number>/edit/", PAGE, ORG,
          _get("/activities/ACT-{}/edit/"), write_org()),
    Route("POST /activities/{number}/edit/", "activities/<str:number>/edit/", PAGE, ORG,
          _submit("/activities/ACT-{}/edit/", _activity_edit), write_org(), done=(302, "/activities/ACT-{}/"),
          effect=_activity_renamed),
    Route("GET /activities/{number}/sign-in/", "activities/<str:number>/sign-in/", PAGE, ORG,
          _get("/activities/ACT-{}/sign-in/"), write_org()),
    Route("POST /activities/{number}/sign-in/", "activities/<str:number>/sign-in/", PAGE, ORG,
          _submit("/activities/ACT-{}/sign-in/", _sign_in), write_org(),
          done=(302, "/activities/ACT-{}/sign-in/"), effect=_signed_in_for),
    Route("POST /activities/{number}/attendance/remove/", "activities/<str:number>/attendance/remove/", PAGE, ORG,
          _submit("/activities/ACT-{}/attendance/remove/", _removal_of_attendance), write_org(),
          done=(302, "/activities/ACT-{}/"), effect=_attendance_removed, prepare=_attended),
    Route("POST /activities/{number}/attachments/", "activities/<str:number>/attachments/", PAGE, ORG,
          _submit("/activities/ACT-{}/attachments/", _attachment_upload), write_org(),
          done=(302, "/activities/ACT-{}/"), effect=_attachment_added),
    Route("GET /activities/{number}/attachments/{id}/", "activities/<str:number>/attachments/<int:attachment_id>/",
          PAGE, ORG, _attachment_of("/activities/ACT-{}/attachments/{}/"), read_org, prepare=_with_attachment),
    Route("POST /activities/{number}/attachments/{id}/remove/",
          "activities/<str:number>/attachments/<int:attachment_id>/remove/", PAGE, ORG,
          _attachment_of("/activities/ACT-{}/attachments/{}/remove/", "POST"), write_org(),
          done=(302, "/activities/ACT-{}/"), effect=_attachment_removed, prepare=_with_attachment),
    # 成果转化 pages (<code>-CG2025-001: the outcome the organization in the position recorded)
    Route("GET /orgs/{code}/outcomes/", "orgs/<str:code>/outcomes/", PAGE, ORG, _get("/orgs/{}/outcomes/"), read_org,
          prepare=_outcome_of),
    Route("GET /orgs/{code}/outcomes/?format=xlsx", "orgs/<str:code>/outcomes/", PAGE, ORG,
          _get("/orgs/{}/outcomes/?year=all&format=xlsx"), read_org, prepare=_outcome_of),
    Route("GET /orgs/{code}/outcomes/new/", "orgs/<str:code>/outcomes/new/", PAGE, ORG,
          _get("/orgs/{}/outcomes/new/"), write_org()),
    Route("POST /orgs/{code}/outcomes/new/", "orgs/<str:code>/outcomes/new/", PAGE, ORG,
          _submit("/orgs/{}/outcomes/new/", _outcome_form), write_org(), done=(302, "/outcomes/{}-CG2025-001/"),
          effect=_outcome_recorded),
    Route("GET /outcomes/{number}/", "outcomes/<str:number>/", PAGE, ORG, _get("/outcomes/{}-CG2025-001/"), read_org,
          prepare=_outcome_of),
    Route("GET /outcomes/{number}/edit/", "outcomes/<str:number>/edit/", PAGE, ORG,
          _get("/outcomes/{}-CG2025-001/edit/"), write_org(), prepare=_outcome_of),
    Route("POST /outcomes/{number}/edit/", "outcomes/<str:number>/edit/", PAGE, ORG,
          _submit("/outcomes/{}-CG2025-001/edit/", _outcome_form), write_org(), done=(302, "/outcomes/{}-CG2025-001/"),
          effect=_outcome_recorded, prepare=_outcome_of),
    Route("POST /outcomes/{number}/attachments/", "outcomes/<str:number>/attachments/", PAGE, ORG,
          _submit("/outcomes/{}-CG2025-001/attachments/", _outcome_upload), write_org(),
          done=(302, "/outcomes/{}-CG2025-001/"), effect=_outcome_file_added, prepare=_outcome_of),
    Route("GET /outcomes/{number}/attachments/{id}/", "outcomes/<str:number>/attachments/<int:attachment_id>/",
          PAGE, ORG, _outcome_attachment_of("/outcomes/{}/attachments/{}/"), read_org,
          prepare=_outcome_with_attachment),
    Route("POST /outcomes/{number}/attachments/{id}/remove/",
          "outcomes/<str:number>/attachments/<int:attachment_id>/remove/", PAGE, ORG,
          _outcome_attachment_of("/outcomes/{}/attachments/{}/remove/", "POST"), write_org(),
          done=(302, "/outcomes/{}-CG2025-001/"), effect=_outcome_file_removed, prepare=_outcome_with_attachment),
    Route("POST /outcomes/{number}/submit/", "outcomes/<str:number>/submit/", PAGE, ORG,
          _submit("/outcomes/{}-CG2025-001/submit/"), write_org(), done=(302, "/outcomes/{}-CG2025-001/"),
          effect=_experience_in("submitted"), prepare=_experience_of),
    Route("POST /outcomes/{number}/review/ (approve)", "outcomes/<str:number>/review/", PAGE, ORG,
          _submit("/outcomes/{}-CG2025-001/review/", lambda _, __: {"decision": "approve", "publish": "1"}),
          reviews_experience, done=(302, "/outcomes/{}-CG2025-001/"), effect=_experience_in("published"),
          prepare=_submitted_experience_of),
    Route("POST /outcomes/{number}/withdraw/", "outcomes/<str:number>/withdraw/", PAGE, ORG,
          _submit("/outcomes/{}-CG2025-001/withdraw/", lambda _, __: {"reason": "矩阵撤回"}), write_org(),
          done=(302, "/outcomes/{}-CG2025-001/"), effect=_outcome_withdrawn, prepare=_outcome_of),
    Route("GET /experiences/", "experiences/", PAGE, NO_OBJECT, _get("/experiences/"), business_data),
    # 学习资料库 and 理论学习天天向上 pages (the item LIBRARY_ITEM published by K1, its PDF LIBRARY_FILE)
    Route("GET /library/?q=", "library/", PAGE, NO_OBJECT, _get("/library/?q=矩阵"), business_data,
          prepare=_library_item),
    Route("GET /library/new/", "library/new/", PAGE, NO_OBJECT, _get("/library/new/"), writes_some_org),
    Route("GET /library/{id}/", "library/<int:item_id>/", PAGE, NO_OBJECT, _get(f"/library/{LIBRARY_ITEM}/"),
          reads_library_item, prepare=_library_item),
    Route("GET /library/{id}/edit/", "library/<int:item_id>/edit/", PAGE, NO_OBJECT,
          _get(f"/library/{LIBRARY_ITEM}/edit/"), writes_library_item, prepare=_library_item),
    Route("POST /library/{id}/edit/", "library/<int:item_id>/edit/", PAGE, NO_OBJECT,
          _submit(f"/library/{LIBRARY_ITEM}/edit/", _library_form), writes_library_item,
          done=(302, f"/library/{LIBRARY_ITEM}/"), effect=_library_renamed, prepare=_library_item),
    Route("POST /library/{id}/files/", "library/<int:item_id>/files/", PAGE, NO_OBJECT,
          _submit(f"/library/{LIBRARY_ITEM}/files/", _library_upload), writes_library_item,
          done=(302, f"/library/{LIBRARY_ITEM}/"), effect=_library_file_added, prepare=_library_item),
    Route("GET /library/{id}/files/{file}/", "library/<int:item_id>/files/<int:file_id>/", PAGE, NO_OBJECT,
          _get(f"/library/{LIBRARY_ITEM}/files/{LIBRARY_FILE}/"), reads_library_item, prepare=_library_file),
    Route("POST /library/{id}/files/{file}/remove/", "library/<int:item_id>/files/<int:file_id>/remove/", PAGE,
          NO_OBJECT, _submit(f"/library/{LIBRARY_ITEM}/files/{LIBRARY_FILE}/remove/"), writes_library_item,
          done=(302, f"/library/{LIBRARY_ITEM}/"), effect=_library_file_removed, prepare=_library_file),
    Route("POST /library/{id}/withdraw/", "library/<int:item_id>/withdraw/", PAGE, NO_OBJECT,
          _submit(f"/library/{LIBRARY_ITEM}/withdraw/", lambda _, __: {"reason": "矩阵撤回"}), writes_library_item,
          done=(302, f"/library/{LIBRARY_ITEM}/"), effect=_library_withdrawn, prepare=_library_item),
    Route("GET /today/", "today/", PAGE, NO_OBJECT, _get("/today/"), business_data),
    Route("POST /library/{id}/heartbeat/", "library/<int:item_id>/heartbeat/", PAGE, NO_OBJECT,
          _submit(f"/library/{LIBRARY_ITEM}/heartbeat/", lambda _, __: {"visible": "1", "active": "1"}),
          beats_library_item, effect=_beaten, prepare=_library_item),
    Route("GET /admin/online-rule/", "admin/online-rule/", PAGE, NO_OBJECT, _get("/admin/online-rule/"),
          sets_online_rule),
    Route("POST /admin/online-rule/", "admin/online-rule/", PAGE, NO_OBJECT,
          _submit("/admin/online-rule/", _online_rule_form), sets_online_rule, done=(302, "/admin/online-rule/"),
          effect=_online_rule_changed),
    Route("GET /orgs/K1/push/", "orgs/<str:code>/push/", PAGE, NO_OBJECT, _get("/orgs/K1/push/"),
          fixed(plans_from, "K1"), prepare=_library_item),
    Route("POST /orgs/K1/push/", "orgs/<str:code>/push/", PAGE, NO_OBJECT,
          _submit("/orgs/K1/push/", lambda _, __: {"date": "2025-05-06", "items": str(LIBRARY_ITEM)}),
          fixed(plans_from, "K1"), done=(302, "/orgs/K1/push/"), effect=_library_pushed, prepare=_library_item),
    # pages of a person
    Route("GET /people/{number}/archive/", "people/<str:number>/archive/", PAGE, PERSON,
          _get("/people/{}/archive/"), read_person),
    Route("GET /people/{number}/compliance/", "people/<str:number>/compliance/", PAGE, PERSON,
          _get("/people/{}/compliance/"), read_person),
    Route("GET /orgs/{code}/compliance/", "orgs/<str:code>/compliance/", PAGE, ORG,
          _get("/orgs/{}/compliance/"), read_org),
    Route("GET /people/{number}/claims/", "people/<str:number>/claims/", PAGE, PERSON,
          _get("/people/{}/claims/"), read_person),
    Route("POST /people/{number}/claims/", "people/<str:number>/claims/", PAGE, PERSON,
          _submit("/people/{}/claims/", _own_claim), own_person, done=(302, "/people/{}/claims/"),
          effect=_claim_submitted),
    Route("POST /people/{number}/claims/decide/", "people/<str:number>/claims/decide/", PAGE, PERSON,
          _submit("/people/{}/claims/decide/", _decision), write_person(), done=(302, "/people/{}/claims/"),
          effect=_claim_certified, prepare=_pending_claim),
    # 主题教育 and 学习计划 pages (ZT-<code>: the campaign the organization in the position organizes and covers)
    Route("GET /campaigns/", "campaigns/", PAGE, NO_OBJECT, _get("/campaigns/"), business_data),
    Route("GET /campaigns/new/", "campaigns/new/", PAGE, NO_OBJECT, _get("/campaigns/new/"), writes_some_org),
    Route("POST /campaigns/new/ (organizer {code})", "campaigns/new/", PAGE, ORG,
          _submit("/campaigns/new/", _new_campaign_form), new_campaign_form, done=(302, f"/campaigns/{NEW_CAMPAIGN}/"),
          effect=_campaign_created),
    Route("GET /campaigns/{code}/", "campaigns/<str:code>/", PAGE, ORG, _get("/campaigns/ZT-{}/"), meets_org,
          prepare=_campaign_of, sees=Persona.meets),
    Route("GET /campaigns/{code}/edit/", "campaigns/<str:code>/edit/", PAGE, ORG, _get("/campaigns/ZT-{}/edit/"),
          write_campaign, prepare=_campaign_of, sees=Persona.meets),
    Route("POST /campaigns/{code}/edit/", "campaigns/<str:code>/edit/", PAGE, ORG,
          _submit("/campaigns/ZT-{}/edit/", _campaign_form), write_campaign, done=(302, "/campaigns/ZT-{}/"),
          effect=_campaign_renamed, prepare=_campaign_of, sees=Persona.meets),
    Route("POST /campaigns/{code}/activities/ (its ZA-{code})", "campaigns/<str:code>/activities/", PAGE, ORG,
          _submit("/campaigns/ZT-{}/activities/", lambda code, _: {"number": f"ZA-{code}", "action": "add"}),
          write_org(), done=(302, "/campaigns/ZT-{}/"), effect=_activity_in_campaign,
          prepare=_campaign_and_activity, sees=Persona.meets),
    Route("GET /orgs/{code}/plan/", "orgs/<str:code>/plan/", PAGE, ORG, _get("/orgs/{}/plan/?year=2025"), read_org,
          prepare=_org_plan_of),
    Route("GET /orgs/{code}/plan/edit/", "orgs/<str:code>/plan/edit/", PAGE, ORG, _get("/orgs/{}/plan/edit/"),
          write_org()),
    Route("POST /orgs/{code}/plan/edit/", "orgs/<str:code>/plan/edit/", PAGE, ORG,
          _submit("/orgs/{}/plan/edit/", _org_plan_form), write_org(), done=(302, "/orgs/{}/plan/"),
          effect=_org_plan_saved),
    Route("GET /people/{number}/plan/", "people/<str:number>/plan/", PAGE, PERSON, _get("/people/{}/plan/?year=2025"),
          read_person, prepare=_personal_plan_of),
    Route("POST /people/{number}/plan/", "people/<str:number>/plan/", PAGE, PERSON,
          _submit("/people/{}/plan/", _personal_plan_form), own_or_write_person, done=(302, "/people/{}/plan/"),
          effect=_personal_plan_saved),
    Route("GET /claims/", "claims/", PAGE, NO_OBJECT, _get("/claims/"), business_data),
    Route("GET /admin/credit-rules/", "admin/credit-rules/", PAGE, NO_OBJECT, _get("/admin/credit-rules/"),
          business_data),
    Route("POST /admin/credit-rules/", "admin/credit-rules/", PAGE, NO_OBJECT,
          _submit("/admin/credit-rules/", _credit_rule_form), sets_credit_rules, done=(302, "/admin/credit-rules/"),
          effect=_credit_rule_changed),
    # 制度要求 pages (ZR-<code>: the rule the organization in the position made; exemptions for the person)
    Route("GET /rules/", "rules/", PAGE, NO_OBJECT, _get("/rules/"), business_data),
    Route("POST /rules/ (owner {code})", "rules/", PAGE, ORG, _submit("/rules/", _new_rule_form), creates_rule_form,
          done=(302, "/rules/"), effect=_rule_created),
    Route("GET /rules/sectors/", "rules/sectors/", PAGE, NO_OBJECT, _get("/rules/sectors/?edit=农村"), business_data),
    Route("POST /rules/sectors/ (农村)", "rules/sectors/", PAGE, NO_OBJECT, _submit("/rules/sectors/", _template_form),
          edits_province_rule, done=(302, "/rules/sectors/"), effect=_templated),
    Route("POST /rules/{province rule}/versions/", "rules/<str:code>/versions/", PAGE, NO_OBJECT,
          _submit(f"/rules/{OFF_JOB_RULE}/versions/", _version_form), edits_province_rule, done=(302, "/rules/"),
          effect=_versioned(OFF_JOB_RULE)),
    Route("POST /rules/{code}/versions/ (ZR-{code})", "rules/<str:code>/versions/", PAGE, ORG,
          _submit("/rules/ZR-{}/versions/", _version_form), write_campaign, done=(302, "/rules/"),
          effect=_versioned("ZR-{}"), prepare=_rule_of, sees=Persona.meets),
    Route("GET /rules/{province rule}/exemptions/", "rules/<str:code>/exemptions/", PAGE, NO_OBJECT,
          _get(f"/rules/{OFF_JOB_RULE}/exemptions/"), business_data),
    Route("GET /rules/{code}/exemptions/ (ZR-{code})", "rules/<str:code>/exemptions/", PAGE, ORG,
          _get("/rules/ZR-{}/exemptions/"), meets_org, prepare=_rule_of, sees=Persona.meets),
    Route("POST /rules/{province rule}/exemptions/ (person {number})", "rules/<str:code>/exemptions/", PAGE, PERSON,
          _submit(f"/rules/{OFF_JOB_RULE}/exemptions/", _exemption_form), grants_exemption_form,
          done=(302, f"/rules/{OFF_JOB_RULE}/exemptions/"), effect=_exempted),
    Route("POST /rules/{province rule}/exemptions/{id}/revoke/ (of {number})",
          "rules/<str:code>/exemptions/<int:exemption_id>/revoke/", PAGE, PERSON,
          _submit(f"/rules/{OFF_JOB_RULE}/exemptions/{MATRIX_EXEMPTION}/revoke/"), write_person(),
          done=(302, f"/rules/{OFF_JOB_RULE}/exemptions/"), effect=_exemption_revoked, prepare=_exemption_of),
    Route("GET /exchange/", "exchange/", PAGE, NO_OBJECT, _get("/exchange/"), reads_some_org),
    Route("GET /exchange/template/orgs/", "exchange/template/<str:table>/", PAGE, NO_OBJECT,
          _get("/exchange/template/orgs/"), reads_some_org),
    Route("GET /exchange/export/members/", "exchange/export/<str:table>/", PAGE, NO_OBJECT,
          _get("/exchange/export/members/"), reads_some_org),
    Route("POST /exchange/preview/", "exchange/preview/", PAGE, NO_OBJECT, _submit("/exchange/preview/", _upload),
          imports),
    Route("POST /exchange/confirm/ (never previewed)", "exchange/confirm/", PAGE, NO_OBJECT,
          _submit("/exchange/confirm/", lambda _, __: {"table": "orgs", "digest": "0" * 64}), confirms_nothing),
    Route("GET /people/{number}/", "people/<str:number>/", PAGE, PERSON, _get("/people/{}/"),
          read_person, effect=_names_person),
    Route("POST /people/{number}/reveal/", "people/<str:number>/reveal/", PAGE, PERSON,
          _submit("/people/{}/reveal/"), reveal, effect=_numbers_revealed),
    Route("GET /people/{number}/edit/", "people/<str:number>/edit/", PAGE, PERSON,
          _get("/people/{}/edit/"), write_person()),
    Route("POST /people/{number}/edit/", "people/<str:number>/edit/", PAGE, PERSON,
          _submit("/people/{}/edit/", _person_edit), write_person(), done=_TO_PERSON,
          effect=_person_renamed, mutates=True),
    Route("GET /people/{number}/transfer/", "people/<str:number>/transfer/", PAGE, PERSON,
          _get("/people/{}/transfer/"), write_person()),
    Route("POST /people/{number}/transfer/", "people/<str:number>/transfer/", PAGE, PERSON,
          _submit("/people/{}/transfer/", _transfer), write_person(dest_refused=FORM_ERROR),
          done=_TO_PERSON, dest=TRANSFER_TO.__getitem__, effect=_person_transferred,
          mutates=True),
    # the API without an object
    Route("GET /api/openapi.json", "api/openapi.json", API, NO_OBJECT, _get("/api/openapi.json"),
          signed_in),
    Route("GET /api/docs", "api/docs", PAGE, NO_OBJECT, _get("/api/docs"), signed_in),
    Route("GET /api/", "api/", PAGE, NO_OBJECT, _get("/api/"), no_such_page, anonymous=NOT_FOUND),
    Route("GET /api/accounts/me", "api/accounts/me", API, NO_OBJECT, _get("/api/accounts/me"),
          signed_in, operation="GET /api/accounts/me"),
    Route("GET /api/accounts/audit", "api/accounts/audit", API, NO_OBJECT,
          _get("/api/accounts/audit"), only("audit"), operation="GET /api/accounts/audit"),
    Route("GET /api/orgs", "api/orgs", API, NO_OBJECT, _get("/api/orgs"), business_data,
          operation="GET /api/orgs"),
    Route("GET /api/people", "api/people", API, NO_OBJECT, _get("/api/people"), business_data,
          operation="GET /api/people"),
    Route("GET /api/activities", "api/activities", API, NO_OBJECT, _get("/api/activities"), business_data,
          operation="GET /api/activities"),
    Route("GET /api/claims", "api/claims", API, NO_OBJECT, _get("/api/claims"), business_data,
          operation="GET /api/claims"),
    Route("POST /api/claims", "api/claims", API, NO_OBJECT, _call("/api/claims", _api_claim), claims_for_oneself,
          operation="POST /api/claims", done=CREATED, effect=_api_claim_submitted),
    Route("GET /api/credit-rules", "api/credit-rules", API, NO_OBJECT, _get("/api/credit-rules"), business_data,
          operation="GET /api/credit-rules"),
    Route("PUT /api/credit-rules/讲党课", "api/credit-rules/<kind>", API, NO_OBJECT,
          _call("/api/credit-rules/讲党课", lambda _, __: {"hours_per_session": "2.5"}, method="PUT"),
          sets_credit_rules, operation="PUT /api/credit-rules/{kind}", effect=_credit_rule_changed),
    Route("GET /api/rules", "api/rules", API, NO_OBJECT, _get("/api/rules"), business_data,
          operation="GET /api/rules"),
    Route("GET /api/rules/{province rule}", "api/rules/<code>", API, NO_OBJECT, _get(f"/api/rules/{OFF_JOB_RULE}"),
          business_data, operation="GET /api/rules/{code}"),
    Route("POST /api/rules/{province rule}/versions", "api/rules/<code>/versions", API, NO_OBJECT,
          _call(f"/api/rules/{OFF_JOB_RULE}/versions", _version_body), edits_province_rule,
          operation="POST /api/rules/{code}/versions", done=CREATED, effect=_versioned(OFF_JOB_RULE)),
    Route("GET /api/compliance", "api/compliance", API, NO_OBJECT, _get("/api/compliance?year=2025"), business_data,
          operation="GET /api/compliance"),
    Route("GET /api/exemptions", "api/exemptions", API, NO_OBJECT, _get("/api/exemptions"), business_data,
          operation="GET /api/exemptions"),
    # the API on an organization
    Route("GET /api/orgs?under={code}", "api/orgs", API, ORG, _get("/api/orgs?under={}"), read_org,
          operation="GET /api/orgs"),
    Route("GET /api/orgs/{code}", "api/orgs/<code>", API, ORG, _get("/api/orgs/{}"), read_org,
          operation="GET /api/orgs/{code}", effect=_names_org),
    Route("GET /api/orgs/{code}/children", "api/orgs/<code>/children", API, ORG,
          _get("/api/orgs/{}/children"), read_org, operation="GET /api/orgs/{code}/children"),
    Route("POST /api/orgs (parent_code={code})", "api/orgs", API, ORG, _call("/api/orgs", _new_org),
          write_org(), operation="POST /api/orgs", done=CREATED, effect=_org_created,
          mutates=True),
    Route("PATCH /api/orgs/{code}", "api/orgs/<code>", API, ORG,
          _call("/api/orgs/{}", _rename, method="PATCH"), write_org(),
          operation="PATCH /api/orgs/{code}", effect=_org_renamed, mutates=True),
    Route("POST /api/orgs/{code}/move (to its parent)", "api/orgs/<code>/move", API, ORG,
          _call("/api/orgs/{}/move", _move), write_org(), operation="POST /api/orgs/{code}/move",
          dest=PARENT.__getitem__, effect=_org_moved, mutates=True),
    Route("POST /api/orgs/{code}/deactivate", "api/orgs/<code>/deactivate", API, ORG,
          _call("/api/orgs/{}/deactivate"), write_org(),
          operation="POST /api/orgs/{code}/deactivate", effect=_org_deactivated, mutates=True,
          prepare=_emptied),
    # the API on an activity (ACT-<code> is hosted by the organization in the position)
    Route("GET /api/activities?org={code}", "api/activities", API, ORG, _get("/api/activities?org={}"),
          read_org, operation="GET /api/activities"),
    Route("POST /api/activities (host_code={code})", "api/activities", API, ORG,
          _call("/api/activities", _api_new_activity), write_org(), operation="POST /api/activities",
          done=CREATED, effect=_activity_created),
    Route("GET /api/activities/{number}", "api/activities/<number>", API, ORG, _get("/api/activities/ACT-{}"),
          read_org, operation="GET /api/activities/{number}", effect=_names_activity),
    Route("PUT /api/activities/{number}", "api/activities/<number>", API, ORG,
          _call("/api/activities/ACT-{}", _api_activity_put, method="PUT"), write_org(),
          operation="PUT /api/activities/{number}", effect=_activity_renamed),
    Route("GET /api/activities/{number}/attendance", "api/activities/<number>/attendance", API, ORG,
          _get("/api/activities/ACT-{}/attendance"), read_org, operation="GET /api/activities/{number}/attendance"),
    Route("POST /api/activities/{number}/attendance", "api/activities/<number>/attendance", API, ORG,
          _call("/api/activities/ACT-{}/attendance", _api_attendance), write_org(),
          operation="POST /api/activities/{number}/attendance", effect=_signed_in_for),
    Route("GET /api/claims?org={code}", "api/claims", API, ORG, _get("/api/claims?org={}"), read_org,
          operation="GET /api/claims"),
    # the API on a campaign and a plan (ZT-<code>: the campaign the organization organizes and covers)
    Route("GET /api/campaigns", "api/campaigns", API, NO_OBJECT, _get("/api/campaigns"), business_data,
          operation="GET /api/campaigns"),
    Route("POST /api/campaigns (organizer_code={code})", "api/campaigns", API, ORG,
          _call("/api/campaigns", _new_campaign_body), write_org(), operation="POST /api/campaigns", done=CREATED,
          effect=_campaign_created),
    Route("GET /api/campaigns/{code}", "api/campaigns/<code>", API, ORG, _get("/api/campaigns/ZT-{}"), meets_org,
          operation="GET /api/campaigns/{code}", prepare=_campaign_of, sees=Persona.meets),
    Route("PUT /api/campaigns/{code}", "api/campaigns/<code>", API, ORG,
          _call("/api/campaigns/ZT-{}", _campaign_body, method="PUT"), write_campaign,
          operation="PUT /api/campaigns/{code}", effect=_campaign_renamed, prepare=_campaign_of, sees=Persona.meets),
    Route("GET /api/campaigns/{code}/progress", "api/campaigns/<code>/progress", API, ORG,
          _get("/api/campaigns/ZT-{}/progress"), meets_org, operation="GET /api/campaigns/{code}/progress",
          prepare=_campaign_of, sees=Persona.meets),
    Route("POST /api/campaigns/{code}/activities (its ZA-{code})", "api/campaigns/<code>/activities", API, ORG,
          _call("/api/campaigns/ZT-{}/activities", lambda code, _: {"activity_number": f"ZA-{code}"}), write_org(),
          operation="POST /api/campaigns/{code}/activities", effect=_activity_in_campaign,
          prepare=_campaign_and_activity, sees=Persona.meets),
    Route("DELETE /api/campaigns/{code}/activities/{number}", "api/campaigns/<code>/activities/<number>", API, ORG,
          lambda code, _: Req("DELETE", f"/api/campaigns/ZT-{code}/activities/ZA-{code}"), write_org(),
          operation="DELETE /api/campaigns/{code}/activities/{number}", effect=_activity_out_of_campaign,
          prepare=_campaign_with_activity, sees=Persona.meets),
    Route("GET /api/plans/orgs/{code}", "api/plans/orgs/<code>", API, ORG, _get("/api/plans/orgs/{}?year=2025"),
          read_org, operation="GET /api/plans/orgs/{code}", prepare=_org_plan_of),
    Route("PUT /api/plans/orgs/{code}", "api/plans/orgs/<code>", API, ORG,
          _call("/api/plans/orgs/{}", _org_plan_body, method="PUT"), write_org(),
          operation="PUT /api/plans/orgs/{code}", effect=_org_plan_saved),
    Route("GET /api/plans/people/{number}", "api/plans/people/<number>", API, PERSON,
          _get("/api/plans/people/{}?year=2025"), read_person, operation="GET /api/plans/people/{number}",
          prepare=_personal_plan_of),
    Route("PUT /api/plans/people/{number}", "api/plans/people/<number>", API, PERSON,
          _call("/api/plans/people/{}", _personal_plan_body, method="PUT"), own_or_write_person,
          operation="PUT /api/plans/people/{number}", effect=_personal_plan_saved),
    # the 成果转化 API (<code>-CG2025-001: the outcome the organization in the position recorded)
    Route("GET /api/outcomes?org={code}", "api/outcomes", API, ORG, _get("/api/outcomes?org={}"), read_org,
          operation="GET /api/outcomes", prepare=_outcome_of),
    Route("POST /api/outcomes (org_code={code})", "api/outcomes", API, ORG, _call("/api/outcomes", _new_outcome_body),
          write_org(), operation="POST /api/outcomes", done=CREATED, effect=_outcome_recorded),
    Route("GET /api/outcomes/{number}", "api/outcomes/<number>", API, ORG, _get("/api/outcomes/{}-CG2025-001"),
          read_org, operation="GET /api/outcomes/{number}", prepare=_outcome_of),
    Route("PUT /api/outcomes/{number}", "api/outcomes/<number>", API, ORG,
          _call("/api/outcomes/{}-CG2025-001", _outcome_body, method="PUT"), write_org(),
          operation="PUT /api/outcomes/{number}", effect=_outcome_recorded, prepare=_outcome_of),
    Route("POST /api/outcomes/{number}/submit", "api/outcomes/<number>/submit", API, ORG,
          _call("/api/outcomes/{}-CG2025-001/submit"), write_org(), operation="POST /api/outcomes/{number}/submit",
          effect=_experience_in("submitted"), prepare=_experience_of),
    Route("POST /api/outcomes/{number}/review (approve)", "api/outcomes/<number>/review", API, ORG,
          _call("/api/outcomes/{}-CG2025-001/review", lambda _, __: {"decision": "approve"}), reviews_experience,
          operation="POST /api/outcomes/{number}/review", effect=_experience_in("published"),
          prepare=_submitted_experience_of),
    Route("POST /api/outcomes/{number}/withdraw", "api/outcomes/<number>/withdraw", API, ORG,
          _call("/api/outcomes/{}-CG2025-001/withdraw", lambda _, __: {"reason": "矩阵撤回"}), write_org(),
          operation="POST /api/outcomes/{number}/withdraw", effect=_outcome_withdrawn, prepare=_outcome_of),
    # the 学习资料库 API (the item LIBRARY_ITEM published by K1)
    Route("GET /api/library/items", "api/library/items", API, NO_OBJECT, _get("/api/library/items?q=矩阵"),
          business_data, operation="GET /api/library/items", prepare=_library_item),
    Route("POST /api/library/items (org_code=K1)", "api/library/items", API, NO_OBJECT,
          _call("/api/library/items", lambda _, __: {**_library_form(_, __), "org_code": "K1"}),
          fixed(plans_from, "K1"), operation="POST /api/library/items", done=CREATED, effect=_library_published),
    Route("GET /api/library/items/{id}", "api/library/items/<item_id>", API, NO_OBJECT,
          _get(f"/api/library/items/{LIBRARY_ITEM}"), reads_library_item, operation="GET /api/library/items/{item_id}",
          prepare=_library_item),
    Route("POST /api/library/items/{id}/withdraw", "api/library/items/<item_id>/withdraw", API, NO_OBJECT,
          _call(f"/api/library/items/{LIBRARY_ITEM}/withdraw", lambda _, __: {"reason": "矩阵撤回"}),
          writes_library_item, operation="POST /api/library/items/{item_id}/withdraw", effect=_library_withdrawn,
          prepare=_library_item),
    Route("GET /api/library/today", "api/library/today", API, NO_OBJECT, _get("/api/library/today"), business_data,
          operation="GET /api/library/today"),
    Route("POST /api/library/items/{id}/heartbeat", "api/library/items/<item_id>/heartbeat", API, NO_OBJECT,
          _call(f"/api/library/items/{LIBRARY_ITEM}/heartbeat", lambda _, __: {"visible": True, "active": True}),
          beats_library_item, operation="POST /api/library/items/{item_id}/heartbeat", effect=_beaten,
          prepare=_library_item),
    # the API on a person
    Route("GET /api/people?org={code}", "api/people", API, ORG, _get("/api/people?org={}"),
          read_org, operation="GET /api/people"),
    Route("POST /api/people (org_code={code})", "api/people", API, ORG,
          _call("/api/people", _new_person), write_org(), operation="POST /api/people",
          done=CREATED, effect=_person_created, mutates=True),
    Route("GET /api/people/{number}", "api/people/<number>", API, PERSON, _get("/api/people/{}"),
          read_person, operation="GET /api/people/{number}", effect=_names_person),
    Route("PATCH /api/people/{number}", "api/people/<number>", API, PERSON,
          _call("/api/people/{}", _rename, method="PATCH"), write_person(),
          operation="PATCH /api/people/{number}", effect=_person_renamed, mutates=True),
    Route("POST /api/people/{number}/transfer", "api/people/<number>/transfer", API, PERSON,
          _call("/api/people/{}/transfer", _transfer), write_person(),
          operation="POST /api/people/{number}/transfer", dest=TRANSFER_TO.__getitem__,
          effect=_person_transferred, mutates=True),
    Route("POST /api/people/{number}/reveal", "api/people/<number>/reveal", API, PERSON,
          _call("/api/people/{}/reveal"), reveal, operation="POST /api/people/{number}/reveal",
          effect=_numbers_revealed),
    Route("GET /api/people/{number}/archive", "api/people/<number>/archive", API, PERSON,
          _get("/api/people/{}/archive"), read_person, operation="GET /api/people/{number}/archive",
          effect=_names_person),
    Route("POST /api/claims/{claim_id}/decision (the person's pending claim)", "api/claims/<claim_id>/decision",
          API, PERSON, _api_decision, write_person(), operation="POST /api/claims/{claim_id}/decision",
          effect=_claim_certified, prepare=_pending_api_claim),
    # the norms API (ZR-<code>: the rule the organization in the position made; exemptions for the person)
    Route("POST /api/rules (owner_code={code})", "api/rules", API, ORG, _call("/api/rules", _new_rule_body),
          write_org(), operation="POST /api/rules", done=CREATED, effect=_rule_created),
    Route("GET /api/rules/{code} (ZR-{code})", "api/rules/<code>", API, ORG, _get("/api/rules/ZR-{}"), meets_org,
          operation="GET /api/rules/{code}", prepare=_rule_of, sees=Persona.meets),
    Route("POST /api/rules/{code}/versions (ZR-{code})", "api/rules/<code>/versions", API, ORG,
          _call("/api/rules/ZR-{}/versions", _version_body), write_campaign,
          operation="POST /api/rules/{code}/versions", done=CREATED, effect=_versioned("ZR-{}"), prepare=_rule_of,
          sees=Persona.meets),
    Route("GET /api/compliance?org={code}", "api/compliance", API, ORG, _get("/api/compliance?year=2025&org={}"),
          read_org, operation="GET /api/compliance"),
    Route("GET /api/compliance/orgs/{code}", "api/compliance/orgs/<code>", API, ORG,
          _get("/api/compliance/orgs/{}?year=2025"), read_org, operation="GET /api/compliance/orgs/{code}",
          effect=_names_org),
    Route("GET /api/compliance/people/{number}", "api/compliance/people/<number>", API, PERSON,
          _get("/api/compliance/people/{}?year=2025"), read_person, operation="GET /api/compliance/people/{number}",
          effect=_names_person),
    Route("POST /api/exemptions (person_number={number})", "api/exemptions", API, PERSON,
          _call("/api/exemptions", _exemption_body), write_person(), operation="POST /api/exemptions", done=CREATED,
          effect=_exempted),
    Route("DELETE /api/exemptions/{id} (of {number})", "api/exemptions/<exemption_id>", API, PERSON,
          lambda number, _: Req("DELETE", f"/api/exemptions/{MATRIX_EXEMPTION}"), write_person(),
          operation="DELETE /api/exemptions/{exemption_id}", done=(204, ""), effect=_exemption_revoked,
          prepare=_exemption_of),
    # 学习排名 (off for members by default: then only those who read the organization see it)
    Route("GET /orgs/{code}/ranking/", "orgs/<str:code>/ranking/", PAGE, ORG, _get("/orgs/{}/ranking/"), read_org),
    Route("POST /orgs/{code}/ranking/ (on)", "orgs/<str:code>/ranking/", PAGE, ORG,
          _submit("/orgs/{}/ranking/", lambda code, dest: {"switch": "on"}), write_org(),
          done=(302, "/orgs/{}/ranking/"), effect=_ranking_on),
    # 我的学习 and 学习积分: one's own year; an organization's points switch and summary; the province's rules
    Route("GET /me/", "me/", PAGE, NO_OBJECT, _get("/me/"), claims_for_oneself),
    Route("GET /api/me/learning", "api/me/learning", API, NO_OBJECT, _get("/api/me/learning"), claims_for_oneself,
          operation="GET /api/me/learning"),
    Route("GET /api/me/points", "api/me/points", API, NO_OBJECT, _get("/api/me/points"), claims_for_oneself,
          operation="GET /api/me/points"),
    Route("GET /orgs/{code}/points/", "orgs/<str:code>/points/", PAGE, ORG, _get("/orgs/{}/points/"), read_org),
    Route("POST /orgs/{code}/points/ (on)", "orgs/<str:code>/points/", PAGE, ORG,
          _submit("/orgs/{}/points/", lambda code, dest: {"switch": "on"}), write_org(),
          done=(302, "/orgs/{}/points/"), effect=_points_on),
    Route("GET /orgs/{code}/points/ranking/", "orgs/<str:code>/points/ranking/", PAGE, ORG,
          _get("/orgs/{}/points/ranking/"), points_ranking_closed),
    Route("GET /admin/point-rules/", "admin/point-rules/", PAGE, NO_OBJECT, _get("/admin/point-rules/"),
          business_data),
    Route("POST /admin/point-rules/", "admin/point-rules/", PAGE, NO_OBJECT,
          _submit("/admin/point-rules/", lambda _, __: {"action": "每日一练", "points": "3", "daily_cap": "3",
                                                        "enabled": "on"}),
          sets_credit_rules, done=(302, "/admin/point-rules/"), effect=_point_rule_changed),
    # 年度学习总结和计划 (the organization in the position reports on 2025; its parent's side decides)
    Route("GET /orgs/{code}/reports/", "orgs/<str:code>/reports/", PAGE, ORG, _get("/orgs/{}/reports/"), read_org),
    Route("GET /orgs/{code}/reports/inbox/", "orgs/<str:code>/reports/inbox/", PAGE, ORG,
          _get("/orgs/{}/reports/inbox/?year=2025"), read_org),
    Route("GET /orgs/{code}/reports/2025/", "orgs/<str:code>/reports/<int:year>/", PAGE, ORG,
          _get("/orgs/{}/reports/2025/"), read_org, prepare=_report_of),
    Route("POST /orgs/{code}/reports/2025/ (draft)", "orgs/<str:code>/reports/<int:year>/", PAGE, ORG,
          _submit("/orgs/{}/reports/2025/", lambda code, dest: {"action": "draft"}), write_org(),
          done=(302, "/orgs/{}/reports/2025/"), effect=_report_drafted),
    Route("POST /orgs/{code}/reports/2025/ (accept)", "orgs/<str:code>/reports/<int:year>/", PAGE, ORG,
          _submit("/orgs/{}/reports/2025/", lambda code, dest: {"action": "accept"}), reviews_report,
          done=(302, "/orgs/{}/reports/2025/"), effect=_report_accepted, prepare=_submitted_report_of),
    Route("GET /orgs/{code}/reports/2025/export/", "orgs/<str:code>/reports/<int:year>/export/", PAGE, ORG,
          _get("/orgs/{}/reports/2025/export/"), read_org, prepare=_report_of),
    Route("GET /orgs/{code}/reports/2025/versions/1/", "orgs/<str:code>/reports/<int:year>/versions/<int:number>/",
          PAGE, ORG, _get("/orgs/{}/reports/2025/versions/1/"), read_org, prepare=_submitted_report_of),
    Route("GET /api/reports/inbox?org={code}", "api/reports/inbox", API, ORG,
          _get("/api/reports/inbox?org={}&year=2025"), read_org, operation="GET /api/reports/inbox"),
    Route("GET /api/reports/{code}/2025", "api/reports/<org>/<year>", API, ORG, _get("/api/reports/{}/2025"),
          read_org, operation="GET /api/reports/{org}/{year}", prepare=_report_of),
    Route("POST /api/reports/{code}/2025/draft", "api/reports/<org>/<year>/draft", API, ORG,
          _call("/api/reports/{}/2025/draft"), write_org(), operation="POST /api/reports/{org}/{year}/draft",
          done=CREATED, effect=_report_drafted),
    Route("PUT /api/reports/{code}/2025", "api/reports/<org>/<year>", API, ORG,
          _call("/api/reports/{}/2025", lambda code, dest: {"practices": NEW_NAME}, method="PUT"), write_org(),
          operation="PUT /api/reports/{org}/{year}", prepare=_report_of, effect=_report_edited),
    Route("POST /api/reports/{code}/2025/submit", "api/reports/<org>/<year>/submit", API, ORG,
          _call("/api/reports/{}/2025/submit"), write_org(), operation="POST /api/reports/{org}/{year}/submit",
          done=CREATED, prepare=_report_of, effect=_report_submitted),
    Route("POST /api/reports/{code}/2025/decision", "api/reports/<org>/<year>/decision", API, ORG,
          _call("/api/reports/{}/2025/decision", lambda code, dest: {"accept": True}), reviews_report,
          operation="POST /api/reports/{org}/{year}/decision", prepare=_submitted_report_of,
          effect=_report_accepted),
    # 述学 (the person in the position wrote the report MATRIX_STUDY; the organization in the position made a call)
    Route("GET /study-reports/", "study-reports/", PAGE, NO_OBJECT, _get("/study-reports/"), claims_for_oneself),
    Route("GET /study-reports/MATRIX/", "study-reports/<int:report_id>/", PAGE, PERSON,
          _get(f"/study-reports/{MATRIX_STUDY}/"), read_person, prepare=_study_report_of),
    Route("POST /study-reports/MATRIX/ (review)", "study-reports/<int:report_id>/", PAGE, PERSON,
          _submit(f"/study-reports/{MATRIX_STUDY}/", lambda number, dest: {"action": "review", "rating": "优秀"}),
          reviews_study, done=(302, f"/study-reports/{MATRIX_STUDY}/"), prepare=_study_report_of,
          effect=_study_status("reviewed")),
    Route("GET /study-reports/MATRIX/export/", "study-reports/<int:report_id>/export/", PAGE, PERSON,
          _get(f"/study-reports/{MATRIX_STUDY}/export/"), read_person, prepare=_study_report_of),
    Route("GET /orgs/{code}/study-reports/", "orgs/<str:code>/study-reports/", PAGE, ORG,
          _get("/orgs/{}/study-reports/?year=2025&who=全体党员"), read_org),
    Route("POST /orgs/{code}/study-reports/ (call)", "orgs/<str:code>/study-reports/", PAGE, ORG,
          _submit("/orgs/{}/study-reports/", _study_call_form), write_org(), done=(302, "/orgs/{}/study-reports/"),
          effect=_study_call_made),
    Route("GET /orgs/{code}/study-reports/missing/", "orgs/<str:code>/study-reports/missing/", PAGE, ORG,
          _get("/orgs/{}/study-reports/missing/?year=2025&who=全体党员"), read_org),
    Route("GET /api/study-reports?org={code}", "api/study-reports", API, ORG, _get("/api/study-reports?org={}"),
          read_org, operation="GET /api/study-reports"),
    Route("POST /api/study-reports", "api/study-reports", API, NO_OBJECT,
          _call("/api/study-reports", lambda _, __: {"year": 2025, "period": "年度", "title": "矩阵新述学"}),
          claims_for_oneself, operation="POST /api/study-reports", done=CREATED, effect=_study_written),
    Route("GET /api/study-reports/calls?org={code}", "api/study-reports/calls", API, ORG,
          _get("/api/study-reports/calls?org={}"), read_org, operation="GET /api/study-reports/calls",
          prepare=_study_call_of),
    Route("POST /api/study-reports/calls", "api/study-reports/calls", API, ORG,
          _call("/api/study-reports/calls", _study_call_body), write_org(), operation="POST /api/study-reports/calls",
          done=CREATED, effect=_study_call_made),
    Route("PUT /api/study-reports/calls/MATRIX", "api/study-reports/calls/<call_id>", API, ORG,
          _call(f"/api/study-reports/calls/{MATRIX_STUDY_CALL}", lambda _, __: {"title": NEW_NAME}, method="PUT"),
          write_org(), operation="PUT /api/study-reports/calls/{call_id}", prepare=_study_call_of,
          effect=_study_call_changed),
    Route("GET /api/study-reports/coverage?org={code}", "api/study-reports/coverage", API, ORG,
          _get("/api/study-reports/coverage?org={}&year=2025&period=年度"), read_org,
          operation="GET /api/study-reports/coverage"),
    Route("GET /api/study-reports/MATRIX", "api/study-reports/<report_id>", API, PERSON,
          _get(f"/api/study-reports/{MATRIX_STUDY}"), read_person, operation="GET /api/study-reports/{report_id}",
          prepare=_study_report_of),
    Route("PUT /api/study-reports/MATRIX", "api/study-reports/<report_id>", API, PERSON,
          _call(f"/api/study-reports/{MATRIX_STUDY}", lambda _, __: {"body": NEW_NAME}, method="PUT"),
          writes_own_study, operation="PUT /api/study-reports/{report_id}", prepare=_returned_study_report_of),
    Route("POST /api/study-reports/MATRIX/submit", "api/study-reports/<report_id>/submit", API, PERSON,
          _call(f"/api/study-reports/{MATRIX_STUDY}/submit"), writes_own_study,
          operation="POST /api/study-reports/{report_id}/submit", prepare=_returned_study_report_of,
          effect=_study_status("submitted")),
    Route("POST /api/study-reports/MATRIX/return", "api/study-reports/<report_id>/return", API, PERSON,
          _call(f"/api/study-reports/{MATRIX_STUDY}/return", lambda _, __: {"comment": "请补充"}), reviews_study,
          operation="POST /api/study-reports/{report_id}/return", prepare=_study_report_of,
          effect=_study_status("returned")),
    Route("POST /api/study-reports/MATRIX/review", "api/study-reports/<report_id>/review", API, PERSON,
          _call(f"/api/study-reports/{MATRIX_STUDY}/review", lambda _, __: {"rating": "良好"}), reviews_study,
          operation="POST /api/study-reports/{report_id}/review", prepare=_study_report_of,
          effect=_study_status("reviewed")),
    # 督学检查 pages (ZI-<code>: the inspection of the organization in the position by its parent)
    Route("GET /inspections/", "inspections/", PAGE, NO_OBJECT, _get("/inspections/"), business_data),
    Route("GET /orgs/{code}/inspections/", "orgs/<str:code>/inspections/", PAGE, ORG, _get("/orgs/{}/inspections/"),
          read_org),
    Route("GET /orgs/C1/inspections/new/", "orgs/<str:code>/inspections/new/", PAGE, NO_OBJECT,
          _get("/orgs/C1/inspections/new/"), fixed(plans_from, "C1")),
    Route("POST /orgs/C1/inspections/new/ (of K1)", "orgs/<str:code>/inspections/new/", PAGE, NO_OBJECT,
          _submit("/orgs/C1/inspections/new/", _new_inspection_form), fixed(plans_from, "C1"),
          done=(302, f"/inspections/{NEW_INSPECTION}/"), effect=_inspection_planned),
    Route("GET /inspections/{number}/", "inspections/<str:number>/", PAGE, ORG, _get("/inspections/ZI-{}/"),
          read_org, effect=_names_inspection),
    Route("GET /inspections/ZI-K1/edit/", "inspections/<str:number>/edit/", PAGE, NO_OBJECT,
          _get("/inspections/ZI-K1/edit/"), fixed(inspects)),
    Route("POST /inspections/ZI-K1/edit/", "inspections/<str:number>/edit/", PAGE, NO_OBJECT,
          _submit("/inspections/ZI-K1/edit/", _inspection_edit_form), fixed(inspects),
          done=(302, "/inspections/ZI-K1/"), effect=_inspection_renamed),
    Route("GET /inspections/ZI-K1/export/", "inspections/<str:number>/export/", PAGE, NO_OBJECT,
          _get("/inspections/ZI-K1/export/"), sees_inspection_of("K1")),
    Route("POST /inspections/{number}/findings/", "inspections/<str:number>/findings/", PAGE, ORG,
          lambda code, dest: Req("POST", f"/inspections/ZI-{code}/findings/",
                                 {"item": _item_of(code), "text": "矩阵新问题"}, form=True),
          inspects, done=(302, "/inspections/ZI-{}/"), effect=_found_on),
    Route("POST /inspections/ZI-K1/rectifications/", "inspections/<str:number>/rectifications/", PAGE, NO_OBJECT,
          lambda _, __: Req("POST", "/inspections/ZI-K1/rectifications/", {
              "finding": _finding_of("K1"), "requirement": "矩阵整改要求二", "responsible_code": "K1",
              "due_date": "2099-12-31"}, form=True),
          fixed(inspects), done=(302, "/inspections/ZI-K1/"), effect=_second_item),
    Route("GET /inspections/ZI-K1/rectifications/1/", "inspections/<str:number>/rectifications/<int:seq>/", PAGE,
          NO_OBJECT, _get("/inspections/ZI-K1/rectifications/1/"), sees_inspection_of("K1")),
    Route("POST /inspections/{number}/rectifications/1/answer/",
          "inspections/<str:number>/rectifications/<int:seq>/answer/", PAGE, ORG,
          _submit("/inspections/ZI-{}/rectifications/1/answer/", _evidence_upload), answers,
          done=(302, "/inspections/ZI-{}/rectifications/1/"), effect=_item_in("answered")),
    Route("POST /inspections/{number}/rectifications/1/verify/",
          "inspections/<str:number>/rectifications/<int:seq>/verify/", PAGE, ORG,
          _submit("/inspections/ZI-{}/rectifications/1/verify/", lambda _, __: {"decision": "close"}), inspects,
          done=(302, "/inspections/ZI-{}/rectifications/1/"), effect=_item_in("closed"), prepare=_answered),
    Route("GET /inspections/ZI-K1/rectifications/1/evidence/{id}/",
          "inspections/<str:number>/rectifications/<int:seq>/evidence/<int:evidence_id>/", PAGE, NO_OBJECT,
          _evidence_of("/inspections/ZI-K1/rectifications/1/evidence/{1}/"), sees_inspection_of("K1"),
          prepare=_answered),
    # the 督学检查 API, on ZI-K1
    Route("GET /api/inspections", "api/inspections", API, NO_OBJECT, _get("/api/inspections"), business_data,
          operation="GET /api/inspections"),
    Route("GET /api/inspections?org=K1", "api/inspections", API, NO_OBJECT, _get("/api/inspections?org=K1"),
          sees_inspection_of("K1"), operation="GET /api/inspections"),
    Route("POST /api/inspections (C1 of K1)", "api/inspections", API, NO_OBJECT,
          _call("/api/inspections", lambda _, __: {**_new_inspection_fields(_, __), "inspector_code": "C1",
                                                   "inspected_codes": ["K1"], "inspectors": [{"name": "矩阵检查员"}]}),
          fixed(plans_from, "C1"), operation="POST /api/inspections", done=CREATED, effect=_inspection_planned),
    Route("GET /api/inspections/ZI-K1", "api/inspections/<number>", API, NO_OBJECT, _get("/api/inspections/ZI-K1"),
          sees_inspection_of("K1"), operation="GET /api/inspections/{number}"),
    Route("PATCH /api/inspections/ZI-K1", "api/inspections/<number>", API, NO_OBJECT,
          _call("/api/inspections/ZI-K1", lambda _, __: {"title": NEW_NAME}, method="PATCH"), fixed(inspects),
          operation="PATCH /api/inspections/{number}", effect=_inspection_renamed),
    Route("POST /api/inspections/ZI-K1/findings", "api/inspections/<number>/findings", API, NO_OBJECT,
          _call("/api/inspections/ZI-K1/findings", lambda _, __: {"item_id": _item_of("K1"), "text": "矩阵新问题"}),
          fixed(inspects), operation="POST /api/inspections/{number}/findings", done=CREATED, effect=_found_on),
    Route("POST /api/inspections/ZI-K1/rectifications", "api/inspections/<number>/rectifications", API, NO_OBJECT,
          _call("/api/inspections/ZI-K1/rectifications", lambda _, __: {
              "finding_id": _finding_of("K1"), "requirement": "矩阵整改要求二", "responsible_code": "K1",
              "due_date": "2099-12-31"}),
          fixed(inspects), operation="POST /api/inspections/{number}/rectifications", done=CREATED,
          effect=_second_item),
    Route("POST /api/inspections/ZI-K1/rectifications/1/answer",
          "api/inspections/<number>/rectifications/<seq>/answer", API, NO_OBJECT,
          _submit("/api/inspections/ZI-K1/rectifications/1/answer", _evidence_upload), fixed(answers),
          operation="POST /api/inspections/{number}/rectifications/{seq}/answer", effect=_item_in("answered")),
    Route("POST /api/inspections/ZI-K1/rectifications/1/verify",
          "api/inspections/<number>/rectifications/<seq>/verify", API, NO_OBJECT,
          _call("/api/inspections/ZI-K1/rectifications/1/verify", lambda _, __: {"decision": "close"}),
          fixed(inspects), operation="POST /api/inspections/{number}/rectifications/{seq}/verify",
          effect=_item_in("closed"), prepare=_answered),
    Route("GET /api/inspections/ZI-K1/report", "api/inspections/<number>/report", API, NO_OBJECT,
          _get("/api/inspections/ZI-K1/report"), sees_inspection_of("K1"),
          operation="GET /api/inspections/{number}/report"),
    # 考学 question bank (on the question Q-K1, published by K1)
    Route("GET /api/exams/questions", "api/exams/questions", API, NO_OBJECT, _get("/api/exams/questions"),
          business_data, operation="GET /api/exams/questions"),
    Route("POST /api/exams/questions (K1)", "api/exams/questions", API, NO_OBJECT,
          _call("/api/exams/questions", lambda _, __: {**_QUESTION, "code": "Q-NEW"}), fixed(plans_from, "K1"),
          operation="POST /api/exams/questions", done=CREATED, effect=_question_exists("Q-NEW")),
    Route("GET /api/exams/questions/template", "api/exams/questions/template", API, NO_OBJECT,
          _get("/api/exams/questions/template"), business_data, operation="GET /api/exams/questions/template"),
    Route("GET /api/exams/questions/export", "api/exams/questions/export", API, NO_OBJECT,
          _get("/api/exams/questions/export"), business_data, operation="GET /api/exams/questions/export"),
    Route("POST /api/exams/questions/import (K1)", "api/exams/questions/import", API, NO_OBJECT,
          _submit("/api/exams/questions/import", _question_upload), imports_questions,
          operation="POST /api/exams/questions/import", effect=_question_exists("Q-UP")),
    Route("GET /api/exams/questions/Q-K1", "api/exams/questions/<code>", API, NO_OBJECT,
          _get("/api/exams/questions/Q-K1"), fixed(read_org, "K1"), operation="GET /api/exams/questions/{code}",
          prepare=_question_of_k1),
    Route("PATCH /api/exams/questions/Q-K1", "api/exams/questions/<code>", API, NO_OBJECT,
          _call("/api/exams/questions/Q-K1", lambda _, __: {"enabled": False}, method="PATCH"),
          fixed(plans_from, "K1"), operation="PATCH /api/exams/questions/{code}", prepare=_question_of_k1,
          effect=_question_disabled),
    # 考学 papers, exams and attempts (the paper PA-K1 and the exam EX-K1 of K1; MEM1's attempt at it)
    Route("POST /api/exams/papers (K1)", "api/exams/papers", API, NO_OBJECT,
          _call("/api/exams/papers", lambda _, __: {"code": "PA-NEW", "title": "矩阵新卷", "publisher": "K1",
                                                    "items": [{"question": "Q-K1", "points": 10}]}),
          fixed(plans_from, "K1"), operation="POST /api/exams/papers", done=CREATED, prepare=_question_of_k1,
          effect=_exists("Paper", code="PA-NEW")),
    Route("GET /api/exams", "api/exams", API, NO_OBJECT, _get("/api/exams"), business_data,
          operation="GET /api/exams"),
    Route("POST /api/exams (K1)", "api/exams", API, NO_OBJECT,
          _call("/api/exams", lambda _, __: {"code": "EX-NEW", "title": "矩阵新考试", "paper": "PA-K1", "org": "K1",
                                             "opens_at": "2026-01-01T00:00:00+08:00",
                                             "closes_at": "2099-01-01T00:00:00+08:00", "duration_minutes": 30,
                                             "pass_mark": 5}),
          fixed(plans_from, "K1"), operation="POST /api/exams", done=CREATED, prepare=_paper_of_k1,
          effect=_exists("Exam", code="EX-NEW")),
    Route("PUT /api/exams/EX-K1/credit-hours", "api/exams/<code>/credit-hours", API, NO_OBJECT,
          _call("/api/exams/EX-K1/credit-hours", lambda _, __: {"credit_hours": "1.5"}, method="PUT"),
          sets_exam_credit, operation="PUT /api/exams/{code}/credit-hours", prepare=_exam_of_k1,
          effect=_exists("Exam", code="EX-K1", credit_hours=Decimal("1.5"))),
    Route("GET /api/exams/EX-K1/results", "api/exams/<code>/results", API, NO_OBJECT,
          _get("/api/exams/EX-K1/results"), fixed(read_org, "K1"), operation="GET /api/exams/{code}/results",
          prepare=_exam_of_k1),
    Route("GET /api/exams/mine", "api/exams/mine", API, NO_OBJECT, _get("/api/exams/mine"), claims_for_oneself,
          operation="GET /api/exams/mine"),
    Route("POST /api/exams/EX-K1/attempts", "api/exams/<code>/attempts", API, NO_OBJECT,
          _call("/api/exams/EX-K1/attempts"), claims_for_oneself, operation="POST /api/exams/{code}/attempts",
          done=CREATED, prepare=_exam_of_k1, effect=_exists("Attempt", exam__code="EX-K1")),
    Route("GET /api/exams/attempts", "api/exams/attempts", API, NO_OBJECT, _get("/api/exams/attempts"),
          claims_for_oneself, operation="GET /api/exams/attempts", prepare=_attempt_of_member),
    Route("GET /api/exams/attempts/MATRIX", "api/exams/attempts/<attempt_id>", API, NO_OBJECT,
          _get(f"/api/exams/attempts/{MATRIX_ATTEMPT}"), members_own_attempt,
          operation="GET /api/exams/attempts/{attempt_id}", prepare=_attempt_of_member),
    Route("PUT /api/exams/attempts/MATRIX/answers", "api/exams/attempts/<attempt_id>/answers", API, NO_OBJECT,
          _call(f"/api/exams/attempts/{MATRIX_ATTEMPT}/answers", lambda _, __: {"answers": {"1": "B"}}, method="PUT"),
          members_own_attempt, operation="PUT /api/exams/attempts/{attempt_id}/answers", prepare=_attempt_of_member,
          effect=_exists("AttemptAnswer", attempt_id=MATRIX_ATTEMPT, response="A")),
    Route("POST /api/exams/attempts/MATRIX/submit", "api/exams/attempts/<attempt_id>/submit", API, NO_OBJECT,
          _call(f"/api/exams/attempts/{MATRIX_ATTEMPT}/submit", lambda _, __: {"answers": {"1": "B"}}),
          members_own_attempt, operation="POST /api/exams/attempts/{attempt_id}/submit",
          prepare=_attempt_of_member, effect=_exists("Attempt", pk=MATRIX_ATTEMPT, score=10)),
    # 考学 pages
    Route("GET /exams/", "exams/", PAGE, NO_OBJECT, _get("/exams/"), business_data, prepare=_exam_of_k1),
    Route("GET /exams/questions/", "exams/questions/", PAGE, NO_OBJECT, _get("/exams/questions/"), business_data,
          prepare=_question_of_k1),
    Route("POST /exams/questions/import/ (K1)", "exams/questions/import/", PAGE, NO_OBJECT,
          _submit("/exams/questions/import/", _question_upload), imports_questions,
          effect=_exists("Question", code="Q-UP")),
    Route("GET /exams/attempts/MATRIX/", "exams/attempts/<int:attempt_id>/", PAGE, NO_OBJECT,
          _get(f"/exams/attempts/{MATRIX_ATTEMPT}/"), members_own_attempt, prepare=_attempt_of_member),
    Route("POST /exams/EX-K1/start/ (resumes)", "exams/<str:code>/start/", PAGE, NO_OBJECT,
          _submit("/exams/EX-K1/start/"), resumes_attempt, prepare=_running_attempts),
    Route("GET /exams/EX-K1/results/", "exams/<str:code>/results/", PAGE, NO_OBJECT, _get("/exams/EX-K1/results/"),
          fixed(read_org, "K1"), prepare=_exam_of_k1),
    Route("GET /exams/papers/new/", "exams/papers/new/", PAGE, NO_OBJECT, _get("/exams/papers/new/"),
          writes_some_org),
    # changing a question, a paper and an exam of K1 (the exam opening tomorrow)
    Route("GET /exams/questions/Q-K1/edit/", "exams/questions/<str:code>/edit/", PAGE, NO_OBJECT,
          _get("/exams/questions/Q-K1/edit/"), fixed(plans_from, "K1"), prepare=_question_of_k1),
    Route("POST /exams/questions/Q-K1/edit/", "exams/questions/<str:code>/edit/", PAGE, NO_OBJECT,
          _submit("/exams/questions/Q-K1/edit/", _question_edit_form), fixed(plans_from, "K1"),
          done=(302, "/exams/questions/"), effect=_question_changed, prepare=_question_of_k1),
    Route("POST /exams/questions/Q-K1/enabled/", "exams/questions/<str:code>/enabled/", PAGE, NO_OBJECT,
          _submit("/exams/questions/Q-K1/enabled/", lambda _, __: {"enabled": "0"}), fixed(plans_from, "K1"),
          done=(302, "/exams/questions/"), effect=_question_disabled, prepare=_question_of_k1),
    Route("GET /exams/papers/PA-K1/edit/", "exams/papers/<str:code>/edit/", PAGE, NO_OBJECT,
          _get("/exams/papers/PA-K1/edit/"), fixed(plans_from, "K1"), prepare=_paper_of_k1),
    Route("POST /exams/papers/PA-K1/edit/", "exams/papers/<str:code>/edit/", PAGE, NO_OBJECT,
          _submit("/exams/papers/PA-K1/edit/", lambda _, __: {"title": "矩阵改卷", "lines": "Q-K1,20"}),
          fixed(plans_from, "K1"), done=(302, "/exams/"), effect=_paper_changed, prepare=_paper_of_k1),
    Route("GET /exams/EX-K1/edit/", "exams/<str:code>/edit/", PAGE, NO_OBJECT, _get("/exams/EX-K1/edit/"),
          fixed(plans_from, "K1"), prepare=_upcoming_exam_of_k1),
    Route("POST /exams/EX-K1/edit/", "exams/<str:code>/edit/", PAGE, NO_OBJECT,
          _submit("/exams/EX-K1/edit/", _exam_edit_form), fixed(plans_from, "K1"), done=(302, "/exams/"),
          effect=_exam_changed, prepare=_upcoming_exam_of_k1),
    Route("POST /exams/EX-K1/credit/", "exams/<str:code>/credit/", PAGE, NO_OBJECT,
          _submit("/exams/EX-K1/credit/", lambda _, __: {"credit_hours": "1.5"}), sets_exam_credit,
          done=(302, "/exams/"), prepare=_exam_of_k1,
          effect=_exists("Exam", code="EX-K1", credit_hours=Decimal("1.5"))),
    Route("POST /exams/papers/new/ (K1)", "exams/papers/new/", PAGE, NO_OBJECT, _submit("/exams/papers/new/",
          lambda _, __: {"code": "PA-NEW", "title": "矩阵新卷", "publisher": "K1", "lines": "Q-K1,10"}),
          fixed(new_campaign_form, "K1"), done=(302, "/exams/"), prepare=_question_of_k1,
          effect=_exists("Paper", code="PA-NEW")),
    Route("GET /exams/new/", "exams/new/", PAGE, NO_OBJECT, _get("/exams/new/"), writes_some_org),
    Route("POST /exams/new/ (K1)", "exams/new/", PAGE, NO_OBJECT, _submit("/exams/new/", lambda _, __: {
          "code": "EX-NEW", "title": "矩阵新考试", "paper": "PA-K1", "org": "K1", "opens_at": "2026-01-01T08:00",
          "closes_at": "2099-01-01T08:00", "duration_minutes": "30", "max_attempts": "1", "pass_mark": "5"}),
          fixed(new_campaign_form, "K1"), done=(302, "/exams/"), prepare=_paper_of_k1,
          effect=_exists("Exam", code="EX-NEW")),
    # 每日一练: one's own, from the bank reaching one's organization
    Route("GET /exams/practice/", "exams/practice/", PAGE, NO_OBJECT, _get("/exams/practice/"), claims_for_oneself,
          prepare=_question_of_k1),
    Route("POST /exams/practice/", "exams/practice/", PAGE, NO_OBJECT, _submit("/exams/practice/", lambda _, __: {
          "q1": "A"}), claims_for_oneself, prepare=_question_of_k1),
    Route("GET /api/exams/practice", "api/exams/practice", API, NO_OBJECT, _get("/api/exams/practice"),
          claims_for_oneself, operation="GET /api/exams/practice", prepare=_question_of_k1),
    Route("POST /api/exams/practice", "api/exams/practice", API, NO_OBJECT,
          _call("/api/exams/practice", lambda _, __: {"answers": {"1": "A"}}), claims_for_oneself,
          operation="POST /api/exams/practice", prepare=_question_of_k1),
    # 评学和奖惩 pages
    Route("GET /orgs/{code}/assessment/", "orgs/<str:code>/assessment/", PAGE, ORG,
          _get("/orgs/{}/assessment/?year=2025"), read_org),
    Route("GET /orgs/C1/assessment/export/", "orgs/<str:code>/assessment/export/", PAGE, NO_OBJECT,
          _get("/orgs/C1/assessment/export/?kind=appraisal&year=2025"), fixed(read_org, "C1")),
    Route("GET /orgs/C1/assessment/evaluations/new/", "orgs/<str:code>/assessment/evaluations/new/", PAGE,
          NO_OBJECT, _get("/orgs/C1/assessment/evaluations/new/"), fixed(plans_from, "C1")),
    Route("POST /orgs/C1/assessment/evaluations/new/", "orgs/<str:code>/assessment/evaluations/new/", PAGE,
          NO_OBJECT, _submit("/orgs/C1/assessment/evaluations/new/", lambda _, __: {
              "title": NEW_NAME, "kind": "民主评议党员", "year": 2025, "opens": "2025-12-01", "closes": "2025-12-31",
              "excellent_cap": 20}), fixed(plans_from, "C1"), done=(302, "/orgs/C1/assessment/"),
          effect=_assessment_exists("Evaluation", title=NEW_NAME)),
    Route("GET /assessment/evaluations/MATRIX/", "assessment/evaluations/<int:pk>/", PAGE, NO_OBJECT,
          _get(f"/assessment/evaluations/{MATRIX_EVALUATION}/"), fixed(read_org, "C1"), prepare=_evaluation_of_c1),
    Route("POST /assessment/evaluations/MATRIX/votes/", "assessment/evaluations/<int:pk>/votes/", PAGE, NO_OBJECT,
          _submit(f"/assessment/evaluations/{MATRIX_EVALUATION}/votes/", lambda _, __: {
              "person_number": "MEM1", "excellent": 0, "qualified": 4, "basic": 0, "unqualified": 0, "grade": "",
              "note": ""}), fixed(plans_from, "C1"), done=(302, f"/assessment/evaluations/{MATRIX_EVALUATION}/"),
          prepare=_evaluation_of_c1, effect=_assessment_exists("DemocraticReview", person__number="MEM1")),
    Route("POST /assessment/evaluations/MATRIX/import/", "assessment/evaluations/<int:pk>/import/", PAGE, NO_OBJECT,
          _submit(f"/assessment/evaluations/{MATRIX_EVALUATION}/import/", _review_sheet), fixed(plans_from, "C1"),
          done=(302, f"/assessment/evaluations/{MATRIX_EVALUATION}/"), prepare=_evaluation_of_c1,
          effect=_assessment_exists("DemocraticReview", person__number="MEM1")),
    Route("POST /assessment/evaluations/MATRIX/close/", "assessment/evaluations/<int:pk>/close/", PAGE, NO_OBJECT,
          _submit(f"/assessment/evaluations/{MATRIX_EVALUATION}/close/"), fixed(plans_from, "C1"),
          done=(302, f"/assessment/evaluations/{MATRIX_EVALUATION}/"), prepare=_evaluation_of_c1,
          effect=_assessment_exists("Evaluation", pk=MATRIX_EVALUATION, status="closed")),
    Route("GET /assessment/evaluations/MATRIX/export/", "assessment/evaluations/<int:pk>/export/", PAGE, NO_OBJECT,
          _get(f"/assessment/evaluations/{MATRIX_EVALUATION}/export/"), fixed(read_org, "C1"),
          prepare=_evaluation_of_c1),
    Route("GET /assessment/weights/", "assessment/weights/", PAGE, NO_OBJECT, _get("/assessment/weights/"),
          business_data),
    Route("POST /assessment/weights/", "assessment/weights/", PAGE, NO_OBJECT,
          _submit("/assessment/weights/?year=2025", lambda _, __: _ALL_WEIGHTS), sets_credit_rules,
          done=(302, "/assessment/weights/"), effect=_assessment_exists("ScorecardWeights", year=2025,
                                                                        norms_weight=30)),
    Route("GET /orgs/C1/assessment/commendations/new/", "orgs/<str:code>/assessment/commendations/new/", PAGE,
          NO_OBJECT, _get("/orgs/C1/assessment/commendations/new/"), fixed(plans_from, "C1")),
    Route("POST /orgs/C1/assessment/commendations/new/", "orgs/<str:code>/assessment/commendations/new/", PAGE,
          NO_OBJECT, _submit("/orgs/C1/assessment/commendations/new/", lambda _, __: {
              **_SANCTION, "kind": "先进集体"}), fixed(plans_from, "C1"), done=(302, "/orgs/C1/assessment/"),
          effect=_assessment_exists("Commendation", reason=NEW_NAME)),
    Route("GET /orgs/C1/assessment/penalties/new/", "orgs/<str:code>/assessment/penalties/new/", PAGE, NO_OBJECT,
          _get("/orgs/C1/assessment/penalties/new/"), fixed(plans_from, "C1")),
    Route("POST /orgs/C1/assessment/penalties/new/", "orgs/<str:code>/assessment/penalties/new/", PAGE, NO_OBJECT,
          _submit("/orgs/C1/assessment/penalties/new/", lambda _, __: {**_SANCTION, "kind": "通报批评"}),
          fixed(plans_from, "C1"), done=(302, "/orgs/C1/assessment/"),
          effect=_assessment_exists("Penalty", reason=NEW_NAME)),
    Route("POST /assessment/penalties/MATRIX/rectified/", "assessment/penalties/<int:pk>/rectified/", PAGE,
          NO_OBJECT, _submit(f"/assessment/penalties/{MATRIX_PENALTY}/rectified/", lambda _, __: {"note": "已整改"}),
          decides_for_k1, done=(302, "/orgs/K1/assessment/"), prepare=_penalty_of_k1,
          effect=_assessment_exists("Penalty", pk=MATRIX_PENALTY, rectify_status="done")),
    Route("GET /assessment/evidence/{id}/", "assessment/evidence/<int:pk>/", PAGE, NO_OBJECT, _commendation_file,
          sees_k1_or_c1),
    # the 评学和奖惩 API
    Route("GET /api/assessment/evaluations", "api/assessment/evaluations", API, NO_OBJECT,
          _get("/api/assessment/evaluations"), business_data, operation="GET /api/assessment/evaluations"),
    Route("POST /api/assessment/evaluations", "api/assessment/evaluations", API, NO_OBJECT,
          _call("/api/assessment/evaluations", lambda _, __: {
              "org_code": "C1", "title": NEW_NAME, "year": 2025, "kind": "民主评议党员", "opens": "2025-12-01",
              "closes": "2025-12-31"}), fixed(plans_from, "C1"), operation="POST /api/assessment/evaluations",
          done=CREATED, effect=_assessment_exists("Evaluation", title=NEW_NAME)),
    Route("GET /api/assessment/evaluations/MATRIX", "api/assessment/evaluations/<evaluation_id>", API, NO_OBJECT,
          _get(f"/api/assessment/evaluations/{MATRIX_EVALUATION}"), fixed(read_org, "C1"),
          operation="GET /api/assessment/evaluations/{evaluation_id}", prepare=_evaluation_of_c1),
    Route("PUT /api/assessment/evaluations/MATRIX/reviews", "api/assessment/evaluations/<evaluation_id>/reviews", API,
          NO_OBJECT, _call(f"/api/assessment/evaluations/{MATRIX_EVALUATION}/reviews", lambda _, __: {
              "entries": [{"person_number": "MEM1", "qualified_votes": 3}]}, method="PUT"), fixed(plans_from, "C1"),
          operation="PUT /api/assessment/evaluations/{evaluation_id}/reviews", prepare=_evaluation_of_c1,
          effect=_assessment_exists("DemocraticReview", person__number="MEM1")),
    Route("POST /api/assessment/evaluations/MATRIX/close", "api/assessment/evaluations/<evaluation_id>/close", API,
          NO_OBJECT, _call(f"/api/assessment/evaluations/{MATRIX_EVALUATION}/close"), fixed(plans_from, "C1"),
          operation="POST /api/assessment/evaluations/{evaluation_id}/close", prepare=_evaluation_of_c1,
          effect=_assessment_exists("Evaluation", pk=MATRIX_EVALUATION, status="closed")),
    Route("GET /api/assessment/scorecard?org=C1", "api/assessment/scorecard", API, NO_OBJECT,
          _get("/api/assessment/scorecard?org=C1&year=2025"), fixed(read_org, "C1"),
          operation="GET /api/assessment/scorecard"),
    Route("GET /api/assessment/weights/2025", "api/assessment/weights/<year>", API, NO_OBJECT,
          _get("/api/assessment/weights/2025"), business_data, operation="GET /api/assessment/weights/{year}"),
    Route("PUT /api/assessment/weights/2025", "api/assessment/weights/<year>", API, NO_OBJECT,
          _call("/api/assessment/weights/2025", lambda _, __: _WEIGHTS, method="PUT"), sets_credit_rules,
          operation="PUT /api/assessment/weights/{year}",
          effect=_assessment_exists("ScorecardWeights", year=2025, norms_weight=30)),
    Route("GET /api/assessment/sanctions?org=C1", "api/assessment/sanctions", API, NO_OBJECT,
          _get("/api/assessment/sanctions?org=C1"), fixed(read_org, "C1"), operation="GET /api/assessment/sanctions"),
    Route("POST /api/assessment/commendations", "api/assessment/commendations", API, NO_OBJECT,
          _call("/api/assessment/commendations", lambda _, __: {**_SANCTION, "kind": "先进集体"}),
          fixed(plans_from, "C1"), operation="POST /api/assessment/commendations", done=CREATED,
          effect=_assessment_exists("Commendation", reason=NEW_NAME)),
    Route("POST /api/assessment/penalties", "api/assessment/penalties", API, NO_OBJECT,
          _call("/api/assessment/penalties", lambda _, __: {**_SANCTION, "kind": "通报批评"}),
          fixed(plans_from, "C1"), operation="POST /api/assessment/penalties", done=CREATED,
          effect=_assessment_exists("Penalty", reason=NEW_NAME)),
]

# Cells whose answer disagrees with the rules above because of a bug in src/ (see each reason).
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


# -- the cells -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cell:
    route: Route
    role: str
    position: str
    target: str
    dest: str

    @property
    def persona(self) -> Persona:
        return PERSONAS[self.role]

    @property
    def succeeds(self) -> bool:
        return self.persona.signed_in and self.route.rule(self.persona, self.target, self.dest) == DONE

    @property
    def expected(self) -> Expect:
        if not self.persona.signed_in:
            return self.route.anonymous_answer
        if self.succeeds:
            return self.route.done[0], self.route.done[1].format(self.target)
        return self.route.rule(self.persona, self.target, self.dest)

    @property
    def unseen(self) -> dict[str, str]:
        """What the caller may not see, and the identifier that exists nowhere in its place."""
        hidden = {}
        if self.target and not self.route.seen_by(self.persona, self.target):
            hidden[self.target] = MISSING
        if self.dest and not self.persona.reads_org(self.dest):
            hidden[self.dest] = MISSING_DEST
        return hidden

    @property
    def twin(self) -> Req | None:
        """The same request for what does not exist, whose answer this cell's must equal."""
        if not self.persona.signed_in:
            return None
        if self.route.target == NO_OBJECT:
            unknown_page = self.expected == NOT_FOUND and self.route.kind == PAGE
            return Req("GET", UNKNOWN_PAGE) if unknown_page else None
        if not self.unseen:
            return None
        hidden = self.unseen
        return self.route.request(hidden.get(self.target, self.target),
                                  hidden.get(self.dest, self.dest))


# On PostgreSQL every route and persona is asked again, from two positions: its own object (the
# allowed path, writes included, through PostgreSQL's SQL) and a sibling's (whose path shares all but
# the last step with its own: the prefix boundary of the LIKE every scope filter is). The other three
# positions differ from these only in which organization the Python above names, which SQLite's run
# of the whole matrix checks; the suite's time on two cores is what it saves (some 1.5 minutes).
POSTGRES_POSITIONS = ("-", "own", "sibling")
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]


def _cells() -> Iterator[Any]:
    for route in ROUTES:
        for role in PERSONAS:
            positions = list(POSITIONS[route.target].items())
            if PERSONAS[role].separated or not PERSONAS[role].signed_in:
                # An empty scope answers alike wherever the object stands: one position suffices.
                positions = positions[:1]
            elif ON_POSTGRES:
                positions = [(name, target) for name, target in positions if name in POSTGRES_POSITIONS]
            for position, target in positions:
                cell = Cell(route, role, position, target, route.dest(target) if target else "")
                reason = KNOWN_BUGS.get((route.key, role, position))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(cell, id=f"{role} | {route.key} | {position}", marks=marks)


def _body_as_if_missing(response: HttpResponse, cell: Cell) -> str | None:
    """The body, with what the caller may not see replaced by what does not exist."""
    if cell.twin is None:
        return None
    text = _text(response)
    for seen, missing in cell.unseen.items():
        text = text.replace(seen, missing)
    return text


def _body_of_missing(world: World, cell: Cell) -> str | None:
    if cell.twin is None:
        return None
    key = (cell.role, repr(cell.twin))
    if key not in world.missing_bodies:
        world.missing_bodies[key] = _text(_send(world.client(cell.role), cell.twin))
    return world.missing_bodies[key]


def _effect_seen(world: World, cell: Cell, response: HttpResponse) -> bool:
    if cell.route.effect is None:
        return cell.succeeds  # nothing to see beyond the answer itself
    return cell.route.effect(world, cell.target, cell.dest, response)


@pytest.mark.parametrize("cell", list(_cells()))
def test_each_route_answers_each_persona_by_position(cell: Cell, world: World, db: None) -> None:
    # given
    missing_body = _body_of_missing(world, cell)
    cell.route.prepare(cell.target)
    request = cell.route.request(cell.target, cell.dest)
    before = _state(request)
    # when
    response = _send(world.client(cell.role), request)
    # then
    assert _answer(response) == cell.expected
    assert _body_as_if_missing(response, cell) == missing_body
    assert (_state(request) != before) is (cell.route.mutates and cell.succeeds)
    assert _effect_seen(world, cell, response) is cell.succeeds


# -- no route goes unlisted ------------------------------------------------------------------------
def _patterns(resolvers: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in resolvers:
        route = prefix + str(entry.pattern)
        if route.startswith("system-admin/"):
            yield "system-admin/"  # Django's admin is one entry, checked with its index page
        elif isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, route)
        else:
            yield route


def _operations() -> Iterator[str]:
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            yield f"{method.upper()} {path}"


def test_every_url_pattern_and_api_operation_is_in_the_matrix() -> None:
    # given
    listed_patterns = {route.pattern for route in ROUTES}
    listed_operations = {route.operation for route in ROUTES} - {""}
    # when
    patterns = set(_patterns(get_resolver().url_patterns))
    operations = set(_operations())
    # then
    assert sorted(patterns - listed_patterns) == [], "URL patterns missing from ROUTES"
    assert sorted(operations - listed_operations) == [], "API operations missing from ROUTES"
    assert sorted(listed_patterns - patterns) == [], "ROUTES lists URL patterns that do not exist"
    assert sorted(listed_operations - operations) == [], "ROUTES lists operations that do not exist"
