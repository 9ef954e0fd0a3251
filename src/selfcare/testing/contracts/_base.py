"""The base of every contract suite."""

from __future__ import annotations

from typing import Any, ClassVar, Final

__all__ = ["KEYS_NO_ROW_CAN_HOLD", "Contract"]

#: Keys no stored row can have: a lone surrogate (not encodable as UTF-8), NUL (which
#: PostgreSQL text cannot hold), both, and a very long key. A finder given one finds
#: nothing and raises nothing: the engine checks its parameters, not the caller.
KEYS_NO_ROW_CAN_HOLD: Final = ("\ud800", "a\x00b", "\udfff\x00\ud800", "k" * 100_000)


class Contract:
    """Base class of contract suites: not collected itself, collected in subclasses.

    A suite class sets ``__test__ = False`` (through this base); a concrete subclass
    that implements the factory methods is collected, because ``__init_subclass__``
    turns collection on for any subclass whose name starts with ``Test``.
    """

    __test__: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.__test__ = cls.__name__.startswith("Test")
