"""Deduplication keys: 64-bit hashes of a normalised text (:mod:`corpus_tools.textnorm`) and of a URL."""

from __future__ import annotations

import re

import numpy as np
import xxhash


def exact_key(normalized: bytes | np.ndarray) -> int:
    """64-bit key of a normalised text: equal keys mean equal normalised texts.

    A 64-bit hash collides by chance with probability ~n²/2⁶⁵: about 3e-8 for a
    million documents. An array (:func:`corpus_tools.textnorm.normalized_array`) is hashed through its buffer,
    so it gives the key of its bytes.
    """
    return xxhash.xxh3_64_intdigest(normalized)  # type: ignore[arg-type]  # an array is a buffer


def url_key(url: str) -> int:
    """Key of a URL with what does not name the page removed (scheme, ``www.``, fragment, final slash)."""
    url = url.strip().lower().split("#", 1)[0]
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url)
    url = url.removeprefix("www.").rstrip("/")
    return xxhash.xxh3_64_intdigest(url.encode("utf-8", "surrogatepass"))


def id_hash(doc_id: str, raw_path: str | None) -> int:
    """A document's key: its id and where it was read, since two inputs may repeat an id
    (the writer renames the second copy, after this step has told the two apart)."""
    where = f"{doc_id}\0{raw_path}" if raw_path else doc_id
    return xxhash.xxh3_64_intdigest(where.encode("utf-8", "surrogatepass"))
