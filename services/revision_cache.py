"""Answers built from the stored costs, remembered until the stored costs change.

A cost or trend answer reads and reshapes a region's stored costs: too slow to do on every
request of a public route. What it reads changes only when `ppne compute` stores costs or a
CPI import lands, which core.queries.trends.costs_revision marks cheaply; an answer is kept
per (database, that revision, the arguments), so a compute is seen by the next request.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from sqlmodel import Session

from core.queries.trends import costs_revision

T = TypeVar("T")


class RevisionCache(Generic[T]):
    """The last `size` answers by database, revision of the stored costs and arguments."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        """Forget every answer."""
        with self._lock:
            self._answers.clear()

    def get_or_build(self, session: Session, arguments: Hashable, build: Callable[[], T]) -> T:
        """Return the answer remembered for these arguments, or build and remember it.

        Each caller gets a copy, so one that edits its answer never edits the next caller's.
        Errors are not remembered: the next request tries again.
        """
        key = (
            session.get_bind().engine.url.render_as_string(hide_password=False),
            costs_revision(session),
            arguments,
        )
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
        if found is None:
            found = build()
            with self._lock:
                self._answers[key] = found
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return copy.deepcopy(found)
