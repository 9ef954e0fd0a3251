"""What the demo prints, in one language: narration, refusals, dates, money and the
messages the library composes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Final, TextIO

from selfcare.core.clock import local_date, operator_zone
from selfcare.demo.narration import narration_text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from selfcare.core.decision import Violation
    from selfcare.core.money import Money
    from selfcare.identity.ports import OutgoingMessage

__all__ = ["Printer"]

_DATE_LOCALES: Final = {"en": "en_IE", "fi": "fi_FI", "sv": "sv_SE", "nb": "nb_NO"}

# The narration keys of the order states and product statuses the demo prints.
_STATE_KEYS: Final = {"completed": "state.completed", "active": "state.active"}

# The narration keys of the invoice line kinds.
_CHARGE_KIND_KEYS: Final = {
    "recurring": "charge.recurring",
    "credit": "charge.credit",
    "one_time": "charge.one_time",
}

# The narration keys of the channels messages go by.
_CHANNEL_KEYS: Final = {"email": "channel.email", "sms": "channel.sms"}


class Printer:
    """Prints narration, results and refusals in ``lang`` to ``out``."""

    def __init__(self, out: TextIO, lang: str) -> None:
        self.out = out
        self.lang = lang

    def text(self, key: str, **params: object) -> str:
        """The narration ``key``, filled in, in the printer's language."""
        return narration_text(key, self.lang, **params)

    def say(self, key: str, indent: int = 1, **params: object) -> None:
        """Print the narration ``key``, indented."""
        self.line(self.text(key, **params), indent)

    def line(self, text: str, indent: int = 1) -> None:
        """Print ``text`` indented by ``indent`` steps (an empty line stays empty)."""
        self.out.write(("  " * indent + text if text else "") + "\n")

    def heading(self, key: str) -> None:
        """Print the narration ``key`` as an underlined heading after an empty line."""
        text = self.text(key)
        self.out.write(f"\n{text}\n{'=' * len(text)}\n")

    def bullets(self, lines: Iterable[str]) -> None:
        """Print each of ``lines`` as an item of a list (no-break spaces as spaces)."""
        for line in lines:
            self.line(f"- {line.replace(chr(0xA0), ' ')}", 2)

    def refusal(self, violations: Iterable[Violation]) -> None:
        """Print every reason of a refusal, with the password hints when there are any."""
        from selfcare.identity.password import hint_message  # noqa: PLC0415

        self.say("refused")
        for violation in violations:
            self.line(f"- {violation.message(self.lang)}", 2)
            hints = violation.params.get("hints", ())
            for hint in hints if isinstance(hints, tuple) else ():
                self.line(f"* {hint_message(str(hint), self.lang)}", 3)

    def advice(self, advisories: Iterable[Violation]) -> None:
        """Print each advisory a registration carries."""
        for advisory in advisories:
            self.say("advisory")
            self.line(f"- {advisory.message(self.lang)}", 2)

    def day(self, moment: datetime | date) -> str:
        """A day (a moment: its day in the operator's zone) as the language writes it."""
        from babel.dates import format_date  # noqa: PLC0415 - heavy, loaded on first use

        day = local_date(moment, operator_zone()) if isinstance(moment, datetime) else moment
        text: str = format_date(day, format="medium", locale=_DATE_LOCALES[self.lang])
        return text

    def month(self, year: int, month: int) -> str:
        """A month and year, e.g. "April 2026", "huhtikuu 2026"."""
        from babel.dates import format_date  # noqa: PLC0415

        text: str = format_date(
            date(year, month, 1), format="LLLL y", locale=_DATE_LOCALES[self.lang]
        )
        return text

    def state(self, value: str) -> str:
        """The name of an order state or product status (the value when unnamed)."""
        key = _STATE_KEYS.get(value)
        return value if key is None else self.text(key)

    def charge_kind(self, value: str) -> str:
        """The name of an invoice line's kind (the value when unnamed)."""
        key = _CHARGE_KIND_KEYS.get(value)
        return value if key is None else self.text(key)

    def money(self, amount: Money) -> str:
        """``amount`` as the language writes it, with plain spaces."""
        return amount.format(self.lang).replace("\xa0", " ")

    def message(self, message: OutgoingMessage) -> None:
        """Print who an e-mail or SMS goes to, its template and its parameters."""
        extra = ""
        if message.secret is not None:
            extra = self.text("with_code" if message.channel.value == "sms" else "with_link")
        params = "".join(f" {key}={value}" for key, value in message.params.items() if value)
        self.say(
            "sent",
            channel=self.text(_CHANNEL_KEYS[message.channel.value]),
            recipient=message.recipient,
            template=message.template,
            language=message.language.value,
            extra=extra + params,
        )
