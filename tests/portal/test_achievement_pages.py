"""Single achievements in the portal (docs/single-achievements.md): the learner is verified
first, the qualification is picked from the organisation's own and shared ones, and the
answer shows the event as it now stands; field rules come back in words, nothing stored."""

from __future__ import annotations

from lrs_soap.domain.model import Role
from tests.portal.conftest import AWARDING, COLLEGE, post, signed_in, text
from tests.portal_accounts import organisation_with_portal_user

SAM = {"uln": "1026893096", "given_name": "Sam", "family_name": "Example",
       "date_of_birth": ["31", "1", "2000"], "gender": "2"}
JULY_2025 = {"award_date": ["1", "7", "2025"]}
LEARNER = {"uln": "1026893096", "given_name": "Sam", "family_name": "Example",
           "date_of_birth": "2000-01-31", "gender": "2"}


def record(client, **fields):
    return post(client, "/achievements/record", {**LEARNER, **fields},
                token_from="/achievements/")


def test_an_awarding_organisation_records_withdraws_and_reinstates_one_achievement(app):
    client = signed_in(app, AWARDING)
    step2 = post(client, "/achievements/", SAM)
    page = text(step2)
    assert step2.status_code == 200 and "Exact match" not in page
    assert "Verified: the details match the ULN's learner (WSVRC001)" in page
    options = step2.get_data(as_text=True)
    # own (100/2510/8) and shared (Y/600/4321, 500/9999/1), never another owner's
    assert 'value="100/2510/8"' in options and 'value="Y/600/4321"' in options
    assert 'value="500/9999/1"' in options and 'value="601/0000/X"' not in options
    narrowed = record(client, search="health", narrow="y").get_data(as_text=True)
    assert 'value="Y/600/4321"' in narrowed and 'value="100/2510/8"' not in narrowed

    created = text(record(client, qualification="100/2510/8", action="CREATE", grade="Pass",
                          **JULY_2025))
    assert "Achievement recorded Response code WSRC0006" in created
    assert "Outcome CREATED" in created
    assert "Held under ULN 1026893096" in created and "Grade Pass" in created
    assert "Award date 1 July 2025" in created and "Status Final" in created

    withdrawn = text(record(client, qualification="100/2510/8", action="WITHDRAW",
                            reason="awarded in error"))
    assert "Outcome WITHDRAWN" in withdrawn and "Withdrawn (hidden from the record)" in withdrawn
    again = text(record(client, qualification="100/2510/8", action="CREATE", grade="Pass",
                        **JULY_2025))
    assert "Response code WSRC0021" in again and "Outcome REJECTED" in again
    assert "REINSTATE" in again  # the business rule, in the batch's own words
    reinstated = text(record(client, qualification="100/2510/8", action="REINSTATE"))
    assert "Outcome REINSTATED" in reinstated and "Status Final" in reinstated


def test_bad_input_is_named_and_nothing_is_stored(app, services):
    client = signed_in(app, AWARDING)
    missing = record(client, qualification="Y/600/4321", action="CREATE")
    assert missing.status_code == 400
    assert "Grade is required for CREATE; AwardDate is required for CREATE" in text(missing)
    foreign = record(client, qualification="601/0000/X", action="CREATE", grade="Pass")
    assert foreign.status_code == 400 and "Not a valid choice" in text(foreign)
    with services.uow_factory() as uow:
        held = [e.qualification_reference for e in
                uow.achievements.events_for_learners(["1026893096"]) if e.source == "AO"]
    assert "Y/600/4321" not in held and "601/0000/X" not in held
    unverified = post(client, "/achievements/", {**SAM, "given_name": "Samantha",
                                                 "family_name": "Other"})
    assert "Not verified: the details do not match the ULN's learner (WSVRC005)" in text(
        unverified)
    assert 'name="action"' not in unverified.get_data(as_text=True)


def test_only_awarding_organisations_and_only_with_the_token(app):
    college = signed_in(app, COLLEGE)
    assert college.get("/achievements/").status_code == 403
    assert "Achievements" not in text(college.get("/"))
    client = signed_in(app, AWARDING)
    assert client.post("/achievements/record", data={**LEARNER, "action": "CREATE",
                                                     "qualification": "100/2510/8"}
                       ).status_code == 400  # no CSRF token: refused before anything


def test_a_second_awarding_organisation_cannot_pick_the_first_ones_qualifications(
        app, services):
    client = signed_in(app, organisation_with_portal_user(
        services, name="Other AO", ukprn="10000009", reference="OTHRAO",
        roles={Role.AWARDING_ORGANISATION}, password="OtherAoPassword1"))
    options = post(client, "/achievements/", SAM).get_data(as_text=True)
    assert 'value="Y/600/4321"' in options and 'value="100/2510/8"' not in options
