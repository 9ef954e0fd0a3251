"""Contract test suites for every port, to run against your own implementations.

Each suite is a plain pytest class with an abstract factory; subclass it in your test
suite, implement the factory, and pytest runs every contract test against your
implementation::

    from selfcare.testing.contracts.authz import GrantRepositoryContract

    class TestMyGrantRepository(GrantRepositoryContract):
        def make_repository(self):
            return MyGrantRepository(connection=...)

The base classes set ``__test__ = False`` so that importing them collects nothing;
subclasses set it back to ``True`` automatically. The library runs the same suites
against its in-memory and SQLite adapters.
"""

from selfcare.testing.contracts._base import KEYS_NO_ROW_CAN_HOLD, Contract

__all__ = ["KEYS_NO_ROW_CAN_HOLD", "Contract"]
