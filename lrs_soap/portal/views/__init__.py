"""One views module per charter area; each defines a Blueprint named after it.

NAVIGATION: the service navigation's links, each shown to users who may use its capability
(domain.access decides).
"""

from lrs_soap.portal.views import (
    accounts,
    achievements,
    batches,
    challenges,
    entries,
    exceptions,
    home,
    identity,
    jobs,
    learners,
    plans,
    plr,
    verification,
)

VIEW_MODULES = (identity, home, learners, verification, plr, challenges, batches, jobs,
                achievements, entries, plans, exceptions, accounts)

NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("learners.find_by_uln", "find_learner", "Find by ULN"),
    ("learners.find_by_demographics", "find_learner", "Find by details"),
    ("learners.register", "register_learner", "Register"),
    ("verification.verify", "verify_learner", "Verify"),
    ("plr.view", "read_learner_record", "Learning records"),
    ("challenges.index", "list_event_challenges", "Challenges"),
    ("achievements.find_learner", achievements.CAPABILITY, "Achievements"),
    ("entries.review", entries.CAPABILITY, "Entries and results"),
    ("plans.index", plans.CAPABILITY, "Learner plans"),
    ("batches.upload", "portal_home", "Upload a batch"),
    ("jobs.index", "portal_home", "Batch jobs"),
    ("exceptions.index", exceptions.CAPABILITY, "Batch exceptions"),
    ("accounts.index", "manage_users", "Users"),
)
