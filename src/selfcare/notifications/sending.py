"""Rendering and sending in one step: a :class:`~selfcare.identity.ports.Notifier` for
the services.

:class:`RenderingNotifier` renders each :class:`~selfcare.identity.ports.OutgoingMessage`
a service composes and hands the result to your :class:`Transport` (SMTP, an e-mail
API, an SMS gateway, or an outbox table sent after the commit). :class:`Outbox` is the
transport for tests and demos: it keeps what it was given.

>>> from selfcare.identity.ports import Channel, OutgoingMessage
>>> outbox = Outbox()
>>> notifier = RenderingNotifier(renderer=Renderer(), transport=outbox)
>>> notifier.send(OutgoingMessage(template="account.password_changed",
...     channel=Channel.EMAIL, recipient="maija@example.fi", language="fi"))
>>> recipient, sent = outbox.delivered[0]
>>> recipient, sent.subject
('maija@example.fi', 'Salasanasi on vaihdettu')
"""

from __future__ import annotations

from typing import Protocol

from selfcare.identity.ports import OutgoingMessage
from selfcare.notifications.render import RenderedMessage, Renderer

__all__ = ["Outbox", "RenderingNotifier", "Transport"]


class Transport(Protocol):
    """Delivers rendered messages: your SMTP client, e-mail API or SMS gateway."""

    def deliver(self, recipient: str, message: RenderedMessage) -> None:
        """Send (or queue) ``message`` to ``recipient`` (an e-mail address or an E.164
        phone number, by ``message.channel``)."""
        ...


class RenderingNotifier:
    """A :class:`~selfcare.identity.ports.Notifier` that renders with ``renderer`` and
    delivers through ``transport``. Thread-safe when the transport is."""

    def __init__(self, *, renderer: Renderer, transport: Transport) -> None:
        self.renderer = renderer
        self.transport = transport

    def send(self, message: OutgoingMessage) -> None:
        """Render ``message`` and deliver it to its recipient.

        Raises:
            TemplateParamsError: the message does not fit its template (a
                programming error).
        """
        self.transport.deliver(message.recipient, self.renderer.render(message))


class Outbox:
    """A transport that keeps every delivered message, for tests and demos.

    Attributes:
        delivered: ``(recipient, message)`` pairs in the order they were delivered.
    """

    def __init__(self) -> None:
        self.delivered: list[tuple[str, RenderedMessage]] = []

    def deliver(self, recipient: str, message: RenderedMessage) -> None:
        """Keep ``message``."""
        self.delivered.append((recipient, message))

    def last(self, template: str | None = None) -> RenderedMessage:
        """The last message delivered (of ``template``, when given).

        Raises:
            LookupError: nothing (of ``template``) was delivered.
        """
        for _, message in reversed(self.delivered):
            if template is None or message.template == template:
                return message
        raise LookupError(f"no message {template or ''} was delivered")
