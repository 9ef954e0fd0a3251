"""Every template renders in every language; values are formatted and escaped; secrets
stay in their links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from selfcare import Money, SelfcareError, Violation
from selfcare.identity.ports import Channel, OutgoingMessage
from selfcare.identity.profile import Language
from selfcare.notifications import (
    TEMPLATES,
    DeductionLine,
    NotificationSettings,
    OrderLine,
    RenderedMessage,
    Renderer,
    SmsEncoding,
    TemplateParam,
    TemplateParamsError,
)
from selfcare.notifications.samples import SAMPLE_PARAMS, SAMPLE_SECRETS

LANGS = ("fi", "sv", "nb", "en")
CASES = [(name, lang) for name in TEMPLATES for lang in LANGS]
HOSTILE = '<script>alert("x")</script> & <b>'
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{[a-z_]+\}")

RENDERER = Renderer()


def _render(
    name: str,
    lang: str,
    params: Mapping[str, TemplateParam] | None = None,
    renderer: Renderer = RENDERER,
) -> RenderedMessage:
    return renderer.render_template(
        name,
        language=lang,
        params=SAMPLE_PARAMS[name] if params is None else params,
        secret=SAMPLE_SECRETS.get(name),
    )


def _parts(message: RenderedMessage) -> list[str]:
    return [part for part in (message.subject, message.text, message.html) if part is not None]


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_template_renders_in_every_language(name: str, lang: str) -> None:
    message = _render(name, lang)
    assert message.template == name
    assert message.language is Language(lang)
    assert message.channel is TEMPLATES[name].channel
    for part in _parts(message):
        assert not LEFTOVER.search(part), part
        assert "None" not in part
        assert "Undefined" not in part
    if message.channel is Channel.SMS:
        assert message.subject is None
        assert message.html is None
    else:
        assert message.subject
        assert "\n" not in message.subject
        assert message.html is not None
        assert message.html.startswith("<!DOCTYPE html>")
        assert f'<html lang="{lang}">' in message.html
        assert message.sms is None


def test_each_language_has_its_own_text() -> None:
    for name in TEMPLATES:
        texts = {_render(name, lang).text for lang in LANGS}
        assert len(texts) == len(LANGS), name


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_the_secret_appears_only_in_its_link_or_code_line(name: str, lang: str) -> None:
    message = _render(name, lang)
    secret = SAMPLE_SECRETS.get(name)
    if secret is None:
        assert not any(s in part for s in SAMPLE_SECRETS.values() for part in _parts(message))
        return
    assert message.subject is None or secret not in message.subject
    lines = [line for line in message.text.splitlines() if secret in line]
    assert lines
    if message.channel is Channel.SMS:
        assert message.text.splitlines()[-1] == f"@portal.example.fi #{secret}"
        assert len(lines) <= 2
    else:
        for line in lines:
            assert re.fullmatch(rf"https://portal\.example\.fi/\S+\?token={secret}", line), line
        assert message.html is not None
        link = rf'href="https://portal\.example\.fi/[^"\s]*token={secret}"'
        links = re.findall(link, message.html)
        assert message.html.count(secret) == len(links) > 0


@pytest.mark.parametrize("lang", LANGS)
def test_the_one_time_code_sms_fits_one_gsm7_segment(lang: str) -> None:
    for name, spec in TEMPLATES.items():
        if spec.channel is not Channel.SMS:
            continue
        message = _render(name, lang)
        assert message.sms is not None
        assert message.sms.encoding is SmsEncoding.GSM7
        assert message.segments == 1, (name, lang, message.sms)


@pytest.mark.parametrize("lang", LANGS)
def test_the_code_sms_still_fits_with_a_long_domain_and_ends_with_it(lang: str) -> None:
    renderer = Renderer(settings=NotificationSettings(otp_domain="omat-palvelut.energiayhtio.fi"))
    message = renderer.render_template("otp.confirm_phone", language=lang, secret="98765432")
    assert message.text.endswith("\n\n@omat-palvelut.energiayhtio.fi #98765432")
    assert message.segments == 1


@pytest.mark.parametrize("lang", LANGS)
def test_html_escapes_a_hostile_cover_message_and_names(lang: str) -> None:
    params = {
        **SAMPLE_PARAMS["authz.invitation"],
        "cover_message": HOSTILE,
        "inviter_name": "Eve <img src=x onerror=alert(1)>",
        "relationship": '"><script>x</script>',
    }
    message = _render("authz.invitation", lang, params)
    assert message.html is not None
    assert "<script" not in message.html
    assert "<img" not in message.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in message.html
    # Plain text is not HTML: it shows what the inviter typed.
    assert HOSTILE in message.text


def test_a_subject_is_one_line_whatever_the_names_hold() -> None:
    params = {**SAMPLE_PARAMS["authz.invitation"], "inviter_name": "Eve\r\nBcc: all@example.fi"}
    message = _render("authz.invitation", "en", params)
    assert message.subject == (
        "Eve Bcc: all@example.fi invited you to manage their customer relationship"
    )


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("fi", "Kutsu on voimassa 10. maaliskuuta 2026 asti."),
        ("sv", "Inbjudan gäller till och med 10 mars 2026."),
        ("nb", "Invitasjonen gjelder til og med 10. mars 2026."),
        ("en", "The invitation is valid until 10 March 2026."),
    ],
)
def test_the_invitation_shows_its_expiry_date_in_the_operators_zone(lang: str, shown: str) -> None:
    late_evening = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)  # 00:30 on 10 March in Helsinki
    params = {**SAMPLE_PARAMS["authz.invitation"], "valid_until": late_evening}
    assert shown in _render("authz.invitation", lang, params).text


def test_an_unknown_zone_is_refused_when_the_settings_are_made() -> None:
    with pytest.raises(SelfcareError) as raised:
        NotificationSettings(zone="Europe/Turku")
    assert raised.value.codes == ("time.unknown_timezone",)


def test_the_operators_zone_decides_the_date() -> None:
    oslo = Renderer(settings=NotificationSettings(zone="Europe/Oslo"))
    params = {
        **SAMPLE_PARAMS["authz.invitation"],
        "valid_until": datetime(2026, 3, 9, 22, 30, tzinfo=UTC),
    }
    assert "9. mars 2026" in _render("authz.invitation", "nb", params, oslo).text
    iso = {**params, "valid_until": "2026-03-09"}
    assert "9. mars 2026" in _render("authz.invitation", "nb", iso).text


def test_the_invitation_carries_accept_and_decline_links_and_the_cover_message() -> None:
    message = _render("authz.invitation", "sv")
    assert "Erik Lindqvist har bjudit in dig" in message.text
    assert "Hej Anna! Nu kan du också sköta vårt elavtal." in message.text
    assert "https://portal.example.fi/invitations/accept?token=tok-invite-Qr5t" in message.text
    assert "https://portal.example.fi/invitations/decline?token=tok-invite-Qr5t" in message.text
    assert message.subject == "Erik Lindqvist har bjudit in dig att sköta sin kundrelation"


def test_registration_completed_tells_the_user_to_contact_customer_service() -> None:
    message = _render("registration.completed", "en")
    assert "Please note:" in message.text
    assert "Please contact customer service." in message.text
    assert message.html is not None
    assert "<li>We could not link your identity" in message.html
    without = _render("registration.completed", "en", {"given_names": "Maija", "advisories": ""})
    assert "Please note" not in without.text
    as_values = _render(
        "registration.completed",
        "fi",
        {"given_names": "Maija", "advisories": [Violation("registration.no_customer_found")]},
    )
    assert "Ota yhteyttä asiakaspalveluun." in as_values.text


def test_the_order_confirmation_lists_prices_dates_and_the_activation_links() -> None:
    message = _render("catalog.order_confirmation", "fi")
    text = message.text.replace("\xa0", " ")
    assert (
        "- F-Secure Turvapaketti: 9,90 € kuukaudessa, alkaen 23. toukokuuta 2017, "
        "voimassa toistaiseksi" in text
    )
    assert "  Ota käyttöön: https://my.f-secure.example/activate/ord-1042" in text
    assert "  Lataa: https://download.f-secure.example/safe" in text
    assert "voimassa 31. toukokuuta 2018 asti" in text
    assert message.html is not None
    activation = '<a href="https://my.f-secure.example/activate/ord-1042">Ota käyttöön</a>'
    assert activation in message.html


def test_a_one_off_price_is_not_per_month() -> None:
    line = OrderLine(
        name="SIM card", price=Money("15", "EUR"), starts_on=date(2026, 4, 1), monthly=False
    )
    text = _render("catalog.order_confirmation", "en", {"order_id": "o-1", "items": [line]}).text
    assert "- SIM card: €15.00, from 1 April 2026, valid until further notice" in text
    assert text.startswith("Hello,")


def test_the_deduction_statement_shows_the_three_amounts_in_nok() -> None:
    message = _render("billing.deduction_statement", "nb")
    text = message.text.replace("\xa0", " ")
    assert message.subject == "Lønnstrekk for jobbmobilen, april 2026"
    assert "Månedlig ramme i mobilpolicyen: 100,00 kr" in text
    assert "Betales av arbeidsgiver: 100,00 kr" in text
    assert "Trekkes i lønn: 149,00 kr" in text
    assert "- Ekstra Data 15 GB (+4741234567): 99,00 kr" in text
    minimal = {
        "employee": "Kari",
        "month": "2026-04",
        "allowance": Money("100", "NOK"),
        "company_part": Money("0", "NOK"),
        "employee_part": Money("0", "NOK"),
    }
    assert "Arbeidsgiver" not in _render("billing.deduction_statement", "nb", minimal).text
    lines = [DeductionLine(description="Twin SIM", msisdn=None, amount=Money("49", "NOK"))]
    text = _render("billing.deduction_statement", "en", {**minimal, "lines": lines}).text
    assert "- Twin SIM: NOK49.00" in text


def test_the_lock_out_notice_names_the_minutes() -> None:
    assert "locked for 1 minute." in _render("login.locked_notice", "en", {"minutes": 1}).text
    assert "låst i 15 minutter." in _render("login.locked_notice", "nb").text


def test_identity_messages_render_as_the_service_composes_them() -> None:
    composed = [
        ("registration.verify_email", {"given_names": "Maija"}, "tok"),
        ("registration.email_in_use_notice", {}, None),
        (
            "registration.completed",
            {"given_names": "Maija", "advisories": "registration.no_customer_found"},
            None,
        ),
        ("account.verify_new_email", {"given_names": "Maija"}, "tok"),
        ("account.email_change_requested", {}, None),
        ("account.email_in_use_notice", {}, None),
        ("account.email_changed", {}, None),
        ("account.password_changed", {}, None),
        ("login.locked_notice", {"minutes": "15"}, None),
    ]
    for template, params, secret in composed:
        message = OutgoingMessage(
            template=template,
            channel=Channel.EMAIL,
            recipient="maija@example.fi",
            language=Language.SV,
            params=params,
            secret=secret,
        )
        rendered = RENDERER.render(message)
        assert rendered.language is Language.SV
        assert rendered.html is not None


def test_every_template_identity_names_exists() -> None:
    from selfcare.identity.ports import Notifier  # noqa: PLC0415

    doc = Notifier.__doc__ or ""
    named = set(re.findall(r"``([a-z_]+\.[a-z_]+)``", doc)) - {"OutgoingMessage.template"}
    assert named
    assert named <= set(TEMPLATES)


def test_the_sms_message_channel_must_match() -> None:
    wrong = OutgoingMessage(
        template="otp.confirm_phone",
        channel=Channel.EMAIL,
        recipient="x@example.fi",
        language=Language.FI,
        secret="123456",
    )
    with pytest.raises(TemplateParamsError, match="sent by sms"):
        RENDERER.render(wrong)
    sms = OutgoingMessage(
        template="otp.confirm_phone",
        channel=Channel.SMS,
        recipient="+358401234567",
        language=Language.FI,
        secret="123456",
    )
    assert RENDERER.render(sms).segments == 1


@pytest.mark.parametrize(
    ("template", "params", "secret", "match"),
    [
        ("no.such_template", {}, None, "no message template"),
        ("registration.verify_email", {}, "tok", "missing: \\['given_names'\\]"),
        ("account.password_changed", {"given_names": "M"}, None, "not declared"),
        ("login.locked_notice", {"minutes": "many"}, None, "number"),
        ("login.locked_notice", {"minutes": True}, None, "number"),
        ("registration.verify_email", {"given_names": 7}, "tok", "text"),
        ("registration.verify_email", {"given_names": "M"}, None, "needs its secret"),
        ("account.password_changed", {}, "tok", "carries no secret"),
        ("registration.completed", {"given_names": "M", "advisories": [1]}, None, "advisories"),
        ("catalog.order_confirmation", {"order_id": "o", "items": ["x"]}, None, "OrderLine"),
        ("catalog.order_confirmation", {"order_id": "o", "items": "x"}, None, "OrderLine"),
    ],
)
def test_a_message_that_does_not_fit_its_template_is_a_programming_error(
    template: str, params: dict[str, TemplateParam], secret: str | None, match: str
) -> None:
    with pytest.raises(TemplateParamsError, match=match):
        RENDERER.render_template(template, language="fi", params=params, secret=secret)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (datetime(2026, 3, 9, 8, 0), "timezone-aware"),  # noqa: DTZ001 - the point
        ("9.3.2026", "ISO 8601"),
        (Money("1", "EUR"), "date parameter"),
    ],
)
def test_dates_must_be_dates(value: TemplateParam, match: str) -> None:
    params = {**SAMPLE_PARAMS["authz.invitation"], "valid_until": value}
    with pytest.raises(TemplateParamsError, match=match):
        _render("authz.invitation", "fi", params)


def test_money_and_months_must_be_of_their_kind() -> None:
    statement = dict(SAMPLE_PARAMS["billing.deduction_statement"])
    with pytest.raises(TemplateParamsError, match="money"):
        _render("billing.deduction_statement", "nb", {**statement, "allowance": "100"})
    with pytest.raises(TemplateParamsError, match="month"):
        _render("billing.deduction_statement", "nb", {**statement, "month": 4})


def test_language_tags_are_normalised() -> None:
    assert _render("account.password_changed", "sv-FI").language is Language.SV
    assert _render("account.password_changed", "no").language is Language.NB
    assert _render("account.password_changed", "de").language is Language.EN


def test_links_follow_the_operators_settings() -> None:
    settings = NotificationSettings(
        portal_url="https://oma.example.fi/",
        links={"verify_email": "https://auth.example.fi/verify/{token}", "login": "/sisaan"},
    )
    renderer = Renderer(settings=settings)
    message = renderer.render_template(
        "registration.verify_email", language="fi", params={"given_names": "M"}, secret="a/b+c"
    )
    assert "https://auth.example.fi/verify/a%2Fb%2Bc" in message.text
    completed = renderer.render_template(
        "registration.completed", language="fi", params={"given_names": "M"}
    )
    assert "https://oma.example.fi/sisaan" in completed.text


def test_the_rendered_text_is_not_in_repr() -> None:
    message = _render("registration.verify_email", "fi")
    assert "tok-verify" not in repr(message)


def test_the_library_templates_pass_the_start_up_check() -> None:
    assert RENDERER.check_templates() == ()


def test_templates_ship_as_package_data() -> None:
    import selfcare.notifications as package  # noqa: PLC0415

    folder = Path(package.__file__).parent / "templates"
    for name, spec in TEMPLATES.items():
        for lang in LANGS:
            assert (folder / lang / f"{name}.txt").is_file()
            if spec.channel is Channel.EMAIL:
                assert (folder / lang / f"{name}.subject").is_file()
                assert (folder / lang / f"{name}.html").is_file()
