"""ports.PortalSessions on SQLAlchemy: the portal's live sessions, by token hash."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lrs_soap.store.orm import PortalSessionRow


class SqlPortalSessions:
    def __init__(self, session: Session):
        self._session = session

    def start(self, token_hash: str, user_id: int, now: dt.datetime) -> None:
        self._session.add(PortalSessionRow(token_hash=token_hash, user_id=user_id,
                                           started_at=now))
        self._session.flush()

    def is_live(self, token_hash: str, user_id: int) -> bool:
        return self._session.scalar(select(PortalSessionRow.token_hash).where(
            PortalSessionRow.token_hash == token_hash, PortalSessionRow.user_id == user_id,
            PortalSessionRow.ended_at.is_(None))) is not None

    def end(self, token_hash: str, now: dt.datetime) -> None:
        self._session.execute(update(PortalSessionRow).where(
            PortalSessionRow.token_hash == token_hash, PortalSessionRow.ended_at.is_(None))
            .values(ended_at=now))

    def forget(self, started_before: dt.datetime) -> int:
        result = self._session.execute(delete(PortalSessionRow).where(
            PortalSessionRow.started_at < started_before))
        return result.rowcount or 0
