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
