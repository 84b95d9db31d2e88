"""Resident ID numbers (GB 11643-1999): check digit, birth date and sex."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cells import CellError, cell_text, is_masked
from core.masking import mask, mask_phone  # noqa: F401 - re-exported: callers import them from here

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")  # ASCII digits only: \d matches any Unicode digit


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: date
    sex: str  # "M" or "F"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise(number: str) -> str:
    """The number as stored: NFKC folds what a Chinese input method types (full-width digits and letters, an
    ideographic space) into ASCII, so one number has one spelling and the duplicate check finds it."""
    folded = unicodedata.normalize("NFKC", number or "")
    return "".join(folded.split()).upper()


def parse(number: str, *, today: date | None = None) -> IdInfo:
    """Validate an 18-character resident ID number; raise ValidationError with a clear reason."""
    n = normalise(number)
    if not _PATTERN.match(n):
        raise ValidationError(_("A resident ID number has 18 characters: 17 digits and a digit or X."),
                              code="id_format")
    if check_digit(n[:17]) != n[17]:
        raise ValidationError(_("The check digit of this ID number is wrong; please check the number."),
                              code="id_check_digit")
    try:
        born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this ID number is not a real date."), code="id_birth")
    if born > (today or timezone.localdate()) or born.year < 1900:
        raise ValidationError(_("The birth date inside this ID number is not possible."), code="id_birth")
    return IdInfo(number=n, birth_date=born, sex="M" if int(n[16]) % 2 else "F")


def is_resident_number(number: str) -> bool:
    return bool(_PATTERN.match(normalise(number)))


# What looks like a resident ID number, right or mistyped by a character: 15 to 19 characters, digits but for a
# last X. Only such a number is checked as one in a ledger cell; any other is another document's number.
_RESIDENT_LIKE = re.compile(r"^[0-9]{14,18}[0-9X]$")
_DOCUMENT_MAX = 30  # Person.id_number


def document_number_cell(value) -> str:
    """A ledger cell holding the recipient's document number: a number that looks like a resident ID number (15
    to 19 digits, or digits and a last X) is checked as one; any other (a passport's, a military officer's card
    军字第0012345号, an 8-digit Taiwan compatriot permit: the person form registers them under 其他证件 and the
    system exports them) is taken as it is written."""
    text = normalise(cell_text(value))
    stored_as_number = isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) >= 16
    if not text or is_masked(text) or _RESIDENT_LIKE.match(text) or stored_as_number:
        return id_number_cell(value)
    if len(text) > _DOCUMENT_MAX:
        raise CellError(f"内容过长（最多 {_DOCUMENT_MAX} 个字）")
    return text


def id_number_cell(value) -> str:
    """A ledger cell (core.cells) holding a resident ID number, checked; a masked number (from an export)
    passes as masked."""
    text = normalise(cell_text(value))
    if not text or is_masked(text):
        return text
    try:
        parse(text)
    except ValidationError as exc:
        code = getattr(exc, "code", "")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) >= 16:
            # Excel keeps 15 significant digits of a number: an ID number typed into a number cell lost its last
            # ones, and only the sheet's author can restore them.
            raise CellError("证件号码被Excel存成了数字，末几位已丢失：请将该列设为文本格式后重新录入") from None
        if code == "id_check_digit":
            raise CellError("校验位错误") from None
        if code == "id_birth":
            raise CellError("号码中的出生日期无效") from None
        raise CellError("格式错误，应为18位（17位数字加1位数字或X）") from None
    return text
