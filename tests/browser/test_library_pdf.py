"""A PDF of the library is read in the browser's own viewer, framed by the item's page under our CSP."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import DESKTOP, sign_in_administrator


def one_page_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text` (ASCII), its cross-reference table worked out."""
    stream = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# Chromium shows a PDF in a frame by its built-in viewer, an extension framed inside it; a policy
# that forbids plugins or sandboxes the file leaves the frame blocked and the viewer absent.
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html"


def _wait_for(page: Page, condition: Callable[[], bool], seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "浏览器的 PDF 阅读器没有出现"
        page.wait_for_timeout(100)  # lets Playwright take in the frames attached meanwhile


@pytest.mark.browser
def test_an_uploaded_pdf_opens_in_the_browsers_viewer_on_the_item_page(page: Page, xuexi_server: str) -> None:
    # given: the province's administrator on an item of the library, collecting policy violations
    violations: list[str] = []
    page.on("console", lambda message: _keep_violation(message, violations))
    sign_in_administrator(page, "province_admin")
    page.goto("/library/?q=乡村振兴战略")
    page.get_by_test_id("library-items").locator("a").first.click()
    item_url = page.url
    # when: a PDF is uploaded to it and the page is read
    page.locator("input[name=file]").set_input_files(
        files=[{"name": "辅导材料.pdf", "mimeType": "application/pdf", "buffer": one_page_pdf("Xuexi PDF")}])
    page.get_by_role("button", name="上传", exact=True).click()
    page.goto(item_url)
    frame_element = page.get_by_test_id("item-pdf")
    expect(frame_element).to_be_visible()
    frame = frame_element.element_handle().content_frame()
    # then: the frame holds the browser's PDF viewer, and nothing was refused by a policy
    assert frame is not None
    frame.wait_for_load_state()
    _wait_for(page, lambda: any(child.url == PDF_VIEWER for child in frame.child_frames))
    box = frame_element.bounding_box()
    assert box is not None and box["height"] >= 0.6 * DESKTOP["height"]  # 75vh, from the stylesheet
    assert violations == []
    # and the file is taken off again, leaving the shared demo as it was
    page.get_by_role("button", name="移除文件").click()
    page.goto(item_url)
    expect(page.get_by_test_id("item-pdf")).to_have_count(0)


def _keep_violation(message: ConsoleMessage, violations: list[str]) -> None:
    if "Content Security Policy" in message.text or "Refused to" in message.text:
        violations.append(message.text)
