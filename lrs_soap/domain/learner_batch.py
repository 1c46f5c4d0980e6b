"""Learner registration batch records: the rules of the record itself, and what a record
without a ULN may change on the one learner it found (lrs-rules 5.1; docs/decisions.md).

:func:`record_problems` is the one judgement of a record that needs no stored data; the
server's batch processing and the offline validator (``lrs-client validate``) both call it:

- a record **with a ULN** updates that learner (when its names match the learner's), so the
  ULN must pass its check digit and the details must pass UpdateLearner's rules
  (:func:`learner_rules.update_problems`: no age window, a learner registered at 13 may be
  updated at 111);
- a record **without a ULN**, in a job that registers (FUL), may register a new learner, so
  the registration rules apply (:func:`learner_rules.registration_problems`), checked when
  the search finds nobody; a CHK job registers and updates nobody and applies none.

:func:`newer_details` is what a record without a ULN changes on the one learner its search
found exactly (its five demographics already agree, ignoring case and spacing, so they stay
as held):

- every other field the record carries (not blank) replaces the held value;
- fields the record leaves blank keep the held value (a batch record without a ULN is not
  the learner's full record, unlike UpdateLearner's);
- the address (lines, town, county or city, DateOfAddressCapture) is taken as a whole, and
  only when the record's DateOfAddressCapture is later than the held one (or none is held):
  an address without a capture date is not known to be newer;
- AbilityToShare is taken only where UpdateLearner would allow the change (to 1);
- OtherVerificationDescription goes with VerificationType.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from lrs_soap.domain import learner_rules
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.batches import CHECK_DIGIT_RULE
from lrs_soap.domain.learner_problems import LearnerProblem
from lrs_soap.domain.model import LearnerDetails

REJECTED = "RC011"
OUT_OF_AGE_RANGE = "RC013"
CHECK_DIGIT_PROBLEM = LearnerProblem("uln", CHECK_DIGIT_RULE)

FIVE_DEMOGRAPHICS = frozenset({"given_name", "family_name", "date_of_birth", "gender",
                               "postcode"})
ADDRESS = ("address_line1", "address_line2", "address_town", "address_county_or_city",
           "date_of_address_capture")
_GROUPED = FIVE_DEMOGRAPHICS | set(ADDRESS) | {"ability_to_share", "verification_type",
                                              "other_verification_description"}


def record_problems(details: LearnerDetails, uln: str | None, today: dt.date, *,
                    register: bool) -> list[LearnerProblem]:
    """Why a schema-valid record is rejected (RC011/RC013) before any lookup; empty when
    it is acceptable. ``register``: the job registers learners it does not find (FUL)."""
    if uln:
        if not uln_rules.is_valid(uln):
            return [CHECK_DIGIT_PROBLEM]
        return learner_rules.update_problems(details, today) if register else []
    return learner_rules.registration_problems(details, today) if register else []


def rejection_code(details: LearnerDetails, today: dt.date, uln: str | None) -> str:
    """The code of a record with problems: RC013 for a registration whose learner's age
    is outside 13 to 110 on ``today``, else RC011 (updates have no age window)."""
    if uln:
        return REJECTED
    age = learner_rules.age_on(details.date_of_birth, today)
    in_range = learner_rules.MIN_REGISTRATION_AGE <= age <= learner_rules.MAX_REGISTRATION_AGE
    return REJECTED if in_range else OUT_OF_AGE_RANGE


def newer_details(held: LearnerDetails, record: LearnerDetails) -> LearnerDetails:
    """The held details with what the record carries that is newer (module docstring)."""
    held, record = (learner_rules.normalise_details(held),
                    learner_rules.normalise_details(record))
    changes: dict[str, object] = {
        f.name: getattr(record, f.name) for f in dataclasses.fields(LearnerDetails)
        if f.name not in _GROUPED and getattr(record, f.name) is not None}
    captured, held_captured = record.date_of_address_capture, held.date_of_address_capture
    if captured is not None and (held_captured is None or captured > held_captured):
        changes.update({name: getattr(record, name) for name in ADDRESS})
    if learner_rules.ability_to_share_change_allowed(held.ability_to_share,
                                                     record.ability_to_share):
        changes["ability_to_share"] = record.ability_to_share
    if record.verification_type != held.verification_type or (
            record.other_verification_description is not None):
        changes["verification_type"] = record.verification_type
        changes["other_verification_description"] = record.other_verification_description
    return dataclasses.replace(held, **changes)
