"""Learner batch records built from LearnerDetails, as a batch file or message carries them."""

from lrs_soap.domain.fields import DETAIL_FIELDS
from lrs_soap.domain.model import LearnerDetails


def batch_record(details: LearnerDetails, *, blank: str | None = None,
                 **elements: str) -> dict[str, str | None]:
    """{element name: text} for every detail (dates ISO), absent ones as ``blank``, then
    ``elements`` (ULN, MISIdentifier...)."""
    values = {element: getattr(details, attribute) for element, attribute in DETAIL_FIELDS}
    text = {element: value.isoformat() if hasattr(value, "isoformat") else value
            for element, value in values.items()}
    return {**{k: blank if v is None else v for k, v in text.items()}, **elements}
