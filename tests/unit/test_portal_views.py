"""The portal's input handling without a browser: bad input said in words, uploads bounded,
no personal data logged, another organisation's ids not found."""

from __future__ import annotations

import io
import logging

from lrs_soap.domain.model import Role
from tests.unit.portal_client import csrf_token, portal_app, sign_in


def signed_in(**kwargs):
    app, ctx, clock = portal_app(**kwargs)
    client = app.test_client()
    sign_in(client)
    return client


def test_a_ulns_shape_and_check_digit_are_reported_against_the_field():
    client = signed_in()
    token = csrf_token(client, "/learners/find-by-uln")
    for uln, said in (("12345", "ULN: "), ("1026893097", "fails its check digit (WSEC0136)")):
        page = client.post("/learners/find-by-uln", data={
            "uln": uln, "given_name": "Sam", "family_name": "Example", "csrf_token": token})
        text = page.get_data(as_text=True)
        assert said in text and 'href="#uln"' in text


def test_a_date_that_is_not_one_is_an_error_and_nothing_is_searched():
    client = signed_in()
    token = csrf_token(client, "/learners/find-by-demographics")
    page = client.post("/learners/find-by-demographics", data={
        "given_name": "Sam", "family_name": "Example", "date_of_birth": ["31", "2", "2000"],
        "gender": "2", "postcode": "AB12 3DF", "csrf_token": token}).get_data(as_text=True)
    assert "There is a problem" in page and "Result" not in page


def test_an_upload_over_the_limit_is_refused_before_it_is_read():
    client = signed_in()
    token = csrf_token(client, "/batches/upload")
    body = (f"--b\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
            "--b\r\nContent-Disposition: form-data; name=\"batch_file\"; "
            "filename=\"LRB_10000001_0.CSV\"\r\n\r\n").encode() + b"x" * (4 * 1024 * 1024)
    answer = client.post("/batches/upload", data=body,
                         content_type="multipart/form-data; boundary=b")
    assert answer.status_code == 413
    assert "The file is too big" in answer.get_data(as_text=True)


def test_an_upload_is_refused_when_no_checker_is_configured():
    client = signed_in()
    token = csrf_token(client, "/batches/upload")
    page = client.post("/batches/upload", content_type="multipart/form-data", data={
        "csrf_token": token,
        "batch_file": (io.BytesIO(b"GivenName\n"), "LRB_10000001_010520241200.CSV")})
    assert "The file could not be read" in page.get_data(as_text=True)


def test_searches_log_no_personal_data_at_info(caplog):
    client = signed_in()
    token = csrf_token(client, "/learners/find-by-demographics")
    with caplog.at_level(logging.INFO):
        client.post("/learners/find-by-demographics", data={
            "given_name": "Zebedee", "family_name": "Quinlan-Oddname",
            "date_of_birth": ["3", "4", "2001"], "gender": "1", "postcode": "ZZ99 9ZZ",
            "csrf_token": token})
    logged = caplog.text
    assert "Zebedee" not in logged and "Quinlan" not in logged and "ZZ99" not in logged


def test_another_organisations_user_is_not_found():
    client = signed_in(roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
    assert client.get("/users/424242").status_code == 404


def test_an_organisation_without_a_role_cannot_open_its_pages():
    client = signed_in(roles=frozenset({Role.AWARDING_ORGANISATION}))
    answer = client.get("/learners/register")
    assert answer.status_code == 403
    assert "You cannot use this page" in answer.get_data(as_text=True)
