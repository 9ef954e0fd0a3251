"""Rendering the library's messages: subject, plain text and HTML for e-mail, text
for SMS.

A :class:`Renderer` fills the library's Jinja2 templates (shipped in
``selfcare/notifications/templates/<language>/``) or the operator's own, with the
parameters of an :class:`~selfcare.identity.ports.OutgoingMessage` formatted for its
language. HTML templates are autoescaped by Jinja2, so a cover message such as
``<script>`` arrives as text. The message's secret (a token or a one-time code) is
given only to the text and HTML bodies, as the links or the code line the template
names; a subject cannot show it: its templates never see it.

>>> from selfcare.notifications import Renderer
>>> sms = Renderer().render_template("otp.confirm_phone", language="sv", secret="123456")
>>> print(sms.text)
Koden för att bekräfta ditt telefonnummer är 123456. Ge inte koden till någon annan.
<BLANKLINE>
@portal.example.fi #123456
>>> sms.segments
1

Jinja2 is imported on the first render, not with the package.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final, final
from urllib.parse import quote

import attrs

from selfcare.core.clock import DEFAULT_TIMEZONE, operator_zone
from selfcare.core.messages import LANGUAGES, normalize_language
from selfcare.identity.ports import Channel, OutgoingMessage
from selfcare.identity.profile import Language
from selfcare.notifications.content import TEMPLATES, TemplateSpec
from selfcare.notifications.params import Shown, TemplateParam, TemplateParamsError, shown_params
from selfcare.notifications.sms import SmsSize, origin_bound_line, sms_size

if TYPE_CHECKING:
    import jinja2

__all__ = [
    "DEFAULT_LINKS",
    "NotificationSettings",
    "RenderedMessage",
    "Renderer",
    "TemplateOverrides",
    "template_files",
]

#: Where the links of the messages point, relative to ``portal_url`` (or absolute);
#: ``{token}`` is replaced by the message's URL-quoted secret.
DEFAULT_LINKS: Final[Mapping[str, str]] = {
    "login": "/login",
    "services": "/services",
    "customer_service": "/customer-service",
    "verify_email": "/registration/verify?token={token}",
    "verify_new_email": "/account/email/verify?token={token}",
    "unlock": "/login/unlock?token={token}",
    "recover": "/login/recover?token={token}",
    "accept": "/invitations/accept?token={token}",
    "decline": "/invitations/decline?token={token}",
}

#: An operator's templates: a folder laid out like the library's, or a mapping of
#: file name (``"fi/authz.invitation.html"``) to template source.
TemplateOverrides = str | os.PathLike[str] | Mapping[str, str]

_WHITESPACE: Final = re.compile(r"\s+")


@final
@attrs.frozen(kw_only=True)
class NotificationSettings:
    """The operator's values the messages show.

    Attributes:
        portal_url: the self-service portal, base of every relative link.
        otp_domain: the domain of the origin-bound line ending the one-time-code SMS;
            the page that asks for the code must be served from it.
        sender_name: who signs the messages (the operator's name).
        zone: the operator's IANA time zone; dates are shown as dates there.
        links: link paths that replace :data:`DEFAULT_LINKS` entries, by name.

    Raises:
        SelfcareError: ``time.unknown_timezone`` when ``zone`` is not an IANA zone.
    """

    portal_url: str = "https://portal.example.fi"
    otp_domain: str = "portal.example.fi"
    sender_name: str = "Portal"
    zone: str = DEFAULT_TIMEZONE
    links: Mapping[str, str] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        operator_zone(self.zone)  # an unknown zone fails here, not in the first message

    def link(self, name: str, token: str | None = None) -> str:
        """The absolute URL of link ``name``, with ``token`` URL-quoted into it.

        >>> NotificationSettings().link("accept", "a/b")
        'https://portal.example.fi/invitations/accept?token=a%2Fb'

        Raises:
            KeyError: no link is called ``name``.
        """
        path = {**DEFAULT_LINKS, **self.links}[name]
        if token is not None:
            path = path.replace("{token}", quote(token, safe=""))
        if "://" in path:
            return path
        return self.portal_url.rstrip("/") + path


@final
@attrs.frozen(kw_only=True)
class RenderedMessage:
    """A message ready to send.

    Attributes:
        template: the template it was rendered from.
        channel: e-mail or SMS.
        language: the language it is written in.
        subject: the e-mail subject (one line, never a secret); ``None`` for an SMS.
        text: the plain-text body of an e-mail, or the SMS text (not in ``repr``: it
            may carry a token link or a code).
        html: the HTML body of an e-mail (not in ``repr``); ``None`` for an SMS.
        sms: the encoding, length and segment count of an SMS; ``None`` for e-mail.
    """

    template: str
    channel: Channel
    language: Language
    subject: str | None = None
    text: str = attrs.field(repr=False)
    html: str | None = attrs.field(default=None, repr=False)
    sms: SmsSize | None = None

    @property
    def segments(self) -> int | None:
        """How many SMS segments the text takes; ``None`` for e-mail."""
        return None if self.sms is None else self.sms.segments


def template_files(spec: TemplateSpec, language: str) -> dict[str, str]:
    """The template files of ``spec`` in ``language``, by part (``subject``, ``text``,
    ``html``); override any of them under the same name.

    >>> template_files(TEMPLATES["otp.confirm_phone"], "fi")
    {'text': 'fi/otp.confirm_phone.txt'}
    """
    base = f"{language}/{spec.name}"
    if spec.channel is Channel.SMS:
        return {"text": f"{base}.txt"}
    return {"subject": f"{base}.subject", "text": f"{base}.txt", "html": f"{base}.html"}


def _loader(overrides: TemplateOverrides | None) -> jinja2.BaseLoader:
    import jinja2  # noqa: PLC0415 - loaded on first render, keeps `import selfcare` cheap

    packaged = jinja2.PackageLoader("selfcare.notifications", "templates")
    if overrides is None:
        return packaged
    own: jinja2.BaseLoader
    if isinstance(overrides, Mapping):
        own = jinja2.DictLoader(dict(overrides))
    else:
        own = jinja2.FileSystemLoader(os.fspath(overrides))
    return jinja2.ChoiceLoader([own, packaged])


def _environment(overrides: TemplateOverrides | None) -> jinja2.Environment:
    import jinja2  # noqa: PLC0415
    from jinja2.sandbox import SandboxedEnvironment  # noqa: PLC0415

    return SandboxedEnvironment(
        loader=_loader(overrides),
        # HTML files are escaped; subjects and plain text are not HTML.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html",), disabled_extensions=(), default_for_string=False
        ),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


class Renderer:
    """Renders every message of :data:`~selfcare.notifications.content.TEMPLATES`.

    Args:
        settings: the operator's links, names and time zone.
        overrides: the operator's own templates, consulted before the library's, file by
            file (one part of one template in one language is enough).

    One renderer can be shared by every thread: it is immutable after construction,
    and the Jinja2 environment it builds on first use is thread-safe.
    """

    def __init__(
        self,
        *,
        settings: NotificationSettings | None = None,
        overrides: TemplateOverrides | None = None,
    ) -> None:
        self.settings: NotificationSettings = settings or NotificationSettings()
        self._overrides = overrides
        self._env: jinja2.Environment | None = None

    def _jinja(self) -> jinja2.Environment:
        if self._env is None:
            self._env = _environment(self._overrides)
        return self._env

    def render(self, message: OutgoingMessage) -> RenderedMessage:
        """Render an :class:`~selfcare.identity.ports.OutgoingMessage` of a service.

        Raises:
            TemplateParamsError: the template is unknown, is for another channel, or
                the parameters or secret do not match it (a programming error).
        """
        spec = _spec(message.template)
        if spec.channel is not message.channel:
            raise TemplateParamsError(f"{spec.name} is sent by {spec.channel.value}")
        return self.render_template(
            message.template,
            language=message.language,
            params=message.params,
            secret=message.secret,
        )

    def render_template(
        self,
        template: str,
        *,
        language: Language | str,
        params: Mapping[str, TemplateParam] | None = None,
        secret: str | None = None,
    ) -> RenderedMessage:
        """Render ``template`` in ``language`` (a tag such as ``sv-FI`` will do).

        Args:
            template: a name of :data:`~selfcare.notifications.content.TEMPLATES`.
            language: the recipient's language.
            params: the template's parameters, of the kinds its spec declares.
            secret: the token of its links or the one-time code, when it has them.

        Raises:
            TemplateParamsError: as for :meth:`render`.
        """
        spec = _spec(template)
        lang = normalize_language(str(language))
        shown = shown_params(
            spec.kinds, tuple(spec.required), params or {}, lang, zone=self.settings.zone
        )
        public = self._public_context(lang, shown)
        private = {**public, **self._secret_context(spec, secret)}
        files = template_files(spec, lang)
        if spec.channel is Channel.SMS:
            text = self._fill(files["text"], private).strip()
            return RenderedMessage(
                template=spec.name,
                channel=spec.channel,
                language=Language(lang),
                text=text,
                sms=sms_size(text),
            )
        subject = _WHITESPACE.sub(" ", self._fill(files["subject"], public)).strip()
        private["subject"] = subject
        return RenderedMessage(
            template=spec.name,
            channel=spec.channel,
            language=Language(lang),
            subject=subject,
            text=self._fill(files["text"], private).strip() + "\n",
            html=self._fill(files["html"], private).strip() + "\n",
        )

    def check_templates(self) -> tuple[str, ...]:
        """Render every template in every language with the sample parameters of
        :mod:`selfcare.notifications.samples`; call it at start-up to find a broken
        override before a customer does.

        Returns:
            One line per failure (template, language, error); empty when all render.
        """
        import jinja2  # noqa: PLC0415

        from selfcare.notifications.samples import SAMPLE_PARAMS, SAMPLE_SECRETS  # noqa: PLC0415

        problems: list[str] = []
        for name in TEMPLATES:
            for lang in LANGUAGES:
                try:
                    self.render_template(
                        name,
                        language=lang,
                        params=SAMPLE_PARAMS[name],
                        secret=SAMPLE_SECRETS.get(name),
                    )
                except (jinja2.TemplateError, TemplateParamsError) as error:
                    problems.append(f"{name} [{lang}]: {type(error).__name__}: {error}")
        return tuple(problems)

    def _public_context(self, lang: str, shown: Mapping[str, Shown]) -> dict[str, object]:
        settings = self.settings
        links = {
            name: settings.link(name)
            for name, path in {**DEFAULT_LINKS, **settings.links}.items()
            if "{token}" not in path
        }
        return {
            **shown,
            "language": lang,
            "portal_url": settings.portal_url,
            "sender_name": settings.sender_name,
            "links": links,
        }

    def _secret_context(self, spec: TemplateSpec, secret: str | None) -> dict[str, str]:
        if not spec.secret_links:
            if secret is not None:
                raise TemplateParamsError(f"{spec.name} carries no secret")
            return {}
        if not secret:
            raise TemplateParamsError(f"{spec.name} needs its secret")
        if spec.secret_links == ("code",):
            return {
                "code": secret,
                "otp_line": origin_bound_line(self.settings.otp_domain, secret),
            }
        return {f"{name}_url": self.settings.link(name, secret) for name in spec.secret_links}

    def _fill(self, name: str, context: Mapping[str, object]) -> str:
        return self._jinja().get_template(name).render(context)


def _spec(template: str) -> TemplateSpec:
    spec = TEMPLATES.get(template)
    if spec is None:
        raise TemplateParamsError(f"no message template is called {template[:80]!r}")
    return spec
