"""The engine builds :class:`Item` positionally (it is cheaper per figure): its field order is
part of that contract."""

from dataclasses import fields

from luoshi.extraction.model import Item


def test_item_field_order_matches_the_engine() -> None:
    assert [f.name for f in fields(Item)] == [
        "role",
        "span",
        "surface",
        "value",
        "unit",
        "comparator",
        "indicator",
        "sentence",
        "value_max",
        "direction",
        "section",
        "deadline",
        "aspirational",
        "basis",
    ]


def test_the_engines_item_builder_equals_the_constructor() -> None:
    """The engine sets an Item's slots itself (faster than the frozen __init__): the same item,
    every field set, still frozen."""
    import dataclasses

    import pytest

    from luoshi.extraction.engine import _item
    from luoshi.extraction.model import Basis

    values = ("target", (3, 7), "5.5%", 5.5, "%", ">=", "地区生产总值增长", (0, 20), 6.0, "up", 2, 2025, True)
    basis = Basis("新的一年", (0, 4))
    built, made = _item(*values, basis), Item(*values, basis)
    assert built == made and repr(built) == repr(made) and built.to_dict() == made.to_dict()
    assert hash(dataclasses.astuple(built)) == hash(dataclasses.astuple(made))
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.value = 1.0  # type: ignore[misc]
