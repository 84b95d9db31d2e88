from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

ITEMS = [
    NavItem(_("Configuration"), "admin:index", "admin", order=90, icon="gear",
            visible=lambda u: u.is_staff),
]
