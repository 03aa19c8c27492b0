"""A file in the data folder that is a link to one outside it is refused everywhere: by `check`, by
every build, by `archive`; the message names the link, never the target's content."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports.cli import main

SECRET = "root-secret-line: never to be printed\n"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.md"
    path.parent.mkdir()
    path.write_text(SECRET)
    return path


def _link(link: Path, target: Path) -> None:
    link.unlink(missing_ok=True)
    link.symlink_to(target)


@pytest.mark.parametrize(
    "linked, command",
    [
        ("regions/asia-pacific.md", ["region", "asia-pacific"]),
        ("countries/japan/rules-based-order.md", ["country", "japan"]),
        ("countries/japan.yaml", ["country", "india"]),
        ("events/security-dialogue-2023.md", ["handout", "{data}/events/security-dialogue-2023.yaml"]),
        ("packs/tokyo-delegation-2023.md", ["pack", "{data}/packs/tokyo-delegation-2023.yaml"]),
    ],
)
def test_a_link_out_of_the_data_folder_is_refused_by_check_and_build(
    data_copy, secret, tmp_path, capsys, linked, command
):
    _link(data_copy / linked, secret)
    output = tmp_path / "out.pdf"
    output.write_bytes(b"the previous good file")
    expected = f"{data_copy / linked}: a symbolic link to a file outside its folder; put the file itself there"
    for argv in (["check"], [*(part.format(data=data_copy) for part in command), "-o", str(output), "--no-cache"]):
        status = main([*argv, "--data", str(data_copy)])
        captured = capsys.readouterr()
        assert status == 2, captured.err
        assert expected in captured.err.splitlines()
        assert "root-secret-line" not in captured.out + captured.err
    assert output.read_bytes() == b"the previous good file"


def test_archive_refuses_a_linked_file_and_seals_nothing(data_copy, secret, tmp_path, capsys):
    _link(data_copy / "regions" / "notes-for-the-archive.md", secret)
    archive = tmp_path / "archive"
    status = main(["archive", "--edition", "2023", "--data", str(data_copy), "--archive-dir", str(archive)])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.err.splitlines()[0] == (
        f"{data_copy / 'regions' / 'notes-for-the-archive.md'}: a symbolic link "
        "to a file outside its folder; put the file itself there"
    )
    assert not archive.exists()


def test_a_link_inside_the_data_folder_is_followed(data_copy, capsys):
    original = data_copy / "regions" / "asia-pacific.md"
    moved = data_copy / "texts" / "asia-pacific.md"
    moved.parent.mkdir()
    original.rename(moved)
    _link(original, moved)
    assert main(["check", "--data", str(data_copy)]) == 0, capsys.readouterr().err
