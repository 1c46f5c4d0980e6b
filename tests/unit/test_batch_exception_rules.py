"""domain.batch_exceptions: which learner an exception may be linked to."""

import dataclasses
import datetime as dt

from lrs_soap.domain.batch_exceptions import BatchException, ExceptionStatus, link_problem
from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus
from tests.batch_records import batch_record, sent

NOW = dt.datetime(2026, 1, 4, 12, tzinfo=dt.UTC)
HELD = LearnerDetails("Posy", "Possible", dt.date(2004, 5, 6), "2", "LS1 4AP")
RECORD = sent([batch_record(dataclasses.replace(HELD, postcode="LS1 4AQ"))])[0]


def learner(uln: str, details: LearnerDetails = HELD,
            status: LearnerStatus = LearnerStatus.ACTIVE) -> Learner:
    return Learner(1, uln, details, 1, status, "0", NOW, NOW)


def exception(*possible: str) -> BatchException:
    return BatchException(1, 1, 1, 1, "WSRC0003" if possible else "WSRC0002", NOW,
                          ExceptionStatus.OPEN, RECORD, possible)


def test_a_listed_possible_match_may_be_linked_and_no_other():
    assert link_problem(exception("1026893096"), "1026893096", learner("1026893096")) is None
    assert link_problem(exception("1026893096"), "6936002314", learner("6936002314")) == (
        "ULN 6936002314 is not one of the possible matches: 1026893096")


def test_without_a_list_the_learner_must_still_match_the_record():
    assert link_problem(exception(), "1026893096", learner("1026893096")) is None
    stranger = dataclasses.replace(HELD, given_name="Quentin", family_name="Other")
    assert "not a possible match" in link_problem(exception(), "6936002314",
                                                  learner("6936002314", stranger))


def test_only_an_active_learner_may_be_linked():
    merged = learner("1026893096", status=LearnerStatus.MERGED)
    assert link_problem(exception("1026893096"), "1026893096", merged) == (
        "ULN 1026893096 is not an active learner")
    assert link_problem(exception(), "1026893096", None) == (
        "ULN 1026893096 is not an active learner")
