from django.utils.translation import gettext_lazy as _

from core.registry import NavItem


def _review_badge(user) -> int:
    from .models import Application

    if user.can("application_decide") and user.is_center:
        # applications to decide and refusals whose objection awaits its outcome (Art. 49), in one count
        from django.db.models import Exists, OuterRef, Q

        from .models import Objection

        pending = Objection.objects.filter(application=OuterRef("pk"), outcome=Objection.Outcome.PENDING)
        return Application.objects.filter(Q(status=Application.Status.UNDER_REVIEW)
                                          | Q(status=Application.Status.REFUSED) & Exists(pending)).count()
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
