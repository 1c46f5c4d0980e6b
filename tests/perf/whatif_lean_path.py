"""What if: the recommendations of docs/performance.md, tried in-process, one after another.

    python tests/perf/whatif_lean_path.py [--calls 2000] [--profile]
    python tests/perf/bench_http.py --whatif    # the same patches, over HTTP


An experiment, not the implementation: each step monkeypatches spyne or lrs_soap in this
process only (nothing on disk changes), checks that the FindByULN answer is still the same
(response code and every learner field) and prints the CPU µs per call (this process's CPU
time, the steadier figure on a shared machine; median of 5 runs), cumulative, with its share
of the baseline. It reaches into internals (spyne 2.14.0, lrs_soap as of the first bench run):
when it breaks, the real changes have landed or the code has moved; delete it then.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support  # noqa: E402  (puts the repository root on sys.path)

NS, SOAP = _support.NATIVE_NS, _support.SOAP_NS
BODY = _support.FIND_BY_ULN


def cpu_us_per_call(app, calls: int, expected: dict) -> float:
    for _ in range(200):  # warm-up (and the password cache)
        _support.call_wsgi(app, BODY)
    answer = _support.summarise(_support.call_wsgi(app, BODY)[1])
    if answer != expected:
        raise SystemExit(f"the answer changed: {answer}")
    runs = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(calls):
            _support.call_wsgi(app, BODY)
        runs.append((time.process_time() - started) / calls * 1e6)
    return statistics.median(runs)


# ----- step 1: spyne's get_cls_attrs without its eager debug line -----

def patch_get_cls_attrs() -> None:
    """spyne.protocol._base.ProtocolMixin.get_cls_attrs starts with
    ``logger.debug("%r attrcache size: %d", self, len(self._attrcache))``: the arguments
    (len() of a WeakKeyDictionary) are computed even with DEBUG off, ~100 times a request."""
    from spyne.protocol._base import META_ATTR, DefaultAttrDict, ProtocolMixin

    def get_cls_attrs(self, cls):
        attr = self._attrcache.get(cls, None)
        if attr is not None:
            return attr
        self._attrcache[cls] = attr = DefaultAttrDict([
            (k, getattr(cls.Attributes, k))
            for k in dir(cls.Attributes) + META_ATTR if not k.startswith("__")])
        if cls.Attributes.prot_attrs:
            attr.update(cls.Attributes.prot_attrs.get(self.__class__, {}))
            attr.update(cls.Attributes.prot_attrs.get(self, {}))
        return attr

    ProtocolMixin.get_cls_attrs = get_cls_attrs


# ----- step 2: no full collection from spyne every second -----

def patch_gc() -> None:
    """spyne.context.MethodContext.close() runs gc.collect() when a second has passed since
    the last one: a full collection of the whole heap (~40 ms here) once a second per worker."""
    import spyne.const

    spyne.const.MIN_GC_INTERVAL = float("inf")
    gc.freeze()  # start-up objects out of the collector's way (after create_app, per worker)


# ----- step 3: the response built with lxml from the domain outcome -----

class LeanBody(tuple):
    """An operation's result that is already the response body element."""


def response_element(outcome):
    from lxml import etree

    from lrs_soap.soap.native.mapping import DETAIL_FIELDS

    add = etree.SubElement
    root = etree.Element(f"{{{NS}}}FindByULNResponse")
    add(root, f"{{{NS}}}ResponseCode").text = outcome.code.value
    learner = outcome.learner
    if learner is not None:
        element = add(root, f"{{{NS}}}Learner")
        for name, attribute in DETAIL_FIELDS:
            value = getattr(learner.details, attribute)
            if value is None or value == "":
                continue
            text = value.isoformat() if hasattr(value, "isoformat") else str(value)
            add(element, f"{{{NS}}}{name}").text = text
        substituted = "true" if outcome.master_substituted else "false"
        for name, text in (("ULN", learner.uln), ("VersionNumber", str(learner.version_number)),
                           ("LearnerStatus", learner.status.value),
                           ("TierLevel", learner.tier_level),
                           ("MasterSubstituted", substituted),
                           ("CreatedDate", learner.created_at.date().isoformat()),
                           ("LastUpdatedDate", learner.updated_at.date().isoformat())):
            add(element, f"{{{NS}}}{name}").text = text
        linked = add(element, f"{{{NS}}}LinkedULNs")
        for uln in learner.linked_ulns:
            add(linked, f"{{{NS}}}ULN").text = uln
    return root


def patch_lean_response(native_app, descriptor) -> None:
    from lxml import etree

    from lrs_soap.service import learners

    def find_by_uln(ctx, Credentials, FindType, ULN, GivenName, FamilyName):  # noqa: N803
        query = learners.FindByUlnQuery(uln=ULN, given_name=GivenName, family_name=FamilyName,
                                        check_only=FindType == "CHK")
        outcome = learners.find_learner_by_uln(ctx.udc.services, ctx.udc.caller, query)
        return LeanBody((response_element(outcome),))

    out = native_app.out_protocol
    spyne_serialize = out.serialize

    def serialize(ctx, message):
        if ctx.out_error is None and isinstance(ctx.out_object, LeanBody):
            envelope = etree.Element(f"{{{SOAP}}}Envelope",
                                     nsmap={"soap11env": SOAP, "tns": NS})
            ctx.out_body_doc = etree.SubElement(envelope, f"{{{SOAP}}}Body")
            ctx.out_body_doc.append(ctx.out_object[0])
            ctx.out_document = envelope
            return None
        return spyne_serialize(ctx, message)  # faults and every other operation

    descriptor.function = find_by_uln
    out.serialize = serialize


# ----- step 4: the request's arguments read with lxml from the validated body -----

class Arguments(list):
    Credentials = None


def patch_lean_request(native_app, descriptor) -> None:
    from lxml import etree

    protocol = native_app.in_protocol
    spyne_deserialize = protocol.deserialize

    def deserialize(ctx, message):
        if message is protocol.REQUEST and ctx.descriptor is descriptor:
            # validate_body has passed: exactly these five children, in this order
            credentials_element, find_type, uln, given, family = ctx.in_body_doc
            credentials = SimpleNamespace(UKPRN=None, OrganisationRef=None, UserName=None,
                                          OrgPassword=None)
            for child in credentials_element:
                setattr(credentials, etree.QName(child).localname, child.text)
            arguments = Arguments([credentials, find_type.text, uln.text, given.text,
                                   family.text])
            arguments.Credentials = credentials
            ctx.in_object = arguments
            return None
        return spyne_deserialize(ctx, message)

    protocol.deserialize = deserialize


# ----- step 5: prebuilt Core statements instead of ORM entity queries -----

def patch_core_queries() -> None:
    from sqlalchemy import bindparam, select

    from lrs_soap.store import repositories
    from lrs_soap.store.orm import LearnerLinkRow, LearnerRow, OrganisationRow, UserRow

    org, user = OrganisationRow.__table__, UserRow.__table__
    learner, link = LearnerRow.__table__, LearnerLinkRow.__table__
    org_by_ukprn = select(org).where(org.c.ukprn == bindparam("ukprn"))
    user_by_name = select(user).where(user.c.organisation_id == bindparam("org"),
                                      user.c.user_name == bindparam("name"))
    learner_by_uln = select(learner).where(learner.c.uln == bindparam("uln"))
    linked_ulns = (select(link.c.merged_uln).distinct()
                   .where(link.c.master_uln == bindparam("uln"), link.c.unmerged_at.is_(None))
                   .order_by(link.c.merged_uln))

    def by_ukprn(self, ukprn):
        row = self._session.connection().execute(org_by_ukprn, {"ukprn": ukprn}).one_or_none()
        return None if row is None else repositories._organisation(row)

    def get(self, organisation_id, user_name):
        row = self._session.connection().execute(
            user_by_name, {"org": organisation_id, "name": user_name}).one_or_none()
        return None if row is None else repositories._user(row)

    def by_uln(self, uln):
        connection = self._session.connection()
        row = connection.execute(learner_by_uln, {"uln": uln}).one_or_none()
        if row is None:
            return None
        return self._learner(row, tuple(connection.execute(linked_ulns, {"uln": uln}).scalars()))

    repositories.SqlOrganisationRepository.by_ukprn = by_ukprn
    repositories.SqlUserRepository.get = get
    repositories.SqlLearnerRepository.by_uln = by_uln


# ----- step 6: one session for the whole request -----

def patch_one_session(gateway, native_app) -> None:
    services = gateway.runtime.services
    make_uow = services.uow_factory

    class SharedUnitOfWork:
        """Nested ``with`` blocks in one request reuse the session the outermost opened."""

        def __init__(self):
            self.inner, self.depth = make_uow(), 0

        def __call__(self):
            return self

        def __enter__(self):
            if self.depth == 0:
                self.inner.__enter__()
            self.depth += 1
            return self.inner

        def __exit__(self, *exc):
            self.depth -= 1
            if self.depth == 0:
                self.inner.__exit__(*exc)

    shared = SharedUnitOfWork()
    object.__setattr__(services, "uow_factory", shared)  # a frozen dataclass
    application_class = type(native_app)
    call_wrapper = application_class.call_wrapper

    def one_session_call_wrapper(self, ctx):
        with shared:
            return call_wrapper(self, ctx)

    application_class.call_wrapper = one_session_call_wrapper


ALL_STEPS = "1,2,3,4,5,6"


def wsgi_app(steps: str = ALL_STEPS):
    """gunicorn entry point (``tests.perf.whatif_lean_path:wsgi_app('2,3')``): the gateway on
    LRS_DATABASE_URL with the numbered steps applied (all by default), built in each worker."""
    import os

    chosen = {step.strip() for step in steps.split(",")}

    warnings.simplefilter("ignore")
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app

    gateway = create_app(Settings(database_url=os.environ["LRS_DATABASE_URL"]))
    native_app = gateway.native.app
    descriptor = native_app.interface.service_method_map[f"{{{NS}}}FindByULN"][0]
    if "1" in chosen:
        patch_get_cls_attrs()
    if "3" in chosen:
        patch_lean_response(native_app, descriptor)
    if "4" in chosen:
        patch_lean_request(native_app, descriptor)
    if "5" in chosen:
        patch_core_queries()
    if "6" in chosen:
        patch_one_session(gateway, native_app)
    if "2" in chosen:
        patch_gc()  # last: freeze what start-up built
    return gateway


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per timing run (2000)")
    parser.add_argument("--profile", action="store_true",
                        help="end with a cProfile of the fully patched gateway")
    args = parser.parse_args()
    warnings.simplefilter("ignore")

    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app
    from tests.perf.ceiling_app import CeilingApp

    with tempfile.TemporaryDirectory(prefix="lrs-whatif-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'whatif.db'}"
        _support.prepare_database(url)
        gateway = create_app(Settings(database_url=url))
        ceiling = CeilingApp(url)
        native_app = gateway.native.app
        descriptor = native_app.interface.service_method_map[f"{{{NS}}}FindByULN"][0]
        expected = _support.summarise(_support.call_wsgi(gateway, BODY)[1])

        steps = [
            ("0 the gateway as it is", None),
            ("1 + spyne get_cls_attrs without its eager logger.debug", patch_get_cls_attrs),
            ("2 + no spyne gc.collect() each second; gc.freeze() after start-up", patch_gc),
            ("3 + response built with lxml from the domain outcome",
             lambda: patch_lean_response(native_app, descriptor)),
            ("4 + request arguments read with lxml from the validated body",
             lambda: patch_lean_request(native_app, descriptor)),
            ("5 + prebuilt Core statements, no ORM entities (still 4 queries)",
             patch_core_queries),
            ("6 + one session per request instead of two",
             lambda: patch_one_session(gateway, native_app)),
        ]
        print(f"FindByULN in-process, CPU µs per call (median of 5 x {args.calls} calls), "
              "steps cumulative")
        baseline = None
        for label, patch in steps:
            if patch is not None:
                patch()
            figure = cpu_us_per_call(gateway, args.calls, expected)
            baseline = baseline or figure
            print(f"  {label:<70} {figure:7.1f} µs {figure / baseline * 100:5.1f} %",
                  flush=True)
        figure = cpu_us_per_call(ceiling, args.calls, expected)
        print(f"  {'ceiling (tests/perf/ceiling_app.py), for reference':<70} {figure:7.1f} µs "
              f"{figure / baseline * 100:5.1f} %")

        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.calls):
                _support.call_wsgi(gateway, BODY)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)

        gateway.close()
        ceiling.state().db.connection.close()
        ceiling.state().db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
