"""Atom feeds of status changes of public targets, for citizens who cannot have accounts.

Built from the status changes of public, accepted targets only
(:func:`luoshi.tracking.public.status_changes`): the target's title, the old and new status and
the time. No narratives, evidence, user names or override notes. ``xml.etree`` does the escaping,
so titles with markup stay text.

    atom_feed(changes, *, feed_id, title, self_url, alternate_url, base_url, author) -> bytes
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from luoshi.glossary import STATUS_LABELS
from luoshi.tracking.public import Change

__all__ = ["ATOM_MEDIA_TYPE", "atom_feed"]

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def _stamp(when: datetime) -> str:
    """RFC 3339 in UTC (the store keeps naive UTC)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.replace(microsecond=0).isoformat() + "Z"


def _label(code: str | None) -> str:
    return STATUS_LABELS.get(code or "", code or "")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(
    changes: list[Change],
    *,
    feed_id: str,
    title: str,
    self_url: str,
    alternate_url: str,
    base_url: str,
    author: str,
    updated: datetime,
) -> bytes:
    """An Atom 1.0 document (RFC 4287); ``updated`` is used when there is no change yet."""
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    _sub(feed, "updated", _stamp(max((c.at for c in changes), default=updated)))
    _sub(_sub(feed, "author"), "name", author)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=alternate_url)
    for c in changes:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{base_url}/targets/{c.target_id}#status-{c.log_id}")
        if c.previous is None:
            headline = f"「{c.title}」首次评定为{_label(c.status)}"
        else:
            headline = f"「{c.title}」由{_label(c.previous)}变为{_label(c.status)}"
        _sub(entry, "title", headline)
        _sub(entry, "updated", _stamp(c.at))
        _sub(entry, "link", rel="alternate", type="text/html", href=f"{base_url}/targets/{c.target_id}")
        _sub(entry, "category", term=c.status, label=_label(c.status))
        _sub(entry, "summary", f"{headline}（{_stamp(c.at)}）")
    # typeshed types the result Any for a named encoding; "utf-8" gives bytes
    out: bytes = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return out
