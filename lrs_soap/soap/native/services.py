"""Native face operations: map the request in, call one service function, map the result out.

Authentication and fault translation happen once, in lrs_soap.soap.native.app, for every
operation listed in CAPABILITIES.
"""

from spyne import ServiceBase, Unicode, rpc

from lrs_soap.service import learners
from lrs_soap.soap.native import mapping, types

# operation -> capability it needs (lrs_soap.domain.access)
CAPABILITIES = {
    "FindByULN": "find_learner",
}


class NativeService(ServiceBase):
    @rpc(types.Credentials, Unicode, Unicode, Unicode, Unicode,
         _returns=(Unicode, types.Learner), _out_variable_names=("ResponseCode", "Learner"))
    def FindByULN(ctx, Credentials, FindType, ULN, GivenName, FamilyName):  # noqa: N802, N803
        query = learners.FindByUlnQuery(uln=ULN, given_name=GivenName, family_name=FamilyName,
                                        check_only=FindType == "CHK")
        outcome = learners.find_learner_by_uln(ctx.udc.services, ctx.udc.caller, query)
        learner = (mapping.learner_out(outcome.learner,
                                       master_substituted=outcome.master_substituted)
                   if outcome.learner else None)
        return outcome.code.value, learner
