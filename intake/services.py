"""Every write of the service window (DOMAIN.md §3, §5): one function per transition,
each checking permission and state through the transition table (intake.workflow: a user the table does
not let take the step is refused with PermissionDenied, a state or guard that does not allow it with a
ValidationError that says why), recording who did it, in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applicants import eligibility
from applicants.groups import groups_at
from applicants.selectors import registry_label, registry_match
from core import deadlines, numbering
from core.access import require
from core.choices import default_role
from core.stored import site_language
from stations.services import station_check_open

from .models import (
    Application,
    ApplicationMaterial,
    Consultation,
    CriminalNotice,
    MaterialFile,
    Matter,
    Objection,
    SupplementNotice,
)
from .workflow import OBJECTION, OPEN, WORKFLOW, step

S = Application.Status
OPEN_STATES = set(OPEN)

# Default materials checklist by category (程序规定 第十一条).
DEFAULT_MATERIALS = {
    "civil": ["法律援助申请表", "居民身份证或者其他有效身份证明", "经济困难状况说明表（个人诚信承诺书）",
              "与所申请法律援助事项有关的案件材料"],
    "administrative": ["法律援助申请表", "居民身份证或者其他有效身份证明", "经济困难状况说明表（个人诚信承诺书）",
                       "行政行为或者与所申请事项有关的材料"],
    "criminal": ["法律援助申请表", "居民身份证或者其他有效身份证明", "经济困难状况说明表（个人诚信承诺书）",
                 "起诉书、判决书等与案件有关的法律文书"],
}
AGENT_MATERIAL = "代理人身份证明及代理权限证明"

# What an edit page changes: the fields of its form (intake.forms). An edit copies these, and only these, onto the
# row it locked: a step a colleague took meanwhile (a supplementation notice issued, the consultation led to an
# application) is not undone by the copy the page loaded before it.
CONSULTATION_EDITABLE = ("occurred_at", "channel", "topic", "person_count", "station", "contact_point",
                         "person_name", "person_sex", "person_phone", "person_groups", "summary", "answer", "outcome",
                         "handled_by")
APPLICATION_EDITABLE = ("received_on", "station", "category", "cause", "stage", "criminal_role", "agent_name",
                        "facts", "opposing_party", "amount_involved", "recipient_count", "is_mass",
                        "individual_income", "domestic_violence", "no_fixed_income", "no_hardship_ground",
                        "exemption_ground", "green_channel", "advance_aid", "advance_aid_reason", "matter_ground",
                        "asset_deposits", "asset_property_count", "asset_property_value", "asset_vehicle_value",
                        "asset_other_value")
MATTER_EDITABLE = ("kind", "date", "place", "handler", "lawyer_name", "person_name", "plea", "person_count",
                   "station", "note")


def _onto_stored(edited, fields: tuple[str, ...], stored=None):
    """The stored row of `edited` (locked here unless the caller locked it: `stored`) with `fields` taken from
    `edited`."""
    if stored is None:
        stored = type(edited).objects.select_for_update().get(pk=edited.pk)
    for name in fields:
        field = type(edited)._meta.get_field(name)
        setattr(stored, field.attname, getattr(edited, field.attname))
    return stored


def _stamp(obj, by, reason: str = ""):
    """Mark `obj`'s next history row with who did it and why. A `reason` the service words itself is built under
    `site_language()` (core.stored): the history is read by colleagues in the center's language, whoever clicked."""
    obj._history_user = by
    if reason:
        obj._change_reason = reason


def _today() -> date:
    return timezone.localdate()


def _check_date(value: date | None, field: str, *, not_before: date | None = None) -> None:
    if value is None:
        return
    if value > _today():
        raise ValidationError({field: _("This date is in the future.")})
    if not_before and value < not_before:
        raise ValidationError({field: _("This date is before the application was received.")})


# --- Consultations ------------------------------------------------------------------------

@transaction.atomic
def consultation_save(*, consultation: Consultation, by, volunteers=None) -> Consultation:
    """`volunteers`: those who were there (None leaves them as they are)."""
    require(by, "consultation_log")
    if consultation.pk is not None:
        consultation = _onto_stored(consultation, CONSULTATION_EDITABLE)
    if not by.is_center:
        if consultation.station_id not in (None, by.station_id):
            raise ValidationError({"station": _("You can only record for your own station.")})
        consultation.station_id = by.station_id
    if consultation.person_count < 1:
        raise ValidationError({"person_count": _("The person count must be at least 1.")})
    if consultation.occurred_at and consultation.occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("This date is in the future.")})
    if consultation.application_id and consultation.outcome != "application":
        raise ValidationError({"outcome": _("This consultation led to application %(n)s: its outcome stays "
                                            "\"led to an application\".") % {"n": consultation.application}})
    if consultation.pk is None:
        # a closed station keeps its past and takes no new consultation (its staff's included)
        station_check_open(station=consultation.station_id, day=timezone.localdate(consultation.occurred_at)
                           if consultation.occurred_at else _today())
        consultation.created_by = by
        consultation.handled_by = consultation.handled_by or by
    handler = consultation.handled_by
    if handler is not None and handler != by and not by.is_center and handler.station_id != by.station_id:
        raise ValidationError({"handled_by": _("Choose a colleague of your own station.")})
    if volunteers is not None and not by.is_center and any(
            v.station_id not in (None, by.station_id) for v in volunteers):
        raise ValidationError({"volunteers": _("Choose volunteers of your own station.")})
    _stamp(consultation, by)
    consultation.save()
    if volunteers is not None:
        consultation.volunteers.set(volunteers)
    return consultation


# --- Applications: receipt and materials -----------------------------------------------------

def _validate_flags(app: Application, person) -> None:
    if app.green_channel:
        groups = set(groups_at(person, app.received_on))
        if app.cause not in eligibility.MIGRANT_CAUSES or "migrant_worker" not in groups:
            raise ValidationError({"green_channel": _(
                "The green channel is for migrant workers claiming wages or work-injury compensation.")})
    if app.advance_aid and not app.advance_aid_reason.strip():
        raise ValidationError({"advance_aid_reason": _(
            "Give the reason for advance aid (limitation period ending within 7 days or urgent preservation).")})
    if app.category == "criminal" and not app.criminal_role:
        raise ValidationError({"criminal_role": _("Say whether the applicant is the defendant or the victim.")})


@transaction.atomic
def application_receive(*, application: Application, by, consultation: Consultation | None = None) -> Application:
    """A new application: at the center it is received (numbered receipt, review clock
    starts); at a station it is a preliminary intake (draft) until forwarded."""
    require(by, "application_intake")
    app = application
    if consultation is not None:
        # locked first: two clerks leading the same consultation to an application at once receive one
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation is not None and consultation.application_id is not None:
        raise ValidationError(_("This consultation already led to application %(n)s.")
                              % {"n": consultation.application})
    _check_date(app.received_on, "received_on")
    if not by.is_center:
        if app.station_id not in (None, by.station_id):
            raise ValidationError({"station": _("You can only record for your own station.")})
        app.station_id = by.station_id
        app.status = S.DRAFT
        app.reached_center = False
    else:
        app.status = S.RECEIVED
        app.reached_center = True
    station_check_open(station=app.station_id, day=app.received_on or _today())
    _validate_flags(app, app.applicant)
    if app.status == S.RECEIVED:
        app.number = numbering.issue_document_number(kind="receipt", year=app.received_on.year)
        app.review_due = deadlines.due_date("application_review", app.received_on)
    app.created_by = by
    _stamp(app, by)
    app.save()
    names = list(DEFAULT_MATERIALS.get(app.category, DEFAULT_MATERIALS["civil"]))
    if app.agent_name:
        names.append(AGENT_MATERIAL)
    ApplicationMaterial.objects.bulk_create([ApplicationMaterial(application=app, name=n) for n in names])
    if consultation is not None:
        consultation.application = app
        consultation.outcome = "application"
        if consultation.person_id is None:
            consultation.person = app.applicant
        with site_language():
            reason = _("Led to an application")
        _stamp(consultation, by, reason)
        consultation.save(update_fields=["application", "outcome", "person"])
    return app


@transaction.atomic
def application_update(*, application: Application, by) -> Application:
    """Save the edited application. A corrected receipt date moves the review deadline with it (Art. 43: seven
    days from receipt); it may not leave the year its receipt was numbered in, nor follow a notice issued on it."""
    stored = Application.objects.select_for_update().get(pk=application.pk)
    step(by, stored, "edit")
    received_on = stored.received_on
    app = _onto_stored(application, APPLICATION_EDITABLE, stored)  # the row as it is now, with the form's fields
    moved = app.received_on != received_on
    if moved:
        _check_date(app.received_on, "received_on")
        if stored.number and app.received_on and app.received_on.year != received_on.year:
            raise ValidationError({"received_on": _(
                "The receipt %(n)s was numbered in %(year)s: the date of receipt stays in that year.")
                % {"n": stored.number, "year": received_on.year}})
        first = stored.supplement_notices.order_by("issued_on", "pk").first()
        if first is not None and app.received_on > first.issued_on:
            raise ValidationError({"received_on": _(
                "Supplementation notice %(n)s was issued on %(date)s: the application was received by then.")
                % {"n": first.number, "date": first.issued_on}})
    _validate_flags(app, app.applicant)
    if moved and app.review_due is not None and app.forwarded_at is None:
        app.review_due = review_due_for(app)
    _stamp(app, by)
    app.save()
    return app


@transaction.atomic
def materials_update(*, application: Application, received: set[int], by, extra: str = "",
                     on: date | None = None) -> None:
    """Tick the materials that arrived; optionally add one more item to the checklist."""
    step(by, application, "materials")
    on = on or _today()
    for m in application.materials.all():
        now = m.pk in received
        if now != m.received:
            m.received = now
            m.received_on = on if now else None
            _stamp(m, by)
            m.save()
    if extra.strip():
        m = ApplicationMaterial(application=application, name=extra.strip()[:100])
        _stamp(m, by)
        m.save()


def missing_materials(application: Application) -> list[str]:
    return [m.name for m in application.materials.all() if m.required and not m.received]


# --- Scans and photos of the materials -------------------------------------------------------

MATERIAL_FILE_ENDINGS = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "pdf": "pdf"}
MATERIAL_FILES_PER_UPLOAD = 10
MATERIAL_MAX_PIXELS = 100_000_000  # a picture larger than this would choke the reviewer's browser


UNKNOWN_SIZE = -1


def _image_pixels(kind: str, head: bytes, upload=None) -> int | None:
    """Width × height read from a PNG's IHDR or a JPEG's SOF marker, without decoding the picture. A JPEG's
    segments are walked through the whole file (`upload`), seeking past each: a phone photo's EXIF block with its
    thumbnail may push the size past the first 64 KB. A JPEG whose size cannot be found: UNKNOWN_SIZE."""
    if kind == "png" and len(head) >= 24:
        return int.from_bytes(head[16:20], "big") * int.from_bytes(head[20:24], "big")
    if kind != "jpeg":
        return None
    if upload is None:
        return _jpeg_pixels_in(head)
    upload.seek(2)
    try:
        while True:
            segment = upload.read(9)
            if len(segment) < 4 or segment[0] != 0xFF:
                return UNKNOWN_SIZE
            marker, length = segment[1], int.from_bytes(segment[2:4], "big")
            if marker == 0xFF:  # a fill byte before the marker
                upload.seek(-8, 1)
                continue
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                if len(segment) < 9:
                    return UNKNOWN_SIZE
                return int.from_bytes(segment[5:7], "big") * int.from_bytes(segment[7:9], "big")
            if marker in (0xD9, 0xDA) or length < 2:  # the end, or the picture's data with no size before it
                return UNKNOWN_SIZE
            upload.seek(length - 7, 1)  # past the rest of this segment (9 bytes read = marker, length, 5 more)
    finally:
        upload.seek(0)


def _jpeg_pixels_in(head: bytes) -> int | None:
    i = 2
    while i + 9 < len(head):
        if head[i] != 0xFF:
            return None
        marker, length = head[i + 1], int.from_bytes(head[i + 2:i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return int.from_bytes(head[i + 5:i + 7], "big") * int.from_bytes(head[i + 7:i + 9], "big")
        i += 2 + length
    return None


def material_file_problem(upload) -> str | None:
    """Why this upload cannot be kept as a material's scan, or None: a real JPEG, PNG or PDF within the limits,
    judged by its content (core.files), not by its name."""
    from django.conf import settings

    from core.files import content_problem, sniff

    name = getattr(upload, "name", "") or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MATERIAL_FILE_ENDINGS:
        return _("%(name)s: only JPG, PNG and PDF files can be attached.") % {"name": name or "?"}
    if not upload.size:
        return _("%(name)s is empty.") % {"name": name}
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return _("%(name)s is too large (%(size).1f MB); the limit is %(limit).0f MB.") % {
            "name": name, "size": upload.size / 1048576, "limit": settings.UPLOAD_MAX_BYTES / 1048576}
    problem = content_problem(upload)
    if problem:
        return f"{name}: {problem}"
    upload.seek(0)
    head = upload.read(65536)
    upload.seek(0)
    kind = sniff(head)
    if kind != MATERIAL_FILE_ENDINGS[ext]:
        return _("%(name)s: only JPG, PNG and PDF files can be attached.") % {"name": name}
    pixels = _image_pixels(kind, head, upload)
    if pixels == UNKNOWN_SIZE:
        return _("%(name)s: the picture's size cannot be read; it may be damaged. Take it again.") % {"name": name}
    if pixels is not None and pixels > MATERIAL_MAX_PIXELS:
        return _("%(name)s is a picture of %(mp)s megapixels, over the limit of %(limit)s; take it again at a "
                 "lower resolution.") % {"name": name, "mp": pixels // 1_000_000,
                                         "limit": MATERIAL_MAX_PIXELS // 1_000_000}
    return None


def _own_open_application(app: Application, by) -> None:
    step(by, app, "materials")


@transaction.atomic
def material_files_add(*, material: ApplicationMaterial, uploads, by) -> list[MaterialFile]:
    """Attach scans or photos to a material. Every file is checked first: one refused, none is kept."""
    import uuid

    Application.objects.select_for_update().get(pk=material.application_id)  # the application first, as elsewhere
    material = ApplicationMaterial.objects.select_for_update().select_related("application").get(pk=material.pk)
    _own_open_application(material.application, by)
    uploads = [u for u in uploads or [] if u is not None]
    if not uploads:
        raise ValidationError(_("Choose a file or take a photo first."))
    if len(uploads) > MATERIAL_FILES_PER_UPLOAD:
        raise ValidationError(_("At most %(n)s files at a time.") % {"n": MATERIAL_FILES_PER_UPLOAD})
    problems = [p for p in (material_file_problem(u) for u in uploads) if p]
    if problems:
        raise ValidationError(problems)
    saved = []
    for upload in uploads:
        ext = MATERIAL_FILE_ENDINGS[upload.name.rsplit(".", 1)[-1].lower()]
        item = MaterialFile(material=material, kind=ext, original_name=upload.name[:200], size=upload.size,
                            uploaded_by=by)
        item.file.save(f"{uuid.uuid4().hex}.{'jpg' if ext == 'jpeg' else ext}", upload, save=False)
        _stamp(item, by)
        item.save()
        saved.append(item)
    with site_language():
        reason = _history_reason(_("Files attached: %(names)s")
                                 % {"names": "、".join(f.original_name for f in saved)})
    _note_on_application(material, by, reason)
    return saved


def _note_on_application(material: ApplicationMaterial, by, reason: str) -> None:
    """The material's and the application's history say which file was attached or removed, by whom and when."""
    _stamp(material, by, reason)
    material.save()
    app = Application.objects.select_for_update().get(pk=material.application_id)
    _stamp(app, by, reason)
    app.save()


def material_file_opened(*, file: MaterialFile, by) -> None:
    """Opening or downloading a material's scan is logged (DOMAIN.md §13)."""
    from core.models import AccessLog

    AccessLog.objects.create(user=by, action="download", object_type="intake.MaterialFile",
                             object_id=str(file.pk), detail=file.original_name[:200])


@transaction.atomic
def material_file_remove(*, file: MaterialFile, by) -> MaterialFile:
    """Hide a scan attached by mistake. The file is kept and the removal recorded with who and when."""
    Application.objects.select_for_update().get(pk=file.material.application_id)
    item = MaterialFile.objects.select_for_update().select_related("material__application").get(pk=file.pk)
    _own_open_application(item.material.application, by)
    if item.removed_at is not None:
        raise ValidationError(_("This file was already removed."))
    item.removed_at, item.removed_by = timezone.now(), by
    with site_language():
        removed = _("Removed")
        reason = _history_reason(_("File removed: %(name)s") % {"name": item.original_name})
    _stamp(item, by, removed)
    item.save()
    _note_on_application(item.material, by, reason)
    return item


@transaction.atomic
def application_forward(*, application: Application, by) -> Application:
    """A station's preliminary intake goes to the center: it is received there today."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    step(by, app, "forward")
    today = _today()
    app.status = S.RECEIVED
    app.reached_center = True
    app.forwarded_at = timezone.now()
    app.number = numbering.issue_document_number(kind="receipt", year=today.year)
    app.review_due = deadlines.due_date("application_review", today)
    with site_language():
        reason = _("Forwarded to the center")
    _stamp(app, by, reason)
    app.save()
    return app


REASON_MAX = 1000


def _history_reason(text: str) -> str:
    """simple_history keeps at most 100 characters of a change reason."""
    return text if len(text) <= 100 else text[:99] + "…"


@transaction.atomic
def supplement_notice_issue(*, application: Application, by, issued_on: date | None = None,
                            reason: str = "") -> SupplementNotice:
    """One notice listing everything missing (Art. 43: 一次性告知); the review clock pauses.

    The law allows one notice. DOMAIN.md names no exception, so a further notice (a material the
    first one could not foresee) is issued only with its reason written, kept on the notice and in
    the application's history.
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    step(by, app, "supplement")
    missing = missing_materials(app)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason is too long (at most %(n)s characters).")
                               % {"n": REASON_MAX}})
    earlier = app.supplement_notices.order_by("issued_on", "pk").first()
    if earlier is not None and not reason:
        raise ValidationError({"reason": _(
            "Supplementation notice %(n)s was already issued for this application; the law asks for one "
            "notice listing everything missing (Art. 43). Write the reason for a further notice.")
            % {"n": earlier.number}})
    issued_on = issued_on or _today()
    _check_date(issued_on, "issued_on", not_before=app.received_on)
    notice = SupplementNotice(
        application=app, number=numbering.issue_document_number(kind="supplement", year=issued_on.year),
        issued_on=issued_on, due_on=deadlines.due_date("supplement", issued_on), items=missing, issued_by=by,
        reason=reason if earlier is not None else "")
    _stamp(notice, by, _history_reason(reason) if earlier is not None else "")
    notice.save()
    app.status, app.materials_due = S.INCOMPLETE, notice.due_on
    with site_language():
        if earlier is None:
            why = _("Supplementation notice %(n)s") % {"n": notice.number}
        else:
            why = _("Further supplementation notice %(n)s: %(reason)s") % {"n": notice.number, "reason": reason}
    _stamp(app, by, _history_reason(why))
    app.save()
    return notice


def pauses(app: Application, *, until: date | None = None) -> list[tuple[date, date]]:
    """(issued, materials arrived) of each supplementation notice: the review clock stood still between."""
    out = []
    for n in app.supplement_notices.all():
        end = n.fulfilled_on or until
        if end and end > n.issued_on:
            out.append((n.issued_on, end))
    return out


def review_due_for(app: Application) -> date:
    """The review deadline: seven days from the start (Art. 43), moved by each supplementation pause that began
    while the clock still ran. A notice issued after the deadline had passed moves nothing: the lateness stands,
    and a past period that counted the application overdue stays as it was."""
    start = clock_start(app)
    due, used = deadlines.due_date("application_review", start), []
    for pause in sorted(pauses(app)):
        if pause[0] > due:
            break
        used.append(pause)
        due = deadlines.due_date("application_review", start, pauses=used)
    return due


def clock_start(app: Application) -> date:
    return timezone.localdate(app.forwarded_at) if app.forwarded_at else app.received_on


@transaction.atomic
def materials_supplied(*, application: Application, by, on: date | None = None) -> Application:
    """The missing materials arrived: the application is complete again and the clock runs on.

    by=None is the daily task (deem_withdrawn) finding every required material ticked by the notice's date.
    """
    app = Application.objects.select_for_update().get(pk=application.pk)
    if by is None:
        WORKFLOW.check(app, "supplied")
    else:
        step(by, app, "supplied")
    missing = missing_materials(app)
    if missing:
        raise ValidationError(_("Still missing: %(items)s") % {"items": "、".join(missing)})
    # The clock stood still until the materials arrived, not until the button: the day the last one was ticked.
    on = on or arrival_day(app)
    _check_date(on, "on", not_before=app.received_on)
    if app.materials_due is not None and on > app.materials_due:
        raise ValidationError(_(
            "The materials arrived on %(on)s, after the supplementation notice's date (%(due)s): the application "
            "is deemed withdrawn (Art. 43). The applicant may apply again.") % {"on": on, "due": app.materials_due})
    notice = app.supplement_notices.filter(fulfilled_on__isnull=True).first()
    if notice is not None:
        notice.fulfilled_on = on
        _stamp(notice, by)
        notice.save()
    app.status, app.materials_due = S.RECEIVED, None
    app.review_due = review_due_for(app)
    with site_language():
        reason = _("Materials supplied")
    _stamp(app, by, reason)
    app.save()
    return app


@transaction.atomic
def application_submit_review(*, application: Application, by) -> Application:
    app = Application.objects.select_for_update().get(pk=application.pk)
    step(by, app, "review")
    missing = missing_materials(app)
    if missing and not app.advance_aid:
        raise ValidationError(_("Materials are missing (%(items)s); issue a supplementation notice first.")
                              % {"items": "、".join(missing)})
    app.status = S.UNDER_REVIEW
    result = eligibility_for(app)
    app.eligibility_result, app.eligibility_reasons = result.result, result.reasons
    with site_language():
        reason = _("Sent to review")
    _stamp(app, by, reason)
    app.save()
    return app


@transaction.atomic
def application_withdraw(*, application: Application, by, on: date | None = None, deemed: bool = False,
                         reason: str = "") -> Application:
    """Withdrawn by the applicant (a user records it), or deemed withdrawn by the daily task (by=None)."""
    app = Application.objects.select_for_update().get(pk=application.pk)
    if by is not None:
        WORKFLOW.authorize(by, app, "withdraw")
    WORKFLOW.check(app, "deem_withdrawn" if by is None and deemed else "withdraw")
    app.status = S.WITHDRAWN
    app.withdrawn_on = on or _today()
    app.deemed_withdrawn = deemed
    if not reason:
        with site_language():
            reason = _("Deemed withdrawn: materials not supplied in time") if deemed else _("Withdrawn")
    _stamp(app, by, reason)
    app.save()
    return app


def arrival_day(app: Application) -> date:
    """The day the last required material arrived (ticked), not before the latest supplementation notice."""
    last = max((m.received_on for m in app.materials.all() if m.required and m.received_on), default=None)
    return max(last or app.received_on, *(n.issued_on for n in app.supplement_notices.all()))


def supplied_in_time(app: Application) -> date | None:
    """The day the last required material arrived, when every one is ticked and none arrived after the
    notice's date: the materials were supplied even if nobody pressed "Materials supplied"."""
    if missing_materials(app):
        return None
    last = arrival_day(app)
    return last if app.materials_due is None or last <= app.materials_due else None


def deem_withdrawn(*, today: date | None = None) -> int:
    """Applications whose supplementation notice passed its date without the materials (Art. 43).

    One whose materials were all ticked as received by that date is not withdrawn: it is marked supplied
    on the day the last one arrived, and its review clock runs on from there.
    """
    today = today or _today()
    count = 0
    for app in Application.objects.filter(WORKFLOW.phase_q("incomplete"), materials_due__lt=today):
        arrived = supplied_in_time(app)
        if arrived is not None:
            materials_supplied(application=app, by=None, on=arrived)
            continue
        # withdrawn the day after the notice's date, even when the task ran late (a worker down for days)
        application_withdraw(application=app, by=None, on=app.materials_due + timedelta(days=1), deemed=True)
        count += 1
    return count


# --- Eligibility and decision ----------------------------------------------------------------

def eligibility_for(app: Application, day: date | None = None) -> eligibility.Result:
    day = day or _today()
    person = app.applicant
    entry = registry_match(person.id_number, day)
    facts = eligibility.Facts(
        category=app.category, cause=app.cause, hukou=person.hukou, household_income=person.household_income,
        household_size=person.household_size, individual_income=app.individual_income,
        groups=frozenset(groups_at(person, day)), registry=registry_label(entry),
        no_hardship_ground=app.no_hardship_ground, exemption_ground=app.exemption_ground,
        no_fixed_income=app.no_fixed_income, domestic_violence=app.domestic_violence,
        criminal_role=app.criminal_role, matter_ground=app.matter_ground, assets=assets_total(app),
    )
    return eligibility.evaluate(policy=eligibility.spec_for_year(day.year), facts=facts)


ASSET_FIELDS = ("asset_deposits", "asset_property_value", "asset_vehicle_value", "asset_other_value")


def assets_total(app: Application):
    """The household's assets in yuan for the asset test: the sum of the values given, None when none is."""
    values = [getattr(app, name) for name in ASSET_FIELDS if getattr(app, name) is not None]
    return sum(values) if values else None


def _decidable(app: Application, by, decided_on: date, action: str) -> None:
    step(by, app, action)  # the states and guards of a decision are the table's (intake.workflow)
    _check_date(decided_on, "decided_on", not_before=app.received_on)
    if app.status == S.REFUSED:  # granting after the bureau overturned the refusal: not before its decision
        overturned = app.objections.filter(outcome=Objection.Outcome.OVERTURNED).order_by("-decided_on").first()
        if overturned is not None and overturned.decided_on and decided_on < overturned.decided_on:
            raise ValidationError({"decided_on": _(
                "The refusal was overturned on %(date)s: the new decision cannot be dated before that.")
                % {"date": overturned.decided_on}})


def _aid_form(app: Application) -> tuple[str, str]:
    """The aid form, and the recipient's role under it (core.choices.default_role: 申请人 in arbitration)."""
    if app.category == "criminal":
        form = "criminal_defence" if app.criminal_role != "victim" else "criminal_representation"
    elif app.cause == "state_compensation":
        form = "state_compensation"
    elif app.stage in ("arbitration", "mediation", "non_litigation"):
        form = {"arbitration": "labour_arbitration", "mediation": "labour_mediation"}.get(app.stage, app.stage)
    elif app.category == "administrative":
        form = "admin_litigation"
    else:
        form = "civil_litigation"
    return form, default_role(form)


@transaction.atomic
def application_grant(*, application: Application, by, decided_on: date | None = None, note: str = "",
                      override_reason: str = ""):
    """给予法律援助: store the eligibility reasons, number the decision and open the case. Against a
    "not eligible" result only with the reviewer's written reason, recorded with who and when."""
    app = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    decided_on = decided_on or _today()
    _decidable(app, by, decided_on, "grant")
    result = eligibility_for(app, decided_on)
    override_reason = (override_reason or "").strip()
    if result.result == eligibility.NOT_ELIGIBLE and not override_reason:
        raise ValidationError({"override_reason": _(
            "The eligibility check says not eligible: %(r)s. To grant all the same, write the reason.")
            % {"r": "；".join(result.reasons)}})
    app.eligibility_result = result.result
    app.eligibility_reasons = result.reasons
    app.status = S.GRANTED
    app.decided_on = decided_on
    app.first_decided_on = app.first_decided_on or decided_on
    app.decided_by = by
    app.decision_number = numbering.issue_document_number(kind="grant", year=decided_on.year)
    app.decision_reasons = note
    with site_language():
        stamp = _("Granted")
    if result.result == eligibility.NOT_ELIGIBLE:
        app.override_reason, app.override_by, app.override_at = override_reason, by, timezone.now()
        with site_language():
            stamp = _("Granted against the eligibility result: %(reason)s") % {"reason": override_reason}
    _stamp(app, by, _history_reason(stamp))
    from cases.services import case_open

    aid_form, role = _aid_form(app)
    stage = app.stage or ("trial" if app.category == "criminal" else "first_instance")
    case = case_open(
        recipient=app.applicant, category=app.category, accepted_on=decided_on, by=by, source="application",
        stage=stage, aid_form=aid_form, role=role, cause=app.cause,
        recipient_count=app.recipient_count, is_mass=app.is_mass, opposing_party=app.opposing_party,
        amount_involved=app.amount_involved, station=app.station, green_channel=app.green_channel,
        advance_aid=app.advance_aid,
    )
    app.case = case  # the application links to its case: cases sit below intake (issue 15.2)
    app.save()
    return app, case


def awaits_advance_review(app: Application) -> bool:
    """Advance aid (Art. 44) was granted first; its review is still to be completed (the table's phase)."""
    from .workflow import awaits_advance_review as awaits

    return awaits(app)


@transaction.atomic
def application_advance_review(*, application: Application, by, confirmed: bool, reasons: str = "",
                               on: date | None = None) -> Application:
    """Complete the review of an advance-aid grant afterwards (DOMAIN §5, Art. 44).

    Confirmed: the aid stands, with the eligibility reasons of the completed file.
    Not confirmed: the reasons are written and the case is terminated (Art. 48), so the
    handler stops and the organ is notified as for any termination.
    """
    app = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    step(by, app, "advance_review")
    on = on or _today()
    _check_date(on, "on", not_before=app.decided_on)
    reasons = (reasons or "").strip()
    if not confirmed and not reasons:
        raise ValidationError({"reasons": _("Write why the aid is not confirmed.")})
    missing = missing_materials(app)
    if confirmed and missing:
        raise ValidationError(_("Materials are still missing (%(items)s).") % {"items": "、".join(missing)})
    result = eligibility_for(app, on)
    app.eligibility_result, app.eligibility_reasons = result.result, result.reasons
    app.advance_review_on = on
    app.advance_review_confirmed = confirmed
    if reasons:
        app.decision_reasons = "\n".join(filter(None, [app.decision_reasons, reasons]))
    with site_language():
        reason = (_("Advance aid confirmed by the follow-up review") if confirmed
                  else _("Advance aid not confirmed by the follow-up review"))
    _stamp(app, by, reason)
    app.save()
    if not confirmed:
        from cases.models import Case
        from cases.services import case_terminate

        case = Case.objects.filter(application=app).first()
        if case is not None and case.status in (Case.Status.AWAITING, Case.Status.ASSIGNED):
            case_terminate(case=case, reason="other", on=on, by=by, note=reasons,
                           substantive_work=case.status == Case.Status.ASSIGNED)
    return app


@transaction.atomic
def application_refuse(*, application: Application, by, reasons: str, decided_on: date | None = None):
    """不予法律援助, in writing with reasons (Art. 43)."""
    app = Application.objects.select_for_update().select_related("applicant").get(pk=application.pk)
    decided_on = decided_on or _today()
    _decidable(app, by, decided_on, "refuse")
    if not (reasons or "").strip():
        raise ValidationError({"reasons": _("A refusal must give its reasons in writing.")})
    result = eligibility_for(app, decided_on)
    app.eligibility_result = result.result
    app.eligibility_reasons = result.reasons
    app.status = S.REFUSED
    app.decided_on = decided_on
    app.first_decided_on = app.first_decided_on or decided_on
    app.decided_by = by
    app.decision_number = numbering.issue_document_number(kind="refusal", year=decided_on.year)
    app.decision_reasons = reasons.strip()
    with site_language():
        reason = _("Refused")
    _stamp(app, by, reason)
    app.save()
    return app


@transaction.atomic
def objection_file(*, application: Application, by, filed_on: date, grounds: str) -> Objection:
    """An objection to the refusal reached the justice bureau on `filed_on`: its decision is due within
    5 days (Art. 49, deadline rule objection_decide)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    step(by, application, "object")
    if filed_on is None:
        raise ValidationError({"filed_on": _("Give the date the objection was received.")})
    if filed_on > _today():
        raise ValidationError({"filed_on": _("This date is in the future.")})
    if application.decided_on and filed_on < application.decided_on:
        raise ValidationError({"filed_on": _("The objection cannot be filed before the refusal.")})
    decided = application.objections.exclude(outcome=Objection.Outcome.PENDING).order_by("-decided_on").first()
    if decided is not None:  # Art. 49: one objection; against its decision, reconsideration or a suit
        raise ValidationError(_(
            "The justice bureau already decided an objection to this refusal (%(date)s): the applicant may apply "
            "for administrative reconsideration or bring an administrative suit (Art. 49), not object again.")
            % {"date": decided.decided_on})
    obj = Objection(application=application, filed_on=filed_on, grounds=(grounds or "").strip(),
                    due_on=deadlines.due_date("objection_decide", filed_on))
    _stamp(obj, by)
    obj.save()
    return obj


@transaction.atomic
def objection_decide(*, objection: Objection, by, outcome: str, decided_on: date, note: str = "") -> Objection:
    """Record the justice bureau's decision on the objection: the refusal upheld, or overturned (the center
    is ordered to correct it, and may then grant)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    action = outcome if outcome in OBJECTION.by_action else Objection.Outcome.UPHELD
    OBJECTION.authorize(by, objection, action)  # both outcomes are the deciders' (intake.workflow.OBJECTION)
    OBJECTION.check(objection, action)
    if outcome not in OBJECTION.by_action:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    if decided_on is None:
        raise ValidationError({"decided_on": _("Give the date of the decision.")})
    if decided_on > _today():
        raise ValidationError({"decided_on": _("This date is in the future.")})
    if decided_on < objection.filed_on:
        raise ValidationError({"decided_on": _("The decision cannot be before the objection was filed.")})
    objection.outcome, objection.decided_on, objection.note = outcome, decided_on, (note or "").strip()
    objection.decided_by = by
    with site_language():
        reason = str(Objection.Outcome(outcome).label)
    _stamp(objection, by, reason)
    objection.save()
    return objection


def objection_late(objection: Objection, today: date | None = None) -> bool:
    """Past its 5 days: still pending after the due date, or decided after it."""
    if objection.due_on is None:
        return False
    if objection.outcome == Objection.Outcome.PENDING:
        return objection.due_on < (today or _today())
    return bool(objection.decided_on and objection.decided_on > objection.due_on)


# --- Criminal notices and matters ------------------------------------------------------------

@transaction.atomic
def notice_register(*, notice: CriminalNotice, by, new_person: dict | None = None):
    """通知辩护: no eligibility review; the case opens awaiting assignment (3 days). `new_person` (name,
    id_number, sex, birth_date) registers the person named by the notice when it is not registered yet."""
    from applicants.models import Person

    require(by, "notice_register")
    if not by.is_center:
        raise PermissionDenied
    _check_date(notice.received_on, "received_on")
    if new_person is not None:
        person = Person(name=new_person["name"], id_number=new_person.get("id_number") or "",
                        sex=new_person.get("sex") or "", birth_date=new_person.get("birth_date"), created_by=by)
        _stamp(person, by)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            # registered at the same moment by another sending of this notice: that record is the person
            person = (Person.objects.filter(id_number=person.id_number, merged_into__isnull=True)
                      .order_by("pk").first() if person.id_number else None)
            if person is None:
                raise
        notice.person = person
    # The person's row is locked: the same notice sent twice at once (a double click, a retry) queues here and
    # finds the first one registered.
    Person.objects.select_for_update().get(pk=notice.person_id)
    number = (notice.notice_number or "").strip()
    if notice.organ and number:
        earlier = (CriminalNotice.objects.filter(organ=notice.organ, notice_number=number, person_id=notice.person_id)
                   .select_related("case").order_by("pk").first())
        if earlier is not None:
            raise ValidationError({"notice_number": _("This notice is already registered: case %(number)s.")
                                   % {"number": earlier.case.number if earlier.case_id else earlier}})
    notice.created_by = by
    _stamp(notice, by)
    from cases.services import case_open

    case = case_open(
        recipient=notice.person, category="criminal", accepted_on=notice.received_on, by=by, source="notice",
        organ=notice.organ, stage=notice.stage, aid_form="criminal_defence", role="defence",
        cause=notice.cause, station=notice.station,
    )
    notice.case = case  # the notice links to its case (issue 15.2)
    notice.save()
    return notice, case


@transaction.atomic
def matter_save(*, matter: Matter, by) -> Matter:
    require(by, "matter_log")
    if matter.pk is not None:
        matter = _onto_stored(matter, MATTER_EDITABLE)
    _check_date(matter.date, "date")
    if matter.person_count < 1:
        raise ValidationError({"person_count": _("The person count must be at least 1.")})
    if matter.pk is None:
        station_check_open(station=matter.station_id, day=matter.date or _today())
        matter.created_by = by
    if matter.handler_id and not matter.lawyer_name:
        matter.lawyer_name = matter.handler.name
    _stamp(matter, by)
    matter.save()
    return matter
