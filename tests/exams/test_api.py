"""The 考学 API: the question bank over HTTP, by token."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.exams.test_sheets import GOOD, _file
from xuexi.accounts.models import User
from xuexi.accounts.services import api_token_create
from xuexi.exams.models import Question

NEW = {"code": "API-1", "publisher": "K1", "area": "科学发展观", "kind": "单选", "stem": "第一要义？",
       "options": ["发展", "以人为本"], "answer": "A", "difficulty": "易"}


def _client(user: User) -> Client:
    _, secret = api_token_create(user=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _send(user: User, method: str, path: str, body: object) -> Any:
    return _client(user).generic(method, path, data=json.dumps(body), content_type="application/json")


def test_an_admin_creates_reads_and_changes_a_question(county_admin: User) -> None:
    # when
    created = _send(county_admin, "POST", "/api/exams/questions", NEW)
    changed = _send(county_admin, "PATCH", "/api/exams/questions/API-1", {"enabled": False})
    listed = _client(county_admin).get("/api/exams/questions?enabled=false")
    # then
    assert created.status_code == 201
    assert changed.json()["enabled"] is False
    assert [q["code"] for q in listed.json()["items"]] == ["API-1"]


def test_a_bad_answer_is_422_naming_the_field(county_admin: User) -> None:
    response = _send(county_admin, "POST", "/api/exams/questions", {**NEW, "answer": "C"})
    assert response.status_code == 422
    assert response.json()["field"] == "answer"
    assert "答案“C”" in response.json()["detail"]


def test_a_member_sees_no_bank(county_admin: User, member: User) -> None:
    # given
    _send(county_admin, "POST", "/api/exams/questions", NEW)
    # when
    listed = _client(member).get("/api/exams/questions")
    detail = _client(member).get("/api/exams/questions/API-1")
    # then
    assert listed.json()["count"] == 0
    assert detail.status_code == 404


def test_import_reports_every_error_and_dry_run_stores_nothing(county_admin: User) -> None:
    # given
    bad = [*GOOD, ("Q9", "科学发展观", "单选", "？", "甲", "乙", "", "", "", "", "", "", "C", "易", "", "K1", "是")]
    # when
    refused = _client(county_admin).post("/api/exams/questions/import",
                                         {"file": SimpleUploadedFile("q.csv", _file(bad))})
    dry = _client(county_admin).post("/api/exams/questions/import",
                                     {"file": SimpleUploadedFile("q.csv", _file(GOOD)), "dry_run": "true"})
    stored = _client(county_admin).post("/api/exams/questions/import",
                                        {"file": SimpleUploadedFile("q.csv", _file(GOOD))})
    # then
    assert refused.json()["errors"][0]["message"] == "第 6 行“答案”列：值“C”，应为选项字母 A、B中的一个"
    assert (dry.json()["stored"], dry.json()["rows"]) == (False, 4)
    assert (stored.json()["stored"], stored.json()["created"]) == (True, 4)
    assert Question.objects.count() == 4


def test_template_and_export_are_downloads(county_admin: User) -> None:
    # given
    _send(county_admin, "POST", "/api/exams/questions", NEW)
    # when
    template = _client(county_admin).get("/api/exams/questions/template")
    export = _client(county_admin).get("/api/exams/questions/export?format=csv")
    # then
    assert template["Content-Disposition"].startswith("attachment")
    assert "API-1" in export.content.decode("utf-8-sig")


def test_a_member_takes_an_exam_over_the_api_and_sees_the_score(member: User, province_admin: User,
                                                                county_admin: User) -> None:
    # given
    from tests.exams.test_attempts import QUESTIONS, RIGHT

    for code, data in QUESTIONS.items():
        _send(province_admin, "POST", "/api/exams/questions",
              {"code": code, "publisher": "P", "area": data.area, "kind": data.kind, "stem": data.stem,
               "options": list(data.options), "answer": data.answer, "difficulty": data.difficulty})
    paper = _send(province_admin, "POST", "/api/exams/papers", {
        "code": "PR", "title": "随机卷", "publisher": "P",
        "draws": [{"area": "科学发展观", "difficulty": "易", "count": 1, "points": 50},
                  {"area": "岗位专业知识", "difficulty": "易", "count": 2, "points": 25}]})
    exam = _send(county_admin, "POST", "/api/exams", {
        "code": "EXA", "title": "丙县考试", "paper": "PR", "org": "K1", "opens_at": "2020-01-01T00:00:00+08:00",
        "closes_at": "2099-01-01T00:00:00+08:00", "duration_minutes": 30, "pass_mark": 60})
    # when
    mine = _client(member).get("/api/exams/mine").json()
    started = _client(member).post("/api/exams/EXA/attempts").json()
    answers = {}
    for q in started["questions"]:
        if q["kind"] == "单选":
            answers[q["position"]] = next(letter for letter, text in q["options"] if text == "乙")
        else:
            answers[q["position"]] = {"判断": RIGHT["J1"], "填空": "  长春 "}[q["kind"]]
    saved = _send(member, "PUT", f"/api/exams/attempts/{started['id']}/answers", {"answers": answers})
    done = _send(member, "POST", f"/api/exams/attempts/{started['id']}/submit", None).json()
    results = _client(county_admin).get("/api/exams/EXA/results").json()
    own = _client(member).get("/api/exams/attempts").json()
    # then
    assert (paper.status_code, exam.status_code) == (201, 201)
    assert [e["code"] for e in mine] == ["EXA"]
    assert saved.status_code == 200
    assert (done["score"], done["total"], done["passed"]) == (100, 100, True)
    assert [(a["exam"], a["score"]) for a in own] == [("EXA", 100)]
    assert results["orgs"][0] == {"code": "K1", "name": "中共丙县委员会", "takers": 1, "passed": 1, "average": 100.0}
