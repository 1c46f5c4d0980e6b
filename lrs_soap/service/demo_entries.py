"""Demo entries and results of the demo awarding organisation (docs/entries-results.md):
Chloé Dupont entered and resulted (the achievement is on her record), Alex O'Brien-Smith
entered and awaiting a result, and one entry rejected with its reason. Loaded once."""

from __future__ import annotations

from lrs_soap.service import entries
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.entry_ports import EntryFilter

AWARDING_UKPRN = "10000002"
CHLOE = {"ULN": "4444599390", "GivenName": "Chloé", "FamilyName": "Dupont",
         "DateOfBirth": "2006-11-02", "Gender": "2", "ProviderUKPRN": "10000001"}
ALEX = {"ULN": "6936002314", "GivenName": "Alex", "FamilyName": "O'Brien-Smith",
        "DateOfBirth": "2004-06-15", "Gender": "1", "ProviderUKPRN": "10000001"}
DEMO_ENTRIES = (
    {**CHLOE, "QualificationReference": "600/1234/5", "EntryDate": "2025-01-06",
     "ExpectedAwardDate": "2025-08-14", "MISIdentifier": "DEMO-0001"},
    {**ALEX, "QualificationReference": "K/501/5773", "EntryDate": "2025-09-01",
     "ExpectedAwardDate": "2026-06-30", "MISIdentifier": "DEMO-0002"},
    {**ALEX, "QualificationReference": "601/0000/X", "EntryDate": "2025-09-01",
     "ExpectedAwardDate": "2026-06-30", "MISIdentifier": "DEMO-0003"},  # not theirs: rejected
)


def load_entries(ctx: ServiceContext) -> None:
    with ctx.uow_factory() as uow:
        awarding = uow.organisations.by_ukprn(AWARDING_UKPRN)
        if awarding is None or uow.entries.page(awarding.id, EntryFilter(), offset=0,
                                                limit=1)[1]:
            return
    caller = Caller(awarding, "demo")
    chloe = entries.submit_entries(ctx, caller, [dict(entry) for entry in DEMO_ENTRIES])[0]
    entries.submit_results(ctx, caller, [{"EntryID": str(chloe.entry_id), "Action": "RECORD",
                                          "Grade": "Distinction", "AwardDate": "2025-08-14"}])
