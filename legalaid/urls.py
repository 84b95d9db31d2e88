from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from core import views as core_views

admin.site.site_header = _("Legal aid case management")
admin.site.site_title = _("Legal aid administration")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("stations/", include("stations.urls")),
    path("applicants/", include("applicants.urls")),
    path("intake/", include("intake.urls")),
    path("cases/", include("cases.urls")),
    path("funding/", include("funding.urls")),
    path("publicity/", include("publicity.urls")),
    path("reports/", include("reports.urls")),
    path("ledger/", include("ledger.urls")),
    path("notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"

