"""Learner batch records built from LearnerDetails, as a batch file or message carries them."""

from lrs_soap.domain import sent_learner
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.domain.sent_learner import SentLearner
from lrs_soap.record_elements import DETAIL_FIELDS, learner_record


def batch_record(details: LearnerDetails, *, blank: str | None = None,
                 **elements: str) -> dict[str, str | None]:
    """{element name: text} for every detail (dates ISO), absent ones as ``blank``, then
    ``elements`` (ULN, MISIdentifier...)."""
    values = {element: getattr(details, attribute) for element, attribute in DETAIL_FIELDS}
    text = {element: value.isoformat() if hasattr(value, "isoformat") else value
            for element, value in values.items()}
    return {**{k: blank if v is None else v for k, v in text.items()}, **elements}


def sent(records: list[dict[str, str | None]]) -> list[SentLearner]:
    """Batch records by element name, read into the domain's form as a face reads them."""
    return [sent_learner.read(learner_record(values)) for values in records]
