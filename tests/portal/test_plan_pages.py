"""Learner plans in the portal (docs/learner-plans.md): an OLASS trainer finds a learner's
plans, makes one, changes it (a stale Version told, never a lost update), sees its history
and shares it; nobody else sees an unshared plan, and only OLASS organisations get the
pages."""

from __future__ import annotations

from lrs_soap.domain.model import Role
from tests.portal.conftest import AWARDING, TRAINER, post, signed_in, text
from tests.portal_accounts import organisation_with_portal_user

PRIYA = {"uln": "1964986809", "given_name": "Priya", "family_name": "Shah"}
AIM = {"aims-0-reference": "y/600/4321", "aims-0-planned_start": ["1", "9", "2026"],
       "aims-0-planned_end": ["30", "6", "2027"], "aims-0-status": "PLANNED"}


def test_a_trainer_makes_changes_and_shares_a_plan(app, services):
    client = signed_in(app, TRAINER)
    index = text(client.get("/plans/"))
    assert "Your plans and plans shared with you (1)" in index  # the demo's, Sam's
    found = post(client, "/plans/find", PRIYA, token_from="/plans/")
    assert found.status_code == 200
    assert "No plan of yours or shared with you for this learner yet (WSRC0001)" in text(found)
    assert "Make a plan for this learner" in text(found)
    more = post(client, "/plans/new", {**PRIYA, **AIM, "goals": "Maths", "more": "y"},
                token_from="/plans/")
    assert 'name="aims-1-reference"' in more.get_data(as_text=True)  # a row added, no JS
    created = post(client, "/plans/new", {**PRIYA, **AIM, "goals": "Maths"},
                   token_from="/plans/")
    assert created.status_code == 302
    plan_path = created.location.split("?")[0].removeprefix("/portal")
    shown = text(client.get(created.location.removeprefix("/portal")))
    assert "Plan saved: version 1" in shown and "Goals Maths" in shown
    assert "Y/600/4321 Health and safety in the workplace (unit)" in shown
    assert "Version 1" in shown and "plan created with 1 aim" in shown

    edit = client.get(plan_path + "/edit")
    page = edit.get_data(as_text=True)
    assert 'value="Y/600/4321"' in page and 'name="aims-1-reference"' in page
    changed = {**AIM, "aims-0-status": "IN_LEARNING", "goals": "Maths", "notes": "Mornings",
               "version": "1"}
    saved = post(client, plan_path + "/edit", changed)
    assert saved.status_code == 302
    history = text(client.get(plan_path))
    assert "Version 2" in history
    assert "aim Y/600/4321 status PLANNED -> IN_LEARNING; notes changed" in history
    stale = post(client, plan_path + "/edit", {**changed, "notes": "Afternoons"})
    assert stale.status_code == 400
    assert "Someone saved this plan after you opened it; it is now version 2" in text(stale)
    bad = post(client, plan_path + "/edit", {**changed, "version": "2",
                                              "aims-0-outcome": "Pass"})
    assert "Aim[1].Outcome is only recorded for a COMPLETED or WITHDRAWN aim" in text(bad)
    undated = post(client, plan_path + "/edit", {**changed, "version": "2",
                                                  "aims-0-planned_end": ["", "", ""]})
    assert "Aim 1: enter the planned start and end dates" in text(undated)

    # a second OLASS organisation: not found until shared, then read only
    other = signed_in(app, organisation_with_portal_user(
        services, name="Second prison", ukprn="10000007", reference="PRISN2",
        roles={Role.LEARNER_REGISTRATION_BODY, Role.OLASS}, password="SecondPrison1"))
    missing = other.get("/plans/999999")
    assert other.get(plan_path).status_code == missing.status_code == 404
    assert text(other.get(plan_path)) == text(missing)
    shared = post(client, plan_path + "/share", {"ukprn": "10000007"}, token_from=plan_path)
    assert "Plan shared (WSRC0006)" in text(shared)
    assert "Shared with Second prison" in text(shared)
    assert "Goals Maths" in text(other.get(plan_path))
    assert "Change this plan" not in text(other.get(plan_path))
    assert other.get(plan_path + "/edit").status_code == 404
    assert post(other, plan_path + "/edit", changed, token_from="/plans/").status_code == 404


def test_plans_are_for_olass_organisations_and_need_the_token(app):
    assert signed_in(app, AWARDING).get("/plans/").status_code == 403
    client = signed_in(app, TRAINER)
    assert client.post("/plans/new", data={**PRIYA, **AIM}).status_code == 400
    unknown = post(client, "/plans/find", {**PRIYA, "given_name": "Nobody"},
                   token_from="/plans/")
    assert unknown.status_code == 400
    assert "The learner could not be verified with these details (WSEC0208)" in text(unknown)
