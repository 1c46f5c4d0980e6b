"""Native face operations: map the request in, call one service function, map the result out.

Authentication and fault translation happen once, in the intake (lrs_soap.soap.intake), for
every operation listed in domain.access.OPERATIONS.
"""

from spyne import Date, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain.model import FindType as FindTypes
from lrs_soap.service import learners, verification
from lrs_soap.soap.native import mapping, types


class NativeService(ServiceBase):
    @rpc(types.Credentials, Unicode, Unicode, Unicode, Unicode,
         _returns=(Unicode, types.Learner), _out_variable_names=("ResponseCode", "Learner"))
    def FindByULN(ctx, Credentials, FindType, ULN, GivenName, FamilyName):
        query = learners.FindByUlnQuery(uln=ULN, given_name=GivenName, family_name=FamilyName,
                                        check_only=FindTypes.check_only(FindType))
        outcome = learners.find_learner_by_uln(ctx.udc.services, ctx.udc.caller, query)
        learner = (mapping.learner_out(outcome.learner,
                                       master_substituted=outcome.master_substituted)
                   if outcome.learner else None)
        return outcome.code.value, learner

    @rpc(types.Credentials, Unicode, types.Demographics,
         _returns=(Unicode, types.Demographics, types.Learner.customize(max_occurs=10)),
         _out_variable_names=("ResponseCode", "Demographics", "Learner"))
    def FindByDemographics(ctx, Credentials, FindType, Demographics):
        result = learners.find_learner_by_demographics(
            ctx.udc.services, ctx.udc.caller, mapping.demographics_in(Demographics),
            check_only=FindTypes.check_only(FindType))
        found = [mapping.learner_out(match.learner, master_substituted=match.master_substituted)
                 for match in result.matches]
        return result.code.value, Demographics, found

    @rpc(types.Credentials, types.LearnerToRegister,
         _returns=(Unicode, Unicode, Unicode),
         _out_variable_names=("ResponseCode", "ULN", "Reason"))
    def RegisterLearner(ctx, Credentials, Learner):
        result = learners.register_learner(ctx.udc.services, ctx.udc.caller,
                                           mapping.details_in(Learner))
        return result.code.value, result.uln, result.reason

    @rpc(types.Credentials, types.LearnerToUpdate,
         _returns=(Unicode, Integer), _out_variable_names=("ResponseCode", "VersionNumber"))
    def UpdateLearner(ctx, Credentials, Learner):
        result = learners.update_learner(ctx.udc.services, ctx.udc.caller, Learner.ULN,
                                         Learner.VersionNumber, mapping.details_in(Learner))
        return result.code.value, result.version_number

    @rpc(types.Credentials, Unicode, Unicode, Unicode, Date, Unicode,
         _returns=(Unicode, Unicode.customize(max_occurs=8), types.VerifiedLearner),
         _out_variable_names=("ResponseCode", "FailureFlag", "VerifiedLearner"))
    def VerifyLearnerDetails(ctx, Credentials, ULN, GivenName, FamilyName, DateOfBirth, Gender):
        outcome = verification.verify_learner_details(
            ctx.udc.services, ctx.udc.caller,
            mapping.verify_in(ULN, GivenName, FamilyName, DateOfBirth, Gender))
        return outcome.code, list(outcome.flags), mapping.verified_learner_out(outcome)
