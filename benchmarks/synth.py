"""A seeded synthetic news corpus with known duplicates, for the dedup and site-template benchmarks.

Why synthetic: to measure pair precision and recall we need *every* pair of copies and
its true similarity, which no scraped corpus gives. The generator writes news-like prose
(sentences of Zipf-distributed pseudo-words with function words, names, figures, quotes)
from several sites, each wrapping its articles in its own header and footer lines (menus,
newsletter calls, copyright, related headlines from a per-site pool). Then it syndicates:

* ``exact`` copies: the same body under another site's boilerplate, with the other site's
  typography (curly or straight quotes, dashes, spacing) - equal once normalised;
* ``near`` copies: word edits (replace, insert, delete), truncation and paragraph moves,
  alone or combined, of the original or of an earlier copy (wire chains), spread so
  that true Jaccard similarities fall on both sides of 0.8.

Each record has ``id, text, url, date`` (what a reader would produce) and, for scoring,
``site``, ``body`` (the article without boilerplate: what the cleaning chain should leave),
``family`` (documents derived from one original), ``kind`` and ``edit``.
Families are written contiguously, so a scorer can compute the true similarities of a
family's pairs with one family in memory.

Usage: ``python benchmarks/synth.py --docs 10000 --seed 1 --out corpus.jsonl``, or
``generate(n_docs, seed)`` as a library.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FUNCTION_WORDS = (  # noqa: SIM905 - word lists read better as text
    "the the the of of and and to to in in a a that is was for on with as by at from it its "
    "has have had be been were are will would could said says after before over under about "
    "more than this which who their they his her not but also into against while during"
).split()
SYLLABLES = (  # noqa: SIM905
    "ba be bi bo bu ca ce ci co da de di do du fa fe fi fo ga ge go ha he hi ho ka ke ki ko la le li "
    "lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va "
    "ve vi vo za ze zi zo an en in on ar er ir or al el il ol st tr pr gr"
).split()
SECTIONS = ("world", "politics", "business", "science", "culture", "sport", "health", "tech")


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables))


class _Prose:
    """News-like prose: Zipf-distributed content words between function words."""

    def __init__(self, rng: random.Random, vocabulary: int = 30000) -> None:
        self.rng = rng
        self.words = list(dict.fromkeys(_word(rng, rng.randint(2, 4)) for _ in range(vocabulary * 2)))[
            :vocabulary
        ]
        self.cumulative = list(
            itertools.accumulate(1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words)))
        )
        self.names = [_word(rng, rng.randint(2, 3)).capitalize() for _ in range(3000)]

    def content(self) -> str:
        point = self.rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_left(self.cumulative, point)]

    def sentence(self) -> str:
        rng = self.rng
        words: list[str] = []
        for _ in range(rng.randint(12, 30)):
            roll = rng.random()
            if roll < 0.42:
                words.append(rng.choice(FUNCTION_WORDS))
            elif roll < 0.50:
                words.append(rng.choice(self.names))
            elif roll < 0.53:
                words.append(str(rng.choice((rng.randint(2, 99), rng.randint(100, 9999)))))
            else:
                words.append(self.content())
        if rng.random() < 0.15:
            words.insert(rng.randint(3, len(words) - 2), ",")
        text = " ".join(words).replace(" ,", ",")
        text = text[0].upper() + text[1:] + "."
        if rng.random() < 0.12:
            text = f'"{text[:-1]}," {rng.choice(self.names)} {rng.choice(self.names)} said.'
        return text

    def article(self, target_chars: int) -> tuple[str, list[str]]:
        """A headline and paragraphs of about ``target_chars`` characters."""
        title = " ".join(self.content() for _ in range(self.rng.randint(5, 10))).capitalize()
        paragraphs: list[str] = []
        size = 0
        while size < target_chars:
            paragraph = " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 1
        return title, paragraphs


class _Site:
    """A site: its domain, typography and boilerplate lines."""

    def __init__(self, rng: random.Random, prose: _Prose, index: int) -> None:
        self.name = _word(rng, 3).capitalize() + rng.choice((" News", " Times", " Post", " Daily", " Herald"))
        self.domain = self.name.lower().replace(" ", "") + ".example"
        self.curly = index % 2 == 1  # half the sites set curly quotes and dashes
        menu = " | ".join(s.capitalize() for s in rng.sample(SECTIONS, 6))
        self.header = [self.name, f"Home | {menu}", rng.choice(("Subscribe", "Sign in", "Log in | Register"))]
        self.footer = [
            f"Sign up for the {self.name} newsletter to get the day's stories in your inbox.",
            f"Follow {self.name} on social media.",
            f"\u00a9 2025 {self.name}. All rights reserved.",
            "Privacy policy | Terms of use | Contact us",
        ]
        self.related = [
            " ".join(prose.content() for _ in range(rng.randint(4, 8))).capitalize() for _ in range(30)
        ]

    def typeset(self, line: str) -> str:
        if not self.curly:
            return line
        out, opening = [], True
        for char in line:
            if char == '"':
                out.append("\u201c" if opening else "\u201d")
                opening = not opening
            else:
                out.append(char)
        return "".join(out).replace("'", "\u2019").replace(" - ", " \u2014 ")

    def page(self, rng: random.Random, title: str, paragraphs: list[str], day: date) -> tuple[str, str]:
        """(raw text with boilerplate, body without it)."""
        body_lines = [self.typeset(title), *(self.typeset(p) for p in paragraphs)]
        related = ["Related stories", *rng.sample(self.related, 3)]
        dateline = f"Published {day:%d %B %Y}"
        raw = [*self.header, body_lines[0], dateline, *body_lines[1:], *related, *self.footer]
        return "\n".join(raw), "\n".join(body_lines)


def _edit_words(rng: random.Random, prose: _Prose, paragraphs: list[str], rate: float) -> list[str]:
    out = []
    for paragraph in paragraphs:
        words = paragraph.split(" ")
        edited: list[str] = []
        for word in words:
            roll = rng.random()
            if roll < rate / 3:
                edited.append(prose.content())  # replace
            elif roll < 2 * rate / 3:
                continue  # delete
            elif roll < rate:
                edited.extend((word, prose.content()))  # insert
            else:
                edited.append(word)
        out.append(" ".join(edited) or paragraph)
    return out


def _near_copy(rng: random.Random, prose: _Prose, paragraphs: list[str]) -> tuple[list[str], str]:
    """An edited copy and a description of the edits."""
    kind = rng.choice(("words", "truncate", "move", "words+truncate", "words+move"))
    out = list(paragraphs)
    notes = []
    if "truncate" in kind:
        keep = rng.uniform(0.55, 0.98)
        words = "\n".join(out).split(" ")
        out = " ".join(words[: max(1, int(len(words) * keep))]).split("\n")
        notes.append(f"truncate:{keep:.2f}")
    if "move" in kind and len(out) > 2:
        for _ in range(rng.randint(1, 3)):
            out.insert(rng.randrange(len(out)), out.pop(rng.randrange(len(out))))
        notes.append("move")
    if "words" in kind:
        rate = rng.uniform(0.0, 0.07)
        out = _edit_words(rng, prose, out, rate)
        notes.append(f"words:{rate:.3f}")
    return out, ",".join(notes)


def generate(n_docs: int, seed: int = 1, sites: int = 8, copy_share: float = 0.3) -> Iterator[dict]:
    """Yield ``n_docs`` records, families contiguous; about ``copy_share`` of them are copies."""
    rng = random.Random(seed)
    prose = _Prose(rng)
    site_list = [_Site(rng, prose, index) for index in range(sites)]
    start = date(2025, 1, 1)
    emitted = 0
    family = 0
    while emitted < n_docs:
        title, paragraphs = prose.article(rng.randint(3000, 5000))
        day = start + timedelta(days=rng.randrange(300))
        copies = 0
        if rng.random() < copy_share / (1 - copy_share) / 2.5:  # families of ~1-4 copies
            copies = min(rng.randint(1, 4), n_docs - emitted - 1)
        versions = [(paragraphs, "original", "")]
        for _ in range(copies):
            source = rng.choice(versions)[0] if rng.random() < 0.3 else paragraphs
            if rng.random() < 0.3:
                versions.append((paragraphs, "exact", ""))
            else:
                edited, note = _near_copy(rng, prose, source)
                versions.append((edited, "near", note))
        for number, (body_paragraphs, kind, note) in enumerate(versions):
            site = rng.choice(site_list)
            published = day + timedelta(days=number and rng.randint(0, 3))
            text, body = site.page(rng, title, body_paragraphs, published)
            slug = "-".join(title.lower().split()[:6])
            yield {
                "id": f"doc{emitted:07d}",
                "text": text,
                "url": f"https://www.{site.domain}/{rng.choice(SECTIONS)}/{slug}-{family}",
                "date": published.isoformat(),
                "site": site.domain,
                "body": body,
                "family": family,
                "kind": kind,
                "edit": note,
            }
            emitted += 1
        family += 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="JSONL file (default: stdout)")
    args = parser.parse_args(argv)
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    for record in generate(args.docs, args.seed):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    if args.out:
        out.close()


if __name__ == "__main__":
    main()
