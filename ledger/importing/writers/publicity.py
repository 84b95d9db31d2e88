"""宣传活动 and 媒体报道: publicity.Event and publicity.MediaReport."""

from __future__ import annotations

from ..writing import bulk, new_rows, user_of


def write_events(rows, ctx):
    from publicity.models import Event

    fresh, matched = new_rows("宣传活动", Event, rows)
    objs = [Event(date=r.values["date"], title=r.values["title"], form=r.values["form"], place=r.values["place"],
                  station=r.values["station"], materials=r.values["materials"], onsite=r.values["onsite"],
                  audience=r.values["audience"], import_fingerprint=fp, created_by=user_of(ctx))
            for r, fp in fresh]
    bulk(Event, objs, ctx)
    return len(objs), matched


def write_media(rows, ctx):
    from publicity.models import MediaReport

    fresh, matched = new_rows("媒体报道", MediaReport, rows)
    objs = [MediaReport(date=r.values["date"], outlet=r.values["outlet"], level=r.values["level"],
                        title=r.values["title"], link=r.values["link"], station=ctx.station,
                        import_fingerprint=fp)
            for r, fp in fresh]
    bulk(MediaReport, objs, ctx)
    return len(objs), matched
