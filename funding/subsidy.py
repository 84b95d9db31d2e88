"""The subsidy calculation (DOMAIN.md §7): pure, no database access.

`calculate(case, standard_lookup, policy)` gives the amount and the explanation
line by line, so finance and the handler can see how each yuan came about.
The lookup is injected so the rules can be tested without a database; in the app
`standard_lookup_for(year)` reads the year's standards once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.choices import AID_FORM, CATEGORY, GRADE, STAGE

from .money import fmt, to_fen

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Line:
    text: str
    amount: Decimal | None = None

    def as_dict(self) -> dict:
        return {"text": self.text, "amount": None if self.amount is None else str(self.amount)}


StandardLookup = Callable[[str, list[str]], object]


def scope_candidates(case) -> list[str]:
    """Most specific first: the stage, then the aid form, then the whole category ("")."""
    return [s for s in (case.stage, case.aid_form) if s] + [""]


def scope_label(scope: str) -> str:
    if not scope:
        return ""
    if scope in STAGE.codes:
        return STAGE.label(scope)
    return AID_FORM.label(scope)


def grade_amount(standard, grade: str) -> Decimal:
    return {"excellent": standard.amount_excellent, "good": standard.amount_good}.get(grade, standard.amount_pass)


def calculate(case, standard_lookup: StandardLookup, policy) -> tuple[Decimal, list[Line]]:
    """The subsidy of one case and its explanation.

    Rules: the base is the standard of the case's category and stage/aid form for its
    grade (不合格 and terminated cases start from the 合格 amount); add-ons for extra
    recipients of a group case (capped), work outside the county and complex cases are
    added; a 不合格 grade pays the fail share and a terminated case with substantive
    work the termination share, of the whole.
    """
    terminated = case.status == "terminated"
    if terminated and not case.substantive_work:
        raise ValidationError(_("A terminated case without substantive work gets no subsidy."))
    if not terminated and not case.grade:
        raise ValidationError(_("The case has no quality grade yet."))
    if policy is None:
        raise ValidationError(_("There is no subsidy policy for this year; ask the administrator to add one."))
    candidates = scope_candidates(case)
    standard = standard_lookup(case.category, candidates)
    if standard is None:
        raise ValidationError(
            _("No subsidy standard for %(category)s (%(scopes)s) in %(year)s; ask the administrator to add one.")
            % {"category": CATEGORY.label(case.category),
               "scopes": "、".join(scope_label(s) for s in candidates if s) or _("whole category"),
               "year": policy.year}
        )
    lines: list[Line] = []
    grade = case.grade or "pass"
    base = to_fen(grade_amount(standard, grade))
    title = CATEGORY.label(case.category)
    if standard.scope:
        title += "·" + scope_label(standard.scope)
    grade_label = GRADE.label("pass" if grade == "fail" else grade)
    lines.append(Line(_("%(title)s %(grade)s basic subsidy %(amount)s yuan")
                      % {"title": title, "grade": grade_label, "amount": fmt(base)}, base))
    total = base

    extra = case.recipient_count - 1 if case.is_mass else 0
    if extra > 0 and policy.extra_recipient_amount:
        raw = to_fen(policy.extra_recipient_amount * extra)
        add = min(raw, to_fen(policy.extra_recipient_cap))
        text = _("Group case, %(n)s extra recipients × %(each)s yuan = %(raw)s yuan (cap %(cap)s yuan)") % {
            "n": extra, "each": fmt(policy.extra_recipient_amount), "raw": fmt(raw),
            "cap": fmt(policy.extra_recipient_cap)}
        if add < raw:
            text += _(", counted %(add)s yuan") % {"add": fmt(add)}
        lines.append(Line(text, add))
        total += add
    if case.outside_county and policy.outside_county_amount:
        add = to_fen(policy.outside_county_amount)
        lines.append(Line(_("Handled outside the county %(amount)s yuan") % {"amount": fmt(add)}, add))
        total += add
    if case.major and policy.major_case_amount:
        add = to_fen(policy.major_case_amount)
        lines.append(Line(_("Major or complex case %(amount)s yuan") % {"amount": fmt(add)}, add))
        total += add

    share = None
    if terminated:
        share = policy.terminated_share
        reason = _("Terminated case with substantive work: paid at %(share)s%%")
    elif grade == "fail":
        share = policy.fail_share
        reason = _("Graded fail: paid at %(share)s%%")
    if share is not None:
        if len(lines) > 1:
            lines.append(Line(_("Subtotal %(amount)s yuan") % {"amount": fmt(total)}, total))
        total = to_fen(total * Decimal(share) / HUNDRED)
        lines.append(Line(reason % {"share": _share_text(share)} + " " + fmt(total) + " " + _("yuan"), total))
    lines.append(Line(_("Total %(amount)s yuan") % {"amount": fmt(total)}, total))
    return total, lines


def _share_text(share) -> str:
    """50.00 → 50, 37.50 → 37.5"""
    text = f"{Decimal(share):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def standard_lookup_for(year: int) -> StandardLookup:
    """A lookup reading the year's standards with one query."""
    from .models import SubsidyStandard

    table = {(s.category, s.scope): s for s in SubsidyStandard.objects.filter(year=year)}

    def lookup(category: str, scopes: list[str]):
        for scope in scopes:
            if (category, scope) in table:
                return table[(category, scope)]
        return None

    return lookup
