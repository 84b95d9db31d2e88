"""Matching rows on content (re-import): a fingerprint is the sha256 of a row's normalised values.

A row without a 案号 matches a record of the same content: the fingerprint of the row a record was imported
from is stored in ``import_fingerprint``, and every record also has the fingerprint of what it holds now,
computed from its fields (``parts_of_record``). A row matches a record by either (ledger.importing.writing
.new_rows), so the same file imported again, and an exported list (of records typed in by hand, or imported and
corrected since), re-import without duplicates. Masked ID numbers and phones count as masked on both sides.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from core.cells import is_masked

from .schema import SHANGHAI, SHEETS


def _norm(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "|".join(sorted(_norm(v) for v in value))
    if hasattr(value, "pk"):
        return str(value.pk)
    # A line break is the same break whoever saved the file: the browser's CR LF, LibreOffice's and WPS's LF,
    # Excel's CR (read back through its _x000D_ escape, core.cells.cell_text).
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def fingerprint(sheet: str, parts: list) -> str:
    text = "\x1f".join([sheet, *(_norm(p) for p in parts)])
    return hashlib.sha256(text.encode()).hexdigest()


def _masked_phone(phone: str, legacy: bool = False) -> str:
    from applicants.idcard import mask_phone

    if not phone or is_masked(phone):
        return phone
    if legacy and 7 <= len(phone.strip()) < 11:  # before 2026-12-05 a short number kept 3 and 4: all of it shown
        p = phone.strip()
        return p[:3] + "*" * (len(p) - 7) + p[-4:]
    return mask_phone(phone)


def _masked_id(number: str) -> str:
    from applicants.idcard import mask

    return mask(number) if number and not is_masked(number) else number


def _station_id(station) -> int | None:
    return station.pk if station is not None and hasattr(station, "pk") else station


# Per sheet: the content that identifies a row, from the parsed row and from a stored record.
def parts_of_row(sheet: str, v: dict, legacy: bool = False) -> list:
    if sheet == "咨询":
        return [v["date"], v["channel"], _station_id(v["station"]), v["name"], v["sex"],
                _masked_phone(v["phone"], legacy), v["groups"], v["topic"], v["summary"], v["answer"], v["outcome"],
                v["person_count"]]
    if sheet == "宣传活动":
        return [v["date"], v["title"], v["form"], v["place"], _station_id(v["station"]), v["materials"],
                v["onsite"], v["audience"]]
    if sheet == "媒体报道":
        return [v["date"], v["outlet"], v["level"], v["title"], v["link"]]
    if sheet == "值班与代书":
        return [v["date"], v["kind"], v["place"], v["lawyer"], v["name"], v["plea"], v["person_count"]]
    if sheet == "经费预算":
        return [v["year"], v["source"], v["amount"]]
    if sheet == "经费支出":
        return [v["date"], v["category"], v["amount"], v["description"]]
    if sheet == "困难群体":
        return [v["name"], _masked_id(v["id_number"]), v["category"], v["source"], v["valid_until"]]
    if sheet == "案件":
        return [v.get(c.key) if c.key != "id_number" else _masked_id(v["id_number"])
                for c in SHEETS["案件"] if c.key != "station"] + [_station_id(v["station"])]
    raise KeyError(sheet)


def parts_of_record(sheet: str, o) -> list:
    if sheet == "咨询":
        from intake.sheets import consultation_person

        name, sex, phone = consultation_person(o)
        return [o.occurred_at.astimezone(SHANGHAI).date(), o.channel, o.station_id, name, sex,
                _masked_phone(phone), o.person_groups, o.topic, o.summary, o.answer, o.outcome,
                o.person_count]
    if sheet == "宣传活动":
        return [o.date, o.title, o.form, o.place, o.station_id, o.materials, o.onsite, o.audience]
    if sheet == "媒体报道":
        return [o.date, o.outlet, o.level, o.title, o.link]
    if sheet == "值班与代书":
        lawyer = o.lawyer_name or (o.handler.name if o.handler_id else "")
        name = o.person_name or (o.person.name if o.person_id else "")
        return [o.date, o.kind, o.place, lawyer, name, o.plea, o.person_count]
    if sheet == "经费预算":
        return [o.year, o.source, o.amount]
    if sheet == "经费支出":
        return [o.date, o.category, o.amount, o.description]
    if sheet == "困难群体":
        return [o.name, _masked_id(o.id_number), o.category, o.source, o.valid_until]
    raise KeyError(sheet)


def row_fingerprint(sheet: str, values: dict, *, legacy: bool = False) -> str:
    """`legacy`: as rows imported before a short phone number was masked were fingerprinted (their stored
    fingerprints still match the same file imported again)."""
    return fingerprint(sheet, parts_of_row(sheet, values, legacy))


def existing_records(sheet: str, model, rows: list, fingerprints: set[str]) -> list[tuple[str, str]]:
    """The records already there that rows of this file could repeat, each as (the fingerprint of the row it
    was imported from, or ""; the fingerprint of what it holds now). Those are the records of the file's dates,
    and the records imported from a row of the file (`fingerprints`) whatever their date now."""
    from django.db.models import Q

    dates = [r.values["date"] for r in rows if r.values.get("date")]
    if sheet == "咨询" and dates:
        start = datetime.combine(min(dates), time.min, SHANGHAI)
        end = datetime.combine(max(dates) + timedelta(days=1), time.min, SHANGHAI)
        in_range = Q(occurred_at__gte=start, occurred_at__lt=end)
    elif dates:
        in_range = Q(date__gte=min(dates), date__lte=max(dates))
    else:
        in_range = Q()
    wanted = sorted(fingerprints)
    querysets = [model.objects.filter(in_range)]
    if dates:  # the file's own rows, edited since to another date
        querysets += [model.objects.filter(import_fingerprint__in=wanted[i:i + 5000]).exclude(in_range)
                      for i in range(0, len(wanted), 5000)]
    found = []
    for qs in querysets:
        if sheet in {"值班与代书", "咨询"}:
            qs = qs.select_related("person", *(["handler"] if sheet == "值班与代书" else []))
        for obj in qs.iterator(chunk_size=5000):
            kept = obj.import_fingerprint
            # A record made in the system has no row fingerprint; one posted by the system keeps another key
            # there (a month's duty subsidies, "duty:2026-11"): both are matched by what they hold only.
            found.append((kept if _is_row_fingerprint(kept) else "", fingerprint(sheet, parts_of_record(sheet, obj))))
    return found


def _is_row_fingerprint(value: str) -> bool:
    """A fingerprint of an imported row (`fingerprint`: 64 hexadecimal digits)."""
    return len(value or "") == 64 and all(c in "0123456789abcdef" for c in value)
