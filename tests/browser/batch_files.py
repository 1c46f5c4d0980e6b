"""Batch files the browser tests upload (the formats of docs/batch-files.md)."""

from __future__ import annotations

from pathlib import Path

LRB_HEADINGS = ("Title,GivenName,MiddleOtherName,FamilyName,PreferredGivenName,"
                "PreviousFamilyName,FamilyNameAtAge16,SchoolAtAge16,LastKnownAddressLine1,"
                "LastKnownAddressLine2,LastKnownAddressTown,LastKnownAddressCountyOrCity,"
                "LastKnownPostCode,DateOfAddressCapture,DateOfBirth,PlaceOfBirth,Gender,"
                "EmailAddress,Nationality,ScottishCandidateNumber,VerificationType,"
                "OtherVerificationDescription,AbilityToShare,Notes,ULN,MISIdentifier")


def learner_file(tmp_path: Path, rows: list[str], minute: int,
                 ukprn: str = "10000001") -> Path:
    """A learner batch of organisation ``ukprn``; each row: given, family, postcode, date
    of birth, gender, MISIdentifier."""
    path = tmp_path / f"LRB_{ukprn}_0105202412{minute:02d}.CSV"
    lines = [LRB_HEADINGS, f"2A,Portal test,{ukprn},mis@college.example.org"]
    for row in rows:
        given, family, postcode, born, gender, mis = row.split(",")
        lines.append(f",{given},,{family},,,,,,,,,{postcode},,{born},,{gender},,,,1,,1,,,"
                     f"{mis}")
    path.write_text("\n".join(lines) + "\n")
    return path
