# ruff: noqa: E501  (page text: one block a line reads better than wrapped strings)
"""Write ``pages.jsonl``: our own pages of kinds the shared DEV sets barely have.

    .venv/bin/python benchmarks/data/own_pages/make_pages.py

Every page is text we wrote ourselves (nothing is taken from the shared evaluation sets). Each
one is built once from its parts (navigation, article blocks, sidebar, comments, footer) and
printed two ways: as minimal HTML, and as the naive "visible text" dump a scraper writes (one
block element a line, menu entries one a line). ``gold_text`` is the article: its headline
and its blocks. The file is our own DEV data; figures on it are DEV figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

OUT = Path(__file__).with_name("pages.jsonl")

Block = tuple[str, str]  # (tag, text): p, h2, h3, li, oli (ordered item), quote, byline


@dataclass
class Page:
    id: str
    kind: str
    lang: str
    url: str
    title: str
    body: list[Block]
    nav: list[str]
    footer: list[str]
    sidebar: list[str] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (stamp line, text)
    comments_header: str = ""
    top: list[str] = field(default_factory=list)  # chrome above the headline (breadcrumbs, banners)

    def html(self) -> str:
        parts = ["<!DOCTYPE html>", f'<html lang="{self.lang}"><head><meta charset="utf-8">']
        parts.append(f"<title>{escape(self.title)}</title></head><body>")
        parts.append("<header><nav><ul>")
        parts += [f'<li><a href="/{i}">{escape(item)}</a></li>' for i, item in enumerate(self.nav)]
        parts.append("</ul></nav></header>")
        parts += [f'<div class="crumbs"><a href="/">{escape(t)}</a></div>' for t in self.top]
        parts.append(f"<main><article><h1>{escape(self.title)}</h1>")
        open_list = ""
        for tag, text in self.body:
            wanted = "ul" if tag == "li" else "ol" if tag == "oli" else ""
            if open_list and wanted != open_list:
                parts.append(f"</{open_list}>")
                open_list = ""
            if wanted and not open_list:
                parts.append(f"<{wanted}>")
                open_list = wanted
            if wanted:
                parts.append(f"<li>{escape(text)}</li>")
            elif tag == "quote":
                parts.append(f"<blockquote><p>{escape(text)}</p></blockquote>")
            elif tag == "byline":
                parts.append(f'<p class="byline">{escape(text)}</p>')
            else:
                parts.append(f"<{tag}>{escape(text)}</{tag}>")
        if open_list:
            parts.append(f"</{open_list}>")
        parts.append("</article>")
        if self.sidebar:
            parts.append('<aside class="sidebar"><ul>')
            parts += [f'<li><a href="/s{i}">{escape(t)}</a></li>' for i, t in enumerate(self.sidebar)]
            parts.append("</ul></aside>")
        parts.append("</main>")
        if self.comments:
            parts.append(f'<section class="comments"><h3>{escape(self.comments_header)}</h3>')
            for stamp, text in self.comments:
                parts.append(
                    f'<div class="comment"><p class="meta">{escape(stamp)}</p><p>{escape(text)}</p></div>'
                )
            parts.append("</section>")
        parts.append("<footer><ul>")
        parts += [f'<li><a href="/f{i}">{escape(t)}</a></li>' for i, t in enumerate(self.footer)]
        parts.append("</ul></footer></body></html>")
        return "\n".join(parts)

    def dump(self) -> str:
        lines = [*self.nav, *self.top, self.title, *(text for _, text in self.body), *self.sidebar]
        if self.comments:
            lines.append(self.comments_header)
            for stamp, text in self.comments:
                lines += [stamp, text]
        return "\n".join([*lines, *self.footer])

    def gold(self) -> str:
        return "\n\n".join([self.title, *(text for _, text in self.body)])


EN_NAV = ["Home", "Recipes", "Dinner", "Baking", "About", "Contact"]
EN_FOOT = ["Privacy Policy", "Terms of Use", "© 2024 Greenfield Media", "Follow us"]
SHOP_NAV = ["Shop", "Living Room", "Bedroom", "Office", "Sale", "Cart (0)"]
SHOP_FOOT = ["Shipping", "Returns", "Imprint", "© 2024 Oakline Furniture"]
NEWS_NAV = ["World", "Politics", "Business", "Science", "Culture", "Sport"]
NEWS_FOOT = ["About us", "Corrections", "Advertise", "Privacy", "© 2024 The Northern Ledger"]
DE_NAV = ["Startseite", "Politik", "Wirtschaft", "Kultur", "Sport", "Region"]
DE_FOOT = ["Impressum", "Datenschutz", "Kontakt", "Abo", "© 2024 Mittelland Zeitung"]
BLOG_NAV = ["Blog", "Archive", "Reading list", "About me"]
BLOG_FOOT = ["Powered by a small static site", "RSS", "Mastodon"]
NEWS_SIDE = [
    "Most read",
    "Rail strike ends after three days",
    "Museum reopens its east wing",
    "Storm warning for the coast",
]
DE_SIDE = ["Meistgelesen", "Neue Buslinie ab Montag", "Stadtfest fällt aus", "Hallenbad wird saniert"]

PAGES = [
    Page(
        "r1",
        "recipe",
        "en",
        "https://greenfield.example/recipes/lentil-soup",
        "Red Lentil Soup with Lemon",
        [
            (
                "p",
                "This is the soup I make when the fridge is nearly empty and the evening is cold. Red lentils cook down in twenty minutes, and a squeeze of lemon at the end makes the whole pot taste bright.",
            ),
            ("p", "It keeps for four days in the fridge and freezes well, so I usually make a double batch."),
            ("h2", "Ingredients"),
            ("li", "250 g red lentils"),
            ("li", "1 large onion"),
            ("li", "2 carrots"),
            ("li", "3 cloves garlic"),
            ("li", "1 tsp ground cumin"),
            ("li", "1.2 l vegetable stock"),
            ("li", "Juice of 1 lemon"),
            ("li", "Salt and pepper"),
            ("h2", "Method"),
            ("oli", "Chop the onion and carrots and soften them in a little oil for eight minutes."),
            ("oli", "Add the garlic and cumin and cook for one more minute."),
            ("oli", "Stir well."),
            ("oli", "Rinse the lentils, add them with the stock and bring everything to the boil."),
            ("oli", "Simmer for twenty minutes, until the lentils have fallen apart."),
            ("oli", "Stir well."),
            ("oli", "Blend half of the soup and season with lemon juice, salt and pepper."),
            ("h3", "Note"),
            (
                "p",
                "If the soup gets too thick the next day, loosen it with a splash of water while you warm it up.",
            ),
        ],
        EN_NAV,
        EN_FOOT,
        sidebar=["Popular recipes", "Easy Banana Bread", "One-Pan Chicken", "Weekday Pasta Bake"],
        comments=[
            (
                "Maria on March 3, 2024 at 6:12 pm",
                "Made this tonight and the kids loved it, thank you for the recipe!",
            ),
            ("Tom on March 5, 2024 at 9:40 am", "I added a tin of tomatoes and it worked very well."),
            (
                "Lena on March 8, 2024 at 8:05 pm",
                "Can I use green lentils instead, or do they take longer to cook?",
            ),
        ],
        comments_header="3 comments",
    ),
    Page(
        "r2",
        "recipe",
        "de",
        "https://kochecke.example/rezepte/apfelkuchen",
        "Schneller Apfelkuchen vom Blech",
        [
            (
                "p",
                "Dieser Kuchen gelingt auch Anfängern, denn der Teig wird nur kurz verrührt und direkt auf das Blech gestrichen.",
            ),
            ("h2", "Zutaten"),
            ("li", "250 g Butter"),
            ("li", "200 g Zucker"),
            ("li", "4 Eier"),
            ("li", "400 g Mehl"),
            ("li", "1 Päckchen Backpulver"),
            ("li", "1 kg Äpfel"),
            ("li", "Zimt"),
            ("h2", "Zubereitung"),
            ("oli", "Den Ofen auf 180 Grad vorheizen und das Blech mit Backpapier auslegen."),
            ("oli", "Butter und Zucker schaumig schlagen, dann die Eier einzeln unterrühren."),
            ("oli", "Gut verrühren."),
            ("oli", "Mehl und Backpulver mischen und unter die Buttermasse heben."),
            ("oli", "Gut verrühren."),
            ("oli", "Die Äpfel schälen, in Spalten schneiden und auf dem Teig verteilen."),
            ("oli", "Mit Zimt bestreuen und etwa 35 Minuten backen."),
            ("p", "Tipp: Lauwarm mit Sahne servieren."),
        ],
        ["Rezepte", "Backen", "Kochen", "Saisonal", "Über uns"],
        ["Impressum", "Datenschutz", "© 2024 Kochecke"],
        sidebar=["Beliebt", "Käsekuchen ohne Boden", "Zwetschgendatschi", "Rührkuchen"],
    ),
    Page(
        "p1",
        "product",
        "en",
        "https://oakline.example/products/hollis-side-table",
        "Hollis Side Table in Solid Oak",
        [
            (
                "p",
                "The Hollis side table is made from solid European oak and finished with a natural oil that brings out the grain. Its rounded edges make it a good fit next to a sofa or a bed.",
            ),
            (
                "p",
                "Each table is assembled by hand in our workshop, so small differences in colour and grain are part of its character.",
            ),
            ("h2", "Specifications"),
            ("li", "Width: 42 cm"),
            ("li", "Depth: 42 cm"),
            ("li", "Height: 55 cm"),
            ("li", "Weight: 6.5 kg"),
            ("li", "Material: Solid oak"),
            ("h2", "Care"),
            (
                "p",
                "Wipe with a dry or slightly damp cloth. Avoid harsh cleaners and re-oil the surface once a year.",
            ),
            ("p", "Delivered fully assembled within two weeks."),
        ],
        SHOP_NAV,
        SHOP_FOOT,
        sidebar=["You may also like", "Hollis Coffee Table", "Arden Shelf", "Mira Lamp"],
    ),
    Page(
        "p2",
        "product",
        "de",
        "https://wohnwerk.example/produkte/sessel-lina",
        "Sessel Lina mit Wollbezug",
        [
            (
                "p",
                "Der Sessel Lina verbindet eine schlanke Form mit einem bequemen Sitz. Der Bezug aus Schurwolle ist robust und angenehm warm.",
            ),
            ("h2", "Maße"),
            ("li", "Breite: 74 cm"),
            ("li", "Tiefe: 80 cm"),
            ("li", "Höhe: 86 cm"),
            ("li", "Sitzhöhe: 44 cm"),
            ("h2", "Pflege"),
            ("p", "Flecken sofort mit einem feuchten Tuch abtupfen, nicht reiben."),
            ("p", "Lieferung frei Haus innerhalb von drei Wochen."),
        ],
        ["Wohnen", "Schlafen", "Arbeiten", "Angebote", "Warenkorb"],
        ["Versand", "Rückgabe", "Impressum", "© 2024 Wohnwerk"],
    ),
    Page(
        "l1",
        "legal",
        "en",
        "https://oakline.example/terms",
        "Terms and Conditions of Sale",
        [
            (
                "p",
                "These terms apply to every order placed in our online shop. Please read them carefully before you order.",
            ),
            ("h2", "1. Orders"),
            ("p", "1.1 An order is binding once we have confirmed it by email."),
            ("p", "1.2 We may refuse an order if an item is out of stock."),
            ("h2", "2. Prices and Payment"),
            ("p", "2.1 All prices include VAT."),
            ("p", "2.2 Payment is due on order."),
            ("h2", "3. Delivery"),
            ("p", "3.1 We deliver within the country only."),
            ("p", "3.2 Delivery dates are estimates, not guarantees."),
            ("h2", "4. Returns"),
            ("p", "4.1 You may return an item within 30 days of delivery."),
            ("p", "4.2 Items must be returned unused and in their original packaging."),
            ("p", "Last updated: 1 February 2024"),
        ],
        SHOP_NAV,
        SHOP_FOOT,
    ),
    Page(
        "n1",
        "news_de",
        "de",
        "https://mittelland.example/region/bruecke-gesperrt",
        "Alte Rheinbrücke bleibt bis Herbst gesperrt",
        [
            ("byline", "Von Jana Müller | 12.03.2024"),
            (
                "p",
                "Die Sanierung der alten Rheinbrücke dauert länger als geplant. Wie die Stadtverwaltung am Dienstag mitteilte, bleibt die Brücke für Autos mindestens bis Ende September gesperrt.",
            ),
            (
                "p",
                "Grund sind Schäden an den Stahlträgern, die erst bei den Bauarbeiten entdeckt wurden. Fußgänger und Radfahrer können die Brücke weiterhin auf einer schmalen Spur überqueren.",
            ),
            (
                "p",
                "Für Pendler bedeutet das weitere Monate mit Umwegen über die Autobahnbrücke im Norden. Die Busse der Linie 4 fahren bis auf Weiteres eine Umleitung.",
            ),
            (
                "p",
                "Der Gemeinderat will in seiner nächsten Sitzung über zusätzliche Fährverbindungen beraten.",
            ),
        ],
        DE_NAV,
        DE_FOOT,
        sidebar=DE_SIDE,
    ),
    Page(
        "n2",
        "news_de",
        "de",
        "https://mittelland.example/kultur/museum-oeffnet",
        "Museum zeigt Schätze aus dem Depot",
        [
            ("byline", "14.03.2024, 10:15 Uhr"),
            (
                "p",
                "Zum ersten Mal seit zwanzig Jahren öffnet das Stadtmuseum sein Depot für Besucher. Zu sehen sind mehr als dreihundert Gegenstände, die sonst im Keller lagern.",
            ),
            (
                "p",
                "Darunter sind Zunftschilder, Spielzeug aus dem 19. Jahrhundert und ein vollständig erhaltener Kaufmannsladen.",
            ),
            ("h2", "Führungen am Wochenende"),
            (
                "p",
                "Die Kuratorin führt samstags und sonntags um 14 Uhr durch die Räume. Eine Anmeldung ist nicht nötig.",
            ),
            ("p", "Die Ausstellung läuft bis zum 30. Juni."),
        ],
        DE_NAV,
        DE_FOOT,
        sidebar=DE_SIDE,
    ),
    Page(
        "n3",
        "news_en",
        "en",
        "https://ledger.example/science/glacier-survey",
        "Glacier survey finds ice loss doubled in a decade",
        [
            (
                "p",
                "A survey of more than two hundred glaciers in the northern ranges has found that the rate at which they lose ice has doubled over the past ten years, a team of researchers reported on Thursday in a study that combines satellite images with measurements taken on foot.",
            ),
            (
                "p",
                "The team compared the thickness of the ice in 2013 with new readings from last summer. The smallest glaciers shrank the fastest, and several of them have already split into separate patches of ice.",
            ),
            (
                "p",
                '"We expected a loss, but not at this speed," said the lead author. The group now plans to install weather stations on five of the glaciers.',
            ),
            ("p", "Local water boards have asked for the data to plan the supply for the dry months."),
        ],
        NEWS_NAV,
        NEWS_FOOT,
        sidebar=NEWS_SIDE,
        top=["Science", "Climate"],
    ),
    Page(
        "b1",
        "blog_reference",
        "en",
        "https://slowreader.example/2024/why-we-forget",
        "Why we forget what we read",
        [
            (
                "p",
                "I finish a book, close it with a sense of having learned something, and two months later I cannot tell you a single argument it made. For a long time I thought this was a personal failing.",
            ),
            (
                "p",
                "It turns out that forgetting is the normal state of things. Memory researchers have shown again and again that without recall, most of what we read fades within weeks.",
            ),
            (
                "p",
                "What helps is simple and a little boring: writing a few lines after each chapter, and coming back to them a week later. I have done this for a year now and it works.",
            ),
            ("p", "The best book I know on the subject is this one:"),
            ("p", "Smith, J. (2019). Remembering What Matters. Northbridge Press."),
        ],
        BLOG_NAV,
        BLOG_FOOT,
        sidebar=["Recent posts", "Reading on trains", "My notebook system", "Tags"],
    ),
    Page(
        "b2",
        "blog_reference",
        "en",
        "https://slowreader.example/2024/libraries",
        "A small defence of public libraries",
        [
            (
                "p",
                "Every town I have lived in had a library, and every one of them was quieter and kinder than any other public building in the place.",
            ),
            (
                "p",
                "Libraries lend more than books: they lend time, warmth and a desk to people who have none of these at home. That is worth more than the budget lines suggest.",
            ),
            ("p", "Further reading:"),
            (
                "p",
                "Okafor, B. and Lind, S. (2021). The Open Shelf: Libraries and Their Towns. Riverside University Press.",
            ),
        ],
        BLOG_NAV,
        BLOG_FOOT,
    ),
    Page(
        "li1",
        "listicle",
        "en",
        "https://greenfield.example/lists/camping-checklist",
        "Camping Checklist: What to Pack",
        [
            ("p", "Forgetting the tent pegs once is enough. Here is the list we use before every trip."),
            ("li", "Tent and pegs"),
            ("li", "Sleeping bags"),
            ("li", "Sleeping mats"),
            ("li", "Head torch"),
            ("li", "Camping stove"),
            ("li", "Gas canister"),
            ("li", "Water bottles"),
            ("li", "First aid kit"),
            ("li", "Rain jackets"),
            ("li", "Spare socks"),
            ("p", "Print it, tick it off, and enjoy the trip."),
        ],
        EN_NAV,
        EN_FOOT,
        sidebar=["More lists", "Beach Bag Essentials", "Hiking Snacks"],
    ),
    Page(
        "q1",
        "interview",
        "en",
        "https://ledger.example/culture/interview-potter",
        '"Clay teaches patience": an interview with a potter',
        [
            (
                "p",
                "Rosa Lind has run a small pottery on the coast for thirty years. We spoke about slow work and fast kilns.",
            ),
            ("h3", "How did you start?"),
            (
                "p",
                "By accident, really. I took an evening class because a friend did not want to go alone, and after the third week I knew that I would do nothing else for the rest of my life.",
            ),
            ("h3", "What is the hardest part?"),
            (
                "p",
                "Waiting. A pot takes weeks from the wheel to the shelf, and you only know at the very end whether it survived the kiln. Half of the work is learning not to mind.",
            ),
            ("h3", "Any advice for beginners?"),
            (
                "p",
                "Make a hundred bowls before you make anything you care about. The hands have to learn first, and they learn slowly but they do not forget.",
            ),
        ],
        NEWS_NAV,
        NEWS_FOOT,
        sidebar=NEWS_SIDE,
    ),
    Page(
        "po1",
        "poem",
        "en",
        "https://slowreader.example/2024/poem-harbour",
        "Harbour in March",
        [
            ("p", "The boats are resting on their ropes,"),
            ("p", "the gulls are arguing with the wind,"),
            ("p", "and somewhere a radio plays"),
            ("p", "a song nobody asked for."),
            ("p", "I stand where the water ends"),
            ("p", "and count the lights across the bay,"),
            ("p", "one for each year I stayed away."),
        ],
        BLOG_NAV,
        BLOG_FOOT,
        sidebar=["Recent posts", "Reading on trains", "My notebook system"],
    ),
    Page(
        "lb1",
        "live_blog",
        "en",
        "https://ledger.example/politics/budget-live",
        "Budget day: live updates",
        [
            ("p", "Follow the presentation of the budget and the reactions as they come in."),
            ("byline", "14:05"),
            ("h3", "Minister begins her speech"),
            (
                "p",
                "The finance minister has started her speech in parliament. She opened with the state of the economy and promised a budget for families.",
            ),
            ("byline", "14:20"),
            ("h3", "Child benefit to rise"),
            (
                "p",
                "Child benefit will rise by five percent from January, the minister announced, the largest increase in a decade.",
            ),
            ("byline", "14:41"),
            ("h3", "Opposition reacts"),
            (
                "p",
                "The opposition leader called the budget a missed chance and said that the plans for housing were far too small.",
            ),
        ],
        NEWS_NAV,
        NEWS_FOOT,
        sidebar=NEWS_SIDE,
    ),
    Page(
        "sb1",
        "short_blog",
        "en",
        "https://slowreader.example/2024/new-notebook",
        "New notebook",
        [
            (
                "p",
                "Started a new notebook today, the fourth one this year. The paper is thinner than I like, but it was the only one the shop had.",
            ),
        ],
        BLOG_NAV,
        BLOG_FOOT,
        sidebar=[
            "About me",
            "I read slowly and write about it.",
            "Recent posts",
            "Why we forget what we read",
            "A small defence of public libraries",
            "Harbour in March",
            "Tags",
            "books",
            "notes",
            "poems",
        ],
    ),
    Page(
        "n4",
        "news_en",
        "en",
        "https://ledger.example/business/bakery-chain",
        "Family bakery opens its tenth shop",
        [
            (
                "p",
                "A family bakery that started with one oven in a garage thirty years ago opened its tenth shop in the city centre on Saturday, where a queue had formed before the doors opened at seven in the morning.",
            ),
            (
                "p",
                "The owners said they would hire twenty more bakers this year. All bread is still baked in the original village and driven to the shops each night.",
            ),
            ("p", "The new shop also has a small café with twelve seats."),
        ],
        NEWS_NAV,
        NEWS_FOOT,
        sidebar=NEWS_SIDE,
        top=["Business"],
        comments=[
            (
                "Ruth on June 2, 2024 at 7:31 am",
                "Their rye bread is the best in town, glad they are growing.",
            ),
            ("Sam on June 2, 2024 at 9:02 am", "Queues at seven on a Saturday, that says it all really."),
            ("Ola on June 3, 2024 at 1:15 pm", "I hope they keep the prices fair now that they are bigger."),
        ],
        comments_header="3 comments",
    ),
    Page(
        "r3",
        "recipe",
        "en",
        "https://greenfield.example/recipes/flapjacks",
        "Oat Flapjacks",
        [
            ("p", "Four ingredients, one pan, and a tray of flapjacks in half an hour."),
            ("h2", "You will need"),
            ("li", "200 g butter"),
            ("li", "150 g brown sugar"),
            ("li", "3 tbsp golden syrup"),
            ("li", "350 g rolled oats"),
            ("h2", "Steps"),
            ("oli", "Heat the oven to 180 C and line a square tin."),
            ("oli", "Melt the butter, sugar and syrup in a pan over a low heat."),
            ("oli", "Stir well."),
            ("oli", "Take the pan off the heat and tip in the oats."),
            ("oli", "Stir well."),
            ("oli", "Press into the tin and bake for 25 minutes."),
            ("p", "Let them cool in the tin before cutting, or they will crumble."),
        ],
        EN_NAV,
        EN_FOOT,
    ),
    Page(
        "r4",
        "recipe",
        "en",
        "https://greenfield.example/recipes/layered-crumble",
        "Layered Apple and Pear Crumble",
        [
            (
                "p",
                "A crumble in two layers: apples at the bottom, pears on top, and the same buttery crumb between them and over them. It looks like more work than it is.",
            ),
            ("h2", "For the apple layer"),
            ("li", "4 apples"),
            ("li", "2 tbsp sugar"),
            ("li", "1 tsp cinnamon"),
            ("h2", "For the pear layer"),
            ("li", "3 pears"),
            ("li", "2 tbsp sugar"),
            ("li", "1 tsp cinnamon"),
            ("h2", "For the crumb"),
            ("li", "150 g flour"),
            ("li", "100 g cold butter"),
            ("li", "2 tbsp sugar"),
            ("li", "1 tsp cinnamon"),
            ("h2", "Method"),
            ("oli", "Peel and slice the apples and toss them with the sugar and cinnamon"),
            ("oli", "Stir well"),
            ("oli", "Peel and slice the pears and toss them with their sugar and cinnamon"),
            ("oli", "Stir well"),
            ("oli", "Rub the butter into the flour, sugar and cinnamon until it looks like sand"),
            ("oli", "Stir well"),
            (
                "oli",
                "Layer apples, half of the crumb, pears and the rest of the crumb in a dish and bake for 40 minutes at 190 C",
            ),
            ("p", "Serve warm with custard or cold cream."),
        ],
        EN_NAV,
        EN_FOOT,
        sidebar=["Popular recipes", "Easy Banana Bread", "One-Pan Chicken"],
    ),
    Page(
        "li2",
        "listicle",
        "en",
        "https://greenfield.example/lists/rainy-day",
        "Ten Things to Do on a Rainy Day",
        [
            (
                "p",
                "Rain all weekend and the children are climbing the walls? We asked our readers what works in their homes, and this is what they said:",
            ),
            ("li", "Build a blanket fort"),
            ("li", "Bake biscuits together"),
            ("li", "Start a jigsaw puzzle"),
            ("li", "Write letters to grandparents"),
            ("li", "Put on a puppet show"),
            ("li", "Sort the old photos"),
            ("li", "Plant seeds on the windowsill"),
            (
                "p",
                "And if all else fails, put on boots and go out anyway: puddles are more fun than any screen.",
            ),
        ],
        EN_NAV,
        EN_FOOT,
        sidebar=["More lists", "Beach Bag Essentials", "Hiking Snacks"],
    ),
]


def main() -> None:
    with OUT.open("w", encoding="utf-8") as handle:
        for page in PAGES:
            row = {
                "id": page.id,
                "kind": page.kind,
                "url": page.url,
                "html": page.html(),
                "dump_text": page.dump(),
                "gold_text": page.gold(),
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(PAGES)} pages -> {OUT}")


if __name__ == "__main__":
    main()
