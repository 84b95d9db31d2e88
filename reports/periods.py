"""Report periods live in `core.periods` (every app's indicator definitions use them)."""

from core.periods import (  # noqa: F401
    SHANGHAI,
    Period,
    first_year,
    parse_period,
    period_from_input,
    shift_year,
)
