"""Values the SQL repositories compute for their finder columns.

Times are stored as integer microseconds since 1970 UTC, a column that sorts and
compares like the time itself whatever its offset.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from selfcare.core.clock import require_aware

__all__ = ["micros"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime, name: str = "time") -> int:
    """``moment`` as whole microseconds since 1970 UTC.

    Raises:
        SelfcareError: ``time.naive_datetime`` for a naive ``moment``.
    """
    return (require_aware(moment, name) - _EPOCH) // timedelta(microseconds=1)
