"""`os1 tidy`: the plan as JSON, applied only with a yes, undone exactly; bad input in one line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from os1 import audit
from os1.memory import Store
from os1.skills.tidy.sample import make_tree

from .conftest import RunTidy, json_plan, os1_groups, snapshot


def tree_bytes(root: Path) -> int:
    return sum(
        os.lstat(os.path.join(folder, name)).st_size
        for folder, _, files in os.walk(root)
        for name in files
    )


def test_done_when_json_lists_the_groups_yes_frees_undo_restores(
    tmp_path: Path, tidy_cli: RunTidy, hermetic: Path
) -> None:
    tree = make_tree(tmp_path / "tree", 600, seed=5)
    known = {frozenset(g) for g in tree.groups}
    before = snapshot(tree.root)

    planned = json_plan(tidy_cli(str(tree.root), "--json"))
    assert os1_groups(planned, tree.root) == known
    for group in planned["duplicates"]:
        assert group["keep"] in group["files"]
        assert set(group["remove"]) == set(group["files"]) - {group["keep"]}
    assert snapshot(tree.root) == before  # a plan changes nothing

    applied = tidy_cli(str(tree.root), "--yes")
    assert b"Moved" in applied.stdout
    duplicate_bytes = sum(g["size"] * (len(g["files"]) - 1) for g in planned["duplicates"])
    assert tree_bytes(tree.root) == tree.bytes - duplicate_bytes
    remaining = snapshot(tree.root)
    for group in planned["duplicates"]:
        kept = os.fsencode(os.path.relpath(group["keep"], tree.root))
        assert kept in remaining
        assert all(
            os.fsencode(os.path.relpath(p, tree.root)) not in remaining for p in group["remove"]
        )

    tidy_cli("--undo")
    assert snapshot(tree.root) == before  # every path, byte, mode and time

    store = Store(hermetic / "os1.sqlite3")
    actions = [entry[1] for entry in audit.entries(store, store.user_id())]
    store.close()
    assert actions[:2] == ["tidy.restored", "tidy.moved"]


def test_without_a_yes_nothing_changes(tmp_path: Path, tidy_cli: RunTidy) -> None:
    tree = make_tree(tmp_path / "tree", 100, seed=2)
    before = snapshot(tree.root)
    done = tidy_cli(str(tree.root))  # stdin is not a terminal: no one to say yes
    assert b"The plan: move" in done.stdout
    assert b"Nothing was changed" in done.stderr
    assert snapshot(tree.root) == before


def test_yes_with_json_reports_what_was_applied(tmp_path: Path, tidy_cli: RunTidy) -> None:
    tree = make_tree(tmp_path / "tree", 100, seed=3)
    data = json_plan(tidy_cli(str(tree.root), "--json", "--yes"))
    assert data["applied"]["moved"] == sum(p["items"] for p in data["parts"].values())
    assert data["applied"]["freed"] == data["frees"] > 0
    plans = tidy_cli("--plans").stdout.decode()
    assert data["id"] in plans and "applied" in plans
    tidy_cli("--undo", data["id"])
    assert "undone" in tidy_cli("--plans").stdout.decode()


def test_empty_trash_deletes_for_good_after_a_yes(
    tmp_path: Path, tidy_cli: RunTidy, hermetic: Path
) -> None:
    tree = make_tree(tmp_path / "tree", 100, seed=4)
    data = json_plan(tidy_cli(str(tree.root), "--json", "--yes"))
    trash = hermetic / "tidy" / data["id"] / "trash"
    assert len(os.listdir(trash)) == data["applied"]["moved"]
    refused = tidy_cli("--empty-trash")
    assert b"Nothing was deleted" in refused.stderr and trash.is_dir()
    tidy_cli("--empty-trash", "--yes")
    assert not trash.exists()
    gone = tidy_cli("--undo", data["id"], check=False)
    assert gone.returncode == 2 and b"emptied" in gone.stderr


def test_the_desktop_trash_gets_trashinfo_files(
    tmp_path: Path, tidy_cli: RunTidy, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = make_tree(tmp_path / "tree", 80, seed=6)
    before = snapshot(tree.root)
    data_home = tmp_path / "xdg"
    data = json_plan(
        tidy_cli(
            str(tree.root), "--json", "--yes", "--trash", "desktop", XDG_DATA_HOME=str(data_home)
        )
    )
    files = sorted(os.listdir(data_home / "Trash/files"))
    infos = sorted(os.listdir(data_home / "Trash/info"))
    assert len(files) == data["applied"]["moved"] > 0
    assert infos == sorted(f + ".trashinfo" for f in files)
    text = (data_home / "Trash/info" / infos[0]).read_text()
    assert text.startswith("[Trash Info]\nPath=/") and "DeletionDate=" in text
    tidy_cli("--undo", XDG_DATA_HOME=str(data_home))
    assert snapshot(tree.root) == before
    assert os.listdir(data_home / "Trash/info") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/nonexistent/folder"], b"There is no folder"),
        (["/"], b"system folder"),
        (["/usr/share"], b"system folder"),
        (["/etc"], b"system folder"),
        (["--undo", "no-such-plan"], b"There is no tidy plan"),
        (["--undo", "../escape"], b"is not a plan id"),
        (["--undo"], b"There is no plan to undo"),
        (["--resume"], b"There is no plan left unfinished"),
        (["--threads", "0", "."], b"--threads must be at least 1"),
    ],
)
def test_bad_input_is_one_line_with_the_fix(
    tidy_cli: RunTidy, args: list[str], message: bytes
) -> None:
    done = tidy_cli(*args, check=False)
    assert done.returncode == 2
    assert message in done.stderr
    assert done.stderr.count(b"\n") == 1


def test_a_file_is_not_a_folder(tmp_path: Path, tidy_cli: RunTidy) -> None:
    path = tmp_path / "file.txt"
    path.write_text("hello")
    done = tidy_cli(str(path), check=False)
    assert done.returncode == 2 and b"is a file, not a folder" in done.stderr


def test_the_plan_json_parses_back_for_any_name(tmp_path: Path, tidy_cli: RunTidy) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    odd = os.fsencode(root) + b"/caf\xe9 \xff\nnew line.txt"
    with open(odd, "wb") as fh:
        fh.write(b"same bytes" * 100)
    (root / "plain.txt").write_bytes(b"same bytes" * 100)
    data = json.loads(tidy_cli(str(root), "--json").stdout)
    (group,) = data["duplicates"]
    assert {os.fsencode(p) for p in group["files"]} == {odd, os.fsencode(root / "plain.txt")}
