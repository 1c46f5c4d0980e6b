"""Native face: one achievement at a time (SubmitAchievement).

The Achievement element is read from the validated tree exactly as a batch record is
(achievement_mapping.achievements), so the single path and the batch see the same record.
"""

from spyne import AnyXml, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain.batches import reworded
from lrs_soap.domain.errors import LrsError
from lrs_soap.record_elements import element_label
from lrs_soap.service import single_achievements
from lrs_soap.soap.native import types
from lrs_soap.soap.native.achievement_mapping import achievements
from lrs_soap.soap.native.plr_mapping import EVENT_ELEMENTS, event_out

_ELEMENT_OF = {attribute: element for element, attribute in EVENT_ELEMENTS}


def _returns(*pairs):
    names, kinds = zip(*pairs, strict=True)
    return {"_returns": kinds, "_out_variable_names": names}


def answer_out(answer: single_achievements.AchievementAnswer) -> tuple:
    outcome = answer.outcome
    detail = outcome.detail if outcome is not None else {}
    errors = [types.RecordError(RecordNumber=error.record, Field=element_label(error.field),
                                Rule=error.rule)
              for error in (outcome.errors if outcome is not None else ())]
    return (str(answer.code), outcome and str(outcome.code), answer.error_kind,
            detail.get("uln"), detail.get("event_id"),
            [_ELEMENT_OF.get(name, name) for name in detail.get("changed", ())], errors,
            event_out(answer.event) if answer.event is not None else None)


class AchievementService(ServiceBase):
    @rpc(types.Credentials, Unicode, AnyXml, **_returns(
        ("ResponseCode", Unicode), ("Outcome", Unicode), ("ErrorType", Unicode),
        ("ULN", Unicode), ("EventID", Integer), ("Changed", Unicode(max_occurs="unbounded")),
        ("Error", types.RecordError.customize(max_occurs="unbounded")),
        ("LearningEvent", types.LearningEvent)))
    def SubmitAchievement(ctx, Credentials, SubmissionType, Achievement):
        [record] = achievements(ctx.in_body_doc)
        try:
            answer = single_achievements.manage_achievement(
                ctx.udc.services, ctx.udc.caller, record, SubmissionType)
        except LrsError as error:  # a refused record: its fields in this face's names
            raise reworded(error, element_label) from None
        return answer_out(answer)
