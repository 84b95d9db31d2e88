import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="cases.scan_deadlines_daily")
def scan_deadlines_daily() -> dict:
    """Count case steps due soon or overdue; the pages compute the same from the due dates."""
    from .services import deadline_counts

    counts = deadline_counts()
    logger.info("case deadlines: %s", counts)
    return counts
