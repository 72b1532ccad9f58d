"""One document of a corpus, start to finish: file -> text -> plan -> detected facts and item rows.

Runs in worker processes (local pool or Dask workers), so it takes and returns plain data:
a path and its sha256 in, a JSON-ready dict out. A file that cannot be read or extracted comes
back as an error record, never an exception, so one bad file cannot stop a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from luoshi.extraction.model import Basis, DocumentInfo, Item, Plan, Section

__all__ = ["ITEM_FIELDS", "plan_from_record", "process_batch", "process_document"]

# Item fields as item-table columns; tuples become two columns (span -> start, end), the
# basis three (basis_cue, basis_start, basis_end).
ITEM_FIELDS: tuple[tuple[str, str], ...] = tuple((f.name, str(f.type)) for f in fields(Item))


def process_batch(tasks: Sequence[tuple[str, str]], parts_dir: str | None = None) -> list[dict[str, Any]]:
    """Process (path, sha256) pairs in order; one record each.

    With ``parts_dir`` (a folder this process can write: the local engines) each record is
    written there at once and only a receipt comes back, so the parent does not unpickle texts.
    """
    import time

    records = []
    for path, sha in tasks:
        t0 = time.process_time()
        record = process_document(path, sha)
        record["cpu"] = time.process_time() - t0  # CPU seconds in this process (for benchmarks)
        records.append(record)
    if parts_dir is None:
        return records
    from luoshi.corpus.parts import write_part

    for record in records:
        write_part(Path(parts_dir), record)
    return [
        {"sha256": r["sha256"], "chars": r.get("chars", 0), "cpu": r["cpu"], "written": True} for r in records
    ]


def process_document(path: str, sha256: str) -> dict[str, Any]:
    from luoshi.corpus.codebook import load_codebook
    from luoshi.corpus.detect import detect
    from luoshi.reading import read_plan
    from luoshi.sources import SourceError

    base: dict[str, Any] = {"sha256": sha256, "path": path, "codebook_version": load_codebook().version}
    try:
        read, plan = read_plan(path=path)
        src = read.source
        assert src is not None  # a file was read
        meta = detect(src.text, Path(path).name)
        items = item_rows(plan)
    except SourceError as exc:  # the file could not be read
        return {**base, "error": str(exc), "stage": "read"}
    except Exception as exc:  # noqa: BLE001 - an engine bug in one file must not stop the corpus
        return {
            **base,
            "error": f"{path}: extraction failed ({exc.__class__.__name__}: {exc})",
            "stage": "extract",
        }
    return {
        **base,
        "format": src.format,
        "encoding": src.encoding,
        "warnings": list(src.warnings),
        "chars": len(src.text),
        "title": plan.document.title,
        "meta": meta.to_dict(),
        "plan": _plan_dict(plan),
        "items": items,
        "text": src.text,
    }


def _fields(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    # dataclasses.asdict deep-copies every value: a third of a document's time for nothing here
    return {name: getattr(obj, name) for name in names}


_ITEM_NAMES = tuple(name for name, _ in ITEM_FIELDS)
_DOC_NAMES = tuple(f.name for f in fields(DocumentInfo))
_SECTION_NAMES = tuple(f.name for f in fields(Section))


def _item_dict(item: Item) -> dict[str, Any]:
    d = _fields(item, _ITEM_NAMES)
    d["basis"] = item.basis.to_dict() if item.basis is not None else None  # JSON-ready
    return d


def _plan_dict(plan: Plan) -> dict[str, Any]:
    """What the panel needs again later: document facts, sections, targets and outcomes."""
    return {
        "document": _fields(plan.document, _DOC_NAMES),
        "sections": [_fields(s, _SECTION_NAMES) for s in plan.sections],
        "targets": [_item_dict(i) for i in plan.targets],
        "outcomes": [_item_dict(i) for i in plan.outcomes],
    }


def item_rows(plan: Plan) -> list[dict[str, Any]]:
    """Every target and outcome as a flat row: all Item fields, sentence text, codebook id, hedge."""
    from luoshi.corpus.codebook import load_codebook
    from luoshi.corpus.hedge import hedge_class

    codebook = load_codebook()
    heads = [s.heading for s in plan.sections]
    rows: list[dict[str, Any]] = []
    for n, item in enumerate(plan.items()):
        row: dict[str, Any] = {"item_index": n}
        for name, _type in ITEM_FIELDS:
            value = getattr(item, name)
            if name == "span":
                row["start"], row["end"] = value
            elif name == "sentence":
                row["sentence_start"], row["sentence_end"] = value
            elif name == "basis":
                row["basis_cue"] = value.cue if value is not None else None
                row["basis_start"], row["basis_end"] = value.span if value is not None else (None, None)
            else:
                row[name] = value
        row["sentence_text"] = plan.text[item.sentence[0] : item.sentence[1]]
        section = item.section
        row["section_heading"] = heads[section] if section is not None and 0 <= section < len(heads) else None
        match = codebook.match(item.indicator, item.unit)
        row["codebook_id"] = match.id if match else None
        if item.role == "target":
            row["hedge"], row["hedge_word"] = hedge_class(item, plan.text)
        else:
            row["hedge"], row["hedge_word"] = None, None
        rows.append(row)
    return rows


def _item(d: dict[str, Any]) -> Item:
    known = {name for name, _ in ITEM_FIELDS}
    kwargs = {k: v for k, v in d.items() if k in known}
    kwargs["span"] = tuple(d["span"])
    kwargs["sentence"] = tuple(d["sentence"])
    basis = d.get("basis")
    kwargs["basis"] = Basis(basis["cue"], (basis["span"][0], basis["span"][1])) if basis else None
    return Item(**kwargs)


def plan_from_record(record: dict[str, Any]) -> Plan:
    """The Plan of a processed document again (for the panel's year-to-year review)."""
    p = record["plan"]
    doc_known = {f.name for f in fields(DocumentInfo)}
    return Plan(
        document=DocumentInfo(**{k: v for k, v in p["document"].items() if k in doc_known}),
        text=record["text"],
        sections=[Section(s["heading"], (s["span"][0], s["span"][1]), s["part"]) for s in p["sections"]],
        targets=[_item(d) for d in p["targets"]],
        outcomes=[_item(d) for d in p["outcomes"]],
    )
