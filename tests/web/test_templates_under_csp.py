"""Every template keeps to what the Content-Security-Policy lets a browser apply.

The policy (settings.XUEXI_CONTENT_SECURITY_POLICY) allows styles and scripts from our own files only:
a browser silently drops a style="" attribute, an inline <script> or an on…="" handler, and the page
looks or works differently from what its template says. Layout goes in xuexi.css, code in static JS.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

import xuexi

TEMPLATES = sorted(Path(xuexi.__file__).parent.rglob("templates/**/*.html"))
STYLE_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*\sstyle=")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER_ATTRIBUTE = re.compile(r"<[a-zA-Z][^<>]*\son[a-z]+=", re.IGNORECASE)


def _offences(pattern: re.Pattern[str]) -> list[str]:
    found = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{path.relative_to(Path(xuexi.__file__).parent)}:{number}")
    return found


def test_the_policy_refuses_inline_styles_and_scripts() -> None:
    policy = settings.XUEXI_CONTENT_SECURITY_POLICY
    assert "style-src 'self';" in policy and "script-src 'self';" in policy
    assert "unsafe-inline" not in policy


def test_no_template_has_a_style_attribute() -> None:
    assert TEMPLATES, "no templates found"
    assert _offences(STYLE_ATTRIBUTE) == []


def test_no_template_has_an_inline_script_or_an_event_handler() -> None:
    assert _offences(INLINE_SCRIPT) == []
    assert _offences(HANDLER_ATTRIBUTE) == []


def test_the_checks_find_what_they_look_for() -> None:
    assert STYLE_ATTRIBUTE.search('<div class="x" style="width: 5%">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/x.js"></script>')
    assert not INLINE_SCRIPT.search('<script id="d" type="application/json">{}</script>')
    assert HANDLER_ATTRIBUTE.search('<button onclick="go()">')
