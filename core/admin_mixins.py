"""What the Django admin may do to a record (issue 12): nothing is hard-deleted, by anybody.

Every model registered in the admin is one of three kinds, and `tests/core/test_admin_no_delete.py`
keeps the list so that a new registration has to be classified:

- Domain records (persons, applications, notices, subsidies, batches, budgets, spending, events,
  report runs, users, role groups, …) use `NoDeleteAdmin`: nobody may delete them, a superuser
  included, and the bulk "delete selected" action disappears with the permission. A record that can
  end is deactivated or withdrawn through its service, which keeps who, when and why. Workflow fields
  (statuses, numbers, decision and payment data, snapshots, import fingerprints, who created it) are
  read-only here: they change only through the services, which check the state and write history.
- Configuration (deadline rules, policies, standards, targets, closed budget years) stays editable
  in a `KeptConfigAdmin`, every change recorded and looked up in its history, and is not deleted either: a
  year's standard or policy is corrected in place, and a closed budget year stays closed (deleting its
  row reopened the year for spending, with no reason kept). The State Council's holiday calendar is the
  one exception: a day entered by mistake is removed, its history keeping it.
- Operational tables of third-party apps (axes login attempts, celery-beat schedules) keep their own
  admin: clearing a lockout or a schedule is what those screens are for, and no figure counts them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class NoDeleteMixin:
    """For any ModelAdmin of a domain record: no deletion, workflow fields read-only."""

    #: Fields that only the services write; shown, never edited, here.
    workflow_fields: tuple[str, ...] = ()
    #: True when a record is born of a service transition (a numbered receipt, a case opened),
    #: so that adding one here would skip what the service does.
    added_only_by_services: bool = False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request, *args) -> bool:
        return not self.added_only_by_services and super().has_add_permission(request, *args)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + [name for name in self.workflow_fields if name not in fields]

    # django-simple-history: its "revert" saves a past version whole, statuses and numbers included,
    # behind the services' back. History stays visible; reverting is not offered and not accepted.
    def has_change_history_permission(self, request, obj=None) -> bool:
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class NoDeleteAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    """The usual admin of a domain record: history shown, nothing deleted."""


class KeptConfigAdmin(SimpleHistoryAdmin):
    """Configuration: edited with history, never deleted (see the module's docstring)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
