from django.conf import settings
from django.urls import NoReverseMatch, reverse

from .counts import cached_count
from .registry import SECTIONS, nav_items


def _section_labels():
    from django.utils.translation import gettext_lazy as _

    return {
        "intake": _("Intake"),
        "cases": _("Cases"),
        "network": _("Network"),
        "money": _("Funding"),
        "statistics": _("Statistics"),
        "admin": _("Administration"),
    }


def shell(request):
    """Navigation for the current user, grouped by section, with to-do badges."""
    ctx = {"APP_VERSION": settings.APP_VERSION, "CENTER_NAME": settings.CENTER_NAME}
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return ctx
    labels = _section_labels()
    sections: dict[str, list] = {}
    for item in nav_items():
        if not item.allowed(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        badge = cached_count(item.url_name, user, lambda item=item: item.badge(user)) if item.badge else 0
        sections.setdefault(item.section, []).append(
            {"label": item.label, "url": url, "icon": item.icon, "badge": badge,
             "active": request.path.startswith(url) and url != "/"}
        )
    ctx["nav_sections"] = [
        {"code": code, "label": labels.get(code, code), "items": sections[code]}
        for code in SECTIONS if code in sections
    ]
    return ctx
