"""Pure account and profile rules: profile checks, e-mail change, feedback, junk input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfcare import SelfcareError
from selfcare.core.outcome import Done, Refused
from selfcare.identity.account import (
    Account,
    PendingEmailChange,
    compose_feedback,
    confirm_email_change,
    request_email_change,
    token_digest,
)
from selfcare.identity.contact import EmailAddress
from selfcare.identity.profile import (
    MAX_FIELD_LENGTH,
    Language,
    ProfileDraft,
    ProfileField,
    ProfilePolicy,
    check_profile,
    check_self_service_change,
    prefill_profile,
)
from selfcare.testing.contracts.identity import example_account
from selfcare.testing.strategies._accounts import profile_drafts

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
DRAFT = ProfileDraft(given_names=" Anna  Maria ", surname="Virtanen", email="Anna@Example.FI")


def test_profile_text_is_trimmed_and_the_email_normalised() -> None:
    profile = check_profile(DRAFT, ProfilePolicy())
    profile = profile.unwrap()
    assert profile.given_names == "Anna Maria"
    assert profile.email.value == "Anna@example.fi"
    assert profile.phone is None


def test_the_email_is_always_required_it_is_the_username() -> None:
    refused = check_profile(
        ProfileDraft(given_names="A", surname="B"), ProfilePolicy(required_fields=())
    )
    assert isinstance(refused, Refused)
    assert refused.codes == ("profile.field_required",)
    assert refused.decision.violations[0].params == {"field": "email"}


def test_operator_can_mark_more_fields_required() -> None:
    policy = ProfilePolicy(required_fields={"given_names", "surname", "email", "phone", "city"})
    refused = check_profile(DRAFT, policy)
    assert isinstance(refused, Refused)
    assert [v.params["field"] for v in refused.decision.violations] == ["phone", "city"]


def test_bad_fields_are_all_reported() -> None:
    draft = ProfileDraft(
        given_names="A\x00nna",
        surname="x" * (MAX_FIELD_LENGTH + 1),
        email="not-an-email",
        phone="12",
        language="de",
    )
    refused = check_profile(draft, ProfilePolicy())
    assert isinstance(refused, Refused)
    assert refused.codes[:2] == ("profile.field_invalid", "profile.field_too_long")
    assert "email.invalid_format" in refused.codes
    assert any(code.startswith("phone.") for code in refused.codes)
    assert refused.codes[-1] == "profile.field_invalid"
    # A field already reported as invalid is not also reported as missing.
    assert "profile.field_required" not in refused.codes


def test_phone_is_read_in_the_operators_region() -> None:
    profile = check_profile(
        ProfileDraft(
            given_names="Åsa", surname="Öberg", email="asa@example.se", phone="070-123 45 67"
        ),
        ProfilePolicy(phone_region="SE", default_language=Language.SV),
    )
    profile = profile.unwrap()
    assert profile.phone is not None
    assert profile.phone.e164 == "+46701234567"
    assert profile.language is Language.SV


def test_prefill_prefers_the_customer_record_then_the_identification() -> None:
    draft = prefill_profile(
        ProfileDraft(surname="Virtanen-Li", email="a@example.fi", language="sv"),
        given_names="Anna",
        surname="Virtanen",
        language="fi",
    )
    assert (draft.given_names, draft.surname, draft.language) == ("Anna", "Virtanen-Li", "sv")
    assert prefill_profile(None, language="fi") == ProfileDraft(language="fi")


def test_profile_round_trips_through_its_draft() -> None:
    draft = ProfileDraft(
        given_names="Anna", surname="Virtanen", email="anna@example.fi", phone="040 123 4567"
    )
    profile = check_profile(draft, ProfilePolicy())
    profile = profile.unwrap()
    assert check_profile(profile.to_draft(), ProfilePolicy()).unwrap() == profile


def test_self_service_fields_are_operator_policy() -> None:
    profile = check_profile(DRAFT, ProfilePolicy())
    profile = profile.unwrap()
    policy = ProfilePolicy(self_service_fields={ProfileField.LANGUAGE, ProfileField.PHONE})
    changed = check_self_service_change(profile, {ProfileField.PHONE: "040 123 4567"}, policy)
    changed = changed.unwrap()
    assert changed.phone is not None
    email = check_self_service_change(
        profile,
        {ProfileField.EMAIL: "x@example.fi"},
        ProfilePolicy(self_service_fields=ProfileField),
    )
    assert isinstance(email, Refused)
    assert email.codes == ("profile.field_requires_customer_service",)


def test_a_field_name_that_is_no_profile_field_is_refused_not_raised() -> None:
    # Found by the junk test: {"": ""} raised a bare ValueError from the enum.
    profile = check_profile(DRAFT, ProfilePolicy()).unwrap()
    refused = check_self_service_change(profile, {"": "", "surname": "Li"}, ProfilePolicy())  # type: ignore[dict-item]
    assert refused.decision.codes == (
        "profile.field_invalid",
        "profile.field_requires_customer_service",
    )
    assert refused.decision.violations[0].params == {"field": "unknown"}
    with pytest.raises(TypeError):
        check_self_service_change(profile, {3: "x"}, ProfilePolicy())  # type: ignore[dict-item]


@given(draft=profile_drafts())
def test_any_profile_form_gives_a_profile_or_a_decision(draft: ProfileDraft) -> None:
    result = check_profile(draft, ProfilePolicy())
    assert isinstance(result, Done | Refused)
    if isinstance(result, Done):
        assert result.email == EmailAddress.parse(draft.email)


@given(text=st.text(max_size=300), email=st.text(max_size=40), phone=st.text(max_size=20))
def test_any_feedback_form_gives_feedback_or_a_decision(text: str, email: str, phone: str) -> None:
    result = compose_feedback(
        feedback_id="f", account_id=None, text=text, email=email, phone=phone, now=T0
    )
    assert isinstance(result, Done | Refused)


def pending(account: Account) -> Account:
    result = request_email_change(
        account, EmailAddress.parse("new@example.fi"), token_digest=token_digest("secret"), now=T0
    )
    return result.unwrap()


def test_email_change_waits_for_the_token() -> None:
    account = pending(example_account(1))
    assert account.email.value == "user1@example.fi"
    assert account.pending_email is not None
    assert account.pending_email.expires_at == T0 + timedelta(hours=24)
    assert "token_digest" not in repr(account.pending_email)
    confirmed = confirm_email_change(account, "secret", now=T0 + timedelta(hours=23))
    confirmed = confirmed.unwrap()
    assert confirmed.email.value == "new@example.fi"
    assert confirmed.version == account.version + 1


@pytest.mark.parametrize(
    ("token", "hours", "code"),
    [("wrong", 1, "account.email_token_invalid"), ("secret", 24, "account.email_token_expired")],
)
def test_email_change_refusals(token: str, hours: int, code: str) -> None:
    refused = confirm_email_change(
        pending(example_account(1)), token, now=T0 + timedelta(hours=hours)
    )
    assert isinstance(refused, Refused)
    assert refused.codes == (code,)


def test_a_new_request_replaces_the_pending_one() -> None:
    first = pending(example_account(1))
    second = request_email_change(
        first, EmailAddress.parse("other@example.fi"), token_digest=token_digest("t2"), now=T0
    )
    second = second.unwrap()
    assert isinstance(confirm_email_change(second, "secret", now=T0), Refused)
    assert isinstance(confirm_email_change(second, "t2", now=T0), Done)


def test_an_unknown_profile_field_is_an_invalid_setting() -> None:
    with pytest.raises(SelfcareError) as info:
        ProfilePolicy(required_fields={"shoe_size"})
    assert info.value.codes == ("config.invalid_setting",)


def test_stored_times_are_kept_in_utc_whatever_offset_they_came_with() -> None:
    helsinki_summer = timezone(timedelta(hours=3))
    pending = PendingEmailChange(
        email=EmailAddress.parse("anna@example.fi"),
        token_digest="0" * 64,
        requested_at=datetime(2026, 6, 1, 12, 0, tzinfo=helsinki_summer),
        expires_at=datetime(2026, 6, 2, 12, 0, tzinfo=timezone(timedelta(hours=2))),
    )
    assert pending.requested_at.tzinfo is UTC
    assert pending.requested_at == datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    assert pending.expires_at.utcoffset() == timedelta(0)
    seen = datetime(2026, 6, 2, 12, 0, tzinfo=helsinki_summer)
    account = attrs.evolve(example_account(), last_login_at=seen)
    assert account.last_login_at is not None
    assert account.last_login_at.tzinfo is UTC


@pytest.mark.parametrize(
    "text",
    [
        "Hei \ud800 kiitos",  # a lone surrogate: not encodable as UTF-8
        "Hei\x00kiitos",  # NUL
        "Hei \u202ekiitos",  # RIGHT-TO-LEFT OVERRIDE
        "Hei \u2066kiitos\u2069",  # LEFT-TO-RIGHT ISOLATE ... POP
        "Hei\x1b[31m kiitos",  # a terminal escape
    ],
)
def test_feedback_with_unsafe_characters_is_refused(text: str) -> None:
    refused = compose_feedback(feedback_id="f", account_id=None, text=text, now=T0)
    assert refused.codes == ("feedback.text_invalid_characters",)  # type: ignore[union-attr]


def test_feedback_keeps_line_breaks_and_tabs() -> None:
    text = "Rivi 1\r\nRivi 2\n\tsisennetty"
    assert compose_feedback(feedback_id="f", account_id=None, text=text, now=T0).ok


def test_feedback_too_long_is_refused_before_it_is_scanned() -> None:
    huge = "\x00" * 1_000_000
    refused = compose_feedback(feedback_id="f", account_id=None, text=huge, now=T0)
    assert refused.codes == ("feedback.text_too_long",)  # type: ignore[union-attr]
