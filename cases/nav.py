from django.utils.translation import gettext_lazy as _

from core.registry import NavItem


def _may_list(user):
    from .selectors import may_list_cases

    return may_list_cases(user)


def _todo(user) -> int:
    """One cheap count: the cases waiting for this user's next step."""
    from .home import todo_queryset

    return todo_queryset(user).count()


ITEMS = [
    NavItem(_("Cases"), "cases:case_list", "cases", order=10, icon="bi-folder2-open", visible=_may_list,
            badge=_todo),
    NavItem(_("Handlers"), "cases:handler_list", "network", capability="roster_manage", order=30,
            icon="bi-person-badge"),
]
