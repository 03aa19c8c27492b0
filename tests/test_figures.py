"""Population figures as editors write them."""

import pytest

from reports.figures import FigureError, parse_whole_number
from reports.i18n import Language
from reports.model import Population


@pytest.mark.parametrize(
    "written, value, approximate",
    [
        ("126,476,461", 126_476_461, False),
        ("126.476.461", 126_476_461, False),
        ("23.900.000", 23_900_000, False),
        ("1,380,004,385", 1_380_004_385, False),
        ("1.450.233.966", 1_450_233_966, False),
        ("appr. 19 million", 19_000_000, True),
        ("approx. 19 million", 19_000_000, True),
        ("1.45 billion", 1_450_000_000, True),
        ("ca. 1,2 Mrd.", 1_200_000_000, True),
        ("about 95,529,003", 95_529_003, True),
        (95529003, 95_529_003, False),
        ("95529003", 95_529_003, False),
    ],
)
def test_editors_forms_are_normalised(written, value, approximate):
    assert parse_whole_number(written) == (value, approximate)


@pytest.mark.parametrize(
    "written, message",
    [
        (
            "1.234",
            "'1.234' is ambiguous: it can be read as a decimal or as a thousands group; write 1234 for the "
            "whole number, or add a unit for a decimal (e.g. '1.234 million')",
        ),
        (
            "1,234",
            "'1,234' is ambiguous: it can be read as a decimal or as a thousands group; write 1234 for the "
            "whole number, or add a unit for a decimal (e.g. '1.234 million')",
        ),
        (
            1.234,
            "'1.234' is ambiguous: it can be read as a decimal or as a thousands group; write 1234 for the "
            "whole number, or add a unit for a decimal (e.g. '1.234 million')",
        ),
        ("12.5", "'12.5' is not a whole number; add a unit (e.g. '12.5 million') or write all digits"),
        ("19 zillion", "unknown unit 'zillion' in '19 zillion'; use thousand, million or billion"),
        (
            "many",
            "'many' is not a number; write digits with ',' or '.' between groups of three (126,476,461), "
            "or a figure with a unit ('appr. 19 million')",
        ),
        (
            "126,476.461",
            "'126,476.461' is not a number; write digits with ',' or '.' between groups of three "
            "(126,476,461), or a figure with a unit ('appr. 19 million')",
        ),
        (True, "expected a number, got True"),
    ],
)
def test_unreadable_forms_are_refused_with_advice(written, message):
    with pytest.raises(FigureError) as error:
        parse_whole_number(written)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "value, approximate, printed",
    [
        (126_476_461, False, "126,476,461"),
        (19_000_000, True, "approx. 19 million"),
        (1_450_000_000, True, "approx. 1.45 billion"),
    ],
)
def test_population_prints_with_its_precision(value, approximate, printed):
    population = Population(value=value, approximate=approximate, as_of="2020-07-01", source="test")
    assert Language("en").population(population) == printed
