"""The portal's Flask app over in-memory fakes, for view tests without a browser or server."""

from __future__ import annotations

import re

from lrs_soap.domain.model import PortalRole, Role
from lrs_soap.portal.app import PortalConfig, create_portal
from lrs_soap.service import accounts, portal_users
from tests.unit.fakes import FakeClock, make_context

PASSWORD = "PortalPassword1"


def portal_app(*, idle_seconds: int = 1800, roles=frozenset({Role.LEARNER_REGISTRATION_BODY})):
    clock = FakeClock()
    ctx, store = make_context(clock=clock)
    accounts.create_organisation(ctx, name="College", ukprn="10000001", reference="COLLEG",
                                 roles=roles)
    accounts.create_user(ctx, "10000001", "boss")
    portal_users.set_portal_account(ctx, "10000001", "boss", PASSWORD, PortalRole.SUPER_USER)
    app = create_portal(ctx, PortalConfig(secret_key="k" * 32, session_idle_seconds=idle_seconds))
    app.config["TESTING"] = True
    return app, ctx, clock


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def sign_in(client, user_name: str = "boss", password: str = PASSWORD):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"organisation": "10000001", "user_name": user_name,
                                         "password": password, "csrf_token": token})
