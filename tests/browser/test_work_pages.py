"""(Named to run after the other browser modules: it submits batches and raises
challenges of the shared demo organisations, which the others expect to find empty.)

The pages of issue 13 and the leftovers of issue 12 in the browser, economically: one test
per flow, each step of the flow in it. A single achievement recorded with the keyboard alone
(tabbing from the top of each page), entries and their review at 320 px, a learner plan made
and changed, batch exceptions and "pick a match", bad rows of learner and achievement batch
files, the awarding organisation's inbox withdrawing and rejecting challenges, and a cookie
copied before sign-out refused after it."""

from __future__ import annotations

import datetime as dt

from tests.browser.batch_files import learner_file
from tests.browser.conftest import (
    AWARDING,
    COLLEGE,
    TRAINER,
    accessible,
    enter_page,
    follow,
    keyboard_sign_in,
    press,
    screenshot,
    sign_in,
    tab_to,
)


def test_an_achievement_with_the_keyboard_alone_then_entries_and_their_review(page, portal):
    keyboard_sign_in(page, portal, AWARDING)
    tab_to(page, "Achievements")
    enter_page(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Find the learner"
    accessible(page)
    screenshot(page, "achievement-find")
    for label, value in (("ULN", "8383558804"), ("Given name", "Tom"),
                         ("Family name", "Jones"), ("Day", "24"), ("Month", "12"),
                         ("Year", "1998")):
        tab_to(page, label)
        page.keyboard.type(value)
    tab_to(page, "Male")
    page.keyboard.press("Space")
    tab_to(page, "Find learner")
    enter_page(page)
    assert "WSVRC001" in page.locator("#verified").inner_text()
    accessible(page)
    screenshot(page, "achievement-form")
    tab_to(page, "Qualification or unit")
    page.keyboard.type("600/1234")  # a select picks the option its typed text starts
    tab_to(page, "Create: a new achievement")
    page.keyboard.press("Space")
    tab_to(page, "Grade (create and update)")
    page.keyboard.type("Merit")
    for part, value in (("Day", "3"), ("Month", "7"), ("Year", "2025")):
        tab_to(page, part)
        page.keyboard.type(value)
    tab_to(page, "Save achievement")
    enter_page(page)
    assert "WSRC0006" in page.locator("#outcome").inner_text()
    event = page.locator("#event").inner_text()
    assert "600/1234/5" in event and "Merit" in event and "3 July 2025" in event
    accessible(page)
    screenshot(page, "achievement-recorded")

    follow(page, "Entries and results")
    follow(page, "Enter a learner")
    page.get_by_label("ULN").fill("8383558804")
    page.get_by_label("Given name").fill("Tom")
    page.get_by_label("Family name").fill("Jones")
    for legend, (day, month, year) in (("Date of birth", ("24", "12", "1998")),
                                       ("Entry date", ("6", "1", "2025")),
                                       ("Expected award date", ("14", "8", "2025"))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Qualification or unit").select_option("Y/600/4321")
    press(page, "Submit entry")
    outcome = page.locator("#outcome").inner_text()
    assert "ENTERED" in outcome
    accessible(page)
    page.locator("#outcome a").click()
    page.wait_for_load_state()
    page.get_by_label("Grade").fill("Pass")
    group = page.get_by_role("group", name="Award date")
    group.get_by_label("Day").fill("1")
    group.get_by_label("Month").fill("8")
    group.get_by_label("Year").fill("2025")
    press(page, "Record result")
    assert "WSRC0006" in page.locator("#outcome").inner_text()
    assert "RESULTED" in page.locator("#entry").inner_text()
    accessible(page)
    screenshot(page, "entry-resulted")
    follow(page, "Back to entries and results")
    page.get_by_label("Entry status").select_option("REJECTED")
    press(page, "Filter")
    statuses = page.locator("#entries tbody td:nth-child(2)").all_inner_texts()
    assert statuses and set(statuses) == {"REJECTED"}
    accessible(page)
    screenshot(page, "entries-review")
    screenshot(page, "entries-review-320", width=320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1024, "height": 800})
    with page.expect_download() as download:
        page.locator("#download").click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("EntryID,Status,") and all(",REJECTED," in x for x in lines[1:])

    copied = page.context.cookies()
    press(page, "Sign out demo")
    thief = page.context.browser.new_context()
    thief.add_cookies(copied)
    stolen = thief.new_page()
    stolen.goto(portal.url + "entries/")
    assert stolen.url.startswith(portal.url + "sign-in")  # the session ended server side
    thief.close()


def test_a_trainer_makes_and_changes_a_learner_plan(page, portal):
    sign_in(page, portal, TRAINER)
    follow(page, "Learner plans")
    accessible(page)
    page.get_by_label("ULN").fill("1964986809")
    page.get_by_label("Given name").fill("Priya")
    page.get_by_label("Family name").fill("Shah")
    press(page, "Find plans")
    assert "WSRC0001" in page.locator("#outcome").inner_text()
    accessible(page)
    screenshot(page, "plan-find")
    page.get_by_label("Goals").fill("Level 2 maths before release")
    page.get_by_label("Aim 1: qualification or unit reference").fill("500/9999/1")
    for legend, (day, month, year) in (("Aim 1: planned start", ("1", "9", "2026")),
                                       ("Aim 1: planned end", ("31", "3", "2027"))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill(year)
    accessible(page)
    press(page, "Save plan")
    assert "Plan saved: version 1" in page.inner_text("main")
    follow(page, "Change this plan")
    accessible(page)
    screenshot(page, "plan-edit")
    page.get_by_label("Aim 1: status").select_option("IN_LEARNING")
    press(page, "Add another aim")
    assert page.get_by_label("Aim 3: qualification or unit reference").count() == 1
    press(page, "Save plan")
    history = page.locator("#history").inner_text()
    assert "Version 2" in history and "PLANNED -> IN_LEARNING" in history
    accessible(page)
    screenshot(page, "learner-plan")
    screenshot(page, "learner-plan-320", width=320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_pick_a_match_bad_learner_rows_and_a_batch_exception_linked(page, portal, tmp_path):
    sign_in(page, portal, COLLEGE)
    follow(page, "Register")
    page.get_by_label("Given name", exact=True).fill("Sam")
    page.get_by_label("Family name", exact=True).fill("Example")
    group = page.get_by_role("group", name="Date of birth")
    group.get_by_label("Day").fill("31")
    group.get_by_label("Month").fill("1")
    group.get_by_label("Year").fill("2000")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Postcode").fill("AB12 3DG")
    press(page, "Continue")
    press(page, "This is the learner (ULN 1026893096)")  # pick the match: opened, not added
    assert page.get_by_role("heading", level=1).inner_text() == "Edit learner 1026893096"
    accessible(page)

    follow(page, "Upload a batch")
    bad = learner_file(tmp_path, [
        "Sam,Example,AB12 3DG,2000-01-31,7,B1", ",Example,AB12 3DG,2000-01-31,2,B2"], 0)
    page.get_by_label("Batch file").set_input_files(str(bad))
    press(page, "Check and submit")
    assert "nothing was submitted" in page.locator(".govuk-error-summary").inner_text()
    fields = [row.split("\t")[2] for row in page.locator("#problems tbody tr").all_inner_texts()]
    assert "Gender" in fields and "GivenName" in fields
    accessible(page)

    good = learner_file(tmp_path, ["Sam,Example,AB12 3DG,2000-01-31,2,G1"], 1)
    page.goto(portal.url + "batches/upload")
    page.get_by_label("Batch file").set_input_files(str(good))
    press(page, "Check and submit")
    for _ in range(50):  # the worker polls every 100 ms here
        page.goto(portal.url + "batches/exceptions/")
        if "Sam Example" in page.inner_text("main"):
            break
        page.wait_for_timeout(200)
    accessible(page)
    screenshot(page, "batch-exceptions")
    with page.expect_navigation():
        page.get_by_role("link", name="Decide").first.click()
    accessible(page)
    screenshot(page, "batch-exception-decide")
    page.get_by_label("Link the record to the learner chosen below").check()
    page.get_by_label("1026893096").check()
    press(page, "Save decision")
    assert "LINKED" in page.locator("#outcome").inner_text()
    accessible(page)


def test_the_inbox_withdraws_one_challenge_and_rejects_another(page, portal, admin):
    from lrs_soap.domain.verification import VerifyQuery
    from lrs_soap.service import accounts, challenges, single_achievements
    from lrs_soap.service.accounts import Credentials
    from lrs_soap.soap.native.achievement_mapping import achievement

    ao = accounts.authenticate(admin, Credentials("demo", "DemoAwarding2026",
                                                  ukprn="10000002"), "achievement_batch")
    college = accounts.authenticate(admin, Credentials("demo", "DemoCollege2026!",
                                                       ukprn="10000001"), "raise_event_challenge")
    chloe = {"ULN": "4444599390", "GivenName": "Chloé", "FamilyName": "Dupont",
             "DateOfBirth": "2006-11-02", "Gender": "2", "Action": "CREATE",
             "Grade": "Pass", "AwardDate": "2025-06-30"}
    raised = []
    for reference in ("100/2510/8", "K/501/5773"):
        answer = single_achievements.manage_achievement(
            admin, ao, achievement({**chloe, "QualificationReference": reference}))
        raised.append(challenges.raise_event_challenge(
            admin, college, VerifyQuery("4444599390", "Chloé", "Dupont"), answer.event.id,
            f"{reference} was never taken").challenge.challenge.id)
    sign_in(page, portal, AWARDING)
    for challenge_id, decision, reason in ((raised[0], "Withdraw the event", ""),
                                           (raised[1], "Reject the challenge: the event is "
                                                       "right", "The certificate was issued")):
        follow(page, "Challenges")
        page.get_by_role("link", name=f"{challenge_id} (open challenge {challenge_id})").click()
        page.wait_for_load_state()
        page.get_by_label(decision).check()
        if reason:
            page.get_by_label("Reason (needed when rejecting)").fill(reason)
        press(page, "Save decision")
        assert "the challenge is now" in page.locator("#outcome").inner_text()
        accessible(page)
    screenshot(page, "challenge-rejected")
    follow(page, "Challenges")
    statuses = {row.split("\n")[0]: row.split("\t")[-1]
                for row in page.locator("#owned tbody tr").all_inner_texts()}
    assert (statuses[str(raised[0])], statuses[str(raised[1])]) == ("Accepted", "Rejected")
    with admin.uow_factory() as uow:
        held = {e.qualification_reference: e.withdrawn for e in
                uow.achievements.events_for_learners(["4444599390"]) if e.source == "AO"}
    assert (held["100/2510/8"], held["K/501/5773"]) == (True, False)  # withdrawn, kept


def test_an_achievement_file_with_bad_rows_lists_them_all(page, portal, tmp_path):
    sign_in(page, portal, AWARDING)
    follow(page, "Upload a batch")
    today = dt.date.today()
    later = today + dt.timedelta(days=30)  # an award in the future
    path = tmp_path / "ACH_10000002_010520241200.CSV"
    path.write_text("\n".join([
        "MISIdentifier,Action,ULN,GivenName,FamilyName,DateOfBirth,Gender,"
        "QualificationReference,Grade,AwardDate,ActionDate,ActionReason,ProviderUKPRN,"
        "LanguageForAssessment",
        "1A,Results,10000002,FINAL",
        "A1,CREATE,4444599391,Chloé,Dupont,2006-11-02,2,600/1234/5,Pass,2025-06-30,"
        f"{today:%Y-%m-%d},,10000001,",
        f"A2,CREATE,4444599390,Chloé,Dupont,2006-11-02,2,600/1234/5,,{later:%Y-%m-%d},"
        f"{today:%Y-%m-%d},,10000001,"
    ]) + "\n")
    page.get_by_label("Batch file").set_input_files(str(path))
    press(page, "Check and submit")
    assert "nothing was submitted" in page.locator(".govuk-error-summary").inner_text()
    problems = [row.split("\t") for row in page.locator("#problems tbody tr").all_inner_texts()]
    assert [(p[1], p[2]) for p in problems] == [
        ("1", "ULN"), ("2", "AwardDate"), ("2", "Grade")]
    accessible(page)


def test_an_entries_file_with_bad_rows_lists_them_all(page, portal, tmp_path):
    sign_in(page, portal, AWARDING)
    follow(page, "Entries and results")
    follow(page, "Upload an entries or results file")
    accessible(page)
    path = tmp_path / "entries.csv"
    path.write_text(
        "ULN,GivenName,FamilyName,DateOfBirth,Gender,QualificationReference,EntryDate,"
        "ExpectedAwardDate\n"
        "1026893097,Sam,Example,2000-01-31,2,Y/600/4321,2025-01-06,2025-08-14\n"
        "1026893096,Sam,Example,2000-01-31,2,Y/600/4321,2025-01-06,2024-08-14\n")
    page.get_by_label("Entries or results file (CSV)").set_input_files(str(path))
    press(page, "Check and submit")
    assert "nothing was submitted" in page.locator(".govuk-error-summary").inner_text()
    problems = [row.split("\t") for row in page.locator("#problems tbody tr").all_inner_texts()]
    assert [(p[0], p[1]) for p in problems] == [("1", "ULN"), ("2", "ExpectedAwardDate")]
    accessible(page)
    screenshot(page, "entries-upload-problems")


def test_an_entries_file_submitted_lists_its_outcomes_within_320_px(page, portal, tmp_path):
    sign_in(page, portal, AWARDING)
    follow(page, "Entries and results")
    follow(page, "Upload an entries or results file")
    path = tmp_path / "entries.csv"
    path.write_text(
        "ULN,GivenName,FamilyName,DateOfBirth,Gender,QualificationReference,EntryDate,"
        "ExpectedAwardDate\n"
        "1026893096,Sam,Example,2000-01-31,2,Y/600/4321,2025-01-06,2025-08-14\n"
        "1026893096,Zebedee-Alexandrina,Montgomery-Fotheringham,1999-03-04,1,Y/600/4321,"
        "2025-01-06,2025-08-14\n")
    page.get_by_label("Entries or results file (CSV)").set_input_files(str(path))
    press(page, "Check and submit")
    outcomes = [row.split("\t") for row in page.locator("#outcomes tbody tr").all_inner_texts()]
    assert [(o[0], o[2].split()[0]) for o in outcomes] == [("1", "ENTERED"), ("2", "REJECTED")]
    accessible(page)
    screenshot(page, "entries-upload-outcomes-320", width=320)  # the table scrolls, the page not
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
