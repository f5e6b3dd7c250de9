"""The backup archive: a zip holding ``manifest.json`` and one JSON-lines file per table.

The manifest says the format and its version, the plugin's Alembic revision, when it was made,
and for each table (parents first) its columns with their kinds and its number of rows. A line
is one row, a JSON object by column name; values JSON has no type for are written as text by
their column's kind (ISO dates and times, base64 bytes, decimals as text), and a JSON column
holds its JSON text, so nothing depends on the engine the archive came from."""

import base64
import json
import os
import zipfile
from datetime import date, datetime
from decimal import Decimal

from .tables import kind_of

FORMAT = "cx-academy-backup"
VERSION = 1
MANIFEST = "manifest.json"


def _json_text(text):
    """A JSON column's text, checked here so that a broken one is refused before writing."""
    json.loads(text)
    return text


_ENCODE = {"datetime": datetime.isoformat, "date": date.isoformat, "decimal": str,
           "bytes": lambda value: base64.b64encode(value).decode("ascii")}
_DECODE = {"datetime": datetime.fromisoformat, "date": date.fromisoformat, "decimal": Decimal,
           "bytes": lambda value: base64.b64decode(value, validate=True), "json": _json_text}


class ArchiveError(Exception):
    """An archive that cannot be used, or a database it cannot go into; nothing was changed."""


def member(table_name):
    return f"tables/{table_name}.jsonl"


def _converted(value, kind, functions):
    return value if value is None or kind not in functions else functions[kind](value)


def encode(row, kinds):
    """One row as a line of JSON (without its newline)."""
    return json.dumps({name: _converted(row[name], kind, _ENCODE) for name, kind in kinds.items()},
                      ensure_ascii=False)


def decode(line, kinds):
    row = json.loads(line)
    if not isinstance(row, dict) or row.keys() != kinds.keys():
        raise ValueError("not the table's columns")
    return {name: _converted(row[name], kind, _DECODE) for name, kind in kinds.items()}


def write_archive(path, revision, created_at, tables, rows_of, echo=lambda _line: None):
    """Write ``tables`` (with ``rows_of(table)`` streaming each one's rows) to a zip at ``path``;
    the manifest. The file appears only when complete."""
    partial = f"{path}.partial"
    manifest = {"format": FORMAT, "format_version": VERSION, "revision": revision,
                "created_at": created_at.isoformat(), "tables": []}
    try:
        # Written for its owner only: it holds password hashes and signing keys.
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as raw, \
                zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for table in tables:
                kinds = columns_of(table)
                count = 0
                entry = zipfile.ZipInfo(member(table.name), created_at.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(entry, "w") as out:
                    for row in rows_of(table):
                        out.write(encode(row, kinds).encode("utf-8") + b"\n")
                        count += 1
                manifest["tables"].append({"name": table.name, "rows": count, "columns": list(kinds.items())})
                echo(f"  {table.name}: {count}")
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return manifest


def columns_of(table):
    return {column.name: kind_of(column) for column in table.columns}


class Archive:
    """An archive opened for reading: ``manifest`` checked on opening, ``rows(name)`` decoded
    line by line. Every problem is an ArchiveError naming the file, the table and the line."""

    def __init__(self, path):
        self.path = str(path)
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise ArchiveError(f"{self.path}: there is no such file.") from None
        except (zipfile.BadZipFile, OSError):
            raise ArchiveError(f"{self.path} is not a CX Academy backup (not a zip file).") from None
        try:
            manifest = json.loads(self._zip.read(MANIFEST))
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            self.close()
            raise ArchiveError(f"{self.path} is not a CX Academy backup (it has no readable manifest).") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            self.close()
            raise ArchiveError(f"{self.path} is not a CX Academy backup.")
        if manifest.get("format_version") != VERSION:
            self.close()
            raise ArchiveError(f"{self.path} is a backup of format {manifest.get('format_version')}; this version of "
                               f"CX Academy reads format {VERSION}.")
        try:
            self.revision = str(manifest["revision"])
            self.tables = {entry["name"]: {"rows": int(entry["rows"]), "columns": dict(entry["columns"])}
                           for entry in manifest["tables"]}
        except (KeyError, TypeError, ValueError):
            self.close()
            raise ArchiveError(f"{self.path}: its manifest is incomplete.") from None
        self.manifest = manifest

    def close(self):
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.close()

    def rows(self, name):
        """The rows of table ``name``, decoded; checks that there are as many as the manifest says."""
        entry = self.tables[name]
        kinds = entry["columns"]
        count = 0
        try:
            with self._zip.open(member(name)) as lines:
                for count, line in enumerate(lines, start=1):
                    yield self._decode(line, kinds, name, count)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
            raise ArchiveError(f"{self.path}: table {name} cannot be read ({error}).") from None
        if count != entry["rows"]:
            raise ArchiveError(f"{self.path}: table {name} has {count} rows where the manifest says "
                               f"{entry['rows']}.")

    def _decode(self, line, kinds, name, number):
        try:
            return decode(line, kinds)
        except (ValueError, TypeError, ArithmeticError) as error:  # ArithmeticError: not a decimal
            raise ArchiveError(f"{self.path}: table {name}, line {number}: {error!r}.") from None

    def check(self):
        """Read every row once, so that a broken archive is refused before the database is touched."""
        for name in self.tables:
            for _row in self.rows(name):
                pass
