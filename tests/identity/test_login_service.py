"""The login, password and unlock use cases over storage: unlock link, NIST ceiling,
normalisation before hashing, breached passwords, compare-and-set after slow work."""

from __future__ import annotations

import threading
import time
import unicodedata
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from selfcare import SelfcareError
from selfcare.adapters.memory.identity import RecordingNotifier
from selfcare.bootstrap import App, Policies, bootstrap, memory_storage
from selfcare.core.ids import AccountId
from selfcare.core.outcome import Done
from selfcare.core.ports import next_version
from selfcare.identity.account import Account, AccountState
from selfcare.identity.breached import InMemoryBreachedPasswords, breach_digest
from selfcare.identity.events import (
    LoginUnlocked,
    LoginUnlockRequested,
    PasswordLoginDisabled,
)
from selfcare.identity.hashing import ScryptHasher
from selfcare.identity.ids import LoginSource
from selfcare.identity.login import LoginPolicy
from selfcare.identity.password import PasswordPolicy
from selfcare.identity.registration import RegistrationPolicy
from selfcare.notifications import Renderer
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.fakes import CountingSecrets, SequentialIds, SteppableClock

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "Kuusi7Sorsaa"
EMAIL = "user1@example.fi"
OWNER = LoginSource("198.51.100.7")
ATTACKER = LoginSource("203.0.113.9")
HASHER = ScryptHasher(n=2**4)


@attrs.define
class World:
    app: App
    clock: SteppableClock
    notifier: RecordingNotifier
    account: Account


def make_world(
    *,
    policies: Policies | None = None,
    hasher: object = HASHER,
    stored_hash: str | None = None,
    **kwargs: object,
) -> World:
    clock, notifier = SteppableClock(T0), RecordingNotifier()
    app = bootstrap(
        memory_storage(),
        clock=clock,
        ids=SequentialIds("id"),
        secrets=CountingSecrets(),
        policies=policies or Policies(),
        notifier=notifier,
        hasher=hasher,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )
    account = attrs.evolve(example_account(1), password_hash=stored_hash or HASHER.hash(PASSWORD))
    with app.storage.identity as uow:
        uow.accounts.add(account)
        uow.commit()
    return World(app, clock, notifier, account)


def stored(world: World) -> Account:
    with world.app.storage.identity as uow:
        found = uow.accounts.find(world.account.id)
    assert found is not None
    return found


# -- the NIST ceiling and the unlock link -------------------------------------------


def test_a_hundred_failures_disable_password_login_and_the_link_sent_unlocks_it() -> None:
    world = make_world(policies=Policies.nist_800_63b_4())
    identity = world.app.identity
    for n in range(100):
        # From a hundred places, so that no (account, source) pair locks first.
        answer = identity.login(EMAIL, "Wrong7Sorsaa", source=LoginSource(f"10.0.0.{n}"))
        world.clock.advance(timedelta(minutes=1))
    assert PasswordLoginDisabled in [type(e) for e in answer.events]
    assert LoginUnlockRequested in [type(e) for e in answer.events]
    link = world.notifier.last("login.unlock_link")
    assert link.recipient == EMAIL
    assert link.secret is not None
    # The right password no longer works, from anywhere, and nothing is verified.
    refused = identity.login(EMAIL, PASSWORD, source=OWNER)
    assert refused.codes == ("login.invalid_credentials",)
    assert stored(world).pending_unlock is not None
    assert link.secret not in repr(stored(world))  # only its digest is stored
    unlocked = identity.confirm_login_unlock(link.secret, source=OWNER)
    assert [type(e) for e in unlocked.events] == [LoginUnlocked]
    assert unlocked.unwrap().failed_logins == 0
    assert identity.login(EMAIL, PASSWORD, source=OWNER).ok
    # The link works once.
    again = identity.confirm_login_unlock(link.secret, source=OWNER)
    assert again.codes == ("login.unlock_link_invalid",)


def test_the_disabled_state_is_named_only_with_the_opt_in() -> None:
    login = attrs.evolve(Policies.nist_800_63b_4().login, reveal_lock=True)
    world = make_world(policies=attrs.evolve(Policies.nist_800_63b_4(), login=login))
    with world.app.storage.identity as uow:
        uow.accounts.update(next_version(world.account, failed_logins=100))
        uow.commit()
    refused = world.app.identity.login(EMAIL, PASSWORD, source=OWNER)
    assert refused.codes == ("login.password_login_disabled",)
    assert refused.decision.kind == "forbidden"


def test_an_unlock_link_can_be_asked_for_and_answers_the_same_for_unknown_addresses() -> None:
    world = make_world()
    identity = world.app.identity
    unknown = identity.request_login_unlock("nobody@example.fi")
    malformed = identity.request_login_unlock("not an address")
    known = identity.request_login_unlock(EMAIL.upper())
    assert unknown == malformed == known.__class__(None)
    assert known.value is None
    assert [type(e) for e in known.events] == [LoginUnlockRequested]
    assert [m.template for m in world.notifier.sent] == ["login.unlock_link"]
    # Asking again within a minute sends nothing more (no mailbox flooding).
    assert identity.request_login_unlock(EMAIL).events == ()
    world.clock.advance(timedelta(minutes=1))
    assert identity.request_login_unlock(EMAIL).events != ()
    first, second = (m.secret for m in world.notifier.sent)
    assert first is not None
    assert second is not None
    # A newer link replaces the older one.
    assert identity.confirm_login_unlock(first, source=OWNER).codes == (
        "login.unlock_link_invalid",
    )
    world.clock.advance(timedelta(hours=1))
    assert identity.confirm_login_unlock(second, source=OWNER).codes == (
        "login.unlock_link_expired",
    )


def test_no_unlock_link_for_a_closed_account() -> None:
    world = make_world()
    with world.app.storage.identity as uow:
        uow.accounts.update(next_version(world.account, state=AccountState.CLOSED))
        uow.commit()
    assert world.app.identity.request_login_unlock(EMAIL).events == ()
    assert world.notifier.sent == []


def test_confirming_lifts_the_lock_of_the_owners_source_only() -> None:
    world = make_world()
    identity = world.app.identity
    for source in (OWNER, ATTACKER):
        for _ in range(5):
            identity.login(EMAIL, "Wrong7Sorsaa", source=source)
    identity.request_login_unlock(EMAIL)
    token = world.notifier.last("login.unlock_link").secret
    assert token is not None
    assert identity.confirm_login_unlock(token, source=OWNER).ok
    assert identity.login(EMAIL, PASSWORD, source=OWNER).ok
    assert not identity.login(EMAIL, PASSWORD, source=ATTACKER).ok  # still locked there


def test_the_unlock_link_renders_in_every_language() -> None:
    world = make_world()
    world.app.identity.request_login_unlock(EMAIL)
    message = world.notifier.last("login.unlock_link")
    assert message.secret is not None
    rendered = Renderer().render(message)
    assert "/login/unlock?token=" + message.secret in rendered.text
    assert Renderer().check_templates() == ()


def test_the_owner_is_told_once_when_a_source_first_locks_the_account() -> None:
    world = make_world()
    for _ in range(5):
        world.app.identity.login(EMAIL, "Wrong7Sorsaa", source=ATTACKER)
    notice = world.notifier.last("login.locked_notice")
    assert notice.params == {"minutes": "1"}
    world.clock.advance(timedelta(minutes=1))
    world.app.identity.login(EMAIL, "Wrong7Sorsaa", source=ATTACKER)  # the lock doubles
    assert [m.template for m in world.notifier.sent] == ["login.locked_notice"]


def test_a_source_spraying_many_addresses_is_rate_limited() -> None:
    world = make_world(policies=Policies(login=LoginPolicy(source_max_failures=10)))
    for n in range(10):
        world.app.identity.login(f"someone{n}@example.fi", "Password1", source=ATTACKER)
    refused = world.app.identity.login(EMAIL, PASSWORD, source=ATTACKER)
    assert refused.codes == ("login.rate_limited",)
    assert world.app.identity.login(EMAIL, PASSWORD, source=OWNER).ok


@pytest.mark.parametrize("source", ["", "x" * 513])
def test_a_missing_source_is_refused_loudly(source: str) -> None:
    world = make_world()
    with pytest.raises(SelfcareError):
        world.app.identity.login(EMAIL, PASSWORD, source=LoginSource(source))
    with pytest.raises(TypeError):
        world.app.identity.login(EMAIL, PASSWORD, source=None)  # type: ignore[arg-type]


# -- normalisation before hashing (issue 17) ----------------------------------------

NFC = unicodedata.normalize("NFC", "Kesä-Sorsa-2026!")
NFD = unicodedata.normalize("NFD", NFC)


def test_a_password_set_in_nfc_verifies_when_typed_in_nfd() -> None:
    world = make_world()
    identity = world.app.identity
    identity.change_password(world.account.id, current=PASSWORD, new=NFC, source=OWNER).unwrap()
    assert identity.login(EMAIL, NFD, source=OWNER).ok
    assert identity.login(EMAIL, NFC, source=OWNER).ok


def test_a_hash_made_before_normalisation_verifies_and_is_rehashed_normalised() -> None:
    world = make_world(stored_hash=HASHER.hash(NFD))  # stored as typed, long ago
    identity = world.app.identity
    before = stored(world).password_hash
    assert identity.login(EMAIL, NFD, source=OWNER).ok
    after = stored(world).password_hash
    assert after != before
    assert HASHER.verify(NFC, after)
    assert identity.login(EMAIL, NFC, source=OWNER).ok  # now from any keyboard


def test_nfkc_policy_folds_compatibility_characters_before_hashing() -> None:
    policies = Policies.nist_800_63b_4()
    world = make_world(policies=policies)
    new = "ｔｕｕｌｉｍｙｌｌｙ kala²"  # fullwidth letters, superscript two
    changed = world.app.identity.change_password(
        world.account.id, current=PASSWORD, new=new, source=OWNER
    ).unwrap()
    assert HASHER.verify("tuulimylly kala2", changed.password_hash)


def test_an_unchanged_password_is_compared_in_normal_form() -> None:
    world = make_world(stored_hash=HASHER.hash(NFC))
    refused = world.app.identity.change_password(
        world.account.id, current=NFC, new=NFD, source=OWNER
    )
    assert refused.codes == ("account.password_unchanged",)


# -- breached passwords (issue 17) ---------------------------------------------------

BREACHED = "Uusi9Sorsaa!x"


class DownBreachedPasswords:
    def times_seen(self, sha1_hex: str) -> int:
        from selfcare.core.decision import Violation  # noqa: PLC0415
        from selfcare.core.errors import StorageUnavailable  # noqa: PLC0415

        raise StorageUnavailable(
            Violation("store.unavailable", {"reason": f"no answer for {sha1_hex[:5]}"})
        )


def _policies(mode: str) -> Policies:
    return Policies(
        registration=RegistrationPolicy(password=PasswordPolicy(breached_check=mode))  # type: ignore[arg-type]
    )


def test_a_breached_new_password_is_refused_at_password_change() -> None:
    corpus = InMemoryBreachedPasswords({breach_digest(BREACHED): 87})
    world = make_world(policies=_policies("best_effort"), breached_passwords=corpus)
    refused = world.app.identity.change_password(
        world.account.id, current=PASSWORD, new=BREACHED, source=OWNER
    )
    assert refused.codes == ("password.breached",)
    assert refused.decision.violations[0].params == {"count": 87}


def test_an_unreachable_corpus_follows_the_operators_policy() -> None:
    down = DownBreachedPasswords()
    lenient = make_world(policies=_policies("best_effort"), breached_passwords=down)
    assert lenient.app.identity.change_password(
        lenient.account.id, current=PASSWORD, new=BREACHED, source=OWNER
    ).ok
    strict = make_world(policies=_policies("required"), breached_passwords=down)
    refused = strict.app.identity.change_password(
        strict.account.id, current=PASSWORD, new=BREACHED, source=OWNER
    )
    assert refused.codes == ("password.breach_check_unavailable",)
    assert refused.decision.kind == "unavailable"


def test_a_required_check_without_a_corpus_is_a_configuration_error() -> None:
    with pytest.raises(SelfcareError) as info:
        make_world(policies=_policies("required"))
    assert info.value.violations[0].params == {"setting": "breached_passwords"}


def test_without_a_corpus_no_lookup_is_made_by_default() -> None:
    world = make_world()
    assert world.app.identity.change_password(
        world.account.id, current=PASSWORD, new=BREACHED, source=OWNER
    ).ok


# -- slow work outside transactions, compare-and-set after (issue 18) ----------------


class PausingHasher:
    """Runs ``during`` once, inside the first verification: a concurrent request."""

    def __init__(self) -> None:
        self.inner = ScryptHasher(n=2**4)
        self.during: list[object] = []

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, encoded: str) -> bool:
        while self.during:
            self.during.pop()()  # type: ignore[operator]
        return self.inner.verify(password, encoded)

    def needs_rehash(self, encoded: str) -> bool:
        return self.inner.needs_rehash(encoded)

    def exceeds_current(self, encoded: str) -> bool:
        return self.inner.exceeds_current(encoded)


def test_a_password_changed_during_a_login_makes_the_login_verify_again() -> None:
    hasher = PausingHasher()
    world = make_world(hasher=hasher)

    def change() -> None:
        with world.app.storage.identity as uow:
            current = uow.accounts.find(world.account.id)
            assert current is not None
            uow.accounts.update(next_version(current, password_hash=HASHER.hash("Uusi9Sorsaa!x")))
            uow.commit()

    hasher.during.append(change)
    # The old password verified against the hash read first; the hash changed under
    # it, so the login ran again against the new hash and failed.
    refused = world.app.identity.login(EMAIL, PASSWORD, source=OWNER)
    assert refused.codes == ("login.invalid_credentials",)
    assert stored(world).failed_logins == 1


def test_concurrent_failures_from_two_sources_are_both_counted() -> None:
    hasher = PausingHasher()
    world = make_world(hasher=hasher)
    hasher.during.append(lambda: world.app.identity.login(EMAIL, "Wrong7Sorsaa", source=ATTACKER))
    world.app.identity.login(EMAIL, "Wrong6Sorsaa", source=OWNER)
    assert stored(world).failed_logins == 2


def test_a_password_changed_during_a_password_change_is_not_overwritten() -> None:
    hasher = PausingHasher()
    world = make_world(hasher=hasher)
    other = "Lintu8Sorsaa!x"

    def change_elsewhere() -> None:
        world.app.identity.change_password(
            world.account.id, current=PASSWORD, new=other, source=ATTACKER
        ).unwrap()

    hasher.during.append(change_elsewhere)
    second = world.app.identity.change_password(
        world.account.id, current=PASSWORD, new="Kolmas7Sorsaa!", source=OWNER
    )
    # Run again against the new hash, the old current password is wrong.
    assert second.codes == ("account.current_password_wrong",)
    assert HASHER.verify(other, stored(world).password_hash)


def test_a_registration_changed_while_its_password_hashed_is_checked_again() -> None:
    from selfcare.identity.profile import ProfileDraft  # noqa: PLC0415
    from selfcare.testing.contracts.identity import example_registration  # noqa: PLC0415

    class SlowHash(PausingHasher):
        def hash(self, password: str) -> str:
            while self.during:
                self.during.pop()()  # type: ignore[operator]
            return self.inner.hash(password)

    hasher = SlowHash()
    world = make_world(hasher=hasher)
    identity = world.app.identity
    registration = example_registration(1)
    with world.app.storage.identity as uow:
        uow.registrations.add(registration)
        uow.commit()
    draft = ProfileDraft(
        given_names="Anna", surname="Virtanen", email="anna@example.fi", phone="040 123 4567"
    )
    identity.confirm_profile(registration.id, draft).unwrap()
    hasher.during.append(lambda: identity.abandon_registration(registration.id).unwrap())
    refused = identity.set_credentials(registration.id, PASSWORD)
    assert refused.codes == ("registration.not_in_progress",)


def test_a_write_during_a_password_change_does_not_wait_for_the_hash() -> None:
    entered, release = threading.Event(), threading.Event()

    class BlockingHasher(PausingHasher):
        def hash(self, password: str) -> str:
            entered.set()
            release.wait(5)
            return self.inner.hash(password)

    world = make_world(hasher=BlockingHasher())
    other = bootstrap(world.app.storage, clock=world.clock, secrets=CountingSecrets())
    worker = threading.Thread(
        target=lambda: world.app.identity.change_password(
            world.account.id, current=PASSWORD, new="Uusi9Sorsaa!x", source=OWNER
        )
    )
    worker.start()
    try:
        assert entered.wait(5)
        started = time.perf_counter()
        other.identity.start_registration(language="fi").unwrap()
        assert time.perf_counter() - started < 2  # the hasher holds no lock: no wait
    finally:
        release.set()
        worker.join()
    assert HASHER.verify("Uusi9Sorsaa!x", stored(world).password_hash)


# -- verifying the password again (before closing the account) -----------------------


def test_verify_password_accepts_the_right_one_and_changes_nothing() -> None:
    world = make_world()
    before = stored(world)

    outcome = world.app.identity.verify_password(
        AccountId(world.account.id), PASSWORD, source=OWNER
    )

    assert outcome == Done(None)
    assert stored(world) == before


def test_verify_password_counts_a_wrong_one_as_a_failed_login() -> None:
    world = make_world()
    user = AccountId(world.account.id)

    refused = world.app.identity.verify_password(user, "Wrong7Guess", source=ATTACKER)

    assert refused.codes == ("account.current_password_wrong",)
    assert [event.name for event in refused.events] == ["LoginFailed"]
    with world.app.storage.identity as uow:
        assert [t.failures for t in uow.login_throttles.for_account(user)] == [1]


def test_verify_password_of_an_unknown_account_is_not_found() -> None:
    world = make_world()

    refused = world.app.identity.verify_password(AccountId("nobody"), PASSWORD, source=OWNER)

    assert refused.codes == ("account.not_found",)


def test_verify_password_is_refused_while_the_source_is_locked() -> None:
    world = make_world(policies=Policies(login=LoginPolicy(max_failures=2)))
    user = AccountId(world.account.id)
    for guess in ("Wrong7Guess", "Wrong8Guess"):
        world.app.identity.verify_password(user, guess, source=ATTACKER)

    refused = world.app.identity.verify_password(user, PASSWORD, source=ATTACKER)

    assert refused.codes == ("login.temporarily_locked",)
