import hashlib
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

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


@lru_cache(maxsize=512)
def _url(url_name: str, prefix: str, urlconf) -> str | None:
    """A menu entry's address: the same on every page of a deployment (its prefix and URLconf are the key)."""
    try:
        return reverse(url_name, urlconf=urlconf)
    except NoReverseMatch:
        return None


def shell(request):
    """Navigation for the current user, grouped by section, with to-do badges."""
    ctx = {"APP_VERSION": settings.APP_VERSION, "CENTER_NAME": settings.CENTER_NAME}
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return ctx
    labels = _section_labels()
    sections: dict[str, list] = {}
    prefix, urlconf = get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF
    for item in nav_items():
        if not item.allowed(user):
            continue
        url = _url(item.url_name, prefix, urlconf)
        if url is None:
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
    # Everything the menu shows: base.html keeps the menu's HTML under it (in this process's memory), so the
    # thirty-odd entries are written once per role, page and badge counts, not on every page. The labels are
    # the entries' (each address one entry's) in the language.
    ctx["nav_key"] = hashlib.sha256(repr((get_language(), [
        (s["code"], [(i["url"], i["badge"], i["active"]) for i in s["items"]]) for s in ctx["nav_sections"]
    ])).encode()).hexdigest()
    return ctx
