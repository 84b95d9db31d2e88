"""The inbox (newest first, unread highlighted), opening a message, marking read, and the channel choice."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.access import get_visible
from core.flow import act, submit
from core.paging import paginate

from . import channels, services
from .forms import PreferenceForm
from .selectors import notifications_of


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    qs = notifications_of(request.user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return render(request, "notifications/inbox.html", {
        "page_obj": paginate(request, qs), "unread_only": unread_only,
        "breadcrumbs": [(_("Notifications"), None)],
    })


@login_required
def notification_open(request, pk):
    """Mark the message read and go where it points (the inbox when it points nowhere)."""
    note = get_visible(notifications_of(request.user), pk=pk)
    services.notification_mark_read(notification=note, by=request.user)
    target = note.url if note.url and url_has_allowed_host_and_scheme(
        note.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()) else ""
    return redirect(target or reverse("notifications:inbox"))


@login_required
@require_POST
def notification_read(request, pk):
    note = get_visible(notifications_of(request.user), pk=pk)
    services.notification_mark_read(notification=note, by=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    return act(request, lambda: services.notifications_mark_all_read(by=request.user),
               done=lambda n: _("%(n)s notifications marked read.") % {"n": n}, to=_back(request))


def _back(request) -> str:
    target = request.POST.get("next", "")
    # a path of this site only: a bare word would be taken for a URL name by redirect() (NoReverseMatch)
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:inbox")


@login_required
def preferences(request):
    pref = channels.preference_for(request.user)
    form = PreferenceForm(request.POST or None, user=request.user,
                          initial={"email": pref.email, "sms": pref.sms, "phone": pref.phone})
    saved = submit(request, form, lambda data: services.preference_save(user=request.user, **data),
                   done=_("Your notification channels were saved."), to="notifications:preferences")
    if saved:
        return saved
    return render(request, "notifications/preferences.html", {
        "form": form, "sms_enabled": channels.sms_enabled(),
        "breadcrumbs": [(_("Notifications"), reverse("notifications:inbox")), (_("Channels"), None)],
    })
