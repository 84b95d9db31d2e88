"""One way to write a view that changes something (issue 15.4): form → service → message → redirect.

A view builds its form, hands `submit` a callable that runs the service with the cleaned data, and gets back
either a redirect (saved: a success message is shown) or None (a GET, an invalid form, or a service that
refused with a ValidationError, whose messages are now on the form: on the field they name when the form has
it, else on top). A missing capability is never a form error: services raise PermissionDenied (403).
Views do not write; services do.

Every POST form carries a number of its own (`_once`, written by `{% csrf_token %}`: core.templatetags.form_once).
`submit`, `act` and `act_with` take it in the same transaction as the service's writes: the same form sent again
(a double click, a retry after a timeout, the same POST waiting behind the first one) runs nothing and leads
where the first sending went, saying so. A refused or invalid sending leaves the number unused, so the corrected
form can be sent. A POST without the number (an API client, a page from before) runs as it always did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormToken

ONCE_FIELD = "_once"
FORM_TOKEN_DAYS = 7  # a form left open longer than this and then sent is saved again (its number is forgotten)


def once(request, run: Callable[[], object], *, done, to: str | Callable[[object], str],
         fallback: str) -> HttpResponse:
    """Run `run()` once per sending of the posted form: saved → the message `done` (text, or a callable of the
    result) and a redirect to `to` (a URL, or a callable of the result giving one), which a second sending of
    the same form is led to as well. A ValidationError of `run` leaves the form's number unused and is raised
    on, with whatever `run` wrote before it kept as without a number. A form sent before → nothing runs: a
    message saying so and a redirect where the first sending went (`fallback` when that is not known); a first
    sending still under way is waited for (the unique key), so the answer follows its outcome."""
    token = posted_token(request)
    if token is None:
        return _run(request, run, done=done, to=to, token=None)
    user = request.user if getattr(request, "user", None) is not None and request.user.is_authenticated else None
    with transaction.atomic(using=DEFAULT_DB_ALIAS):  # the number and the writes: one transaction, even outside
        sent = _digest(request)                       # ATOMIC_REQUESTS
        try:
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                FormToken.objects.using(DEFAULT_DB_ALIAS).create(token=token, user=user, digest=sent)
        except IntegrityError:
            first = FormToken.objects.using(DEFAULT_DB_ALIAS).filter(token=token).first()
            mine = first is not None and first.user_id == (user.pk if user else None)
            if mine and first.digest != sent:  # the page kept by Back, changed and sent again: a new sending
                return _run(request, run, done=done, to=to, token=None)
            messages.info(request, _("This form was already sent; it was saved once."))
            return redirect(first.done_url if mine and first.done_url else fallback)
        try:
            return _run(request, run, done=done, to=to, token=token)
        except ValidationError as exc:
            refusal = exc
            FormToken.objects.using(DEFAULT_DB_ALIAS).filter(token=token).delete()
    raise refusal


def _run(request, run, *, done, to, token: uuid.UUID | None) -> HttpResponse:
    result = run()
    messages.success(request, done(result) if callable(done) else done)
    target = resolve_url(to(result) if callable(to) else to)
    if token is not None:
        FormToken.objects.using(DEFAULT_DB_ALIAS).filter(token=token).update(done_url=target[:2000])
    return redirect(target)


def posted_token(request) -> uuid.UUID | None:
    """The `_once` number a POST carries, or None (none, or not one we wrote: then the POST runs as before)."""
    if request.method != "POST":
        return None
    value = request.POST.get(ONCE_FIELD)
    if not value or len(value) > 36:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _digest(request) -> str:
    """What a POST sent (its fields but the two numbers, its files by name and size), as a fingerprint."""
    fields = sorted((k, tuple(request.POST.getlist(k))) for k in request.POST
                    if k not in (ONCE_FIELD, "csrfmiddlewaretoken"))
    files = sorted((k, tuple((f.name, f.size) for f in request.FILES.getlist(k))) for k in request.FILES)
    return hashlib.sha256(repr((fields, files)).encode()).hexdigest()


def form_tokens_expire(*, days: int = FORM_TOKEN_DAYS) -> int:
    """Forget the numbers of forms sent more than `days` ago (technical rows, not records); how many."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    return FormToken.objects.using(DEFAULT_DB_ALIAS).filter(created_at__lt=cutoff).delete()[0]


def errors_to_form(form, exc: ValidationError) -> None:
    """The one mapping of a service's ValidationError to a form's errors."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def errors_to_messages(request, exc: ValidationError) -> None:
    """The same refusal on a page without a form of its own (a button): each message as an error message."""
    for message in exc.messages:
        messages.error(request, message)


def submit(request, form, run: Callable[[dict], object], *, done, to: str | Callable[[object], str],
           args: tuple = ()) -> HttpResponse | None:
    """Run `run(cleaned_data)` when `form` was posted and is valid. Saved: show `done` (a string, or a callable
    of the result) and redirect to `to` (a URL name with `args`, a URL, or a callable of the result).
    Otherwise None, with any refusal of the service on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return once(request, lambda: run(form.cleaned_data), done=done,
                    to=lambda result: resolve_url(to(result) if callable(to) else to, *args),
                    fallback=request.get_full_path())
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None


def edit(request, form, run: Callable[[dict], object], *, detail: str, pk, page: Callable[[str], HttpResponse],
         done=None) -> HttpResponse:
    """The edit page of a record: `submit` with the update service; saved → `done` ("Changes saved." unless
    said) and back to the detail page (the URL name `detail` with `pk`); otherwise `page(detail_url)`, the
    form again, whose cancel and crumbs lead to that page."""
    saved = submit(request, form, run, done=done or _("Changes saved."), to=detail, args=(pk,))
    return saved or page(reverse(detail, args=[pk]))


def act(request, run: Callable[[], object], *, done, to: str, args: tuple = ()) -> HttpResponse:
    """A button (a POST without a form of its own): run the service, show `done` or its refusal, redirect."""
    target = resolve_url(to, *args)
    try:
        return once(request, run, done=done, to=target, fallback=target)
    except ValidationError as exc:
        errors_to_messages(request, exc)
        return redirect(target)


def field_errors_to_messages(request, form) -> None:
    """A bad field of a small form posted from another page comes back there as a message naming the field."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)


def act_with(request, form, run: Callable[[dict], object], *, done, to: str, args: tuple = ()) -> HttpResponse:
    """A small form posted from another page (a form inside the case page): run the service with the cleaned
    data when the form is valid; the result, the service's refusal or the form's errors come back as messages
    on that page."""
    if form.is_valid():
        return act(request, lambda: run(form.cleaned_data), done=done, to=to, args=args)
    field_errors_to_messages(request, form)
    return redirect(to, *args)
