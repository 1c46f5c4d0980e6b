"""Native face: the Personal Learning Record, data challenges and the ULN report.

Each operation maps the request in, calls one service function and maps the result out;
authentication and faults are handled once, in the intake (lrs_soap.soap.intake).
"""

from spyne import Date, Integer, ServiceBase, Unicode, rpc

from lrs_soap.service import challenges, learner_admin, plr
from lrs_soap.soap.native import plr_mapping as out
from lrs_soap.soap.native import types
from lrs_soap.soap.native.types import PAGING

_IDENTITY = (types.Credentials, Unicode, Unicode, Unicode, Date, Unicode)  # + the learner


def _returns(*pairs):
    names, kinds = zip(*pairs, strict=True)
    return {"_returns": kinds, "_out_variable_names": names}


_RECORD_HEAD = (("ResponseCode", Unicode), ("FoundULN", Unicode), ("IncomingULN", Unicode))


class PlrService(ServiceBase):
    @rpc(*_IDENTITY, Unicode, **_returns(*_RECORD_HEAD, ("LearnerRecord", types.LearnerRecord)))
    def GetLearnerRecord(ctx, Credentials, ULN, GivenName, FamilyName, DateOfBirth, Gender,
                         GetType):
        record = plr.get_learner_record(
            ctx.udc.services, ctx.udc.caller,
            out.record_query(ULN, GivenName, FamilyName, DateOfBirth, Gender), GetType)
        return (record.code, record.found_uln, record.incoming_uln,
                out.record_out(record.events, record.fields))

    @rpc(*_IDENTITY, Integer, Integer, **_returns(
        *_RECORD_HEAD, *PAGING, ("Entry", types.AccessEntry.customize(max_occurs=100))))
    def GetLearnerRecordAudit(ctx, Credentials, ULN, GivenName, FamilyName, DateOfBirth,
                              Gender, Page, PageSize):
        audit = plr.get_learner_record_audit(
            ctx.udc.services, ctx.udc.caller,
            out.record_query(ULN, GivenName, FamilyName, DateOfBirth, Gender),
            out.page_in(Page, PageSize))
        paging = out.paging_out(audit.page, audit.total) if audit.granted else [None] * 4
        return (audit.code, audit.found_uln, audit.incoming_uln, *paging,
                [out.access_entry_out(entry) for entry in audit.entries])

    @rpc(*_IDENTITY, Integer, Unicode, **_returns(
        *_RECORD_HEAD, ("Outcome", Unicode), ("Reason", Unicode),
        ("Challenge", types.EventChallenge)))
    def RaiseEventChallenge(ctx, Credentials, ULN, GivenName, FamilyName, DateOfBirth, Gender,
                            EventID, Reason):
        result = challenges.raise_event_challenge(
            ctx.udc.services, ctx.udc.caller,
            out.record_query(ULN, GivenName, FamilyName, DateOfBirth, Gender), EventID, Reason)
        return (result.code, result.found_uln, result.incoming_uln,
                result.outcome and result.outcome.value, result.reason,
                out.event_challenge_out(result.challenge))

    @rpc(types.Credentials, Unicode, Unicode, Integer, Integer, **_returns(
        ("ResponseCode", Unicode), *PAGING,
        ("Challenge", types.EventChallenge.customize(max_occurs=100))))
    def ListEventChallenges(ctx, Credentials, Scope, Status, Page, PageSize):
        listing = challenges.list_event_challenges(
            ctx.udc.services, ctx.udc.caller, Scope, out.status_in(Status),
            out.page_in(Page, PageSize))
        return (listing.code.value, *out.paging_out(listing.page, listing.total),
                [out.event_challenge_out(view) for view in listing.challenges
                 if view.event is not None])

    @rpc(types.Credentials, Integer, Unicode, Unicode, types.EventCorrection, **_returns(
        ("ResponseCode", Unicode), ("Outcome", Unicode), ("Challenge", types.EventChallenge)))
    def ResolveEventChallenge(ctx, Credentials, ChallengeID, Decision, Reason, Correction):
        result = challenges.resolve_event_challenge(
            ctx.udc.services, ctx.udc.caller, ChallengeID, Decision, reason=Reason,
            correction=out.correction_in(Correction))
        return (result.code.value, result.outcome and result.outcome.value,
                out.event_challenge_out(result.challenge))

    @rpc(types.Credentials, Unicode, Unicode, Unicode, **_returns(
        ("ResponseCode", Unicode), ("Outcome", Unicode), ("Challenge", types.ULNChallenge)))
    def RaiseULNChallenge(ctx, Credentials, ULN, ChallengeType, Reason):
        result = challenges.raise_uln_challenge(ctx.udc.services, ctx.udc.caller, ULN,
                                                ChallengeType, Reason)
        return (result.code.value, result.outcome.value,
                out.uln_challenge_out(result.challenge))

    @rpc(types.Credentials, Unicode, Integer, Integer, **_returns(
        ("ResponseCode", Unicode), *PAGING,
        ("Challenge", types.ULNChallenge.customize(max_occurs=100))))
    def ListULNChallenges(ctx, Credentials, Status, Page, PageSize):
        listing = challenges.list_uln_challenges(ctx.udc.services, ctx.udc.caller,
                                                 out.status_in(Status),
                                                 out.page_in(Page, PageSize))
        return (listing.code.value, *out.paging_out(listing.page, listing.total),
                [out.uln_challenge_out(challenge) for challenge in listing.challenges])

    @rpc(types.Credentials, Date, Date, **_returns(
        ("ResponseCode", Unicode),
        ("MergedLearner", types.MergedLearner.customize(max_occurs="unbounded")),
        ("UnmergedLearner", types.UnmergedLearner.customize(max_occurs="unbounded")),
        ("DeletedLearner", types.DeletedLearner.customize(max_occurs="unbounded"))))
    def GetULNReport(ctx, Credentials, FromDate, ToDate):
        report = learner_admin.uln_report(ctx.udc.services, ctx.udc.caller, FromDate, ToDate)
        return (report.code.value, [out.merged_out(link) for link in report.merged],
                [out.unmerged_out(link) for link in report.unmerged],
                [out.deleted_out(entry) for entry in report.deleted])
