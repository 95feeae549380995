"""Marks tests/ as a package so pytest puts the project root, not tests/, on sys.path.

Without it, tests/conftest.py makes pytest prepend tests/ itself, and the folders
tests/store and tests/extract then shadow the real store and extract packages.
"""
