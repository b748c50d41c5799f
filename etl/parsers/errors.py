"""The one exception a parser raises for a file it refuses."""

from __future__ import annotations

import os


class ImportProblem(Exception):
    """A file cannot be imported: says which file, where in it, and what is wrong.

    ``place`` is human-readable: ``"line 12, column 40"``, ``"row 8 (geldige stembiljetten),
    column 7 (station 3)"``, ``"/EML/Count/Election/Contests/Contest/ReportingUnitVotes[4]"`` or
    ``""`` when the problem concerns the file as a whole. ``str(problem)`` gives the full message
    meant for the user; no traceback is needed to understand it.
    """

    def __init__(self, file: str | os.PathLike[str], place: str, message: str) -> None:
        self.file = os.fspath(file)
        self.place = place
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: {self.place}" if self.place else self.file
        return f"{where}: {self.message}"

    def __reduce__(self):  # keep pickling (multiprocessing) working with the 3-argument init
        return (type(self), (self.file, self.place, self.message))
