"""Customer records as the operator's customer system holds them (model).

A :class:`CustomerRecord` is one customer relationship (a customer number with a
contract of some kind) as read through the
:class:`~selfcare.identity.ports.CustomerDirectory` port. The library never writes it:
what a user edits during registration goes to their e-services profile only (the energy registration
guide).

Matching is by national identity code only, and only by the codes the operator has *on
file* for that customer number. An invoice may carry two people's names (the telecom registration
guide), but only the person whose code is on file is matched:

>>> from datetime import date
>>> from selfcare.identity.national_id import Country, parse_national_id
>>> anna = parse_national_id("131052-308T", Country.FI, today=date(2026, 1, 1))
>>> pekka = parse_national_id("010101-123N", Country.FI, today=date(2026, 1, 1))
>>> record = CustomerRecord(
...     customer_number="100234",
...     kind="broadband_tv",
...     national_ids_on_file=(anna,),
...     names_on_invoice=("Anna Virtanen", "Pekka Virtanen"),
... )
>>> record.is_on_file(anna), record.is_on_file(pekka)
(True, False)
"""

from __future__ import annotations

from typing import final

import attrs

from selfcare.identity.national_id import NationalId
from selfcare.identity.profile import ProfileDraft

__all__ = ["CustomerRecord"]


@final
@attrs.frozen(kw_only=True)
class CustomerRecord:
    """One customer relationship in the operator's customer system.

    Attributes:
        customer_number: the operator's customer (or contract) number.
        kind: the kind of relationship, e.g. ``"electricity"``, ``"district_heating"``,
            ``"broadband_tv"``, ``"mobile"``, ``"corporate_mobile"``.
        national_ids_on_file: whose identity codes the operator has for it. Empty when
            the contract data lacks an identity code (the telecom and energy registration guides):
            nobody can then link it through self-service.
        names_on_invoice: the names printed on the invoice, possibly two people's.
        contact: the contact details on file, as the profile form they prefill
            (the energy registration guide, phase 3), if any. Values are kept as the customer system
            has them - possibly empty or malformed - and are checked only when the user
            confirms the profile.
    """

    customer_number: str
    kind: str
    national_ids_on_file: tuple[NationalId, ...] = ()
    names_on_invoice: tuple[str, ...] = ()
    contact: ProfileDraft | None = None

    def is_on_file(self, national_id: NationalId) -> bool:
        """Whether ``national_id`` is one of the codes on file (compared in compact form)."""
        return any(
            known.country == national_id.country and known.compact == national_id.compact
            for known in self.national_ids_on_file
        )
