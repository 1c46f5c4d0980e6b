"""The native face's Achievement element, read into the domain's one record form
(lrs_soap.domain.sent_achievement): batches (SubmitAchievementBatch), SubmitAchievement, and
batch files in the same format (the portal's upload)."""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain import sent_achievement
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.record_elements import ACHIEVEMENT_RECORD
from lrs_soap.soap.contract import NATIVE_NS

# Achievement element -> SentAchievement attribute (the record's elements in the native XSD)
ACHIEVEMENT_ELEMENTS = ACHIEVEMENT_RECORD
_BY_TAG = {f"{{{NATIVE_NS}}}{element}": attribute
           for element, attribute in ACHIEVEMENT_ELEMENTS.items()}


def achievement(texts: dict[str, str | None]) -> SentAchievement:
    """An Achievement's {element name: text} as the domain's record."""
    return sent_achievement.read({ACHIEVEMENT_ELEMENTS[name]: text for name, text in
                                  texts.items() if name in ACHIEVEMENT_ELEMENTS})


def achievements(body: etree._Element) -> list[SentAchievement]:
    """Every Achievement of the request, in order, read straight from the tree; a value
    repeated between records (a date, a grade, a code) is one object."""
    shared: dict = {}
    return [sent_achievement.read({_BY_TAG[field.tag]: field.text for field in record
                                   if field.tag in _BY_TAG}, shared)
            for record in body.iterchildren(f"{{{NATIVE_NS}}}Achievement")]
