from django.utils.translation import gettext_lazy as _

from core.registry import NavItem


def _review_badge(user) -> int:
    """The applications waiting for this user's step, as the phases of the transition table say: for deciders
    those to decide and the refusals whose objection awaits its outcome (Art. 49), for the window the received
    ones, for station staff their preliminary intake to forward."""
    from .models import Application
    from .selectors import todo_q

    return Application.objects.filter(todo_q(user)).count()


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
