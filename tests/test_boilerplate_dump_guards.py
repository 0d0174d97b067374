"""Zone signals on dumps keep article lines that only look like chrome by their shape.

An ingredient list or a product's measurements is a run of short, capitalised lines with no
sentence ending, like a menu, but its lines hold quantities (a number and a unit); the texts
here are written for these tests.
"""

from corpus_tools.document import Document
from corpus_tools.steps.strip_boilerplate import StripBoilerplate

MENU = ["Home", "Recipes", "Baking", "Contact Us", "About"]
FOOTER = ["Privacy", "Terms", "Imprint", "Newsletter"]
INTRO = (
    "These soft oat biscuits keep for a week in a tin and take twenty minutes from bowl to oven, "
    "which makes them a good first bake for children who want to help in the kitchen."
)
METHOD = (
    "Cream the butter and the sugar until pale, beat in the egg, then fold in the flour and the "
    "oats and bake small spoonfuls on a lined tray for twelve minutes until golden at the edges."
)


def strip(lines: list[str]) -> Document:
    doc = Document.from_raw("a", "\n".join(lines))
    StripBoilerplate().process(doc)
    return doc


def test_an_ingredient_list_is_not_a_menu():
    ingredients = ["Ingredients", "200 g Oats", "2 Eggs", "1 Lemon", "3 Apples", "Salt", "150 g Flour"]
    doc = strip([*MENU, "Soft oat biscuits for a rainy day", INTRO, *ingredients, METHOD, *FOOTER])
    for line in ingredients[1:]:
        assert line in doc.text, line
    assert "Contact Us" not in doc.text


def test_product_measurements_are_not_a_menu():
    sizes = ["Width 45 cm", "Depth 38 cm", "Height 82 cm", "Weight 6.5 kg"]
    description = (
        "The chair is made of solid beech with a woven paper cord seat, and it is sold "
        "assembled, so it can be used the day it arrives without tools or spare parts."
    )
    doc = strip(
        [*MENU, "Beech dining chair", description, *sizes, description.replace("beech", "oak"), *FOOTER]
    )
    for line in sizes:
        assert line in doc.text, line


POST = [
    "The river has flooded the lower town three times in ten years, and each time the same "
    "streets were under water for days while the upper town stayed dry and open for business.",
    "Engineers now propose a wall along the old quay, which would cost less than the repairs "
    "after the last flood and could be built in two summers if the council finds the money.",
]


def test_a_closing_book_reference_stays():
    reference = "The figures come from Maria Lind's book Rivers and Towns (Northfield Press, 2019)."
    doc = strip([*MENU, "Why the lower town floods", *POST, "Literature", reference, *FOOTER])
    assert reference in doc.text
    assert "Imprint" not in doc.text


def test_an_opening_block_with_a_full_sentence_stays():
    opening = "In short: the council wants a flood wall, and the vote is next week."
    doc = strip([*MENU, "Why the lower town floods", "Updated", opening, *POST, *FOOTER])
    assert opening in doc.text
    assert "Contact Us" not in doc.text
