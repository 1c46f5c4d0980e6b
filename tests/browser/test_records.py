"""Verification, the Personal Learning Record (view, CSV, print, challenge), the awarding
organisation's inbox, ULN challenges, and another organisation's challenge not found."""

from __future__ import annotations

import csv
import io

from lrs_soap.domain.model import PortalRole, Role
from tests.browser.conftest import (
    AWARDING,
    COLLEGE,
    accessible,
    follow,
    press,
    screenshot,
    sign_in,
)
from tests.portal_accounts import organisation_with_portal_user


def fill_learner(page, uln, given, family):
    page.get_by_label("ULN", exact=True).fill(uln)
    page.get_by_label("Given name").fill(given)
    page.get_by_label("Family name").fill(family)


def test_verify_shows_the_failure_flags_in_words(page, portal):
    sign_in(page, portal, COLLEGE)
    page.get_by_role("link", name="Verify").click()
    fill_learner(page, "1026893096", "Sam", "Smith")
    page.get_by_label("Year").fill("2001")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("1")
    press(page, "Verify")
    assert "Not verified" in page.locator("#outcome").inner_text()
    assert "WSVRC005" in page.locator("#outcome").inner_text()
    flags = page.locator("#failure-flags li").all_inner_texts()
    # no name path passed, so every differing comparison is listed (domain/verification.py)
    assert flags == [
        "The given name does not match the learner's family name (names swapped) (VRF2)",
        "The family name does not match the learner's given name (names swapped) (VRF4)",
        "The family name does not match the learner's family name (VRF5)",
        "The date of birth does not match (VRF7)"]
    accessible(page)
    screenshot(page, "verify-flags")
    fill_learner(page, "1026893096", "Sam", "Example")
    page.get_by_label("Year").fill("")
    page.get_by_label("Day").fill("")
    page.get_by_label("Month").fill("")
    press(page, "Verify")
    assert "Verified: the details match" in page.locator("#outcome").inner_text()


def test_record_csv_print_challenge_and_the_awarding_organisations_inbox(page, portal, browser):
    sign_in(page, portal, COLLEGE)
    follow(page, "Learning records")
    fill_learner(page, "2468013572", "Priya", "Shah")  # her old ULN, merged into 1964986809
    press(page, "View record")
    assert "WSRC0022" in page.locator("#outcome").inner_text()
    subjects = page.locator("#events tbody tr td:first-child").all_inner_texts()
    assert "Demo Level 2 Certificate in Horticulture" in subjects
    assert "Functional Skills English Level 2" in subjects  # held under the merged ULN
    accessible(page)
    screenshot(page, "learning-record")
    screenshot(page, "learning-record-320", width=320)  # the table scrolls, the page does not
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 800})

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text())))
    assert download.value.suggested_filename == "learning-record-1964986809.csv"
    assert sorted(r["Subject"] for r in rows) == sorted(subjects)
    horticulture = next(r for r in rows if r["Source"] == "AO")
    assert (horticulture["Grade"], horticulture["Award date"]) == ("Merit", "2025-07-15")

    press(page, "Printable page")
    assert page.get_by_role("heading", level=1).inner_text() == \
        "Learning record of Priya Shah"
    assert page.locator(".govuk-service-navigation").count() == 0
    accessible(page)
    page.goto(portal.url + "record/")  # the print page is not kept in history (no-store)
    fill_learner(page, "2468013572", "Priya", "Shah")
    press(page, "View record")

    press(page, "Challenge Demo Level 2 Certificate in Horticulture")
    press(page, "Raise challenge")  # no reason: said, nothing raised
    assert "Say what is wrong with it" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What is wrong?").fill("The grade was Distinction")
    press(page, "Raise challenge")
    assert page.get_by_role("heading", level=1).inner_text() == "Challenge raised"
    challenge_id = page.locator("#challenge-id").inner_text()
    accessible(page)

    awarding = browser.new_context().new_page()
    sign_in(awarding, portal, AWARDING)
    follow(awarding, "Challenges")
    assert "The grade was Distinction" in awarding.locator("#owned").inner_text()
    accessible(awarding)
    awarding.get_by_role("link", name=f"{challenge_id} (open challenge {challenge_id})").click()
    awarding.get_by_label("Correct the event").check()
    awarding.get_by_label("New grade (when correcting)").fill("Distinction")
    press(awarding, "Save decision")
    assert "ACCEPTED" in awarding.locator("#outcome").inner_text()
    accessible(awarding)
    screenshot(awarding, "challenge-resolved")
    awarding.context.close()

    page.goto(portal.url + "challenges/")
    raised = page.locator("#raised").inner_text()
    assert "Accepted" in raised and "Distinction" in raised


def test_another_organisations_challenge_is_not_found(page, portal, admin):
    sign_in(page, portal, organisation_with_portal_user(
        admin, name="Other Board", ukprn="10000077", roles={Role.AWARDING_ORGANISATION},
        user_name="other", password="OtherBoardPass1", portal_role=PortalRole.USER))
    missing = page.goto(portal.url + "challenges/999999/resolve")
    theirs = page.goto(portal.url + "challenges/1/resolve")  # the demo board's challenge
    assert missing.status == theirs.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"


def test_raise_a_uln_challenge_and_follow_it(page, portal):
    sign_in(page, portal, COLLEGE)
    page.goto(portal.url + "challenges/uln")
    page.get_by_label("ULN", exact=True).fill("4444599390")
    page.get_by_label("Two people share the ULN").check()
    page.get_by_label("What is wrong?").fill("Two learners at our college use this ULN")
    press(page, "Report problem")
    assert "Challenge raised" in page.locator("#outcome").inner_text()
    accessible(page)
    page.get_by_role("link", name="follow its status").click()
    row = page.locator("#uln-challenges tbody tr").last.inner_text()
    assert "4444599390" in row and "Two people share the ULN" in row and "Open" in row
