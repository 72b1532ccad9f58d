"""Tracking: the plan as a live system (status rule, services, import, Excel, demo data).

Modules: ``status`` (the pure rule), ``services`` (changes, audited), ``proposals`` (merge/split),
``queries`` (targets with status, detail, overview), ``listing`` (the look-ups and lists pages
show: reports, areas, departments, the 审核 queue), ``public`` (what anonymous readers may see,
status changes for the feeds), ``projects`` (key-project roll-up, 催办 lists),
``importer``, ``sheet`` (Excel 任务分解表), ``demo``; ``bulk`` (bulk changes with undo),
``departments`` (create/rename/merge). Submodules are imported on use, so this package stays light.
The year-end review is its own package, :mod:`luoshi.review`, which reads from tracking; tracking
never imports it (data flows one way).
"""

__all__ = [
    "bulk",
    "demo",
    "departments",
    "importer",
    "listing",
    "projects",
    "proposals",
    "public",
    "queries",
    "services",
    "sheet",
    "status",
]
