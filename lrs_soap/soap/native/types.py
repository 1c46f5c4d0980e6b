"""Spyne models of the native contract (xsd/lrs-native-v1.xsd).

The XSD is the contract and validates every request; these models only carry values in and
out, so their types are deliberately plain. tests/contract keeps their element names and order
in step with the XSD.
"""

from spyne import Boolean, ComplexModel, Date, DateTime, Integer, Unicode

from lrs_soap.soap.contract import NATIVE_NS


class NativeModel(ComplexModel):
    __namespace__ = NATIVE_NS


class Credentials(NativeModel):
    _type_info = [
        ("UKPRN", Unicode),
        ("OrganisationRef", Unicode),
        ("UserName", Unicode),
        ("OrgPassword", Unicode),
    ]


class ULNList(NativeModel):
    _type_info = [("ULN", Unicode(max_occurs="unbounded"))]


class LearnerToRegister(NativeModel):
    _type_info = [
        ("Title", Unicode),
        ("GivenName", Unicode),
        ("MiddleOtherName", Unicode),
        ("FamilyName", Unicode),
        ("PreferredGivenName", Unicode),
        ("PreviousFamilyName", Unicode),
        ("FamilyNameAtAge16", Unicode),
        ("SchoolAtAge16", Unicode),
        ("LastKnownAddressLine1", Unicode),
        ("LastKnownAddressLine2", Unicode),
        ("LastKnownAddressTown", Unicode),
        ("LastKnownAddressCountyOrCity", Unicode),
        ("LastKnownPostCode", Unicode),
        ("DateOfAddressCapture", Date),
        ("DateOfBirth", Date),
        ("PlaceOfBirth", Unicode),
        ("Gender", Unicode),
        ("EmailAddress", Unicode),
        ("Nationality", Unicode),
        ("ScottishCandidateNumber", Unicode),
        ("VerificationType", Unicode),
        ("OtherVerificationDescription", Unicode),
        ("AbilityToShare", Unicode),
        ("Notes", Unicode),
    ]


class Learner(LearnerToRegister):
    _type_info = [
        ("ULN", Unicode),
        ("VersionNumber", Integer),
        ("LearnerStatus", Unicode),
        ("TierLevel", Unicode),
        ("MasterSubstituted", Boolean),
        ("CreatedDate", Date),
        ("LastUpdatedDate", Date),
        ("LinkedULNs", ULNList),
    ]


class LearnerToUpdate(LearnerToRegister):
    _type_info = [
        ("ULN", Unicode),
        ("VersionNumber", Integer),
    ]


class Demographics(NativeModel):
    _type_info = [
        ("GivenName", Unicode),
        ("FamilyName", Unicode),
        ("DateOfBirth", Date),
        ("Gender", Unicode),
        ("LastKnownPostCode", Unicode),
        ("PreviousFamilyName", Unicode),
        ("SchoolAtAge16", Unicode),
        ("PlaceOfBirth", Unicode),
        ("EmailAddress", Unicode),
    ]


class VerifiedLearner(NativeModel):
    _type_info = [
        ("ULN", Unicode),
        ("GivenName", Unicode),
        ("FamilyName", Unicode),
        ("DateOfBirth", Date),
        ("Gender", Unicode),
    ]


class BatchLearnerResult(NativeModel):
    _type_info = [
        ("RecordNumber", Integer),
        ("MISIdentifier", Unicode),
        ("ReturnCode", Unicode),
        ("ULN", Unicode),
        ("PossibleMatchULN", Unicode(max_occurs=10)),
        ("Reason", Unicode),
    ]


class VerifyBatchResult(NativeModel):
    _type_info = [
        ("RecordNumber", Integer),
        ("MISIdentifier", Unicode),
        ("SearchedULN", Unicode),
        ("ResponseCode", Unicode),
        ("FailureFlag", Unicode(max_occurs=8)),
        ("Reason", Unicode),
    ]


class RecordError(NativeModel):
    _type_info = [
        ("RecordNumber", Integer),
        ("MISIdentifier", Unicode),
        ("Field", Unicode),
        ("Rule", Unicode),
    ]


# The leading elements every Get*Batch response shares (XSD type JobProgress).
JOB_PROGRESS = (
    ("ResponseCode", Unicode),
    ("JobID", Integer),
    ("JobStatus", Unicode),
    ("NumberOfRecords", Integer),
    ("RecordsProcessed", Integer),
    ("SubmittedDateTime", DateTime),
    ("JobStartedDateTime", DateTime),
    ("JobFinishedDateTime", DateTime),
    ("FailureReason", Unicode),
)
SUBMIT_RESULT = (("ResponseCode", Unicode), ("JobID", Integer), ("Reason", Unicode))


# ----- Personal Learning Record, data challenges, the ULN report -----

class LearningEvent(NativeModel):
    _type_info = [
        ("AchievementAwardDate", Date),
        ("AchievementProviderName", Unicode),
        ("AchievementProviderUkprn", Unicode),
        ("AwardingOrganisationName", Unicode),
        ("AwardingOrganisationUkprn", Unicode),
        ("CollectionType", Unicode),
        ("Credits", Integer),
        ("DateLoaded", DateTime),
        ("Grade", Unicode),
        ("ID", Integer),
        ("LanguageForAssessment", Unicode),
        ("Level", Unicode),
        ("ParticipationEndDate", Date),
        ("ParticipationStartDate", Date),
        ("QualificationType", Unicode),
        ("Restriction", Unicode),
        ("ReturnNumber", Unicode),
        ("Source", Unicode),
        ("Status", Unicode),
        ("Subject", Unicode),
        ("SubjectCode", Unicode),
        ("UnderDataChallenge", Unicode),
    ]


class LearnerRecord(NativeModel):
    _type_info = [("LearningEvent", LearningEvent.customize(max_occurs="unbounded"))]


class AccessEntry(NativeModel):
    _type_info = [
        ("DateTime", DateTime),
        ("Action", Unicode),
        ("Organisation", Unicode),
        ("UKPRN", Unicode),
        ("OrganisationRef", Unicode),
        ("UserName", Unicode),
        ("ULN", Unicode),
        ("Outcome", Unicode),
    ]


class EventChallenge(NativeModel):
    _type_info = [
        ("ChallengeID", Integer),
        ("Status", Unicode),
        ("ULN", Unicode),
        ("EventID", Integer),
        ("RaisedByOrganisation", Unicode),
        ("RaisedByUKPRN", Unicode),
        ("RaisedByOrganisationRef", Unicode),
        ("RaisedDateTime", DateTime),
        ("Reason", Unicode),
        ("Resolution", Unicode),
        ("ResolvedDateTime", DateTime),
        ("Withdrawn", Boolean),
        ("LearningEvent", LearningEvent),
    ]


class EventCorrection(NativeModel):
    _type_info = [
        ("AchievementAwardDate", Date),
        ("AchievementProviderUkprn", Unicode),
        ("Grade", Unicode),
        ("LanguageForAssessment", Unicode),
    ]


class ULNChallenge(NativeModel):
    _type_info = [
        ("ChallengeID", Integer),
        ("Status", Unicode),
        ("ULN", Unicode),
        ("ChallengeType", Unicode),
        ("RaisedDateTime", DateTime),
        ("Reason", Unicode),
        ("Resolution", Unicode),
        ("ResolvedDateTime", DateTime),
    ]


class MergedLearner(NativeModel):
    _type_info = [("MasterULN", Unicode), ("MergedULN", Unicode), ("MergedDate", DateTime)]


class UnmergedLearner(NativeModel):
    _type_info = [("MasterULN", Unicode), ("UnmergedULN", Unicode), ("UnmergedDate", DateTime)]


class DeletedLearner(NativeModel):
    _type_info = [("ULN", Unicode), ("DeletedDate", DateTime)]


# The leading elements of a paged list response.
PAGING = (("PageIndex", Integer), ("PageSize", Integer), ("PageCount", Integer),
          ("TotalItems", Integer))
