"""The base of every contract suite."""

from __future__ import annotations

from typing import Any, ClassVar


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
