"""The core layer: results, errors, messages, time, ids and money.

Everything here is imported by the domain packages; nothing here imports them.
"""

from selfcare.core.clock import (
    DEFAULT_TIMEZONE,
    Clock,
    FixedClock,
    SystemClock,
    add_local_days,
    add_months,
    local_date,
    month_bounds,
    operator_zone,
    require_aware,
    start_of_local_day,
)
from selfcare.core.decision import Decision, ParamValue, Violation
from selfcare.core.errors import AlreadyExists, ConcurrencyConflict, NotFound, SelfcareError
from selfcare.core.ids import (
    AccountId,
    CustomerNumber,
    IdSource,
    RelationshipId,
    SecretSource,
    SequentialIds,
    SystemSecrets,
    UuidIds,
)
from selfcare.core.messages import LANGUAGES, normalize_language
from selfcare.core.money import Currency, Money

__all__ = [
    "DEFAULT_TIMEZONE",
    "LANGUAGES",
    "AccountId",
    "AlreadyExists",
    "Clock",
    "ConcurrencyConflict",
    "Currency",
    "CustomerNumber",
    "Decision",
    "FixedClock",
    "IdSource",
    "Money",
    "NotFound",
    "ParamValue",
    "RelationshipId",
    "SecretSource",
    "SelfcareError",
    "SequentialIds",
    "SystemClock",
    "SystemSecrets",
    "UuidIds",
    "Violation",
    "add_local_days",
    "add_months",
    "local_date",
    "month_bounds",
    "normalize_language",
    "operator_zone",
    "require_aware",
    "start_of_local_day",
]
