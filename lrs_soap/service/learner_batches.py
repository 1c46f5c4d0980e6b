"""Processing learner registration and verification batch records, inside a chunk's
transaction (see service.batches). Each record's outcome code says what happened:

registration  WSRC0005 new ULN, WSRC0004 existing learner, WSRC0022 existing learner merged
              into the master returned, WSRC0003 possible matches, WSRC0002 too many,
              WSRC0001 not found (CHK jobs; or a ULN that does not belong to these names),
              RC011 rejected (reason given), RC013 outside the age range 13 to 110
verification  WSVRC001-006 with failure flags, WSEC0136 for a ULN failing its check digit
"""

from __future__ import annotations

import datetime as dt

from lrs_soap.domain import find_by_uln, learner_rules, matching, verification
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.batches import Payload, RecordOutcome
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.fields import details_from_payload, parse_date
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.service import uln_minting
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import held_for_verification, learner_and_master
from lrs_soap.service.ports import ClaimedJob, UnitOfWork

REJECTED = "RC011"
OUT_OF_AGE_RANGE = "RC013"

# Job counters of a learner batch, from the outcome codes of its records.
LEARNER_COUNTERS = {
    "NewLearnersCount": (ResponseCode.REGISTERED,),
    "ExistsUpdatedLearnersCount": (ResponseCode.EXACT_MATCH,
                                   ResponseCode.LINKED_MASTER_SUBSTITUTED),
    "PossibleMatchLearnersCount": (ResponseCode.POSSIBLE_MATCH, ResponseCode.TOO_MANY_MATCHES),
    "LearnersNotFoundCount": (ResponseCode.NO_MATCH,),
    "RejectedLearnersCount": (REJECTED, OUT_OF_AGE_RANGE),
}


def process_learner_records(ctx: ServiceContext, uow: UnitOfWork, job: ClaimedJob,
                            records: list[tuple[int, Payload]],
                            now: dt.datetime) -> list[RecordOutcome]:
    register = job.job_type != "CHK"
    return [_learner_record(ctx, uow, payload, register, job.organisation_id, now)
            for _, payload in records]


def _learner_record(ctx, uow, payload: Payload, register: bool, organisation_id: int,
                    now: dt.datetime) -> RecordOutcome:
    details = learner_rules.normalise_details(details_from_payload(payload))
    mis = {"MISIdentifier": payload.get("MISIdentifier")}
    if payload.get("ULN"):
        return _known_uln(uow, payload["ULN"], details, mis)
    query = DemographicQuery(details.given_name, details.family_name, details.date_of_birth,
                             details.gender, details.postcode, details.previous_family_name,
                             details.school_at_age_16, details.place_of_birth,
                             details.email_address)
    candidates = uow.learners.match_candidates(
        matching.candidate_birth_dates(query.date_of_birth))
    outcome = matching.classify(query, candidates)
    if outcome.merged_into:
        return RecordOutcome(ResponseCode.LINKED_MASTER_SUBSTITUTED,
                             {**mis, "ULN": outcome.merged_into})
    if outcome.code is ResponseCode.EXACT_MATCH:
        return RecordOutcome(outcome.code, {**mis, "ULN": outcome.learners[0].uln})
    if outcome.code in (ResponseCode.POSSIBLE_MATCH, ResponseCode.TOO_MANY_MATCHES):
        return RecordOutcome(outcome.code, {**mis, "PossibleMatchULNs":
                                            [learner.uln for learner in outcome.learners]})
    if not register:
        return RecordOutcome(ResponseCode.NO_MATCH, mis)
    problems = learner_rules.registration_problems(details, uk_date(now))
    if problems:
        age = learner_rules.age_on(details.date_of_birth, uk_date(now))
        in_range = learner_rules.MIN_REGISTRATION_AGE <= age <= learner_rules.MAX_REGISTRATION_AGE
        return RecordOutcome(REJECTED if in_range else OUT_OF_AGE_RANGE,
                             {**mis, "Reason": "; ".join(problems)})
    uln = uln_minting.mint(ctx, uow)
    # A concurrent registration of the same person elsewhere makes this raise: the chunk
    # then rolls back and is retried, and the retry finds that learner.
    uow.learners.add(uln, details, registered_by=organisation_id, now=now)
    return RecordOutcome(ResponseCode.REGISTERED, {**mis, "ULN": uln})


def _known_uln(uow, uln: str, details, mis: dict) -> RecordOutcome:
    if not uln_rules.is_valid(uln):
        return RecordOutcome(REJECTED, {**mis, "Reason": f"ULN {uln} fails its check digit"})
    found, master = learner_and_master(uow, uln)
    outcome = find_by_uln.classify(found, master, details.given_name, details.family_name)
    if outcome.learner is None:
        return RecordOutcome(ResponseCode.NO_MATCH,
                             {**mis, "Reason": "no learner with this ULN and these names"})
    return RecordOutcome(outcome.code, {**mis, "ULN": outcome.learner.uln})


def process_verify_records(ctx: ServiceContext, uow: UnitOfWork, job: ClaimedJob,
                           records: list[tuple[int, Payload]],
                           now: dt.datetime) -> list[RecordOutcome]:
    return [_verify_record(uow, payload) for _, payload in records]


def _verify_record(uow, payload: Payload) -> RecordOutcome:
    uln = payload["ULN"]
    mis = {"MISIdentifier": payload.get("MISIdentifier"), "SearchedULN": uln}
    if not uln_rules.is_valid(uln):
        return RecordOutcome(ErrorCode.INVALID_ULN, {**mis, "Reason": "fails its check digit"})
    held, linked = held_for_verification(uow, uln)
    outcome = verification.verify(
        verification.VerifyQuery(uln, payload["GivenName"], payload["FamilyName"],
                                 parse_date(payload.get("DateOfBirth")), payload.get("Gender")),
        held, linked=linked)
    return RecordOutcome(outcome.code, {**mis, "FailureFlags": list(outcome.flags)})
