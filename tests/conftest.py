"""The persona tree every test shares, as in conventions.md:

    P 省委 (province)
    ├── C1 甲市 (city)
    │   ├── K1 丙县 (county)  ── T1 镇 ── B1 村党支部
    │   └── K2 丁县 (sibling county)
    └── C2 乙州 (city)
        └── K3 戊县 (unrelated county)
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client, override_settings

from tests import factories
from xuexi.accounts.models import AdminRole, User
from xuexi.orgs.models import Organization
from xuexi.people.models import Person


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Still Argon2, with a small memory cost so that hundreds of accounts hash quickly.
    settings.PASSWORD_HASHERS = ["tests.hashers.QuickArgon2PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Uploaded files (attachments) go to a folder of the run's own, never the checkout's var/.
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # The sign-in rate limit lives in the cache; each test starts with none of it.
    from django.core.cache import cache

    cache.clear()


@dataclass
class Tree:
    province: Organization
    city: Organization
    county: Organization
    township: Organization
    branch: Organization
    sibling_county: Organization
    other_city: Organization
    other_county: Organization
    cadre_person: Person
    member_person: Person
    other_member: Person


@pytest.fixture
def tree(db: None) -> Tree:
    m = factories.make_org
    province = m("P", name="中共测试省委员会", level="省级", kind="党委", has_central_group=True)
    city = m("C1", parent=province, name="中共甲市委员会", level="市级", kind="党委", has_central_group=True)
    county = m("K1", parent=city, name="中共丙县委员会", level="县级", kind="党委", has_central_group=True)
    township = m("T1", parent=county, name="中共丙县一镇委员会", level="乡级", kind="党委", sector="农村")
    branch = m("B1", parent=township, name="一村党支部", sector="农村")
    sibling = m("K2", parent=city, name="中共丁县委员会", level="县级", kind="党委")
    other_city = m("C2", parent=province, name="中共乙州委员会", level="市级", kind="党委")
    other_county = m("K3", parent=other_city, name="中共戊县委员会", level="县级", kind="党委")
    cadre = factories.make_person(county, number="CAD1", name="李书记", rank="县处级", leader_post="县市区领导",
                                  central_group_member=True, id_card=factories.valid_id_card(seq=11),
                                  phone="13812345678")
    member = factories.make_person(branch, number="MEM1", name="王党员", id_card=factories.valid_id_card(seq=22),
                                   phone="13912345678", groups="离退休；偏远农村")
    other = factories.make_person(other_county, number="MEM2", name="赵党员",
                                  id_card=factories.valid_id_card(seq=33))
    return Tree(province, city, county, township, branch, sibling, other_city, other_county, cadre, member, other)


@pytest.fixture
def province_admin(tree: Tree) -> User:
    return factories.make_user("province_admin", admin_of=tree.province)


@pytest.fixture
def city_admin(tree: Tree) -> User:
    return factories.make_user("city_admin", admin_of=tree.city)


@pytest.fixture
def county_admin(tree: Tree) -> User:
    return factories.make_user("county_admin", admin_of=tree.county)


@pytest.fixture
def other_county_admin(tree: Tree) -> User:
    return factories.make_user("other_county_admin", admin_of=tree.other_county)


@pytest.fixture
def reviewer(tree: Tree) -> User:
    return factories.make_user("reviewer", reviewer_of=tree.province)


@pytest.fixture
def cadre(tree: Tree) -> User:
    return factories.make_user("cadre", person=tree.cadre_person)


@pytest.fixture
def member(tree: Tree) -> User:
    return factories.make_user("member", person=tree.member_person)


@pytest.fixture
def auditor(tree: Tree) -> User:
    return factories.make_user("auditor", admin_role=AdminRole.AUDIT)


@pytest.fixture
def system_admin(tree: Tree) -> User:
    return factories.make_user("sysadmin", admin_role=AdminRole.SYSTEM)


@pytest.fixture
def security_admin(tree: Tree) -> User:
    return factories.make_user("secadmin", admin_role=AdminRole.SECURITY)


def signed_in_client(user: User) -> Client:
    """A client whose session has passed every sign-in step (password and second factor)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


# -- nothing secret in logs (security-baseline.md) ----------------------------------------------
_SECRET_PATTERNS = {
    "18-character ID-card number": re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),
    "11-digit phone number": re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)"),
    "test password": re.compile(re.escape(factories.PASSWORD)),
    "demo password": re.compile(re.escape("Xuexi@2025demo")),
}
_captured: list[str] = []


class _Collector(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _captured.append(self.format(record))


def pytest_configure(config: pytest.Config) -> None:
    handler = _Collector(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    leaks = [(label, line[:200]) for line in _captured for label, pattern in _SECRET_PATTERNS.items()
             if pattern.search(line)]
    if leaks:
        print("\n日志中出现了不应记录的敏感信息 (secrets in the logs):")
        for label, line in leaks[:20]:
            print(f"  [{label}] {line}")
        session.exitstatus = 1
