"""Backup, restore and moving engines: the plugin's tables in a portable archive (archive.py),
read and written alike on every engine (tables.py), moved by transfer.py; commands.py is
``flask lms backup / restore / copy-data``."""
