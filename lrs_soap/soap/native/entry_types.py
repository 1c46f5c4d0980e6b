"""Spyne models of the entries and results messages (xsd/lrs-native-v1.xsd)."""

from spyne import Date, DateTime, Integer, Unicode

from lrs_soap.soap.native.types import NativeModel, RecordError

_ERRORS = ("Error", RecordError.customize(max_occurs="unbounded"))


class EntryOutcome(NativeModel):
    _type_info = [("RecordNumber", Integer), ("EntryID", Integer), ("Status", Unicode),
                  ("ULN", Unicode), _ERRORS]


class ResultOutcome(NativeModel):
    _type_info = [("RecordNumber", Integer), ("ResponseCode", Unicode), ("EntryID", Integer),
                  ("ResultID", Integer), ("Status", Unicode), ("EventID", Integer), _ERRORS]


class EntryResultView(NativeModel):
    _type_info = [("ResultID", Integer), ("Action", Unicode), ("Status", Unicode),
                  ("Grade", Unicode), ("AwardDate", Date), ("EventID", Integer),
                  ("SubmittedBy", Unicode), ("SubmittedDateTime", DateTime), _ERRORS]


class EntryView(NativeModel):
    _type_info = [("EntryID", Integer), ("Status", Unicode), ("Version", Integer),
                  ("MISIdentifier", Unicode), ("ULN", Unicode), ("HolderULN", Unicode),
                  ("QualificationReference", Unicode), ("EntryDate", Date),
                  ("ExpectedAwardDate", Date), ("ProviderUKPRN", Unicode),
                  ("SubmittedBy", Unicode), ("SubmittedDateTime", DateTime), _ERRORS,
                  ("Result", EntryResultView.customize(max_occurs="unbounded"))]
