"""Help output that reads cleanly whichever typer is installed.

typer 0.2x began printing a type placeholder for every option, flags included (``--demo <bool>``,
``--help <bool>``): a flag takes no value, so the placeholder only misleads. :func:`adapt_help`
drops it for flags and leaves value placeholders (``--port <int>``) alone. Older typers, which
print no placeholder for flags, have no ``display_type_rich`` and are left as they are.
"""

from __future__ import annotations

from typing import Any

__all__ = ["adapt_help"]


def adapt_help() -> None:
    """Patch typer's option type column once: no placeholder for flags (idempotent)."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - a typer without it renders differently
        return
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "_luoshi_flags", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> str | None:
        if getattr(self, "is_flag", False) or getattr(self, "is_bool_flag", False):
            return None
        return original(self, ctx)  # type: ignore[no-any-return]

    display_type_rich._luoshi_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]
