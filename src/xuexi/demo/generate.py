"""`xuexi demo`: a reproducible demo province on Jilin's real divisions.

The tree is built in memory (paths computed as treebeard would), then written set-based:
COPY on PostgreSQL, executemany on SQLite. The same --scale and --seed give the same data.
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AdminRole, GrantRole, ScopeGrant, User
from xuexi.bulk import bulk_insert, next_id, reset_sequence
from xuexi.demo import names
from xuexi.demo.assessment import generate_assessment
from xuexi.demo.exams import generate_exams
from xuexi.demo.learning import generate_learning
from xuexi.demo.library import generate_library
from xuexi.demo.online import OnlinePlan, generate_online_credit, generate_reading_times
from xuexi.demo.outcomes import generate_experience_reviews, generate_outcomes
from xuexi.demo.reports import generate_reports
from xuexi.demo.studyreports import generate_study_reports
from xuexi.demo.supervision import generate_supervision
from xuexi.learning import totals
from xuexi.norms import standings
from xuexi.orgs.models import Organization, OrganizationChange
from xuexi.people import personal_numbers
from xuexi.people.models import Person, PersonGroup, Post

DEMO_PASSWORD = "Xuexi@2025demo"  # noqa: S105 (printed for the demo environment only)
DIVISIONS_FILE = Path(__file__).resolve().parent / "data" / "jilin-divisions.csv"


class DemoRefused(Exception):
    pass


@dataclass(frozen=True)
class Scale:
    townships: int  # per county-level unit
    units_per_township: int  # villages or communities
    county_units: int  # county-direct departments, schools, enterprises
    members: tuple[int, int]  # people per grassroots branch, min and max
    departments: int  # provincial departments under 省直机关工委
    department_units: int
    universities: int
    university_schools: int
    enterprises: int
    enterprise_units: int


SCALES = {
    "small": Scale(2, 2, 3, (6, 10), 6, 2, 3, 2, 3, 2),
    "county": Scale(6, 8, 10, (9, 15), 24, 3, 12, 6, 10, 5),
    "province": Scale(12, 82, 18, (14, 23), 24, 4, 12, 12, 10, 8),
}


@dataclass
class OrgNode:
    code: str
    name: str
    level: str
    kind: str
    sector: str
    has_central_group: bool = False
    region: str = "220102"  # division code used for the ID numbers of its people
    leaders: str = ""  # "province", "city", "county", "department": who sits on its central group
    children: list[OrgNode] = field(default_factory=list)
    id: int = 0
    path: str = ""

    def add(self, child: OrgNode) -> OrgNode:
        self.children.append(child)
        return child


@dataclass
class DemoResult:
    scale: str
    seed: int
    organizations: int
    people: int
    seconds: float
    accounts: list[tuple[str, str, str]]
    learning: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [
            f"演示省份已生成（规模 {self.scale}，种子 {self.seed}）：{self.organizations} 个党组织，"
            f"{self.people} 名人员，用时 {self.seconds:.1f} 秒。",
            *([f"本年度学习：{self.learning['activities']} 次活动，{self.learning['attendance']} 条参加记录，"
               f"{self.learning['claims']} 条学时申报。"] if self.learning else []),
            "",
            f"演示账户（密码均为 {DEMO_PASSWORD}）：",
        ]
        width = max(len(a[0]) for a in self.accounts)
        lines += [f"  {username.ljust(width)}  {role}：{where}" for username, role, where in self.accounts]
        return "\n".join(lines)


class _Progress:
    """A progress line on a terminal; silent when standard error is not one."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done = max(total, 1), label, 0
        self.enabled = sys.stderr.isatty()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.enabled:
            pct = min(100, self.done * 100 // self.total)
            bar = "#" * (pct // 4)
            print(f"\r{self.label} [{bar:<25}] {pct:3d}%", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


# -- the tree ----------------------------------------------------------------------------------

def _divisions() -> list[dict[str, str]]:
    with DIVISIONS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _place(rng: random.Random, used: set[str]) -> str:
    for _ in range(50):
        root = rng.choice(names.PLACE_ROOTS) + rng.choice(names.PLACE_ROOTS)
        if root not in used:
            used.add(root)
            return root
    return rng.choice(names.PLACE_ROOTS) + str(len(used))


def _county_tree(county: OrgNode, scale: Scale, rng: random.Random, is_zone: bool, is_district: bool) -> None:
    used: set[str] = set()
    for t in range(1, scale.townships + 1):
        urban = is_zone or (is_district and rng.random() < 0.7)
        place = _place(rng, used)
        code = f"{county.code}{t:03d}"
        if urban:
            township = county.add(OrgNode(code, f"{place}街道党工委", "乡级", "党工委", "社区", region=county.region))
        else:
            suffix = rng.choice(["镇", "镇", "乡"])
            township = county.add(OrgNode(code, f"中共{place}{suffix}委员会", "乡级", "党委", "农村",
                                          region=county.region))
        for u in range(1, scale.units_per_township + 1):
            unit_place = _place(rng, used)
            unit_code = f"{code}{u:03d}"
            if urban:
                kind = "党委" if rng.random() < 0.2 else "党支部"
                name = f"{unit_place}社区{'党委' if kind == '党委' else '党支部'}"
                township.add(OrgNode(unit_code, name, "基层", kind, "社区", region=county.region))
            else:
                township.add(OrgNode(unit_code, f"{unit_place}{rng.choice(names.VILLAGE_SUFFIX)}党支部", "基层",
                                     "党支部", "农村", region=county.region))
    short = county.name.removeprefix("中共").removesuffix("委员会").removesuffix("党工委")
    picked = sorted(rng.sample(range(len(names.COUNTY_UNITS)), min(scale.county_units, len(names.COUNTY_UNITS))))
    for i, (unit, sector, kind) in enumerate((names.COUNTY_UNITS[p] for p in picked), start=1):
        unit_name = unit.replace("县", short, 1)
        county.add(OrgNode(f"{county.code}9{i:02d}", f"{unit_name}{kind}", "基层", kind, sector,
                           region=county.region))


def build_tree(scale: Scale, rng: random.Random) -> OrgNode:
    rows = _divisions()
    province = next(r for r in rows if r["level"] == "省级")
    root = OrgNode(province["code"], "中共吉林省委员会", "省级", "党委", "党政机关", True, "220102", "province")

    # The provincial work committees beside the prefectures (seed document 五(四)).
    organs = root.add(OrgNode("22SZ", "中共吉林省直属机关工作委员会", "省级", "党工委", "党政机关", True, "220102",
                              "department"))
    for d, dept in enumerate(names.PROVINCIAL_DEPARTMENTS[: scale.departments], start=1):
        group = organs.add(OrgNode(f"22SZ{d:02d}", f"中共{dept}党组", "省级", "党组", "党政机关", True, "220102",
                                   "department"))
        committee = group.add(OrgNode(f"22SZ{d:02d}00", f"中共{dept}机关委员会", "基层", "党委", "党政机关",
                                      region="220102"))
        for u, unit in enumerate(names.DEPARTMENT_UNITS[: scale.department_units], start=1):
            committee.add(OrgNode(f"22SZ{d:02d}{u:02d}", f"{dept}{unit}", "基层", "党支部", "党政机关",
                                  region="220102"))
    colleges = root.add(OrgNode("22GX", "中共吉林省委高校工作委员会", "省级", "党工委", "高等学校", True, "220102",
                                "department"))
    for n, university in enumerate(names.UNIVERSITIES[: scale.universities], start=1):
        uni = colleges.add(OrgNode(f"22GX{n:02d}", f"中共{university}委员会", "基层", "党委", "高等学校", True,
                                   "220102", "department"))
        for s, school in enumerate(names.UNIVERSITY_SCHOOLS[: scale.university_schools], start=1):
            kind = "党委" if school == "机关" else "党总支"
            uni.add(OrgNode(f"22GX{n:02d}{s:02d}", f"{university}{school}{'党委' if kind == '党委' else '党总支'}",
                            "基层", kind, "高等学校", region="220102"))
    assets = root.add(OrgNode("22GZ", "中共吉林省国资委委员会", "省级", "党委", "国有企业", True, "220102",
                              "department"))
    for n, enterprise in enumerate(names.STATE_ENTERPRISES[: scale.enterprises], start=1):
        ent = assets.add(OrgNode(f"22GZ{n:02d}", f"中共{enterprise}委员会", "基层", "党委", "国有企业", True,
                                 "220102", "department"))
        for u, unit in enumerate(names.ENTERPRISE_UNITS[: scale.enterprise_units], start=1):
            ent.add(OrgNode(f"22GZ{n:02d}{u:02d}", f"{enterprise.removesuffix('有限公司').removesuffix('有限责任公司')}"
                                                  f"{unit}党支部", "基层", "党支部", "国有企业", region="220102"))

    cities: dict[str, OrgNode] = {}
    for row in rows:
        if row["level"] == "市级":
            name = f"中共{row['name']}委员会"
            cities[row["code"]] = root.add(OrgNode(row["code"], name, "市级", "党委", "党政机关", True,
                                                   row["code"][:4] + "02", "city"))
    for row in rows:
        if row["level"] != "县级":
            continue
        city = cities[row["parent_code"]]
        is_zone = row["name"].endswith(("开发区", "食品区"))
        if is_zone:
            county = city.add(OrgNode(row["code"], f"{row['name']}党工委", "县级", "党工委", "党政机关", True,
                                      city.region, "county"))
        else:
            county = city.add(OrgNode(row["code"], f"中共{row['name']}委员会", "县级", "党委", "党政机关", True,
                                      row["code"], "county"))
        _county_tree(county, scale, rng, is_zone, row["name"].endswith("区"))
    return root



def _walk(node: OrgNode) -> Iterator[OrgNode]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _assign_paths(root: OrgNode, first_id: int) -> list[OrgNode]:
    alphabet, steplen = Organization.alphabet, Organization.steplen

    def key(n: int) -> str:
        digits = ""
        while n:
            n, r = divmod(n, len(alphabet))
            digits = alphabet[r] + digits
        return digits.rjust(steplen, alphabet[0])

    root.path = key(1)
    ordered: list[OrgNode] = []
    for node in _walk(root):
        for i, child in enumerate(node.children, start=1):
            child.path = node.path + key(i)
        node.id = first_id + len(ordered)
        ordered.append(node)
    return ordered


# -- people ------------------------------------------------------------------------------------

class _PersonFactory:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = [s for s, _ in names.SURNAMES]
        self.weights = [w for _, w in names.SURNAMES]
        self.id_cards: set[str] = set()
        self.sequence = 0

    def name(self, female: bool) -> str:
        chars = names.GIVEN_FEMALE if female else names.GIVEN_MALE
        given = self.rng.choice(chars) + (self.rng.choice(chars) if self.rng.random() < 0.7 else "")
        return self.rng.choices(self.surnames, self.weights)[0] + given

    def id_card(self, region: str, female: bool, born_from: int, born_to: int) -> str:
        while True:
            born = date(born_from, 1, 1) + timedelta(days=self.rng.randrange((born_to - born_from) * 365))
            seq = self.rng.randrange(0, 500) * 2 + (0 if female else 1)
            first17 = f"{region}{born:%Y%m%d}{seq:03d}"
            number = first17 + personal_numbers.id_card_check_digit(first17)
            if number not in self.id_cards:
                self.id_cards.add(number)
                return number

    def phone(self) -> str:
        return f"1{self.rng.choice('3456789')}{self.rng.randrange(10**9):09d}"

    def next_number(self) -> str:
        self.sequence += 1
        return f"U{self.sequence:07d}"


PERSON_COLUMNS = (
    "id", "number", "name", "gender", "org_id", "rank", "leader_post", "central_group_member",
    "id_card_cipher", "id_card_index", "id_card_masked", "phone_cipher", "phone_index", "phone_masked",
    "birth_date", "is_active", "created_at", "updated_at",
)

_LEADERS = {
    # who sits on a central group: (领导职务, 职级, titles, how many)
    "province": ("省级领导", "省部级", names.LEADER_TITLES_PROVINCE, 11),
    "city": ("市州领导", "厅局级", names.LEADER_TITLES_CITY, 9),
    "county": ("县市区领导", "县处级", names.LEADER_TITLES_COUNTY, 8),
    "department": ("部门领导", "厅局级", ["书记", "副书记", "委员", "委员", "委员"], 5),
}


@dataclass
class _PersonRow:
    values: tuple[object, ...]
    groups: list[str]
    post: tuple[int, str] | None  # (org id, title)


def _people_of(node: OrgNode, scale: Scale, factory: _PersonFactory, rng: random.Random,
               now: object) -> Iterator[_PersonRow]:
    def make(rank: str, post: str, central: bool, female: bool, born: tuple[int, int],
             groups: list[str], title: str | None) -> _PersonRow:
        id_card = factory.id_card(node.region, female, *born)
        phone = factory.phone() if rng.random() < 0.93 else ""
        values = (
            0, factory.next_number(), factory.name(female), "女" if female else "男", node.id, rank, post,
            central,
            personal_numbers.encrypt(id_card, purpose="id_card"),
            personal_numbers.blind_index(id_card, purpose="id_card"),
            personal_numbers.mask_id_card(id_card),
            personal_numbers.encrypt(phone, purpose="phone") if phone else None,
            personal_numbers.blind_index(phone, purpose="phone") if phone else None,
            personal_numbers.mask_phone(phone) if phone else "",
            personal_numbers.birth_date_of(id_card), True, now, now,
        )
        return _PersonRow(values, groups, (node.id, title) if title else None)

    if node.leaders:
        post, rank, titles, count = _LEADERS[node.leaders]
        for i in range(count):
            yield make(rank, post, True, rng.random() < 0.15, (1960, 1980), [], titles[i % len(titles)])
        return
    if node.level != "基层":
        # Township committees: a few 乡科级 officials.
        for i in range(3):
            yield make("乡科级", "无", False, rng.random() < 0.3, (1968, 1992), [],
                       ["党委书记", "党委副书记", "组织委员"][i])
        return
    low, high = scale.members
    for i in range(rng.randint(low, high)):
        female = rng.random() < 0.3
        groups: list[str] = []
        if node.sector in ("农村", "社区") and rng.random() < 0.22:
            groups.append("离退休")
        if node.sector == "农村" and rng.random() < 0.25:
            groups.append("偏远农村")
        if node.sector == "非公有制经济组织":
            groups.append("非公有制经济组织")
        if node.sector == "社会组织":
            groups.append("新社会组织")
        if rng.random() < 0.03:
            groups.append("流动党员")
        if node.sector in ("农村", "社区") and rng.random() < 0.01:
            groups.append("下岗失业")
        if i == 0:
            rank, post, title = ("乡科级", "部门领导", "党支部书记") if node.sector == "党政机关" else \
                ("无", "无", "党支部书记")
        else:
            rank, post, title = ("无", "无", None)
        born = (1945, 1965) if "离退休" in groups else (1962, 2003)
        yield make(rank, post, False, female, born, groups, title)


# -- accounts ----------------------------------------------------------------------------------

def _demo_accounts(ordered: list[OrgNode]) -> list[tuple[str, str, str]]:
    by_code = {n.code: n for n in ordered}
    county = by_code["220102"]
    branch = next(n for n in _walk(county) if n.level == "基层")
    cadre = Person.objects.filter(org_id=county.id, leader_post="县市区领导").order_by("id").first()
    member = Person.objects.filter(org_id=branch.id, leader_post="无").order_by("id").last()
    assert cadre is not None and member is not None
    plan = [
        ("province_admin", "省级组织管理员", None, by_code["220000"], GrantRole.ORG_ADMIN, None),
        ("city_admin", "市级组织管理员", None, by_code["220100"], GrantRole.ORG_ADMIN, None),
        ("county_admin", "县级组织管理员", None, county, GrantRole.ORG_ADMIN, None),
        ("branch_admin", "支部管理员", None, branch, GrantRole.ORG_ADMIN, None),
        ("reviewer", "审阅（省委组织部、宣传部）", None, by_code["220000"], GrantRole.REVIEWER, None),
        ("cadre", "干部", None, None, None, cadre),
        ("member", "党员", None, None, None, member),
        ("sysadmin", "系统管理员", AdminRole.SYSTEM, None, None, None),
        ("secadmin", "安全管理员", AdminRole.SECURITY, None, None, None),
        ("auditor", "审计管理员", AdminRole.AUDIT, None, None, None),
    ]
    printed: list[tuple[str, str, str]] = []
    hasher_user = User(username="probe")
    hasher_user.set_password(DEMO_PASSWORD)
    for username, label, admin_role, org, role, person in plan:
        user = User.objects.create(
            username=username, display_name=person.name if person else label, admin_role=admin_role or "",
            person=person, must_change_password=False, is_demo_account=True,
            is_staff=admin_role == AdminRole.SYSTEM, password=hasher_user.password,
            password_changed_at=timezone.now(),
        )
        if org is not None and role is not None:
            ScopeGrant.objects.create(user=user, org_id=org.id, role=role)
            where = f"{org.name}（{org.code}）"
        elif person is not None:
            where = f"{person.name}（{person.number}），{person.org.name}"
        else:
            where = "不接触业务数据（三员分立）"
        printed.append((username, label, where))
    return printed


# -- reset and run ------------------------------------------------------------------------------

_RESET_TABLES = [
    "assessment_sanctionevidence", "assessment_commendation", "assessment_penalty", "assessment_democraticreview",
    "assessment_evaluation", "assessment_scorecardweights",
    "exams_attemptanswer", "exams_attempt", "exams_exam", "exams_paperdraw", "exams_paperitem", "exams_paper",
    "exams_question",
    # An outcome may name the library item its 典型经验 became: the outcomes go first.
    "outcomes_experienceevent", "outcomes_outcomeattachment", "outcomes_outcomesource", "outcomes_outcomeauthor",
    "outcomes_outcome",
    "library_readingtime", "library_onlinecreditrule",
    "library_pushopen", "library_itemview", "library_pushentry", "library_dailypush", "library_itemfile",
    "library_libraryitem_campaigns", "library_libraryitem",
    "supervision_evidence", "supervision_rectificationevent", "supervision_rectificationitem", "supervision_finding",
    "supervision_checklistitem", "supervision_inspector", "supervision_inspectedorganization",
    "supervision_inspection",
    "studyreports_studyreportevent", "studyreports_studyreport", "studyreports_studyreportcall",
    "reports_reportversion", "reports_annualreport",
    "norms_standing", "norms_standingyear", "norms_exemption", "notices_notification",
    "learning_platformcredit",
    "learning_credittotal", "learning_hostedtotal", "learning_speakertotal", "learning_attachment",
    "learning_attendance", "learning_activitycontentarea", "learning_learningclaim", "learning_activity",
    "learning_campaignrequirement", "learning_campaign", "learning_studyplanitem", "learning_studyplan",
    "learning_personalplan", "learning_creditrule",
    "otp_totp_totpdevice", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog",
    "django_session", "django_admin_log", "accounts_apitoken", "accounts_scopegrant",
    "accounts_user_groups", "accounts_user_user_permissions", "accounts_user",
    "people_transfer", "people_post", "people_persongroup", "people_person",
    "orgs_organizationchange", "orgs_organization",
]


def _reset() -> None:
    """Empty every table of business data and accounts; the audit log is append-only and stays."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in _RESET_TABLES:
            if table in existing:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 (fixed list)
            if table == "notices_notification":
                # The lower levels' own rules go with their organizations; the province's stay.
                cursor.execute("DELETE FROM norms_ruleversion WHERE rule_id IN "
                               "(SELECT id FROM norms_rule WHERE owner_id IS NOT NULL)")
                cursor.execute("DELETE FROM norms_rule WHERE owner_id IS NOT NULL")


def generate(*, scale: str = "small", seed: int = 2025, reset: bool = False, learning: bool = True) -> DemoResult:
    """Fill the database with the demo province; refuse a database that already holds organizations."""
    started = time.monotonic()
    spec = SCALES[scale]
    if Organization.objects.exists() and not reset:
        raise DemoRefused("数据库中已有组织数据。如确需用演示数据替换全部业务数据和账户，请加 --reset。")
    rng = random.Random(seed)
    now = timezone.now()
    with transaction.atomic():
        if reset:
            _reset()
        root = build_tree(spec, rng)
        ordered = _assign_paths(root, next_id(Organization))
        bulk_insert(
            Organization,
            ("id", "path", "depth", "numchild", "code", "name", "level", "kind", "sector", "has_central_group",
             "is_active", "created_at", "updated_at"),
            ((n.id, n.path, len(n.path) // Organization.steplen, len(n.children), n.code, n.name, n.level,
              n.kind, n.sector, n.has_central_group, True, now, now) for n in ordered),
        )
        reset_sequence(Organization)
        bulk_insert(
            OrganizationChange, ("org_id", "at", "actor_name", "action", "before", "after"),
            ((n.id, now, "演示数据", "create", "{}", f'{{"code": "{n.code}"}}') for n in ordered),
        )
        people = _write_people(ordered, spec, rng, now)
        learned = generate_learning(rng=rng, today=timezone.localdate(), now=now) if learning else {}
        if learning:
            # A generator of its own, so that the outcomes leave every other figure of a seed as it was.
            learned["outcomes"] = generate_outcomes(rng=random.Random(seed * 7 + 5), today=timezone.localdate(),
                                                    now=now)
        online = OnlinePlan()
        if learning:
            # 网络学习: the days' credit before the rebuild counts it; the reading records once the items exist.
            online, learned["online_credit_days"] = generate_online_credit(
                rng=random.Random(seed * 17 + 9), today=timezone.localdate(), now=now)
        totals.rebuild()
        if learning:
            learned["reports"] = generate_reports(rng=random.Random(seed * 11 + 3), today=timezone.localdate(),
                                                  now=now)
            learned["study_reports"] = generate_study_reports(rng=random.Random(seed * 13 + 5),
                                                              today=timezone.localdate(), now=now)
        # The dashboards' standings, this year's and last year's (the trend), held from the start.
        for year in (timezone.localdate().year - 1, timezone.localdate().year):
            standings.ensure_year(year)
        accounts = _demo_accounts(ordered)
        if learning:
            # By the demo accounts themselves, through the services: a handful of rows at every scale.
            learned["rectifications"] = generate_supervision(today=timezone.localdate())
            learned.update(generate_library(today=timezone.localdate()))
            # 典型经验 sent up, approved and published by the level above, returned or withdrawn: a few hundred.
            learned["typical_experiences"] = generate_experience_reviews(rng=random.Random(seed * 23 + 1), now=now)
            learned["reading_times"] = generate_reading_times(online)
            learned.update(generate_exams(today=timezone.localdate()))
            # 评学和奖惩: after the inspection, whose finding a penalty follows.
            learned.update(generate_assessment(rng=random.Random(seed * 19 + 7), today=timezone.localdate()))
        audit_record(action="demo_generate", actor_name="xuexi demo", object_type="database",
                     detail={"scale": scale, "seed": seed, "organizations": len(ordered), "people": people,
                             **learned})
    _analyze()
    return DemoResult(scale, seed, len(ordered), people, time.monotonic() - started, accounts, learned)


def _write_people(ordered: list[OrgNode], spec: Scale, rng: random.Random, now: object) -> int:
    factory = _PersonFactory(rng)
    person_id = next_id(Person)
    progress = _Progress(len(ordered), "生成人员")
    total = 0
    chunk: list[_PersonRow] = []

    def flush() -> None:
        nonlocal total
        if not chunk:
            return
        bulk_insert(Person, PERSON_COLUMNS, (r.values for r in chunk))
        bulk_insert(PersonGroup, ("person_id", "group"),
                    ((r.values[0], g) for r in chunk for g in r.groups))
        bulk_insert(Post, ("person_id", "org_id", "title", "start_date"),
                    ((r.values[0], r.post[0], r.post[1], None) for r in chunk if r.post))
        total += len(chunk)
        chunk.clear()

    for node in ordered:
        for row in _people_of(node, spec, factory, rng, now):
            row.values = (person_id, *row.values[1:])
            person_id += 1
            chunk.append(row)
        if len(chunk) >= 20000:
            flush()
        progress.advance()
    flush()
    progress.close()
    reset_sequence(Person)
    reset_sequence(PersonGroup)
    reset_sequence(Post)
    return total


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


__all__ = ["DEMO_PASSWORD", "DemoRefused", "DemoResult", "generate"]
