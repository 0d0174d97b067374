"""WARC and WET input: what becomes a document, what is counted, what is rejected, and that
damage in the middle of an archive does not lose the records after it.

The archives are written here with FastWARC's own writer from pages the tests make up.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from fastwarc.stream_io import GzipWriter
from fastwarc.warc import WarcRecord, WarcRecordType
from read_pages import read_extracted

from corpus_tools.cli import main
from corpus_tools.readers import expand_inputs
from corpus_tools.stats import RunStats
from corpus_tools.steps.extract_html import ExtractHtml

ARTICLE = (
    "The river authority opened the new weir on Tuesday after three years of work. "
    "Engineers say the structure will hold back spring floods that have reached the old "
    "market square four times in the last decade. Residents who lost shops in the last "
    "flood watched the gates close for the first time."
)
SECOND = (
    "Fishermen downstream worry that the weir will change where the trout spawn, and the "
    "authority has promised to measure the water every month for the next five years and "
    "to publish what it finds on the town hall notice board."
)


def page(title: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    )


def http_response(body: bytes, status: str = "200 OK", content_type: str | None = "text/html") -> bytes:
    head = f"HTTP/1.1 {status}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    head += f"Content-Length: {len(body)}\r\n\r\n"
    return head.encode("latin-1") + body


def record(kind: WarcRecordType, uri: str, content: bytes, content_type: str, http: bool = False) -> bytes:
    item = WarcRecord()
    item.init_headers(kind)
    item.headers["WARC-Target-URI"] = uri
    item.headers["WARC-Date"] = "2024-05-02T10:00:00Z"
    item.headers["Content-Type"] = content_type
    item.set_bytes_content(content)
    item.is_http = http
    out = io.BytesIO()
    item.write(out)
    return out.getvalue()


def response(uri: str, body: bytes, **http: str | None) -> bytes:
    return record(
        WarcRecordType.response,
        uri,
        http_response(body, **http),
        "application/http; msgtype=response",
        http=True,
    )


def request(uri: str) -> bytes:
    content = f"GET {uri} HTTP/1.1\r\nHost: example.org\r\n\r\n".encode()
    return record(WarcRecordType.request, uri, content, "application/http; msgtype=request", http=True)


def gzip_members(records: list[bytes]) -> bytes:
    """One gzip member per record, as crawlers write ``.warc.gz``."""
    return b"".join(gzip.compress(item, mtime=0) for item in records)


def gzip_with_fastwarc(path: Path, records: list[bytes]) -> None:
    with path.open("wb") as raw:
        writer = GzipWriter(raw)
        for item in records:
            WarcRecord.from_bytes(item).write(writer)
            writer.finish()  # close the member: the next record starts a new one
        writer.close()


def read(path: Path) -> dict[str, object]:
    """The documents of ``path`` by id, as the chain's first step leaves them."""
    return {doc.id: doc for doc in read_extracted(path)}


# what the crawl fixture holds besides its page, by the kind the reader counts it as
CRAWL_SKIPPED = {
    "non_html": 2,  # the PNG and the PDF
    "redirect": 1,
    "request": 1,
    "resource": 1,  # the crawler's log
    "status_404": 1,
    "warcinfo": 1,
}


@pytest.fixture
def crawl(tmp_path: Path) -> Path:
    records = [
        record(WarcRecordType.warcinfo, "", b"software: test\r\n", "application/warc-fields"),
        request("https://www.example.org/weir"),
        # in angle brackets, as wget writes it
        response("<https://www.example.org/weir>", page("Weir opens", [ARTICLE, SECOND]).encode()),
        response("https://www.example.org/old", b"", status="301 Moved Permanently", content_type=None),
        response("https://www.example.org/gone", b"<html>not here</html>", status="404 Not Found"),
        response("https://www.example.org/logo.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png"),
        response("https://www.example.org/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf"),
        # a crawler's own log (wget writes one): counted, not a document
        record(WarcRecordType.resource, "<metadata://wget/wget.log>", ARTICLE.encode(), "text/plain"),
    ]
    path = tmp_path / "crawl" / "site.warc.gz"
    path.parent.mkdir()
    gzip_with_fastwarc(path, records)
    return path


def test_html_response_becomes_a_document_with_url_date_and_record_id(crawl):
    docs = read(crawl)
    kept = [doc for doc in docs.values() if not doc.rejected]
    assert len(kept) == 1
    doc = kept[0]
    assert "new weir on Tuesday" in doc.text and "Fishermen downstream" in doc.text
    assert "Home" not in doc.text  # went through the HTML front end
    assert doc.meta["url"] == "https://www.example.org/weir"
    assert doc.meta["source"] == "example.org"
    assert doc.meta["date"] == "2024-05-02T10:00:00Z"  # no date in the page: the capture date
    extra = json.loads(doc.meta["extra"])
    assert extra["warc_record_id"].startswith("<urn:uuid:")
    assert extra["warc_date"] == "2024-05-02T10:00:00Z"
    offset = int(doc.id.rsplit(":", 1)[1])
    assert doc.id == f"site:{offset}" and doc.meta["raw_path"] == f"{crawl.as_posix()}:{offset}"
    # the id names the record: reading the file from that offset gives this record first
    with crawl.open("rb") as stream:
        stream.seek(offset)
        assert b"example.org/weir" in gzip.GzipFile(fileobj=stream).read(600)


def test_ids_are_the_same_on_every_read(crawl):
    assert list(read(crawl)) == list(read(crawl))


def test_records_not_kept_are_counted_by_kind_in_one_row(crawl):
    docs = read(crawl)
    skipped = [doc for doc in docs.values() if doc.rejected and doc.rejection.rule == "warc_records_skipped"]
    assert len(skipped) == 1 and skipped[0].id == "site:skipped"
    counts = json.loads(skipped[0].meta["extra"])["warc_records_skipped"]
    assert counts == CRAWL_SKIPPED
    assert "7 records counted, not kept" in skipped[0].rejection.detail
    stats = RunStats()
    for doc in docs.values():
        stats.add(doc)
    assert stats.as_dict()["warc_records_skipped"]["non_html"] == 2
    assert any("WARC records counted, not kept: 7" in line for line in stats.summary_lines())
    assert len(docs) == 2  # the page and the count row: nothing else kept or rejected


def test_wet_conversion_records_are_text_documents(tmp_path):
    text = f"{ARTICLE}\n{SECOND}\n"
    records = [
        record(WarcRecordType.warcinfo, "", b"isPartOf: test\r\n", "application/warc-fields"),
        record(WarcRecordType.conversion, "https://news.example.net/a", text.encode(), "text/plain"),
        record(WarcRecordType.conversion, "https://news.example.net/b", b"  \n", "text/plain"),
    ]
    path = tmp_path / "CC-MAIN-test.warc.wet.gz"
    path.write_bytes(gzip_members(records))
    docs = read(path)
    kept = [doc for doc in docs.values() if not doc.rejected]
    assert [doc.text for doc in kept] == [text]  # text as it is, no HTML extraction
    assert kept[0].id.startswith("CC-MAIN-test.warc:")
    assert (
        kept[0].meta["url"] == "https://news.example.net/a" and kept[0].meta["source"] == "news.example.net"
    )
    assert [doc.rejection.rule for doc in docs.values() if doc.rejected] == ["empty", "warc_records_skipped"]


def test_charset_from_the_http_header_decodes_a_windows_1252_page(tmp_path):
    html = page("Café crème", [ARTICLE + " Prices rose by 5 € at the café — “sharply”."])
    records = [
        response(
            "http://example.org/cafe",
            html.encode("cp1252"),
            content_type="text/html; charset=windows-1252",
        ),
        response(
            "http://example.org/meta",
            page("Naïve", [ARTICLE + " A naïve café."], '<meta charset="iso-8859-1">').encode("latin-1"),
        ),
    ]
    path = tmp_path / "pages.warc"
    path.write_bytes(b"".join(records))
    docs = [doc for doc in read(path).values() if not doc.rejected]
    assert "5 € at the café — “sharply”" in docs[0].text
    assert json.loads(docs[0].meta["extra"])["charset_from"] == "http"
    assert "A naïve café." in docs[1].text
    extra = json.loads(docs[1].meta["extra"])
    assert (extra["charset"], extra["charset_from"]) == ("cp1252", "meta")


@pytest.mark.parametrize("compressed", [True, False])
def test_a_corrupt_record_is_rejected_and_the_records_after_it_are_read(tmp_path, compressed):
    pages = [
        response(f"http://example.org/{n}", page(f"Story {n}", [f"Story {n}. {ARTICLE}", SECOND]).encode())
        for n in range(3)
    ]
    if compressed:
        members = [gzip.compress(item, mtime=0) for item in pages]
        broken = bytearray(members[1])
        broken[40:60] = b"\x00" * 20  # deflate data garbled inside the second member
        data = members[0] + bytes(broken) + members[2]
        path = tmp_path / "damaged.warc.gz"
    else:
        broken = b"XARC" + pages[1][4:]  # the record's first line garbled
        data = pages[0] + broken + pages[2]
        path = tmp_path / "damaged.warc"
    path.write_bytes(data)
    docs = read(path)
    kept = sorted(doc.meta["url"] for doc in docs.values() if not doc.rejected)
    assert kept == ["http://example.org/0", "http://example.org/2"]
    third = data.index(members[2] if compressed else pages[2])
    assert docs[f"damaged:{third}"].meta["url"] == "http://example.org/2"  # offsets stay the file's own
    damaged = [doc for doc in docs.values() if doc.rejected and doc.rejection.rule == "warc_damaged"]
    assert len(damaged) == 1
    assert (
        path.as_posix() in damaged[0].rejection.detail
        and "where reading resumed" in damaged[0].rejection.detail
    )


def test_a_truncated_last_record_is_rejected_with_its_url(tmp_path):
    pages = [
        response(f"http://example.org/{n}", page(f"Story {n}", [f"Story {n}. {ARTICLE}", SECOND]).encode())
        for n in range(2)
    ]
    path = tmp_path / "cut.warc"
    path.write_bytes(b"".join(pages)[:-200])  # the crawl stopped while writing
    docs = read(path)
    rejected = [doc for doc in docs.values() if doc.rejected]
    assert [doc.meta["url"] for doc in docs.values() if not doc.rejected] == ["http://example.org/0"]
    assert len(rejected) == 1 and rejected[0].rejection.rule == "warc_truncated"
    assert "http://example.org/1" in rejected[0].rejection.detail


def test_warc_truncated_header_and_broken_http_encoding_are_rejected(tmp_path):
    body = page("Story", [ARTICLE, SECOND]).encode()
    marked = WarcRecord.from_bytes(response("http://example.org/cut", body))
    marked.headers["WARC-Truncated"] = "length"
    out = io.BytesIO()
    marked.write(out)
    bad_gzip = http_response(gzip.compress(body)[:40] + b"garbage", content_type="text/html")
    bad_gzip = bad_gzip.replace(b"Content-Type", b"Content-Encoding: gzip\r\nContent-Type", 1)
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body)
    ok_chunked = http_response(chunked).replace(
        b"Content-Length", b"Transfer-Encoding: chunked\r\nX-Length", 1
    )
    records = [
        out.getvalue(),
        record(WarcRecordType.response, "http://example.org/gz", bad_gzip, "application/http", http=True),
        record(
            WarcRecordType.response, "http://example.org/chunked", ok_chunked, "application/http", http=True
        ),
    ]
    path = tmp_path / "odd.warc"
    path.write_bytes(b"".join(records))
    docs = list(read(path).values())
    assert [doc.rejection.rule if doc.rejected else "kept" for doc in docs] == [
        "warc_truncated",
        "warc_bad_encoding",
        "kept",
    ]
    assert "Fishermen downstream" in docs[2].text


def test_clean_counts_skipped_records_in_run_json_and_the_stats_command(
    crawl, tmp_path, spine_config, capsys
):
    out = tmp_path / "out"
    assert (
        main(["clean", str(crawl.parent), "--out", str(out), "--config", str(spine_config), "--workers", "2"])
        == 0
    )
    stats = json.loads((out / "run.json").read_text())["stats"]
    assert stats["warc_records_skipped"] == CRAWL_SKIPPED
    assert stats["documents_out"] == 1
    capsys.readouterr()
    assert main(["stats", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["warc_records_skipped"] == stats["warc_records_skipped"]


def test_zstd_compressed_warc_is_read(tmp_path):
    import zstandard

    pages = [
        response(f"http://example.org/{n}", page(f"Story {n}", [f"Story {n}. {ARTICLE}", SECOND]).encode())
        for n in range(2)
    ]
    path = tmp_path / "crawl.warc.zst"
    path.write_bytes(b"".join(zstandard.ZstdCompressor().compress(item) for item in pages))  # a frame each
    docs = read(path)
    assert sorted(doc.meta["url"] for doc in docs.values() if not doc.rejected) == [
        "http://example.org/0",
        "http://example.org/1",
    ]


def test_a_big_warc_gz_is_split_into_units_that_read_what_the_whole_file_reads(tmp_path):
    from corpus_tools.run.units import Reading, plan_units

    records = []
    for n in range(40):
        records.append(request(f"http://example.org/{n}"))
        records.append(
            response(f"http://example.org/{n}", page(f"Story {n}", [f"Story {n}. {ARTICLE}"]).encode())
        )
    members = [gzip.compress(item, mtime=0) for item in records]
    broken = bytearray(members[41])  # the response of story 20, in the middle of the file
    broken[40:60] = b"\x00" * 20
    members[41] = bytes(broken)
    path = tmp_path / "big.warc.gz"
    path.write_bytes(b"".join(members))
    whole = read(path)
    files = expand_inputs([str(path)])
    units = list(plan_units(files, unit_bytes=len(members[0]) * 7))  # cuts fall inside records
    assert len(units) > 5 and all(unit.span for unit in units)
    split = [doc for unit in units for doc in unit.read(Reading())]
    for doc in split:
        ExtractHtml().process(doc)
    assert len({doc.id for doc in split}) == len(split)
    kept = {doc.id: doc.text for doc in whole.values() if not doc.rejected}
    assert {doc.id: doc.text for doc in split if not doc.rejected} == kept and len(kept) == 39
    assert [doc.id for doc in split if doc.rejected and doc.rejection.rule == "warc_damaged"] == [
        doc.id for doc in whole.values() if doc.rejected and doc.rejection.rule == "warc_damaged"
    ]
    stats = RunStats()
    for doc in split:
        stats.add(doc)
    assert stats.warc_records_skipped == {"request": 40}


def test_a_warc_gz_of_one_gzip_stream_stays_one_unit(tmp_path):
    from corpus_tools.run.units import plan_units

    records = [response(f"http://example.org/{n}", page(f"Story {n}", [ARTICLE]).encode()) for n in range(20)]
    path = tmp_path / "one-stream.warc.gz"
    path.write_bytes(gzip.compress(b"".join(records), mtime=0))  # as `gzip crawl.warc` makes it
    units = list(plan_units(expand_inputs([str(path)]), unit_bytes=200))
    assert len(units) == 1 and units[0].span is None


def test_a_payload_over_the_record_cap_is_rejected_unread(tmp_path):
    from corpus_tools.readers.stream import Limits
    from corpus_tools.readers.warc import read_warc

    small = page("Short", [ARTICLE]).encode()
    big = page("Long", [ARTICLE] * 40).encode()
    path = tmp_path / "sizes.warc"
    path.write_bytes(response("http://example.org/small", small) + response("http://example.org/big", big))
    item = expand_inputs([str(path)])[0]
    docs = list(read_warc(item, limits=Limits(max_record_bytes=len(small) + 100)))
    assert [doc.rejection.rule if doc.rejected else doc.meta["url"] for doc in docs] == [
        "http://example.org/small",
        "record_too_large",
    ]
    assert (
        "--max-record-bytes" in docs[1].rejection.detail
        and "http://example.org/big" in docs[1].rejection.detail
    )


@pytest.mark.parametrize("claimed", ["under the cap", "over the cap"])
@pytest.mark.parametrize("compressed", [True, False])
def test_a_record_claiming_more_than_the_file_holds_does_not_swallow_the_next(tmp_path, compressed, claimed):
    pages = [
        response(f"http://example.org/{n}", page(f"Story {n}", [f"Story {n}. {ARTICLE}", SECOND]).encode())
        for n in range(3)
    ]
    length = pages[1].split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0]
    lie = b"Content-Length: " + (b"99999" if claimed == "under the cap" else b"999999999999")
    pages[1] = pages[1].replace(b"Content-Length: " + length, lie, 1)  # the WARC header's, not the HTTP one
    path = tmp_path / ("lie.warc.gz" if compressed else "lie.warc")
    path.write_bytes(gzip_members(pages) if compressed else b"".join(pages))
    docs = read(path)
    assert sorted(doc.meta["url"] for doc in docs.values() if not doc.rejected) == [
        "http://example.org/0",
        "http://example.org/2",
    ]
    rejected = [doc for doc in docs.values() if doc.rejected]
    assert [doc.rejection.rule for doc in rejected] == ["warc_truncated"]
    assert "http://example.org/1" in rejected[0].rejection.detail


def test_damage_after_a_good_record_is_told_as_after_it(tmp_path):
    good = response("http://example.org/0", page("Story 0", [f"Story 0. {ARTICLE}", SECOND]).encode())
    last = response("http://example.org/1", page("Story 1", [f"Story 1. {ARTICLE}", SECOND]).encode())
    path = tmp_path / "noise.warc"
    path.write_bytes(good + b"\x07 not a record \x07" * 50 + last)
    docs = read(path)
    damaged = [doc for doc in docs.values() if doc.rejected and doc.rejection.rule == "warc_damaged"]
    assert len(damaged) == 1
    # the record at offset 0 was read whole: the damage is not "from" there
    assert "noise.warc:0: archive unreadable after the record read here" in damaged[0].rejection.detail


def test_a_brotli_body_is_decoded_only_up_to_the_record_cap(tmp_path):
    import tracemalloc

    import brotli

    from corpus_tools.readers.stream import Limits
    from corpus_tools.readers.warc import read_warc

    cap = 1 << 20
    bomb = brotli.compress(b"\0" * (128 << 20))  # a few hundred bytes on disk
    body = http_response(bomb).replace(b"Content-Type", b"Content-Encoding: br\r\nContent-Type", 1)
    ok = page("Story", [ARTICLE, SECOND]).encode()
    fine = http_response(brotli.compress(ok)).replace(
        b"Content-Type", b"Content-Encoding: br\r\nContent-Type", 1
    )
    cut = http_response(brotli.compress(ok)[:-8]).replace(
        b"Content-Type", b"Content-Encoding: br\r\nContent-Type", 1
    )
    path = tmp_path / "br.warc"
    path.write_bytes(
        b"".join(
            record(
                WarcRecordType.response, f"http://example.org/{name}", content, "application/http", http=True
            )
            for name, content in (("bomb", body), ("fine", fine), ("cut", cut))
        )
    )
    item = expand_inputs([str(path)])[0]
    tracemalloc.start()
    try:
        docs = list(read_warc(item, limits=Limits(max_record_bytes=cap)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [doc.rejection.rule if doc.rejected else "kept" for doc in docs] == [
        "record_too_large",
        "kept",
        "warc_bad_encoding",
    ]
    assert peak < 16 * cap  # what the cap bounds, not what the body would expand to
