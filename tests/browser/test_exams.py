"""考学 in the browser: a member takes the demo province's open exam and sees the score."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import submit_sign_in
from xuexi.demo.exams import EXAM_CODE, QUESTIONS
from xuexi.exams.grading import LETTERS

BY_STEM = {stem: (kind, options, answer) for _, kind, stem, options, answer, _ in QUESTIONS}


def _answer(page: Page) -> None:
    """Answer every question of the sheet right, whatever order the questions and options were shuffled into."""
    sheet = page.get_by_test_id("sheet")
    for fieldset in sheet.locator("fieldset").all():
        stem = next(s for s in BY_STEM if s in fieldset.locator("legend").inner_text())
        kind, options, answer = BY_STEM[stem]
        if kind in ("单选", "多选"):
            for letter in answer:
                text = options[LETTERS.index(letter)]
                fieldset.locator("label", has_text=text).first.click()
        elif kind == "判断":
            fieldset.get_by_label(answer, exact=True).check()
        else:
            fieldset.locator("input[type=text]").fill(answer.split("|")[0])


@pytest.mark.browser
def test_a_member_takes_the_open_exam_and_sees_the_score(page: Page, xuexi_server: str) -> None:
    # given: the demo province set one exam for everyone, open now
    submit_sign_in(page, "member")
    page.goto("/exams/")
    exam = page.locator(f"[data-exam='{EXAM_CODE}']")
    # when
    exam.get_by_test_id("start-exam").click()
    _answer(page)
    page.get_by_test_id("submit-exam").click()
    # then
    expect(page.get_by_test_id("score")).to_contain_text("得分 100 / 100")
    page.goto("/exams/")
    expect(exam).to_contain_text("100 / 100 分")
