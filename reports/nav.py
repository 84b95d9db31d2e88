from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

ITEMS = [
    NavItem(_("Statistics dashboard"), "reports:dashboard", "statistics", capability="dashboard_view", order=10,
            icon="speedometer2"),
    NavItem(_("Reports"), "reports:run_list", "statistics", capability="report_request", order=20,
            icon="file-earmark-bar-graph"),
    NavItem(_("Targets"), "reports:target_list", "statistics", capability="target_manage", order=30, icon="bullseye"),
]
