"""案件: cases.Case and cases.Assignment, built with case_open's own derivations (cases.services.new_case).

* Cases are built by ``build_case``: ``new_case`` derives what ``case_open`` derives (litigation flag, groups
  at acceptance, stage at acceptance, assignment deadline; a test compares the two), then the case is moved to
  the state its dates imply (cases.workflow.status_from_dates). Later deadlines (agreement, file submission)
  are left empty for imported history, so years-old cases do not flood the overdue lists; assignments get no
  document numbers.
* A 案件 row with 案号 matches the case with that number and changes nothing (a 结案日期 or 终止 it gives for a
  case still open in the system is a warning: the case is closed in the system); a row without one matches on
  content (its fingerprint). A 案号 is kept as written (its place in the sequence: ledger.importing.checks).
  Numbers for rows without 案号 are reserved in one gapless block per year and kind
  (core.numbering.reserve_block), after the ledger's own numbers (``bump_to_at_least``). A number the file or
  the database already holds (a ledger's （2025）…第3号 on a case accepted on 30 December 2024, which takes place 3
  of the 2024 sequence) is skipped and another one reserved in its stead: the case that holds it keeps it.
* A graded closed case stays ``closed`` (archiving needs an archive review the ledger does not record);
  ``graded_on`` is the closing date. 结案方式 终止 makes the case terminated even without a 结案日期 (its date is
  then unknown: it counts in no period's ``cases.terminated`` and is never open at an end date). Any other
  结案方式 without a 结案日期 is kept on the case, which is not closed: only a date closes a case.
* A case's handler type is the row's own 承办人类型 (STATISTICS.md: facts as they were), stored on the case
  and its assignment (``handler_kind``); a row without one takes the roster's type. When one name at one
  firm comes with different types (rows of the file, or a row and the roster), a warning names the rows and
  types and every row is imported with its own type.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date

from core.choices import HANDLER_KIND

from ..fingerprints import row_fingerprint
from ..parse import Row
from ..writing import Context, bulk, user_of
from . import stations
from .applicants import persons_for
from .funding import write_subsidies


def cached_due(cache: dict | None = None) -> Callable[[str, date], date]:
    """core.deadlines.due_date, remembered per (rule, start) in `cache` for the cases of one import."""
    from core import deadlines

    if cache is None:
        return deadlines.due_date

    def due(code: str, start: date) -> date:
        key = (code, start)
        if key not in cache:
            cache[key] = deadlines.due_date(code, start)
        return cache[key]

    return due


def build_case(v: dict, person, *, by, number: str, seq: int, due: Callable[[str, date], date] | None = None,
               registry=None):
    """The Case that cases.services.case_open would open for this row (cases.services.new_case), then moved
    to the state its dates imply."""
    from cases.services import new_case
    from cases.workflow import status_from_dates

    case = new_case(
        number=number, seq=seq, category=v["category"], source=v["source"], recipient=person,
        accepted_on=v["accepted_on"], by=by, stage=v["stage"], aid_form=v["aid_form"], extra_groups=v["groups"],
        # The row's 人群类别 is what was declared for this case: not the groups other rows (of this file or an
        # earlier one, of later years too) declared for the same person (STATISTICS.md: groups at acceptance).
        declared_groups=[], registry=registry, due=due or cached_due(),
        organ=v["organ"], cause=v["cause"], recipient_count=v["recipient_count"], is_mass=v["is_mass"],
        amount_involved=v["amount_involved"], station=v["station"], amount_recovered=v["amount_recovered"],
    )
    # 终止 makes the case terminated even when the ledger has no date for it (LEDGER.md).
    terminated = v["outcome"] == "terminated"
    case.status = status_from_dates(assigned_on=v["assigned_on"], closed_on=v["closed_on"], terminated=terminated)
    if v["assigned_on"]:
        case.assigned_on = v["assigned_on"]
    if terminated:
        case.terminated_on = v["closed_on"]
    elif v["closed_on"]:
        case.closed_on = v["closed_on"]
        case.outcome = v["outcome"]
        if v["grade"]:
            case.grade = v["grade"]
            case.graded_on = v["closed_on"]
    elif v["outcome"]:
        case.outcome = v["outcome"]  # kept, though without a 结案日期 the case is not closed
    if v["grade"] and not case.grade and not terminated:
        case.grade = v["grade"]  # graded without a 结案日期: kept, dated nowhere
    return case


def _to_write(rows: list[Row], ctx: Context | None = None) -> tuple[list[Row], int, dict]:
    """The rows whose case is not there yet, the matched count, and the fingerprints of rows without 案号.
    A matched row that closes or terminates a case still open in the system is warned about (``ctx``)."""
    from cases.models import Case

    numbers = [r.values["number"] for r in rows if r.values.get("number")]
    existing: dict[str, str] = {}
    for i in range(0, len(numbers), 5000):
        existing.update(Case.objects.filter(number__in=numbers[i:i + 5000]).values_list("number", "status"))
    fps = {id(r): row_fingerprint("案件", r.values) for r in rows if not r.values.get("number")}
    have = Counter()
    if fps:
        wanted = list(set(fps.values()))
        for i in range(0, len(wanted), 5000):
            have.update(Case.objects.filter(import_fingerprint__in=wanted[i:i + 5000])
                        .values_list("import_fingerprint", flat=True))
    todo, matched = [], 0
    for r in rows:
        if r.values.get("number"):
            if r.values["number"] in existing:
                matched += 1
                if ctx is not None:
                    ctx.warnings.extend(_closing_not_applied(r, existing[r.values["number"]]))
                continue
        elif have[fps[id(r)]] > 0:
            have[fps[id(r)]] -= 1
            matched += 1
            continue
        todo.append(r)
    return todo, matched, fps


OPEN = ("awaiting", "assigned")


def _closing_not_applied(row: Row, status: str) -> list[str]:
    """A row matched by its 案号 changes nothing (LEDGER.md); a 结案日期 (or 终止) it now gives for a case still
    open in the system is not applied (closing a case is the handler's step, with its report), and said so:
    the clerk closes the case in the system, or it stays open in every list and figure."""
    from django.utils.translation import gettext as _

    v = row.values
    if status not in OPEN:
        return []
    if v["outcome"] == "terminated":
        return [f"案件!{row.number}: {'结案日期' if v['closed_on'] else '结案方式'}: " + _(
            "The case %(number)s is still open in the system; the termination that this file gives was not "
            "applied: terminate the case in the system.") % {"number": v["number"]}]
    if v["closed_on"]:
        return [f"案件!{row.number}: 结案日期: " + _(
            "The case %(number)s is still open in the system; the closing on %(date)s that this file gives was "
            "not applied: close the case in the system.") % {"number": v["number"], "date": v["closed_on"]}]
    return []


def _reserve_numbers(todo: list[Row], profile) -> dict[tuple[str, int], Iterator[tuple[str, int]]]:
    """Numbers from the ledger first, so that cases without one follow them; then one block per kind and year
    for the rows without 案号. Returns the (number, seq) to issue, in order, per (kind, year): a number that a
    row of the file or a case already holds is skipped, and the block extended past it."""
    from cases.models import Case
    from core.numbering import bump_to_at_least, format_case_number, reserve_block

    top: dict[tuple, int] = {}
    for r in todo:
        v = r.values
        if v.get("number"):
            key = (v["category"], v["accepted_on"].year)
            top[key] = max(top.get(key, 0), v["seq"])
    for (category, year), seq in sorted(top.items()):
        bump_to_at_least(f"case:{category}", year, seq)
    need = Counter((r.values["category"], r.values["accepted_on"].year) for r in todo if not r.values.get("number"))
    held = {r.values["number"] for r in todo if r.values.get("number")}
    issued: dict[tuple[str, int], Iterator[tuple[str, int]]] = {}
    for (category, year), n in sorted(need.items()):
        numbers: list[tuple[str, int]] = []
        while len(numbers) < n:
            count = n - len(numbers)
            first = reserve_block(scope=f"case:{category}", year=year, count=count)
            block = [(format_case_number(year=year, category=category, seq=seq, profile=profile), seq)
                     for seq in range(first, first + count)]
            taken = set(held)
            for i in range(0, len(block), 5000):
                taken.update(Case.objects.filter(number__in=[b[0] for b in block[i:i + 5000]])
                             .values_list("number", flat=True))
            numbers += [b for b in block if b[0] not in taken]
        issued[(category, year)] = iter(numbers)
    return issued


def write_cases(rows, ctx):
    """Cases in bulk with case_open's derivations; numbers reserved in gapless blocks per year and kind."""
    from applicants.groups import registry_categories
    from applicants.idcard import normalise
    from cases.models import Assignment, Case
    from core.models import CenterProfile

    todo, matched, fps = _to_write(rows, ctx)
    if not todo:
        return 0, matched
    profile = CenterProfile.get()
    to_issue = _reserve_numbers(todo, profile)
    persons = persons_for(todo, ctx)
    registry = registry_categories([p.id_number for p in persons])
    user = user_of(ctx)
    # A handler new to the roster takes the first type the file gives for that name and firm, so that
    # a first row without 承办人类型 does not give it the default type.
    first_kind: dict[tuple[str, str], str] = {}
    for r in todo:
        if r.values["handler"] and r.values["handler_kind"]:
            first_kind.setdefault((r.values["handler"], r.values["provider"]), r.values["handler_kind"])
    cases, handlers, due = [], [], cached_due({})
    for r, person in zip(todo, persons, strict=True):
        v = r.values
        if v.get("number"):
            number, seq = v["number"], v["seq"]
        else:
            number, seq = next(to_issue[(v["category"], v["accepted_on"].year)])
        case = build_case(v, person, by=user, number=number, seq=seq, due=due,
                          registry=registry.get(normalise(person.id_number), set()))
        if not v.get("number"):
            case.import_fingerprint = fps[id(r)]
        handler = stations.handler(v["handler"], first_kind.get((v["handler"], v["provider"]), ""), v["provider"],
                                   ctx)
        case.handler = handler
        if handler is not None:
            # The row's own type counts (STATISTICS.md), not whatever the roster says.
            case.handler_kind = v["handler_kind"] or handler.kind
        cases.append(case)
        handlers.append(handler)
    bulk(Case, cases, ctx)
    ctx.warnings.extend(_handler_kind_warnings(todo, handlers, ctx))
    bulk(Assignment, [
        Assignment(case=case, handler=handler, handler_kind=case.handler_kind, assigned_on=r.values["assigned_on"],
                   assigned_by=user, ended_on=case.closed_on or case.terminated_on)
        for r, case, handler in zip(todo, cases, handlers, strict=True)
        if r.values["assigned_on"] and handler is not None
    ], ctx)
    write_subsidies(todo, cases, handlers, ctx)
    return len(cases), matched


def _row_list(numbers: list[int]) -> str:
    shown = "、".join(str(n) for n in numbers[:10])
    return shown if len(numbers) <= 10 else f"{shown} 等 {len(numbers)} "


def _handler_kind_warnings(rows: list[Row], handlers: list, ctx: Context) -> list[str]:
    """One warning per handler whose rows give different types, or a type other than the roster's."""
    given: dict[int, dict[str, list[int]]] = {}
    by_pk = {}
    for r, handler in zip(rows, handlers, strict=True):
        if handler is not None and r.values["handler_kind"]:
            given.setdefault(handler.pk, {}).setdefault(r.values["handler_kind"], []).append(r.number)
            by_pk[handler.pk] = handler
    warnings = []
    for pk, kinds in given.items():
        handler = by_pk[pk]
        roster = None if pk in ctx.new_handlers else handler.kind
        if len(set(kinds) | ({roster} if roster else set())) < 2:
            continue
        ordered = sorted(kinds.items(), key=lambda item: item[1][0])
        reference = roster or ordered[0][0]
        anchor = min(n for kind, numbers in kinds.items() if kind != reference for n in numbers)
        parts = [f"名册中为{HANDLER_KIND.zh[roster]}"] if roster else []
        parts += [f"第 {_row_list(numbers)} 行为{HANDLER_KIND.zh[kind]}" for kind, numbers in ordered]
        firm = f"（{handler.provider.name}）" if handler.provider_id else ""
        warnings.append(f"案件!{anchor}: 承办人类型: 承办人「{handler.name}」{firm}的类型不一致："
                        f"{'，'.join(parts)}；各行照常导入，每个案件按本行的承办人类型统计，名册中的类型不变")
    return warnings
