"""Signing in and out, wrong passwords, CSRF and revocation, in a real browser (inactivity:
tests/unit/test_portal_identity_views.py, with a clock that can be moved)."""

from __future__ import annotations

import re
import time

import requests
from lxml import etree

from lrs_soap.domain.model import PortalRole, Role
from lrs_soap.service import accounts, portal_users
from lrs_soap.soap.contract import NATIVE_NS
from tests.browser.conftest import (
    COLLEGE,
    COLLEGE_SOAP,
    accessible,
    press,
    screenshot,
    sign_in,
)
from tests.portal_accounts import organisation_with_portal_user


def test_sign_in_and_out_with_the_keyboard(page, portal):
    page.goto(portal.url)
    assert page.url == portal.url + "sign-in"
    accessible(page)
    # keyboard only: tab to each field from the top of the page
    page.get_by_label("Organisation").focus()
    page.keyboard.type(COLLEGE[0])
    page.keyboard.press("Tab")
    page.keyboard.type(COLLEGE[1])
    page.keyboard.press("Tab")
    page.keyboard.type(COLLEGE[2])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Demo College"
    assert "Signed in as demo, Demo College" in page.inner_text("body")
    cookie = next(c for c in page.context.cookies() if c["name"] == "lrs_portal")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/portal"
    accessible(page)
    screenshot(page, "home")
    press(page, "Sign out demo")
    assert "You have signed out." in page.inner_text("body")
    page.goto(portal.url)
    assert page.url.startswith(portal.url + "sign-in")


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(page, portal):
    sign_in(page, portal, (COLLEGE[0], COLLEGE[1], "not-the-password"))
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "The organisation, user name or password is not right" in summary.inner_text()
    assert page.title().startswith("Error: ")
    # the password is never echoed back into the page
    assert page.get_by_label("Password", exact=True).input_value() == ""
    assert "not-the-password" not in page.content()
    # the summary takes focus, as the Design System prescribes
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    accessible(page)
    screenshot(page, "sign-in-error")


def test_an_empty_form_lists_every_missing_field(page, portal):
    page.goto(portal.url + "sign-in")
    press(page, "Sign in")
    errors = page.locator(".govuk-error-summary__list li").all_inner_texts()
    assert errors == ["Enter your UKPRN or OrganisationRef", "Enter your user name",
                      "Enter your password"]
    page.get_by_role("link", name="Enter your user name").click()
    assert page.evaluate("document.activeElement.id") == "user_name"
    accessible(page)


def test_a_post_without_its_csrf_token_is_refused(portal):
    session = requests.Session()
    refused = session.post(portal.url + "sign-in", allow_redirects=False,
                           data={"organisation": COLLEGE[0], "user_name": COLLEGE[1],
                                 "password": COLLEGE[2]})
    assert refused.status_code == 400
    assert "The form could not be sent" in refused.text
    home = session.get(portal.url, allow_redirects=False)
    assert home.status_code == 302 and "/portal/sign-in" in home.headers["Location"]
    # the same request with the form's token signs in
    form = session.get(portal.url + "sign-in").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    accepted = session.post(portal.url + "sign-in", allow_redirects=False,
                            data={"organisation": COLLEGE[0], "user_name": COLLEGE[1],
                                  "password": COLLEGE[2], "csrf_token": token})
    assert accepted.status_code == 302 and accepted.headers["Location"].endswith("/portal/")


def test_a_user_revoked_mid_session_is_stopped_on_the_next_page(page, portal, admin):
    accounts.create_user(admin, COLLEGE[0], "clerk")
    portal_users.set_portal_account(admin, COLLEGE[0], "clerk", "ClerkPassword1",
                                    PortalRole.USER)
    sign_in(page, portal, (COLLEGE[0], "clerk", "ClerkPassword1"))
    assert "Signed in as clerk" in page.inner_text("body")
    accounts.set_user_active(admin, COLLEGE[0], "clerk", False)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Your access has ended"
    accessible(page)
    screenshot(page, "access-ended")
    page.goto(portal.url)  # the session is gone: back to signing in
    assert page.url.startswith(portal.url + "sign-in")
    sign_in(page, portal, (COLLEGE[0], "clerk", "ClerkPassword1"))
    assert "The organisation, user name or password is not right" in page.inner_text("body")


def _find(base: str, ukprn: str, user: str, password: str, uln: str):
    """A native FindByULN for Sam Example, its answer as a tree."""
    envelope = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN><v:Credentials><v:UKPRN>{ukprn}</v:UKPRN>'
        f"<v:UserName>{user}</v:UserName><v:OrgPassword>{password}</v:OrgPassword>"
        f"</v:Credentials><v:FindType>FUL</v:FindType><v:ULN>{uln}</v:ULN><v:GivenName>Sam"
        "</v:GivenName><v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")
    answer = requests.post(base + "/soap/v1", data=envelope.encode(), timeout=10,
                           headers={"Content-Type": "text/xml"})
    return etree.fromstring(answer.content)


def find_by_uln(base: str, ukprn: str, user: str, password: str, uln: str) -> str | None:
    """The answer's ErrorCode or ResponseCode."""
    tree = _find(base, ukprn, user, password, uln)
    return (tree.findtext(f".//{{{NATIVE_NS}}}ErrorCode")
            or tree.findtext(f".//{{{NATIVE_NS}}}ResponseCode"))


def test_repeated_failures_lock_the_user_out_of_the_portal_and_soap(page, portal, admin):
    accounts.create_user(admin, COLLEGE[0], "locky")
    portal_users.set_portal_account(admin, COLLEGE[0], "locky", "LockyPassword1",
                                    PortalRole.USER)
    for _ in range(3):  # the free failures, in the browser
        sign_in(page, portal, (COLLEGE[0], "locky", "NotHisPassword"))
        assert "not right" in page.locator(".govuk-error-summary").inner_text()
    waits = []
    while not waits or waits[-1] < 4:  # then over SOAP: the same counts, growing delays
        code, said = soap_fault(portal.base, "locky", "WrongOrgPasswd12")
        if code == "WSEC0007":
            waits.append(int(re.search(r"try again in (\d+) seconds", said).group(1)))
            time.sleep(waits[-1] if waits[-1] < 4 else 0)
        assert len(waits) < 8
    # blocked for a few seconds: the right portal password is refused before it is checked
    sign_in(page, portal, (COLLEGE[0], "locky", "LockyPassword1"))
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Too many failed sign-ins: try again in" in summary
    accessible(page)
    screenshot(page, "sign-in-locked")


def soap_fault(base: str, user: str, password: str) -> tuple[str | None, str | None]:
    tree = _find(base, COLLEGE_SOAP[0], user, password, "1026893096")
    return (tree.findtext(f".//{{{NATIVE_NS}}}ErrorCode"),
            tree.findtext(f".//{{{NATIVE_NS}}}FurtherDetails"))


def test_the_home_page_counts_the_organisations_soap_calls(page, portal, admin):
    counting = organisation_with_portal_user(
        admin, name="Counting College", ukprn="10000055", roles={Role.LEARNER_REGISTRATION_BODY},
        user_name="counter", password="CounterPassword1", soap_password="CountingCollege1")
    calls = [find_by_uln(portal.base, "10000055", "counter", "CountingCollege1", uln)
             for uln in ("1026893096", "1026893096", "1026893097")]
    assert calls == ["WSRC0004", "WSRC0004", "WSEC0136"]
    sign_in(page, portal, counting)
    rows = [row.split("\t") for row in page.locator("#calls tbody tr").all_inner_texts()]
    assert rows == [["FindByULN", "WSRC0004", "2"], ["FindByULN", "WSEC0136", "1"]]
    assert "Learning event challenges you raised: 0" in page.inner_text("#open-challenges")
    accessible(page)
    screenshot(page, "home-calls")
