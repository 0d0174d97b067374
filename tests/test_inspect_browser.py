"""The report and a diff page in a real browser: headless Chromium renders them, with the counts.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it). The test fails, not
skips, when it is missing: a report nobody checked in a browser is not tested.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from headless import find_chromium, run_chromium
from inspect_corpus import build, page_text

from corpus_tools.inspect.report import build_report, slug


@pytest.fixture(scope="module")
def chromium() -> str:
    found = find_chromium()
    if found is None:
        pytest.fail("chromium not found: install Debian's 'chromium' package (apt-get install -y chromium)")
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("browser")
    built = build(root / "ds")
    build_report(built.dataset, root / "site")
    return built, root / "site"


def decode_png(data: bytes) -> np.ndarray:
    """Pixels of an 8-bit non-interlaced RGB(A) PNG, what Chromium writes: rows x columns x RGB."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    assert header is not None
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    rows = np.zeros((height, stride), dtype=np.uint8)
    prior = np.zeros(stride, dtype=np.int32)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int32)
        if kind == 1:  # Sub: running sum per channel
            line = np.cumsum(line.reshape(width, channels), axis=0).reshape(-1) % 256
        elif kind == 2:  # Up
            line = (line + prior) % 256
        elif kind in (3, 4):  # Average, Paeth: each byte depends on the one before it
            out = [0] * stride
            values, above = line.tolist(), prior.tolist()
            for i in range(stride):
                left = out[i - channels] if i >= channels else 0
                up = above[i]
                if kind == 3:
                    out[i] = (values[i] + (left + up) // 2) % 256
                else:
                    corner = above[i - channels] if i >= channels else 0
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                    out[i] = (values[i] + pred) % 256
            line = np.array(out, dtype=np.int32)
        rows[y] = line
        prior = line
    return rows.reshape(height, width, channels)[:, :, :3]


def assert_rendered(png: Path) -> None:
    """Not blank: ink covers a real share of the page, in several colours (text, tags, highlights)."""
    pixels = decode_png(png.read_bytes())
    ink = (pixels.astype(np.int32).sum(axis=2) < 600).mean()  # clearly darker than the white page
    colours = len(np.unique(pixels.reshape(-1, 3)[::7], axis=0))
    assert ink > 0.01, f"{png.name}: only {ink:.2%} of the pixels hold ink"
    assert colours > 20, f"{png.name}: {colours} colours"


def test_report_index_renders_with_its_counts(chromium: str, site, tmp_path: Path) -> None:
    built, folder = site
    index = (folder / "index.html").resolve()
    shot = tmp_path / "index.png"
    run_chromium(
        chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,900", index.as_uri()
    )
    assert_rendered(shot)
    dom = run_chromium(chromium, tmp_path / "profile", "--dump-dom", index.as_uri()).stdout.decode("utf-8")
    text, _ = page_text(dom)
    figures = built.stats.as_dict()
    assert f"documents in {figures['documents_in']}" in text
    assert f"documents dropped (rejected) {figures['documents_dropped']}" in text
    assert f"strip_boilerplate:nav_menu {figures['edits_by_rule']['strip_boilerplate:nav_menu']}" in text


def test_diff_page_renders_with_tags_and_both_sides(chromium: str, site, tmp_path: Path) -> None:
    _, folder = site
    page = (folder / "diffs" / slug("a1")).resolve()
    shot = tmp_path / "diff.png"
    run_chromium(
        chromium, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1200,700", page.as_uri()
    )
    assert_rendered(shot)
    dom = run_chromium(chromium, tmp_path / "profile", "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    assert "<del>Home | World | Sport\n</del>" in dom
    text, _ = page_text(dom)
    assert "strip_boilerplate:nav_menu" in text and "fix_encoding:mojibake" in text
    assert text.count("The harbour bridge <b>reopened</b> & traffic") == 2  # raw and clean side, as text
