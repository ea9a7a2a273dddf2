"""Safety: the root, symlinks, one filesystem, the last look, system folders, permissions, names."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from os1.skills.tidy.apply import Tidier
from os1.skills.tidy.plan import Plan, Plans

from .conftest import OS1, json_plan, os1_groups, plan_of, snapshot

ROOT = os.geteuid() == 0


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def apply(plan: Plan, home: Path) -> tuple[Tidier, list[tuple[str, str]]]:
    tidier = Tidier(Plans(home))
    return tidier, tidier.apply(plan).left


def test_symlinks_out_of_the_root_are_never_followed(tmp_path: Path, hermetic: Path) -> None:
    outside = tmp_path / "outside"
    write(outside / "secret.txt", b"same" * 1000)
    write(outside / "secret copy.txt", b"same" * 1000)
    root = tmp_path / "tree"
    write(root / "mine.txt", b"same" * 1000)
    (root / "to-folder").symlink_to(outside)
    (root / "to-file").symlink_to(outside / "secret.txt")
    outside_before = snapshot(outside)
    plan = plan_of(root)
    assert plan.duplicates == []  # the one copy inside has no twin inside
    assert all(str(outside) not in a.path for a in plan.actions)
    apply(plan, hermetic)
    assert snapshot(outside) == outside_before


def test_a_folder_swapped_for_a_link_after_the_scan_is_not_followed(
    tmp_path: Path, hermetic: Path
) -> None:
    root = tmp_path / "tree"
    write(root / "keep/photo.jpg", b"p" * 5000)
    write(root / "sub/photo (1).jpg", b"p" * 5000)
    outside = tmp_path / "outside"
    write(outside / "photo (1).jpg", b"p" * 5000)  # the very name and bytes, elsewhere
    plan = plan_of(root)
    assert len(plan.actions) == 1
    (root / "sub").rename(root / "sub-real")
    (root / "sub").symlink_to(outside)
    _, left = apply(plan, hermetic)
    assert left == [(str(root / "sub/photo (1).jpg"), "its folder was replaced by a link")]
    assert (outside / "photo (1).jpg").read_bytes() == b"p" * 5000


@pytest.fixture
def rechecked(tmp_path: Path) -> Iterator[tuple[Path, Plan]]:
    root = tmp_path / "tree"
    for name in ("a", "b", "c", "d", "e", "f"):
        write(root / "keep" / name, name.encode() * 3000)
        write(root / "copies" / f"{name} (1)", name.encode() * 3000)
    write(root / "junk/__pycache__/m.pyc", b"compiled")
    (root / "empty/inside").mkdir(parents=True)
    plan = plan_of(root)
    assert len(plan.actions) == 8
    yield root, plan


def _same_times(path: Path, change: bytes) -> None:
    st = path.stat()
    path.write_bytes(change)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_anything_changed_since_the_scan_is_left(
    rechecked: tuple[Path, Plan], hermetic: Path
) -> None:
    root, plan = rechecked
    copies = root / "copies"
    _same_times(copies / "a (1)", b"A" * 3000)  # same size and time, other bytes
    (copies / "b (1)").write_bytes(b"b" * 3001)  # other size
    os.utime(copies / "c (1)", ns=(1, 10**18))  # touched
    shutil.copy(copies / "d (1)", root / "d-new")  # same bytes, another inode
    (root / "d-new").replace(copies / "d (1)")
    _same_times(root / "keep/e", b"E" * 3000)  # the copy kept changed behind its time
    (root / "keep/f").unlink()  # the copy kept is gone
    write(root / "junk/__pycache__/new.pyc", b"new")
    write(root / "empty/inside/now.txt", b"not empty any more")
    before = snapshot(root)
    _, left = apply(plan, hermetic)
    assert sorted(left) == sorted(
        [
            (str(copies / "a (1)"), "its content changed"),
            (str(copies / "b (1)"), "it changed since the scan"),
            (str(copies / "c (1)"), "it changed since the scan"),
            (str(copies / "d (1)"), "it was replaced by something else"),
            (str(copies / "e (1)"), "it no longer matches the copy to keep"),
            (str(copies / "f (1)"), "the copy to keep is gone"),
            (str(root / "junk/__pycache__"), "what is inside changed since the scan"),
            (str(root / "empty"), "what is inside changed since the scan"),
        ]
    )
    assert snapshot(root) == before


def test_unchanged_things_still_go(rechecked: tuple[Path, Plan], hermetic: Path) -> None:
    root, plan = rechecked
    before = snapshot(root)
    tidier, left = apply(plan, hermetic)
    assert left == []
    assert sorted(os.listdir(root / "copies")) == []
    assert not (root / "junk/__pycache__").exists() and not (root / "empty").exists()
    tidier.undo(plan.id)
    assert snapshot(root) == before


def _in_private_mounts(script: str) -> subprocess.CompletedProcess[bytes]:
    if not ROOT or shutil.which("unshare") is None:
        pytest.skip("mounting a filesystem inside the tree needs root and unshare")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, timeout=120, env=os.environ
    )


def test_stays_on_one_filesystem_unless_asked(tmp_path: Path, hermetic: Path) -> None:
    root = tmp_path / "tree"
    write(root / "here.bin", b"h" * 4000)
    (root / "mnt").mkdir()
    os1 = " ".join(OS1)
    script = f"""
        set -e
        mount -t tmpfs -o size=4m tidy-test {root}/mnt
        head -c 4000 {root}/here.bin > {root}/mnt/there.bin
        {os1} tidy {root} --json > {tmp_path}/one.json
        {os1} tidy {root} --json --cross-filesystems --yes > {tmp_path}/cross.json
        ls -a {root}/mnt > {tmp_path}/mnt-after.txt
        {os1} tidy --undo > /dev/null
        ls -a {root}/mnt > {tmp_path}/mnt-undone.txt
    """
    done = _in_private_mounts(script)
    assert done.returncode == 0, done.stderr.decode()
    import json

    one = json.loads((tmp_path / "one.json").read_text())
    assert one["duplicates"] == []
    assert {
        "path": str(root / "mnt"),
        "why": "another filesystem (use --cross-filesystems)",
    } in one["skipped"]
    cross = json.loads((tmp_path / "cross.json").read_text())
    assert os1_groups(cross, root) == {frozenset({"here.bin", "mnt/there.bin"})}
    assert cross["applied"]["moved"] == 1
    # A file on another filesystem goes to that filesystem's own trash, never copied.
    moved_name = Path(cross["duplicates"][0]["remove"][0]).name
    after = (tmp_path / "mnt-after.txt").read_text().split()
    undone = (tmp_path / "mnt-undone.txt").read_text().split()
    assert moved_name not in after or moved_name not in undone
    assert moved_name in undone


def test_a_system_folder_mounted_inside_is_not_entered(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    (root / "etc-here").mkdir(parents=True)
    os1 = " ".join(OS1)
    done = _in_private_mounts(
        f"mount --bind /etc {root}/etc-here && {os1} tidy {root} --json > {tmp_path}/p.json"
    )
    assert done.returncode == 0, done.stderr.decode()
    import json

    plan = json.loads((tmp_path / "p.json").read_text())
    assert plan["scanned"]["files"] == 0
    assert {"path": str(root / "etc-here"), "why": "a system folder"} in plan["skipped"]


@pytest.mark.skipif(
    not ROOT or shutil.which("setpriv") is None, reason="becoming another user needs root"
)
def test_permission_errors_are_reported_and_skipped() -> None:
    with tempfile.TemporaryDirectory() as base:
        os.chmod(base, 0o755)
        root = Path(base) / "tree"
        write(root / "open/a.txt", b"a" * 2000)
        write(root / "open/a copy.txt", b"a" * 2000)
        write(root / "open/locked.txt", b"l" * 2000)  # same size: must be read to compare
        write(root / "closed/secret.txt", b"s" * 2000)
        home = Path(base) / "home"
        home.mkdir()
        for path in (root, root / "open", *(root / "open").iterdir(), home):
            os.chown(path, 65534, 65534)
        os.chmod(root / "open/locked.txt", 0)
        os.chmod(root / "closed", 0)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        done = subprocess.run(
            [*nobody, *OS1, "tidy", str(root), "--json", "--yes"],
            capture_output=True,
            env={**os.environ, "OS1_HOME": str(home)},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode()
        plan = json_plan(done)
        assert {"path": str(root / "closed"), "why": "permission denied"} in plan["skipped"]
        assert {"path": str(root / "open/locked.txt"), "why": "permission denied"} in plan[
            "skipped"
        ]
        assert os1_groups(plan, root) == {frozenset({"open/a.txt", "open/a copy.txt"})}
        assert plan["applied"]["moved"] == 1


def long_path(root: Path, depth: int) -> bytes:
    """Make folders of 200-byte names, `depth` deep, one at a time; the full path's bytes."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    name = b"d" * 200
    try:
        for _ in range(depth):
            os.mkdir(name, dir_fd=fd)
            next_fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        out = os.open(b"far away.txt", os.O_WRONLY | os.O_CREAT, 0o640, dir_fd=fd)
        os.write(out, b"deep" * 1000)
        os.close(out)
    finally:
        os.close(fd)
    return os.fsencode(root) + (b"/" + name) * depth + b"/far away.txt"


def test_any_name_and_any_length(tmp_path: Path, hermetic: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    base = os.fsencode(root)
    names = [b"latin1 caf\xe9.txt", b"new\nline.txt", b"\xff\xfe raw bytes", b"x" * 255]
    for name in names:
        with open(base + b"/" + name, "wb") as fh:
            fh.write(b"odd" * 500)
    write(root / "plain.txt", b"odd" * 500)
    far = long_path(root, 24)
    assert len(far) > 4096
    write(root / "near.txt", b"deep" * 1000)
    before = snapshot(root)
    plan = plan_of(root)
    groups = {frozenset(os.fsencode(p) for p in g["files"]) for g in plan.to_json()["duplicates"]}
    assert groups == {
        frozenset([base + b"/" + n for n in names] + [base + b"/plain.txt"]),
        frozenset([far, base + b"/near.txt"]),
    }
    tidier, left = apply(plan, hermetic)
    assert left == []
    assert len(snapshot(root)) == len(before) - len(names) - 1  # one of each group stays
    tidier.undo(plan.id)
    assert snapshot(root) == before


def test_version_control_and_hidden_folders_are_never_changed(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    write(root / "repo/.git/objects/__pycache__/x.pyc", b"1")
    write(root / "repo/.git/refs/tags/.keep", b"")
    (root / "repo/.git/refs/heads").mkdir(parents=True)
    write(root / "repo/.git/HEAD", b"ref" * 100)
    write(root / "repo/.git/ORIG_HEAD", b"ref" * 100)
    write(root / ".config/app/state.db", b"state" * 100)
    write(root / ".config/app/state-backup.db", b"state" * 100)
    plan = plan_of(root)
    assert plan.actions == []
    assert len(plan.duplicates) == 2  # listed, as the peers list them, but nothing moves
    kept = {Path(k["path"]).name for k in plan.kept_in_place}
    assert len(kept) == 2 and kept < {"HEAD", "ORIG_HEAD", "state.db", "state-backup.db"}
