"""Check an xlsx before it is opened: a real, whole workbook that expands to a bounded size."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from core.errors import InvalidInput

# What every part of a workbook may expand to, together; a filled survey is a few MB at most.
MAX_EXPANDED_BYTES = 50_000_000
# Parts every xlsx has: a zip without them is some other file renamed.
REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
# A document type declaration is where entity expansion starts; workbooks never carry one.
DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
CHUNK = 1 << 20


def check_xlsx(path: Path, max_expanded: int = MAX_EXPANDED_BYTES, name: str | None = None) -> None:
    """Refuse an xlsx that is not a zip, not a workbook, corrupt, too large expanded or with DTDs.

    Reads each part once, in chunks, so a bomb is stopped after `max_expanded` bytes at most.

    Raises:
        InvalidInput: one line saying what is wrong with the file, naming it by `name` (the
            name it was sent under) or its base name, never its path.
    """
    name = name or path.name
    if not zipfile.is_zipfile(path):
        raise InvalidInput(f"{name}: not an xlsx workbook (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            missing = [part for part in REQUIRED_PARTS if part not in names]
            if missing:
                raise InvalidInput(
                    f"{name}: a zip archive but not an xlsx workbook (no {missing[0]})"
                )
            declared = sum(entry.file_size for entry in entries)
            if declared > max_expanded:
                raise InvalidInput(
                    f"{name}: expands to {declared // 1_000_000} MB, over the "
                    f"{max_expanded // 1_000_000} MB limit for a workbook"
                )
            _read_every_part(archive, entries, name, max_expanded)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        raise InvalidInput(f"{name}: corrupt or truncated xlsx ({error})") from None


def _read_every_part(
    archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], name: str, max_expanded: int
) -> None:
    # Reading checks each part's CRC and that it is not longer than declared.
    expanded = 0
    for entry in entries:
        tail = b""
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
                tail = chunk[-16:]
