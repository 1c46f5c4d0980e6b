"""An XML batch file: ``<LRBBatch>`` (``VLDBatch``, ``ACHBatch``), no namespace, holding
``<Header>`` then one ``<Learner>`` (``<Achievement>``) per record (docs/batch-files.md).
Parsed with entities, DTDs and network off; a DOCTYPE is refused."""

from __future__ import annotations

from lxml import etree

from .batchkinds import (
    HEADER,
    HEADINGS,
    KINDS,
    SAFE_PARSER,
    STRUCTURE,
    BatchFile,
    Kind,
    add_record,
)


def parse_xml(batch: BatchFile, data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(**SAFE_PARSER)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        batch.readable = False
        batch.error(exc.lineno or 0, 0, "", f"not well-formed XML: {exc.msg}", STRUCTURE)
        return None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        batch.readable = False
        batch.error(1, 0, "", "document type declarations are not accepted", STRUCTURE)
        return None
    return root


def kind_of_xml(root: etree._Element | None) -> Kind | None:
    if root is None or not isinstance(root.tag, str):
        return None
    return next((kind for kind in KINDS.values() if kind.root == root.tag), None)


def _text_children(batch: BatchFile, element: etree._Element, allowed: tuple[str, ...],
                   record: int, what: str, category: str
                   ) -> tuple[dict[str, str], dict[str, int]]:
    """The element's children as {name: text} and {name: line}. An unknown child is an error
    (``category``) and left out; a wrongly cased one is an error too, but read as the
    element it spells (as a CSV column under a wrongly cased heading is)."""
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    by_lower = {name.lower(): name for name in allowed}
    if (element.text or "").strip():
        batch.error(element.sourceline or 0, record, "", f"{what} holds text outside its "
                    "elements", STRUCTURE)
    for child in element:
        line = child.sourceline or 0
        tag = child.tag if isinstance(child.tag, str) else ""
        name = by_lower.get(tag.lower(), tag)
        if (child.tail or "").strip():
            batch.error(line, record, name, f"text after </{tag}> in {what}", STRUCTURE)
        if tag.startswith("{"):
            batch.error(line, record, tag, "elements must have no namespace", category)
            continue
        if name not in allowed:
            batch.error(line, record, tag, f"<{tag}> is not an element of {what} (expected "
                        f"{', '.join(allowed)}); it is ignored", category)
            continue
        if name != tag:
            batch.error(line, record, name, f"the element is <{name}>, not <{tag}> (element "
                        "names are case-sensitive)", category)
        if name in lines:
            batch.error(line, record, name, f"appears twice in {what}; the second is ignored",
                        STRUCTURE)
        elif len(child):
            batch.error(line, record, name, "must hold text only, not elements", STRUCTURE)
        else:
            lines[name] = line
            if child.text:
                values[name] = child.text
    return values, lines


def read_xml(batch: BatchFile, root: etree._Element) -> None:
    kind = batch.kind
    assert kind is not None
    if root.tag != kind.root:
        batch.readable = False
        batch.error(root.sourceline or 0, 0, "", f"the root element must be <{kind.root}>, "
                    f"not <{root.tag}>", STRUCTURE)
        return
    children = list(root)
    if (root.text or "").strip():
        batch.error(root.sourceline or 0, 0, "", f"text directly inside <{kind.root}>",
                    STRUCTURE)
    if not children or children[0].tag != "Header":
        batch.error(root.sourceline or 0, 0, "Header", f"<{kind.root}> must start with "
                    f"<Header> holding {', '.join(kind.header)}", HEADER)
        batch.header_lines = {name: root.sourceline or 0 for name in kind.header}
    else:
        header = children.pop(0)
        batch.header, lines = _text_children(batch, header, kind.header, 0, "<Header>",
                                             HEADER)
        batch.header_lines = {name: lines.get(name, header.sourceline or 0)
                              for name in kind.header}
    for child in children:
        line = child.sourceline or 0
        if (child.tail or "").strip():
            batch.error(line, 0, "", f"text directly inside <{kind.root}>", STRUCTURE)
        if child.tag != kind.record:
            name = child.tag if isinstance(child.tag, str) else ""
            batch.error(line, 0, name, f"<{kind.root}> holds one <Header> then "
                        f"<{kind.record}> elements, not <{name}>", STRUCTURE)
            continue
        values, lines = _text_children(batch, child, kind.fields, batch.total_records + 1,
                                       f"<{kind.record}>", HEADINGS)
        add_record(batch, line, values, lines)
