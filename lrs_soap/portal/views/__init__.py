"""One views module per charter area; each defines a Blueprint named after it.

NAVIGATION: the service navigation's links, each shown to users who may use its capability
(domain.access decides).
"""

from lrs_soap.portal.views import home, identity, learners

VIEW_MODULES = (identity, home, learners)

NAVIGATION: tuple[tuple[str, str, str], ...] = (
    ("learners.find_by_uln", "find_learner", "Find by ULN"),
    ("learners.find_by_demographics", "find_learner", "Find by details"),
    ("learners.register", "register_learner", "Register"),
)
