"""SQLite implementations of the repository ports, on the standard library's sqlite3.

Open one :class:`SqliteDatabase` per file; the migrations of every domain are applied
when it is opened.
"""

from selfcare.adapters.sqlite._db import Migration, SqliteDatabase, SqliteTable, SqliteUnitOfWork

__all__ = ["Migration", "SqliteDatabase", "SqliteTable", "SqliteUnitOfWork"]
