"""The Content-Security-Policy in a real browser: no page breaks it.

Debian's Chromium through Playwright against live_server, with the fixtures of
tests/test_browser.py (so the same rule: without Chromium this fails, unless
SKIP_BROWSER_TESTS=1). Every violation the browser reports, as a console message or a
`securitypolicyviolation` event, fails the test with the page and what was blocked.
"""

import re

import pytest

from tests.test_browser import page, portal_data  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

PASSWORD = "csp-editor-pass-1234"

# Runs before any page script, from the browser itself, so the policy does not apply to it.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`
    + ` at ${e.sourceFile || ''}:${e.lineNumber} ${e.sample || ''}`);
});
"""


class Violations:
    """CSP complaints heard on a page: console messages and violation events."""

    def __init__(self, tab):
        self.page = tab
        self.console = []
        tab.context.add_init_script(RECORD_VIOLATIONS)
        tab.on("console", self._console)
        tab.on("pageerror", lambda exc: self.console.append(f"page error: {exc}"))

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.console.append(f"{message.type}: {message.text}")

    def visit(self, url):
        response = self.page.goto(url)
        self.page.wait_for_load_state("load")
        return response

    def found(self):
        events = self.page.evaluate("window.__csp || []")
        heard, self.console = self.console, []
        return heard + events


def public_urls(data):
    q3 = data["q3"]
    person = q3.participations.get().person
    org = q3.mentions.get().organization
    directive = q3.citations.get().directive
    return [
        "/",
        "/meetings/",
        f"/meetings/?city={q3.city.slug}&period=quarter-2023-3",
        "/search/?q=lien+doan+lao+dong",
        "/search/?q=24-CT%2FTU",
        q3.get_absolute_url(),
        person.get_absolute_url(),
        org.get_absolute_url(),
        directive.get_absolute_url(),
        q3.city.get_absolute_url(),
        "/people/",
        "/organizations/?q=lien+doan",
        "/directives/",
        "/cities/",
        "/no-such-page/",
    ]


def test_public_pages_raise_no_csp_violation(page, portal_data):  # noqa: F811
    violations = Violations(page)
    seen = {}
    for url in public_urls(portal_data):
        response = violations.visit(url)
        assert response.status == (404 if url == "/no-such-page/" else 200), url
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        # The stylesheet applied: the policy did not block the page's own CSS.
        assert (
            page.evaluate("getComputedStyle(document.querySelector('header.site-header')).display")
            != "inline"
        ), url
        found = violations.found()
        if found:
            seen[url] = found
    assert not seen, seen


def test_the_policy_is_enforced(page, portal_data):  # noqa: F811
    """The check above can fail: an inline script injected into a page is reported."""
    violations = Violations(page)
    violations.visit("/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("window.x") is None
    assert any("script-src" in v for v in violations.found())


def test_language_switch_and_search_work_under_the_policy(page, portal_data):  # noqa: F811
    violations = Violations(page)
    violations.visit(portal_data["q3"].get_absolute_url())
    with page.expect_navigation():
        page.locator(".lang-switch button[value=en]").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("header form[role=search] input[name=q]").fill("lien doan lao dong")
    with page.expect_navigation():
        page.locator("header form[role=search] input[name=q]").press("Enter")
    assert "/search/" in page.url
    assert not violations.found()


def third_party_style(url, violation):
    """The one inline style attribute left in the admin, not ours and only cosmetic:
    django-simple-history's object_history_list.html puts style="border-top: 0" on its
    paginator. Blocked, the history page shows a border line more; nothing else changes."""
    return url.endswith("/history/") and (
        violation.startswith("style-src-attr") or "Applying inline style" in violation
    )


@pytest.fixture
def admin_urls(portal_data, django_user_model):  # noqa: F811
    django_user_model.objects.create_superuser("csp-admin", "a@example.org", PASSWORD)
    q3 = portal_data["q3"]
    return [
        "/admin/",
        "/admin/meetings/meeting/",
        "/admin/meetings/meeting/?q=giao+ban",
        f"/admin/meetings/meeting/{q3.pk}/change/",
        "/admin/meetings/meeting/add/",
        "/admin/meetings/person/",
        f"/admin/meetings/person/{q3.participations.get().person.pk}/change/",
        "/admin/meetings/organization/",
        f"/admin/meetings/meeting/{q3.pk}/history/",
        "/admin/auth/user/",
    ]


def test_admin_works_under_the_policy(page, admin_urls):  # noqa: F811
    """The admin's scripts all load (Django 5.2's admin has no inline script), and signing in,
    the date shortcuts and the autocomplete widgets work."""
    violations = Violations(page)
    violations.visit("/admin/login/?next=/admin/")
    page.fill("#id_username", "csp-admin")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/")
    seen = {}
    for url in admin_urls:
        response = violations.visit(url)
        assert response.status == 200, url
        found = [v for v in violations.found() if not third_party_style(url, v)]
        if found:
            seen[url] = found
    assert not seen, seen

    # Scripts ran: the calendar shortcut and select2 (autocomplete) built their widgets.
    violations.visit(admin_urls[3])
    assert page.locator(".datetimeshortcuts a").count() > 0
    assert page.locator(".select2-container").count() > 0
    page.locator(".field-city .select2-selection").first.click()
    page.locator(".select2-search__field").fill("Hà")
    page.wait_for_selector(".select2-results__option:has-text('Hà Nội')")
    assert not violations.found()
    # A date shortcut writes today into the field.
    page.keyboard.press("Escape")  # close the autocomplete list over the form
    page.locator("#id_held_on").fill("")
    page.locator(".field-held_on .datetimeshortcuts a").first.click()
    assert re.match(r"\d", page.locator("#id_held_on").input_value())
