"""The LRS's codes in words for people in a browser (the codes themselves stay visible)."""

from lrs_soap.domain.batches import reworded
from lrs_soap.domain.errors import LrsError
from lrs_soap.record_elements import element_label

OUTCOMES = {
    "WSRC0001": "No learner matches these details",
    "WSRC0002": "Too many learners match: add more details (previous family name, place of "
                "birth, email address) to narrow the search",
    "WSRC0003": "Possible matches: check whether one of them is the learner",
    "WSRC0004": "Exact match",
    "WSRC0005": "Learner registered",
    "WSRC0006": "Learner updated",
    "WSRC0007": "Batch submitted",
    "WSRC0008": "Batch still being processed",
    "WSRC0009": "Batch processed",
    "WSRC0010": "Batch failed",
    "WSRC0013": "Someone else changed this learner after you opened it",
    "WSRC0014": "The learner's sharing preference cannot be changed that way",
    "WSRC0019": "This ULN cannot be updated: it is merged into another ULN or no longer used",
    "WSRC0020": "Nothing was changed",
    "WSRC0021": "The learner cannot be registered",
    "WSRC0022": "This ULN was merged into another: the learner's current ULN is shown",
    "WSVRC001": "Verified: the details match the ULN's learner",
    "WSVRC002": "Verified through a linked ULN: the details match",
    "WSVRC003": "Similar: the details are close to the ULN's learner but not the same",
    "WSVRC004": "Similar, through a linked ULN",
    "WSVRC005": "Not verified: the details do not match the ULN's learner",
    "WSVRC006": "The ULN was not found",
    "WSEC0206": "The learner has not agreed to share their learning record",
    "WSEC0208": "The learner could not be verified with these details",
}

# The same codes said of what a page changes (the LRS's words are about learners).
ABOUT = {
    "achievement": {
        "WSRC0006": "Achievement recorded",
        "WSRC0020": "Nothing was changed: the achievement already says this",
        "WSRC0021": "The achievement was not recorded",
        "WSRC0043": "Only awarding organisations record achievements",
    },
    "entry": {
        "WSRC0006": "Entry updated",
        "WSRC0013": "Someone else changed this entry after you opened it: nothing of yours "
                    "was kept",
        "WSRC0021": "Refused: nothing was changed",
    },
    "plan": {
        "WSRC0001": "No plan of yours or shared with you for this learner yet",
        "WSRC0004": "Plans found",
        "WSRC0006": "Plan saved",
        "WSRC0013": "Someone saved this plan after you opened it",
        "WSRC0020": "Nothing was changed",
        "WSRC0021": "Not saved",
    },
}

FAILURE_FLAGS = {
    "VRF1": "The given name does not match the learner's given name",
    "VRF2": "The given name does not match the learner's family name (names swapped)",
    "VRF3": "The given name does not match the learner's previous family name",
    "VRF4": "The family name does not match the learner's given name (names swapped)",
    "VRF5": "The family name does not match the learner's family name",
    "VRF6": "The family name does not match the learner's previous family name",
    "VRF7": "The date of birth does not match",
    "VRF8": "The gender does not match",
}

GENDERS = {"0": "Not known", "1": "Male", "2": "Female", "9": "Not specified"}


def outcome(code: str, about: str | None = None) -> str:
    """The code in words; ``about``: the thing the page changes (ABOUT), if it has its own."""
    return ABOUT.get(about or "", {}).get(str(code)) or OUTCOMES.get(str(code), str(code))


def refusal(error: LrsError) -> str:
    """A service's refusal (WSEC0001 with its reason, WSEC0136...) in the page's words: a
    refused record's fields named as the batch files name them."""
    error = reworded(error, element_label)
    return f"{error.further_details or error.description} ({error.code.value})"
