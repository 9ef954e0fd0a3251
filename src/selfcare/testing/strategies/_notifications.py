"""Hypothesis strategies for the values of :mod:`selfcare.notifications`."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from selfcare.identity.ports import Channel
from selfcare.identity.profile import Language
from selfcare.notifications.content import TEMPLATES, DeductionLine, OrderLine, TemplateSpec
from selfcare.notifications.render import NotificationSettings, RenderedMessage
from selfcare.notifications.sms import SmsSize, sms_size
from selfcare.testing.strategies._core import money

__all__ = [
    "ENTITIES",
    "deduction_lines",
    "notification_settings",
    "order_lines",
    "rendered_messages",
    "sms_sizes",
    "template_specs",
]

_NAMES = st.text(min_size=1, max_size=40)
_URLS = st.sampled_from(
    ["https://my.f-secure.example/activate/1", "https://download.f-secure.example/safe"]
)


def order_lines() -> st.SearchStrategy[OrderLine]:
    """Ordered services, monthly or one-off, open-ended or fixed-term."""
    return st.builds(
        OrderLine,
        name=_NAMES,
        price=money(),
        starts_on=st.dates(),
        ends_on=st.none() | st.dates(),
        monthly=st.booleans(),
        activation_url=st.none() | _URLS,
        download_url=st.none() | _URLS,
    )


def deduction_lines() -> st.SearchStrategy[DeductionLine]:
    """Salary deductions, with or without a phone number."""
    return st.builds(
        DeductionLine,
        description=_NAMES,
        msisdn=st.none() | st.just("+4741234567"),
        amount=money(),
    )


def template_specs() -> st.SearchStrategy[TemplateSpec]:
    """The library's own template specs."""
    return st.sampled_from(list(TEMPLATES.values()))


def sms_sizes() -> st.SearchStrategy[SmsSize]:
    """Sizes of real texts, GSM-7 or UCS-2."""
    return st.text(max_size=400).map(sms_size)


def notification_settings() -> st.SearchStrategy[NotificationSettings]:
    """Settings with a few replaced links."""
    return st.builds(
        NotificationSettings,
        sender_name=_NAMES,
        links=st.dictionaries(st.sampled_from(["login", "accept"]), st.just("/x?t={token}")),
    )


@st.composite
def rendered_messages(draw: st.DrawFn) -> RenderedMessage:
    """E-mails (subject, text, HTML) and SMS (text and size)."""
    language = draw(st.sampled_from(list(Language)))
    text = draw(st.text(max_size=200))
    if draw(st.booleans()):
        return RenderedMessage(
            template="otp.confirm_phone",
            channel=Channel.SMS,
            language=language,
            text=text,
            sms=sms_size(text),
        )
    return RenderedMessage(
        template="account.password_changed",
        channel=Channel.EMAIL,
        language=language,
        subject=draw(_NAMES),
        text=text,
        html=f"<p>{text}</p>",
    )


ENTITIES: dict[type, st.SearchStrategy[Any]] = {
    OrderLine: order_lines(),
    DeductionLine: deduction_lines(),
    TemplateSpec: template_specs(),
    SmsSize: sms_sizes(),
    NotificationSettings: notification_settings(),
    RenderedMessage: rendered_messages(),
}
