"""Headless Chromium, for checking that the report's pages render (the browser test, bench_report.py).

The report is a static site meant for a browser; the only faithful check that it renders is
a browser. These flags make Debian's ``chromium`` run in a container with no display, no
sandbox and no network chatter, so a run is quick and repeatable.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def run_chromium(
    chromium: str, profile: Path, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """Run ``chromium`` headless with its own profile folder; raises if it fails."""
    return subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=timeout,
        check=True,
    )
