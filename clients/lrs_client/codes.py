"""What lrs-client calls each response code and VerifyLearnerDetails failure flag.

One code can mean different things by operation: WSRC0006 answers an updated learner, an
applied achievement and a withdrawn result alike, so a command whose answers are not about
learners passes its own ``labels`` (ACHIEVEMENT_LABELS, ENTRY_LABELS) over the shared table.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text

# The LRS response-code quick reference (public LRS documentation).
RESPONSE_CODES = {
    "WSRC0001": "no match",
    "WSRC0002": "too many matches",
    "WSRC0003": "possible match",
    "WSRC0004": "exact match",
    "WSRC0005": "learner registered",
    "WSRC0006": "learner updated",  # the learner operations' meaning; see ACHIEVEMENT_LABELS
    "WSRC0007": "batch submitted",
    "WSRC0008": "batch incomplete",
    "WSRC0009": "batch successful",
    "WSRC0010": "batch failed",
    "WSRC0013": "the learner was updated since you read it",
    "WSRC0014": "invalid ability-to-share change",
    "WSRC0015": "insufficient data",
    "WSRC0017": "record count wrong",
    "WSRC0018": "unknown job",
    "WSRC0019": "ULN not found for update",
    "WSRC0020": "no changes",
    "WSRC0021": "cannot register",
    "WSRC0023": "ULNs for report not found",
    "WSRC0024": "no ULNs for report",
    "WSEC0206": "the learner has not agreed to share their record",
    "WSEC0208": "the learner could not be verified",
    "WSRC0022": "linked learner: master substituted",
    "WSRC0030": "verify-batch record count wrong",
    "WSRC0043": "not an awarding organisation",
    "RC011": "rejected",
    "RC013": "outside the age range 13 to 110",
    "WSEC0136": "ULN fails its check digit",
    "WSVRC001": "successful match",
    "WSVRC002": "successful linked match",
    "WSVRC003": "similar match",
    "WSVRC004": "similar linked match",
    "WSVRC005": "learner does not match",
    "WSVRC006": "ULN not found",
}

# VerifyLearnerDetails FailureFlag: which supplied detail failed against which held one.
FAILURE_FLAGS = {
    "VRF1": "given name vs given name",
    "VRF2": "given name vs family name",
    "VRF3": "given name vs previous family name",
    "VRF4": "family name vs given name",
    "VRF5": "family name vs family name",
    "VRF6": "family name vs previous family name",
    "VRF7": "date of birth",
    "VRF8": "gender",
}

# SubmitAchievement (lrs-client achievement): WSRC0006 applied, Outcome says how.
ACHIEVEMENT_LABELS = {"WSRC0006": "achievement applied"}
# Entries & Results: a result recorded, amended or withdrawn, an entry cancelled.
ENTRY_LABELS = {"WSRC0006": "done"}


def response_code_line(code: str, labels: Mapping[str, str] | None = None) -> Text:
    label = (labels or {}).get(code) or RESPONSE_CODES.get(code)
    return Text(f"ResponseCode: {code}" + (f" ({label})" if label else ""))
