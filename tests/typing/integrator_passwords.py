"""Integrator-style use of the password policies and the breached-password port,
type-checked by ``mypy --strict`` in CI (never run)."""

from __future__ import annotations

from pathlib import Path

import attrs

from selfcare import Decision
from selfcare.identity.breached import (
    BreachedPasswords,
    PwnedPasswordsRange,
    Sha1FileBreachedPasswords,
    check_breached,
)
from selfcare.identity.password import PasswordPolicy, check_password
from selfcare.identity.password_normalize import normalize_for_hashing, verification_candidates
from selfcare.identity.password_presets import nist_800_63b_4, nist_login_policy, seed_001


def operator_policy(brand: str, *, nist: bool) -> PasswordPolicy:
    policy = nist_800_63b_4(operator_words=[brand]) if nist else seed_001(operator_words=[brand])
    return attrs.evolve(policy, personal_mode="tokens", ignore_public_mail_domains=True)


def breach_source(corpus: Path | None) -> BreachedPasswords:
    if corpus is not None:
        return Sha1FileBreachedPasswords(corpus)
    return PwnedPasswordsRange(timeout=1.5)


def new_password_errors(password: str, name: str, email: str, corpus: Path | None) -> Decision:
    policy = operator_policy("Elisa", nist=True)
    rules = check_password(password, policy, personal=[name, email])
    breached = check_breached(password, breach_source(corpus), policy.breached_check)
    return Decision.from_violations([*rules.violations, *breached.violations])


def to_hash(password: str, policy: PasswordPolicy) -> tuple[str, tuple[str, ...]]:
    form = policy.hash_normalization
    return normalize_for_hashing(password, form), verification_candidates(password, form)


CEILING: int = nist_login_policy().disable_password_after
