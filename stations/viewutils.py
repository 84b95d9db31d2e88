"""Small helpers shared by the views of stations and publicity."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)
