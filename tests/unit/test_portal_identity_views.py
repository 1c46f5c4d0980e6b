"""The sign-in page's input handling, inactivity and CSRF, through Flask's test client."""

from __future__ import annotations

from tests.unit.portal_client import PASSWORD, csrf_token, portal_app, sign_in

# a signed-in page that needs no store beyond users (the fakes have no jobs or challenges)
PAGE = "/learners/find-by-uln"


def test_signing_in_starts_a_session_and_the_home_page_opens():
    app, _, _ = portal_app()
    client = app.test_client()
    answer = sign_in(client)
    assert answer.status_code == 302 and answer.location == "/portal/"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/portal" in cookie
    assert "Secure" not in cookie and "Expires" not in cookie  # a browser-session cookie
    assert client.get(PAGE).status_code == 200


def test_secure_cookies_when_configured():
    from lrs_soap.portal.app import PortalConfig, create_portal

    _, ctx, _ = portal_app()
    app = create_portal(ctx, PortalConfig(secret_key="k" * 32, secure_cookies=True))
    client = app.test_client()
    assert "Secure" in sign_in(client).headers["Set-Cookie"]


def test_an_idle_session_ends_and_the_sign_in_page_says_why():
    app, _, clock = portal_app(idle_seconds=600)
    client = app.test_client()
    sign_in(client)
    clock.advance(seconds=599)
    assert client.get(PAGE).status_code == 200  # activity restarts the count
    clock.advance(seconds=599)
    assert client.get(PAGE).status_code == 200
    clock.advance(seconds=601)
    ended = client.get(PAGE)
    assert ended.status_code == 302 and ended.location == "/portal/sign-in?ended=idle"
    page = client.get("/sign-in?ended=idle").get_data(as_text=True)
    assert "You were signed out because you did nothing for a while" in page
    assert client.get(PAGE).status_code == 302  # the session is gone for good


def test_a_post_without_the_csrf_token_changes_nothing():
    app, _, _ = portal_app()
    client = app.test_client()
    refused = client.post("/sign-in", data={"organisation": "10000001", "user_name": "boss",
                                            "password": PASSWORD})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "The form could not be sent" in page
    nonce = refused.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in page  # GOV.UK Frontend's one inline script still runs
    assert client.get(PAGE).status_code == 302  # still signed out


def test_sign_out_needs_the_token_too():
    app, _, _ = portal_app()
    client = app.test_client()
    sign_in(client)
    assert client.post("/sign-out").status_code == 400
    assert client.get(PAGE).status_code == 200
    token = csrf_token(client, PAGE)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get(PAGE).status_code == 302


def test_a_wrong_password_is_not_echoed_and_too_long_input_is_reported():
    app, _, _ = portal_app()
    client = app.test_client()
    answer = sign_in(client, password="Wrong-Secret-99")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and "Wrong-Secret-99" not in page
    assert "The organisation, user name or password is not right" in page
    token = csrf_token(client, "/sign-in")
    long = client.post("/sign-in", data={"organisation": "123456789", "user_name": "u" * 36,
                                         "password": "p", "csrf_token": token})
    page = long.get_data(as_text=True)
    assert "A UKPRN is 8 characters and an OrganisationRef 6" in page
    assert "A user name is at most 35 characters" in page


def test_pages_carry_security_headers():
    app, _, _ = portal_app()
    answer = app.test_client().get("/sign-in")
    csp = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_a_cookie_copied_before_sign_out_does_not_work_after_it():
    app, _, _ = portal_app()
    client = app.test_client()
    sign_in(client)
    copied = client.get_cookie("lrs_portal", path="/portal").value
    token = csrf_token(client, PAGE)
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("lrs_portal", copied, path="/portal")
    refused = thief.get(PAGE)
    assert refused.status_code == 302 and refused.location.startswith("/portal/sign-in")
    # a fresh sign-in is a new session: the old copy stays dead
    sign_in(client)
    assert client.get(PAGE).status_code == 200
    assert thief.get(PAGE).status_code == 302
