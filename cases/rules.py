"""Pure rules about cases, shared by services, the ledger import and statistics."""

from __future__ import annotations

from core.choices import LITIGATION_FORMS, NON_LITIGATION_FORMS, NON_LITIGATION_STAGES


def is_litigation(*, aid_form: str, stage: str) -> bool:
    """诉讼 vs 非诉讼 (STATISTICS.md cases.accepted.litigation / non_litigation).

    The aid form decides when it is a litigation or non-litigation form; otherwise
    (empty or 其他) the stage does: arbitration, mediation and non-litigation stages
    are outside court, every other stage is litigation. So the two add up to the total.
    """
    if aid_form in LITIGATION_FORMS:
        return True
    if aid_form in NON_LITIGATION_FORMS:
        return False
    return stage not in NON_LITIGATION_STAGES
