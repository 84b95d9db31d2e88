"""To-do counts shown on every page (the navigation's badges) from a shared cache, so a page view on a
province's data never counts a whole table.

A count is kept per user for COUNTS_CACHE_SECONDS (60) and dropped at once when any record of the project's
apps is saved or deleted: every save moves a generation number that is part of each key (core.apps connects
it). Writes made with QuerySet.update() send no signal: their counts catch up within the minute. When the
cache cannot be reached (Redis stopped) the count is made directly: the page never fails for it.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import pickle
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

ALIAS = "shared"
GENERATION = "counts:generation"
# Apps whose records the to-do counts read (the apps of the project, not sessions, logs or job rows).
WATCHED_APPS = {"accounts", "stations", "applicants", "intake", "cases", "funding", "publicity"}


def _cache():
    return caches[ALIAS]


def _generation(cache) -> int:
    value = cache.get(GENERATION)
    if value is None:
        cache.add(GENERATION, 1, None)
        value = cache.get(GENERATION) or 1
    return int(value)


def cached(name: str, scope, make: Callable[[], object], *, settle: bool = False):
    """`make()`'s value for this name and scope (a user's pk, a station and a period…), from the shared cache
    while no watched record changed and for at most COUNTS_CACHE_SECONDS; made directly without the cache.

    `settle=True` is for figures that cost seconds on a province (dashboard, home figures): after a change
    the value made before it is still served for up to FIGURES_SETTLE_SECONDS (30), so a busy center with a
    write every second recomputes them twice a minute, not on every view; a quiet one sees a change at once
    once that window has passed since the figures were made. When such a value is due to be made afresh, the
    page is served the one it has and the value is made again beside it (one refresh at a time, in a thread
    of the web process). The value is kept FIGURES_KEEP_SECONDS (a day) for that: the first view of the
    morning gets last evening's figures at once (with their time, `settled_at`) while today's are made, and
    reports.warm_figures keeps the county's no older than a few minutes. Each value made is also kept in
    PostgreSQL (core.KeptFigures): an empty cache (a new or flushed Redis, a value past its day) serves that
    copy and makes the value afresh beside the page. Only figures never made before make a page wait.

    Without the cache (Redis stopped) a count is made directly; settled figures are served from their copy,
    made afresh beside the page at most once per settle window in each process (else every view of a
    province's dashboard would make them, seconds each)."""
    made: dict = {}

    def making():
        try:
            made["value"] = make()
        except BaseException:
            made["failed"] = True
            raise
        return made["value"]

    try:
        cache = _cache()
        if settle:
            return _settled(cache, name, scope, making)
        key = f"counts:{_generation(cache)}:{name}:{scope}"
        value = cache.get(key)
        if value is None:
            value = making()
            cache.set(key, value, int(getattr(settings, "COUNTS_CACHE_SECONDS", 60)))
        return value
    except Exception as exc:  # noqa: BLE001 - the cache is a convenience: make it directly
        if made.get("failed"):
            raise  # the making failed, not the cache
        if "value" in made:
            return made["value"]  # made; only keeping it failed
        logger.warning("counts cache unavailable: %s", exc)
        if settle:
            return _without_cache(f"settled:{name}:{scope}", make)
        return make()


_uncached_refreshes: dict[str, float] = {}  # settled key -> when this process last started its refresh


def _without_cache(key: str, make: Callable[[], object]):
    """A settled value while the cache cannot be reached: its copy in PostgreSQL, made afresh beside the page
    once per FIGURES_SETTLE_SECONDS in this process; made for the page when there is no copy or no window."""
    settle = int(getattr(settings, "FIGURES_SETTLE_SECONDS", 30))
    hit = _kept(key) if settle > 0 else None  # no settle window: every change counts at once
    if hit is None:
        value, now = make(), time.time()
        _keep_copy(key, now, value)
        return value
    now = time.time()
    if now - _uncached_refreshes.get(key, 0.0) >= settle:
        _uncached_refreshes[key] = now
        _start(_refresher(None, key, 0, make, 0))
    return hit[2]


REFRESH_LOCK_SECONDS = 300  # a refresh that died (its process killed) lets another start after this


def _settled(cache, name: str, scope, make: Callable[[], object]):
    generation, now = _generation(cache), time.time()
    key = f"settled:{name}:{scope}"
    fresh = int(getattr(settings, "COUNTS_CACHE_SECONDS", 60))
    settle = int(getattr(settings, "FIGURES_SETTLE_SECONDS", 30))
    hit = cache.get(key)
    if hit is None and settle > 0:
        hit = _kept(key)  # a new or flushed Redis: the copy in PostgreSQL, of no known generation
        if hit is not None:
            cache.set(key, hit, _keep(fresh))
    if hit is not None:
        made_generation, made_at, value = hit
        age = now - made_at
        if age < (fresh if made_generation == generation else min(settle, fresh)):
            return value
        if settle > 0:
            if cache.add(f"refreshing:{key}", 1, REFRESH_LOCK_SECONDS):
                _start(_refresher(cache, key, generation, make, fresh))
            return value  # made afresh beside this page (or being made by another)
    value = make()
    cache.set(key, (generation, now, value), _keep(fresh))
    _keep_copy(key, now, value)
    return value


def _kept(key: str):
    """(None, made at, value) of the copy kept in PostgreSQL, or None (none yet, or unreadable)."""
    from django.db import transaction

    from .models import KeptFigures

    try:
        with transaction.atomic(using="default"):  # a failure here must not spoil the page's transaction
            row = KeptFigures.objects.using("default").filter(key=key).values_list("made_at", "value").first()
        return None if row is None else (None, row[0].timestamp(), pickle.loads(bytes(row[1])))
    except Exception:  # noqa: BLE001 - no copy: the figures are made for the page as before
        logger.exception("reading the kept copy of %s failed", key)
        return None


def _keep_copy(key: str, made_at: float, value) -> None:
    """Write the figures' copy in PostgreSQL over the last (one INSERT … ON CONFLICT DO UPDATE)."""
    from datetime import UTC, datetime

    from django.db import transaction

    from .models import KeptFigures

    try:
        with transaction.atomic(using="default"):
            KeptFigures.objects.using("default").bulk_create(
                [KeptFigures(key=key, value=pickle.dumps(value), made_at=datetime.fromtimestamp(made_at, UTC))],
                update_conflicts=True, unique_fields=["key"], update_fields=["value", "made_at"])
    except Exception:  # noqa: BLE001 - the cache still has them; the copy is only for a new Redis
        logger.exception("keeping a copy of %s failed", key)


def _keep(fresh: int) -> int:
    return max(fresh * 2, int(getattr(settings, "FIGURES_KEEP_SECONDS", 24 * 60 * 60)))


def refresh(name: str, scope, make: Callable[[], object]) -> bool:
    """Make a settled value afresh now and keep it (a periodic task warming the figures pages read); False
    when another refresh of it is under way, or the cache cannot be reached."""
    try:
        cache = _cache()
        key = f"settled:{name}:{scope}"
        if not cache.add(f"refreshing:{key}", 1, REFRESH_LOCK_SECONDS):
            return False
    except Exception as exc:  # noqa: BLE001 - nothing to warm without the cache
        logger.warning("counts cache unavailable: %s", exc)
        return False
    _refresher(cache, key, _generation(cache), make, int(getattr(settings, "COUNTS_CACHE_SECONDS", 60)))()
    return True


def settled_at(name: str, scope) -> float | None:
    """When the settled value of this name and scope now in the cache was made (a Unix time), or None."""
    try:
        hit = _cache().get(f"settled:{name}:{scope}")
    except Exception:  # noqa: BLE001 - no cache: the figures shown are the copy in PostgreSQL
        hit = _kept(f"settled:{name}:{scope}")
    return hit[1] if hit is not None else None


def _refresher(cache, key: str, generation: int, make: Callable[[], object], fresh: int) -> Callable[[], None]:
    """The refresh, run with the page's context (its language, its replica choice)."""
    from django.utils import translation

    context, language = contextvars.copy_context(), translation.get_language()

    def in_context():
        with translation.override(language):
            return make()

    def run() -> None:
        try:
            made_at = time.time()
            value = context.run(in_context)
            _keep_copy(key, made_at, value)
            if cache is not None:  # None: made while the cache cannot be reached (the copy alone)
                cache.set(key, (generation, made_at, value), _keep(fresh))
        except Exception:  # noqa: BLE001 - the next view makes it directly once the value expires
            logger.exception("refreshing %s failed", key)
        finally:
            if cache is not None:
                try:
                    cache.delete(f"refreshing:{key}")
                except Exception:  # noqa: BLE001 - the lock expires by itself (REFRESH_LOCK_SECONDS)
                    logger.warning("could not free the refresh of %s", key)

    return run


def _start(run: Callable[[], None]) -> None:
    from django.db import connections

    def target() -> None:
        try:
            run()
        finally:
            connections.close_all()  # this thread's connections only (they are per thread)

    threading.Thread(target=target, name="figures-refresh", daemon=True).start()


def cached_totals(name: str, qs, make: Callable[[], dict]) -> dict:
    """The totals line of a (filtered, scoped) list, `make()` over `qs`, cached under the list's own SQL: a
    province's subsidy list no longer sums every subsidy on every page view. Invalidated like the counts."""
    try:
        sql, params = _rows_sql(qs)
    except Exception:  # noqa: BLE001 - an empty filter (pk__in=[]) has no SQL: nothing to save
        return make()
    return cached(name, hashlib.sha256(repr((sql, params)).encode()).hexdigest(), make)


def _rows_sql(qs):
    """The SQL that says which rows a queryset has: its keys alone, with its filters, joins, distinct and
    slice (the columns a list shows, its select_related, cost a compilation as long and name no other rows).
    Kept on the queryset: a list's count and its totals both ask for it (a third of a millisecond each)."""
    kept = qs.__dict__.get("_rows_sql")
    if kept is not None:
        return kept
    try:
        found = qs.values("pk").query.sql_with_params()
    except Exception:  # noqa: BLE001 - a combined query (a union of searches) keeps its own columns
        found = qs.query.sql_with_params()
    qs.__dict__["_rows_sql"] = found
    return found


def cached_count(name: str, user, count: Callable[[], int]) -> int:
    return int(cached(name, user.pk, count))


def invalidate(sender=None, **kwargs) -> None:
    """A saved or deleted record of a watched app: every count is made afresh on the next page.

    The generation moves at once and again when the transaction commits (once per transaction, however many
    records it saves): a page that counted between the save and the commit read the rows as they were, and
    its count, kept under the new generation, would otherwise show them until COUNTS_CACHE_SECONDS passed."""
    if sender is not None and sender._meta.app_label not in WATCHED_APPS:
        return
    _bump()
    from django.db import connections, transaction

    connection = connections[kwargs.get("using") or "default"]
    if connection.in_atomic_block and not any(func is _bump for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_bump, using=connection.alias)


def _bump() -> None:
    try:
        cache = _cache()
        try:
            cache.incr(GENERATION)
        except ValueError:  # not set yet (or expired from a LocMem cache)
            cache.add(GENERATION, 2, None)
    except Exception as exc:  # noqa: BLE001 - counts expire within COUNTS_CACHE_SECONDS anyway
        logger.warning("counts cache unavailable: %s", exc)
