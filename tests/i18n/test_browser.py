"""In Vietnamese, the portal's pages show no English UI text.

Headless Chromium (Debian's, never a downloaded one) visits each page of
pages.PAGES on a live server whose default locale is vi and compares the
visible text (and placeholders, titles, button values) with the English
msgids of CKAN, ckanext-dcat, ckanext-harvest, ckanext-scheming and ours.
With ND47_SCREENSHOTS=1 the pages marked `screenshot` are saved to
docs/screenshots/ (otherwise to the test's temporary folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ckanext.nd47 import catalogues
from tests.browser.live import login

from .pages import PAGES, Page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@pytest.fixture(scope="module")
def english() -> tuple[set[str], list[str]]:
    """English UI msgids whose Vietnamese differs: (whole lines, phrases).

    Whole lines: any msgid, compared with a whole line of visible text.
    Phrases: runs of three or more words between placeholders, searched
    anywhere in the text.
    """
    from babel.messages.pofile import read_po

    vi: dict[str, str] = {}
    for path in (catalogues.I18N_DIR / "vi" / "LC_MESSAGES").glob("*.po"):
        with path.open("rb") as f:
            for m in read_po(f):
                if m.id:
                    key = m.id[0] if isinstance(m.id, tuple) else m.id
                    text = m.string[0] if isinstance(m.string, tuple) else m.string
                    vi[key] = text or vi.get(key, "")
    msgids: set[str] = set(catalogues.our_msgids())
    for found in catalogues.installed_sources().values():
        msgids |= set(found)
    lines, phrases = set(), set()
    for msgid in msgids:
        if _norm(vi.get(msgid, "")) == _norm(msgid) or "<" in msgid:
            continue
        parts = [_norm(p) for p in re.split(r"%\([^)]*\)\w|%\w|\{[^{}]*\}", msgid)]
        if len(parts) == 1 and re.search(r"[A-Za-z]{2}", parts[0]):
            lines.add(parts[0])
        phrases.update(p for p in parts if len(p.split()) >= 3)
    return lines, sorted(phrases, key=len, reverse=True)


def _visible_text(page) -> list[str]:
    text = page.inner_text("body")
    # Attributes a user sees or hears. Select2's own widgets are left out:
    # their labels come from the select2 library, not from a CKAN msgid.
    extra = page.eval_on_selector_all(
        "[placeholder], [title], input[type=submit][value], [aria-label]",
        "els => els.filter(e => !e.closest('.select2-container')).flatMap(e =>"
        " [e.getAttribute('placeholder'), e.getAttribute('title'),"
        " e.getAttribute('aria-label'), e.type === 'submit' ? e.value : null]).filter(Boolean)",
    )
    return [_norm(line) for line in text.splitlines() + extra if _norm(line)]


def _english_in(lines: list[str], english: tuple[set[str], list[str]]) -> list[str]:
    whole, phrases = english
    found = []
    for line in lines:
        candidates = {line, line.rstrip(":").strip(), line.rstrip(".").strip()}
        if candidates & whole:
            found.append(line)
            continue
        hit = next((p for p in phrases if p in line), None)
        if hit:
            found.append(f"{line}  [{hit}]")
    return sorted(set(found))


@pytest.fixture(scope="module")
def sessions(browser, portal):
    """An anonymous and a sysadmin browser context."""
    anonymous = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    admin = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = admin.new_page()
    login(page, portal["base"], portal["user"], portal["password"])
    page.close()
    yield {"anonymous": anonymous, "admin": admin}
    anonymous.close()
    admin.close()


@pytest.mark.parametrize("spec", PAGES, ids=[p.name for p in PAGES])
def test_page_shows_no_english(spec: Page, sessions, portal, english, tmp_path) -> None:
    context = sessions["admin" if spec.login else "anonymous"]
    page = context.new_page()
    try:
        url = portal["base"] + spec.path.format(**portal)
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == 200, (
            f"{url}: {response and response.status}"
        )
        assert page.evaluate("document.documentElement.lang") == "vi"
        leftovers = _english_in(_visible_text(page), english)
        if spec.screenshot:
            folder = SCREENSHOTS if os.environ.get("ND47_SCREENSHOTS") else tmp_path
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{spec.name}.png"), full_page=True)
        assert not leftovers, f"English on {spec.path}:\n" + "\n".join(leftovers)
    finally:
        page.close()


def test_live_server_serves_our_javascript_strings(portal) -> None:
    import requests

    data = requests.get(f"{portal['base']}/api/i18n/vi", timeout=10).json()
    assert data["Are you sure you want to perform this action?"][1].startswith("Bạn có chắc")


def test_english_stays_selectable(sessions, portal) -> None:
    page = sessions["anonymous"].new_page()
    try:
        page.goto(portal["base"] + "/en/dataset/")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Datasets" in page.inner_text("body")
    finally:
        page.close()
