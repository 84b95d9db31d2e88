from celery import shared_task


@shared_task(name="intake.deem_withdrawn_daily")
def deem_withdrawn_daily() -> int:
    """Applications whose supplementation notice passed its date are deemed withdrawn (Art. 43)."""
    from .services import deem_withdrawn

    return deem_withdrawn()
