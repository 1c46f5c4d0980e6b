"""Processing learner registration and verification batch records, inside a chunk's
transaction (see service.batches). Each record's outcome code says what happened:

registration  WSRC0005 new ULN; a record with a ULN whose learner it names: WSRC0006
              updated, WSRC0020 nothing to change, WSRC0013 the learner was updated since
              the batch was submitted, WSRC0014 AbilityToShare change refused (UpdateLearner's
              rules and codes, lrs_soap.service.learner_updates); a record without a ULN that
              finds one learner: WSRC0006 updated with its newer details, WSRC0004 nothing
              newer (domain.learner_batch); WSRC0022 a merged learner (the master's ULN, not
              updated); WSRC0003 possible matches, WSRC0002 too many (both left as open
              exceptions, service.batch_exceptions); WSRC0001 not found (CHK jobs; or a ULN
              that does not belong to these names); RC011 rejected (reason given), RC013
              outside the age range 13 to 110. CHK jobs register and update nobody.
verification  WSVRC001-006 with failure flags, WSEC0136 for a ULN failing its check digit
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from lrs_soap.domain import (
    find_by_uln,
    learner_batch,
    learner_rules,
    matching,
    names,
    sent_learner,
    verification,
)
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.batch_exceptions import EXCEPTION_CODES
from lrs_soap.domain.batches import Payload, RecordOutcome
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ErrorCode, ResponseCode
from lrs_soap.domain.learner_batch import OUT_OF_AGE_RANGE, REJECTED
from lrs_soap.domain.learner_outcomes import detail
from lrs_soap.domain.learner_problems import LearnerProblem
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import FindType, LearnerDetails
from lrs_soap.domain.sent_learner import SentLearner
from lrs_soap.service import learner_updates, uln_minting
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.learner_updates import Actor, BrokenRules
from lrs_soap.service.lookups import held_for_verification, learner_and_master
from lrs_soap.service.ports import ClaimedJob, UnitOfWork

# Job counters of a learner batch, from the outcome codes of its records.
LEARNER_COUNTERS = {
    "NewLearnersCount": (ResponseCode.REGISTERED,),
    "ExistsUpdatedLearnersCount": (ResponseCode.EXACT_MATCH, ResponseCode.UPDATED,
                                   ResponseCode.NO_CHANGES,
                                   ResponseCode.LINKED_MASTER_SUBSTITUTED),
    "PossibleMatchLearnersCount": (ResponseCode.POSSIBLE_MATCH, ResponseCode.TOO_MANY_MATCHES),
    "LearnersNotFoundCount": (ResponseCode.NO_MATCH,),
    "RejectedLearnersCount": (REJECTED, OUT_OF_AGE_RANGE, ResponseCode.STALE_VERSION,
                              ResponseCode.INVALID_ABILITY_TO_SHARE_CHANGE),
}
# the Reasons that are one sentence each (said without the field's name)
NOT_THESE_NAMES = LearnerProblem("uln", "no learner with this ULN and these names",
                                 sentence=True)
FAILS_CHECK_DIGIT = dataclasses.replace(learner_batch.CHECK_DIGIT_PROBLEM, sentence=True)


def with_submitted_versions(uow: UnitOfWork,
                            records: list[SentLearner]) -> list[SentLearner]:
    """The records, each one naming an active learner's ULN with that learner's version
    (the version its update expects: a batch record carries none of its own)."""
    ulns = {r.uln for r in records if r.uln and uln_rules.is_valid(r.uln)}
    held = uow.achievements.learners_by_ulns(ulns) if ulns else {}
    return [dataclasses.replace(record, submitted_version=held[record.uln].version_number)
            if record.uln in held else record for record in records]


def process_learner_records(ctx: ServiceContext, uow: UnitOfWork, job: ClaimedJob,
                            records: list[tuple[int, Payload]],
                            now: dt.datetime) -> list[RecordOutcome]:
    register = not FindType.check_only(job.job_type)
    actor = Actor(job.organisation_id, job.user_name)
    outcomes = []
    for sequence, payload in records:
        outcome = _learner_record(ctx, uow, sent_learner.read(payload), register, actor,
                                  {"job_id": job.id, "record": sequence}, now)
        if register and outcome.code in EXCEPTION_CODES:  # left for the exceptions process
            uow.batch_exceptions.add(
                organisation_id=job.organisation_id, job_id=job.id, record_number=sequence,
                code=outcome.code, possible_ulns=outcome.detail.get("possible_match_ulns", []),
                now=now)
        outcomes.append(outcome)
    return outcomes


def _learner_record(ctx, uow, record: SentLearner, register: bool, actor: Actor,
                    origin: dict, now: dt.datetime) -> RecordOutcome:
    details = learner_rules.normalise_details(record.details())
    mis = record.mis_identifier
    bad_names = names.query_name_problems(details.given_name, details.family_name)
    if bad_names:  # before any search: a name without a letter matches nobody
        return RecordOutcome(REJECTED, detail(mis, problems=bad_names))
    uln, today = record.uln, uk_date(now)
    if uln:
        problems = learner_batch.record_problems(details, uln, today, register=register)
        if problems:
            return _rejected(details, uln, today, problems, mis)
        return _known_uln(uow, record, details, register, actor, origin, now, mis)
    query = DemographicQuery(details.given_name, details.family_name, details.date_of_birth,
                             details.gender, details.postcode, details.previous_family_name,
                             details.school_at_age_16, details.place_of_birth,
                             details.email_address)
    outcome = matching.classify(query, uow.learners.demographic_candidates(query))
    if outcome.merged_into:
        return RecordOutcome(ResponseCode.LINKED_MASTER_SUBSTITUTED,
                             detail(mis, uln=outcome.merged_into))
    if outcome.code is ResponseCode.EXACT_MATCH:
        found = outcome.learners[0]  # read whole by demographic_candidates
        if not register:
            return RecordOutcome(outcome.code, detail(mis, uln=found.uln))
        newer = learner_batch.newer_details(found.details, details)
        return _update(uow, actor, found.uln, found.version_number, newer, origin, now, mis,
                       unchanged=ResponseCode.EXACT_MATCH)
    if outcome.code in (ResponseCode.POSSIBLE_MATCH, ResponseCode.TOO_MANY_MATCHES):
        return RecordOutcome(outcome.code, detail(
            mis, possible_match_ulns=[learner.uln for learner in outcome.learners]))
    if not register:
        return RecordOutcome(ResponseCode.NO_MATCH, detail(mis))
    problems = learner_batch.record_problems(details, None, today, register=True)
    if problems:
        return _rejected(details, None, today, problems, mis)
    new_uln = uln_minting.mint(ctx, uow)
    # A concurrent registration of the same person elsewhere makes this raise: the chunk
    # then rolls back and is retried, and the retry finds that learner.
    uow.learners.add(new_uln, details, registered_by=actor.organisation_id, now=now)
    return RecordOutcome(ResponseCode.REGISTERED, detail(mis, uln=new_uln))


def _rejected(details: LearnerDetails, uln: str | None, today: dt.date,
              problems: list[LearnerProblem], mis: str | None) -> RecordOutcome:
    return RecordOutcome(learner_batch.rejection_code(details, today, uln),
                         detail(mis, problems=problems))


def _known_uln(uow, record: SentLearner, details: LearnerDetails, register: bool,
               actor: Actor, origin: dict, now: dt.datetime, mis: str | None) -> RecordOutcome:
    uln = record.uln
    found, master = learner_and_master(uow, uln)
    outcome = find_by_uln.classify(found, master, details.given_name, details.family_name)
    if outcome.learner is None:
        return RecordOutcome(ResponseCode.NO_MATCH, detail(mis, problems=[NOT_THESE_NAMES]))
    if not register or outcome.code is ResponseCode.LINKED_MASTER_SUBSTITUTED:
        return RecordOutcome(outcome.code, detail(mis, uln=outcome.learner.uln))
    version = record.submitted_version or found.version_number
    return _update(uow, actor, uln, version, details, origin, now, mis, unchanged=None)


def _update(uow, actor: Actor, uln: str, version: int, details: LearnerDetails, origin: dict,
            now: dt.datetime, mis: str | None, *,
            unchanged: ResponseCode | None) -> RecordOutcome:
    """UpdateLearner's implementation; ``unchanged``: the code to report instead of
    WSRC0020 when nothing changed."""
    try:
        result = learner_updates.apply_update(uow, actor, uln, version, details, now,
                                              audit=origin)
    except BrokenRules as error:  # nothing was written: the chunk carries on
        return RecordOutcome(REJECTED, detail(mis, uln=uln, problems=error.problems))
    code = unchanged if unchanged and result.code is ResponseCode.NO_CHANGES else result.code
    return RecordOutcome(code, detail(mis, uln=uln))


def process_verify_records(ctx: ServiceContext, uow: UnitOfWork, job: ClaimedJob,
                           records: list[tuple[int, Payload]],
                           now: dt.datetime) -> list[RecordOutcome]:
    return [_verify_record(uow, sent_learner.read(payload)) for _, payload in records]


def _verify_record(uow, record: SentLearner) -> RecordOutcome:
    uln, mis = record.uln, record.mis_identifier
    if not uln_rules.is_valid(uln):
        return RecordOutcome(ErrorCode.INVALID_ULN,
                             detail(mis, searched_uln=uln, problems=[FAILS_CHECK_DIGIT]))
    bad_names = names.query_name_problems(record.given_name, record.family_name)
    if bad_names:  # as a single VerifyLearnerDetails answers: WSEC0001, with the reason
        return RecordOutcome(ErrorCode.INVALID_REQUEST,
                             detail(mis, searched_uln=uln, problems=bad_names))
    held, linked = held_for_verification(uow, uln)
    outcome = verification.verify(
        verification.VerifyQuery(uln, record.given_name, record.family_name,
                                 record.details().date_of_birth, record.gender),
        held, linked=linked)
    return RecordOutcome(outcome.code,
                         detail(mis, searched_uln=uln, failure_flags=list(outcome.flags)))
