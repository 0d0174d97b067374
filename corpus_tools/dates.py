"""Publication dates to ISO 8601, or nothing.

Inputs carry dates in every shape (``2024-03-20T10:15:00Z`` from HTML metadata, ``March
20, 2024 10:15 AM ET`` from a dateline, ``Wed, 20 Mar 2024 10:15:00 +0000`` from a feed),
and a column that mixes them cannot be sorted or filtered. :func:`normalize_date` maps each
to one ISO 8601 string, keeping only what the input states: a date alone stays a date
(``2024-03-20``), a month stays a month (``2024-03``), a time keeps its UTC offset when the
input gives one in numbers or as UTC/GMT (named zones such as ``ET`` are ambiguous and are
dropped with the time they qualify being kept as local time). What cannot be read without
guessing (``03/04/2024``: March or April?) gives ``None`` rather than a wrong date. Pure
and deterministic: nothing depends on today's date or the machine's locale.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:[T\s,]+(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?"
    r"\s*(?P<tz>Z(?![a-z])|(?:UTC|GMT)?\s?[+-]\d{1,2}(?::?\d{2})?|UTC|GMT)?)?"
)
_ISO = re.compile(
    r"^(?P<year>\d{4})-(?P<month>\d{2})(?:-(?P<day>\d{2}))?"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
_PATTERNS = [
    # 2024-03-20, 2024/03/20, 2024.03.20, with an optional time
    re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)" + _TIME, re.I),
    # March 20, 2024 / Mar. 20 2024 / Wednesday, March 20th, 2024
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)" + _TIME, re.I),
    # 20 March 2024 / Wed, 20 Mar 2024 10:15:00 +0000 (RFC 2822)
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH + r",?\s+(?P<year>\d{4})(?!\d)" + _TIME,
        re.I,
    ),
    # 20.03.2024 (day first wherever dots are used), 20/03/2024 only when the day is > 12
    re.compile(r"(?<!\d)(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)" + _TIME, re.I),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)" + _TIME, re.I),
    # March 2024
    re.compile(r"(?<![\d\w])" + _MONTH + r",?\s+(?P<year>\d{4})(?!\d)", re.I),
]


def normalize_date(value: object) -> str | None:
    """The ISO 8601 form of a date found in ``value``, or ``None`` when there is none to trust."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return _normalize_text(str(value).strip())


@lru_cache(maxsize=8192)
def _normalize_text(text: str) -> str | None:
    """Cached: a corpus repeats its dates (one day, many articles), and this runs for every row."""
    if not text:
        return None
    iso = _ISO.match(text)
    if iso:  # the common case, already (nearly) normal: no search through the other shapes
        return _build(iso.groupdict())
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        parts = match.groupdict()
        if "a" in parts:
            a, b = int(parts["a"]), int(parts["b"])
            if a > 12 >= b:
                parts.update(day=parts["a"], month=parts["b"])
            elif b > 12 >= a:
                parts.update(day=parts["b"], month=parts["a"])
            else:
                return None  # 03/04/2024: day and month cannot be told apart
        result = _build(parts)
        if result is not None:
            return result
    return None


def _build(parts: dict[str, str | None]) -> str | None:
    try:
        year = int(parts["year"] or 0)
        month_text = (parts["month"] or "").lower().rstrip(".")
        month = MONTHS[month_text] if month_text in MONTHS else int(month_text)
        if not 1000 <= year <= 2999:
            return None
        if not parts.get("day"):
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        day = int(parts["day"] or 0)
        date = dt.date(year, month, day)
    except (ValueError, KeyError):
        return None
    if parts.get("hour") is None:
        return date.isoformat()
    hour, minute, second = int(parts["hour"] or 0), int(parts["minute"] or 0), int(parts.get("second") or 0)
    ampm = (parts.get("ampm") or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return date.isoformat()
        hour = hour % 12 + (12 if ampm.startswith("p") else 0)
    try:
        stamp = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return date.isoformat()
    return stamp.isoformat() + _offset(parts.get("tz"))


def _offset(tz: str | None) -> str:
    """``+HH:MM`` for a numeric or UTC zone; empty (local time) for none."""
    if not tz:
        return ""
    tz = tz.strip().upper().removeprefix("UTC").removeprefix("GMT").strip()
    if tz in ("", "Z"):
        return "+00:00"
    sign, digits = tz[0], tz[1:].replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    if hours > 14 or minutes > 59:
        return ""
    return f"{sign}{hours:02d}:{minutes:02d}"
