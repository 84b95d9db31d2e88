"""One writer per sheet, grouped by the app whose records it writes: `writer(rows, ctx) -> (created, matched)`."""

from __future__ import annotations

from collections.abc import Callable

from .applicants import write_registry
from .cases import write_cases
from .funding import write_budget, write_spending
from .intake import write_consultations, write_matters
from .publicity import write_events, write_media

WRITERS: dict[str, Callable] = {
    "案件": write_cases,
    "咨询": write_consultations,
    "宣传活动": write_events,
    "媒体报道": write_media,
    "值班与代书": write_matters,
    "经费预算": write_budget,
    "经费支出": write_spending,
    "困难群体": write_registry,
}
