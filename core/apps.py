from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save
        from simple_history.signals import pre_create_historical_record

        from .choices import forget as vocabulary_changed
        from .counts import invalidate
        from .holidays import calendar_changed
        from .middleware import signed_in
        from .models import CalendarDay, VocabularyTerm

        user_logged_in.connect(signed_in, dispatch_uid="core.middleware.signed_in")
        # A reason typed on a form (up to 200 or 500 characters) is the history row's "change reason", a
        # varchar(100): kept to its first 100 characters there, in full on the record that asked for it.
        pre_create_historical_record.connect(_reason_fits, dispatch_uid="core.history.reason_fits")
        post_save.connect(invalidate, dispatch_uid="core.counts.save")
        post_delete.connect(invalidate, dispatch_uid="core.counts.delete")
        # A deadline computed after a holiday was edited, in this request or in another process, uses the edit.
        post_save.connect(calendar_changed, sender=CalendarDay, dispatch_uid="core.holidays.save")
        post_delete.connect(calendar_changed, sender=CalendarDay, dispatch_uid="core.holidays.delete")
        # A term saved in the admin is offered (or no longer offered) at once in this process.
        post_save.connect(vocabulary_changed, sender=VocabularyTerm, dispatch_uid="core.choices.save")


def _reason_fits(sender, history_instance=None, **kwargs) -> None:
    reason = getattr(history_instance, "history_change_reason", None)
    if reason:
        limit = history_instance._meta.get_field("history_change_reason").max_length or 100
        if len(reason) > limit:
            history_instance.history_change_reason = reason[:limit - 1] + "…"
