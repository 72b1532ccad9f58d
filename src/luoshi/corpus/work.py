"""One document of a corpus, start to finish: file -> text -> plan -> detected facts and item rows.

Runs in worker processes (local pool or Dask workers), so it takes and returns plain data:
a path and its sha256 in; out a compact JSON-ready record (document facts, item columns: what the
tables need) and a plan part (text, sections, which items are targets: only the panel's review reads
it again, from disk, with the record's item columns: :func:`plan_from_parts`).
A file that cannot be read or extracted comes back as an error record, never an exception, so
one bad file cannot stop a batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from luoshi.extraction.model import Basis, DocumentInfo, Item, Plan, Section

__all__ = [
    "ITEM_FIELDS",
    "ITEM_ROW_COLUMNS",
    "item_columns",
    "plan_from_parts",
    "process_batch",
    "process_document",
    "warm",
    "warm_cpu",
]

# Item fields as item-table columns; tuples become two columns (span -> start, end), the
# basis three (basis_cue, basis_start, basis_end).
ITEM_FIELDS: tuple[tuple[str, str], ...] = tuple((f.name, str(f.type)) for f in fields(Item))


def warm() -> None:
    """Import and cache what every document needs (a worker's start-up, not its first document)."""
    from luoshi.corpus.codebook import load_codebook
    from luoshi.corpus.detect import detect
    from luoshi.corpus.hedge import hedge_words
    from luoshi.corpus.tables import has_arrow, item_arrow
    from luoshi.reading import read_plan

    load_codebook()
    hedge_words()
    text = "某某市人民政府工作报告\n2024年地区生产总值增长5%左右。"
    cols = item_columns(read_plan(text=text)[1])
    detect(text, "warm.txt")
    if has_arrow():  # pyarrow's import (0.1-0.3 s): start-up, not the first batch
        item_arrow(cols)


def warm_cpu() -> tuple[int, float]:
    """:func:`warm` in a worker, then ``(pid, CPU seconds of its process so far)``: the worker's
    start-up (a spawned worker's interpreter and imports included) for the run's accounting."""
    import os
    import time

    warm()
    return os.getpid(), time.process_time()


def process_batch(tasks: Sequence[tuple[str, str]], parts_dir: str | None = None) -> dict[str, Any]:
    """Process (path, sha256) pairs in order: ``{"rows": [...], "plans": {...}, "cpu": s, ...}``.

    ``rows`` are the compact records the tables are built from (document facts, item columns),
    all the parent needs of a document. With ``parts_dir`` (a folder this process can write: a
    local pool, or Dask workers that see OUT) this process also writes the batch's part file
    there (its name in ``part``), so texts and plans never travel back, and the rows' item
    columns come as one Arrow table (``items``, in row order; None without pyarrow: then in
    each row); without ``parts_dir`` texts and plans come back in ``plans`` for the parent to
    write. ``cpu`` is this thread's CPU seconds for the whole batch, writing included (a Dask
    worker's other threads, its event loop, are not counted: see ``process_cpu``).
    """
    import time

    c0, p0 = time.thread_time(), time.process_time()
    rows: list[dict[str, Any]] = []
    plans: dict[str, dict[str, Any]] = {}
    for path, sha in tasks:
        row, plan = process_document(path, sha)
        if plan is not None:
            plans[sha] = plan
        rows.append(row)
    part, items = None, None
    if parts_dir is not None:
        from luoshi.corpus.parts import write_batch
        from luoshi.corpus.tables import has_arrow, item_arrow

        part = write_batch(Path(parts_dir), rows, plans)
        plans = {}
        if has_arrow():  # the items as one Arrow table, built here rather than in the parent
            done = [row for row in rows if "items" in row]
            items = item_arrow(
                {name: [v for r in done for v in r["items"][name]] for name in ITEM_ROW_COLUMNS}
            )
            rows = [{k: v for k, v in row.items() if k != "items"} for row in rows]
    return {
        "rows": rows,
        "plans": plans,
        "items": items,
        "written": part is not None,
        "part": part,
        "cpu": time.thread_time() - c0,
        "process_cpu": time.process_time() - p0,
    }


def process_document(path: str, sha256: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The compact record of one document and its plan part (text and plan; None for an error)."""
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
        ordered = plan.items()
        items = item_columns(plan, ordered)
    except SourceError as exc:  # the file could not be read
        return {**base, "error": str(exc), "stage": "read"}, None
    except Exception as exc:  # noqa: BLE001 - an engine bug in one file must not stop the corpus
        error = f"{path}: extraction failed ({exc.__class__.__name__}: {exc})"
        return {**base, "error": error, "stage": "extract"}, None
    row = {
        **base,
        "format": src.format,
        "encoding": src.encoding,
        "warnings": list(src.warnings),
        "chars": len(src.text),
        "title": plan.document.title,
        "meta": meta.to_dict(),
        "targets": len(plan.targets),
        "outcomes": len(plan.outcomes),
        "items": items,
    }
    return row, _plan_part(plan, src.text, ordered)


def _fields(obj: Any, names: Sequence[str]) -> dict[str, Any]:
    # dataclasses.asdict deep-copies every value: a third of a document's time for nothing here
    return {name: getattr(obj, name) for name in names}


_ITEM_NAMES = tuple(name for name, _ in ITEM_FIELDS)
_PLAIN_ITEM_NAMES = tuple(name for name in _ITEM_NAMES if name not in ("span", "sentence", "basis"))
_DOC_NAMES = tuple(f.name for f in fields(DocumentInfo))
_SECTION_NAMES = tuple(f.name for f in fields(Section))


def _plan_part(plan: Plan, text: str, items: Sequence[Item]) -> dict[str, Any]:
    """What the panel needs again later besides the record: text, document facts, sections, and
    which item-column rows (plan.items() order) are the targets and the outcomes, in the plan's
    order. The items themselves are the record's columns: writing them a second time here was
    a third of a document's part (encoding and compressing)."""
    row = {id(item): n for n, item in enumerate(items)}
    return {
        "text": text,
        "document": _fields(plan.document, _DOC_NAMES),
        "sections": [_fields(s, _SECTION_NAMES) for s in plan.sections],
        "targets": [row[id(i)] for i in plan.targets],
        "outcomes": [row[id(i)] for i in plan.outcomes],
    }


# item-table columns a worker fills (the parent adds the document keys: doc_id, path, ...)
ITEM_ROW_COLUMNS: tuple[str, ...] = (
    "item_index",
    *(
        col
        for name, _ in ITEM_FIELDS
        for col in {
            "span": ("start", "end"),
            "sentence": ("sentence_start", "sentence_end"),
            "basis": ("basis_cue", "basis_start", "basis_end"),
        }.get(name, (name,))
    ),
    "sentence_text",
    "section_heading",
    "codebook_id",
    "hedge",
    "hedge_word",
)


def item_columns(plan: Plan, items: Sequence[Item] | None = None) -> dict[str, list[Any]]:
    """Every target and outcome (``items``: ``plan.items()`` if not given) as columns (one list
    per item-table column, ITEM_ROW_COLUMNS): all Item fields, sentence text, section heading,
    codebook id, hedge.

    Columns rather than a dict per item: a tenth of the size to pickle or write, and the parent
    extends its table by whole lists. Built a column at a time (one comprehension each), not
    an item at a time appending to every column: half the time.
    """
    from luoshi.corpus.codebook import load_codebook
    from luoshi.corpus.hedge import hedge_class

    items = plan.items() if items is None else items
    match = load_codebook().match
    text = plan.text
    heads = [s.heading for s in plan.sections]
    cols: dict[str, list[Any]] = {name: list(map(attrgetter(name), items)) for name in _PLAIN_ITEM_NAMES}
    spans = [item.span for item in items]
    sentences = [item.sentence for item in items]
    bases = [item.basis for item in items]
    sections = [item.section for item in items]
    codes = [match(item.indicator, item.unit) for item in items]
    hedges = [hedge_class(item, text) if item.role == "target" else (None, None) for item in items]
    cols.update(
        item_index=list(range(len(items))),
        start=[a for a, _ in spans],
        end=[b for _, b in spans],
        sentence_start=[a for a, _ in sentences],
        sentence_end=[b for _, b in sentences],
        basis_cue=[b.cue if b is not None else None for b in bases],
        basis_start=[b.span[0] if b is not None else None for b in bases],
        basis_end=[b.span[1] if b is not None else None for b in bases],
        sentence_text=[text[a:b] for a, b in sentences],
        section_heading=[heads[n] if n is not None and 0 <= n < len(heads) else None for n in sections],
        codebook_id=[code.id if code else None for code in codes],
        hedge=[h for h, _ in hedges],
        hedge_word=[w for _, w in hedges],
    )
    return {name: cols[name] for name in ITEM_ROW_COLUMNS}


def _item(cols: dict[str, list[Any]], n: int) -> Item:
    """Row ``n`` of a record's item columns as the Item it was made from."""
    start = cols["basis_start"][n]
    basis = Basis(cols["basis_cue"][n], (start, cols["basis_end"][n])) if start is not None else None
    return Item(
        **{name: cols[name][n] for name in _PLAIN_ITEM_NAMES},
        span=(cols["start"][n], cols["end"][n]),
        sentence=(cols["sentence_start"][n], cols["sentence_end"][n]),
        basis=basis,
    )


def plan_from_parts(record: dict[str, Any], part: dict[str, Any]) -> Plan:
    """The Plan of a processed document again, from its compact record (the item columns) and
    its plan part (for the panel's review)."""
    doc_known = set(_DOC_NAMES)
    cols = record["items"]
    return Plan(
        document=DocumentInfo(**{k: v for k, v in part["document"].items() if k in doc_known}),
        text=part["text"],
        sections=[Section(s["heading"], (s["span"][0], s["span"][1]), s["part"]) for s in part["sections"]],
        targets=[_item(cols, n) for n in part["targets"]],
        outcomes=[_item(cols, n) for n in part["outcomes"]],
    )
