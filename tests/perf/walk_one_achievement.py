"""The walk of one achievement record through a native SubmitAchievementBatch: the hops and
the forms it takes between the request bytes and the database, and back out in the job's
report (issue 19's "forms"). In-process, no HTTP; the companion of walk_one_uln.py.

    python tests/perf/walk_one_achievement.py [-v]

Builds a temporary SQLite database with the demo data, then traces three stages with
``sys.setprofile``: the submit call (face -> store), the worker processing the job
(store -> rules -> store) and the GetAchievementBatch call (store -> face). A **form** is
the type of a value, passed into an ``lrs_soap`` module from another (spyne calls the
native operations), that carries the record (its MISIdentifier, a marker no other value
holds, is in it); a **hop** is such a call. The request journal's copies are left out. The
stored JSON is printed as the database holds it. Nothing here runs on import; not a test.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support

MARKER = "WALK-MIS-1"
WRAPPERS = frozenset({"observability"})
NS = _support.NATIVE_NS
CREDENTIALS = ("<v:Credentials><v:UKPRN>10000002</v:UKPRN><v:UserName>demo</v:UserName>"
               "<v:OrgPassword>DemoAwarding2026</v:OrgPassword></v:Credentials>")
RECORD = (f"<v:Achievement><v:MISIdentifier>{MARKER}</v:MISIdentifier>"
          "<v:Action>CREATE</v:Action><v:ULN>1026893096</v:ULN>"
          "<v:GivenName>Sam</v:GivenName><v:FamilyName>Example</v:FamilyName>"
          "<v:DateOfBirth>2000-01-31</v:DateOfBirth><v:Gender>2</v:Gender>"
          "<v:QualificationReference>100/2510/8</v:QualificationReference>"
          "<v:Grade>Merit</v:Grade><v:AwardDate>2024-07-01</v:AwardDate>"
          "<v:ActionDate>2024-07-02</v:ActionDate><v:ProviderUKPRN>10000001</v:ProviderUKPRN>"
          "</v:Achievement>")


def envelope(inner: str) -> bytes:
    return (f'<s:Envelope xmlns:s="{_support.SOAP_NS}" xmlns:v="{NS}"><s:Body>{inner}'
            "</s:Body></s:Envelope>").encode()


SUBMIT = envelope(f"<v:SubmitAchievementBatch>{CREDENTIALS}<v:RecordCount>1</v:RecordCount>"
                  f"{RECORD}</v:SubmitAchievementBatch>")


def report(job_id: str) -> bytes:
    return envelope(f"<v:GetAchievementBatch>{CREDENTIALS}<v:JobID>{job_id}</v:JobID>"
                    "</v:GetAchievementBatch>")


def carries(value: object, depth: int = 0) -> bool:
    """Whether ``value`` holds the record (looked for by its marker, a few levels deep)."""
    if isinstance(value, str):
        return MARKER in value
    if isinstance(value, bytes):
        return MARKER.encode() in value
    if depth > 4:
        return False
    if type(value).__name__ == "_Element":
        return any((node.text or "") == MARKER for node in value.iter())
    if isinstance(value, dict):
        return any(carries(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(carries(v, depth + 1) for v in value[:3])
    slots = getattr(type(value), "__slots__", ())
    fields = slots if slots else getattr(value, "__dict__", {})
    return any(carries(getattr(value, name, None), depth + 1) for name in fields)


def form(value: object) -> str:
    """A value's form: its type, and the type of what it holds when it is a container."""
    if isinstance(value, (list, tuple)) and value:
        return f"{type(value).__name__}[{form(value[0])}]"
    if isinstance(value, dict) and value:
        key = next(iter(value))
        return f"dict[{key!r}...]" if isinstance(key, str) else "dict"
    return type(value).__name__


def trace(run) -> list[tuple[str, str]]:
    """(hop, form) for every call into an lrs_soap module from another module that passes
    the record in (an argument) or out (the return value)."""
    hops: list[tuple[str, str]] = []

    def profile(frame, event, arg):
        back = frame.f_back
        if back is None or event not in ("call", "return"):
            return
        callee, caller = frame.f_globals.get("__name__", "?"), back.f_globals.get("__name__", "?")
        # into lrs_soap from anywhere (spyne calls the native operations); the request
        # journal's copies (observability) are not the record's path
        if callee == caller or not callee.startswith("lrs_soap") or WRAPPERS.intersection(
                (callee.split(".")[1], caller.split(".")[1] if "." in caller else "")):
            return
        name = f"{callee}.{frame.f_code.co_name}"
        if event == "call":
            values = [frame.f_locals[v] for v in frame.f_code.co_varnames[
                :frame.f_code.co_argcount] if v in frame.f_locals]
            held = [v for v in values if carries(v)]
            if held:
                hops.append((f"{caller} -> {name}", "in " + form(held[0])))
        elif carries(arg):
            hops.append((f"{caller} <- {name}", "out " + form(arg)))

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return hops


def main() -> None:
    import sqlalchemy as sa

    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app
    from lrs_soap.service.batches import RunSettings, run_next_job

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/walk.db"
        _support.prepare_database(url)
        app = create_app(Settings(database_url=url, journal="off"))
        services = app.runtime.services
        answers: list[bytes] = []
        try:
            stages = (
                ("submit (request -> database)", lambda: answers.append(
                    _support.call_wsgi(app, SUBMIT)[1])),
                ("process (database -> rules -> database)", lambda: run_next_job(
                    services, RunSettings(worker="walk"))),
                ("report (database -> response)", lambda: answers.append(_support.call_wsgi(
                    app, report(_job_id(answers[0])))[1])),
            )
            forms: set[str] = set()
            for stage, run in stages:
                hops = trace(run)
                print(f"{stage}: {len(hops)} hops carrying the record")
                for hop, shape in _unique(hops) if "-v" not in sys.argv else hops:
                    print(f"    {shape:<40} {hop}")
                forms.update(shape.split(" ", 1)[1] for _, shape in hops)
            engine = sa.create_engine(url)
            with engine.connect() as connection:
                payload, result = connection.execute(sa.text(
                    "SELECT payload, result FROM batch_records")).one()
            engine.dispose()
            print(f"stored record (batch_records.payload): {payload}")
            print(f"stored outcome (batch_records.result): {result}")
            print(f"distinct forms carrying the record: {len(forms)}: "
                  + ", ".join(sorted(forms)))
            assert b"<tns:AchievementsCreated>1<" in answers[-1], answers[-1]
        finally:
            app.runtime.close()


def _job_id(answer: bytes) -> str:
    assert b"JobID>" in answer, answer
    return answer.split(b"JobID>", 1)[1].split(b"<", 1)[0].decode()


def _unique(hops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, kept = set(), []
    for hop in hops:
        if hop not in seen:
            seen.add(hop)
            kept.append(hop)
    return kept


if __name__ == "__main__":
    main()
