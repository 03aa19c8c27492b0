"""Loading the sample data into the model."""

import datetime as dt

import pytest

from reports.inputs import Inputs
from reports.loader import load_atlas
from reports.problems import InputError
from reports.yamlsource import load_yaml
from tests.conftest import DATA


def test_sample_atlas_loads_with_its_quirks_normalised():
    atlas = load_atlas(DATA)
    assert atlas.edition.edition == 2023
    assert list(atlas.interests) == ["rules-based-order", "prosperity", "security", "resources-climate", "migration"]
    japan = atlas.find_country("JP")
    assert japan is atlas.find_country("japan") is atlas.find_country("jp")
    assert [a.interest for a in japan.assessments] == ["rules-based-order", "prosperity"]
    assert japan.capital.get("en") == "Tokyo" and japan.capital.get("de") == "Tokio"
    assert japan.population.value == 126_476_461 and not japan.population.approximate
    assert atlas.find_country("taiwan").population.value == 23_900_000
    kazakhstan = atlas.find_country("KZ").population
    assert (kazakhstan.value, kazakhstan.approximate) == (19_000_000, True)
    afghanistan = atlas.find_country("AF").assessments[0]
    assert afghanistan.suspended and afghanistan.ratings is None and afghanistan.reason
    text = japan.assessments[0].answers["en"]
    assert list(text) == ["relevance", "willingness", "status_quo", "potential", "recommendation"]
    assert 1000 <= sum(len(section.split()) for section in text.values()) <= 1500
    assert [c.slug for c in atlas.countries_in("asia-pacific")][:2] == ["afghanistan", "china"]


def test_yaml_positions_point_at_keys(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb:\n  - c: 2023-01-02\n    d: [1, 2]\n")
    data, source = load_yaml(path, "x.yaml")
    assert data == {"a": 1, "b": [{"c": dt.date(2023, 1, 2), "d": [1, 2]}]}
    assert source.locate(("b", 0, "d")) == (4, 5)
    assert source.locate(("b", 0, "missing")) == (3, 5)  # a missing key points at its parent


def test_a_folder_loaded_again_unchanged_is_not_read_again_and_an_edit_is_seen(data_copy):
    first, again = Inputs(), Inputs()
    atlas = load_atlas(data_copy, first)
    assert load_atlas(data_copy, again) is atlas  # the web edition's workers: one load for many PDFs
    assert again.record() == first.record() and len(first.record()) > 50

    japan = data_copy / "countries" / "japan.yaml"
    japan.write_text(japan.read_text(encoding="utf-8").replace("Tokio", "Tokyo-to"), encoding="utf-8")
    assert load_atlas(data_copy).find_country("japan").capital.get("de") == "Tokyo-to"  # a file edited

    german = data_copy / "regions" / "latin-america.de.md"  # looked for, absent
    assert "de" not in load_atlas(data_copy).regions["latin-america"].introduction.root
    german.write_text("Drei Länder, neu eingeleitet.\n", encoding="utf-8")
    assert load_atlas(data_copy).regions["latin-america"].introduction.root["de"] == "Drei Länder, neu eingeleitet.\n"

    region = data_copy / "regions" / "asia-pacific.yaml"
    region.write_text("name: [\n", encoding="utf-8")
    broken = Inputs()
    with pytest.raises(InputError):
        load_atlas(data_copy, broken)
    assert f"file {region.resolve()}" in broken.record() and len(broken.record()) > 50  # a watcher waits on them
    with pytest.raises(InputError):
        load_atlas(data_copy)  # still broken: never the atlas loaded before
