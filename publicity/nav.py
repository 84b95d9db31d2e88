from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

ITEMS = [
    NavItem(_("Publicity events"), "publicity:event_list", "network", capability="publicity_log", order=20,
            icon="megaphone"),
    NavItem(_("Media reports"), "publicity:media_list", "network", capability="publicity_log", order=25,
            icon="newspaper"),
]
