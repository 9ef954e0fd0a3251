"""The sample catalog shipped as package data (``selfcare/catalog/data/sample_catalog.json``).

It holds what the portal guides sell: the pay-TV channels, the MIX package and the
security software of the telecom ordering guide (EUR), the corporate mobile plans "Bedrift Total
A-E" and the add-ons of the corporate mobile guide (NOK), and electricity (EUR) and district heating
(SEK) contracts of the energy company guides. The demo, the docs and the tests use it; an operator
loads their own catalog the same way with :func:`load_catalog`.

>>> catalog = sample_catalog()
>>> [o.id for o in catalog.family("bedrift_total")][2:]
['bedrift_total_c_10gb', 'bedrift_total_d_20gb', 'bedrift_total_e_50gb']
>>> catalog.find("extra_data_5gb").usage_note.get("nb")
'Gjelder databruk i Norge.'
"""

from __future__ import annotations

import functools
import json

from selfcare.catalog.offerings import Catalog, LocalizedText
from selfcare.catalog.wording import CatalogLabel
from selfcare.core.decision import Violation
from selfcare.core.errors import SelfcareError

__all__ = ["SAMPLE_LABELS", "load_catalog", "sample_catalog"]

#: What customers call the capabilities and groups the sample catalog's prerequisites
#: name (the telecom ordering guide's pay-TV card, the corporate mobile guide's mobile
#: subscription).
SAMPLE_LABELS: tuple[CatalogLabel, ...] = (
    CatalogLabel(
        "capability:pay_tv_card",
        LocalizedText(
            en="a valid pay-TV card",
            fi="voimassa oleva maksu-TV-kortti",
            sv="ett giltigt betal-tv-kort",
            nb="et gyldig betal-TV-kort",
        ),
    ),
    CatalogLabel(
        "group:mobile_plans",
        LocalizedText(
            en="a mobile subscription",
            fi="matkapuhelinliittymä",
            sv="ett mobilabonnemang",
            nb="et mobilabonnement",
        ),
    ),
)


def load_catalog(text: str | bytes) -> Catalog:
    """A catalog from its JSON document (``{"offerings": [...]}``, the format of
    :func:`selfcare.serialization.unstructure`).

    Raises:
        SelfcareError: ``serialization.invalid_value`` for text that is not JSON, the
            other ``serialization.*`` codes for a document of the wrong shape, and the
            ``catalog.*`` codes of an invalid offering.
    """
    from selfcare.serialization import structure  # noqa: PLC0415 - cattrs on first use

    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise SelfcareError(
            Violation("serialization.invalid_value", {"path": "$", "expected": "a JSON document"})
        ) from None
    return structure(data, Catalog)


@functools.cache
def sample_catalog() -> Catalog:
    """The sample catalog (loaded once)."""
    from importlib.resources import files  # noqa: PLC0415 - on first use

    return load_catalog(files("selfcare.catalog").joinpath("data/sample_catalog.json").read_bytes())
