"""Identifiers and the injected sources of ids and secrets.

Ids are plain strings with a :class:`~typing.NewType` per kind so that mypy catches an
account id passed where a relationship id is expected. Services take an
:class:`IdSource` and a :class:`SecretSource` so that tests are deterministic.
"""

from __future__ import annotations

import itertools
from typing import NewType, Protocol, runtime_checkable

__all__ = [
    "AccountId",
    "CustomerNumber",
    "IdSource",
    "RelationshipId",
    "SecretSource",
    "SequentialIds",
    "SystemSecrets",
    "UuidIds",
]

AccountId = NewType("AccountId", str)
RelationshipId = NewType("RelationshipId", str)
CustomerNumber = NewType("CustomerNumber", str)


@runtime_checkable
class IdSource(Protocol):
    """Where services get new entity ids from."""

    def new_id(self) -> str:
        """A new id, unique in practice."""
        ...


@runtime_checkable
class SecretSource(Protocol):
    """Where services get secrets from: tokens and one-time codes."""

    def token(self, nbytes: int) -> str:
        """A URL-safe token with ``nbytes`` random bytes."""
        ...

    def digits(self, count: int) -> str:
        """A string of ``count`` random decimal digits."""
        ...


class UuidIds:
    """Random UUID4 ids, as 32 hex digits. Thread-safe."""

    def new_id(self) -> str:
        """A new random id."""
        import uuid  # noqa: PLC0415 - uuid is slow to import and rarely needed

        return uuid.uuid4().hex


class SequentialIds:
    """Predictable ids for tests and demos: ``prefix-1``, ``prefix-2``, ...

    >>> ids = SequentialIds("acc")
    >>> ids.new_id(), ids.new_id()
    ('acc-1', 'acc-2')

    Thread-safe: threads sharing it never get the same id.
    """

    def __init__(self, prefix: str = "id") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        """The next id of the sequence."""
        # next() on itertools.count is atomic under the GIL, unlike `self._n += 1`.
        return f"{self._prefix}-{next(self._counter)}"


class SystemSecrets:
    """Secrets from the operating system's CSPRNG (:mod:`secrets`). Thread-safe."""

    def token(self, nbytes: int) -> str:
        """A URL-safe token with ``nbytes`` random bytes."""
        import secrets  # noqa: PLC0415 - keeps `import selfcare` fast

        return secrets.token_urlsafe(nbytes)

    def digits(self, count: int) -> str:
        """``count`` uniformly random decimal digits."""
        import secrets  # noqa: PLC0415

        return "".join(str(secrets.randbelow(10)) for _ in range(count))
