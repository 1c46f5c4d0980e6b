"""Demo entries and results of the demo awarding organisation (docs/entries-results.md):
Chloé Dupont entered and resulted (the achievement is on her record), Alex O'Brien-Smith
entered and awaiting a result, and one entry rejected with its reason. Loaded once."""

from __future__ import annotations

from lrs_soap.domain.sent_entry import read_entry, read_result
from lrs_soap.service import entries, entry_results
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.entry_ports import EntryFilter

AWARDING_UKPRN = "10000002"
CHLOE = {"uln": "4444599390", "given_name": "Chloé", "family_name": "Dupont",
         "date_of_birth": "2006-11-02", "gender": "2", "provider_ukprn": "10000001"}
ALEX = {"uln": "6936002314", "given_name": "Alex", "family_name": "O'Brien-Smith",
        "date_of_birth": "2004-06-15", "gender": "1", "provider_ukprn": "10000001"}
DEMO_ENTRIES = (
    {**CHLOE, "qualification_reference": "600/1234/5", "entry_date": "2025-01-06",
     "expected_award_date": "2025-08-14", "mis_identifier": "DEMO-0001"},
    {**ALEX, "qualification_reference": "K/501/5773", "entry_date": "2025-09-01",
     "expected_award_date": "2026-06-30", "mis_identifier": "DEMO-0002"},
    {**ALEX, "qualification_reference": "601/0000/X", "entry_date": "2025-09-01",
     "expected_award_date": "2026-06-30", "mis_identifier": "DEMO-0003"},  # not theirs: rejected
)


def load_entries(ctx: ServiceContext) -> None:
    with ctx.uow_factory() as uow:
        awarding = uow.organisations.by_ukprn(AWARDING_UKPRN)
        if awarding is None or uow.entries.page(awarding.id, EntryFilter(), offset=0,
                                                limit=1)[1]:
            return
    caller = Caller(awarding, "demo")
    chloe = entries.submit_entries(ctx, caller, [read_entry(entry) for entry in DEMO_ENTRIES])[0]
    entry_results.submit_results(ctx, caller, [read_result({
        "entry_id": str(chloe.entry_id), "action": "RECORD", "grade": "Distinction",
        "award_date": "2025-08-14"})])
