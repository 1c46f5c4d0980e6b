"""Which organisation roles may call which operation (lrs-rules.md section 9).

One table for every face: the native and mirror operations name the same capability here.
"""

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
