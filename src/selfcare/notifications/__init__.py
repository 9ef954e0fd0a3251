"""The e-mails and SMS of the portal journeys: templates in fi, sv, nb and en, plain
text and HTML, and the SMS rules.

- :class:`Renderer` turns an :class:`~selfcare.identity.ports.OutgoingMessage` (or a
  template name, language and parameters) into a :class:`RenderedMessage`: subject,
  text and HTML for e-mail; text and segment count for SMS.
- :data:`TEMPLATES` lists every message with its channel and parameters;
  :mod:`selfcare.notifications.samples` has sample parameters for each.
- :func:`sms_size` counts GSM 03.38 septets (or UCS-2 units) and segments.
- :class:`RenderingNotifier` is a :class:`~selfcare.identity.ports.Notifier` that
  renders and hands the result to your :class:`Transport`.

Operators override any template file by file (see :doc:`/guides/notifications`).
Jinja2 is loaded on the first render.
"""

from __future__ import annotations

from selfcare.notifications.content import (
    TEMPLATES,
    DeductionLine,
    OrderLine,
    ParamKind,
    TemplateSpec,
)
from selfcare.notifications.params import TemplateParam, TemplateParamsError
from selfcare.notifications.render import (
    DEFAULT_LINKS,
    NotificationSettings,
    RenderedMessage,
    Renderer,
    TemplateOverrides,
    template_files,
)
from selfcare.notifications.sending import Outbox, RenderingNotifier, Transport
from selfcare.notifications.sms import (
    SmsEncoding,
    SmsSize,
    is_gsm7,
    origin_bound_line,
    sms_size,
)

__all__ = [
    "DEFAULT_LINKS",
    "TEMPLATES",
    "DeductionLine",
    "NotificationSettings",
    "OrderLine",
    "Outbox",
    "ParamKind",
    "RenderedMessage",
    "Renderer",
    "RenderingNotifier",
    "SmsEncoding",
    "SmsSize",
    "TemplateOverrides",
    "TemplateParam",
    "TemplateParamsError",
    "TemplateSpec",
    "Transport",
    "is_gsm7",
    "origin_bound_line",
    "sms_size",
    "template_files",
]
