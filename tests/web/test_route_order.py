"""The app's routers are matched in order (the most requested first, see luoshi.web.app): that
order must never decide which route answers, so no two routes of different routers may match
the same path and method."""

from __future__ import annotations

from fastapi.routing import APIRoute


def _routes() -> list[tuple[str, APIRoute]]:
    import importlib
    import pkgutil

    import luoshi.web

    out = []
    for info in pkgutil.iter_modules(luoshi.web.__path__):
        module = importlib.import_module(f"luoshi.web.{info.name}")
        router = getattr(module, "router", None)
        for route in getattr(router, "routes", []):
            if isinstance(route, APIRoute):
                out.append((info.name, route))
    return out


def _sample(path: str) -> str:
    """A concrete path the pattern matches (each parameter filled with a digit string)."""
    import re

    return re.sub(r"\{[^}]+\}", "7", path)


def test_no_route_of_one_router_answers_another_routers_path() -> None:
    routes = _routes()
    assert len({name for name, _ in routes}) > 10  # the routers were found
    clashes = []
    for name, route in routes:
        sample = _sample(route.path)
        for other_name, other in routes:
            if other_name == name or not (route.methods & other.methods):
                continue
            if other.path_regex.match(sample):
                clashes.append(f"{name} {route.path} ~ {other_name} {other.path}")
    assert clashes == []
