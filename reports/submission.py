"""Submitted reports (上报): a built half-year or annual report whose figures the director sends to the
司法局. Its files, its figures and the records each figure counted are frozen; a later rebuild of the
same period shows every figure that differs and the records that came or went since."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.indicators import Measure

from . import indicators as ind
from .models import ReportRun, SubmittedFigure
from .periods import Period

SUBMITTABLE_KINDS = {"year", "h1", "h2"}
MAX_LISTED = 50  # records named per figure and direction; the counts are always complete


def figure_text(value) -> str:
    """A figure as stored: '' for empty, money with two decimals, rates with one."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def figure_value(text: str, unit: str):
    """A figure stored as text (figure_text) as the number it was: money a Decimal, a rate a float, a count an
    int, so that a sheet can subtract and sum them; empty stays empty."""
    if not text:
        return None
    try:
        if unit == "元":
            return Decimal(text)
        return float(text) if "." in text else int(text)
    except (ValueError, ArithmeticError):
        return text


def figures_of(values: dict) -> dict[str, str]:
    return {code: figure_text(values[code]) for code in ind.CODES}


def sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _workbook_missing() -> str:
    return _("The built workbook is no longer on the server (removed or lost): build the report again, check it "
             "and submit the new one.")


def submitted_version(period_code: str, station, *, exclude=None) -> ReportRun | None:
    qs = ReportRun.objects.filter(period=period_code, station=station, submitted_at__isnull=False)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.select_related("submitted_by").first()


def submit_problem(run: ReportRun) -> str | None:
    """Why this run cannot be submitted, in words for the director; None when it can."""
    if run.submitted_at is not None:
        return _("This report has been submitted.")
    if run.status != ReportRun.Status.DONE or not run.xlsx:
        return _("Only a finished report can be submitted.")
    if not run.xlsx.storage.exists(run.xlsx.name):  # what is submitted is the file that was built
        return _workbook_missing()
    try:
        p = run.as_period()
    except ValidationError:
        return _("The period of this report is not valid.")
    if p.kind not in SUBMITTABLE_KINDS or p.running:
        return _("Only a half-year or annual report of a period that has ended can be submitted.")
    if not run.figures:
        return _("This report was built before figures were recorded with it: build it again.")
    other = submitted_version(run.period, run.station, exclude=run)
    if other is not None:
        return _("This period already has a submitted version (report %(pk)s).") % {"pk": other.pk}
    return None


def _records(measure: Measure, p: Period, station) -> list[int]:
    return sorted(measure.records(p, station).values_list("pk", flat=True))


@transaction.atomic
def report_run_submit(*, run: ReportRun, by) -> ReportRun:
    """Mark a built report as submitted: its figures and the records behind them are stored and frozen.

    Refused when today's figures are no longer those in the built files (build again, check, submit)."""
    if by is None or not by.can("report_submit"):
        raise PermissionDenied
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    problem = submit_problem(run)
    if problem:
        raise ValidationError(problem)
    p = run.as_period()
    values = ind.REGISTRY.evaluate(p, run.station)
    now = figures_of(values)
    changed = [ind.REGISTRY[c].name for c in ind.CODES if now[c] != run.figures.get(c)]
    if changed:
        raise ValidationError(_("The data changed after this report was built (%(names)s): build it again, check "
                                "it and submit the new one.") % {"names": "、".join(changed[:8])})
    if run.xlsx_sha256:
        try:
            built = sha256(run.xlsx.path) == run.xlsx_sha256
        except OSError:  # removed since submit_problem looked, or unreadable
            raise ValidationError(_workbook_missing()) from None
        if not built:
            raise ValidationError(_("The workbook file is not the one that was built: build the report again."))
    rows = []
    for item in ind.REGISTRY:
        records = None
        if isinstance(item, Measure) and not (run.station is not None and item.family.station_field is None):
            records = _records(item, p, run.station)
        rows.append(SubmittedFigure(run=run, code=item.code, value=figure_text(values[item.code]), records=records))
    SubmittedFigure.objects.bulk_create(rows)
    run.submitted_at = timezone.now()
    run.submitted_by = by
    run.save(update_fields=["submitted_at", "submitted_by"])
    return run


def _labels(model, pks) -> list[str]:
    objs = model.objects.filter(pk__in=list(pks)[:MAX_LISTED]).order_by("pk")
    return [str(o) for o in objs]


def differences(p: Period, station, values: dict, submitted: ReportRun) -> list[dict]:
    """Every published figure that differs from the submitted version, with the records that were added to or
    dropped from the lists behind it since (for a rate or a total: behind its parts)."""
    frozen = {f.code: f for f in submitted.submitted_figures.all()}
    now = figures_of(values)
    out = []
    for code in ind.CODES:
        before = frozen[code].value if code in frozen else ""
        if now[code] == before:
            continue
        changes = []
        for part in sorted(ind.REGISTRY.needed([code])):
            item = ind.REGISTRY[part]
            if not isinstance(item, Measure) or part not in frozen or frozen[part].records is None:
                continue
            then, current = set(frozen[part].records), set(_records(item, p, station))
            added, removed = sorted(current - then), sorted(then - current)
            if added or removed:
                model = item.family.records(p).model
                changes.append({"code": part, "name": item.name, "added": len(added), "removed": len(removed),
                                "added_labels": _labels(model, added), "removed_labels": _labels(model, removed)})
        name, unit = ind.BY_CODE[code]
        out.append({"code": code, "name": name, "unit": unit, "submitted": before, "now": now[code],
                    "changes": changes})
    return out


def difference_rows(diffs: list[dict]) -> list[list]:
    """The workbook sheet 与上报版本差异: one row per figure and per part whose records changed."""
    rows = []
    for d in diffs:
        rows.append([d["code"], d["name"], d["unit"], figure_value(d["submitted"], d["unit"]),
                     figure_value(d["now"], d["unit"]), "", ""])
        for c in d["changes"]:
            more_a = "…" if c["added"] > len(c["added_labels"]) else ""
            more_r = "…" if c["removed"] > len(c["removed_labels"]) else ""
            rows.append(["", f"  {c['name']}", "", "", "",
                         f"新增{c['added']}条：" + "、".join(c["added_labels"]) + more_a if c["added"] else "",
                         f"减少{c['removed']}条：" + "、".join(c["removed_labels"]) + more_r if c["removed"] else ""])
    return rows


def verify_files(run: ReportRun) -> bool:
    """A submitted version's files are byte for byte the ones that were built."""
    for field, digest in ((run.xlsx, run.xlsx_sha256), (run.docx, run.docx_sha256)):
        if field and digest and (not Path(field.path).exists() or sha256(field.path) != digest):
            return False
    return True
