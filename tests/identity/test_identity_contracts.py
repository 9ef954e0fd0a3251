"""The in-memory identity repositories pass the contract suites shipped for integrators."""

from __future__ import annotations

from selfcare.adapters.memory import MemoryDatabase
from selfcare.adapters.memory.identity import (
    MemoryAccountRepository,
    MemoryLoginThrottleRepository,
    MemoryRegistrationRepository,
    MemorySecondFactorRepository,
)
from selfcare.testing.contracts.identity import (
    AccountRepositoryContract,
    LoginThrottleRepositoryContract,
    RegistrationRepositoryContract,
)
from selfcare.testing.contracts.second_factor import SecondFactorRepositoryContract


class TestMemoryAccountRepository(AccountRepositoryContract):
    def make_repository(self) -> MemoryAccountRepository:
        return MemoryAccountRepository(MemoryDatabase())


class TestMemoryRegistrationRepository(RegistrationRepositoryContract):
    def make_repository(self) -> MemoryRegistrationRepository:
        return MemoryRegistrationRepository(MemoryDatabase())


class TestMemoryLoginThrottleRepository(LoginThrottleRepositoryContract):
    def make_repository(self) -> MemoryLoginThrottleRepository:
        return MemoryLoginThrottleRepository(MemoryDatabase())


class TestMemorySecondFactorRepository(SecondFactorRepositoryContract):
    def make_repository(self) -> MemorySecondFactorRepository:
        return MemorySecondFactorRepository(MemoryDatabase())
