"""The personal rule: a password must not contain the user's name or e-mail address.

Two modes (``PasswordPolicy.personal_mode``); in both, the password and the personal
inputs are compared NFKC-normalised, case-folded and with Nordic letters folded
(:func:`~selfcare.identity.password_normalize.fold`), so a letter matches itself with
or without its marks.

- ``"windows"`` (the energy registration guide, the default): "no three consecutive characters from
  the user's name or e-mail address". Each input is split at every character that is not
  a letter or a digit; tokens shorter than ``run`` are ignored; the password breaks
  the rule (``password.contains_personal``) when any ``run`` consecutive characters
  of a token occur in it.
- ``"tokens"`` (Microsoft's passfilt rule for Active Directory, "the password does not
  contain the user's account name or display name"): each input is split at
  Microsoft's delimiters - comma, period, hyphen, underscore, number sign, space, tab -
  and at ``@``; tokens shorter than ``run`` (3, Microsoft's) are ignored; the password
  breaks the rule (``password.contains_personal_word``) when it contains a whole token.
  It refuses far fewer random passphrases than three-character windows do.

In both modes a password that contains a whole token written backwards
(``Tneilc-Tset-2026`` for "Test Client") breaks the rule as
``password.contains_personal_reversed`` - Django's similarity check refuses it too.
Only whole tokens are compared backwards: a reversed three-character window is as
likely in a random passphrase as a forward one, and would double the false refusals.

With ``ignore_public_mail_domains`` the domain of an e-mail address at a public mail
service (:data:`PUBLIC_MAIL_DOMAINS`: ``gmail.com``, ``hotmail.fi``, ``suomi24.fi``...)
is not personal: ``gmail`` says nothing about the user.

>>> personal_violation("Tneilc-Tset-2026", ["Test Client"], mode="tokens", run=3).code
'password.contains_personal_reversed'
>>> personal_violation("violin-otter-anna", ["Anna Li"], mode="tokens", run=3).code
'password.contains_personal_word'
>>> personal_violation("Gmail-otter-42", ["anna@gmail.com"], mode="windows", run=3,
...                    ignore_public_mail_domains=True) is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal, TypeAlias, cast

from selfcare.core.decision import Violation
from selfcare.identity.password_normalize import fold

__all__ = [
    "PUBLIC_MAIL_DOMAINS",
    "PersonalMode",
    "personal_tokens",
    "personal_violation",
]

#: How the personal rule compares: three-character windows or whole tokens.
PersonalMode: TypeAlias = Literal["windows", "tokens"]

#: Mail services anyone can have an address at, whose name says nothing about the
#: user: the international ones and those of the Nordic countries.
PUBLIC_MAIL_DOMAINS: Final = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me",
        "protonmail.com", "pm.me", "gmx.com", "gmx.net", "mail.com", "zoho.com",
        "hotmail.fi", "live.fi", "outlook.fi", "yahoo.fi", "suomi24.fi", "luukku.com",
        "hotmail.se", "live.se", "outlook.se", "yahoo.se", "spray.se", "telia.com",
        "hotmail.no", "live.no", "outlook.no", "yahoo.no", "online.no", "frisurf.no",
        "hotmail.dk", "live.dk", "outlook.dk", "yahoo.dk", "jubii.dk", "mail.dk", "ofir.dk",
    }
)  # fmt: skip

# Personal inputs are names and addresses; anything longer is cut (bounded time).
_MAX_PERSONAL_INPUT: Final = 1024
_WINDOWS_SPLIT: Final = re.compile(r"[\W_]+")  # anything but letters and digits
_TOKENS_SPLIT: Final = re.compile(r"[,.\-_# \t@]+")  # Microsoft's delimiters, and @


def _without_public_domain(item: str) -> str:
    local, at, domain = item.rpartition("@")
    if at and domain.strip().casefold() in PUBLIC_MAIL_DOMAINS:
        return local
    return item


def personal_tokens(
    personal: Iterable[str],
    run: int = 3,
    *,
    mode: PersonalMode = "windows",
    ignore_public_mail_domains: bool = False,
) -> tuple[str, ...]:
    """The folded tokens of the personal inputs that the personal rule compares.

    Items that are not ``str`` are ignored.

    >>> personal_tokens(["Matti Meikäläinen", "anna.li@example.fi"])
    ('matti', 'meikalainen', 'anna', 'example')
    >>> personal_tokens(["O'Neil Öberg", "anna@gmail.com"], mode="tokens",
    ...                 ignore_public_mail_domains=True)
    ("o'neil", 'oberg', 'anna')
    """
    if isinstance(personal, str):  # one name given as a string, not a tuple of them
        personal = (personal,)
    split = _TOKENS_SPLIT if mode == "tokens" else _WINDOWS_SPLIT
    tokens: dict[str, None] = {}
    for item in personal:
        if not isinstance(cast("object", item), str):
            continue
        text = item[:_MAX_PERSONAL_INPUT]
        if ignore_public_mail_domains:
            text = _without_public_domain(text)
        for token in split.split(fold(text)):
            if token and len(token) >= max(run, 1):
                tokens.setdefault(token, None)
    return tuple(tokens)


def _contains_window(folded_password: str, tokens: Iterable[str], run: int) -> bool:
    for token in tokens:
        for start in range(len(token) - run + 1):
            if token[start : start + run] in folded_password:
                return True
    return False


def _contains_reversed(folded_password: str, tokens: Iterable[str]) -> bool:
    return any(token[::-1] in folded_password for token in tokens)


def personal_violation(
    password: str,
    personal: Iterable[str],
    *,
    mode: PersonalMode,
    run: int,
    ignore_public_mail_domains: bool = False,
) -> Violation | None:
    """The personal rule's violation for ``password``, or ``None`` (see the module).

    Args:
        password: the password.
        personal: the user's names and e-mail address.
        mode: ``"windows"`` or ``"tokens"``.
        run: the window length (``"windows"``) or the shortest token compared
            (``"tokens"``); 0 turns the rule off.
        ignore_public_mail_domains: leave out the domains of public mail services.

    Returns:
        ``None``, or ``password.contains_personal`` (windows),
        ``password.contains_personal_word`` (tokens) or
        ``password.contains_personal_reversed`` (either).
    """
    if run <= 0:
        return None
    tokens = personal_tokens(
        personal, run, mode=mode, ignore_public_mail_domains=ignore_public_mail_domains
    )
    if not tokens:
        return None
    folded = fold(password)
    if mode == "tokens":
        if any(token in folded for token in tokens):
            return Violation("password.contains_personal_word")
    elif _contains_window(folded, tokens, run):
        return Violation("password.contains_personal", {"run": run})
    if _contains_reversed(folded, tokens):
        return Violation("password.contains_personal_reversed")
    return None
