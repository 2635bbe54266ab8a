"""Check an xlsx before it is opened: a real, whole workbook that expands to a bounded size."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import InvalidInput

# What every part of a workbook may expand to, together; a filled survey is a few MB at most.
MAX_EXPANDED_BYTES = 50_000_000
# Parts every xlsx has: a zip without them is some other file renamed.
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# A document type declaration is where entity expansion starts; workbooks never carry one.
DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
CHUNK = 1 << 20
# A survey sheet has a few hundred rows and a dozen columns; these leave room for any real
# workbook while refusing one that would take gigabytes once openpyxl builds its cells.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_SHARED_STRINGS = 1_000_000
SHEET_PREFIX = "xl/worksheets/"
SHARED_STRINGS = "xl/sharedStrings.xml"
DIMENSION = re.compile(
    rb'<dimension\s+ref="\$?([A-Z]{1,3})\$?(\d{1,9})(?::\$?([A-Z]{1,3})\$?(\d{1,9}))?"'
)
# Tags counted while streaming; a tag split across two chunks is caught by keeping the last
# bytes of the previous chunk, fewer than the tag's length so no tag is counted twice.
ROW_TAGS = (b"<row ", b"<row>")
STRING_TAGS = (b"<si>", b"<si ")


def check_xlsx_directory(
    path: Path, max_expanded: int = MAX_EXPANDED_BYTES, name: str | None = None
) -> None:
    """Refuse an xlsx from its zip directory alone: not a zip, not a workbook, or declaring
    more than `max_expanded` bytes. Cheap (no part is expanded): the API runs it in the server.

    Raises:
        InvalidInput: as `check_xlsx`.
    """
    with _opened(path, name) as (archive, name):
        _check_directory(archive.infolist(), name, max_expanded)


def check_xlsx(path: Path, max_expanded: int = MAX_EXPANDED_BYTES, name: str | None = None) -> None:
    """Refuse an xlsx that is not a zip, not a workbook, corrupt, too large expanded or with DTDs.

    Reads each part once, in chunks, so a bomb is stopped after `max_expanded` bytes at most.

    Raises:
        InvalidInput: one line saying what is wrong with the file, naming it by `name` (the
            name it was sent under) or its base name, never its path.
    """
    with _opened(path, name) as (archive, name):
        entries = archive.infolist()
        _check_directory(entries, name, max_expanded)
        _read_every_part(archive, entries, name, max_expanded)


@contextmanager
def _opened(path: Path, name: str | None) -> Iterator[tuple[zipfile.ZipFile, str]]:
    name = name or path.name
    if not zipfile.is_zipfile(path):
        raise InvalidInput(f"{name}: not an xlsx workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            yield archive, name
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        raise InvalidInput(f"{name}: corrupt or truncated xlsx ({error})") from None


def _check_directory(entries: list[zipfile.ZipInfo], name: str, max_expanded: int) -> None:
    names = {entry.filename for entry in entries}
    missing = [part for part in REQUIRED_PARTS if part not in names]
    if missing:
        raise InvalidInput(f"{name}: a zip archive but not an xlsx workbook (no {missing[0]})")
    declared = sum(entry.file_size for entry in entries)
    if declared > max_expanded:
        raise InvalidInput(
            f"{name}: expands to {declared // 1_000_000} MB, over the "
            f"{max_expanded // 1_000_000} MB limit for a workbook"
        )


def _read_every_part(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], name: str, max_expanded: int
) -> None:
    # Reading checks each part's CRC and that it is not longer than declared.
    expanded = 0
    for entry in entries:
        tail = b""
        counter = _PartCounter(entry.filename, name)
        with archive.open(entry) as part:
            while chunk := part.read(CHUNK):
                expanded += len(chunk)
                if expanded > max_expanded:
                    raise InvalidInput(
                        f"{name}: expands beyond the {max_expanded // 1_000_000} MB limit"
                    )
                window = tail + chunk
                if entry.filename.endswith((".xml", ".rels")) and any(
                    mark in window for mark in DECLARATIONS
                ):
                    raise InvalidInput(
                        f"{name}: {entry.filename} declares a document type or entities; "
                        "workbooks never do"
                    )
                counter.feed(chunk)
                tail = chunk[-16:]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


class _PartCounter:
    """Count a part's rows, columns or shared strings as its chunks go by; refuse past a limit."""

    def __init__(self, part: str, name: str) -> None:
        self.part = part
        self.name = name
        self.is_sheet = part.startswith(SHEET_PREFIX) and part.endswith(".xml")
        self.is_strings = part == SHARED_STRINGS
        self.tags = ROW_TAGS if self.is_sheet else STRING_TAGS
        self.count = 0
        self.tail = b""
        # The dimension comes before the cells; once the cells start it is no longer looked for.
        self.seeking_dimension = self.is_sheet

    def feed(self, chunk: bytes) -> None:
        """Count the tags in `chunk` (and one split with the previous chunk)."""
        if not (self.is_sheet or self.is_strings):
            return
        window = self.tail + chunk
        if self.seeking_dimension:
            self._check_dimension(window)
        self.count += sum(window.count(tag) for tag in self.tags)
        self.tail = chunk[-3:]
        if self.is_sheet and self.count > MAX_ROWS:
            raise InvalidInput(f"{self.name}: {self.part} has over {MAX_ROWS:,} rows, the limit")
        if self.is_strings and self.count > MAX_SHARED_STRINGS:
            raise InvalidInput(
                f"{self.name}: {SHARED_STRINGS} has over {MAX_SHARED_STRINGS:,} shared strings, "
                "the limit"
            )

    def _check_dimension(self, window: bytes) -> None:
        found = DIMENSION.search(window)
        if found is None:
            self.seeking_dimension = b"<sheetData" not in window
            return
        self.seeking_dimension = False
        last_column, last_row = found.group(3) or found.group(1), found.group(4) or found.group(2)
        rows, columns = int(last_row), _column_number(last_column)
        ref = found.group(0).split(b'"')[1].decode()
        if rows > MAX_ROWS:
            raise InvalidInput(
                f"{self.name}: {self.part} declares {rows:,} rows ({ref}), over the "
                f"{MAX_ROWS:,} row limit"
            )
        if columns > MAX_COLUMNS:
            raise InvalidInput(
                f"{self.name}: {self.part} declares {columns:,} columns ({ref}), over the "
                f"{MAX_COLUMNS} column limit"
            )
