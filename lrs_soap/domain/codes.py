"""The LRS response and error code vocabulary (lrs-rules.md quick reference).

Business outcomes travel as ResponseCode values; errors (WSEC…) travel as SOAP faults.
"""

from enum import StrEnum


class ResponseCode(StrEnum):
    NO_MATCH = "WSRC0001"
    TOO_MANY_MATCHES = "WSRC0002"
    POSSIBLE_MATCH = "WSRC0003"
    EXACT_MATCH = "WSRC0004"
    REGISTERED = "WSRC0005"
    UPDATED = "WSRC0006"
    BATCH_SUBMITTED = "WSRC0007"
    BATCH_INCOMPLETE = "WSRC0008"
    BATCH_SUCCESSFUL = "WSRC0009"
    BATCH_FAILED = "WSRC0010"
    STALE_VERSION = "WSRC0013"
    INVALID_ABILITY_TO_SHARE_CHANGE = "WSRC0014"
    INSUFFICIENT_DATA = "WSRC0015"
    RECORD_COUNT_WRONG = "WSRC0017"
    UNKNOWN_JOB = "WSRC0018"
    ULN_NOT_FOUND_FOR_UPDATE = "WSRC0019"
    NO_CHANGES = "WSRC0020"
    CANNOT_REGISTER = "WSRC0021"
    LINKED_MASTER_SUBSTITUTED = "WSRC0022"
    ULNS_FOR_REPORT_NOT_FOUND = "WSRC0023"
    NO_ULNS_FOR_REPORT = "WSRC0024"
    VERIFY_RECORD_COUNT_WRONG = "WSRC0030"
    NOT_AN_AWARDING_ORGANISATION = "WSRC0043"


class ErrorCode(StrEnum):
    INVALID_REQUEST = "WSEC0001"
    UNKNOWN_REQUEST = "WSEC0002"
    UNKNOWN_ORGANISATION = "WSEC0003"
    OUT_OF_HOURS = "WSEC0004"
    INCORRECT_PASSWORD = "WSEC0005"  # noqa: S105 (an error code, not a password)
    INSUFFICIENT_ACCESS = "WSEC0006"
    # Ours (the LRS publishes no lockout code): docs/decisions.md, Accounts.
    SIGN_IN_LOCKED = "WSEC0007"
    TOO_MANY_ACHIEVEMENTS = "WSEC0046"
    NO_ACHIEVEMENTS = "WSEC0047"
    INVALID_ULN = "WSEC0136"
    NOT_SHARED = "WSEC0206"
    NOT_VERIFIED = "WSEC0208"
    UNKNOWN_EXCEPTION = "WSEC0999"


DESCRIPTIONS: dict[str, str] = {
    ErrorCode.INVALID_REQUEST: "Invalid request, the request was badly formed",
    ErrorCode.UNKNOWN_REQUEST: "Unknown request",
    ErrorCode.UNKNOWN_ORGANISATION: "Unknown or unauthorised organisation",
    ErrorCode.OUT_OF_HOURS: "The service is not available at this time",
    ErrorCode.INCORRECT_PASSWORD: "Incorrect organisation password",
    ErrorCode.INSUFFICIENT_ACCESS: "Insufficient access to use this service",
    ErrorCode.SIGN_IN_LOCKED: "Too many failed sign-ins: temporarily locked",
    ErrorCode.TOO_MANY_ACHIEVEMENTS: "Too many achievements in the request",
    ErrorCode.NO_ACHIEVEMENTS: "The request must contain at least one achievement",
    ErrorCode.INVALID_ULN: "The supplied ULN is invalid",
    ErrorCode.NOT_SHARED: "The learner has not agreed to share their data",
    ErrorCode.NOT_VERIFIED: "The learner could not be verified",
    ErrorCode.UNKNOWN_EXCEPTION: "Unknown exception",
}
