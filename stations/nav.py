from django.utils.translation import gettext_lazy as _

from core.registry import NavItem


def _center(user) -> bool:
    return user.is_center


def _station_user(user) -> bool:
    return not user.is_center and user.can("dashboard_view")


ITEMS = [
    NavItem(_("Stations"), "stations:station_list", "network", capability="station_manage", order=10,
            icon="diagram-3", visible=_center),
    NavItem(_("My station"), "stations:my_station", "network", order=10, icon="house", visible=_station_user),
    NavItem(_("Volunteers"), "stations:volunteer_list", "network", capability="volunteer_manage", order=30,
            icon="people"),
    NavItem(_("Duty roster"), "stations:duty_list", "network", capability="duty_roster_manage", order=40,
            icon="calendar-week"),
]
