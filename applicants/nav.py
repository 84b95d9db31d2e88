from django.utils.translation import gettext_lazy as _

from core.registry import NavItem

ITEMS = [
    NavItem(_("Applicants"), "applicants:person_list", "intake", capability="applicant_manage", order=15,
            icon="people"),
    NavItem(_("Vulnerable-persons registry"), "applicants:registry_list", "intake", capability="registry_manage",
            order=50, icon="shield-check"),
]
