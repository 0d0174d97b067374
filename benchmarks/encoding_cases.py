"""Damaged/original pairs for the encoding evaluation, written for this project (not from any DEV set).

Sentences are made from templates and lists of names, places, prices, measurements and
symbols written here (names and places of many languages: cs, de, es, fr, hu, is, pl, pt,
ro, sv, tr...). Each original is then damaged the way real pipelines damage text, over the
whole text (so its quotes, dashes and no-break spaces are damaged too):

| kind | damage |
| --- | --- |
| accents_question | accented names and places; ``str.encode('ascii', 'replace')`` |
| accents_fffd | the same sentences; every non-ASCII character became U+FFFD |
| accents_witness | a headline that kept its accents, then a body that lost them to ``?`` |
| nbsp_question | numbers with units, thousands, "p. 12", French punctuation; ascii replace |
| currency_question | prices in £, €, ¥; ascii replace |
| symbols_question | ©, °, ½, ™; ascii replace |
| mojibake | UTF-8 read as Windows-1252 |
| control | correct texts with real question marks, accents and symbols: must not change |

Deterministic: the same cases on every run. ``python benchmarks/encoding_cases.py OUT.jsonl``
writes them in the format of ``score.py`` (``id``, ``damaged``, ``original``, ``kind``).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path

NBSP = "\u00a0"
NNBSP = "\u202f"

# (person, place) pairs; each language's own letters
PEOPLE = [
    ("Tomáš Novák", "Brno"),
    ("Jiří Dvořák", "Plzeň"),
    ("Jürgen Weiß", "Jüterbog"),
    ("Björn Müller", "Göttingen"),
    ("Gabriel García", "Cádiz"),
    ("Begoña Muñoz", "León"),
    ("François Lefèvre", "Besançon"),
    ("Hélène Dupré", "Orléans"),
    ("Małgorzata Wójcik", "Kraków"),
    ("Paweł Łukasik", "Gdańsk"),
    ("João Gonçalves", "São Paulo"),
    ("Conceição Araújo", "Maricá"),
    ("Şükrü Yılmaz", "İzmir"),
    ("Gülşen Öztürk", "Eskişehir"),
    ("Zoltán Kovács", "Pécs"),
    ("Erzsébet Szőke", "Győr"),
    ("Guðrún Jónsdóttir", "Reykjavík"),
    ("Sigurður Þórsson", "Akureyri"),
    ("Ștefan Bălan", "Brașov"),
    ("Åsa Lindström", "Malmö"),
    ("Søren Kjær", "Århus"),
    ("Ľubomír Šťastný", "Košice"),
    ("Tõnu Kõiv", "Tartu"),
    ("Jānis Bērziņš", "Liepāja"),
]
PEOPLE_TEMPLATES = [
    "{person}, who grew up in {place}, said the new bridge would open next spring.",
    "Officials in {place} confirmed that {person} had resigned from the council on Monday.",
    "The exhibition, curated by {person}, moves to {place} in the autumn.",
    "{person} was elected mayor of {place} with 54 percent of the vote.",
]
# the same person written intact in a headline, then lost in the body
WITNESS_TEMPLATE = "{person} wins in {place}\n{body}"

NUMBERS = [
    f"The tunnel is 12{NBSP}km long and cost 4{NBSP}500 workers two years.",
    f"Temperatures fell to 3{NBSP}°C overnight, the lowest since 1998.",
    f"See the appendix, p.{NBSP}47, for the full table of results.",
    f"The ferry carries 1{NBSP}200 passengers and 300 cars on each crossing.",
    f"Le ministre a demandé{NNBSP}: pourquoi maintenant{NNBSP}?",
    f"La hausse atteint 12{NBSP}% sur un an, selon l'institut.",
    f"The river rose by 2{NBSP}m in a single night, No.{NBSP}3 gauge showed.",
    f"Attendance reached 48{NBSP}000 on the final day of the fair.",
    f"« C’est une victoire{NNBSP}», a-t-elle déclaré{NBSP}; « enfin{NNBSP}! »",
    f"The new line runs at 160{NBSP}km/h between the two cities.",
]
PRICES = [
    "Tickets cost £12 for adults and £6 for children.",
    "The city raised €4.5m from the sale of the old harbour.",
    "A bowl of ramen in Osaka now costs ¥980, up from ¥850.",
    "Rents rose to €1,250 a month in the centre of the capital.",
    "The club paid £35m for the striker last summer.",
    "Fuel prices reached €1.89 a litre on Tuesday.",
    "The camera sells for ¥120,000 in Japan and £899 in Britain.",
    "A single fare is €2.10, or €20 for a book of ten.",
    "Shares closed at £4.32, valuing the group at £2bn.",
    "The museum charges ¥1,500 for entry and ¥500 for students.",
]
SYMBOLS = [
    "Text © 2024 the authors; photographs © the city archive.",
    "The water was 18°C at noon and 21°C by the evening.",
    "Add ½ cup of sugar and stir for 2½ minutes.",
    "The Walkman™ brand turned 45 this year.",
    "The site lies at 51°30′N, about 2½ hours from the coast.",
    "All rights reserved © 1999–2024, MegaCorp™ Ltd.",
    "Bake at 180°C for 25 minutes, then rest for ½ hour.",
    "The league’s logo™ was redesigned; the old one © 1972 is retired.",
]
CONTROLS = [
    "Why did the council wait so long? Nobody could say.",
    "“Is it safe?” asked Jürgen Weiß, the engineer from Jüterbog.",
    "¿Dónde está la estación? preguntó Begoña.",
    f"Que faire{NNBSP}? Le maire de Besançon hésite encore.",
    "Tickets cost £12 – is that too much? Fans think so.",
    "Search results: https://example.org/search?q=kraków&page=2",
    "Use `x ?? y` when y is the fallback, and `a ? b : c` otherwise.",
    "The water was 18°C at noon. Was it warmer last year?",
    "Małgorzata Wójcik asked: who pays for the repairs?",
    "SÃO PAULO and CÂMARA are written in capitals on the sign.",
    "Did Şükrü Yılmaz leave İzmir?? Reports differ.",
    "What is ½ of 3? It is 1½.",
]


def ascii_replace(text: str) -> str:
    return text.encode("ascii", "replace").decode("ascii")


def fffd_per_character(text: str) -> str:
    return "".join(c if c.isascii() else "\ufffd" for c in text)


def cp1252_mojibake(text: str) -> str:
    out = []
    for byte in text.encode("utf-8"):
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(byte))  # as browsers do: undefined bytes become C1 controls
    return "".join(out)


def people_sentences() -> Iterator[str]:
    for k, (person, place) in enumerate(PEOPLE):
        # two templates per pair, a different pair of templates each time
        for template in (PEOPLE_TEMPLATES[k % 4], PEOPLE_TEMPLATES[(k + 1) % 4]):
            yield template.format(person=person, place=place)


def cases() -> Iterator[dict[str, str]]:
    made: list[tuple[str, str, str]] = []  # (kind, damaged, original)
    for sentence in people_sentences():
        made.append(("accents_question", ascii_replace(sentence), sentence))
        made.append(("accents_fffd", fffd_per_character(sentence), sentence))
    for k, (person, place) in enumerate(PEOPLE):
        body = PEOPLE_TEMPLATES[(k + 2) % 4].format(person=person, place=place)
        original = WITNESS_TEMPLATE.format(person=person, place=place, body=body)
        damaged = WITNESS_TEMPLATE.format(person=person, place=place, body=ascii_replace(body))
        made.append(("accents_witness", damaged, original))
    for kind, sentences in (("nbsp", NUMBERS), ("currency", PRICES), ("symbols", SYMBOLS)):
        made.extend((f"{kind}_question", ascii_replace(s), s) for s in sentences)
    every_third = itertools.islice(itertools.chain(people_sentences(), NUMBERS, PRICES, SYMBOLS), 0, None, 3)
    made.extend(("mojibake", cp1252_mojibake(s), s) for s in every_third)
    made.extend(("control", s, s) for s in CONTROLS)
    for n, (kind, damaged, original) in enumerate(made, 1):
        yield {"id": f"own-{n:04d}", "damaged": damaged, "original": original, "kind": kind}


def main() -> None:
    rows = list(cases())
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
