"""Closures of the past, read from the history (simple_history) of stations, contact points, liaisons and
volunteers: each change to inactive with a closing date opens one (its reason and user those of the history row),
the next change back to active ends it on that day (Asia/Shanghai). A record still closed keeps an open one.
Records loaded without history (a scale seed) were never reactivated here, so they need none."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

RECORDS = (("Station", "station"), ("ContactPoint", "contact_point"), ("Liaison", "liaison"),
           ("Volunteer", "volunteer"))


def closures_from_history(apps, schema_editor):
    tz = ZoneInfo(settings.TIME_ZONE)
    Closure = apps.get_model("stations", "Closure")
    if Closure.objects.exists():
        return
    for name, field in RECORDS:
        model = apps.get_model("stations", name)
        historical = apps.get_model("stations", f"Historical{name}")
        closed = historical.objects.filter(active=False, closed_on__isnull=False).values("id")
        rows = (historical.objects.filter(id__in=closed).order_by("id", "history_id")
                .values_list("id", "active", "closed_on", "history_date", "history_change_reason",
                             "history_user_id"))
        existing = set(model.objects.values_list("pk", flat=True))
        still_closed = set(model.objects.filter(active=False).values_list("pk", flat=True))
        made, open_ = [], {}
        for pk, active, closed_on, when, reason, user_id in rows.iterator(chunk_size=2000):
            if pk not in existing:
                continue
            current = open_.get(pk)
            if not active and closed_on is not None and current is None:
                open_[pk] = Closure(**{f"{field}_id": pk}, closed_on=closed_on, reason=(reason or "")[:200],
                                    closed_by_id=user_id)
            elif active and current is not None:
                current.reopened_on = max(when.astimezone(tz).date(), current.closed_on)
                current.reopened_by_id = user_id
                made.append(open_.pop(pk))
        made += [c for pk, c in open_.items() if pk in still_closed]
        Closure.objects.bulk_create(made, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("stations", "0004_closures"),
    ]

    operations = [
        migrations.RunPython(closures_from_history, migrations.RunPython.noop),
    ]
