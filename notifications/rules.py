"""Who is reminded of what each morning (the daily digest).

Each role's section reads the same selectors and to-do definitions as its 工作台 panels (cases.selectors
overdue_q / due_soon_q, intake.selectors, funding.selectors); "due soon" is a step due within its deadline
rule's `warn_days` (core.models.DeadlineRule, edited in the admin). A person gets one digest a day, listing
every section that applies to them, and none on a day with nothing to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import roles
from core import deadlines

MAX_LINES = 20  # per section: the rest is "and N more" with the list's link


@dataclass
class Section:
    heading: str
    url: str
    lines: list[str] = field(default_factory=list)
    count: int = 0

    def text(self) -> str:
        out = [f"【{self.heading}】"] + [f"· {line}" for line in self.lines[:MAX_LINES]]
        if len(self.lines) > MAX_LINES:
            out.append(_("… and %(n)s more") % {"n": len(self.lines) - MAX_LINES})
        return "\n".join(out)


def warn_days(code: str) -> int:
    return deadlines.rule(code).warn_days


def _day(d) -> str:
    return d.isoformat() if d else ""


# --- who ---------------------------------------------------------------------------------------------------

def is_handler(user) -> bool:
    return user.can("case_work") and not user.can("case_view_all")


def is_clerk(user) -> bool:
    return user.is_center and user.can("application_intake") and not user.can("application_decide")


def is_reviewer(user) -> bool:
    return user.is_center and user.can("application_decide")


def is_finance(user) -> bool:
    return user.can("payment_manage") and user.has_role(roles.FINANCE)


def is_director(user) -> bool:
    return user.is_center and user.can("case_view_all") and user.can("dashboard_view")


# --- what --------------------------------------------------------------------------------------------------

def _handler_steps_q() -> Q:
    """A handler's own steps (cases.home.todo_queryset): the agreement to sign, the file to submit."""
    from cases.workflow import phase_q

    return phase_q("awaiting_agreement") | phase_q("awaiting_file")


def _case_line(case, template: str) -> str:
    from cases.workflow import next_step

    step, due = next_step(case)
    return template % {"number": case.number or f"#{case.pk}", "name": str(case.recipient), "step": step,
                       "due": _day(due)}


def handler_sections(user, today: date) -> list[Section]:
    from cases.models import Case
    from cases.selectors import cases_visible_to

    # The handler's steps run against dates on the case (phases_*), not the center's letters (letters_overdue_q).
    from cases.workflow import phase_q
    from cases.workflow import phases_due_soon_q as due_soon_q
    from cases.workflow import phases_overdue_q as overdue_q

    mine = cases_visible_to(user).filter(handler__user=user).select_related("recipient")
    late = mine.filter(_handler_steps_q()).filter(overdue_q(today)).order_by("agreement_due", "file_due", "pk")
    soon = mine.filter(
        Q(pk__in=Case.objects.filter(phase_q("awaiting_agreement")).filter(due_soon_q(today, warn_days("agreement_sign")))
          .values("pk"))
        | Q(pk__in=Case.objects.filter(phase_q("awaiting_file"))
            .filter(due_soon_q(today, warn_days("file_submit"))).values("pk"))
    ).order_by("agreement_due", "file_due", "pk")
    out = []
    cases_url = reverse("cases:case_list")
    late_lines = [_case_line(c, _("%(number)s %(name)s: %(step)s overdue since %(due)s")) for c in late]
    if late_lines:
        out.append(Section(_("Your overdue cases"), f"{cases_url}?overdue=1", late_lines, len(late_lines)))
    soon_lines = [_case_line(c, _("%(number)s %(name)s: %(step)s due %(due)s")) for c in soon]
    if soon_lines:
        out.append(Section(_("Your cases due soon"), f"{cases_url}?status=assigned", soon_lines, len(soon_lines)))
    return out


def clerk_sections(user, today: date) -> list[Section]:
    from intake.models import Application, SupplementNotice
    from intake.selectors import applications_visible_to

    waiting = (SupplementNotice.objects.filter(
        fulfilled_on__isnull=True, application__status=Application.Status.INCOMPLETE,
        application__in=applications_visible_to(user).values("pk"))
        .select_related("application__applicant").order_by("due_on", "pk"))
    url = reverse("intake:application_list") + "?status=incomplete"

    def line(notice) -> str:
        return _("%(number)s %(name)s: materials due %(due)s") % {
            "number": notice.application.number or f"#{notice.application_id}",
            "name": str(notice.application.applicant), "due": _day(notice.due_on)}

    out = []
    # deem_withdrawn (intake.services) withdraws, on the next morning's run, what is still missing after due_on
    last_day = [line(n) for n in waiting.filter(due_on=today)]
    if last_day:
        out.append(Section(_("Deemed withdrawn tomorrow unless the materials arrive today"), url, last_day,
                           len(last_day)))
    soon = [line(n) for n in waiting.filter(due_on__gt=today,
                                            due_on__lte=today + timedelta(days=warn_days("supplement")))]
    if soon:
        out.append(Section(_("Materials due soon"), url, soon, len(soon)))
    return out


def reviewer_sections(user, today: date) -> list[Section]:
    from intake.models import Application
    from intake.selectors import applications_visible_to, objections_to_decide

    out = []
    review = (applications_visible_to(user).filter(status=Application.Status.UNDER_REVIEW)
              .order_by("review_due", "pk"))
    horizon = today + timedelta(days=warn_days("application_review"))
    lines = []
    for app in review:
        values = {"number": app.number or f"#{app.pk}", "name": str(app.applicant), "due": _day(app.review_due)}
        if app.review_due and app.review_due < today:
            lines.append(_("%(number)s %(name)s: decision overdue since %(due)s") % values)
        elif app.review_due and app.review_due <= horizon:
            lines.append(_("%(number)s %(name)s: decide by %(due)s") % values)
    if lines or review.exists():
        total = review.count()
        heading = _("Applications awaiting your decision: %(n)s") % {"n": total}
        out.append(Section(heading, reverse("intake:application_list") + "?status=under_review", lines, total))
    objections = objections_to_decide(user).filter(
        due_on__lte=today + timedelta(days=warn_days("objection_decide")))
    lines = [_("Objection to %(number)s %(name)s: decision due %(due)s") % {
        "number": o.application.number or f"#{o.application_id}", "name": str(o.application.applicant),
        "due": _day(o.due_on)} for o in objections]
    if lines:
        out.append(Section(_("Objections due"), reverse("intake:application_list") + "?status=refused", lines,
                           len(lines)))
    return out + termination_objection_sections(user, today)


def termination_objection_sections(user, today: date) -> list[Section]:
    """Objections to terminations (Art. 49) whose decision by the justice bureau is due soon or overdue."""
    from cases.models import TerminationObjection
    from cases.selectors import cases_visible_to

    if not (user.is_center and user.can("case_terminate")):
        return []
    due = (TerminationObjection.objects.filter(outcome=TerminationObjection.Outcome.PENDING,
                                               case__in=cases_visible_to(user).values("pk"),
                                               due_on__lte=today + timedelta(days=warn_days("objection_decide")))
           .select_related("case__recipient").order_by("due_on", "pk"))
    lines = [_("Objection to the termination of %(number)s %(name)s: decision due %(due)s") % {
        "number": o.case.number, "name": o.case.recipient.name, "due": _day(o.due_on)} for o in due]
    if not lines:
        return []
    return [Section(_("Objections to terminations due"), reverse("cases:case_list") + "?status=terminated", lines,
                    len(lines))]


def may_send_letters(user) -> bool:
    """Who records the 法律援助公函 as sent (cases.workflow step letter_sent): those who assign cases."""
    return user.is_center and user.can("case_assign")


def letter_sections(user, today: date) -> list[Section]:
    """The 法律援助公函 of notice cases not yet sent (Art. 36: with the assignment, within 3 days of the notice;
    a change of stage's within 3 days of the new notice): overdue, or due within the rule's warn_days."""
    from cases.models import Assignment, StageChange
    from cases.selectors import cases_visible_to
    from cases.workflow import phase_q

    owed = cases_visible_to(user).filter(phase_q("letter_to_send")).values("pk")
    horizon = today + timedelta(days=warn_days("notice_assign"))
    letters = []
    for kind in (Assignment.objects.filter(ended_on__isnull=True), StageChange.objects.all()):
        letters += (kind.filter(case__in=owed, letter_sent_on__isnull=True, letter_due__lte=horizon)
                    .exclude(letter_number="").select_related("case__recipient"))
    lines = []
    for letter in sorted(letters, key=lambda x: (x.letter_due, x.case_id)):
        values = {"number": letter.case.number or f"#{letter.case_id}", "name": str(letter.case.recipient),
                  "letter": letter.letter_number, "due": _day(letter.letter_due)}
        lines.append((_("%(number)s %(name)s: legal-aid letter %(letter)s overdue since %(due)s")
                      if letter.letter_due < today else
                      _("%(number)s %(name)s: send the legal-aid letter %(letter)s by %(due)s")) % values)
    if not lines:
        return []
    return [Section(_("Legal-aid letters to send"), reverse("cases:case_list") + "?phase=letter_to_send", lines,
                    len(lines))]


def finance_sections(user, today: date) -> list[Section]:
    from funding import selectors
    from funding.workflow import BATCH

    batches = list(selectors.batches().filter(BATCH.phase_q("awaiting_payment")).order_by("created_at", "pk"))
    lines = [_("Batch %(number)s: %(count)s subsidies, %(total)s yuan") % {
        "number": b.number, "count": b.count, "total": f"{b.total or 0:,.2f}"} for b in batches]
    if not lines:
        return []
    return [Section(_("Payment batches to pay"), reverse("funding:batch_list"), lines, len(lines))]


def director_sections(user, today: date) -> list[Section]:
    from cases.selectors import cases_visible_to, overdue_q

    late = cases_visible_to(user).filter(overdue_q(today))
    total = late.count()
    if not total:
        return []
    no_handler, center = _("not yet assigned"), _("the center")
    by_handler = [_("%(name)s: %(n)s") % {"name": row["handler__name"] or no_handler, "n": row["n"]}
                  for row in late.values("handler__name").annotate(n=Count("pk")).order_by("-n", "handler__name")]
    by_station = [_("%(name)s: %(n)s") % {"name": row["station__name"] or center, "n": row["n"]}
                  for row in late.values("station__name").annotate(n=Count("pk")).order_by("-n", "station__name")]
    url = reverse("cases:case_list") + "?overdue=1"
    return [
        Section(_("Overdue case deadlines: %(n)s, by handler") % {"n": total}, url, by_handler, total),
        Section(_("Overdue case deadlines by station"), url, by_station),  # the same cases: counted once
    ]


RULES = [
    (is_handler, handler_sections),
    (is_clerk, clerk_sections),
    (is_reviewer, reviewer_sections),
    (may_send_letters, letter_sections),
    (is_finance, finance_sections),
    (is_director, director_sections),
]


def digest_for(user, today: date) -> list[Section]:
    """Every section of this person's digest for the day (empty: no digest). A superuser holds every capability
    only to configure the system (accounts.User.can): without a role of their own they get no digest."""
    if user.is_superuser and not (user.role_codes - {roles.ADMIN}):
        return []
    out: list[Section] = []
    for applies, sections in RULES:
        if user.is_active and applies(user):
            out += sections(user, today)
    return out
