"""Reading CSV inputs as streams: a folder or a zip of OneRoster files, or one template.

Rows are yielded one at a time with the physical line they start on, so nothing holds a
whole file. Decoding is strict UTF-8 (a BOM is allowed) and a failure names its line.
"""

from __future__ import annotations

import csv
import datetime
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from people.roster.errors import ErrorList

csv.field_size_limit(1 << 20)  # a cell over 1 MB is not a roster; refuse it as csv.Error

EMAIL_RE = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
URN_RE = re.compile(r"^\d{6}$")


class DecodeFailed(Exception):
    def __init__(self, line: int, detail: str):
        super().__init__(detail)
        self.line = line
        self.detail = detail


class Source:
    """A set of files read by name: a folder, or a zip with every file at its root."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_file():
            if not zipfile.is_zipfile(self.path):
                raise ValueError(f"{self.path.name} is neither a folder nor a zip file.")
            self._zip = zipfile.ZipFile(self.path)
            self._names = {n for n in self._zip.namelist() if "/" not in n.rstrip("/")}
        elif self.path.is_dir():
            self._names = {p.name for p in self.path.iterdir() if p.is_file()}
        else:
            raise ValueError(f"{self.path} does not exist.")

    def has(self, name: str) -> bool:
        return name in self._names

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        if self._zip is not None:
            with self._zip.open(name) as fh:
                yield fh
        else:
            with open(self.path / name, "rb") as fh:
                yield fh

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def _decoded_lines(fh: IO[bytes], counter: list[int]) -> Iterator[str]:
    """Strict UTF-8 lines; `counter[0]` is the physical line last read."""
    for n, raw in enumerate(fh, 1):
        counter[0] = n
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DecodeFailed(
                n, f"The file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be read."
            ) from exc
        if n == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield text


class Columns(dict[str, int]):
    """Where each specified column sits in this file's header (-1 when omitted).

    A dict, not a class with its own __getitem__: `cols[name]` is read for every cell of
    every row (millions of times in a national file), and a dict answers in C, calling
    `__missing__` only for a column the file leaves out."""

    def __init__(self, names: list[str]):
        super().__init__()
        self.names = names

    @property
    def index(self) -> dict[str, int]:
        return self

    def __missing__(self, name: str) -> int:
        return -1


def check_header(
    file: str,
    header: list[str],
    spec: list[str],
    required: set[str],
    errors: ErrorList,
) -> Columns | None:
    """The header must use the specification's spelling and order. Optional columns may be
    left out; required ones may not; anything else is reported as an unknown column."""
    cols = Columns(names=header)
    ok = True
    seen: set[str] = set()
    for i, name in enumerate(header):
        if name in seen:
            errors.add(file, 1, name, f"The column {name} appears twice.")
            ok = False
        seen.add(name)
        if name not in spec:
            hint = next((s for s in spec if s.lower() == name.strip().lower()), None)
            more = f" (the specification spells it {hint})" if hint else ""
            errors.add(file, 1, name, f"Unknown column {name!r}{more}.")
            ok = False
        else:
            cols.index[name] = i
    for name in spec:
        if name in required and name not in cols.index:
            errors.add(file, 1, name, f"The required column {name} is missing.")
            ok = False
    positions = [spec.index(n) for n in header if n in spec]
    if ok and positions != sorted(positions):
        order = ",".join(n for n in spec if n in cols.index)
        errors.add(file, 1, "", f"The columns are out of order; the specification has {order}.")
        ok = False
    return cols if ok else None


def read_csv(
    source: Source,
    file: str,
    spec: list[str],
    required: set[str],
    errors: ErrorList,
) -> Iterator[tuple[int, list[str], Columns]]:
    """Yield (line, cells, columns) for each data row. Header, decoding and CSV syntax
    problems go into `errors`; a file with a bad header yields nothing."""
    counter = [0]
    with source.open(file) as fh:
        reader = csv.reader(_decoded_lines(fh, counter), strict=True)
        try:
            header = next(reader, None)
            if header is None:
                errors.add(file, 1, "", "The file is empty: it needs a header line.")
                return
            cols = check_header(file, header, spec, required, errors)
            if cols is None:
                return
            width = len(header)
            last = reader.line_num
            for row in reader:
                line = last + 1
                last = reader.line_num
                if not row:
                    continue
                if len(row) != width:
                    errors.add(file, line, "", f"Expected {width} fields, found {len(row)}.")
                    continue
                yield line, row, cols
        except DecodeFailed as exc:
            errors.add(file, exc.line, "", exc.detail)
        except csv.Error as exc:
            errors.add(file, counter[0], "", f"The line is not valid CSV: {exc}.")


def is_iso_datetime(value: str) -> bool:
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value or len(value) == 10


def parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def normal_email(value: str) -> str | None:
    value = value.strip().lower()
    return value if value and len(value) <= 254 and EMAIL_RE.match(value) else None
