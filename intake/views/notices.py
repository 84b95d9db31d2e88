"""Criminal notices (通知辩护, DOMAIN.md §5): registered at the center, each opening a case awaiting
assignment within 3 days."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from applicants.selectors import persons_visible_to
from core.access import capability_required, get_visible
from core.flow import submit
from core.paging import paginate

from .. import services
from ..filters import NoticeFilter
from ..forms import NoticeForm
from ..selectors import notices_visible_to
from ._common import crumbs, id_display


@capability_required("notice_register")
def notice_list(request):
    f = NoticeFilter(request.GET or None, queryset=notices_visible_to(request.user))
    return render(request, "intake/notice_list.html", {
        "filter": f, "page_obj": paginate(request, f.qs),
        "breadcrumbs": crumbs((_("Criminal notices"), None)),
    })


@capability_required("notice_register")
def notice_create(request):
    if not request.user.is_center:
        raise Http404
    initial, person = {}, None
    pid = request.GET.get("person") or request.POST.get("person")
    if pid and str(pid).isascii() and str(pid).isdigit():
        person = get_visible(persons_visible_to(request.user).filter(merged_into__isnull=True), pk=pid)
        initial["person"] = person.pk
    form = NoticeForm(request.POST or None, initial=initial)

    def register(data):
        notice = form.save(commit=False)
        new_person = None
        if data.get("person") is None:  # not registered yet: the service registers the person with the notice
            new_person = {"name": data["p_name"], "id_number": data.get("p_id_number"), "sex": data.get("p_sex"),
                          "birth_date": data.get("p_birth_date")}
        else:
            notice.person = data["person"]
        return services.notice_register(notice=notice, by=request.user, new_person=new_person)

    done = submit(request, form, register,
                  done=lambda result: _("Notice registered; case %(n)s awaits assignment.") % {"n": result[1].number},
                  to=lambda result: reverse("intake:notice_detail", args=[result[0].pk]))
    if done:
        return done
    return render(request, "intake/notice_form.html", {
        "form": form, "person": person,
        "breadcrumbs": crumbs((_("Criminal notices"), reverse("intake:notice_list")), (_("New notice"), None)),
    })


@capability_required("notice_register")
def notice_detail(request, pk):
    notice = get_visible(notices_visible_to(request.user), pk=pk)
    case = getattr(notice, "case", None)
    # the 法律援助公函 of each assignment, and when it went to the organ
    letters = ([a for a in case.assignments.select_related("handler").order_by("assigned_on", "pk") if a.letter_number]
               if case is not None else [])
    return render(request, "intake/notice_detail.html", {
        "notice": notice, "case": case, "letters": letters, **id_display(request, notice.person),
        "breadcrumbs": crumbs((_("Criminal notices"), reverse("intake:notice_list")), (str(notice), None)),
    })
