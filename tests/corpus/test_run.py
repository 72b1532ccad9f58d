"""Corpus runs end to end on real files: tables, panel join, determinism, errors, metadata, API."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from luoshi.cli import app
from luoshi.corpus import extract_corpus
from luoshi.corpus.codebook import load_codebook

TABLES = ("documents", "items", "panel")


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(app, ["corpus", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _read_errors(out: Path) -> list[dict[str, str]]:
    return list(csv.DictReader((out / "errors.csv").read_text("utf-8-sig").splitlines()))


def test_three_tables_and_panel_join(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    output = _run([str(small_corpus), "--output", str(out), "--workers", "1"])
    assert "文档 5 份" in output and "各指标的目标数" in output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "documents.parquet", "errors.csv", "items.parquet", "panel.parquet",
    ]  # fmt: skip
    docs = pd.read_parquet(out / "documents.parquet")
    assert len(docs) == 5 and docs["path"].is_monotonic_increasing  # folders read recursively, sorted
    items = pd.read_parquet(out / "items.parquet")
    for col in (
        "role",
        "start",
        "end",
        "surface",
        "value",
        "unit",
        "comparator",
        "indicator",
        "sentence_text",
    ):
        assert col in items.columns
    one = items.iloc[0]
    text = (Path(one["path"])).read_text("utf-8")
    assert text[one["start"] : one["end"]] in one["surface"] or one["surface"].startswith(
        text[one["start"] : one["end"]]
    )
    assert one["sentence_text"] == text[one["sentence_start"] : one["sentence_end"]]
    cued = items[items["basis_cue"].notna()]  # the extractor's basis, flattened to three columns
    assert len(cued) > 0 and set(cued["role"]) == {"target", "outcome"}
    for row in cued.itertuples():
        assert Path(row.path).read_text("utf-8")[row.basis_start : row.basis_end] == row.basis_cue

    panel = pd.read_parquet(out / "panel.parquet").set_index(["jurisdiction", "plan_year", "indicator"])
    gdp = panel.loc[("全国", 2018, "gdp_growth")]
    assert (gdp["target_value"], gdp["comparator"], gdp["hedge"], gdp["hedge_word"]) == (
        6.5,
        "~",
        "soft",
        "左右",
    )
    assert gdp["raw_indicator"] == "国内生产总值增长" and gdp["codebook_version"] == load_codebook().version
    assert gdp["outcome_value"] == 6.6 and gdp["outcome_path"].endswith("national-2019.txt")
    assert gdp["gap"] == pytest.approx(0.1) and gdp["verdict"] == "met"
    jobs = panel.loc[("全国", 2018, "urban_jobs")]
    assert (jobs["hedge"], jobs["outcome_value"], jobs["verdict"]) == ("hard", 13_610_000, "exceeded")
    unemployment = panel.loc[("全国", 2018, "surveyed_unemployment")]
    assert unemployment["hedge"] == "ceiling" and unemployment["verdict"] == "met"
    # 2019 targets: no 2020 report in the corpus, so no outcome and no verdict
    assert pd.isna(panel.loc[("全国", 2019, "gdp_growth")]["verdict"])
    assert panel.loc[("全国", 2019, "gdp_growth")]["hedge"] == "range"
    assert panel.loc[("芙蓉区", 2018, "gdp_growth")]["level"] == "county-district"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "dta"])
def test_two_runs_identical_bytes(small_corpus: Path, tmp_path: Path, fmt: str) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _run([str(small_corpus), "--output", str(a), "--format", fmt, "--workers", "1"])
    _run([str(small_corpus), "--output", str(b), "--format", fmt, "--workers", "2"])
    for name in (*(f"{t}.{fmt}" for t in TABLES), "errors.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    if fmt == "dta":
        panel = pd.read_stata(a / "panel.dta")
        assert "gdp_growth" in set(panel["indicator"])


def test_unreadable_file_is_logged_and_the_run_goes_on(small_corpus: Path, tmp_path: Path) -> None:
    (small_corpus / "broken.docx").write_bytes(b"PK\x03\x04 this is not a real docx")
    (small_corpus / "binary.txt").write_bytes(bytes(range(256)) * 40)
    out = tmp_path / "out"
    _run([str(small_corpus), "--output", str(out), "--format", "csv"])
    errors = _read_errors(out)
    assert sorted(Path(e["path"]).name for e in errors) == ["binary.txt", "broken.docx"]
    assert all(e["error"] and e["sha256"] and e["stage"] == "read" for e in errors)
    docs = pd.read_csv(out / "documents.csv")
    assert len(docs) == 5  # the good files all made it


def test_missing_input_is_an_error_line(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _run([str(small_corpus), str(tmp_path / "nope.txt"), "--output", str(out)])
    assert [e["stage"] for e in _read_errors(out)] == ["input"]


def test_glob_option_and_pattern_argument(small_corpus: Path, tmp_path: Path) -> None:
    d1, _, _ = extract_corpus([small_corpus], glob="national-*.txt")
    assert sorted(Path(p).name for p in d1["path"]) == ["national-2018.txt", "national-2019.txt"]
    d2, _, _ = extract_corpus([str(small_corpus / "local" / "*" / "*.txt")])
    assert len(d2) == 3


def test_metadata_csv_overrides_detection(small_corpus: Path, tmp_path: Path) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text(
        "file_name,jurisdiction,plan_year,genre\nlocal-14-furong-2018.txt,长沙市,2017,report\n",
        encoding="utf-8-sig",
    )
    docs, items, _panel = extract_corpus([small_corpus], metadata=meta, workers=1)
    row = docs.set_index("file_name").loc["local-14-furong-2018.txt"]
    assert (row["jurisdiction"], row["level"], row["plan_year"], row["genre"]) == (
        "长沙市",
        "city",
        2017,
        "report",
    )
    assert "meta.csv 第2行" in row["jurisdiction_evidence"]
    assert set(items[items["path"].str.endswith("furong-2018.txt")]["jurisdiction"]) == {"长沙市"}


def test_bad_metadata_names_file_and_line(small_corpus: Path, tmp_path: Path) -> None:
    meta = tmp_path / "meta.csv"
    meta.write_text("path,level\nx.txt,town\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["corpus", str(small_corpus), "-o", str(tmp_path / "o"), "--metadata", str(meta)]
    )
    assert result.exit_code != 0
    assert "meta.csv 第2行" in str(result.exception) and "town" in str(result.exception)


def test_extract_corpus_returns_dataframes(small_corpus: Path) -> None:
    tables = extract_corpus(small_corpus, workers=1)
    documents, items, panel = tables
    assert all(isinstance(t, pd.DataFrame) for t in tables)
    assert len(documents) == 5 and len(items) > 100 and len(panel) > 10
    assert tables.panel is panel
    assert set(items["doc_id"]) == set(documents["doc_id"])


def test_duplicate_files_processed_once(small_corpus: Path) -> None:
    copy = small_corpus / "copy-of-2018.txt"
    copy.write_bytes((small_corpus / "national" / "national-2018.txt").read_bytes())
    docs, _, _ = extract_corpus(small_corpus, workers=1)
    assert len(docs) == 5  # one document, two paths: the first path (sorted) names it
    row = docs.set_index("file_name").loc["copy-of-2018.txt"]
    assert row["duplicates"] == str(small_corpus / "national" / "national-2018.txt")
    assert "national-2018.txt" not in set(docs["file_name"])
