"""Small builders of extraction items for the review tests."""

from __future__ import annotations

from luoshi.extraction.model import Item


def item(
    indicator: str,
    value: float,
    unit: str = "%",
    comparator: str = "=",
    direction: str | None = None,
    *,
    role: str = "target",
    value_max: float | None = None,
    span: tuple[int, int] = (0, 1),
    surface: str | None = None,
) -> Item:
    return Item(
        role=role,  # type: ignore[arg-type]
        span=span,
        surface=surface if surface is not None else f"{value:g}{unit}",
        value=value,
        unit=unit,
        comparator=comparator,  # type: ignore[arg-type]
        indicator=indicator,
        sentence=span,
        value_max=value_max,
        direction=direction,  # type: ignore[arg-type]
    )


def outcome(
    indicator: str, value: float, unit: str = "%", direction: str | None = None, **kw: object
) -> Item:
    return item(indicator, value, unit, kw.pop("comparator", "="), direction, role="outcome", **kw)  # type: ignore[arg-type]
