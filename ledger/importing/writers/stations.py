"""The firms and handlers named by 案件 rows (stations.Provider, stations.Handler), found or added to the roster.

A handler new to the roster takes the type the file gives it first; an existing handler's type is never
changed by a row (the row's type goes on the case, ``handler_kind``: see writers.cases).
"""

from __future__ import annotations

from ..writing import Context, saved


def provider(name: str, ctx: Context):
    """The firm of that name, else a new one (its kind guessed from the name)."""
    from stations.models import Provider

    if not name:
        return None
    if name not in ctx.providers:
        found = Provider.objects.filter(name=name).first()
        if found is None:
            kind = "grassroots_office" if "法律服务所" in name else ("aid_center" if "法律援助" in name else "law_firm")
            found = saved(Provider(name=name, kind=kind), ctx)
        ctx.providers[name] = found
    return ctx.providers[name]


def handler(name: str, kind: str, provider_name: str, ctx: Context):
    """The roster's handler of that name and firm, else a new one of type `kind`. An existing handler's
    type is left as it is: the row's type goes on the case (``handler_kind``), not on the roster."""
    from stations.models import Handler

    if not name:
        return None
    firm = provider(provider_name, ctx)
    key = (name, firm.pk if firm else None)
    if key not in ctx.handlers:
        qs = Handler.objects.filter(name=name)
        if firm is not None:
            found = qs.filter(provider=firm).first()
        else:
            # No firm given: the one handler of that name, or the one without a firm.
            found = qs.filter(provider__isnull=True).first() or (qs.first() if qs.count() == 1 else None)
        if found is None:
            found = saved(Handler(name=name, kind=kind or "practising_lawyer", provider=firm), ctx)
            ctx.new_handlers.add(found.pk)
        ctx.handlers[key] = found
    return ctx.handlers[key]
