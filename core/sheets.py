"""The sheets of the Excel ledger (LEDGER.md) and of the lists' exports, each defined by the app whose records
it holds and collected here (core.registry), so that no app reaches up to another for its columns.

An app's optional `sheets.py` defines

- `SHEETS: list[Sheet]`: a sheet of its records. Its columns (`Col`: header, the key of the parsed value, the
  cell parser of the import, whether it is required, the value of an empty cell) are what the ledger's
  importer reads and, in the same order and spelling, what the export writes, so an exported list imports
  back. A sheet of the ledger has its place in LEDGER.md's order (`ledger_order`); the others are exports only.
  Its rows are read either as tuples (`fields` for `values_list`, and `row(values, full)` making the cells)
  or from the queryset by `rows(queryset, full)`;
- `EXTRA: list[Columns]`: columns an app adds to another app's sheet, before one of its columns (funding adds
  the subsidy to 案件: cases sit below funding and never read it). Their values come from the sheet's own
  query (`fields`, lookups from the sheet's model) and `cells(values, full)` makes them.

`full=False` masks ID numbers and phones (core.masking).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from django.utils import timezone

from .choices import GROUP
from .masking import mask, mask_phone
from .registry import modules
from .xlsx import SafeWorkbook, chunked

LIST_SEP = "、"


@dataclass(frozen=True)
class Col:
    header: str
    key: str = ""
    parse: Callable | None = None  # the import's cell parser (core.cells); None: export only
    required: bool = False
    default: object = None


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Col, ...]
    fields: tuple[str, ...] = ()  # values_list lookups, made into cells by `row`
    row: Callable | None = None  # row(values, full) -> list
    rows: Callable | None = None  # rows(queryset, full) -> Iterator[list], when not read as tuples
    ledger_order: int | None = None  # its place among the ledger's sheets; None: an export only
    # The person's cells (headers) a list leaves out for a record whose person is outside the user's scope: the
    # list's queryset then carries the annotation PERSON_HIDDEN, and the first of these reads 已登记人员.
    person_cells: tuple[str, ...] = ()
    annotate: Callable | None = None  # annotate(queryset) -> queryset: values `fields` name that are not lookups


# The annotation a list's queryset carries when some of its rows name a person the user may not see (DOMAIN §13).
PERSON_HIDDEN = "person_hidden"
HIDDEN_PERSON = "已登记人员"


@dataclass(frozen=True)
class Columns:
    sheet: str
    before: str  # the header they go before
    columns: tuple[Col, ...]
    fields: tuple[str, ...]
    cells: Callable  # cells(values, full) -> list


@dataclass(frozen=True)
class _Built:
    sheet: Sheet
    columns: tuple[Col, ...]
    extras: tuple[tuple[Columns, int], ...]  # each with where its cells go, inserted in this order


@cache
def _sheets() -> dict[str, _Built]:
    found = {s.name: s for module in modules("sheets") for s in getattr(module, "SHEETS", [])}
    built = {}
    for name, sheet in found.items():
        cols, extras = list(sheet.columns), []
        for extra in (e for module in modules("sheets") for e in getattr(module, "EXTRA", []) if e.sheet == name):
            if sheet.row is None:
                raise TypeError(f"{name}: columns are added only to a sheet read as tuples")
            at = [c.header for c in cols].index(extra.before)
            cols[at:at] = extra.columns
            extras.append((extra, at))
        built[name] = _Built(sheet, tuple(cols), tuple(extras))
    return built


def names() -> list[str]:
    return list(_sheets())


def ledger_sheets() -> list[str]:
    """The ledger's sheets in LEDGER.md's order: 案件, 咨询, 宣传活动, 媒体报道, 值班与代书, 经费预算, 经费支出, 困难群体."""
    ledger = [b.sheet for b in _sheets().values() if b.sheet.ledger_order is not None]
    return [s.name for s in sorted(ledger, key=lambda s: s.ledger_order)]


def columns(sheet: str) -> tuple[Col, ...]:
    return _sheets()[sheet].columns


def headers(sheet: str) -> list[str]:
    return [c.header for c in columns(sheet)]


class Sheets(Mapping):
    """Each sheet of `keys()` (every sheet, or the ledger's) mapped to `value(sheet)`, read when first used:
    the apps' modules are found once the apps are ready."""

    def __init__(self, value: Callable[[str], object], keys: Callable[[], list[str]] = names):
        self.value, self.keys_of = value, keys

    def __getitem__(self, sheet):
        if sheet not in self.keys_of():
            raise KeyError(sheet)
        return self.value(sheet)

    def __iter__(self):
        return iter(self.keys_of())

    def __len__(self):
        return len(self.keys_of())


HEADERS: Mapping[str, list[str]] = Sheets(headers)


def _built(sheet: str) -> _Built:
    try:
        return _sheets()[sheet]
    except KeyError:
        raise ValueError(f"unknown sheet {sheet!r}") from None


def rows(sheet: str, queryset, *, full: bool = False) -> Iterator[list]:
    built = _built(sheet)
    if built.sheet.row is None:
        return built.sheet.rows(queryset, full=full)
    return _tuple_rows(built, queryset, full)


def _tuple_rows(built: _Built, queryset, full: bool) -> Iterator[list]:
    base = built.sheet
    fields = base.fields + tuple(f for extra, _at in built.extras for f in extra.fields)
    hiding = bool(base.person_cells) and PERSON_HIDDEN in queryset.query.annotations
    if base.annotate is not None:
        queryset = base.annotate(queryset)
    if hiding:
        fields += (PERSON_HIDDEN,)
        headers = [c.header for c in base.columns]
        blank = [headers.index(h) for h in base.person_cells]
    n, row_of, extras = len(base.fields), base.row, built.extras
    for values in chunked(queryset.values_list(*fields)):
        row, start = row_of(values[:n], full), n
        if hiding and values[-1]:
            for i in blank:
                row[i] = None
            row[blank[0]] = HIDDEN_PERSON
        for extra, at in extras:
            end = start + len(extra.fields)
            row[at:at] = extra.cells(values[start:end], full)
            start = end
        yield row


def write_sheet(book: SafeWorkbook, sheet: str, queryset, *, full: bool = False) -> int:
    """Write the sheet of `queryset` into `book`; ValueError for a sheet no app defines."""
    return book.add_sheet(sheet, [c.header for c in _built(sheet).columns], rows(sheet, queryset, full=full))


# ---- cells shared by the sheets --------------------------------------------------------------------------

def zh(vocab, code: str | None) -> str | None:
    if not code:
        return None
    return vocab.zh.get(code, code)


def groups_text(codes: Iterable[str] | None) -> str | None:
    codes = [c for c in (codes or []) if c]
    return LIST_SEP.join(GROUP.zh.get(c, c) for c in codes) or None


def yes_no(value: bool) -> str:
    return "是" if value else "否"


def station_text(station) -> str | None:
    return station.name if station else None


def id_text(number: str, full: bool) -> str | None:
    if not number:
        return None
    return number if full else mask(number)


def phone_text(phone: str, full: bool) -> str | None:
    if not phone:
        return None
    return phone if full else mask_phone(phone)


def local_date(dt):
    if dt is None:
        return None
    if timezone.is_aware(dt):
        dt = timezone.localtime(dt)
    return dt.date()
