"""Keep policies: which copy of a cluster stays in the corpus.

Each document gets one integer rank when its summary is collected (lower is better);
within a cluster the lowest rank wins and ties go to the first seen, so the choice is
deterministic and needs 8 bytes per document, not the documents.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any, Literal

KeepPolicy = Literal["longest", "earliest_date", "most_metadata", "first_seen"]

_NO_DATE = 1 << 62  # undated documents lose to dated ones under earliest_date
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def rank(policy: KeepPolicy, length: int, meta: dict[str, Any]) -> int:
    """The document's rank under ``policy``: the cluster keeps its lowest-ranked member."""
    if policy == "longest":
        return -length
    if policy == "earliest_date":
        return _timestamp(meta.get("date"))
    if policy == "most_metadata":
        return -metadata_count(meta)
    return 0  # first_seen: every rank ties, the collection order decides


def metadata_count(meta: dict[str, Any]) -> int:
    """Descriptive fields present: provenance (``raw_*``) and our own bookkeeping do not count."""
    return sum(
        1
        for key, value in meta.items()
        if value not in (None, "", [], {}) and not key.startswith("raw_") and not key.startswith("cluster_")
    )


def _timestamp(value: Any) -> int:
    """Seconds since the epoch (UTC) of a date, datetime or ISO string; undated ranks last."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return int(moment.timestamp())
    if isinstance(value, date):
        return int(datetime(value.year, value.month, value.day, tzinfo=timezone.utc).timestamp())
    if isinstance(value, str) and value.strip():
        try:
            return _timestamp(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
        except ValueError:
            match = _ISO_DAY.search(value)
            if match:
                try:
                    return _timestamp(date(*map(int, match.groups())))
                except ValueError:
                    pass
    return _NO_DATE
