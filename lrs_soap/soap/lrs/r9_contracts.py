"""LearnerServiceR9.svc's response data contracts (wsdl/LearnerServiceR9.wsdl, lrs-wire 4):
members in wire order and what each writes when null.

The OMIT members are exactly those the live WSDL annotates EmitDefaultValue=false
(lrs-wire 4.3's E column); value-type members carry the default WCF writes for them.
"""

from __future__ import annotations

from lrs_soap.soap.lrs.wcf import (
    MIAP_MODEL_NS,
    MODEL_NS,
    Contract,
    nil,
    omit,
    value,
)

# ServiceResponseR9, the base of every R9 (and External) response with a ResponseCode.
SERVICE_RESPONSE = (omit("ResponseCode"),)
DATE_MIN = "0001-01-01T00:00:00"  # default(DateTime), never sent for a stored learner

LEARNING_EVENT = Contract("LearningEvent", MODEL_NS, ((
    nil("AchievementAwardDate"),
    omit("AchievementProviderName"),
    nil("AchievementProviderUkprn"),
    omit("AwardingOrganisationName"),
    omit("AwardingOrganisationUkprn"),
    omit("CollectionType"),
    value("Credits", 0),
    omit("DateLoaded"),
    nil("Grade"),
    value("ID", 0),
    omit("LanguageForAssessment"),
    nil("Level"),
    omit("ParticipationEndDate"),
    omit("ParticipationStartDate"),
    omit("QualificationType"),
    omit("Restriction"),
    omit("ReturnNumber"),
    nil("Source"),
    omit("Status"),
    nil("Subject"),
    nil("SubjectCode"),
    omit("UnderDataChallenge"),
),))

GET_LEARNER_LEARNING_EVENTS_RESPONSE = Contract(
    "GetLearnerLearningEventsResponse", MODEL_NS,
    (SERVICE_RESPONSE, (nil("FoundULN"), nil("IncomingULN"), omit("LearnerRecord"))))

# Amor.Qcf.MIAPModel Learner (extends the empty MIAPModel.Entities BusinessObject).
_INT, _BOOL = 0, False
MIAP_LEARNER = Contract("Learner", MIAP_MODEL_NS, ((
    value("AbilityToShare", _INT), nil("AtsLearnerPreference"),
    value("BirthDateVerification", _INT), nil("CountryOfAddress"), nil("CountryOfBirth"),
    nil("CountryOfDomicle"), nil("CountryOfLastKnownAddress"), value("CreatedDate", DATE_MIN),
    value("CreatedViaChannel", _INT), nil("DateOfAddressCapture"),
    value("DateOfBirth", DATE_MIN), nil("DateOfDeath"), value("DeathDateVerification", _INT),
    value("Deceased", _INT), nil("DeceasedDate"), value("DisabilityCode", _INT),
    nil("EmailAddress"), nil("EthnicityCode"), value("EthnicityVerification", _INT),
    nil("EtlLoadId"), nil("FamilyName"), nil("FamilyNameAt16"), nil("FamilyNameFirst"),
    value("FirstEstablismentId", _INT), value("Gender", _INT), nil("GivenName"),
    value("InReceiptOfDsa", _INT), nil("Initials"), nil("LastCompiledLearnerPlanReport"),
    nil("LastCompiledLearnerRecordReport"), value("LastKnownAddressChanged", _BOOL),
    nil("LastKnownAddressCountyOrCity"), nil("LastKnownAddressLine1"),
    nil("LastKnownAddressLine2"), value("LastKnownAddressQualififer", _INT),
    nil("LastKnownAddressTown"), value("LastKnownGender", _INT), nil("LastKnownPostCode"),
    nil("LastUpdatedAction"), value("LastUpdatedDate", DATE_MIN),
    nil("LastUpdatedLrbUsername"), nil("LastUpdatedLrsUsername"), nil("LastUpdatedSearchKey"),
    value("LastUpdatedViaChannel", _INT), value("LearningDifficultyCode", _INT),
    nil("LinkedUlns"), value("ManualUpdate", _BOOL), value("MaritalStatus", _INT),
    value("MaritalStatusVerification", _INT), nil("MasterUln"), nil("MiddleOtherName"),
    nil("NameSuffix"), nil("NationalInsuranceNumber"), nil("Nationality"),
    nil("NextDataChallengeNo"), nil("NormalisedFamilyName"), nil("NormalisedGivenName"),
    nil("NormalisedOtherNames"), nil("NormalisedPerferredGivenName"),
    nil("NormalisedPreviousFamilyName"), nil("Notes"), nil("OtherVerificationDescription"),
    nil("PlaceOfBirth"), nil("PotentialDuplicateSearchKey"),
    nil("PreferredFamilyFirstNameFirst"), nil("PreferredFamilyName"),
    nil("PreferredGivenName"), nil("PreviousFamilyName"), nil("ReasonForDeletion"),
    value("RecordStatus", _INT), nil("ReferenceNumber"), nil("RegisteredByOrganisationRef"),
    nil("RestrictedUse"), nil("SchoolAtAge16"), nil("ScottishCandidateNumber"),
    nil("SecretQuestionId"), nil("SecurityAnswer"), value("SenType", _INT),
    value("SequentialVersionNumber", _INT), nil("TelephoneNumber"), value("TierLevel", _INT),
    nil("Title"), nil("Uln"), nil("UniqueCandidateIdentifier"), nil("UniquePupilNumber"),
    value("VerificationType", _INT), value("VersionNumber", _INT),
),))

LEARNER_BY_ULN_RESPONSE = Contract(
    "LearnerByUlnResponse", MODEL_NS,
    (SERVICE_RESPONSE, (nil("FamilyName"), nil("GivenName"), omit("Learner"), nil("Uln"))))

GET_ORGANISATION_RESPONSE = Contract(
    "GetOrganisationResponse", MODEL_NS,
    (SERVICE_RESPONSE, (nil("DisplayName"), nil("OrgRef"), nil("Status"), nil("Ukprn"))))

PLR_ACCESS_ENTRY = Contract("PlrAccessEntryResponse", MODEL_NS, ((
    nil("Action"), value("DateTime", DATE_MIN), nil("Organisation"), nil("User"),
),))

PAGED_ACCESS_ENTRIES = Contract("PagedListOfPlrAccessEntryResponseN4dIIFC_S", MODEL_NS, ((
    nil("List"), value("PageCount", 0), value("PageIndex", 0), value("PageSize", 0),
    value("SortIndex", 0), value("SortOrder", 0), value("TotalItems", 0),
),))
