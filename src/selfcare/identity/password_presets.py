"""Password policy presets: the energy registration guide (the default) and NIST SP 800-63B-4.

========================  ======================  ===================================
Setting                   :func:`seed_001`        :func:`nist_800_63b_4`
========================  ======================  ===================================
``min_length``            10                      15; 8 when the password is only
                                                  one factor of a multi-factor login
                                                  (``min_length_with_second_factor``:
                                                  accounts with a second factor)
``max_length``            256                     256 (NIST: allow at least 64)
composition rules         digit, upper, lower     none (NIST: SHALL NOT)
``min_strength``          3 (zxcvbn)              0 (NIST sets no strength floor;
                                                  offer a meter instead)
``blocklist``             on                      on (NIST: SHALL)
``personal_mode``         ``"windows"``, 3        ``"tokens"``, 3 (context-specific
                                                  words, Microsoft's rule)
``hash_normalization``    ``"NFC"``               ``"NFKC"`` (NIST: NFKC or NFKD)
``breached_check``        ``"off"``               ``"best_effort"`` (breach corpora;
                                                  the bundled blocklist always runs)
login ceiling             none                    :data:`NIST_MAX_CONSECUTIVE_FAILURES`
                                                  (100), :func:`nist_login_policy`
========================  ======================  ===================================

Both accept the operator's own words (brand and service names). Change anything
else with :func:`attrs.evolve`.

>>> nist_800_63b_4().min_length, nist_800_63b_4().min_length_with_second_factor
(15, 8)
>>> nist_800_63b_4(second_factor=True).min_length
8
>>> seed_001() == PasswordPolicy()
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

import attrs

from selfcare.identity.login import LoginPolicy
from selfcare.identity.password import BreachedCheck, PasswordPolicy

__all__ = [
    "NIST_MAX_CONSECUTIVE_FAILURES",
    "nist_800_63b_4",
    "nist_login_policy",
    "seed_001",
]

#: NIST SP 800-63B-4 section 3.2.2: no more than 100 consecutive failed attempts.
NIST_MAX_CONSECUTIVE_FAILURES: Final = 100


def seed_001(*, operator_words: Iterable[str] = ()) -> PasswordPolicy:
    """The rules of the energy registration guide (the defaults of :class:`PasswordPolicy`), with
    the blocklist and, when given, the operator's words."""
    return PasswordPolicy(operator_words=tuple(operator_words))


def nist_800_63b_4(
    *,
    second_factor: bool = False,
    operator_words: Iterable[str] = (),
    breached_check: BreachedCheck = "best_effort",
) -> PasswordPolicy:
    """The password rules of NIST SP 800-63B-4 (2025), section 3.1.1.2.

    Args:
        second_factor: every account uses the password only together with a second
            factor (the minimum length is then 8 instead of 15 for all). Without it
            the minimum is 15, and 8 at a password change of an account that has a
            second factor in force (``min_length_with_second_factor``).
        operator_words: the operator's own words (NIST: "the name of the service").
        breached_check: ``"best_effort"`` (default) or ``"required"`` to refuse new
            passwords while the breach corpus cannot be reached.

    Raises:
        SelfcareError: ``password.invalid_policy`` for an unknown ``breached_check``.
    """
    return PasswordPolicy(
        min_length=8 if second_factor else 15,
        min_length_with_second_factor=8,
        max_length=256,
        require_digit=False,
        require_upper=False,
        require_lower=False,
        min_strength=0,
        blocklist=True,
        operator_words=tuple(operator_words),
        personal_mode="tokens",
        personal_run=3,
        hash_normalization="NFKC",
        breached_check=breached_check,
    )


def nist_login_policy(base: LoginPolicy | None = None) -> LoginPolicy:
    """``base`` (default: :class:`LoginPolicy`'s throttling) with password login
    disabled after :data:`NIST_MAX_CONSECUTIVE_FAILURES` consecutive failures.

    >>> nist_login_policy().disable_password_after
    100
    """
    return attrs.evolve(base or LoginPolicy(), disable_password_after=NIST_MAX_CONSECUTIVE_FAILURES)
