import logging

from celery import shared_task
from django.dispatch import Signal
from django.utils import timezone

logger = logging.getLogger(__name__)

# Sent after the daily scan with `today` and `counts`: a higher app (notifications) plugs its reminders in here,
# since cases may not import it. A receiver's failure is logged and never fails the scan.
deadlines_scanned = Signal()


@shared_task(name="cases.scan_deadlines_daily")
def scan_deadlines_daily() -> dict:
    """Count case steps due soon or overdue (the pages compute the same from the due dates), then let the
    receivers of `deadlines_scanned` act on the day: the notifications app sends everyone's morning digest."""
    from .services import deadline_counts

    today = timezone.localdate()
    counts = deadline_counts(today)
    logger.info("case deadlines: %s", counts)
    for receiver, result in deadlines_scanned.send_robust(sender=scan_deadlines_daily, today=today, counts=counts):
        if isinstance(result, Exception):
            logger.error("after the deadline scan, %r failed: %s", receiver, result, exc_info=result)
    return counts
