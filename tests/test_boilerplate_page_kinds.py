"""Page kinds the news-heavy DEV sets barely have: recipes, product pages, listicles.

Their lists of short lines (ingredients, measurements, things to pack) look like menus to a
line-shape signal; what tells them apart is that the article introduces them and that they
measure. Each page is a short dump: navigation one entry a line, the article, a footer.
"""

from __future__ import annotations

from corpus_tools.document import Document
from corpus_tools.steps.strip_boilerplate import StripBoilerplate, StripBoilerplateOptions

NAV = ["Home", "Recipes", "Dinner", "Baking", "About", "Contact"]
FOOTER = ["Privacy Policy", "Terms of Use", "Newsletter", "Follow us"]


def clean(lines: list[str]) -> Document:
    doc = Document.from_raw("t", "\n".join(lines))
    StripBoilerplate(StripBoilerplateOptions()).process(doc)
    return doc


def kept(doc: Document, lines: list[str]) -> list[str]:
    text = doc.text.split("\n")
    return [line for line in lines if line in text]


RECIPE_INTRO = "This cake works for beginners too: the batter is only stirred briefly and spread on the tray."
INGREDIENTS = ["Ingredients", "250 g butter", "200 g sugar", "4 eggs", "400 g flour", "1 kg apples", "Salt"]
STEPS = [
    "Method",
    "Heat the oven to 180 degrees and line the tray with baking paper before you start.",
    "Beat the butter and sugar until fluffy, then stir in the eggs one by one.",
    "Fold in the flour, spread the batter on the tray and cover it with apple slices.",
    "Sprinkle with cinnamon and bake for about 35 minutes, until golden.",
]


def test_a_recipe_keeps_its_intro_and_ingredient_list():
    # the short intro stands above a list: the list no longer cuts it off as a header zone
    article = [RECIPE_INTRO, *INGREDIENTS, *STEPS]
    doc = clean([*NAV, "Quick Apple Traybake", *article, *FOOTER])
    assert kept(doc, article) == article
    assert not kept(doc, NAV[1:4])


def test_the_unmeasured_tail_of_an_ingredient_list_is_no_menu():
    # "Juice of 1 lemon", "Salt and pepper", "Method": short and capitalised, but they end a
    # list of quantities
    ingredients = ["250 g red lentils", "1 large onion", "2 carrots", "3 cloves garlic", "1.2 l stock"]
    tail = ["Juice of 1 lemon", "Salt and pepper", "Method"]
    article = [RECIPE_INTRO, "Ingredients", *ingredients, *tail, *STEPS[1:]]
    doc = clean([*NAV, "Red Lentil Soup", *article, *FOOTER])
    assert kept(doc, tail) == tail


def test_a_product_page_keeps_its_measurements_and_care_text():
    article = [
        "The side table is made from solid oak and finished with a natural oil that brings out the grain.",
        "Each table is assembled by hand in our workshop, so small differences in colour are normal.",
        "Specifications",
        "Width: 42 cm",
        "Depth: 42 cm",
        "Height: 55 cm",
        "Weight: 6.5 kg",
        "Material: Solid oak",
        "Care",
        "Wipe with a dry or slightly damp cloth and re-oil the surface once a year.",
        "Delivered fully assembled within two weeks.",
    ]
    doc = clean(["Shop", "Living Room", "Bedroom", "Sale", "Side Table in Solid Oak", *article, *FOOTER])
    assert kept(doc, article) == article


def test_ingredients_repeated_in_each_list_are_no_widget():
    # "2 tbsp sugar" three times, once per layer: a recipe's lists, not a promo printed thrice
    article = [
        RECIPE_INTRO,
        "For the apples",
        "4 apples",
        "2 tbsp sugar",
        "For the pears",
        "3 pears",
        "2 tbsp sugar",
        "For the crumb",
        "150 g flour",
        "2 tbsp sugar",
        *STEPS,
    ]
    doc = clean([*NAV, "Layered Crumble", *article, *FOOTER])
    assert kept(doc, article) == article
    assert not any(edit.rule == "signals:repeated" for edit in doc.edits)


LISTICLE_INTRO = "Rain all weekend and the children are bored? We asked readers what works, and they said:"
ITEMS = ["Build a blanket fort", "Bake biscuits together", "Start a jigsaw puzzle", "Put on a puppet show"]
LISTICLE_END = "And if all else fails, put on boots and go out anyway: puddles are more fun than any screen."


def test_a_list_under_a_lead_in_is_the_article():
    article = [LISTICLE_INTRO, *ITEMS, LISTICLE_END]
    doc = clean([*NAV, "Things to Do on a Rainy Day", *article, *FOOTER])
    assert kept(doc, article) == article


def test_a_link_list_between_two_paragraphs_without_a_lead_in_is_still_chrome():
    # prose above and below alone is no evidence: a sidebar between the article and a blurb
    intro = LISTICLE_INTRO.replace(", and they said:", ".")
    sidebar = ["Popular Posts", "Blanket Forts", "Puppet Shows", "Rainy Walks"]
    doc = clean([*NAV, "Things to Do on a Rainy Day", intro, *sidebar, LISTICLE_END, *FOOTER])
    assert not kept(doc, sidebar)


LIVE_NEWS = ["World", "Politics", "Business", "Weather", "Sport"]
MOST_READ = ["Most read", "Harbour ferry timetable changes", "Library extends its hours", "Cycle lane opens"]
UPDATES = [
    (
        "Water reaches the old town",
        "The river rose above the flood wall shortly after noon, and the fire brigade closed two bridges.",
    ),
    (
        "Schools send pupils home",
        "Three schools on the riverbank have closed for the afternoon, the town council said in a statement.",
    ),
    (
        "Trains stop at the junction",
        "The rail operator has halted services through the valley until the line can be inspected.",
    ),
    (
        "Volunteers fill sandbags",
        "Dozens of residents have gathered at the depot to fill sandbags for the houses nearest the water.",
    ),
]


def live_blog(stamps: list[str]) -> tuple[list[str], list[str]]:
    """A live blog whose updates carry a time of day only: the stamp, a headline, a paragraph."""
    article = ["Follow the flood on the river as the water keeps rising through the afternoon."]
    for stamp, (headline, text) in zip(stamps, UPDATES, strict=True):
        article += [stamp, headline, text]
    return [*LIVE_NEWS, "Flood live: the river keeps rising", *article, *MOST_READ, *FOOTER], article


def test_a_live_blog_stamped_with_times_only_keeps_its_updates():
    # newest first or oldest first, any one format: the updates are the article, not teasers
    newest_first, oldest_first = (
        ["14:41", "14:20", "13:05", "12:58"],
        ["10:42 BST", "11:05 BST", "11:30 BST", "12:02 BST"],
    )
    for stamps in (newest_first, oldest_first):
        page, article = live_blog(stamps)
        doc = clean(page)
        assert kept(doc, article) == article, stamps
        assert not kept(doc, MOST_READ[1:])


def test_times_out_of_order_do_not_make_a_live_blog():
    # a list of records whose times follow no order is no live blog's sequence of updates
    page, article = live_blog(["14:41", "09:20", "16:05", "11:58"])
    doc = clean(page)
    assert not kept(doc, article[1:])


POEM = [
    "The lamps come on along the quay,",
    "the tide is turning in the dark,",
    "and on the wall a cat keeps watch",
    "over the boats that will not sail.",
    "I walk the long way round tonight",
    "and leave the windows open wide,",
    "so that the sea can find the room.",
]


def test_a_poem_keeps_its_verses():
    # no verse is long enough to read as prose alone: the sentences run over the line breaks
    blog = ["Blog", "Archive", "Reading list", "About me"]
    sidebar = ["Recent posts", "Reading on buses", "Notes on notebooks", "RSS", "Mastodon"]
    doc = clean([*blog, "Evening at the Quay", *POEM, *sidebar])
    assert kept(doc, POEM) == POEM
    assert not kept(doc, sidebar)


NUMBERED_STEPS = [
    "1. Preheat the oven to 200 degrees",
    "2. Chop the vegetables into even pieces",
    "3. Toss them with oil, salt and the spices",
    "4. Roast them for thirty minutes, turning them once",
]


def test_numbered_steps_without_full_stops_are_the_recipe():
    ingredients = ["Ingredients", "2 carrots", "1 red onion", "2 tbsp olive oil", "1 tsp cumin", "Method"]
    article = [RECIPE_INTRO, *ingredients, *NUMBERED_STEPS]
    doc = clean([*NAV, "Roast Vegetables", *article, "Popular recipes", "Easy Banana Bread", *FOOTER])
    assert kept(doc, NUMBERED_STEPS) == NUMBERED_STEPS


def test_a_method_without_numbers_or_full_stops_follows_its_ingredients():
    # the scraper dropped the step numbers: steps shaped like headlines, closed by a sentence
    steps = [
        "Method",
        "Slice the courgettes and salt them lightly",
        "Rinse",
        "Fry them in batches until golden on both sides",
        "Layer them with the sauce and the cheese in a dish",
        "Bake for half an hour and let it rest",
        "Serve it with fresh bread.",
    ]
    ingredients = ["Ingredients", "3 courgettes", "400 g tomato sauce", "150 g cheese", "2 tbsp oil"]
    article = [RECIPE_INTRO, *ingredients, *steps]
    doc = clean([*NAV, "Courgette Bake", *article, "Popular recipes", "Easy Banana Bread", *FOOTER])
    assert kept(doc, steps) == steps
    assert not kept(doc, ["Easy Banana Bread"])


def test_a_sidebar_under_an_ingredient_list_is_not_its_method():
    # no sentence closes the lines under the list: they are the page's, not the recipe's
    ingredients = ["Ingredients", "3 courgettes", "400 g tomato sauce", "150 g cheese", "2 tbsp oil"]
    sidebar = ["Popular recipes", "Easy Banana Bread", "One Pan Chicken with Lemon", "Spring Salads"]
    doc = clean([*NAV, "Courgette Bake", RECIPE_INTRO, *ingredients, *sidebar, *FOOTER])
    assert not kept(doc, sidebar[1:])
