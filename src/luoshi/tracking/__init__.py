"""Tracking: the plan as a live system (status rule, services, import, Excel, demo data).

Modules: ``status`` (the pure rule), ``services`` (changes, audited), ``proposals`` (merge/split),
``queries`` (targets with status, detail, overview), ``projects`` (key-project roll-up, 催办 lists),
``changes`` (status log), ``importer``, ``sheet`` (Excel 任务分解表), ``demo``; ``review``/``matching``
hold the year-end review. Submodules are imported on use, so this package stays light.
"""

__all__ = ["changes", "demo", "importer", "projects", "proposals", "queries", "services", "sheet", "status"]
