"""Tidying a folder: duplicates, junk and clutter found, a plan explained, applied on a yes.

scan (walk) -> dupes (size, first block, full hash) + junk (rules) -> build (the plan)
-> apply (re-check, journal, move to the trash) -> undo (everything back).
"""
