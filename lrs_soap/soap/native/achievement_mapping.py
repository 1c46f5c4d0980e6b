"""The native face's Achievement element, read into the domain's one record form
(lrs_soap.domain.sent_achievement): batches (SubmitAchievementBatch), SubmitAchievement, and
batch files in the same format (the portal's upload)."""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain import sent_achievement
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.soap.native.batch_mapping import payloads

# Achievement element -> SentAchievement attribute (the record's elements in the native XSD)
ACHIEVEMENT_ELEMENTS = {
    "ULN": "uln", "Action": "action", "GivenName": "given_name", "FamilyName": "family_name",
    "DateOfBirth": "date_of_birth", "Gender": "gender",
    "QualificationReference": "qualification_reference", "Grade": "grade",
    "AwardDate": "award_date", "ActionDate": "action_date", "ActionReason": "action_reason",
    "ProviderUKPRN": "provider_ukprn", "LanguageForAssessment": "language_for_assessment",
    "MISIdentifier": "mis_identifier"}


def achievement(texts: dict[str, str | None]) -> SentAchievement:
    """An Achievement's {element name: text} as the domain's record."""
    return sent_achievement.read({ACHIEVEMENT_ELEMENTS[name]: text for name, text in
                                  texts.items() if name in ACHIEVEMENT_ELEMENTS})


def achievements(body: etree._Element) -> list[SentAchievement]:
    """Every Achievement of the request, in order."""
    return [achievement(texts) for texts in payloads(body, "Achievement")]
