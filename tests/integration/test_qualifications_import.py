"""Importing the qualification register from CSV into a real database."""

import datetime as dt

import pytest

from lrs_soap.domain.model import Role
from lrs_soap.service import demo
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.qualifications import (
    DEMO_QUALIFICATIONS,
    RegisterImportError,
    import_register,
    load_demo_qualifications,
)
from tests.unit.fakes import PlainPasswords

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
HEADER = "reference,title,type,level,owner_ukprn,shared,credits,unit,status\n"


@pytest.fixture
def ctx(uow_factory):
    context = ServiceContext(uow_factory=uow_factory, clock=lambda: NOW,
                             passwords=PlainPasswords())
    with uow_factory() as uow:
        for ukprn in ("10000002", "10000003"):
            uow.organisations.add(name=f"AO {ukprn}", ukprn=ukprn, reference=None,
                                  roles=frozenset({Role.AWARDING_ORGANISATION}))
        uow.commit()
    return context


def _register(ctx, *references):
    with ctx.uow_factory() as uow:
        ids = {o.ukprn: o.id for o in uow.organisations.list_all()}
        return ids, {r: uow.qualifications.by_reference(r) for r in references}


def test_import_a_csv_then_update_it(ctx, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("\ufeff" + HEADER  # Excel's byte order mark is tolerated
                    + "100/2510/8,Certificate in Horticulture,Certificate,Level 2,10000002,"
                      "no,13,no,Available\n"
                    + 'k/501/5773,"Planting, establishing",QCF Unit,Level 2,10000002,'
                      "Yes,3,TRUE,Available\n"
                    + "Y/600/4321,Health and safety,,,,1,,,\n", encoding="utf-8")
    report = import_register(ctx, path)
    assert (report.created, report.updated) == (3, 0)
    ids, found = _register(ctx, "100/2510/8", "K/501/5773", "Y/600/4321", "X/000/0000")
    owned, unit, shared, missing = found.values()
    assert (owned.title, owned.qualification_type, owned.level, owned.credits) == (
        "Certificate in Horticulture", "Certificate", "Level 2", 13)
    assert (owned.owner_organisation_id, owned.shared, owned.is_unit) == (
        ids["10000002"], False, False)
    assert (unit.title, unit.shared, unit.is_unit) == ("Planting, establishing", True, True)
    assert (shared.owner_organisation_id, shared.shared, shared.credits, shared.level) == (
        None, True, None, None)
    assert missing is None

    path.write_text(HEADER + "100/2510/8,Certificate in Horticulture (2027),Certificate,"
                    "Level 2,10000003,yes,15,no,\n", encoding="utf-8")
    report = import_register(ctx, path)
    assert (report.created, report.updated) == (0, 1)
    _, found = _register(ctx, "100/2510/8")
    assert found["100/2510/8"].title == "Certificate in Horticulture (2027)"
    assert found["100/2510/8"].owner_organisation_id == ids["10000003"]


@pytest.mark.parametrize(("rows", "message"), [
    ("100/2510/8,T,,,99999999,no,,,\n",
     "line 3, column owner_ukprn: no registered organisation has UKPRN 99999999"),
    ("100/2510/8,T,,,10000002,maybe,,,\n",
     "line 3, column shared: is not yes/no, true/false or 1/0"),
    ("100/2510/8,T,,,10000002,no,,sometimes,\n",
     "line 3, column unit: is not yes/no, true/false or 1/0"),
    ("100/2510/8,T,,,10000002,no,-4,,\n",
     "line 3, column credits: is not a whole number from 0 to 10000"),
    ("100/2510/8,T,,,,no,,,\n",
     "line 3, column owner_ukprn: is required unless the qualification is shared"),
    ("100/2510/8,,,,10000002,no,,,\n", "line 3, column title: is required"),
    (",T,,,10000002,no,,,\n", "line 3, column reference: is required"),
    ("100/2510/8,T,,,10000002,,,,\n", "line 3, column shared: is required"),
    ("100 2510 8,T,,,10000002,no,,,\n", "line 3, column reference: contains a space"),
    ("A/000/0001,T,,,10000002,no,,,\n",
     "line 3, column reference: A/000/0001 appears already on line 2"),
    ("B/000/0001," + "t" * 256 + ",,,10000002,no,,,\n",
     "line 3, column title: is longer than 255 characters"),
])
def test_a_bad_row_imports_nothing(ctx, tmp_path, rows, message):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "a/000/0001,Good,,,10000002,no,,,\n" + rows, encoding="utf-8")
    with pytest.raises(RegisterImportError) as raised:
        import_register(ctx, path)
    assert str(raised.value) == f"nothing imported:\nregister.csv {message}"
    _, found = _register(ctx, "A/000/0001")
    assert found["A/000/0001"] is None  # the good row before it was not imported either


def test_every_problem_of_every_row_is_listed_and_nothing_imported(ctx, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "a/000/0001,Good,,,10000002,no,,,\n"
                    "B/000/0001,,,,99999999,maybe,-4,,\n"
                    "a/000/0001,T,,,10000002,no,,sometimes,\n"
                    "C/000/0001,Fine,,,10000002,no,12,yes,\n", encoding="utf-8")
    with pytest.raises(RegisterImportError) as raised:
        import_register(ctx, path)
    assert str(raised.value).splitlines() == [
        "nothing imported:",
        "register.csv line 3, column title: is required",
        "register.csv line 3, column owner_ukprn: no registered organisation has UKPRN 99999999",
        "register.csv line 3, column shared: is not yes/no, true/false or 1/0",
        "register.csv line 3, column credits: is not a whole number from 0 to 10000",
        "register.csv line 4, column reference: A/000/0001 appears already on line 2",
        "register.csv line 4, column unit: is not yes/no, true/false or 1/0",
    ]
    _, found = _register(ctx, "A/000/0001", "C/000/0001")
    assert found == {"A/000/0001": None, "C/000/0001": None}


def test_missing_columns_and_unreadable_files(ctx, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("reference,name\nA/000/0001,T\n", encoding="utf-8")
    with pytest.raises(RegisterImportError, match=r"line 1: missing column\(s\) title, shared"):
        import_register(ctx, path)
    with pytest.raises(RegisterImportError, match="cannot read it"):
        import_register(ctx, tmp_path / "absent.csv")


def test_rows_can_be_given_directly(ctx):
    report = import_register(ctx, [{"reference": "A/000/0001", "title": "T", "shared": "n",
                                    "owner_ukprn": "10000002"},
                                   {"reference": "A/000/0002", "title": "T", "shared": "y"}])
    assert (report.created, report.updated) == (2, 0)
    with pytest.raises(RegisterImportError,
                       match="^nothing imported:\nrows line 2, column title: is required$"):
        import_register(ctx, [{"reference": "A/000/0003", "shared": "y"}])


def test_demo_qualifications(uow_factory):
    ctx = ServiceContext(uow_factory=uow_factory, clock=lambda: NOW, passwords=PlainPasswords())
    demo.load(ctx)  # loads the demo qualifications too
    report = load_demo_qualifications(ctx)
    assert (report.created, report.updated) == (0, len(DEMO_QUALIFICATIONS))  # idempotent
    with uow_factory() as uow:
        ao = uow.organisations.by_ukprn("10000002")
        found = uow.qualifications.by_references([row[0] for row in DEMO_QUALIFICATIONS])
    usable = {ref for ref, q in found.items() if q.usable_by(ao.id)}
    assert len(found) == len(DEMO_QUALIFICATIONS)
    assert {ref for ref, q in found.items() if q.owner_organisation_id == ao.id} >= {
        "100/2510/8", "K/501/5773"}
    assert any(q.shared and q.owner_organisation_id != ao.id for q in found.values())
    assert usable != set(found)  # one belongs to another organisation and is not shared
