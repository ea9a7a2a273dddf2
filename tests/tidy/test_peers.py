"""OS1 finds exactly the duplicate groups that rmlint, jdupes and fdupes find."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from os1.skills.tidy.dupes import BLOCK, CHUNK
from os1.skills.tidy.sample import make_tree

from .conftest import os1_groups, peer_groups, plan_of

TOOLS = ("jdupes", "fdupes", "rmlint")


def tricky_tree(root: Path) -> set[frozenset[str]]:
    """Files that only a full comparison tells apart, hidden ones, links, empty ones."""
    rng = random.Random(7)
    expected = []
    big = rng.randbytes(CHUNK * 2 + 1234)
    layout = {
        "a/big.bin": big,
        "b/deep/er/big copy.bin": big,
        "c/.hidden/big.bin": big,
        "a/big-last-byte.bin": big[:-1] + bytes([big[-1] ^ 1]),
        "a/big-middle.bin": big[: CHUNK + 5] + b"\x00" + big[CHUNK + 6 :],
        "a/block-edge.bin": big[: BLOCK + 1],
        "b/block-edge.bin": big[: BLOCK + 1],
        "a/same-size-1.txt": b"x" * 100,
        "a/same-size-2.txt": b"y" * 100,
        "b/same-size-3.txt": b"x" * 100,
        "a/empty-1": b"",
        "b/empty-2": b"",
        "a/one-byte": b"z",
        "b/one-byte": b"z",
    }
    for rel, data in layout.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    expected = [
        {"a/big.bin", "b/deep/er/big copy.bin", "c/.hidden/big.bin"},
        {"a/block-edge.bin", "b/block-edge.bin"},
        {"a/same-size-1.txt", "b/same-size-3.txt"},
        {"a/one-byte", "b/one-byte"},
    ]
    (root / "b/link-to-big").symlink_to("../a/big.bin")
    return {frozenset(g) for g in expected}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("peers") / "tree"
    tree = make_tree(root, 3000, seed=11)
    assert len(tree.groups) > 300
    return root


@pytest.mark.parametrize("tool", TOOLS)
def test_the_same_groups_as_each_peer_on_a_generated_tree(generated: Path, tool: str) -> None:
    ours = os1_groups(plan_of(generated), generated)
    assert ours == peer_groups(tool, generated)


def test_the_generated_groups_are_the_known_ones(generated: Path) -> None:
    tree = make_tree(generated.parent / "again", 3000, seed=11)
    assert os1_groups(plan_of(tree.root), tree.root) == {frozenset(g) for g in tree.groups}


@pytest.mark.parametrize("tool", TOOLS)
def test_the_same_groups_on_files_only_a_full_read_tells_apart(tmp_path: Path, tool: str) -> None:
    root = tmp_path / "tree"
    expected = tricky_tree(root)
    ours = os1_groups(plan_of(root), root)
    assert ours == expected
    assert ours == peer_groups(tool, root)


def test_hard_links_are_one_file_as_jdupes_sees_them(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "x").write_bytes(b"x" * 5000)
    os.link(root / "x", root / "x-link")  # same inode: not a duplicate by itself...
    (root / "x-copy").write_bytes(b"x" * 5000)  # ...but a group once a real copy exists
    (root / "y").write_bytes(b"y" * 3000)
    os.link(root / "y", root / "y-link")  # only links: frees nothing, not a group
    ours = os1_groups(plan_of(root), root)
    assert ours == {frozenset({"x", "x-link", "x-copy"})}
    assert ours == peer_groups("jdupes", root)
    # rmlint and fdupes -H also list pure hard-link groups; everything else agrees.
    link_only = {frozenset({"y", "y-link"})}
    assert ours | link_only == peer_groups("rmlint", root)
    assert ours | link_only == peer_groups("fdupes", root, "-H")


def test_no_copy_shares_a_hard_linked_inode_with_the_kept_one(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / "x").write_bytes(b"x" * 5000)
    os.link(root / "x", root / "x (1)")
    (root / "x copy").write_bytes(b"x" * 5000)
    plan = plan_of(root)
    (group,) = plan.duplicates
    assert group["keep"].endswith("/x")
    assert [Path(p).name for p in group["remove"]] == ["x copy"]  # a link to x frees nothing
    assert group["frees"] == 5000


def test_forked_workers_and_threads_make_the_same_plan(generated: Path) -> None:
    from os1.skills.tidy import parallel

    assert parallel.can_fork()  # else this test would compare threads with threads
    by_threads = plan_of(generated, processes=0).to_json()
    by_processes = plan_of(generated, processes=3).to_json()
    for key in ("scanned", "duplicates", "junk", "empty_files", "empty_folders", "largest"):
        assert by_processes[key] == by_threads[key], key
    assert sorted(a["path"] for a in by_processes["actions"]) == sorted(
        a["path"] for a in by_threads["actions"]
    )
