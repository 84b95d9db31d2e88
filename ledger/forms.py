from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stations.models import Station


class LedgerUploadForm(forms.Form):
    file = forms.FileField(label=_("Ledger file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    station = forms.ModelChoiceField(
        label=_("Default station"), queryset=Station.objects.order_by("name"), required=False,
        empty_label=_("The center"),
        help_text=_("For rows whose 工作站 column is empty."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        limit = int(getattr(settings, "LEDGER_MAX_BYTES", 20 * 1024 * 1024))
        if file.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size).1f MB); the limit is %(limit).1f MB."),
                params={"size": file.size / 1024 / 1024, "limit": limit / 1024 / 1024})
        if file.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx)."))
        return file
