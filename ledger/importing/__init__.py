"""Import of the Excel ledger (LEDGER.md): parse, validate every row, then write all or nothing.

Two phases:

* ``parse_workbook`` (parse.py) reads the workbook sheet by sheet, each cell with its parser (cells.py) as
  the one schema of the sheets says (schema.py, which ledger.exporters writes too), and checks each row
  (parse.row_rules) and the rows together and against the database (checks.py). Every problem is collected
  as ``sheet!row: column: message`` in Chinese; unknown sheets and columns are warnings.
* ``import_ledger`` (run.py) then writes every sheet in one transaction, by the writer of the app whose
  records it holds (writers/), with PostgreSQL COPY in batches of 5,000 rows, history included (writing.py).

Decisions (documented, see also the report of issue 7; each module says the ones it implements):

* Re-import: a 案件 row with 案号 matches the case with that number and changes nothing ("matched").
  Every other row is matched on content (fingerprints.py). Repeats count: n identical rows where m already
  exist add n - m.
* Row inconsistencies LEDGER.md does not name (closing before assignment, a grade or a payment date
  without what it belongs to, an organ on an applied case, a type or firm without a handler) are warnings;
  the row is imported and the cell that cannot be kept is left out. Errors are what the contract names
  and what no record could hold (a date in the future, 通知辩护 on a case that is not criminal).
* An empty 案件来源 is 申请, except on a 刑事 row that names a 通知机关, which is 通知辩护.
* Cases are built by cases.services.new_case, with case_open's derivations; their state, numbers and
  handler types: writers/cases.py. Subsidies: writers/funding.py.
* Masked ID numbers and phones (``110101********123X``, from an export without full rights) are accepted
  in 案件 and 咨询 but never stored; 困难群体 needs the full number.
* 证件号码 of a 案件 row: a resident ID number (checked), or another document's number (letters besides a
  last X: a passport, a permit), which the system also exports; the recipient is then of ID type "other".
* 经费支出 takes red (negative) amounts: a correcting entry of the county's ledger, or a 红字冲销 this system
  exported. A system's own posting (a month's duty subsidies) is matched by what it holds, like any record.
* A sheet whose XML is corrupt is an error of the file (不是有效的 Excel 文件), not a crash; so is a corrupt
  cell (a number that is none, a shared string that does not exist, a reference that is none), at its row.
* A sheet is read as its XML holds it, whoever saved it (parse.sheet_rows): not within its declared dimension
  (WPS Office declares ``A1``), serial dates in the workbook's date system (1904 included), Excel's ``_x000D_``
  escapes undone (core.cells.cell_text). Only rows with a value count toward the row limit; formatted empty
  rows count toward a ten times looser bound of all rows (core.files ``xlsx_all_rows``).
* A formula saved without its result (a file no office program calculated) is an error of its cell, never
  read as an empty cell and its default.
* A ledger column that appears twice is read from its first place; the other is a warning when it is empty in
  every row, an error naming both columns when it holds values (only the clerk knows which one is right).
* Line breaks compare equal whatever wrote them (CR LF, LF, CR) when rows are matched on content.
* A case number the system issues skips one that the file or the database already holds (a ledger's number of
  the next year on a case accepted in late December): writers/cases.py.
"""

from __future__ import annotations

from applicants.idcard import id_number_cell as id_number
from core.cells import (
    CellError,
    choice,
    group_list,
    is_masked,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    text_of,
)

from .parse import LimitReached, Limits, Parsed, Row, Stations, check_file, parse_workbook
from .run import import_ledger, write
from .schema import COLUMNS, SHEETS, Col, ledger_sheets
from .writers.cases import build_case
from .writing import Context, Result

__all__ = [
    "COLUMNS", "SHEETS", "CellError", "Col", "Context", "LimitReached", "Limits", "Parsed",
    "Result", "Row", "Stations", "build_case", "check_file", "choice", "group_list", "id_number", "import_ledger",
    "is_masked", "ledger_sheets", "parse_bool", "parse_date", "parse_int", "parse_money", "parse_workbook", "text_of", "write",
]
