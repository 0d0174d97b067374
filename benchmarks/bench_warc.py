"""Speed of the WARC reader beside the WARC libraries' own iteration over the same file.

A synthetic crawl is written to ``benchmarks/out/`` (once; kept between runs): ``--pages``
HTML pages of the seeded synthetic news corpus (``synth.py``), each as a request and a
response record, with one image response every ``IMAGE_EVERY`` pages, in a ``.warc.gz`` of
one gzip member per record as crawlers write them; and the same pages' text as a WET file
of ``conversion`` records. Reported, one process, CPU time (the machine is shared):

* FastWARC and warcio iterating over every record and reading every payload (the floor
  any reader built on them pays);
* ``read_warc`` on the WARC: documents/s of the whole reader, HTML extraction included,
  which is where its time goes;
* ``read_warc`` on the WET file: documents/s of the reader without HTML extraction (its own
  overhead over the bare iteration: record classification, charset, metadata).

usage: python benchmarks/bench_warc.py [--pages 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth import generate  # noqa: E402

from corpus_tools.readers.files import InputFile  # noqa: E402
from corpus_tools.readers.warc import read_warc  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
IMAGE_EVERY = 10  # one image response per this many pages, for the records the reader only counts
WARC_DATE = "2025-03-01T12:00:00Z"


def _record(kind: WarcRecordType, uri: str, content: bytes, content_type: str, http: bool) -> bytes:
    item = WarcRecord()
    item.init_headers(kind)
    item.headers["WARC-Target-URI"] = uri
    item.headers["WARC-Date"] = WARC_DATE
    item.headers["Content-Type"] = content_type
    item.set_bytes_content(content)
    item.is_http = http
    out = io.BytesIO()
    item.write(out)
    return gzip.compress(out.getvalue(), compresslevel=6, mtime=0)


def _response(uri: str, body: bytes, content_type: str) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    return _record(
        WarcRecordType.response, uri, head.encode() + body, "application/http; msgtype=response", True
    )


def _html(title: str, text: str) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.split("\n") if line.strip())
    head = f"<meta charset='utf-8'><title>{title}</title>"
    return f"<!DOCTYPE html><html><head>{head}</head><body>{paragraphs}</body></html>"


def build(pages: int) -> tuple[Path, Path]:
    """The synthetic WARC and WET files for ``pages`` pages (written once)."""
    OUT.mkdir(exist_ok=True)
    warc, wet = OUT / f"crawl-{pages}.warc.gz", OUT / f"crawl-{pages}.warc.wet.gz"
    if warc.exists() and wet.exists():
        return warc, wet
    with warc.open("wb") as warc_out, wet.open("wb") as wet_out:
        for number, item in enumerate(generate(pages, seed=1)):
            uri = item["url"]
            request = f"GET {uri} HTTP/1.1\r\nHost: example\r\n\r\n".encode()
            warc_out.write(
                _record(WarcRecordType.request, uri, request, "application/http; msgtype=request", True)
            )
            warc_out.write(
                _response(uri, _html(item["id"], item["text"]).encode(), "text/html; charset=utf-8")
            )
            wet_out.write(_record(WarcRecordType.conversion, uri, item["text"].encode(), "text/plain", False))
            if number % IMAGE_EVERY == 0:
                warc_out.write(_response(f"{uri}.png", b"\x89PNG\r\n\x1a\n" + bytes(2000), "image/png"))
    return warc, wet


def fastwarc_iteration(path: Path) -> int:
    records = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            record.reader.read()
            records += 1
    return records


def warcio_iteration(path: Path) -> int:
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    records = 0
    with path.open("rb") as stream:
        for record in WarcioIterator(stream):
            record.content_stream().read()
            records += 1
    return records


def reader(path: Path) -> int:
    item = InputFile(path, path.name, "warc")
    return sum(1 for doc in read_warc(item) if not doc.rejected)


def timed(run: Callable[[Path], int], path: Path, repeat: int) -> tuple[int, float]:
    """Items and the best CPU seconds of ``repeat`` runs."""
    best = float("inf")
    count = 0
    for _ in range(repeat):
        start = time.process_time()
        count = run(path)
        best = min(best, time.process_time() - start)
    return count, best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    warc, wet = build(args.pages)
    print(f"{warc.name}: {warc.stat().st_size / 1e6:.1f} MB, {wet.name}: {wet.stat().st_size / 1e6:.1f} MB")
    print(f"{'what':<44} {'items':>7} {'CPU s':>7} {'items/s':>9}")
    rows = [
        ("FastWARC: iterate, read payloads (records)", fastwarc_iteration, warc, args.repeat),
        ("warcio: iterate, read payloads (records)", warcio_iteration, warc, args.repeat),
        ("FastWARC on the WET file (records)", fastwarc_iteration, wet, args.repeat),
        ("warcio on the WET file (records)", warcio_iteration, wet, args.repeat),
        ("read_warc on the WET file (documents)", reader, wet, args.repeat),
        ("read_warc on the WARC, HTML extraction (docs)", reader, warc, 1),
    ]
    for name, run, path, repeat in rows:
        count, seconds = timed(run, path, repeat)
        print(f"{name:<44} {count:>7} {seconds:>7.2f} {count / seconds:>9.0f}")


if __name__ == "__main__":
    main()
