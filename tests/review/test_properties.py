"""Property test: any targets and outcomes give one well-formed result per target, never an error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from luoshi.extraction.model import Item
from luoshi.review.verdicts import VERDICTS, review_items

UNITS = ["%", "百分点", "元", "人", "个", "", "公里", "倍", "张"]
WORDS = st.text(alphabet="城镇新增就业国内生产总值增长下降能耗GDP全年以上5左右的", max_size=12)


@st.composite
def items(draw: st.DrawFn, role: str) -> Item:
    start = draw(st.integers(0, 500))
    value = draw(st.floats(-1e6, 1e12, allow_nan=False, allow_infinity=False))
    cmp = draw(st.sampled_from([">=", "<=", "~", "=", "range"]))
    return Item(
        role=role,  # type: ignore[arg-type]
        span=(start, start + 2),
        surface=draw(st.text(max_size=6)),
        value=value,
        unit=draw(st.sampled_from(UNITS)),
        comparator=cmp,  # type: ignore[arg-type]
        indicator=draw(WORDS),
        sentence=(max(0, start - 10), start + 5),
        value_max=value + draw(st.floats(0, 100)) if cmp == "range" and draw(st.booleans()) else None,
        direction=draw(st.sampled_from([None, "up", "down"])),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(items("target"), max_size=8), st.lists(items("outcome"), max_size=8), st.text(max_size=600))
def test_review_is_total(targets: list[Item], outcomes: list[Item], text: str) -> None:
    results = review_items(targets, outcomes, target_text=text, outcome_text=text)
    assert len(results) == len(targets)
    by_outcome: dict[int, set[tuple[float, str, str | None]]] = {}
    for r in results:
        assert r.verdict in VERDICTS and r.reason
        assert (r.outcome is None) == (r.verdict in ("no_outcome", "ambiguous"))
        assert r.verdict != "ambiguous" or len(r.candidates) >= 2
        assert set(r.to_dict()) == {"target", "outcome", "verdict", "ratio", "reason", "candidates"}
        if r.outcome is not None:
            key = next(i for i, o in enumerate(outcomes) if o is r.outcome)
            by_outcome.setdefault(key, set()).add((r.target.value, r.target.unit, r.target.direction))
    # one-to-one, except that repeated mentions of one target share its outcome
    assert all(len(kinds) == 1 for kinds in by_outcome.values())
