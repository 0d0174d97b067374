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

Two splits of the same kinds: ``tune`` (the rules were written looking at its failures) and
``heldout`` (other names of 20 languages, places, templates, prices, measurements and
symbols, written once and never looked at to tune a rule: its figures are the honest ones).

Deterministic: the same cases on every run. ``python benchmarks/encoding_cases.py [--heldout] OUT.jsonl``
writes them in the format of ``score.py`` (``id``, ``damaged``, ``original``, ``kind``).
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

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
    ("Wojciech Szczęsny", "Wrocław"),
    ("Dagmar Havlíčková", "Ostrava"),
    ("Ferenc Puskás", "Kecskemét"),
    ("Mustafa Çelik", "Diyarbakır"),
    ("Mónica Peña", "Cáceres"),
    ("René Lévêque", "Nîmes"),
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
    # a witness in the text: a sign kept intact, a currency named, the language, the grouping
    "Parking costs £3 an hour; a day ticket is £15 and a week £60.",
    "Die Fahrkarte kostet 4,20 € und ist ab Montag nicht mehr gültig.",
    "Le menu est à 18 € le midi et à 32 € le soir, selon le patron.",
    "The deal is worth 300 million euros, or €12 for every resident.",
    "Workers earning under €2 000 a month pay no tax, the ministry said.",
    "El billete cuesta 2,50 € y el abono mensual 40 € para los jóvenes.",
    "Lunch in Kyoto costs ¥1,200 with tea, and dinner ¥3,000.",
    "The hotel charges 89,00 € a night in the high season.",
    "Un café coûte 2,10 € au comptoir et 3 € en terrasse.",
    "Membership is £40 a year for members in Manchester.",
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
    "Preheat to 200°F and add ½ teaspoon of yeast.",
    "Photo © 2022 Maria Lopes; map © the survey office.",
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
    "Pourquoi ? Parce que le maire est parti, dit-on.",
    "Who took these photos? Nobody knows.",
    "Is it 20? Or 30? Nobody counted.",
    "Is it cheaper in Tokyo? Some say so.",
]


# The held-out split: other names, places, templates and sentences of the same kinds, written
# once and never used to tune a rule (its figures are the honest ones).
HELDOUT_PEOPLE = [
    ("Radka Šimková", "Olomouc"),
    ("Přemysl Čížek", "Třebíč"),
    ("Bożena Ślęzak", "Łódź"),
    ("Grzegorz Żmuda", "Białystok"),
    ("Ildikó Fekete", "Székesfehérvár"),
    ("Gábor Bíró", "Debrecen"),
    ("Çağla Demirtaş", "Muğla"),
    ("Oğuz Küçük", "Çanakkale"),
    ("Þóra Ásgeirsdóttir", "Ísafjörður"),
    ("Hafþór Guðmundsson", "Egilsstaðir"),
    ("Răzvan Țurcanu", "Timișoara"),
    ("Ioana Stănescu", "Iași"),
    ("Krešimir Đurić", "Čakovec"),
    ("Željka Bašić", "Šibenik"),
    ("Kārlis Ozoliņš", "Jūrmala"),
    ("Vytautas Žukauskas", "Šiauliai"),
    ("Gonçalo Simões", "Setúbal"),
    ("Íñigo Ibáñez", "Logroño"),
    ("Gaëlle Cœurderoy", "Besançon"),
    ("Jörg Schäfer", "Lüneburg"),
    ("Anaïs Brügge", "Düsseldorf"),
    ("Björk Ångström", "Västerås"),
    ("Jørgen Ødegård", "Tromsø"),
    ("Mäkinen Jääskeläinen", "Hämeenlinna"),
    ("Agnieszka Wróbel", "Poznań"),
    ("Vojtěch Kříž", "Jihlava"),
    ("Lőrinc Szűcs", "Miskolc"),
    ("Emre Gökçe", "Kütahya"),
    ("Inês Mourão", "Évora"),
    ("Dāvis Krūmiņš", "Daugavpils"),
]
HELDOUT_TEMPLATES = [
    "A statue of {person} was unveiled in {place} on Saturday.",
    "{person} told reporters in {place} that talks would resume in June.",
    "Police in {place} said {person} was not among the injured.",
    "The prize went to {person}, a teacher from {place}.",
]
HELDOUT_NUMBERS = [
    f"The bridge spans 1{NBSP}450 metres and carries 30{NBSP}000 vehicles a day.",
    f"Water levels rose by 40{NBSP}cm, according to gauge No.{NBSP}12.",
    f"The quote appears on p.{NBSP}213 of the second edition.",
    f"Le prix a augmenté de 8{NBSP}% en un an{NNBSP}; les loyers aussi.",
    f"« Nous verrons{NNBSP}», a répondu le maire{NNBSP}: « pas avant l’été{NNBSP}! »",
    f"The plant employs 2{NBSP}300 people and exports 95{NBSP}% of its output.",
    f"Snow fell to 5{NBSP}cm in the valley and 60{NBSP}cm on the pass.",
    f"Faut-il attendre{NNBSP}? Le conseil votera le 3{NBSP}mai.",
]
HELDOUT_PRICES = [
    "A litre of milk costs 1,19 € in the shop and 0,99 € at the market.",
    "Het kaartje kost 7,50 € en is niet geldig op zondag.",
    "The fine was £250, and the court added £90 in costs.",
    "A night in the hostel is ¥3,800, or about 25 euros, in yen terms.",
    "O bilhete custa 3 € e o passe mensal 40 € para os estudantes.",
    "The budget sets aside 2 million euros, about €40 per pupil.",
    "Coffee is £2.80 here; a sandwich is £4.50 and a cake £3.",
    "The ministry pays €1 500 a month to each trainee, it said.",
    "A taxi from the airport to Osaka is ¥5,000 at night.",
    "The ticket costs 12,50 € and includes the audio guide.",
    "A pint in London now costs £6.20 on average.",
    "Membership is £40 a year, the club said.",
]
HELDOUT_SYMBOLS = [
    "Copyright © 2019 the photographer. All rights reserved.",
    "The thermometer showed 35°C in the shade and 41°F at dawn.",
    "The wreck lies at 43°12′N, some 3½ miles offshore.",
    "© 2021 Harbour Press\nThe editor’s note follows.",
    "Stir in ½ teaspoon of salt and simmer for 1½ hours.",
    "The Discman™ player and the Walkman™ shared a shelf.",
    "Simmer for ½ hour at 90°C, then cool.",
    "Images © 2020 the museum; text © the authors.",
]
HELDOUT_CONTROLS = [
    "Where was Radka Šimková on Friday? Nobody in Olomouc knows.",
    "Is 35°C too hot for a race? The organisers think not.",
    "See https://example.net/list?city=łódź&sort=asc for the list.",
    "Combien coûte le billet ? Personne ne le sait.",
    "It costs £250 – who pays? The court decides.",
    "Is ½ enough? Ask Çağla Demirtaş in Muğla.",
    "Did it cost 2,40? Nobody remembers.",
    "Qui paie ? Personne, dit le maire de Poznań.",
    "Is the cup half full? Yes, says the photo.",
    "Was it made in Osaka? 20 workers say so.",
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


class Split(NamedTuple):
    people: list[tuple[str, str]]
    templates: list[str]
    numbers: list[str]
    prices: list[str]
    symbols: list[str]
    controls: list[str]
    prefix: str


SPLITS = {
    "tune": Split(PEOPLE, PEOPLE_TEMPLATES, NUMBERS, PRICES, SYMBOLS, CONTROLS, "own"),
    "heldout": Split(
        HELDOUT_PEOPLE,
        HELDOUT_TEMPLATES,
        HELDOUT_NUMBERS,
        HELDOUT_PRICES,
        HELDOUT_SYMBOLS,
        HELDOUT_CONTROLS,
        "held",
    ),
}


def people_sentences(split: Split = SPLITS["tune"]) -> Iterator[str]:
    for k, (person, place) in enumerate(split.people):
        # two templates per pair, a different pair of templates each time
        for template in (split.templates[k % 4], split.templates[(k + 1) % 4]):
            yield template.format(person=person, place=place)


def cases(split_name: str = "tune") -> Iterator[dict[str, str]]:
    split = SPLITS[split_name]
    made: list[tuple[str, str, str]] = []  # (kind, damaged, original)
    for sentence in people_sentences(split):
        made.append(("accents_question", ascii_replace(sentence), sentence))
        made.append(("accents_fffd", fffd_per_character(sentence), sentence))
    for k, (person, place) in enumerate(split.people):
        body = split.templates[(k + 2) % 4].format(person=person, place=place)
        original = WITNESS_TEMPLATE.format(person=person, place=place, body=body)
        damaged = WITNESS_TEMPLATE.format(person=person, place=place, body=ascii_replace(body))
        made.append(("accents_witness", damaged, original))
    for kind, sentences in (("nbsp", split.numbers), ("currency", split.prices), ("symbols", split.symbols)):
        made.extend((f"{kind}_question", ascii_replace(s), s) for s in sentences)
    every_third = itertools.islice(
        itertools.chain(people_sentences(split), split.numbers, split.prices, split.symbols), 0, None, 3
    )
    made.extend(("mojibake", cp1252_mojibake(s), s) for s in every_third)
    made.extend(("control", s, s) for s in split.controls)
    for n, (kind, damaged, original) in enumerate(made, 1):
        yield {"id": f"{split.prefix}-{n:04d}", "damaged": damaged, "original": original, "kind": kind}


def main() -> None:
    split = "heldout" if "--heldout" in sys.argv else "tune"
    args = [a for a in sys.argv[1:] if a != "--heldout"]
    rows = list(cases(split))
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
