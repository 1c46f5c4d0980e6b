"""GOV.UK pages work with JavaScript off (progressive enhancement): signing in, finding a
learner, a form's error summary, and narrowing the qualification list, in a browser whose
JavaScript is disabled. (The jobs page without JavaScript: test_batches.) axe-core is a
script, so it cannot run here: these pages are checked with it, JavaScript on, elsewhere."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    AWARDING,
    COLLEGE,
    press,
    screenshot,
    sign_in,
)


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def scripts_ran(page) -> bool:
    # GOV.UK's template marks the body from an inline script: absent, nothing ran
    return "js-enabled" in (page.get_attribute("body", "class") or "")


def test_sign_in_its_error_summary_and_sign_out(page, portal):
    page.goto(portal.url + "sign-in")
    assert not scripts_ran(page)
    # the password's Show button is JavaScript's to offer: without it, a plain password field
    assert not page.get_by_role("button", name="Show password").is_visible()
    press(page, "Sign in")
    summary = page.locator(".govuk-error-summary")
    assert summary.locator("li").all_inner_texts() == [
        "Enter your UKPRN or OrganisationRef", "Enter your user name", "Enter your password"]
    assert summary.get_by_role("link", name="Enter your user name").get_attribute("href") \
        == "#user_name"
    assert page.locator("#user_name-error").inner_text().endswith("Enter your user name")
    screenshot(page, "no-js-sign-in-errors")
    sign_in(page, portal, COLLEGE)
    assert page.get_by_role("heading", level=1).inner_text() == "Demo College"
    press(page, "Sign out demo")
    assert "You have signed out." in page.inner_text("body")


def test_find_a_learner_by_uln_and_by_details_and_its_errors(page, portal):
    sign_in(page, portal, COLLEGE)
    page.set_viewport_size({"width": 320, "height": 800})
    # no menu button without JavaScript: the service navigation's links are all shown
    assert page.get_by_role("link", name="Find by details", exact=True).is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Find by ULN", exact=True).click()
    page.set_viewport_size({"width": 1024, "height": 800})
    page.get_by_label("ULN").fill("1026893096")
    page.get_by_label("Given name").fill("Sam")
    page.get_by_label("Family name").fill("Example")
    press(page, "Find learner")
    assert "Exact match" in page.locator("#outcome").inner_text()

    page.goto(portal.url + "learners/find-by-demographics")
    page.get_by_label("Family name", exact=True).fill("Example")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2000")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Postcode").fill("AB12 3DF")
    press(page, "Find learner")
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the learner's given name" in summary.inner_text()
    assert page.get_by_label("Family name", exact=True).input_value() == "Example"  # kept
    screenshot(page, "no-js-find-errors")
    page.get_by_label("Given name").fill("Samantha")
    press(page, "Find learner")
    assert "Possible matches" in page.locator("#outcome").inner_text()
    assert page.locator("tbody tr").first.inner_text().startswith("1026893096")


def test_narrowing_the_qualifications_is_a_plain_submit(page, portal):
    sign_in(page, portal, AWARDING)
    page.goto(portal.url + "achievements/")
    page.get_by_label("ULN").fill("8383558804")
    page.get_by_label("Given name").fill("Tom")
    page.get_by_label("Family name").fill("Jones")
    page.get_by_label("Day").fill("24")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("1998")
    page.get_by_label("Male", exact=True).check()
    press(page, "Find learner")
    every = page.get_by_label("Qualification or unit").locator("option").count()
    page.get_by_label("Search the register").fill("health and safety")
    press(page, "Show matching qualifications")
    options = page.get_by_label("Qualification or unit").locator("option").all_inner_texts()
    assert len(options) < every
    assert [o for o in options if "/" in o] == [
        "Y/600/4321 Health and safety in the workplace (unit)"]
