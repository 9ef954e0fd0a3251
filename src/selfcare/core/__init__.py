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
    to_utc,
    utc_field,
)
from selfcare.core.decision import Decision, ParamValue, Violation
from selfcare.core.errors import (
    AlreadyExists,
    ConcurrencyConflict,
    NotFound,
    Refusal,
    SelfcareError,
    StorageError,
    StorageUnavailable,
)
from selfcare.core.events import Event, event_types
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
from selfcare.core.kinds import HTTP_STATUS, Kind
from selfcare.core.messages import LANGUAGES, normalize_language
from selfcare.core.money import Currency, Money
from selfcare.core.outcome import Done, Outcome, Refused, is_done, is_refused

__all__ = [
    "DEFAULT_TIMEZONE",
    "HTTP_STATUS",
    "LANGUAGES",
    "AccountId",
    "AlreadyExists",
    "Clock",
    "ConcurrencyConflict",
    "Currency",
    "CustomerNumber",
    "Decision",
    "Done",
    "Event",
    "FixedClock",
    "IdSource",
    "Kind",
    "Money",
    "NotFound",
    "Outcome",
    "ParamValue",
    "Refusal",
    "Refused",
    "RelationshipId",
    "SecretSource",
    "SelfcareError",
    "SequentialIds",
    "StorageError",
    "StorageUnavailable",
    "SystemClock",
    "SystemSecrets",
    "UuidIds",
    "Violation",
    "add_local_days",
    "add_months",
    "event_types",
    "is_done",
    "is_refused",
    "local_date",
    "month_bounds",
    "normalize_language",
    "operator_zone",
    "require_aware",
    "start_of_local_day",
    "to_utc",
    "utc_field",
]
