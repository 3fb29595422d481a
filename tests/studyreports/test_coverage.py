"""述学情况: coverage by direct child counted in one grouped query, against a count in plain Python; the inbox,
the drill-down, the API, the exports and the command line."""

from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from tests import factories
from tests.conftest import Tree, signed_in_client
from xuexi.accounts.models import User
from xuexi.accounts.scope import Scope, whole_tree_scope
from xuexi.cli import main
from xuexi.orgs.models import Organization
from xuexi.people.models import Person
from xuexi.studyreports import selectors, services
from xuexi.studyreports.models import Status, StudyReport

YEAR = 2025
PERIOD = "上半年"


def _world(tree: Tree, seed: int) -> None:
    """People across the tree, some leading cadres; reports on the period in every status, a few on another."""
    rng = random.Random(seed)
    orgs = [tree.province, tree.city, tree.county, tree.township, tree.branch, tree.sibling_county,
            tree.other_city, tree.other_county]
    for n in range(30):
        cadre = rng.random() < 0.4
        factories.make_person(rng.choice(orgs), number=f"W{seed}-{n}", name=f"人员{n}",
                              leader_post="县市区领导" if cadre and rng.random() < 0.5 else "无",
                              central_group_member=cadre)
    people = list(Person.objects.order_by("id"))
    rows = []
    for person in people:
        roll = rng.random()
        if roll < 0.2:
            continue
        status = rng.choice(list(Status.values))
        rows.append(StudyReport(person=person, org=person.org, year=YEAR, period=PERIOD if roll < 0.9 else "年度",
                                title="述学", body="内容", status=status))
    StudyReport.objects.bulk_create(rows)
    Person.objects.filter(number=f"W{seed}-0").update(is_active=False)


def _python_counts(root: Organization, who: str) -> dict[str, tuple[int, int, int]]:
    """Per direct child code (and the root's own code): expected, reported, reviewed, walked in Python."""
    by_id = {o.pk: o for o in Organization.objects.all()}
    status_of = {r.person_id: r.status for r in StudyReport.objects.filter(year=YEAR, period=PERIOD)}
    counts: Counter[tuple[str, str]] = Counter()
    for person in Person.objects.filter(is_active=True):
        if who == "领导干部" and person.leader_post == "无" and not person.central_group_member:
            continue
        org = by_id[person.org_id]
        if not org.path.startswith(root.path):
            continue
        key = org.path[:len(root.path) + Organization.steplen]
        code = next(o.code for o in by_id.values() if o.path == key)
        counts[(code, "expected")] += 1
        status = status_of.get(person.pk)
        counts[(code, "reported")] += status in ("submitted", "reviewed")
        counts[(code, "reviewed")] += status == "reviewed"
    codes = {code for code, _ in counts}
    return {code: (counts[(code, "expected")], counts[(code, "reported")], counts[(code, "reviewed")])
            for code in codes}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("who", ["领导干部", "全体党员"])
def test_coverage_by_child_matches_a_count_in_python(tree: Tree, seed: int, who: str,
                                                     django_assert_max_num_queries: object) -> None:
    # given
    _world(tree, seed)
    scope = whole_tree_scope()
    for root in (tree.province, tree.city):
        # when
        with django_assert_max_num_queries(3):  # type: ignore[operator]
            result = selectors.coverage(scope=scope, org=root, year=YEAR, period=PERIOD, who=who)
            got = {row.org.code: (row.expected, row.reported, row.reviewed) for row in result.rows if row.expected}
        # then
        assert got == _python_counts(root, who)
        missing = selectors.not_reported(scope=scope, org=root, year=YEAR, period=PERIOD, who=who).count()
        assert missing == result.total.not_reported


def test_a_call_narrows_the_coverage_to_its_subtree(tree: Tree) -> None:
    # given
    _world(tree, 3)
    scope = whole_tree_scope()
    # when
    narrowed = selectors.coverage(scope=scope, org=tree.province, year=YEAR, period=PERIOD, who="全体党员",
                                  within=tree.county.path)
    # then
    assert {row.org.code for row in narrowed.rows if row.expected} <= {"C1"}
    assert narrowed.total.expected == Person.objects.filter(is_active=True, org__path__startswith=tree.county.path
                                                            ).count()


def test_the_api_writes_submits_and_reviews_and_shows_coverage(tree: Tree, member: User,
                                                                county_admin: User) -> None:
    # given
    writer, admin = signed_in_client(member), signed_in_client(county_admin)
    # when
    created = writer.post("/api/study-reports", {"year": YEAR, "period": PERIOD, "title": "上半年述学",
                                                 "body": "读了三本书。"}, content_type="application/json")
    report_id = created.json()["id"]
    submitted = writer.post(f"/api/study-reports/{report_id}/submit")
    listed = admin.get(f"/api/study-reports?org=K1&year={YEAR}&period={PERIOD}")
    reviewed = admin.post(f"/api/study-reports/{report_id}/review", {"rating": "良好", "comment": "好"},
                          content_type="application/json")
    coverage = admin.get(f"/api/study-reports/coverage?org=K1&year={YEAR}&period={PERIOD}&who=全体党员")
    bad = admin.get(f"/api/study-reports/coverage?org=K1&year={YEAR}&period=全年")
    # then
    assert (created.status_code, submitted.json()["status"]) == (201, "submitted")
    assert [item["id"] for item in listed.json()["items"]] == [report_id]
    assert (reviewed.json()["status"], reviewed.json()["rating"]) == ("reviewed", "良好")
    assert [e["action"] for e in reviewed.json()["events"]] == ["submitted", "reviewed"]
    body = coverage.json()
    assert (body["total"]["expected"], body["total"]["reviewed"]) == (2, 1)
    assert (bad.status_code, bad.json()["field"]) == (422, "period")
    assert "全年" in bad.json()["detail"]


def test_the_pages_and_exports_show_coverage_and_the_people_not_reported(tree: Tree, member: User,
                                                                          city_admin: User) -> None:
    # given: the cadre of 丙县 has not reported, the member has
    report = services.study_report_save(actor=member, scope=Scope.for_user(member), year=YEAR, period=PERIOD,
                                        title="述学", body="内容")
    services.study_report_submit(actor=member, scope=Scope.for_user(member), report_id=report.pk)
    client: Client = signed_in_client(city_admin)
    query = f"year={YEAR}&period={PERIOD}&who=全体党员"
    # when
    page = client.get(f"/orgs/C1/study-reports/?{query}")
    missing = client.get(f"/orgs/K1/study-reports/missing/?{query}")
    workbook = client.get(f"/orgs/C1/study-reports/?{query}&format=xlsx")
    word = client.get(f"/study-reports/{report.pk}/export/")
    # then
    assert page.status_code == 200
    assert 'data-org="K1"' in page.content.decode()
    assert "李书记" in missing.content.decode() and "王党员" not in missing.content.decode()
    sheets = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert [row[2:6] for row in sheets.worksheets[0].iter_rows(min_row=2, values_only=True)][-1] == (2, 1, 0, 1)
    assert [row[1] for row in sheets.worksheets[2].iter_rows(min_row=2, values_only=True)] == ["李书记"]
    assert word.status_code == 200 and word.content[:2] == b"PK"


def test_the_command_line_lists_and_exports(tree: Tree, member: User, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    # given
    report = services.study_report_save(actor=member, scope=Scope.for_user(member), year=YEAR, period=PERIOD,
                                        title="我的上半年述学", body="内容")
    services.study_report_submit(actor=member, scope=Scope.for_user(member), report_id=report.pk)
    target = tmp_path / "c1.xlsx"
    # when / then
    assert main(["study-report", "list", "--org", "C1", "--year", str(YEAR), "--period", PERIOD]) == 0
    captured = capsys.readouterr()
    assert "我的上半年述学" in captured.out and "共 1 份述学报告" in captured.err
    assert main(["study-report", "export", "--org", "C1", "--year", str(YEAR), "--period", PERIOD,
                 "--output", str(target)]) == 0
    assert openpyxl.load_workbook(target).sheetnames[1] == "述学报告"
    assert main(["study-report", "list", "--org", "ZZ9", "--year", str(YEAR)]) == 1
    assert "组织编码 ZZ9 不存在" in capsys.readouterr().err
