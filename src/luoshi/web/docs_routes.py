"""/docs: the API documentation rendered on the server from the OpenAPI schema (/openapi.json).

Swagger UI would load its script from a CDN; this page works offline and under the strict CSP.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from luoshi.accounts import policy
from luoshi.web.security import allow
from luoshi.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    return str(schema.get("type", ""))


@router.get("/docs")
def api_docs(request: Request) -> Response:
    allow(request, policy.VIEW_PUBLIC)
    spec = request.app.openapi()
    ops = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                (
                    p["name"],
                    p["in"],
                    _schema_name(p.get("schema", {})),
                    p.get("description", ""),
                    p.get("required", False),
                )
                for p in op.get("parameters", [])
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "params": params,
                    "body": _schema_name(body) if body else None,
                }
            )
    schemas = spec.get("components", {}).get("schemas", {})
    return render(request, "api_docs.html", {"spec": spec, "ops": ops, "schemas": schemas})
