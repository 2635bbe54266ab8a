"""Open a text file in the encoding it was written in: BOM, else strict UTF-8, else cp1252."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

from core.errors import InvalidInput

# Spreadsheet programs export UTF-8 with a BOM, UTF-16 with a BOM, or the Windows code page.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FALLBACK = "cp1252"
CHUNK = 1 << 20


def detect_encoding(path: Path) -> str:
    """Return the file's encoding: its BOM, else UTF-8 if every byte reads so, else cp1252.

    Raises:
        InvalidInput: the file is binary (NUL bytes outside UTF-16), or not even cp1252.
    """
    with open(path, "rb") as handle:
        head = handle.read(4)
    for bom, name in BOMS:
        if head.startswith(bom):
            return name
    if _undecodable_line(path, "utf-8") is None:
        return "utf-8"
    line = _undecodable_line(path, FALLBACK)
    if line is not None:
        raise InvalidInput(
            f"{path.name}: line {line} is neither UTF-8 nor {FALLBACK}; "
            "give the file's encoding with --encoding"
        )
    return FALLBACK


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """Return the first line the encoding cannot read, or None; refuse a binary file.

    The whole file is checked before any row is read, so a bad byte on line 90,000 refuses the
    file before the first batch is written.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    lines = 1
    utf16 = encoding.startswith("utf-16") or encoding.startswith("utf_16")
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if not utf16 and b"\x00" in chunk:
                raise InvalidInput(f"{path.name}: binary file, not text (NUL bytes)")
            try:
                lines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as error:
                # Lines of this chunk before the bad byte (bytes the decoder held back aside).
                return lines + chunk[: max(error.start, 0)].count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return lines  # the file ends in the middle of a character
    return None


def checked_encoding(name: str) -> str:
    """Return a codec name a user gave, or refuse it.

    Raises:
        InvalidInput: Python knows no such encoding.
    """
    try:
        return codecs.lookup(name).name
    except LookupError as error:
        raise InvalidInput(f"unknown encoding {name!r} (e.g. utf-8, cp1252, utf-16)") from error


class TextFile:
    """A text file read line by line; a byte that cannot be decoded is refused with its line."""

    def __init__(self, path: Path, encoding: str | None = None) -> None:
        self.path = Path(path)
        if encoding:
            self.encoding = checked_encoding(encoding)
            line = _undecodable_line(self.path, self.encoding)
            if line is not None:
                raise InvalidInput(f"{self.path.name}: line {line} cannot be read as {encoding}")
        else:
            self.encoding = detect_encoding(self.path)
        if self.encoding == "utf-8" and _starts_with_bom(self.path):
            self.encoding = "utf-8-sig"
        # Closed by close() or the with block, like any file object.
        self._handle = open(self.path, encoding=self.encoding, newline="")  # noqa: SIM115

    def __enter__(self) -> TextFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __iter__(self) -> Iterator[str]:
        # The file was checked whole when opened; this guards a file changed since.
        try:
            yield from self._handle
        except UnicodeDecodeError as error:
            raise self._refusal(error) from error

    def readline(self) -> str:
        """Return the next line ('' at the end)."""
        try:
            line = self._handle.readline()
        except UnicodeDecodeError as error:
            raise self._refusal(error) from error
        return line

    def read(self, size: int = -1) -> str:
        """Return the rest of the file (or `size` characters)."""
        try:
            return self._handle.read(size)
        except UnicodeDecodeError as error:
            raise self._refusal(error) from error

    def _refusal(self, error: UnicodeDecodeError) -> InvalidInput:
        return InvalidInput(
            f"{self.path.name}: line {_bad_line(self.path, self.encoding)} cannot be read as "
            f"{self.encoding} ({error.reason}); give the file's encoding with --encoding"
        )


def _starts_with_bom(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(3) == codecs.BOM_UTF8


def _bad_line(path: Path, encoding: str) -> int:
    """Return the line holding the first byte the encoding cannot read (error path only)."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(encoding, errors="replace")
        return before.count("\n") + 1
    return 0
