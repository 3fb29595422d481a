"""典型经验 on the pages: sent up, refused a return without a reason (said on the page), returned, the inbox."""

from __future__ import annotations

from tests.conftest import Tree, signed_in_client
from tests.outcomes.world import record
from xuexi.accounts.models import User
from xuexi.outcomes.models import Outcome


def test_a_return_without_a_reason_is_explained_on_the_page_and_one_with_a_reason_goes_back(
        tree: Tree, county_admin: User, city_admin: User) -> None:
    # given
    outcome = record("K1", kind="典型经验", title="丙县经验")
    county, city = signed_in_client(county_admin), signed_in_client(city_admin)
    submitted = county.post(f"/outcomes/{outcome.number}/submit/")
    inbox = city.get("/experiences/").content.decode()
    # when
    refused = city.post(f"/outcomes/{outcome.number}/review/", {"decision": "return", "reason": ""}, follow=True)
    returned = city.post(f"/outcomes/{outcome.number}/review/", {"decision": "return", "reason": "请补充数据"})
    # then
    assert submitted.status_code == 302 and "丙县经验" in inbox
    assert "请填写退回原因：应说明需要中共丙县委员会修改什么" in refused.content.decode()
    assert returned.status_code == 302
    assert Outcome.objects.get(pk=outcome.pk).status == "recorded"
    page = county.get(f"/outcomes/{outcome.number}/").content.decode()
    assert "退回修改——请补充数据" in page and 'data-testid="experience-submit"' in page
    assert "丙县经验" not in city.get("/experiences/").content.decode()
