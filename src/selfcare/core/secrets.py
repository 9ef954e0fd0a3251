"""Fields that hold a secret: kept out of ``repr`` and out of the default JSON form.

A national identity code in clear, a password hash, a token or its digest, a one-time
code's salt and hash: an entity needs them, but a log line, a cache or a message queue
must not get them by accident. :func:`secret_field` marks such a field; the default
converter of :mod:`selfcare.serialization` leaves it out and only storage asks for it.

>>> import attrs
>>> @attrs.frozen
... class Login:
...     email: str
...     password_hash: str = secret_field(default="")
>>> Login("anna@example.fi", "scrypt$...")
Login(email='anna@example.fi')
>>> is_secret(attrs.fields(Login).password_hash)
True
"""

from __future__ import annotations

from typing import Any, Final

import attrs

__all__ = ["SECRET", "is_secret", "secret_field"]

#: The ``attrs`` metadata key of a secret field.
SECRET: Final = "selfcare.secret"  # noqa: S105 - a metadata key, not a secret


def secret_field(**kwargs: Any) -> Any:
    """An ``attrs`` field that holds a secret: not in ``repr``, left out of the default
    JSON form (``kwargs`` go to :func:`attrs.field`)."""
    metadata = {**kwargs.pop("metadata", {}), SECRET: True}
    return attrs.field(repr=False, metadata=metadata, **kwargs)


def is_secret(field: attrs.Attribute[Any]) -> bool:
    """Whether the ``attrs`` field was made by :func:`secret_field`."""
    return bool(field.metadata.get(SECRET, False))
