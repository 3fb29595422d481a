from __future__ import annotations

import itertools
import time

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.db import IntegrityError, transaction
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts import services
from xuexi.accounts.middleware import LAST_SEEN, SIGNED_IN_AT
from xuexi.accounts.models import AdminRole, AuditEvent, User
from xuexi.errors import DomainError

SIGN_IN = "/accounts/sign-in/"


def _post_sign_in(client: Client, username: str, password: str) -> object:
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3")


def test_passwords_are_hashed_with_argon2(member: User) -> None:
    assert identify_hasher(member.password).algorithm == "argon2"


def test_production_hasher_list_starts_with_argon2() -> None:
    from xuexi import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    ("password", "reason"),
    [("Ab1!", "至少"), ("abcdefgh", "至少 3 类"), ("abcd1234", "至少 3 类"), ("Password1", "常见")],
)
def test_weak_passwords_are_refused_with_reason(db: None, password: str, reason: str) -> None:
    with pytest.raises(DomainError) as caught:
        services.user_create(actor=None, username="weak", password=password)
    assert reason in caught.value.detail
    assert not User.objects.filter(username="weak").exists()


def test_administrators_need_twelve_characters(db: None) -> None:
    with pytest.raises(DomainError) as caught:
        services.user_create(actor=None, username="adm", password="Abcdef1!x", admin_role=AdminRole.AUDIT)
    assert "12" in caught.value.detail


def test_sign_in_and_out_are_audited(member: User) -> None:
    client = Client()
    response = _post_sign_in(client, "member", factories.PASSWORD)
    assert response.status_code == 302
    client.post("/accounts/sign-out/")
    actions = list(AuditEvent.objects.filter(actor_id=member.pk).values_list("action", "address"))
    assert ("sign_in", "10.1.2.3") in actions
    assert any(action == "sign_out" for action, _ in actions)


def test_unknown_user_and_wrong_password_get_the_same_answer(member: User) -> None:
    wrong = _post_sign_in(Client(), "member", "Wrong#Passw0rd")
    unknown = _post_sign_in(Client(), "nobody-here", "Wrong#Passw0rd")
    assert wrong.status_code == unknown.status_code == 200
    assert "用户名或密码不正确" in wrong.content.decode()
    assert wrong.content.decode().count("用户名或密码不正确") == unknown.content.decode().count("用户名或密码不正确")
    assert AuditEvent.objects.filter(action="sign_in", outcome="failure").count() == 2


def test_five_failures_lock_even_the_right_password(member: User) -> None:
    # given
    client = Client()
    for _ in range(5):
        _post_sign_in(client, "member", "Wrong#Passw0rd")
    # when
    response = _post_sign_in(client, "member", factories.PASSWORD)
    # then
    assert response.status_code == 429
    assert "已锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="lock_out", object_repr="member").exists()


def test_four_failures_do_not_lock(member: User) -> None:
    client = Client()
    for _ in range(4):
        _post_sign_in(client, "member", "Wrong#Passw0rd")
    assert _post_sign_in(client, "member", factories.PASSWORD).status_code == 302


def test_unknown_user_is_locked_alike(db: None) -> None:
    client = Client()
    for _ in range(5):
        _post_sign_in(client, "ghost", "Wrong#Passw0rd")
    assert _post_sign_in(client, "ghost", "Wrong#Passw0rd").status_code == 429


def test_new_account_must_change_password_first(tree: Tree) -> None:
    # given: an account an administrator created
    factories.make_user("newcomer", person=tree.member_person, must_change_password=True)
    client = Client()
    _post_sign_in(client, "newcomer", factories.PASSWORD)
    # when / then: every page leads to the password form until it is changed
    assert client.get("/").url == "/accounts/password/"
    response = client.post("/accounts/password/", {"old_password": factories.PASSWORD,
                                                   "new_password": "Fresh#Passw0rd-9",
                                                   "new_password_again": "Fresh#Passw0rd-9"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert User.objects.get(username="newcomer").must_change_password is False


def test_administrator_must_enrol_and_use_a_second_factor(county_admin: User) -> None:
    client = Client()
    _post_sign_in(client, "county_admin", factories.PASSWORD)
    assert client.get("/orgs/").url == "/accounts/otp/"
    refused = client.get("/api/orgs")
    assert (refused.status_code, refused.json()["code"]) == (403, "sign_in_incomplete")
    # enrol: the page creates an unconfirmed device; a correct code confirms it
    assert client.get("/accounts/otp/").status_code == 200
    device = TOTPDevice.objects.get(user=county_admin)
    response = client.post("/accounts/otp/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get("/orgs/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor_enrol", actor_id=county_admin.pk).count() == 1


def test_wrong_second_factor_code_is_refused_and_audited(county_admin: User) -> None:
    client = Client()
    _post_sign_in(client, "county_admin", factories.PASSWORD)
    client.get("/accounts/otp/")
    device = TOTPDevice.objects.get(user=county_admin)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/otp/", {"token": wrong})
    assert "验证码不正确" in response.content.decode()
    assert client.get("/orgs/").url == "/accounts/otp/"
    assert AuditEvent.objects.filter(action="second_factor_verify", outcome="failure").count() == 1


def test_member_needs_no_second_factor(member: User) -> None:
    client = Client()
    _post_sign_in(client, "member", factories.PASSWORD)
    assert client.get("/").status_code == 200


def test_idle_session_ends_after_thirty_minutes(member: User) -> None:
    client = signed_in_client(member)
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert "expired=1" in response.url
    assert AuditEvent.objects.filter(action="session_expired", actor_id=member.pk).exists()
    assert client.get("/").url.startswith("/accounts/sign-in/")


def test_session_ends_after_twelve_hours_even_when_active(member: User) -> None:
    client = signed_in_client(member)
    session = client.session
    session[SIGNED_IN_AT] = time.time() - 12 * 3600 - 60
    session[LAST_SEEN] = time.time() - 60
    session.save()
    assert "expired=1" in client.get("/").url


def test_active_session_continues(member: User) -> None:
    client = signed_in_client(member)
    session = client.session
    session[LAST_SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get("/").status_code == 200


def test_disabling_an_account_ends_its_sessions(member: User) -> None:
    client = signed_in_client(member)
    services.user_set_active(actor=None, user=member, active=False)
    assert client.get("/").status_code == 302


def test_no_account_holds_two_separated_roles_or_a_person(tree: Tree) -> None:
    # 三员分立 is a single column; the database refuses a separated role with business data.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", admin_role=AdminRole.AUDIT, person=tree.member_person)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", admin_role="system+audit")


def test_separated_admin_cannot_be_granted_a_subtree(tree: Tree, auditor: User) -> None:
    from xuexi.accounts.models import GrantRole

    with pytest.raises(DomainError) as caught:
        services.grant_add(actor=None, user=auditor, org_id=tree.county.pk, role=GrantRole.ORG_ADMIN)
    assert caught.value.code == "account_separation_of_duties"


def test_sign_in_redirect_ignores_foreign_next(member: User) -> None:
    client = Client()
    response = client.post(f"{SIGN_IN}?next=https://evil.example/", {"username": "member",
                                                                     "password": factories.PASSWORD})
    assert response.url == "/"


def test_too_many_attempts_from_one_address_get_429(db: None, settings: object) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.XUEXI_SIGN_IN_RATE_PER_MINUTE = 3  # type: ignore[attr-defined]
    client = Client()
    statuses = [_post_sign_in(client, f"user{i}", "Wrong#Passw0rd").status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert AuditEvent.objects.filter(action="sign_in_rate_limited").count() == 1


def test_new_password_may_not_repeat_the_last_five(member: User) -> None:
    # given: five changes
    passwords = [factories.PASSWORD] + [f"Rotate#Passw0rd-{i}" for i in range(1, 6)]
    for old, new in itertools.pairwise(passwords):
        services.password_change(user=member, old_password=old, new_password=new)
    # when / then: the one five changes ago is refused, the one six ago is allowed again
    with pytest.raises(DomainError) as caught:
        services.password_change(user=member, old_password=passwords[-1], new_password=passwords[1])
    assert "最近 5 次" in caught.value.detail
    services.password_change(user=member, old_password=passwords[-1], new_password=passwords[0])


def test_administrator_password_expires_after_ninety_days(county_admin: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = signed_in_client(county_admin)
    assert client.get("/").status_code == 200
    User.objects.filter(pk=county_admin.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    assert client.get("/").url == "/accounts/password/"
    assert "超过有效期" in client.get("/accounts/password/").content.decode()


def test_member_password_does_not_expire(member: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    User.objects.filter(pk=member.pk).update(password_changed_at=timezone.now() - timedelta(days=400))
    assert signed_in_client(member).get("/").status_code == 200


def test_the_session_is_marked_seen_once_a_minute_not_on_every_request(member: User) -> None:
    # given: a session seen 10 seconds ago
    client = signed_in_client(member)
    session = client.session
    seen = time.time() - 10
    session[LAST_SEEN] = seen
    session.save()
    # when: it asks again
    assert client.get("/").status_code == 200
    # then: the mark stands (the session row was not rewritten for it) until a minute has passed
    assert client.session[LAST_SEEN] == seen
    session = client.session
    session[LAST_SEEN] = time.time() - 61
    session.save()
    assert client.get("/").status_code == 200
    assert client.session[LAST_SEEN] > time.time() - 5
