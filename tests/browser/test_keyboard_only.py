"""The main flows with the keyboard alone: every field, link and button reached with Tab from
the top of the page, typed into, chosen with the arrow keys or Space, and pressed with Enter
(a file picked from the chooser Space opens). Signing in and a single achievement are done
so in test_identity and test_work_pages; here: find a learner, register one, submit a
learner batch file, an entry and its result, and a learner plan.

Each flow that changes something runs as an organisation of its own, so that the other
modules' expectations of the demo organisations (no jobs yet, no plan for Priya) hold in
any order."""

from __future__ import annotations

from lrs_soap.domain.model import Role
from tests.browser.batch_files import learner_file
from tests.browser.conftest import (
    COLLEGE,
    accessible,
    enter_page,
    keyboard_sign_in,
    screenshot,
    tab_to,
)
from tests.portal_accounts import organisation_with_portal_user


def type_into(page, *fields: tuple[str, str]) -> None:
    """Tab forward to each labelled field in turn and type its value."""
    for label, value in fields:
        tab_to(page, label)
        page.keyboard.type(value)


def date_parts(day: str, month: str, year: str) -> tuple[tuple[str, str], ...]:
    return ("Day", day), ("Month", month), ("Year", year)


def press_with_keyboard(page, button: str) -> None:
    tab_to(page, button)
    enter_page(page)


def test_find_a_learner_with_the_keyboard(page, portal):
    keyboard_sign_in(page, portal, COLLEGE)
    press_with_keyboard(page, "Find by ULN")
    type_into(page, ("ULN", "1026893096"), ("Given name", "Sam"), ("Family name", "Example"))
    press_with_keyboard(page, "Find learner")
    assert "Exact match" in page.locator("#outcome").inner_text()
    assert "AB12 3DF" in page.locator(".govuk-summary-list").inner_text()

    press_with_keyboard(page, "Find by details")
    type_into(page, ("Given name", "Samantha"), ("Family name", "Example"),
              *date_parts("31", "1", "2000"))
    tab_to(page, "Male")
    page.keyboard.press("ArrowDown")  # the arrow keys move through radios and choose
    type_into(page, ("Postcode", "AB12 3DF"))
    press_with_keyboard(page, "Find learner")
    assert "Possible matches" in page.locator("#outcome").inner_text()
    assert page.locator("tbody tr").first.inner_text().startswith("1026893096")


def test_register_a_learner_with_the_keyboard(page, portal, admin):
    college = organisation_with_portal_user(
        admin, name="Keyboard College", ukprn="10000061",
        roles={Role.LEARNER_REGISTRATION_BODY}, password="KeyboardCollege1")
    keyboard_sign_in(page, portal, college)
    press_with_keyboard(page, "Register")
    type_into(page, ("Given name", "Kit"), ("Family name", "Tabbington"),
              *date_parts("9", "10", "2004"))
    tab_to(page, "Male")
    page.keyboard.press("Space")
    type_into(page, ("Postcode", "CF10 1AA"))
    press_with_keyboard(page, "Continue")
    assert page.locator(".govuk-panel").count() == 1
    assert len(page.locator("#new-uln").inner_text()) == 10


def test_submit_a_learner_batch_file_with_the_keyboard(page, portal, admin, tmp_path):
    college = organisation_with_portal_user(
        admin, name="Keyboard Batch College", ukprn="10000062",
        roles={Role.LEARNER_REGISTRATION_BODY}, password="KeyboardBatches1")
    path = learner_file(tmp_path, ["Kim,Keys,LS1 4AP,2003-03-03,2,K1"], 0, ukprn="10000062")
    keyboard_sign_in(page, portal, college)
    press_with_keyboard(page, "Upload a batch")
    tab_to(page, "Batch file")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # opens the system's file chooser, as a click would
    chooser.value.set_files(str(path))
    press_with_keyboard(page, "Check and submit")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Learner registration")
    page.locator("#progress", has_text="1 of 1 records processed").wait_for(timeout=30_000)


def test_an_entry_and_its_result_with_the_keyboard(page, portal, admin):
    board = organisation_with_portal_user(
        admin, name="Keyboard Board", ukprn="10000063", roles={Role.AWARDING_ORGANISATION},
        password="KeyboardBoard12")
    keyboard_sign_in(page, portal, board)
    press_with_keyboard(page, "Entries and results")
    press_with_keyboard(page, "Enter a learner")
    type_into(page, ("ULN", "1026893096"), ("Given name", "Sam"), ("Family name", "Example"),
              *date_parts("31", "1", "2000"))
    tab_to(page, "Male")
    page.keyboard.press("ArrowDown")
    tab_to(page, "Qualification or unit")
    page.keyboard.type("Y/600/4321")  # a select picks the option its typed text starts
    type_into(page, *date_parts("6", "1", "2025"), *date_parts("14", "8", "2025"))
    accessible(page)
    screenshot(page, "entry-form")
    press_with_keyboard(page, "Submit entry")
    assert "ENTERED" in page.locator("#outcome").inner_text()
    press_with_keyboard(page, page.locator("#outcome a").inner_text())
    type_into(page, ("Grade", "Pass"), *date_parts("1", "8", "2025"))
    press_with_keyboard(page, "Record result")
    assert "WSRC0006" in page.locator("#outcome").inner_text()
    assert "RESULTED" in page.locator("#entry").inner_text()


def test_a_learner_plan_with_the_keyboard(page, portal, admin):
    prison = organisation_with_portal_user(
        admin, name="Keyboard Prison", ukprn="10000064",
        roles={Role.LEARNER_REGISTRATION_BODY, Role.OLASS}, password="KeyboardPrison1")
    keyboard_sign_in(page, portal, prison)
    press_with_keyboard(page, "Learner plans")
    type_into(page, ("ULN", "1964986809"), ("Given name", "Priya"), ("Family name", "Shah"))
    press_with_keyboard(page, "Find plans")
    assert "WSRC0001" in page.locator("#outcome").inner_text()
    type_into(page, ("Goals", "English at level 1"),
              ("Aim 1: qualification or unit reference", "500/9999/1"),
              *date_parts("1", "9", "2026"), *date_parts("31", "3", "2027"))
    press_with_keyboard(page, "Save plan")
    assert "Plan saved: version 1" in page.inner_text("main")
    press_with_keyboard(page, "Change this plan")
    tab_to(page, "Aim 1: status")
    page.keyboard.press("ArrowDown")  # Planned -> In learning
    press_with_keyboard(page, "Save plan")
    history = page.locator("#history").inner_text()
    assert "Version 2" in history and "PLANNED -> IN_LEARNING" in history
