"""Population figures as editors write them."""

import re

import pytest

from reports.charts import population_chart
from reports.figures import FigureError, parse_whole_number
from reports.i18n import Language
from reports.model import Population

NBSP, NNBSP = "\u00a0", "\u202f"

# Every written form the grammar accepts (README, "Figures"), with the number it must give.
WRITTEN_FORMS = [
    # plain digits, and digits grouped in threes in either convention
    ("95529003", 95_529_003, False),
    (95529003, 95_529_003, False),
    ("0", 0, False),
    ("126,476,461", 126_476_461, False),
    ("126.476.461", 126_476_461, False),
    ("23.900.000", 23_900_000, False),
    ("1,380,004,385", 1_380_004_385, False),
    ("1.450.233.966", 1_450_233_966, False),
    ("1,000,000", 1_000_000, False),
    # spaces, no-break spaces and apostrophes group thousands in both conventions
    ("126 476 461", 126_476_461, False),
    (f"126{NBSP}476{NBSP}461", 126_476_461, False),
    (f"126{NNBSP}476{NNBSP}461", 126_476_461, False),
    (f"1{NNBSP}234", 1_234, False),
    ("1 234", 1_234, False),
    ("1'234'567", 1_234_567, False),
    # approximate markers: English, German and both
    ("about 95,529,003", 95_529_003, True),
    ("approx. 95,529,003", 95_529_003, True),
    ("around 38,928,346", 38_928_346, True),
    ("rund 38.928.346", 38_928_346, True),
    ("etwa 38 928 346", 38_928_346, True),
    ("ca. 38.928.346", 38_928_346, True),
    ("~ 38,928,346", 38_928_346, True),
    ("about 220,000", 220_000, True),  # English marker: ',' groups
    ("rund 220.000", 220_000, True),  # German marker: '.' groups
    ("Rund 220.000", 220_000, True),
    # English units: ',' groups thousands, '.' is the decimal point
    ("appr. 19 million", 19_000_000, True),
    ("approx. 19 million", 19_000_000, True),
    ("19 million", 19_000_000, True),
    ("1.45 billion", 1_450_000_000, True),
    ("1.5 billion", 1_500_000_000, True),
    ("213,401 thousand", 213_401_000, True),
    ("about 1,380 million", 1_380_000_000, True),
    ("about 1.38 million", 1_380_000, True),
    ("12.5 thousand", 12_500, True),
    ("approx. 1.234 million", 1_234_000, True),
    (f"2{NBSP}500 million", 2_500_000_000, True),
    ("19million", 19_000_000, True),
    # German units: '.' groups thousands, ',' is the decimal comma
    ("ca. 1,2 Mrd.", 1_200_000_000, True),
    ("rund 1,45 Milliarden", 1_450_000_000, True),
    ("213,401 Tsd.", 213_401, True),
    ("213.401 Tsd.", 213_401_000, True),
    ("ca. 19 Mio.", 19_000_000, True),
    ("19 Millionen", 19_000_000, True),
    ("1,38 Millionen", 1_380_000, True),
    ("1.380 Mio.", 1_380_000_000, True),
    (f"1{NNBSP}234,5 Mio.", 1_234_500_000, True),
    ("etwa 220 Tausend", 220_000, True),
    ("1,5 Milliarden", 1_500_000_000, True),
    # a capitalised 'Million' is English and German: the number decides where it can
    ("1,5 Million", 1_500_000, True),
    ("1.5 Million", 1_500_000, True),
    ("1 Million", 1_000_000, True),
]


def test_the_table_covers_at_least_forty_forms():
    assert len(WRITTEN_FORMS) >= 40


@pytest.mark.parametrize("written, value, approximate", WRITTEN_FORMS)
def test_editors_forms_are_normalised(written, value, approximate):
    assert parse_whole_number(written) == (value, approximate)


@pytest.mark.parametrize(
    "written, message",
    [
        # Forms that can be read two ways: refused, with both readings.
        (
            "1.234",
            "'1.234' can be read two ways: as 1.234 (English: '.' as the decimal mark) or as 1234 (German: '.' "
            "grouping thousands); write 1234 for the whole number, or add a unit for a decimal (e.g. '1.234 "
            "million' or '1,234 Mio.')",
        ),
        (
            "1,234",
            "'1,234' can be read two ways: as 1234 (English: ',' grouping thousands) or as 1.234 (German: ',' as "
            "the decimal mark); write 1234 for the whole number, or add a unit for a decimal (e.g. '1.234 "
            "million' or '1,234 Mio.')",
        ),
        (
            220.0,  # an unquoted 'value: 220.000', as YAML reads it
            "YAML read the figure as the decimal number 220.0, which may not be what is written there ('220.000' "
            'becomes 220.0); put the figure in quotes, like "220.000"',
        ),
        (
            "ca. 220.000",
            "'ca. 220.000' can be read two ways: as 220 (English: '.' as the decimal mark) or as 220000 (German: "
            "'.' grouping thousands); write 220000, or say which way with a marker ('about 220,000', "
            "'rund 220.000')",
        ),
        (
            "1,380 Million",
            "'1,380 Million' can be read two ways: as 1380000000 (English: ',' grouping thousands) or as 1380000 "
            "(German: ',' as the decimal mark); write the unit the English way ('million', with ',' grouping and "
            "'.' for decimals) or the German way ('Mio.', with '.' grouping and ',' for decimals)",
        ),
        (
            "1 Billion",
            "'1 Billion' can be read two ways: as 1000000000 (English: 'Billion' as 10^9) or as 1000000000000 "
            "(German: 'Billion' as 10^12); write 'billion' (English, 10^9), or 'Mrd.' or 'Milliarden' (German, "
            "10^9)",
        ),
        # Forms that can be read one way only, and that is not a whole number.
        (
            "12.5",
            "'12.5' reads as 12.5 (English: '.' as the decimal mark), not a whole number; write all digits, or "
            "add a unit (e.g. '12.5 million')",
        ),
        (
            "12,5",
            "'12,5' reads as 12.5 (German: ',' as the decimal mark), not a whole number; write all digits, or "
            "add a unit (e.g. '12,5 Mio.')",
        ),
        (
            "126,476.461",
            "'126,476.461' reads as 126476.461 (English: ',' grouping thousands, '.' as the decimal mark), not a "
            "whole number; write all digits, or add a unit (e.g. '126,476.461 million')",
        ),
        ("1.2345 thousand", "'1.2345 thousand' is 1234.5, not a whole number; give fewer decimals"),
        # A number written the German way with an English unit, or the other way round.
        (
            "1,5 thousand",
            "'1,5 thousand': 'thousand' is English, which writes '.' before decimals and ',' between groups of "
            "three; write '1.5 thousand' or '1,5 Tsd.'",
        ),
        (
            "1.5 Mio.",
            "'1.5 Mio.': 'Mio.' is German, which writes ',' before decimals and '.' between groups of three; "
            "write '1,5 Mio.' or '1.5 million'",
        ),
        (
            "about 1.234.567 million",
            "'about 1.234.567 million': 'million' is English, which writes '.' before decimals and ',' between "
            "groups of three; write '1,234,567 million' or '1.234.567 Mio.'",
        ),
        # Forms that are no figure at all.
        (
            "19 zillion",
            "unknown unit 'zillion' in '19 zillion'; use thousand, million or billion (English), or Tsd., Mio., "
            "Mrd., Millionen or Milliarden (German)",
        ),
        (
            "many",
            "'many' is not a number; write digits, grouped in threes if you like (126,476,461, 126.476.461 or "
            "126 476 461), or a figure with a unit ('appr. 19 million', 'rund 1,2 Mrd.')",
        ),
        (
            "1,38,00,04,385",
            "'1,38,00,04,385' is not a number; write digits, grouped in threes if you like (126,476,461, "
            "126.476.461 or 126 476 461), or a figure with a unit ('appr. 19 million', 'rund 1,2 Mrd.')",
        ),
        (
            "1,234.567.890",
            "'1,234.567.890' is not a number; write digits, grouped in threes if you like (126,476,461, "
            "126.476.461 or 126 476 461), or a figure with a unit ('appr. 19 million', 'rund 1,2 Mrd.')",
        ),
        (True, "expected a number, got True"),
        (-5, "expected a number of zero or more, got -5"),
    ],
)
def test_unreadable_forms_are_refused_with_advice(written, message):
    with pytest.raises(FigureError) as error:
        parse_whole_number(written)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "language, value, approximate, printed",
    [
        ("en", 126_476_461, False, "126,476,461"),
        ("en", 19_000_000, True, "approx. 19 million"),
        ("en", 1_450_000_000, True, "approx. 1.45 billion"),
        ("en", 220_000, True, "approx. 220,000"),
        ("en", 95_529_003, True, "approx. 95,529,003"),  # 'about 95,529,003': no digit rounded away
        ("en", 213_401_000, True, "approx. 213,401,000"),
        ("de", 126_476_461, False, "126.476.461"),
        ("de", 19_000_000, True, f"ca. 19{NBSP}Mio."),  # a no-break space, as Babel writes it
        ("de", 1_450_000_000, True, f"ca. 1,45{NBSP}Mrd."),
        ("de", 220_000, True, "ca. 220.000"),
        ("de", 999_999, True, "ca. 999.999"),
        ("de", 95_529_003, True, "ca. 95.529.003"),
        ("de", 1_200, False, "1.200"),
    ],
)
def test_population_prints_grouped_in_the_books_language(language, value, approximate, printed):
    population = Population(value=value, approximate=approximate, as_of="2020-07-01", source="test")
    assert Language(language).population(population) == printed


def _bar_widths(svg: bytes) -> list[float]:
    """The widths of the population chart's bars: its rectangles (the hatching's tile is a definition)."""
    drawn = re.sub(rb"<defs>.*?</defs>", b"", svg, flags=re.S)
    return [float(width) for width in re.findall(rb'<rect [^>]*width="([\d.]+)"', drawn)]


@pytest.mark.parametrize("approximate", [False, True])
def test_a_small_population_still_has_a_bar(approximate):
    chart = population_chart(
        ["China", "São Tomé and Príncipe"],
        [1_450_233_966, 220_000],
        [False, approximate],
        ["1,450,233,966", "approx. 220,000"],
        "Population by country.",
    )
    china, small = _bar_widths(chart.svg)
    assert china > 200  # points
    assert small >= 1.5  # a true-to-scale bar would be 0.05 pt: nothing on paper
