"""The reader's pages in Chromium at a phone's and a laptop's size, audited by axe-core.

For each of the meeting list, a meeting, search results and the calendar, at 390×844 and
1366×768: a full-page screenshot under var/screenshots/, no horizontal scroll, and an axe-core
audit with no serious or critical violation. axe-core comes from the npm registry
(package.json pins it; the `axe_source` fixture runs `npm install` when it is missing) and is
evaluated in the page through the DevTools protocol, which the Content-Security-Policy (no
inline scripts) does not apply to. Then what a phone and a keyboard need: the first result
above the fold, the filters one tap away, a skip link to the results, 44 px evidence
targets, chart labels of 11 px or more.
"""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SIZES = {"phone": PHONE, "laptop": LAPTOP}


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from the npm registry by package.json when missing."""
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: install Node.js (apt-get install npm)", pytrace=False)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-package-lock"],
            cwd=ROOT,
            check=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def reader_data(transactional_db, make_full_meeting, make_meeting, reindex):
    """A full meeting (article, people, figures), and 30 more over 2023 in three provinces."""
    full = make_full_meeting(
        "Hội nghị giao ban Khối MTTQ quý III/2023", held_on=datetime.date(2023, 10, 23)
    )
    for n in range(30):
        make_meeting(
            f"Hội nghị giao ban Khối Mặt trận và các đoàn thể lần {n}",
            city=["Hà Nội", "Hải Phòng", "Hà Nam"][n % 3],
            held_on=datetime.date(2023, 10, 1) + datetime.timedelta(days=n % 28),
            period_kind="quarter",
            period_year=2023,
            period_number=3,
        )
    reindex()
    return full


def open_page(browser, live_server, size):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=size)
    context.set_default_timeout(15_000)
    return context, context.new_page()


def audit(page, axe_source) -> list[dict]:
    """axe-core's violations on the page, serious and critical ones only."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


def pages(meeting) -> dict[str, str]:
    return {
        "list": "/meetings/",
        "meeting": meeting.get_absolute_url(),
        "search": "/search/?q=Hội+nghị+giao+ban",
        "calendar": "/calendar/?year=2023&month=10",
        # Beyond the four the issue names: the other new pages.
        "calendar-year": "/calendar/?year=2023",
        "province": meeting.city.get_absolute_url(),
        "about": "/about/",
        "api": "/api/",
    }


@pytest.mark.parametrize("size", list(SIZES))
def test_pages_at_phone_and_laptop_size_pass_axe(
    browser, live_server, reader_data, axe_source, size
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context, page = open_page(browser, live_server, SIZES[size])
    failures = {}
    try:
        for name, url in pages(reader_data).items():
            response = page.goto(url)
            assert response.status == 200, url
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{size}.png"), full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {size} size"
            violations = audit(page, axe_source)
            if violations:
                failures[url] = violations
    finally:
        context.close()
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)


def test_on_a_phone_the_first_result_is_above_the_fold(browser, live_server, reader_data):
    context, page = open_page(browser, live_server, PHONE)
    try:
        page.goto("/meetings/")
        first = page.locator("ol.results > li").first.bounding_box()
        assert first["y"] + 40 < PHONE["height"], f"the first result is {first['y']:.0f}px down"
        # The filters are one tap away, and work without script (a <details>).
        form = page.locator("form.filters")
        assert not form.is_visible()
        page.locator("details.list-sidebar > summary").click()
        assert form.is_visible()
    finally:
        context.close()
    context, page = open_page(browser, live_server, LAPTOP)
    try:
        page.goto("/meetings/")
        assert page.locator("form.filters").is_visible()  # opened beside the results
    finally:
        context.close()


def test_the_keyboard_skips_to_the_results(browser, live_server, reader_data):
    context, page = open_page(browser, live_server, LAPTOP)
    try:
        page.goto("/meetings/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href')")
        assert focused == "#results"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        link = page.evaluate("document.activeElement.closest('ol.results') !== null")
        assert link, "the first Tab after the skip link is not a result"
    finally:
        context.close()


def test_evidence_links_are_44_px_targets(browser, live_server, reader_data):
    context, page = open_page(browser, live_server, PHONE)
    try:
        page.goto(reader_data.get_absolute_url())
        refs = page.locator("a.ev-ref")
        assert refs.count() >= 3
        for i in range(refs.count()):
            box = refs.nth(i).bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box
        # ↩ in the article: a 44 px hit area around it, without moving the text.
        back = page.locator("a.ev-back").first
        back.scroll_into_view_if_needed()
        box = back.bounding_box()
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        for dx, dy in ((-20, 0), (20, 0), (0, -20), (0, 20)):
            hit = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.closest('a.ev-back') !== null",
                [cx + dx, cy + dy],
            )
            assert hit, f"the ↩ link is not under ({dx}, {dy}) from its centre"
    finally:
        context.close()


def test_chart_labels_are_readable_on_a_phone(browser, live_server, reader_data):
    context, page = open_page(browser, live_server, PHONE)
    try:
        page.goto(reader_data.city.get_absolute_url())
        page.screenshot(path=str(SCREENSHOTS / "province-phone.png"), full_page=True)
        labels = page.locator("svg.chart text.label, svg.chart text.tick")
        assert labels.count() > 0
        heights = [labels.nth(i).bounding_box()["height"] for i in range(labels.count())]
        assert min(heights) >= 11, heights
        assert page.locator("svg.quarter-grid").is_visible()
    finally:
        context.close()
