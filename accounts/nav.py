from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

ITEMS = [
    NavItem(_("Users"), "user_list", "admin", capability="user_manage", order=80, icon="person-gear"),
    NavItem(_("Configuration"), "admin:index", "admin", order=90, icon="gear",
            visible=lambda u: u.is_staff),
]
