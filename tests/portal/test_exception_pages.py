"""Learner batch exceptions in the portal (service/batch_exceptions.py): a batch record
with a possible match is listed, linked to the learner chosen, and then no longer open;
another organisation's exception is "not found" like a missing one."""

from __future__ import annotations

import dataclasses

from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.model import Role
from lrs_soap.service import accounts, batches
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.demo import DEMO_LEARNERS
from tests.batch_records import sent
from tests.integration.test_learner_batch_updates import record
from tests.portal.conftest import AWARDING, COLLEGE, post, signed_in, text
from tests.portal_accounts import organisation_with_portal_user

SAM_ULN, SAM = DEMO_LEARNERS[0]


def _exception(services) -> None:
    """A learner batch of the demo college whose one record possibly matches Sam."""
    caller = accounts.authenticate(services, Credentials("demo", "DemoCollege2026!",
                                                         ukprn="10000001"), "learner_batch")
    almost = record(dataclasses.replace(SAM, postcode="AB12 3DG"), MISIdentifier="X1")
    batches.submit(services, caller, batches.Submission(
        JobKind.LEARNER_REGISTRATION, sent([almost]), 1, job_type="FUL"))
    while batches.run_next_job(services, batches.RunSettings(worker="t")) is not None:
        pass


def test_a_college_links_an_exception_to_the_possible_match(app, services):
    _exception(services)
    client = signed_in(app, COLLEGE)
    listed = client.get("/batches/exceptions/")
    page = text(listed)
    assert "1 exception" in page and "Sam Example, born 2000-01-31" in page
    exception_id = int(page.split("Decide ")[1].split()[0])
    path = f"/batches/exceptions/{exception_id}"
    decide = client.get(path)
    assert f'value="{SAM_ULN}"' in decide.get_data(as_text=True)
    # the possible match by name, birth date and postcode, not by ULN alone
    assert f"{SAM_ULN}: Sam Example, born 31 January 2000, {SAM.postcode}" in text(decide)
    unchosen = post(client, path, {"decision": "LINK"})
    assert unchosen.status_code == 400 and "Choose the learner to link" in text(unchosen)
    linked = text(post(client, path, {"decision": "LINK", "uln": SAM_ULN}))
    assert f"Outcome LINKED: ULN {SAM_ULN}" in linked and "Save decision" not in linked
    assert "0 exceptions" in text(client.get("/batches/exceptions/"))
    assert "1 exception" in text(client.get("/batches/exceptions/?status=LINKED"))

    other = signed_in(app, organisation_with_portal_user(
        services, name="Other college", ukprn="10000006", reference="OTHCOL",
        roles={Role.LEARNER_REGISTRATION_BODY}, password="OtherCollege1"))
    theirs, missing = other.get(path), other.get("/batches/exceptions/999999")
    assert theirs.status_code == missing.status_code == 404 and text(theirs) == text(missing)
    assert post(other, path, {"decision": "DISCARD"},
                token_from="/batches/exceptions/").status_code == 404
    assert signed_in(app, AWARDING).get("/batches/exceptions/").status_code == 403
    assert client.post(path, data={"decision": "DISCARD"}).status_code == 400  # no token
