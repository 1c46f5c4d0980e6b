"""WSEC0045 on ExternalService, whose schema lets any submissionType through; WSEC0044's
e-mail and the native face's submission type are caught by the schema first (WSEC0001)."""

from __future__ import annotations

from tests.e2e.test_mirror_r9_external_zeep import (  # noqa: F401 (fixtures)
    achievement,
    external,
    fault_code,
    people,
    submit,
)


def test_an_unknown_submission_type_is_wsec0045(external, people):  # noqa: F811
    assert fault_code(lambda: submit(external, [achievement(people, 1)],
                                     submission_type="SOMETIMES")) == "WSEC0045"


def test_a_malformed_email_is_refused_by_the_schema_first(external, people):  # noqa: F811
    from tests.e2e.test_mirror_r9_external_zeep import user

    assert fault_code(lambda: external.SubmitAchievementBatchJob(
        invokingUser=user(), emailAddress="not-an-address", submissionType="FINAL",
        achievements={"Achievement": [achievement(people, 1)]})) == "WSEC0001"
