"""RegisterLearner / UpdateLearner field rules beyond the XSD (lrs-rules.md 3.1-3.4, 7).

The XSD already enforces lengths, patterns and enumerations; these are the rules it cannot
express.

Normalisation (:func:`normalise_details`), applied before storing and before comparing:
text fields are trimmed and runs of whitespace become one space (Notes keeps its line
breaks and is only trimmed); an optional field left blank becomes None; the postcode takes
its stored form (``CV4 9EE``); the e-mail's domain is lower-cased (domains are
case-insensitive, the local part formally is not, so it is kept); Nationality is
upper-cased (it is a code).

Registration problems (:func:`registration_problems`, each a LearnerProblem naming the
field by attribute, domain/learner_problems.py): names blank after trimming, without a
letter, or holding bidirectional control characters (domain/names.py: name_problem; any
other text field holding one); date of birth in the future; age (whole years on
``today``) outside 13-110 inclusive; date of address capture in the future or before the
date of birth; VerificationType 999 ("other") without an OtherVerificationDescription.
Updates (:func:`update_problems`) apply the same rules, the age window only to a date of
birth the update changes: a learner registered at 13 may be updated at 111, but not given a
date of birth making them 5 or 150.

AbilityToShare (WSRC0014, :func:`ability_to_share_change_allowed`): since GDPR (May 2018)
learners can no longer opt out, and a historic opt-out (2) stays until a provider gives the
learner the privacy notice and clears it. So the only change allowed is *to* 1 ("shared,
privacy notice given"), from any value; leaving the value as it is is not a change. Moving
to 2 would be a new opt-out, and moving to 0 ("not known") would discard what was
recorded, so both are refused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from lrs_soap.domain.learner_problems import LearnerProblem
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.domain.names import has_bidi_control, name_problem, normalise_postcode

MIN_REGISTRATION_AGE = 13
MAX_REGISTRATION_AGE = 110
OTHER_VERIFICATION = "999"
SHARED = "1"
ABILITY_TO_SHARE_VALUES = frozenset({"0", "1", "2"})

_KEEP_LINE_BREAKS = frozenset({"notes"})
_SPECIAL = frozenset({"postcode", "email_address", "nationality"})
_OPTIONAL_NAMES = ("middle_other_name", "preferred_given_name", "previous_family_name",
                   "family_name_at_16")
_NAMES = frozenset({"given_name", "family_name", *_OPTIONAL_NAMES})


def _collapse(value: str) -> str:
    return " ".join(value.split())


def _normalise_email(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    local, at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if at else value


def normalise_details(details: LearnerDetails) -> LearnerDetails:
    """The details as the LRS stores and compares them (see the module docstring)."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(LearnerDetails):
        value = getattr(details, f.name)
        if not isinstance(value, str) or f.name in _SPECIAL:
            continue
        value = value.strip() if f.name in _KEEP_LINE_BREAKS else _collapse(value)
        optional = f.default is None
        changes[f.name] = None if optional and not value else value
    changes["postcode"] = normalise_postcode(details.postcode)
    changes["email_address"] = _normalise_email(details.email_address)
    nationality = (details.nationality or "").strip().upper()
    changes["nationality"] = nationality or None
    return dataclasses.replace(details, **changes)


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Completed years of age on ``today`` (a 29 February birthday falls on 1 March)."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - before_birthday


def update_problems(details: LearnerDetails, today: dt.date,
                    previous: LearnerDetails | None = None) -> list[LearnerProblem]:
    """Rules that hold for every stored learner; empty when the details are acceptable.

    ``previous``: the details held. A date of birth that changes must fall in the
    registration age window, as at registration; one that stays may age past it.
    """
    d = normalise_details(details)
    problems = [problem for problem in (
        name_problem("given_name", d.given_name), name_problem("family_name", d.family_name),
        *(name_problem(field, getattr(d, field), required=False)
          for field in _OPTIONAL_NAMES)) if problem]
    problems += [LearnerProblem(f.name, "must not contain bidirectional control characters")
                 for f in dataclasses.fields(LearnerDetails)
                 if f.name not in _NAMES and isinstance(getattr(d, f.name), str)
                 and has_bidi_control(getattr(d, f.name))]
    if d.date_of_birth > today:
        problems.append(LearnerProblem("date_of_birth", "must not be in the future"))
    elif previous is not None and previous.date_of_birth != d.date_of_birth:
        problems += _age_problems(d.date_of_birth, today)
    if d.date_of_address_capture is not None:
        if d.date_of_address_capture > today:
            problems.append(LearnerProblem("date_of_address_capture",
                                           "must not be in the future"))
        elif d.date_of_address_capture < d.date_of_birth:
            problems.append(LearnerProblem("date_of_address_capture",
                                           "must not be before DateOfBirth"))
    if d.verification_type == OTHER_VERIFICATION and not d.other_verification_description:
        problems.append(LearnerProblem("other_verification_description",
                                       "is required when VerificationType is 999"))
    return problems


def registration_problems(details: LearnerDetails, today: dt.date) -> list[LearnerProblem]:
    """:func:`update_problems` plus the age window at registration (13 to 110 inclusive)."""
    problems = update_problems(details, today)
    if details.date_of_birth <= today:
        problems += _age_problems(details.date_of_birth, today)
    return problems


def _age_problems(date_of_birth: dt.date, today: dt.date) -> list[LearnerProblem]:
    age = age_on(date_of_birth, today)
    if MIN_REGISTRATION_AGE <= age <= MAX_REGISTRATION_AGE:
        return []
    return [LearnerProblem("date_of_birth",
                           f"The learner must be aged {MIN_REGISTRATION_AGE} to "
                           f"{MAX_REGISTRATION_AGE} at registration (is {age})", sentence=True)]


def changed_fields(old: LearnerDetails, new: LearnerDetails) -> dict[str, tuple]:
    """``{field: (old value, new value)}`` for each field that differs after normalisation.

    Case counts: "SMITH" -> "Smith" is a change worth storing, though the names match.
    """
    before, after = normalise_details(old), normalise_details(new)
    return {
        f.name: (getattr(before, f.name), getattr(after, f.name))
        for f in dataclasses.fields(LearnerDetails)
        if getattr(before, f.name) != getattr(after, f.name)
    }


def ability_to_share_change_allowed(old: str, new: str) -> bool:
    """False means WSRC0014: only a move to 1 (privacy notice given) is allowed."""
    old, new = old.strip(), new.strip()
    if new not in ABILITY_TO_SHARE_VALUES:
        return False
    return new in (old, SHARED)
