from django.utils.translation import gettext_lazy as _

from core.registry import NavItem


def _review_badge(user) -> int:
    from .models import Application

    if user.can("application_decide") and user.is_center:
        return Application.objects.filter(status=Application.Status.UNDER_REVIEW).count()
    if user.is_center:
        return Application.objects.filter(status=Application.Status.RECEIVED).count()
    return Application.objects.filter(status=Application.Status.DRAFT, station_id=user.station_id).count()


ITEMS = [
    NavItem(_("Consultations"), "intake:consultation_list", "intake", capability="consultation_log", order=10,
            icon="chat-dots"),
    NavItem(_("Applications"), "intake:application_list", "intake", capability="application_intake", order=20,
            icon="file-earmark-text", badge=_review_badge),
    NavItem(_("Criminal notices"), "intake:notice_list", "intake", capability="notice_register", order=30,
            icon="bell", visible=lambda u: u.is_center),
    NavItem(_("Duty help and drafting"), "intake:matter_list", "intake", capability="matter_log", order=40,
            icon="pen"),
]
