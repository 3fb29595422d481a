from __future__ import annotations

from django.test import Client

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import AuditEvent, ScopeGrant, User


def test_system_admin_creates_an_account_that_must_change_password(tree: Tree, system_admin: User) -> None:
    # when
    response = signed_in_client(system_admin).post("/admin/accounts/create/", {
        "username": "new_member", "display_name": "新党员", "password": "Start#Passw0rd", "person_number": "MEM1"})
    # then
    assert response.status_code == 302
    user = User.objects.get(username="new_member")
    assert (user.must_change_password, user.person.number) == (True, "MEM1")
    assert AuditEvent.objects.filter(action="user_create", object_repr="new_member", actor_id=system_admin.pk).exists()


def test_security_admin_grants_and_revokes_a_subtree(tree: Tree, security_admin: User) -> None:
    # given
    target = factories.make_user("someone")
    client = signed_in_client(security_admin)
    # when
    client.post("/admin/grants/add/", {"username": "someone", "org_code": "K2", "role": "org_admin"})
    grant = ScopeGrant.objects.get(user=target)
    # then
    assert grant.org.code == "K2"
    client.post(f"/admin/grants/{grant.pk}/remove/")
    assert not ScopeGrant.objects.filter(user=target).exists()
    assert [e.action for e in AuditEvent.objects.filter(object_repr="someone").order_by("seq")][-2:] == [
        "grant_add", "grant_remove"]


def test_security_admin_cannot_grant_to_a_separated_admin(tree: Tree, security_admin: User, auditor: User) -> None:
    response = signed_in_client(security_admin).post(
        "/admin/grants/add/", {"username": "auditor", "org_code": "P", "role": "org_admin"}, follow=True)
    assert "三员账户" in response.content.decode()
    assert not ScopeGrant.objects.filter(user=auditor).exists()


def test_security_admin_unlocks_a_locked_account(tree: Tree, security_admin: User, member: User) -> None:
    # given: member locked out
    for _ in range(5):
        Client().post("/accounts/sign-in/", {"username": "member", "password": "Wrong#Passw0rd"})
    assert Client().post("/accounts/sign-in/", {"username": "member", "password": factories.PASSWORD}
                         ).status_code == 429
    # when
    signed_in_client(security_admin).post("/admin/accounts/member/unlock/")
    # then
    assert Client().post("/accounts/sign-in/", {"username": "member", "password": factories.PASSWORD}
                         ).status_code == 302
    assert AuditEvent.objects.filter(action="account_unlock", object_repr="member").count() == 1


def test_system_admin_disables_an_account(tree: Tree, system_admin: User, member: User) -> None:
    signed_in_client(system_admin).post("/admin/accounts/member/active/", {"active": "0"})
    assert User.objects.get(username="member").is_active is False
    assert Client().post("/accounts/sign-in/", {"username": "member", "password": factories.PASSWORD}
                         ).status_code == 200


def test_roles_cannot_use_each_others_forms(tree: Tree, system_admin: User, security_admin: User) -> None:
    assert signed_in_client(security_admin).post("/admin/accounts/create/", {
        "username": "x", "password": "Start#Passw0rd"}).status_code == 404
    assert signed_in_client(system_admin).post("/admin/grants/add/", {
        "username": "sysadmin", "org_code": "P", "role": "org_admin"}).status_code == 404
    assert not User.objects.filter(username="x").exists()


def test_org_admin_gets_404_on_account_pages(tree: Tree, province_admin: User) -> None:
    client = signed_in_client(province_admin)
    assert client.get("/admin/accounts/").status_code == 404
    assert client.post("/admin/accounts/province_admin/unlock/").status_code == 404


def test_django_admin_is_for_the_system_admin_only(tree: Tree, system_admin: User, security_admin: User) -> None:
    assert signed_in_client(system_admin).get("/system-admin/accounts/user/").status_code == 200
    assert signed_in_client(security_admin).get("/system-admin/").status_code == 302
    assert "orgs" not in signed_in_client(system_admin).get("/system-admin/").content.decode()
