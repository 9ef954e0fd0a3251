"""Integrator-style code type-checked by ``mypy --strict`` in CI (never run by pytest):
a transport of one's own satisfies the port, the rendering notifier is a Notifier, and
rendered messages are typed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from selfcare.core.money import Money
from selfcare.identity.ports import Notifier, OutgoingMessage
from selfcare.notifications import (
    OrderLine,
    RenderedMessage,
    Renderer,
    RenderingNotifier,
    TemplateParam,
    Transport,
)


class SmsGateway:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, int]] = []

    def deliver(self, recipient: str, message: RenderedMessage) -> None:
        segments: int | None = message.segments
        self.sent.append((recipient, message.text, segments or 0))


def notifier(folder: Path) -> Notifier:
    transport: Transport = SmsGateway()
    return RenderingNotifier(renderer=Renderer(overrides=folder), transport=transport)


def confirmation(renderer: Renderer, message: OutgoingMessage) -> tuple[str | None, str]:
    items: list[OrderLine] = [
        OrderLine(name="Extra Data 15 GB", price=Money("9.90", "EUR"), starts_on=date(2026, 4, 1))
    ]
    params: dict[str, TemplateParam] = {"order_id": "o-1", "items": items}
    order = renderer.render_template("catalog.order_confirmation", language="fi", params=params)
    return order.subject, renderer.render(message).text
