"""The plan: which copy is kept and why, what is junk, what is empty, what each part frees."""

from __future__ import annotations

import os
import time
from pathlib import Path

from os1.skills.tidy.keep import looks_like_copy
from os1.skills.tidy.report import plan_text, shown

from .conftest import plan_of

DAY = 86_400


def write(path: Path, data: bytes = b"", age_days: float = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if age_days:
        when = time.time() - age_days * DAY
        os.utime(path, (when, when))
    return path


def rel(paths: list[str], root: Path) -> set[str]:
    return {os.path.relpath(p, root) for p in paths}


def test_the_copy_kept_is_in_the_better_place(tmp_path: Path) -> None:
    write(tmp_path / "Downloads/report.pdf", b"r" * 900, age_days=30)
    write(tmp_path / "Documents/work/report.pdf", b"r" * 900, age_days=1)
    (group,) = plan_of(tmp_path).duplicates
    assert os.path.relpath(group["keep"], tmp_path) == "Documents/work/report.pdf"
    assert group["why"].startswith("the better place")


def test_then_the_better_name(tmp_path: Path) -> None:
    write(tmp_path / "photos/beach (1).jpg", b"b" * 900, age_days=9)
    write(tmp_path / "photos/Copy of beach.jpg", b"b" * 900, age_days=9)
    write(tmp_path / "photos/beach.jpg", b"b" * 900, age_days=1)
    (group,) = plan_of(tmp_path).duplicates
    assert os.path.relpath(group["keep"], tmp_path) == "photos/beach.jpg"
    assert group["why"].startswith("the better name")
    assert rel(group["remove"], tmp_path) == {"photos/beach (1).jpg", "photos/Copy of beach.jpg"}


def test_then_the_older_original(tmp_path: Path) -> None:
    write(tmp_path / "a/song.mp3", b"s" * 900, age_days=1)
    write(tmp_path / "b/song.mp3", b"s" * 900, age_days=400)
    (group,) = plan_of(tmp_path).duplicates
    assert os.path.relpath(group["keep"], tmp_path) == "b/song.mp3"
    assert group["why"].startswith("the older original")


def test_names_that_look_like_copies() -> None:
    for name in ("x (1).jpg", "Copy of x.jpg", "x copy.txt", "x - Copy.doc", "x 2.jpg", "x~"):
        assert looks_like_copy(name), name
    for name in ("x.jpg", "IMG_0012.jpg", "photo_2.jpg", "copycat.txt", "2019.pdf"):
        assert not looks_like_copy(name), name


def test_junk_rules(tmp_path: Path) -> None:
    write(tmp_path / "pics/.DS_Store", b"ds")
    write(tmp_path / "pics/Thumbs.db", b"th")
    write(tmp_path / "old.tmp", b"t", age_days=3)
    write(tmp_path / "fresh.tmp", b"t")  # maybe still in use
    write(tmp_path / "Downloads/movie.mkv.part", b"p" * 10, age_days=2)
    write(tmp_path / "Downloads/now.crdownload", b"p")  # still downloading
    write(tmp_path / "code/__pycache__/m.cpython-311.pyc", b"c" * 50)
    write(tmp_path / "code/proj/pyproject.toml", b"[project]")
    write(tmp_path / "code/proj/build/lib/m.py", b"b" * 70, age_days=200)
    (tmp_path / "code/proj/build/lib").chmod(0o755)
    os.utime(tmp_path / "code/proj/build/lib", (time.time() - 200 * DAY,) * 2)
    os.utime(tmp_path / "code/proj/build", (time.time() - 200 * DAY,) * 2)
    write(tmp_path / "code/new/package.json", b"{}")
    write(tmp_path / "code/new/node_modules/x/index.js", b"fresh")  # in use: not stale
    write(tmp_path / "notes/build/plan.txt", b"mine", age_days=300)  # no project: not output
    write(tmp_path / "c/prog.o", b"o" * 5, age_days=5)
    write(tmp_path / "c/prog.c", b"int main;")
    plan = plan_of(tmp_path)
    kinds = {os.path.relpath(str(j["path"]), tmp_path): j["kind"] for j in plan.junk}
    assert kinds == {
        "pics/.DS_Store": "litter",
        "pics/Thumbs.db": "litter",
        "old.tmp": "temporary",
        "Downloads/movie.mkv.part": "partial download",
        "code/__pycache__": "cache",
        "code/proj/build": "stale build output",
        "c/prog.o": "stale build output",
    }
    parts = plan.parts()
    assert parts["junk"]["items"] == 7
    assert parts["junk"]["frees"] == 2 + 2 + 1 + 10 + 50 + 70 + 5


def test_empty_files_and_folders(tmp_path: Path) -> None:
    write(tmp_path / "notes/empty.txt")
    write(tmp_path / "pkg/__init__.py")  # empty on purpose
    write(tmp_path / "pkg/.gitkeep")
    (tmp_path / "old/projects/2019/drafts").mkdir(parents=True)
    (tmp_path / "old/projects/2020").mkdir(parents=True)
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked/to-notes").symlink_to("../notes")  # a link is something
    plan = plan_of(tmp_path)
    assert rel([str(i["path"]) for i in plan.empty_files], tmp_path) == {"notes/empty.txt"}
    assert rel([str(i["path"]) for i in plan.empty_folders], tmp_path) == {"old"}
    assert plan.empty_folders[0]["folders_inside"] == 4


def test_the_largest_and_the_untouched_are_listed_not_moved(tmp_path: Path) -> None:
    write(tmp_path / "big.iso", b"i" * 50_000, age_days=1)
    write(tmp_path / "ancient.avi", b"a" * 20_000, age_days=3 * 365)
    write(tmp_path / "small.txt", b"s", age_days=4 * 365)
    plan = plan_of(tmp_path)
    assert [Path(str(i["path"])).name for i in plan.largest] == [
        "big.iso",
        "ancient.avi",
        "small.txt",
    ]
    assert [Path(str(i["path"])).name for i in plan.untouched] == ["ancient.avi", "small.txt"]
    assert plan.actions == []


def test_hard_links_are_counted_once(tmp_path: Path) -> None:
    write(tmp_path / "keep/a.bin", b"a" * 4000, age_days=10)
    write(tmp_path / "copy/a.bin", b"a" * 4000)
    os.link(tmp_path / "copy/a.bin", tmp_path / "copy/a-link.bin")  # both go: 4000 freed once
    write(tmp_path / "keep/b.bin", b"b" * 3000, age_days=10)
    write(tmp_path / "copy/b.bin", b"b" * 3000)
    os.link(tmp_path / "copy/b.bin", tmp_path.parent / f"{tmp_path.name}-outside-link")
    plan = plan_of(tmp_path)
    by_keep = {Path(g["keep"]).name: g for g in plan.duplicates}
    assert rel(by_keep["a.bin"]["remove"], tmp_path) == {"copy/a.bin", "copy/a-link.bin"}
    assert by_keep["a.bin"]["frees"] == 4000
    assert by_keep["b.bin"]["remove"] == []  # another link outside keeps the bytes anyway
    assert plan.kept_in_place == [
        {"path": str(tmp_path / "copy/b.bin"), "why": "hard-linked elsewhere: frees nothing"}
    ]
    assert plan.frees == 4000


def test_copies_inside_junk_folders_are_not_counted_twice(tmp_path: Path) -> None:
    write(tmp_path / "src/mod.py", b"m" * 500)
    write(tmp_path / "src/__pycache__/mod.py", b"m" * 500)
    plan = plan_of(tmp_path)
    (group,) = plan.duplicates
    assert os.path.relpath(group["keep"], tmp_path) == "src/mod.py"
    assert group["remove"] == [] and group["frees"] == 0
    assert plan.frees == 500 and len(plan.actions) == 1


def test_odd_names_print_on_one_line() -> None:
    assert shown("/r/a\nb", "/r") == "a\\nb"
    assert shown("/r/caf\udce9", "/r") == "caf\\xe9"
    assert shown("/r/x\x1b[2J", "/r") == "x\\x1b[2J"


def test_the_plan_text_names_each_part(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"x" * 100)
    write(tmp_path / "a (1).txt", b"x" * 100)
    write(tmp_path / ".DS_Store", b"d")
    text = plan_text(plan_of(tmp_path))
    assert "Duplicates: 1 group; moving 1 extra copy frees 100 bytes." in text
    assert "keep a.txt" in text and "litter: .DS_Store" in text
    assert "The plan: move 2 items to the trash, freeing 101 bytes." in text
