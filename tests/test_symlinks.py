"""A file in the data folder that is a link to one outside it is refused by `archive` too (check and
the builds: tests/test_hostile.py); a link that stays inside is followed."""

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
