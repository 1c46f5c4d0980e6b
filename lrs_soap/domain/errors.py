"""One exception root for every rule violation; faces translate it to their fault shape."""

from lrs_soap.domain.codes import DESCRIPTIONS, ErrorCode


class LrsError(Exception):
    """A request the LRS refuses: carries the LRS error code and a safe explanation.

    ``further_details`` goes back to the caller, so it must never contain another
    learner's data or a secret.
    """

    code: ErrorCode = ErrorCode.UNKNOWN_EXCEPTION

    def __init__(self, further_details: str = "", code: ErrorCode | None = None):
        if code is not None:
            self.code = code
        self.further_details = further_details
        super().__init__(f"{self.code}: {further_details}" if further_details else self.code)

    @property
    def description(self) -> str:
        return DESCRIPTIONS.get(self.code, "")


class InvalidRequest(LrsError):
    code = ErrorCode.INVALID_REQUEST


class UnknownOrganisation(LrsError):
    code = ErrorCode.UNKNOWN_ORGANISATION


class IncorrectPassword(LrsError):
    code = ErrorCode.INCORRECT_PASSWORD


class InsufficientAccess(LrsError):
    code = ErrorCode.INSUFFICIENT_ACCESS


class InvalidUln(LrsError):
    code = ErrorCode.INVALID_ULN


class UnknownRequest(LrsError):
    code = ErrorCode.UNKNOWN_REQUEST


class NoAchievements(LrsError):
    code = ErrorCode.NO_ACHIEVEMENTS


class TooManyAchievements(LrsError):
    code = ErrorCode.TOO_MANY_ACHIEVEMENTS
