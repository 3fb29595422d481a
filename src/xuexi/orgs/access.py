"""The one chokepoint for fetching an organization on someone's behalf."""

from __future__ import annotations

from xuexi.accounts.scope import Scope
from xuexi.errors import Forbidden, NotFound
from xuexi.orgs.errors import OrgError
from xuexi.orgs.models import Organization


def access_org(*, scope: Scope, code: str, write: bool = False) -> Organization:
    """Fetch an organization inside the scope; outside it answers exactly as a missing code.

    Visible but not writable (a reviewer's subtree) is 403, the only case that says more.
    """
    org = Organization.objects.filter(scope.org_q()).filter(code=code).first()
    if org is None:
        raise NotFound(OrgError.NOT_FOUND, f"组织编码 {code} 不存在")
    if write and not scope.covers_path(org.path, write=True):
        raise Forbidden(OrgError.READ_ONLY, f"您对组织 {code} 只有查看权限")
    return org
