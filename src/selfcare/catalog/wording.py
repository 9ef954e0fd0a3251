"""Wording: the catalog's refusals as customers read them.

A :class:`~selfcare.core.decision.Violation` names offerings, capabilities and groups by
their ids (``tv_sport``, ``capability:pay_tv_card``), so that it stays the same in
every language and survives serialization. A message shown to a customer names them as
the customer sees them: the offering's display name and, for a capability or a group,
the :class:`CatalogLabel` the operator gives it, in the message's language.

>>> from selfcare.catalog.sample import SAMPLE_LABELS, sample_catalog
>>> from selfcare.core.decision import Violation
>>> missing = Violation("order.missing_prerequisite",
...     {"offering": "tv_sport", "prerequisite": "capability:pay_tv_card"})
>>> customer_message(missing, sample_catalog(), "fi", labels=SAMPLE_LABELS)
"Tuote 'Urheilu Max' edellyttää: voimassa oleva maksu-TV-kortti."
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, cast, final

import attrs

from selfcare.catalog.offerings import Catalog, LocalizedText
from selfcare.core.decision import Violation
from selfcare.core.messages import normalize_language, render

__all__ = ["CatalogLabel", "customer_message", "customer_messages"]

# The parameters that hold one offering id, and the one that holds several.
_OFFERING_PARAMS: Final = ("offering", "conflicting", "current", "item")
_OFFERING_LISTS: Final = ("dependants",)


@final
@attrs.frozen
class CatalogLabel:
    """What customers call a capability (``capability:pay_tv_card``: "a valid pay-TV
    card") or a group of offerings (``group:mobile_plans``: "a mobile subscription"),
    keyed as a :class:`~selfcare.catalog.offerings.Prerequisite` prints."""

    key: str
    names: LocalizedText


def _offering_name(value: object, catalog: Catalog, lang: str) -> object:
    if not isinstance(value, str):
        return value
    offering = catalog.find(value)
    return value if offering is None else offering.names.get(lang)


def _prerequisite_name(
    value: object, catalog: Catalog, lang: str, labels: Mapping[str, LocalizedText]
) -> object:
    if not isinstance(value, str):
        return value
    label = labels.get(value)
    if label is not None:
        return label.get(lang)
    kind, _, ident = value.partition(":")
    if kind == "offering":
        return _offering_name(ident, catalog, lang)
    # No label: the id without its kind, in words, rather than the key itself.
    return ident.replace("_", " ") if ident else value


def customer_message(
    violation: Violation, catalog: Catalog, lang: str = "en", *, labels: Iterable[CatalogLabel] = ()
) -> str:
    """The message of ``violation`` in ``lang`` with every offering, capability and group
    it names in words: the offering's display name, a label's text.

    Raises:
        TypeError: ``violation`` is not a :class:`~selfcare.core.decision.Violation` or
            ``catalog`` not a :class:`~selfcare.catalog.offerings.Catalog`.
    """
    if not isinstance(cast("object", violation), Violation) or not isinstance(
        cast("object", catalog), Catalog
    ):
        msg = "customer_message needs a Violation and a Catalog"
        raise TypeError(msg)
    language = normalize_language(lang)
    by_key = {label.key: label.names for label in labels}
    params: dict[str, object] = dict(violation.params)
    for name in _OFFERING_PARAMS:
        if name in params:
            params[name] = _offering_name(params[name], catalog, language)
    for name in _OFFERING_LISTS:
        value = params.get(name)
        if isinstance(value, tuple):
            params[name] = tuple(str(_offering_name(v, catalog, language)) for v in value)
    if "prerequisite" in params:
        params["prerequisite"] = _prerequisite_name(
            params["prerequisite"], catalog, language, by_key
        )
    return render(violation.code, params, language)


def customer_messages(
    violations: Iterable[Violation],
    catalog: Catalog,
    lang: str = "en",
    *,
    labels: Iterable[CatalogLabel] = (),
) -> tuple[str, ...]:
    """:func:`customer_message` of each of ``violations``."""
    kept = tuple(labels)
    return tuple(customer_message(v, catalog, lang, labels=kept) for v in violations)
