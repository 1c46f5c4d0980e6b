"""Which organisation roles may call which operation (lrs-rules.md section 9).

The one table for every face: each SOAP operation (OPERATIONS) and each portal page names a
capability, and ALLOWED_ROLES says which organisation roles hold it. A new operation is a
row in OPERATIONS; a new role rule is a change to ALLOWED_ROLES (docs/architecture.md).
"""

from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.model import PortalRole, Role

LRB = frozenset({Role.LEARNER_REGISTRATION_BODY})
AO = frozenset({Role.AWARDING_ORGANISATION})
EITHER = LRB | AO

# capability -> roles allowed to use it
ALLOWED_ROLES: dict[str, frozenset[Role]] = {
    "find_learner": LRB,
    "register_learner": LRB,
    "update_learner": LRB,
    "verify_learner": EITHER,
    "learner_batch": LRB,
    "verify_batch": EITHER,
    "achievement_batch": AO,
    # Anyone may knock: a non-awarding organisation is answered WSRC0043, not WSEC0006.
    "submit_achievements": EITHER,
    # R9 GetOrganisation: any registered organisation may look itself (or another) up.
    "organisation_info": EITHER,
    "read_learner_record": LRB,
    # Personal Learning Record: challenges and the ULN report (docs/plr.md)
    "raise_event_challenge": LRB,
    "list_event_challenges": EITHER,  # RAISED needs LRB, OWNED needs AO: service.challenges
    "resolve_event_challenge": AO,
    "uln_challenge": EITHER,
    "uln_report": EITHER,
    # Entries and results (docs/entries-results.md)
    "entries_results": AO,
    # ULN Learner Plans: organisations with the OLASS role only (docs/learner-plans.md)
    "learner_plans": frozenset({Role.OLASS}),
    # ListJobs: the caller's own organisation's batch jobs, of any kind it may submit
    "list_jobs": EITHER,
}


# face -> WSDL operation -> the capability it needs. The SOAP intake authenticates every call
# against this before the operation runs (lrs_soap.soap.intake); a face serves no operation
# missing here.
NATIVE = "native"
LEARNER_SERVICE = "LearnerService"
LEARNER_SERVICE_R9 = "LearnerServiceR9"
EXTERNAL_SERVICE = "ExternalService"

_ENTRIES = ("SubmitEntries", "SubmitResults", "WithdrawResult", "CancelEntry", "ListEntries",
            "ExportEntries")
_PLANS = ("SaveLearnerPlan", "GetLearnerPlans", "ListLearnerPlans", "ShareLearnerPlan")

OPERATIONS: dict[str, dict[str, str]] = {
    NATIVE: {
        "FindByULN": "find_learner",
        "FindByDemographics": "find_learner",
        "RegisterLearner": "register_learner",
        "UpdateLearner": "update_learner",
        "VerifyLearnerDetails": "verify_learner",
        "SubmitLearnerBatch": "learner_batch",
        "GetLearnerBatch": "learner_batch",
        "SubmitVerifyBatch": "verify_batch",
        "GetVerifyBatch": "verify_batch",
        "SubmitAchievementBatch": "submit_achievements",
        "GetAchievementBatch": "submit_achievements",
        "SubmitAchievement": "submit_achievements",
        "ListBatchExceptions": "learner_batch",
        "ResolveBatchException": "learner_batch",
        "GetLearnerRecord": "read_learner_record",
        "GetLearnerRecordAudit": "read_learner_record",
        "RaiseEventChallenge": "raise_event_challenge",
        "ListEventChallenges": "list_event_challenges",
        "ResolveEventChallenge": "resolve_event_challenge",
        "RaiseULNChallenge": "uln_challenge",
        "ListULNChallenges": "uln_challenge",
        "GetULNReport": "uln_report",
        **dict.fromkeys(_ENTRIES, "entries_results"),
        **dict.fromkeys(_PLANS, "learner_plans"),
        "ListJobs": "list_jobs",
    },
    LEARNER_SERVICE: {
        "learnerByULN": "find_learner",
        "learnerByDemographics": "find_learner",
        "registerSingleLearner": "register_learner",
        "updateSingleLearner": "update_learner",
        "submitBatchRegistration": "learner_batch",
        "getBatchRegistrationOutput": "learner_batch",
        "submitVerifyBatch": "verify_batch",
        "getVerifyBatchOutput": "verify_batch",
        "retrieveULNs": "find_learner",
        "verifyLearner": "verify_learner",
    },
    LEARNER_SERVICE_R9: {
        "LearnerByUln": "find_learner",
        "GetLearnerLearningEvents": "read_learner_record",
        "UpdateLearnerSubsetFields": "update_learner",
        "ViewAudit": "read_learner_record",
        "GetOrganisation": "organisation_info",
    },
    EXTERNAL_SERVICE: {
        "SubmitAchievementBatchJob": "submit_achievements",
        "GetAchievementBatchJob": "submit_achievements",
    },
}

# The capability a batch job of each kind stands for (the portal's job pages).
JOB_CAPABILITIES: dict[JobKind, str] = {
    JobKind.LEARNER_REGISTRATION: "learner_batch",
    JobKind.VERIFICATION: "verify_batch",
    JobKind.ACHIEVEMENT: "achievement_batch",
}


def roles_problem(roles: frozenset[Role]) -> str | None:
    """Roles an organisation cannot hold together, or None: OLASS (offender learning) is a
    role of learner registration bodies (service charter: ULN Learner Plan, LRB)."""
    if Role.OLASS in roles and Role.LEARNER_REGISTRATION_BODY not in roles:
        return "the OLASS role is for learner registration bodies: add the LRB role"
    return None


def may_use(roles: frozenset[Role], capability: str) -> bool:
    return bool(roles & ALLOWED_ROLES[capability])


# The Organisation Portal (docs/decisions.md, "Portal users"). A page performs one of the
# capabilities above and is allowed exactly when the SOAP operation would be: the
# organisation's roles decide. Beyond them, the portal's own capabilities:
PORTAL_ONLY: dict[str, frozenset[PortalRole]] = {
    # the home page, the jobs list: any signed-in user of an active organisation
    "portal_home": frozenset(PortalRole),
    # charter "Account Management": register, update, reset, revoke and restore users
    "manage_users": frozenset({PortalRole.SUPER_USER}),
}


def may_use_portal(roles: frozenset[Role], portal_role: PortalRole, capability: str) -> bool:
    if capability in PORTAL_ONLY:
        return portal_role in PORTAL_ONLY[capability]
    return may_use(roles, capability)
