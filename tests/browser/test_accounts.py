"""Account management by the organisation's super user, in the browser."""

from __future__ import annotations

from tests.browser.conftest import AWARDING, COLLEGE, accessible, follow, press, screenshot, sign_in


def test_a_super_user_registers_changes_resets_revokes_and_restores_a_user(page, portal,
                                                                           browser):
    sign_in(page, portal, AWARDING)
    follow(page, "Users")
    follow(page, "Register a new user")
    press(page, "Register user")
    assert page.locator(".govuk-error-summary__list li").all_inner_texts() == [
        "Enter a user name", "Choose a role", "Enter a password"]
    page.get_by_label("User name").fill("examiner")
    page.get_by_label("User: the organisation's services").check()
    page.get_by_label("Their first password").fill("short")
    press(page, "Register user")
    assert "A password is 12 to 128 characters" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Their first password").input_value() == ""  # never echoed
    page.get_by_label("User: the organisation's services").check()
    page.get_by_label("Their first password").fill("ExaminerPassword1")
    press(page, "Register user")
    assert "User registered" in page.locator(".govuk-notification-banner").inner_text()
    accessible(page)
    screenshot(page, "user-registered")

    examiner = browser.new_context().new_page()
    sign_in(examiner, portal, (AWARDING[0], "examiner", "ExaminerPassword1"))
    assert "Signed in as examiner" in examiner.inner_text("body")
    assert examiner.get_by_role("link", name="Users", exact=True).count() == 0
    assert examiner.goto(portal.url + "users/").status == 403

    page.get_by_label("Super user: also manages the organisation's users").check()
    press(page, "Change role")
    assert "Role changed" in page.inner_text("body")
    assert page.locator("#status").inner_text() == "Super user, active."
    page.get_by_label("New password").fill("AnotherExaminer2")
    press(page, "Reset password")
    assert "Password reset" in page.inner_text("body")
    press(page, "Revoke user")
    assert page.locator("#status").inner_text() == "Super user, revoked."
    examiner.reload()
    assert examiner.get_by_role("heading", level=1).inner_text() == "Your access has ended"
    press(page, "Restore user")
    sign_in(examiner, portal, (AWARDING[0], "examiner", "AnotherExaminer2"))
    assert "Signed in as examiner" in examiner.inner_text("body")
    examiner.context.close()

    follow(page, "Users")
    rows = page.locator("#users tbody tr").all_inner_texts()
    assert any(r.startswith("examiner") and "Super user" in r and "Active" in r for r in rows)
    accessible(page)


def test_another_organisations_user_is_not_found(page, portal):
    sign_in(page, portal, COLLEGE)
    assert page.goto(portal.url + "users/999999").status == 404
    # user 2 is the demo awarding organisation's: the same answer as a missing one
    theirs = page.goto(portal.url + "users/2")
    assert theirs.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
