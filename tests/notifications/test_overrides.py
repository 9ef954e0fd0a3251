"""Operators override any template, file by file, from a folder or a mapping."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from selfcare.identity.ports import Channel, OutgoingMessage
from selfcare.identity.profile import Language
from selfcare.notifications import (
    TEMPLATES,
    Outbox,
    Renderer,
    RenderingNotifier,
    TemplateParamsError,
    template_files,
)
from selfcare.notifications.samples import SAMPLE_PARAMS, SAMPLE_SECRETS


def _invitation(renderer: Renderer, lang: str, cover: str = "Hej!") -> tuple[str, str, str]:
    params = {**SAMPLE_PARAMS["authz.invitation"], "cover_message": cover}
    message = renderer.render_template(
        "authz.invitation", language=lang, params=params, secret="tok-1"
    )
    assert message.subject is not None
    assert message.html is not None
    return message.subject, message.text, message.html


def test_a_mapping_overrides_one_part_in_one_language() -> None:
    renderer = Renderer(overrides={"fi/authz.invitation.subject": "Kutsu: {{ inviter_name }}"})
    subject, text, _ = _invitation(renderer, "fi")
    assert subject == "Kutsu: Erik Lindqvist"
    # The body in Finnish and every part in Swedish are still the library's.
    assert text == _invitation(Renderer(), "fi")[1]
    assert _invitation(renderer, "sv") == _invitation(Renderer(), "sv")


def test_a_folder_overrides_like_the_library_layout(tmp_path: Path) -> None:
    (tmp_path / "sv").mkdir()
    (tmp_path / "sv" / "authz.invitation.html").write_text(
        '{% extends "_base.html" %}{% block content %}'
        "<p>{{ inviter_name }} skriver: {{ cover_message }}</p>"
        '<a href="{{ accept_url }}">Ja</a>{% endblock %}',
        encoding="utf-8",
    )
    (tmp_path / "sv" / "otp.confirm_phone.txt").write_text(
        "Kod {{ code }} till {{ sender_name }}\n\n{{ otp_line }}\n", encoding="utf-8"
    )
    renderer = Renderer(overrides=tmp_path)
    _, text, html = _invitation(renderer, "sv", cover="<script>alert(1)</script>")
    assert "Erik Lindqvist skriver: &lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert '<a href="https://portal.example.fi/invitations/accept?token=tok-1">Ja</a>' in html
    assert "<script>" in text  # the library's plain text is still used
    sms = renderer.render_template("otp.confirm_phone", language="sv", secret="555123")
    assert sms.text == "Kod 555123 till Portal\n\n@portal.example.fi #555123"
    assert renderer.check_templates() == ()


def test_an_override_of_every_part_of_every_template_is_used() -> None:
    overrides = {
        file: f"[{file}]"
        for spec in TEMPLATES.values()
        for file in template_files(spec, "nb").values()
    }
    renderer = Renderer(overrides=overrides)
    for name, spec in TEMPLATES.items():
        message = renderer.render_template(
            name, language="nb", params=SAMPLE_PARAMS[name], secret=SAMPLE_SECRETS.get(name)
        )
        files = template_files(spec, "nb")
        assert message.text == f"[{files['text']}]" + ("\n" if "html" in files else "")
        if "html" in files:
            assert message.subject == f"[{files['subject']}]"
            assert message.html == f"[{files['html']}]\n"


def test_a_subject_cannot_show_the_secret() -> None:
    renderer = Renderer(overrides={"en/authz.invitation.subject": "Join: {{ accept_url }}"})
    with pytest.raises(jinja2.UndefinedError, match="accept_url"):
        _invitation(renderer, "en")
    problems = renderer.check_templates()
    assert len(problems) == 1
    assert problems[0].startswith("authz.invitation [en]: UndefinedError")


def test_the_start_up_check_reports_broken_overrides() -> None:
    renderer = Renderer(
        overrides={
            "fi/account.password_changed.txt": "{% if %}",
            "sv/login.locked_notice.txt": "{{ minuter }}",
            "nb/account.email_changed.html": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        }
    )
    problems = renderer.check_templates()
    assert [p.split(":")[0] for p in problems] == [
        "account.email_changed [nb]",
        "account.password_changed [fi]",
        "login.locked_notice [sv]",
    ]
    assert "SecurityError" in problems[0]  # the sandbox keeps templates away from Python


def test_overrides_go_through_the_rendering_notifier() -> None:
    outbox = Outbox()
    notifier = RenderingNotifier(
        renderer=Renderer(overrides={"fi/account.password_changed.subject": "Salasana vaihtui"}),
        transport=outbox,
    )
    notifier.send(
        OutgoingMessage(
            template="account.password_changed",
            channel=Channel.EMAIL,
            recipient="maija@example.fi",
            language=Language.FI,
        )
    )
    assert outbox.last("account.password_changed").subject == "Salasana vaihtui"
    assert outbox.delivered[0][0] == "maija@example.fi"
    with pytest.raises(LookupError):
        outbox.last("login.locked_notice")
    with pytest.raises(TemplateParamsError):
        notifier.send(
            OutgoingMessage(
                template="login.locked_notice",
                channel=Channel.EMAIL,
                recipient="maija@example.fi",
                language=Language.FI,
            )
        )
    assert len(outbox.delivered) == 1
