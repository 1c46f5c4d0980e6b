"""Translate between native-face models and service-layer values. No rules here."""

from types import SimpleNamespace

from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import Learner as DomainLearner
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.domain.verification import VerifyOutcome, VerifyQuery
from lrs_soap.record_elements import DETAIL_FIELDS
from lrs_soap.service.accounts import Credentials as ServiceCredentials
from lrs_soap.soap.native import types


def credentials_in(model: types.Credentials | None) -> ServiceCredentials:
    if model is None:
        return ServiceCredentials(user_name="", password="")
    return ServiceCredentials(
        user_name=model.UserName or "",
        password=model.OrgPassword or "",
        ukprn=model.UKPRN or None,
        organisation_ref=model.OrganisationRef or None,
    )


def learner_out(learner: DomainLearner, *, master_substituted: bool) -> SimpleNamespace:
    """A ``types.Learner``'s fields, as a plain namespace: successful responses are written
    by lrs_soap.soap.native.lean from attributes, and building Spyne's object cost more than
    writing the XML (docs/performance.md)."""
    details = learner.details
    values = {element: getattr(details, attribute) or None
              for element, attribute in DETAIL_FIELDS}
    return SimpleNamespace(
        **values, ULN=learner.uln, VersionNumber=learner.version_number,
        LearnerStatus=learner.status.value, TierLevel=learner.tier_level,
        MasterSubstituted=master_substituted, CreatedDate=learner.created_at.date(),
        LastUpdatedDate=learner.updated_at.date(),
        LinkedULNs=SimpleNamespace(ULN=list(learner.linked_ulns)))


def details_in(model: types.LearnerToRegister) -> LearnerDetails:
    values = {attribute: getattr(model, element) for element, attribute in DETAIL_FIELDS}
    return LearnerDetails(**values)


def demographics_in(model: types.Demographics) -> DemographicQuery:
    return DemographicQuery(
        given_name=model.GivenName, family_name=model.FamilyName,
        date_of_birth=model.DateOfBirth, gender=model.Gender, postcode=model.LastKnownPostCode,
        previous_family_name=model.PreviousFamilyName, school_at_age_16=model.SchoolAtAge16,
        place_of_birth=model.PlaceOfBirth, email_address=model.EmailAddress)


def verify_in(uln, given_name, family_name, date_of_birth, gender) -> VerifyQuery:
    return VerifyQuery(uln=uln, given_name=given_name, family_name=family_name,
                       date_of_birth=date_of_birth, gender=gender)


def verified_learner_out(outcome: VerifyOutcome) -> types.VerifiedLearner | None:
    if outcome.learner is None:
        return None
    held = outcome.learner.details
    return types.VerifiedLearner(ULN=outcome.learner.uln, GivenName=held.given_name,
                                 FamilyName=held.family_name, DateOfBirth=held.date_of_birth,
                                 Gender=held.gender)
