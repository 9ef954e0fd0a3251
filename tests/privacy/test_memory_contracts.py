"""The in-memory privacy stores pass the contract suite that ships with the library."""

from __future__ import annotations

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.privacy import MemoryPrivacyUnitOfWork
from selfcare.privacy.ports import PrivacyUnitOfWork
from selfcare.testing.contracts.privacy import PrivacyUnitOfWorkContract


class TestMemoryPrivacyUnitOfWork(PrivacyUnitOfWorkContract):
    def make_unit_of_work(self) -> PrivacyUnitOfWork:
        return MemoryPrivacyUnitOfWork(MemoryDatabase())
