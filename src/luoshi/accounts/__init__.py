"""Accounts: users and roles, passwords, login throttling, API tokens, the permission policy.

Modules: ``passwords`` (argon2), ``users`` (create/list/deactivate, demo users), ``login``
(authenticate with throttling), ``tokens`` (API tokens), ``policy`` (THE permission table),
``audit_export`` (audit trail to CSV), ``audit_guard`` (append-only enforcement).
Nothing here builds an engine or reads the environment.
"""

__all__: list[str] = []
