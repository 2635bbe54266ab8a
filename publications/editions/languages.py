"""Write an edition's languages side by side: French here, English in a forked process.

Each language's charts and PDF take about half an edition's time and share nothing but the
facts already gathered, so on two cores the second language is written while the first is.
A forked child inherits the loaded libraries and the facts (nothing is imported or read
again) and sends back only the list of files it wrote. Where fork does not exist, or on
one core, the languages are written one after the other; the files are the same bytes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection

from publications.editions.files import EditionFiles
from publications.i18n import Language, language

WriteLanguage = Callable[[EditionFiles, Language], None]


def can_fork() -> bool:
    """Say whether a second language can be written in a forked process on a core of its own."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def write_languages(
    files: EditionFiles,
    langs: tuple[str, ...],
    write_one: WriteLanguage,
    parallel: bool | None = None,
) -> None:
    """Call `write_one` for each language, adding what each wrote to `files` in `langs` order.

    Args:
        parallel: write the languages after the first in forked processes (default: when
            can_fork()).

    Raises:
        Whatever `write_one` raises for the first language; RuntimeError naming the
        language and the error when another one fails.
    """
    if not (can_fork() if parallel is None else parallel) or len(langs) < 2:
        for code in langs:
            write_one(files, language(code))
        return
    context = multiprocessing.get_context("fork")
    children = []
    for code in langs[1:]:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_write_in_child, args=(write_one, files, code, sender))
        child.start()
        sender.close()
        children.append((code, receiver, child))
    try:
        write_one(files, language(langs[0]))
    finally:
        # Wait for every child even when this language failed: none is left running.
        results = []
        for code, receiver, child in children:
            results.append((code, _receive(receiver)))
            child.join()
    for code, result in results:
        if isinstance(result, str):
            raise RuntimeError(f"the {code} edition failed: {result}")
        files.merge(result)


def _write_in_child(
    write_one: WriteLanguage, files: EditionFiles, code: str, sender: Connection
) -> None:
    own = EditionFiles(files.edition, files.out_dir)
    try:
        write_one(own, language(code))
    except BaseException as error:
        sender.send(f"{type(error).__name__}: {error}")
    else:
        sender.send(own)
    finally:
        sender.close()


def _receive(receiver: Connection) -> EditionFiles | str:
    try:
        return receiver.recv()  # type: ignore[no-any-return]
    except EOFError:
        return "its process ended without a result"
    finally:
        receiver.close()
