"""One way to write a view that changes something (issue 15.4): form → service → message → redirect.

A view builds its form, hands `submit` a callable that runs the service with the cleaned data, and gets back
either a redirect (saved: a success message is shown) or None (a GET, an invalid form, or a service that
refused with a ValidationError, whose messages are now on the form: on the field they name when the form has
it, else on top). A missing capability is never a form error: services raise PermissionDenied (403).
Views do not write; services do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


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
        result = run(form.cleaned_data)
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None
    messages.success(request, done(result) if callable(done) else done)
    target = to(result) if callable(to) else to
    return redirect(target, *args)


def edit(request, form, run: Callable[[dict], object], *, detail: str, pk, page: Callable[[str], HttpResponse],
         done=None) -> HttpResponse:
    """The edit page of a record: `submit` with the update service; saved → `done` ("Changes saved." unless
    said) and back to the detail page (the URL name `detail` with `pk`); otherwise `page(detail_url)`, the
    form again, whose cancel and crumbs lead to that page."""
    saved = submit(request, form, run, done=done or _("Changes saved."), to=detail, args=(pk,))
    return saved or page(reverse(detail, args=[pk]))


def act(request, run: Callable[[], object], *, done, to: str, args: tuple = ()) -> HttpResponse:
    """A button (a POST without a form of its own): run the service, show `done` or its refusal, redirect."""
    try:
        result = run()
    except ValidationError as exc:
        errors_to_messages(request, exc)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect(to, *args)


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
