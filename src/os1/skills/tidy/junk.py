"""Junk: caches, temporary files, partial downloads, system litter, stale build outputs.

Each rule names what it found and why it is safe to let go. Anything still in use is
left: temporary files and partial downloads only count once untouched for a day, build
outputs only when their whole folder has been untouched for 90 days, and compiled
files only when their source is newer. Version control internals are never junk.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from os1.skills.tidy.scan import FileRecord, Folder, Scan

DAY_NS = 86_400 * 10**9
BUILD_STALE_DAYS = 90

# Folder name -> why it is a cache (its owner rebuilds it when needed).
CACHE_FOLDERS = {
    "__pycache__": "Python's compiled-code cache",
    ".pytest_cache": "pytest's cache",
    ".mypy_cache": "mypy's cache",
    ".ruff_cache": "ruff's cache",
    ".sass-cache": "Sass's cache",
    ".parcel-cache": "Parcel's cache",
    ".thumbnails": "thumbnails, made again when needed",
}
# Build output folder -> project files that show it is output of a build there.
BUILD_FOLDERS = {
    "build": {"setup.py", "pyproject.toml", "setup.cfg", "CMakeLists.txt", "Makefile"},
    "dist": {"setup.py", "pyproject.toml", "setup.cfg", "package.json"},
    "target": {"Cargo.toml", "pom.xml"},
    "node_modules": {"package.json"},
    ".tox": {"tox.ini", "setup.py", "pyproject.toml"},
    ".nox": {"noxfile.py"},
    ".gradle": {"build.gradle", "build.gradle.kts"},
    "builddir": {"meson.build"},
}
LITTER = {
    ".DS_Store": "macOS folder settings",
    "Thumbs.db": "Windows thumbnail cache",
    "ehthumbs.db": "Windows thumbnail cache",
    "ehthumbs_vista.db": "Windows thumbnail cache",
    ".localized": "macOS folder-name marker",
}
_TEMP = re.compile(r"(\.(tmp|temp)$|^~\$|~$|^\.~lock\..*#$)", re.IGNORECASE)
_PARTIAL = re.compile(r"\.(part|crdownload|partial|download|opdownload)$", re.IGNORECASE)
_COMPILED = re.compile(r"^(.*)\.(pyc|pyo|o|obj)$")
_COMPILED_ENDINGS = (".pyc", ".pyo", ".o", ".obj")
_SOURCES = {"pyc": (".py",), "pyo": (".py",), "o": (".c", ".cc", ".cpp"), "obj": (".c", ".cpp")}
# Empty files that mean something by existing (package markers, keep-folder files, locks).
MEANINGFUL_EMPTY = re.compile(
    r"^(__init__\.py|py\.typed|\.?keep|\.gitkeep|\.nomedia|\.nojekyll|.*lock.*|\..*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class JunkFile:
    record: FileRecord
    kind: str  # litter | temporary | partial download | stale build output
    why: str


@dataclass(frozen=True)
class JunkFolder:
    folder: int
    kind: str  # cache | stale build output
    why: str


# Cheap first look, before any regular expression: the endings and starts that matter.
_ENDINGS = (
    *(".tmp", ".temp", "~", "#"),
    *(".part", ".crdownload", ".partial", ".download", ".opdownload"),
)
_ANY_ENDING = _ENDINGS + _COMPILED_ENDINGS


def file_rule(record: FileRecord, now_ns: int) -> tuple[str, str] | None:
    """(kind, why) when a file is junk by its name alone (and age), else None."""
    name = record.name
    if name in LITTER:
        return "litter", LITTER[name]
    if not name.lower().endswith(_ENDINGS) and not name.startswith("~$"):
        return None
    idle = now_ns - max(record.mtime_ns, record.atime_ns) > DAY_NS
    if _PARTIAL.search(name):
        return ("partial download", "a download that never finished") if idle else None
    if _TEMP.search(name):
        return ("temporary", "a temporary or backup file left behind") if idle else None
    return None


def find_junk(
    scan: Scan, now_ns: int, newest: list[int] | None = None
) -> tuple[list[JunkFolder], list[JunkFile]]:
    """Junk folders (taken whole) and junk files outside them. `newest`: per folder, the
    newest change inside it (worked out here if not given)."""
    folders = scan.folders
    newest = newest_times(scan) if newest is None else newest
    junk_folders: list[JunkFolder] = []
    inside: set[int] = set()  # folders within a junk folder
    for index, folder in enumerate(folders):
        if index == 0 or folder.vcs or not folder.readable:
            continue
        if folder.parent in inside:
            inside.add(index)
            continue
        found = _folder_rule(scan, folder, newest[index], now_ns)
        if found is not None:
            junk_folders.append(JunkFolder(index, *found))
            inside.add(index)
    files: list[JunkFile] = []
    by_folder: dict[int, dict[str, FileRecord]] = defaultdict(dict)
    skip = inside | {i for i, f in enumerate(folders) if f.vcs}
    for record in scan.files:
        name = record.name
        if not (name in LITTER or name.lower().endswith(_ANY_ENDING) or name[:2] == "~$"):
            continue  # most files: one look at the name and no more
        if record.folder in skip:
            continue
        rule = file_rule(record, now_ns)
        if rule is not None:
            files.append(JunkFile(record, *rule))
        elif record.name.endswith(_COMPILED_ENDINGS) and _COMPILED.match(record.name):
            by_folder[record.folder][record.name] = record
    files.extend(_stale_compiled(scan, by_folder))
    return junk_folders, files


def _folder_rule(scan: Scan, folder: Folder, newest_ns: int, now_ns: int) -> tuple[str, str] | None:
    name = folder.rel.rsplit("/", 1)[-1]
    if name in CACHE_FOLDERS:
        return "cache", CACHE_FOLDERS[name]
    if name == "thumbnails" and folder.rel.endswith(".cache/thumbnails"):
        return "cache", CACHE_FOLDERS[".thumbnails"]
    markers = BUILD_FOLDERS.get(name)
    project = bool(markers and markers & scan.folders[folder.parent].names)
    if project and now_ns - newest_ns > BUILD_STALE_DAYS * DAY_NS:
        return "stale build output", (
            f"build output of the project beside it, untouched for {BUILD_STALE_DAYS}+ days"
        )
    return None


def newest_times(scan: Scan) -> list[int]:
    """For each folder, the newest modification time of anything inside it."""
    newest = [f.mtime_ns for f in scan.folders]
    for record in scan.files:
        if record.mtime_ns > newest[record.folder]:
            newest[record.folder] = record.mtime_ns
    for index in range(len(scan.folders) - 1, 0, -1):  # children come after parents
        parent = scan.folders[index].parent
        if newest[index] > newest[parent]:
            newest[parent] = newest[index]
    return newest


def _stale_compiled(scan: Scan, by_folder: dict[int, dict[str, FileRecord]]) -> list[JunkFile]:
    """Compiled files whose source sits beside them and is newer: rebuilt on next use."""
    if not by_folder:
        return []
    sources: dict[tuple[int, str], int] = {}
    for record in scan.files:
        if record.folder in by_folder and record.name.endswith((".py", ".c", ".cc", ".cpp")):
            sources[(record.folder, record.name)] = record.mtime_ns
    found = []
    for folder, compiled in by_folder.items():
        for name, record in compiled.items():
            match = _COMPILED.match(name)
            assert match is not None
            for suffix in _SOURCES[match.group(2)]:
                source_time = sources.get((folder, match.group(1) + suffix))
                if source_time is not None and source_time > record.mtime_ns:
                    found.append(
                        JunkFile(record, "stale build output", f"older than its source {suffix}")
                    )
                    break
    return found
