"""Notices and reminders: in-app notices, follows, status-change events, e-mail digests, ``luoshi remind``.

Modules: ``notices`` (create/list/mark read), ``follows`` (follow a target), ``statuses`` (status
of every accepted target from the store), ``events`` (``refresh_statuses``: status_log rows and
notices), ``mail`` (daily digest e-mails over SMTP), ``remind`` (``run_reminders``, the cron job),
``inbox`` (待办 of the office and of a department, notices of new reports and 批示, daily digests).
"""

__all__: list[str] = []
