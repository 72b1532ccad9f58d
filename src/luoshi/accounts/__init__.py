"""Accounts: users and roles, passwords, login throttling, API tokens, the permission policy.

Modules: ``passwords`` (argon2), ``users`` (create/list/deactivate, demo users), ``login``
(authenticate with throttling), ``tokens`` (API tokens), ``policy`` (THE permission table),
``audit_export`` (audit trail to CSV), ``audit_guard`` (append-only enforcement), ``backup``.
Nothing here builds an engine or reads the environment.

Importing this package registers the audit trail's append-only guard (ORM event listeners on
the ``AuditLog`` class, see ``audit_guard``): every process that checks permissions — the web
app, the CLI — is then unable to update or delete audit rows, without relying on a factory
remembering to call it. It builds no engine and opens no connection.
"""

from luoshi.accounts.audit_guard import install_append_only_guard as _install_append_only_guard

_install_append_only_guard()

__all__: list[str] = []
