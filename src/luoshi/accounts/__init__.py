"""Accounts: users and roles, passwords, login throttling, API tokens, the permission policy.

Modules: ``passwords`` (argon2), ``users`` (create/list/deactivate, demo users), ``login``
(authenticate with throttling), ``tokens`` (API tokens), ``policy`` (THE permission table),
``sessions`` (browser sessions). Nothing here builds an engine or reads the environment.
The audit trail (its guard, its export) and backup live in ``luoshi.store``.
"""

__all__: list[str] = []
