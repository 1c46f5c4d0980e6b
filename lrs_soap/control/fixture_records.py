"""The fixture sections that need the people and learners first: awarding organisations'
achievements (loaded as single achievements are: the same record rules, learner
verification and register checks) and open data challenges (raised as an organisation
raises them: an event challenge reads the learner's record first)."""

from __future__ import annotations

from lrs_soap.control.fixture_file import Entry
from lrs_soap.domain import sent_achievement
from lrs_soap.domain.batches import reworded
from lrs_soap.domain.challenges import RaiseOutcome, UlnChallengeType
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.record_elements import element_label
from lrs_soap.service import challenges, single_achievements
from lrs_soap.service.accounts import AdminError, Caller
from lrs_soap.service.achievements import holders_of
from lrs_soap.service.context import ServiceContext

ACTOR = "fixture"
ACHIEVEMENT_KEYS = frozenset({"awarding_organisation", "user", "uln", "given_name",
                              "family_name", "date_of_birth", "gender", "qualification",
                              "grade", "award_date", "provider_ukprn", "language",
                              "submission_type"})
# fixture key -> SentAchievement attribute
ACHIEVEMENT_FIELDS = {"uln": "uln", "given_name": "given_name", "family_name": "family_name",
                      "date_of_birth": "date_of_birth", "gender": "gender",
                      "qualification": "qualification_reference", "grade": "grade",
                      "award_date": "award_date", "provider_ukprn": "provider_ukprn",
                      "language": "language_for_assessment"}
CHALLENGE_KEYS = frozenset({"raised_by", "user", "uln", "given_name", "family_name",
                            "date_of_birth", "gender", "qualification",
                            "awarding_organisation", "type", "reason"})
ACCEPTED = (ResponseCode.UPDATED.value, ResponseCode.NO_CHANGES.value)


def caller(ctx: ServiceContext, entry: Entry, key: str) -> Caller:
    organisation_key = entry.text(key, required=True)
    with ctx.uow_factory() as uow:
        organisation = (uow.organisations.by_ukprn(organisation_key)
                        or uow.organisations.by_reference(organisation_key))
    if organisation is None:
        raise entry.fail(f"{key}: no organisation {organisation_key!r} (list it under "
                         "organisations first)")
    return Caller(organisation, entry.text("user") or ACTOR)


def achievement(ctx: ServiceContext, entry: Entry) -> None:
    entry.only(ACHIEVEMENT_KEYS)
    texts = {"action": "CREATE"}
    for key, attribute in ACHIEVEMENT_FIELDS.items():
        if entry.get(key) is not None:
            texts[attribute] = entry.text(key)
    try:
        answer = single_achievements.manage_achievement(
            ctx, caller(ctx, entry, "awarding_organisation"), sent_achievement.read(texts),
            entry.text("submission_type") or "FINAL")
    except LrsError as error:  # a refused record: its fields named as the native face does
        raise reworded(error, element_label) from None
    if answer.code not in ACCEPTED:
        errors = answer.outcome.errors if answer.outcome else ()
        problems = "".join(f"; {element_label(error.field)} {error.rule}"
                           for error in errors)
        raise entry.fail(f"achievement refused ({answer.code}{problems})")


def challenge(ctx: ServiceContext, entry: Entry) -> None:
    entry.only(CHALLENGE_KEYS)
    raiser, reason = caller(ctx, entry, "raised_by"), entry.text("reason", required=True)
    uln = entry.text("uln", required=True)
    if entry.get("qualification") is None:
        challenge_type = entry.text("type", required=True)
        if challenge_type not in UlnChallengeType.__members__:
            raise entry.fail(f"type must be one of {', '.join(UlnChallengeType)} (a ULN "
                             "challenge), or give the qualification of an achievement")
        outcome = challenges.raise_uln_challenge(ctx, raiser, uln, challenge_type,
                                                 reason).outcome
    else:
        query = RecordQuery(uln, entry.text("given_name", required=True),
                            entry.text("family_name", required=True),
                            entry.date("date_of_birth"), entry.text("gender"))
        result = challenges.raise_event_challenge(
            ctx, raiser, query, _achievement_id(ctx, entry, uln), reason)
        outcome = result.outcome
        if outcome is None:
            raise entry.fail(f"the learner's record cannot be read with these details "
                             f"({result.code})")
    if outcome is not RaiseOutcome.RAISED:
        raise entry.fail(f"challenge not raised ({outcome.value})")


def _achievement_id(ctx: ServiceContext, entry: Entry, uln: str) -> int:
    awarding = caller(ctx, entry, "awarding_organisation").organisation
    reference = entry.text("qualification").strip().upper()
    with ctx.uow_factory() as uow:
        holder = holders_of(uow.achievements, {uln}).get(uln)
        key = (holder.uln if holder else uln, reference, awarding.id)
        event = uow.achievements.events_by_keys({key}).get(key)
    if event is None:
        raise AdminError(f"{awarding.ukprn or awarding.reference} holds no achievement of "
                         f"{reference} for ULN {uln}")
    return event.id
