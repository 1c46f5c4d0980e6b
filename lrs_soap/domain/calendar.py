"""The LRS is a UK service: "today" and "in the future" are judged on the UK calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_date(moment: dt.datetime) -> dt.date:
    """The date in the UK at ``moment`` (aware): 00:30 BST on 1 June is 1 June, not 31 May."""
    return moment.astimezone(UK).date()
