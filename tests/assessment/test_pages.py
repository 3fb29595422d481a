"""评学 and 奖惩 through the pages and the API, one loop each: what a city administrator does, what others see."""

from __future__ import annotations

import io
import json

import openpyxl
from django.utils import timezone

from tests.assessment.world import YEAR
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.assessment.models import Commendation, DemocraticReview, Evaluation, ScorecardWeights
from xuexi.exchange.files import write_xlsx

PDF = b"%PDF-1.4\n%%EOF\n"


def _file(name: str, data: bytes) -> io.BytesIO:
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_an_evaluation_through_the_pages(tree: Tree, city_admin: User, county_admin: User) -> None:
    city = signed_in_client(city_admin)
    today = timezone.localdate().isoformat()
    # when: opened, one member's votes by the form, the other's by a spreadsheet, closed
    created = city.post("/orgs/C1/assessment/evaluations/new/", {
        "title": "民主评议", "kind": "民主评议党员", "year": YEAR, "opens": today, "closes": today,
        "excellent_cap": 50})
    evaluation = Evaluation.objects.get()
    assert created.status_code == 302 and created["Location"] == "/orgs/C1/assessment/"
    city.post(f"/assessment/evaluations/{evaluation.pk}/votes/", {
        "person_number": "CAD1", "excellent": 1, "qualified": 7, "basic": 0, "unqualified": 0, "grade": "",
        "note": ""})
    sheet = write_xlsx(["人员编号", "优秀票", "合格票", "基本合格票", "不合格票"], [["MEM1", 6, 2, 0, 0]])
    city.post(f"/assessment/evaluations/{evaluation.pk}/import/", {"file": _file("票数.xlsx", sheet)})
    city.post(f"/assessment/evaluations/{evaluation.pk}/close/")
    # then
    assert dict(DemocraticReview.objects.values_list("person__number", "grade")) == {"CAD1": "合格", "MEM1": "优秀"}
    page = city.get(f"/assessment/evaluations/{evaluation.pk}/").content.decode()
    assert "已结束" in page and 'data-testid="review-form"' not in page
    exported = city.get(f"/assessment/evaluations/{evaluation.pk}/export/")
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["CAD1", "MEM1"]
    # and the county below neither sees nor changes it
    county = signed_in_client(county_admin)
    assert county.get(f"/assessment/evaluations/{evaluation.pk}/").status_code == 404


def test_a_bad_spreadsheet_is_refused_whole_with_its_cells_named(tree: Tree, city_admin: User) -> None:
    city = signed_in_client(city_admin)
    today = timezone.localdate().isoformat()
    city.post("/orgs/C1/assessment/evaluations/new/", {
        "title": "民主评议", "kind": "民主评议党员", "year": YEAR, "opens": today, "closes": today,
        "excellent_cap": 20})
    evaluation = Evaluation.objects.get()
    sheet = write_xlsx(["人员编号", "优秀票", "合格票", "基本合格票", "不合格票"],
                       [["MEM1", 6, 2, 0, 0], ["CAD1", -1, 2, 0, 0]])
    # when
    response = city.post(f"/assessment/evaluations/{evaluation.pk}/import/", {"file": _file("票数.xlsx", sheet)},
                         follow=True)
    # then
    assert "第 3 行“优秀票”列：值“-1”" in response.content.decode()
    assert not DemocraticReview.objects.exists()


def test_the_org_page_the_weights_and_a_commendation_with_its_file(tree: Tree, province_admin: User,
                                                                   city_admin: User, member: User) -> None:
    province, city = signed_in_client(province_admin), signed_in_client(city_admin)
    # weights: the city may look, not set; the province sets
    assert city.post(f"/assessment/weights/?year={YEAR}", {"norms_weight": 100}).status_code == 403
    fields = {"norms_weight": 30, "exams_weight": 30, "reports_weight": 20, "review_weight": 20,
              "rating_excellent": 100, "rating_good": 85, "rating_fair": 70, "rating_poor": 50, "rating_missing": 0,
              "grade_excellent": 100, "grade_qualified": 85, "grade_basic": 60, "grade_unqualified": 0}
    assert province.post(f"/assessment/weights/?year={YEAR}", fields).status_code == 302
    assert ScorecardWeights.objects.get(year=YEAR).norms_weight == 30
    wrong = province.post(f"/assessment/weights/?year={YEAR}", {**fields, "norms_weight": 31})
    assert "四项权重之和为 101" in wrong.content.decode()
    # a commendation with its evidence, listed on the page and downloadable by the member named
    response = city.post("/orgs/C1/assessment/commendations/new/", {
        "kind": "学习标兵", "granted_by_code": "C1", "person_number": "MEM1", "org_code": "", "reason": "学习标兵事迹",
        "date": timezone.localdate().isoformat(), "files": _file("事迹材料.pdf", PDF)})
    assert response.status_code == 302
    page = city.get(f"/orgs/C1/assessment/?year={YEAR}&cadres=1").content.decode()
    assert "学习标兵事迹" in page and 'data-testid="cadre-cards"' in page and "李书记" in page
    evidence = Commendation.objects.get().evidence.get()
    assert signed_in_client(member).get(f"/assessment/evidence/{evidence.pk}/").status_code == 200


def test_the_api_records_votes_and_reads_the_scorecard(tree: Tree, city_admin: User) -> None:
    city = signed_in_client(city_admin)
    today = timezone.localdate().isoformat()
    created = city.post("/api/assessment/evaluations", json.dumps({
        "org_code": "C1", "title": "民主评议", "year": YEAR, "kind": "民主评议党员", "opens": today, "closes": today}),
        content_type="application/json")
    assert created.status_code == 201
    pk = created.json()["id"]
    recorded = city.put(f"/api/assessment/evaluations/{pk}/reviews", json.dumps({"entries": [
        {"person_number": "CAD1", "qualified_votes": 5}, {"person_number": "MEM2", "excellent_votes": 5}]}),
        content_type="application/json")
    assert recorded.status_code == 422 and "MEM2" in recorded.json()["detail"]
    cards = city.get(f"/api/assessment/scorecard?org=C1&year={YEAR}").json()
    assert [c["code"] for c in cards] == ["K1", "K2"] and cards[0]["components"][0]["label"] == "制度落实"
