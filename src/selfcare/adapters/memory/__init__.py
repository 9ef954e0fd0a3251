"""In-memory implementations of every port: thread-safe, with compare-and-set saves.

They are the fakes the library's own tests use, and pass the same contract suites
(:mod:`selfcare.testing.contracts`) as the SQLite adapter.
"""

from selfcare.adapters.memory._store import MemoryDatabase, MemoryTable, MemoryUnitOfWork

__all__ = ["MemoryDatabase", "MemoryTable", "MemoryUnitOfWork"]
