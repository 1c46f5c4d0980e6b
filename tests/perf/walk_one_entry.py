"""The walk of one entry through a native SubmitEntries: the hops and the forms it takes
between the request bytes and the database (issue 19's "forms"). In-process, no HTTP; the
companion of walk_one_achievement.py, whose tracer it uses.

    python tests/perf/walk_one_entry.py [-v]

A **form** is the type of a value, passed into an ``lrs_soap`` module from another, that
carries the entry (its MISIdentifier, a marker no other value holds, is in it); a **hop**
is such a call. The entry is rejected (the qualification is another organisation's), so
its reasons are stored too, and printed as the database holds them. Not a test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support
import walk_one_achievement as walk

SUBMIT = walk.envelope(
    f"<v:SubmitEntries>{walk.CREDENTIALS}<v:Entry><v:MISIdentifier>{walk.MARKER}"
    "</v:MISIdentifier><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
    "<v:FamilyName>Example</v:FamilyName><v:DateOfBirth>2000-01-31</v:DateOfBirth>"
    "<v:Gender>2</v:Gender><v:QualificationReference>601/0000/x</v:QualificationReference>"
    "<v:EntryDate>2025-01-06</v:EntryDate><v:ExpectedAwardDate>2025-08-14"
    "</v:ExpectedAwardDate></v:Entry></v:SubmitEntries>")


def main() -> None:
    import sqlalchemy as sa

    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/walk.db"
        _support.prepare_database(url)
        app = create_app(Settings(database_url=url, journal="off"))
        answers: list[bytes] = []
        try:
            hops = walk.trace(lambda: answers.append(_support.call_wsgi(app, SUBMIT)[1]))
            print(f"submit (request -> database): {len(hops)} hops carrying the entry")
            for hop, shape in walk._unique(hops) if "-v" not in sys.argv else hops:
                print(f"    {shape:<40} {hop}")
            forms = {shape.split(" ", 1)[1] for _, shape in hops}
            engine = sa.create_engine(url)
            with engine.connect() as connection:
                status, reasons = connection.execute(sa.text(
                    "SELECT status, reasons FROM entries WHERE mis_identifier = :marker"),
                    {"marker": walk.MARKER}).one()
            engine.dispose()
            print(f"stored entry: {status}, reasons {reasons}")
            print(f"distinct forms carrying the entry: {len(forms)}: "
                  + ", ".join(sorted(forms)))
            assert b"REJECTED" in answers[-1], answers[-1]
        finally:
            app.runtime.close()


if __name__ == "__main__":
    main()
