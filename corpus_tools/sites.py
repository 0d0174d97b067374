"""What site a document belongs to: the one definition the site-aware steps share, and the
``source`` column a reader or ``extract_html`` fills from a page's address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def site_of(meta: dict[str, Any]) -> str | None:
    """The site a document belongs to: its source, else its URL's host (lower case, without
    ``www.``), else its input folder (``dir:<folder>``)."""
    if meta.get("source"):
        return str(meta["source"]).lower().removeprefix("www.")
    host = _host(meta)
    if host:
        return host
    raw_dir = meta.get("raw_dir")
    return f"dir:{raw_dir}" if raw_dir else None


def fill_source(meta: dict[str, Any]) -> None:
    """Set ``meta["source"]`` to the host of ``meta["url"]`` (without ``www.``) when the input
    named no source."""
    if meta.get("url") and not meta.get("source"):
        meta["source"] = _host(meta) or None


def _host(meta: dict[str, Any]) -> str:
    """The host of ``meta["url"]`` (lower case, without ``www.``), or "" without one."""
    if not meta.get("url"):
        return ""
    return (urlsplit(str(meta["url"])).hostname or "").removeprefix("www.")
