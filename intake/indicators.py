"""Indicators of the service window (STATISTICS.md): applications, consultations, duty-lawyer and
drafting matters. Each is defined once here (core/indicators.py); decisions: reports/DECISIONS.md."""

from __future__ import annotations

from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate

from core.indicators import Family, Measure, found_in
from core.periods import SHANGHAI, Period

from .models import Application, Consultation, Matter, SupplementNotice


def _between(field: str, p: Period) -> Q:
    return Q(**{f"{field}__gte": p.start, f"{field}__lte": p.end})


# --- applications ---------------------------------------------------------------------------------

def paused_at(end) -> Q:
    """A supplementation notice issued by the end date and not fulfilled by it: the review clock is paused."""
    return found_in("pk", SupplementNotice.objects.filter(issued_on__lte=end).filter(
        Q(fulfilled_on__isnull=True) | Q(fulfilled_on__gt=end)).values("application_id"))


def _applications(p: Period):
    # A station's preliminary intake is not an application of the center until forwarded; one withdrawn
    # before forwarding never reached the center and counts nowhere.
    # The center receives a station's intake the day it is forwarded: a December intake forwarded in January
    # is a January application of the center, and last year's figures do not move when it arrives.
    return (Application.objects.exclude(status=Application.Status.DRAFT).filter(reached_center=True)
            .annotate(center_received_on=Coalesce(TruncDate("forwarded_at", tzinfo=SHANGHAI), "received_on")))


APPLICATIONS = Family("applications", _applications, "station")


def _decided(p: Period) -> Q:
    return _between("decided_on", p) & Q(status__in=["granted", "refused"])


def _open_at_end(p: Period) -> Q:
    end = p.end
    # decided by the end date: its first decision (a refusal in time stays a decision in time when the bureau
    # overturns it and the grant comes later); rows loaded without it (the scale seed) by decided_on
    decided = Q(first_decided_on__lte=end) | Q(first_decided_on__isnull=True, decided_on__lte=end)
    return (Q(center_received_on__lte=end)
            & ~decided
            & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=end))
            & ~Q(status="withdrawn", withdrawn_on__isnull=True))


received = Measure("applications.received", "收到援助申请", "件", APPLICATIONS,
                   lambda p: _between("center_received_on", p))
granted = Measure("applications.granted", "决定给予援助", "件", APPLICATIONS,
                  lambda p: _between("decided_on", p) & Q(status="granted"))
refused = Measure("applications.refused", "决定不予援助", "件", APPLICATIONS,
                  lambda p: _between("decided_on", p) & Q(status="refused"))
decided = Measure("applications.decided", "审查决定的申请", "件", APPLICATIONS, _decided, published=False)
decided_on_time = Measure(
    "applications.decided.on_time", "按期审查决定的申请", "件", APPLICATIONS,
    lambda p: _decided(p) & (Q(review_due__isnull=True) | Q(decided_on__lte=F("review_due"))), published=False)
# Open at the end date and past the review deadline; a review clock paused for supplementary materials at
# the end date is not running, so that application is not overdue (as on the clerk's workbench).
overdue = Measure("applications.overdue_at_end", "期末逾期未审查的申请", "件", APPLICATIONS,
                  lambda p: _open_at_end(p) & Q(review_due__lt=p.end) & ~paused_at(p.end),
                  stock=True, published=False)

# --- consultations --------------------------------------------------------------------------------

CONSULTATIONS = Family("consultations", lambda p: Consultation.objects.all(), "station")


def _consulted(p: Period, *channels: str) -> Q:
    start, stop = p.datetime_range()
    q = Q(occurred_at__gte=start, occurred_at__lt=stop)
    return q & Q(channel__in=channels) if channels else q


consultations = [
    Measure("consultations.total", "法律咨询", "人次", CONSULTATIONS, lambda p: _consulted(p), "person_count"),
    Measure("consultations.visit", "来访咨询", "人次", CONSULTATIONS, lambda p: _consulted(p, "visit"), "person_count"),
    Measure("consultations.phone", "来电咨询", "人次", CONSULTATIONS, lambda p: _consulted(p, "phone", "hotline"),
            "person_count"),
    Measure("consultations.hotline", "其中12348热线", "人次", CONSULTATIONS, lambda p: _consulted(p, "hotline"),
            "person_count"),
    Measure("consultations.letter", "来信咨询", "人次", CONSULTATIONS, lambda p: _consulted(p, "letter"),
            "person_count"),
    Measure("consultations.online", "网络咨询", "人次", CONSULTATIONS, lambda p: _consulted(p, "online"),
            "person_count"),
    Measure("consultations.event", "活动现场咨询", "人次", CONSULTATIONS, lambda p: _consulted(p, "event"),
            "person_count"),
]
# 来电 without 12348: a slice of the channel chart, not a row of 指标.
phone_only = Measure("consultations.phone_only", "其中普通来电", "人次", CONSULTATIONS,
                     lambda p: _consulted(p, "phone"), "person_count", published=False)

# --- matters --------------------------------------------------------------------------------------

MATTERS = Family("matters", lambda p: Matter.objects.all(), "station")

matters = [
    Measure("matters.duty_lawyer", "值班律师法律帮助", "人次", MATTERS,
            lambda p: _between("date", p) & Q(kind="duty_lawyer"), "person_count"),
    Measure("matters.duty_lawyer.plea", "其中认罪认罚", "人次", MATTERS,
            lambda p: _between("date", p) & Q(kind="duty_lawyer", plea=True), "person_count"),
    # A ledger row "代拟法律文书, 人次 3" is three documents: the person count is summed.
    Measure("matters.drafting", "代拟法律文书", "件", MATTERS,
            lambda p: _between("date", p) & Q(kind="drafting"), "person_count"),
]
