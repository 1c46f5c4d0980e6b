"""One views module per charter area; each defines a Blueprint named after it.

NAVIGATION: the service navigation's links, each shown to users who may use its capability
(domain.access decides).
"""

from lrs_soap.portal.views import home, identity

VIEW_MODULES = (identity, home)

NAVIGATION: tuple[tuple[str, str, str], ...] = ()
