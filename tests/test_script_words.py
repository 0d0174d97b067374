"""Word counts fit the script: Chinese, Japanese and Thai are written without spaces between words."""

import pyarrow.parquet as pq

from corpus_tools.boilerplate.lines import units_of
from corpus_tools.cli import main
from corpus_tools.document import Document
from corpus_tools.steps.quality_filter import QualityFilter

# Short articles written for these tests: a handful of space-separated "words" each.
JAPANESE = (
    "市の図書館は来月から開館時間を延長すると発表した。平日は午後九時まで利用できるようになる。"
    "館長によると、仕事帰りの利用者から要望が多く寄せられていたという。\n\n"
    "新しい時間帯では、学習室と閲覧室も使える。職員の数も増やす予定だ。"
)
CHINESE = (
    "市政府周一宣布，新的公共自行车系统将于下个月正式投入使用。全市共设三百个站点，市民可以用手机扫码借车。"
    "\n\n负责人表示，第一个小时免费，之后每小时收费一元。该系统预计每天可以服务两万人次。"
)
THAI = (
    "เทศบาลเมืองประกาศว่าตลาดนัดริมแม่น้ำจะเปิดทุกวันเสาร์ตั้งแต่เดือนหน้าเป็นต้นไป "
    "พ่อค้าแม่ค้าสามารถลงทะเบียนได้ที่สำนักงานเขต\n\n"
    "เจ้าหน้าที่กล่าวว่าตลาดแห่งนี้จะช่วยให้เกษตรกรในพื้นที่ขายผลผลิตได้โดยตรง"
)


def test_unspaced_articles_pass_the_word_floor():
    for text in (JAPANESE, CHINESE, THAI):
        assert len(text.split()) < 20  # what a count by spaces sees
        doc = Document.from_raw("a", text)
        QualityFilter().process(doc)
        assert not doc.rejected, text[:20]


def test_a_short_unspaced_text_is_still_too_short():
    doc = Document.from_raw("a", "市の図書館は開館時間を延長する。")
    QualityFilter().process(doc)
    assert doc.rejected and doc.rejection.rule == "too_few_words"


def test_unspaced_scripts_count_about_a_word_per_few_characters():
    assert units_of(JAPANESE) >= 30
    assert units_of(THAI) >= 30
    assert units_of("one two three") == 3


def test_the_datasets_word_column_and_statistics_count_unspaced_scripts(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in (("ja", JAPANESE), ("zh", CHINESE), ("th", THAI)):
        (raw / f"{name}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "clean", str(raw), "--out", str(out), "--workers", "1"]) == 0
    rows = []
    for shard in sorted((out / "data").glob("train-*.parquet")):
        rows += pq.read_table(shard, columns=["id", "text", "n_words"]).to_pylist()
    assert sorted(row["id"] for row in rows) == ["ja", "th", "zh"]
    for row in rows:
        assert row["n_words"] == units_of(row["text"]) > len(row["text"].split()), row["id"]
    card = (out / "README.md").read_text(encoding="utf-8")
    assert f"{sum(row['n_words'] for row in rows):,}" in card
