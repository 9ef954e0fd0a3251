"""The login and password use cases of :class:`~selfcare.identity.service.IdentityService`.

:class:`LoginUseCases` is the part of the service that verifies passwords: login,
password change and the unlock link. Each runs in three phases, so that the slow work
never holds a transaction (and a write lock) open:

1. **read** in one short unit of work: the account and the throttle records
   (:mod:`selfcare.identity.throttle`) of the source;
2. **verify and hash** outside any unit of work: scrypt's few hundred milliseconds,
   the breached-password lookup over the network;
3. **apply** in a second short unit of work, compare-and-set: the account is read
   again and, if its password hash is still the one verified, the result is applied
   to what is stored *now* (failure counts are increments, so concurrent attempts
   from many sources all count). If the hash changed meanwhile (a password change, a
   rehash), or a concurrent writer won the compare-and-set, the whole use case runs
   once more; a second loss is refused with ``account.changed_meanwhile`` (kind
   *conflict*: ask the user to try again). Nothing is half-saved.

Use it through :class:`~selfcare.identity.service.IdentityService`, which builds it.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from selfcare.core.decision import Decision, Violation
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, SelfcareError
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done, Outcome, Refused
from selfcare.identity.account import (
    Account,
    AccountState,
    account_not_found,
    check_new_password,
    set_password,
    token_digest,
)
from selfcare.identity.contact import EmailAddress
from selfcare.identity.events import AccountLocked, LoginUnlockRequested, PasswordLoginDisabled
from selfcare.identity.hashing import matching_candidate
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import (
    LoginPolicy,
    LoginResult,
    account_refusal,
    login_failed,
    login_succeeded,
    source_refusal,
)
from selfcare.identity.login_unlock import confirm_unlock, recently_sent, request_unlock
from selfcare.identity.password import PasswordPolicy
from selfcare.identity.password_normalize import HashNormalization, normalize_for_hashing
from selfcare.identity.ports import IdentityUnitOfWork
from selfcare.identity.registration_use_cases import TOKEN_BYTES, RegistrationUseCases
from selfcare.identity.throttle import LoginThrottle, pair_key, source_digest, source_key

__all__ = ["LoginUseCases"]

#: How often a use case runs when the account changed under it (see the module).
_ATTEMPTS = 2

_Once = Callable[[], "Outcome[Account] | None"]


class LoginUseCases(RegistrationUseCases):
    """Login, password change and unlock (the state is set by
    :class:`~selfcare.identity.service.IdentityService`)."""

    login_policy: LoginPolicy
    _dummy_hash: str | None

    # -- helpers --------------------------------------------------------------

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(self._secrets.token(16))
        return self._dummy_hash

    def _verify_dummy(self, password: str) -> None:
        """Spend the time a real verification takes (nothing to verify)."""
        matching_candidate(self._hasher, password, self._dummy(), self._form())

    def _password_policy_of(self, account: Account) -> PasswordPolicy:  # noqa: ARG002
        """The password rules of ``account`` (the second factor's use cases shorten
        the minimum for an account with one)."""
        return self.registration_policy.password

    def _form(self) -> HashNormalization:
        return self.registration_policy.password.hash_normalization

    @staticmethod
    def _twice(once: _Once) -> Outcome[Account]:
        """``once`` again if the account changed under it; then a conflict refusal."""
        for _ in range(_ATTEMPTS):
            try:
                outcome = once()
            except (ConcurrencyConflict, AlreadyExists):
                continue  # lost a compare-and-set to a concurrent attempt
            if outcome is not None:
                return outcome
        return Refused.because(Violation("account.changed_meanwhile"))

    @staticmethod
    def _throttles(
        uow: IdentityUnitOfWork, account: Account | None, digest: str
    ) -> tuple[LoginThrottle | None, LoginThrottle | None]:
        pair = (
            uow.login_throttles.find(pair_key(account.id, digest)) if account is not None else None
        )
        return pair, uow.login_throttles.find(source_key(digest))

    def _upgraded_hash(self, stored: str, matched: str) -> str | None:
        """A new hash of the verified password, when the stored one is weaker than the
        hasher's parameters or was made of the password not yet normalised; never a
        downgrade of a stronger one."""
        if self._hasher.exceeds_current(stored):
            return None
        normalized = normalize_for_hashing(matched, self._form())
        if self._hasher.needs_rehash(stored) or matched != normalized:
            return self._hasher.hash(normalized)
        return None

    @staticmethod
    def _save(uow: IdentityUnitOfWork, result: LoginResult) -> None:
        if result.account is not None:
            uow.accounts.update(result.account)
        for throttle in result.throttles:
            if throttle.version == 1:
                uow.login_throttles.add(throttle)
            else:
                uow.login_throttles.update(throttle)
        for key in result.forget:
            uow.login_throttles.delete(key)

    def _record(
        self,
        seen: Account | None,
        digest: str,
        apply: Callable[[Account | None, LoginThrottle | None, LoginThrottle | None], LoginResult],
    ) -> Outcome[Account] | None:
        """Phase 3: apply a verification's result to the stored state; ``None`` when
        the account's password hash changed since ``seen`` was read."""
        with self._uow as uow:
            account = uow.accounts.find(seen.id) if seen is not None else None
            if seen is not None and (
                account is None or account.password_hash != seen.password_hash
            ):
                return None
            pair, source = self._throttles(uow, account, digest)
            result, token = self._with_unlock_link(apply(account, pair, source))
            self._save(uow, result)
            uow.commit()
        self._tell(result, token)
        return result.outcome

    def _with_unlock_link(self, result: LoginResult) -> tuple[LoginResult, str | None]:
        """When password login was just disabled, the account gets an unlock link
        (and the token to mail)."""
        disabled = any(isinstance(event, PasswordLoginDisabled) for event in result.events)
        if not disabled or result.account is None:
            return result, None
        token = self._secrets.token(TOKEN_BYTES)
        requested = request_unlock(
            result.account,
            token_digest=token_digest(token),
            now=self._clock.now(),
            valid_for=self.login_policy.unlock_valid_for,
        )
        with_link = attrs.evolve(
            result,
            account=attrs.evolve(requested.value, version=result.account.version),
            events=(*result.events, *requested.events),
        )
        return with_link, token

    def _tell(self, result: LoginResult, token: str | None) -> None:
        """Mail the owner: the first lock of a source, an unlock link."""
        account = result.account
        if account is None:
            return
        for event in result.events:
            if isinstance(event, AccountLocked) and self._first_lock(result):
                seconds = (event.locked_until - event.occurred_at).total_seconds()
                minutes = str(max(1, round(seconds / 60)))
                self._send(
                    "login.locked_notice", account.email, account.language, {"minutes": minutes}
                )
            if isinstance(event, LoginUnlockRequested) and token is not None:
                self._send_unlock_link(account, token)

    def _first_lock(self, result: LoginResult) -> bool:
        pair = result.throttles[0] if result.throttles else None
        return pair is not None and pair.failures == self.login_policy.max_failures

    def _send_unlock_link(self, account: Account, token: str) -> None:
        self._send(
            "login.unlock_link",
            account.email,
            account.language,
            {"given_names": account.given_names},
            secret=token,
        )

    # -- login ----------------------------------------------------------------

    def login(self, email: str, password: str, *, source: LoginSource) -> Outcome[Account]:
        """Log in with the e-mail address and password (the energy registration guide: after
        registration).

        Args:
            email: the username as typed.
            password: the password as typed.
            source: where the attempt comes from (see
                :data:`~selfcare.identity.ids.LoginSource`): the client's IP address,
                a device id, or both; failures are throttled per (account, source) and
                per source (:mod:`~selfcare.identity.login`).

        Returns:
            The account with :class:`~selfcare.identity.events.LoginSucceeded`, or a
            refusal with ``login.invalid_credentials`` (also for an address that is not
            even well-formed), ``login.rate_limited`` (the source),
            ``login.temporarily_locked`` or ``login.password_login_disabled``
            (both opt-in, see :class:`~selfcare.identity.login.LoginPolicy`),
            ``login.account_locked``, ``login.account_closed`` or
            ``account.changed_meanwhile``. A wrong password for an existing account is
            refused with :class:`~selfcare.identity.events.LoginFailed` (and
            :class:`~selfcare.identity.events.AccountLocked`,
            :class:`~selfcare.identity.events.PasswordLoginDisabled` and
            :class:`~selfcare.identity.events.LoginUnlockRequested` when it locked the
            source or disabled password login).

        Raises:
            TypeError: ``password`` or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        digest = source_digest(source)
        try:
            address: EmailAddress | None = EmailAddress.parse(email)
        except SelfcareError:
            address = None
        return self._twice(lambda: self._login_once(address, password, digest))

    def _login_once(
        self, address: EmailAddress | None, password: str, digest: str
    ) -> Outcome[Account] | None:
        with self._uow as uow:
            account = uow.accounts.find_by_email(address) if address is not None else None
            pair, source = self._throttles(uow, account, digest)
        policy, now = self.login_policy, self._clock.now()
        refused = source_refusal(source, policy, now)
        if refused is not None:
            return Refused(refused)
        if account is not None:
            refused = account_refusal(account, pair, policy, now)
        if account is None or refused is not None:
            self._verify_dummy(password)
            if refused is not None:
                return Refused(refused)
            return self._record(None, digest, self._failure(digest))
        matched = matching_candidate(self._hasher, password, account.password_hash, self._form())
        if matched is None:
            return self._record(account, digest, self._failure(digest))
        new_hash = self._upgraded_hash(account.password_hash, matched)
        return self._record(account, digest, self._success(digest, new_hash))

    def _failure(
        self, digest: str, refusal: Violation | None = None, policy: LoginPolicy | None = None
    ) -> Callable[[Account | None, LoginThrottle | None, LoginThrottle | None], LoginResult]:
        used = policy or self.login_policy

        def apply(
            account: Account | None, pair: LoginThrottle | None, source: LoginThrottle | None
        ) -> LoginResult:
            now = self._clock.now()
            if account is not None:
                refused = account_refusal(account, pair, used, now)
                if refused is not None:  # locked by a concurrent attempt: not counted
                    return LoginResult(decision=refused)
            return login_failed(
                account,
                pair=pair,
                source=source,
                digest=digest,
                policy=used,
                now=now,
                refusal=refusal,
            )

        return apply

    def _success(
        self, digest: str, new_hash: str | None
    ) -> Callable[[Account | None, LoginThrottle | None, LoginThrottle | None], LoginResult]:
        def apply(
            account: Account | None, pair: LoginThrottle | None, _source: LoginThrottle | None
        ) -> LoginResult:
            if account is None:  # pragma: no cover - _record returns None first
                return LoginResult(decision=Decision.deny(Violation("login.invalid_credentials")))
            now = self._clock.now()
            refused = account_refusal(account, pair, self.login_policy, now)
            if refused is not None:  # disabled by concurrent failures meanwhile
                return LoginResult(decision=refused)
            return login_succeeded(account, digest=digest, new_hash=new_hash, now=now)

        return apply

    # -- password -------------------------------------------------------------

    def change_password(
        self, account_id: AccountId, *, current: str, new: str, source: LoginSource
    ) -> Outcome[Account]:
        """Change the password (the telecom ordering guide: after login).

        A wrong ``current`` counts as a failed login from ``source`` (the same
        throttling, so a stolen session cannot guess the password). The new password
        is checked by the policy and the breached-password port, and hashed in the
        policy's normal form.

        Returns:
            The account with :class:`~selfcare.identity.events.PasswordChanged`, or a
            refusal with ``account.not_found``, ``account.current_password_wrong``
            (with :class:`~selfcare.identity.events.LoginFailed`),
            ``login.rate_limited``, ``login.temporarily_locked``,
            ``login.password_login_disabled``, ``account.password_unchanged``, the
            ``password.*`` codes of :func:`~selfcare.identity.password.check_password`,
            ``password.breached``, ``password.breach_check_unavailable`` or
            ``account.changed_meanwhile``.

        Raises:
            TypeError: a password or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        digest = source_digest(source)
        outcome = self._twice(lambda: self._change_password_once(account_id, current, new, digest))
        if outcome.ok:
            changed = outcome.value
            self._send("account.password_changed", changed.email, changed.language)
        return outcome

    def _check_current(
        self, account_id: AccountId, current: str, digest: str
    ) -> Outcome[Account] | None:
        """The account when ``current`` is its password; a wrong one is counted as a
        failed login from the source (``None`` when the hash changed meanwhile)."""
        with self._uow as uow:
            account = uow.accounts.find(account_id)
            pair, source = self._throttles(uow, account, digest)
        if account is None:
            return account_not_found()
        # The user is logged in: the lock may be named.
        policy, now = attrs.evolve(self.login_policy, reveal_lock=True), self._clock.now()
        refused = source_refusal(source, policy, now) or account_refusal(account, pair, policy, now)
        if refused is not None:
            return Refused(refused)
        if matching_candidate(self._hasher, current, account.password_hash, self._form()) is None:
            wrong = Violation("account.current_password_wrong")
            return self._record(account, digest, self._failure(digest, wrong, policy))
        return Done(account)

    def _change_password_once(
        self, account_id: AccountId, current: str, new: str, digest: str
    ) -> Outcome[Account] | None:
        verified = self._check_current(account_id, current, digest)
        if verified is None or not verified.ok:
            return verified
        account = verified.value
        checked = check_new_password(
            account, current=current, new=new, policy=self._password_policy_of(account)
        )
        if not checked:
            return Refused(checked)
        breach = self._breach_refusal(new)
        if breach is not None:
            return breach
        new_hash = self._hash_new(new)
        with self._uow as uow:
            fresh = uow.accounts.find(account_id)
            if fresh is None or fresh.password_hash != account.password_hash:
                return None
            done = set_password(fresh, new_hash, now=self._clock.now())
            # The right current password is a successful authentication.
            changed = attrs.evolve(done.value, failed_logins=0, locked_until=None)
            uow.accounts.update(changed)
            uow.login_throttles.delete(pair_key(account_id, digest))
            uow.commit()
        return Done(changed, done.events)

    def verify_password(
        self, account_id: AccountId, password: str, *, source: LoginSource
    ) -> Outcome[None]:
        """Check the password of the logged-in ``account_id`` once more before an
        irreversible step (closing the account:
        :meth:`~selfcare.privacy.service.PrivacyService.close_own_account`).

        A wrong ``password`` counts as a failed login from ``source``, exactly as a
        wrong current password at :meth:`change_password` does (the same throttling,
        so a stolen session cannot guess the password). Nothing is saved on success.

        Returns:
            ``Done(None)``, or a refusal with ``account.not_found``,
            ``account.current_password_wrong`` (with
            :class:`~selfcare.identity.events.LoginFailed`), ``login.rate_limited``,
            ``login.temporarily_locked``, ``login.password_login_disabled``,
            ``login.account_locked``, ``login.account_closed`` or
            ``account.changed_meanwhile``.

        Raises:
            TypeError: ``password`` or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        digest = source_digest(source)
        outcome = self._twice(lambda: self._check_current(account_id, password, digest))
        return outcome if not outcome.ok else Done(None)

    # -- unlock link ----------------------------------------------------------

    def request_login_unlock(self, email: str) -> Outcome[None]:
        """Mail a single-use unlock link to the account of ``email`` (its verified
        address), for an owner kept out by failed logins (see
        :mod:`selfcare.identity.login_unlock`).

        The answer is ``Done(None)`` whether or not the address is registered; only
        the events differ (they are for the audit log: show the user the same page
        either way). No link is sent to a closed or customer-service-locked account,
        nor while the last link is younger than a minute.

        Returns:
            ``Done(None)``, with :class:`~selfcare.identity.events.LoginUnlockRequested`
            when a link was sent.
        """
        try:
            address = EmailAddress.parse(email)
        except SelfcareError:
            return Done(None)
        token = self._secrets.token(TOKEN_BYTES)
        now = self._clock.now()
        with self._uow as uow:
            account = uow.accounts.find_by_email(address)
            if account is None or account.state is not AccountState.ACTIVE:
                return Done(None)
            if recently_sent(account, now):
                return Done(None)
            requested = request_unlock(
                account,
                token_digest=token_digest(token),
                now=now,
                valid_for=self.login_policy.unlock_valid_for,
            )
            uow.accounts.update(requested.value)
            uow.commit()
        self._send_unlock_link(requested.value, token)
        return Done(None, requested.events)

    def confirm_login_unlock(self, token: str, *, source: LoginSource) -> Outcome[Account]:
        """Use the unlock link, on the user's explicit confirm after its page loaded
        (never on the page load itself: mail scanners open links).

        The account's consecutive failures are forgotten (password login works again)
        and the lock of ``source`` - the owner's - is lifted; locks of other sources
        stay. The link works once.

        Returns:
            The account with :class:`~selfcare.identity.events.LoginUnlocked`, or a
            refusal with ``login.unlock_link_invalid`` or
            ``login.unlock_link_expired``.

        Raises:
            TypeError: ``token`` or ``source`` is not a string.
            SelfcareError: ``login.source_invalid`` for an empty or over-long source.
        """
        digest = source_digest(source)
        with self._uow as uow:
            account = uow.accounts.find_by_unlock_token(token_digest(token))
            if account is None:
                return Refused.because(Violation("login.unlock_link_invalid"))
            outcome = confirm_unlock(account, token, now=self._clock.now())
            if not outcome.ok:
                return outcome
            uow.accounts.update(outcome.value)
            uow.login_throttles.delete(pair_key(account.id, digest))
            uow.commit()
        return outcome
