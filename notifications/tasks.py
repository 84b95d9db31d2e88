from celery import shared_task


@shared_task(name="notifications.send_daily_digest")
def send_daily_digest() -> dict:
    """Everyone's morning digest (also run by cases.scan_deadlines_daily, the beat job)."""
    from .digest import digests_send

    return digests_send()


@shared_task(name="notifications.catch_up")
def deliveries_catch_up() -> int:
    """E-mail and SMS that could not be queued while the broker was down (services.deliveries_catch_up)."""
    from django.conf import settings
    from django.utils import translation

    from .services import deliveries_catch_up as catch_up

    with translation.override(settings.LANGUAGE_CODE):
        return catch_up()


@shared_task(name="notifications.deliver")
def deliver_notification(notification_id: int) -> int:
    """E-mail and SMS of one notification, out of the request; each attempt is logged, none raises."""
    from django.conf import settings
    from django.utils import translation

    from .services import notification_deliver

    with translation.override(settings.LANGUAGE_CODE):  # the logged reasons and the SMS text, as stored
        return len(notification_deliver(notification_id=notification_id))
