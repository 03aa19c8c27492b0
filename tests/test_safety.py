"""Rendering reads only the project's folders, and never replaces a good file with a broken one."""

import subprocess

import pytest
from PIL import Image, ImageChops

from reports.output import write_atomic
from reports.problems import BuildError
from reports.profiles import PROFILES
from reports.typeset import Page, typeset
from tests.conftest import DATA, run_main

SCREEN = PROFILES["screen"]
DATED = '<meta name="dcterms.created" content="2023-06-30">'
REFUSED = {
    "/etc/passwd": "refused to load 'file:///etc/passwd': documents may only use files from the project's "
    "templates/, styles/ and data folders",
    "http://example.com/logo.png": "refused to load 'http://example.com/logo.png': documents may only use files "
    "from the project's templates/, styles/ and data folders",
    "https://example.com/style.css": "refused to load 'https://example.com/style.css': documents may only use "
    "files from the project's templates/, styles/ and data folders",
    "ftp://example.com/x.png": "refused to load 'ftp://example.com/x.png': documents may only use files from the "
    "project's templates/, styles/ and data folders",
}


@pytest.mark.parametrize("reference", REFUSED)
def test_references_outside_the_project_stop_the_build(reference):
    with pytest.raises(BuildError) as error:
        typeset(Page(f'{DATED}<p>x</p><img src="{reference}">', DATA, stylesheets=[]), SCREEN)
    assert str(error.value) == REFUSED[reference]


def test_dot_dot_escape_from_templates_is_refused():
    with pytest.raises(BuildError) as error:
        typeset(Page(DATED + '<link rel="stylesheet" href="../../../../etc/passwd">', DATA, stylesheets=[]), SCREEN)
    assert "refused to load 'file:///" in str(error.value) and "etc/passwd'" in str(error.value)


def test_project_styles_and_given_charts_are_served(tmp_path):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<rect width="100" height="100" fill="#ff0000"/></svg>'
    )
    pdf = typeset(Page(DATED + '<img src="chart:test.svg" alt="a square">', DATA, {"chart:test.svg": svg}), SCREEN)
    path = tmp_path / "chart.pdf"
    path.write_bytes(pdf)
    # The page as a reader sees it, at 96 dpi (one CSS pixel, one pixel): the chart, a solid red
    # square of 100 pixels, is drawn; its alternative text is not shown instead.
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "a square" not in text
    subprocess.run(["pdftoppm", "-png", "-r", "96", "-singlefile", str(path), str(tmp_path / "page")], check=True)
    red, green, blue = Image.open(tmp_path / "page.png").convert("RGB").split()
    mask = ImageChops.multiply(
        ImageChops.multiply(  # the red pixels
            red.point(lambda value: 255 if value > 200 else 0), green.point(lambda value: 255 if value < 60 else 0)
        ),
        blue.point(lambda value: 255 if value < 60 else 0),
    )
    assert mask.getbbox(), "nothing red on the page: the chart is not drawn"
    left, top, right, bottom = mask.getbbox()
    assert (right - left, bottom - top) == pytest.approx((100, 100), abs=1)
    assert mask.crop((left + 1, top + 1, right - 1, bottom - 1)).getextrema() == (255, 255)  # solid


def test_failed_build_leaves_the_existing_pdf_untouched(data_copy, tmp_path, capsys):
    output = tmp_path / "japan.pdf"
    output.write_bytes(b"%PDF- the good edition")
    (data_copy / "countries" / "japan.yaml").write_text("code: JP\nname: [unclosed\n")
    result = run_main(capsys, "country", "japan", "--data", data_copy, "-o", output)
    assert result.returncode == 2
    assert result.stderr == (
        f"{data_copy.as_posix()}/countries/japan.yaml:3:1: YAML syntax error: expected ',' or "
        "']', but got '<stream end>'\n1 problem found.\n"
    )
    assert output.read_bytes() == b"%PDF- the good edition"
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["japan.pdf"]


def test_write_atomic_leaves_no_partial_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "dossier.pdf"
    target.write_bytes(b"old")

    def broken_fsync(_):
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"new content")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.pdf"]
