"""The last look before a move: is it still exactly what the scan saw?

A file must have the same inode, size and modification time, and the same content
digest; a duplicate must also still be byte-for-byte the same as the copy kept (which
must itself be unchanged). A folder must hold the same number of things, the same
bytes, and nothing newer. Anything else is left where it is, with the reason.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from os1.skills.tidy import fsops
from os1.skills.tidy.dupes import digest
from os1.skills.tidy.plan import Action


def check(tree: fsops.Tree, action: Action, new: Any) -> str | None:
    """None when `action` may go ahead; else why it may not, in a few words."""
    try:
        dir_fd, name = tree.parent(tree.relative(action.path))
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return "it is gone"
    except fsops.Changed:
        return "its folder was replaced by a link"
    if (st.st_dev, st.st_ino) != (action.dev, action.ino):
        return "it was replaced by something else"
    if action.folder:
        return _check_folder(dir_fd, name, st, action)
    if not stat.S_ISREG(st.st_mode):
        return "it is no longer a plain file"
    if st.st_size != action.size or st.st_mtime_ns != action.mtime_ns:
        return "it changed since the scan"
    return _check_content(tree, dir_fd, name, action, new)


def _check_content(
    tree: fsops.Tree, dir_fd: int, name: str, action: Action, new: Any
) -> str | None:
    fd = fsops.open_read(name, dir_fd)
    try:
        if not fsops.same_file(fd, fsops.Identity(action.dev, action.ino)):
            return "it was replaced by something else"
        if not action.keep:
            found = digest(fd, action.size, new)
            return None if found == action.digest else "its content changed"
        try:
            twin = tree.open_file(tree.relative(action.keep))
        except (OSError, fsops.Changed):
            return "the copy to keep is gone"
        try:
            kept = os.fstat(twin)
            if (kept.st_ino, kept.st_mtime_ns, kept.st_size) != (
                action.keep_ino,
                action.keep_mtime_ns,
                action.size,
            ):
                return "the copy to keep changed"
            found = digest(fd, action.size, new, twin)
        finally:
            os.close(twin)
        if found is None:  # which of the two changed?
            os.lseek(fd, 0, os.SEEK_SET)
            if digest(fd, action.size, new) != action.digest:
                return "its content changed"
            return "it no longer matches the copy to keep"
        return None if found == action.digest else "its content changed"
    finally:
        os.close(fd)


def _check_folder(dir_fd: int, name: str, st: os.stat_result, action: Action) -> str | None:
    if not stat.S_ISDIR(st.st_mode):
        return "it is no longer a folder"
    fd = os.open(name, fsops.DIR_FLAGS, dir_fd=dir_fd)
    try:
        files, entries, size, newest = survey(fd)
    finally:
        os.close(fd)
    if (files, entries, size) != (action.files, action.entries, action.size):
        return "what is inside changed since the scan"
    if newest != action.newest_ns:
        return "something inside changed since the scan"
    return None


def survey(fd: int) -> tuple[int, int, int, int]:
    """Below an open folder: (files, entries of any kind, bytes in files, newest change)
    counted the way the scan counts them; nothing is followed."""
    files = entries = size = 0
    newest = os.fstat(fd).st_mtime_ns
    pending = [os.dup(fd)]
    try:
        while pending:
            current = pending.pop()
            try:
                for entry in list(os.scandir(current)):
                    entries += 1
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode):
                        files += 1
                        size += st.st_size
                        newest = max(newest, st.st_mtime_ns)
                    elif stat.S_ISDIR(st.st_mode):
                        newest = max(newest, st.st_mtime_ns)
                        pending.append(os.open(entry.name, fsops.DIR_FLAGS, dir_fd=current))
            finally:
                os.close(current)
    finally:
        for left in pending:
            os.close(left)
    return files, entries, size, newest
