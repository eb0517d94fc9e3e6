"""Read students from xlsx, xls (flat template or LEC's RPT318) and CSV, reporting every problem.

``read_students`` never stops at the first bad cell: it returns the valid students and one
:class:`Problem` per bad cell, header, duplicate or file-level issue, in a single pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.data.errors import RuleError
from bot.data.fields import CLEARABLE_KEYS, FIELDS_BY_KEY, STUDENT_FIELDS, FieldSpec
from bot.data.headers import Column, HeaderLayout, find_header
from bot.data.problems import Problem, Severity, column_letter, has_errors
from bot.data.records import Student
from bot.data.rules import (
    cross_check,
    derive_gender,
    is_clear_mark,
    is_empty,
    parse_value,
    plain_text,
)
from bot.data.sources import DEFAULT_LIMITS, RawSheet, ReadLimits, load_sheets
from bot.data.student_table import StudentRow, StudentTable, mixed_rounds, rows_without_school
from bot.data.thai import mask_name, mask_national_id

__all__ = ["StudentRow", "StudentTable", "read_students"]

# Sheets the edubot template adds next to the data sheet.
AUX_SHEETS = frozenset({"คำอธิบาย", "lists", "ปัญหา (problems)"})
_GENERIC_SHEET_NAMES = ("sheet", "แผ่นงาน", "ชีต", "นักเรียน", "students", "data", "ข้อมูล")


@dataclass
class _Context:
    file: str
    today: date
    show_personal: bool = False  # the officer asked to see IDs and names in full
    problems: list[Problem] = field(default_factory=list)
    seen_ids: dict[str, tuple[str, int]] = field(default_factory=dict)
    absent_named: set[str] = field(default_factory=set)  # optional columns already warned of

    def add(
        self,
        error: RuleError,
        *,
        sheet: str = "",
        row: int | None = None,
        column: Column | None = None,
        value: str = "",
        key: str = "",
        severity: Severity = "error",
    ) -> None:
        self.problems.append(
            Problem.from_rule(
                error,
                severity=severity,
                file=self.file,
                sheet=sheet,
                row=row,
                column=column.header if column else "",
                column_letter=column_letter(column.index + 1) if column else "",
                field=key,
                value=value,
            )
        )


def read_students(
    path: Path,
    *,
    sheet: str | None = None,
    today: date | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
    show_personal: bool = False,
) -> StudentTable:
    """Read every student of an xlsx, xls or CSV file; see the module docstring.

    Problems show personal values (IDs, names, phones) masked unless `show_personal`.
    """
    context = _Context(file=path.name, today=today or date.today(), show_personal=show_personal)
    try:
        sheets = load_sheets(path, limits)
    except RuleError as error:
        context.add(error)
        return StudentTable(rows=(), problems=tuple(context.problems))
    return _students_of(sheets, sheet, context)


def _students_of(sheets: list[RawSheet], sheet: str | None, context: _Context) -> StudentTable:
    rows: list[StudentRow] = []
    layouts = list(_data_sheets(sheets, sheet, context))
    for raw, layout in layouts:
        rows += _read_sheet(raw, layout, context, many_sheets=len(layouts) > 1)
    context.problems += mixed_rounds(rows, context.file) + rows_without_school(rows, context.file)
    return StudentTable(rows=tuple(rows), problems=tuple(context.problems))


def _data_sheets(
    sheets: list[RawSheet], wanted: str | None, context: _Context
) -> Iterator[tuple[RawSheet, HeaderLayout]]:
    if wanted is not None:
        sheets = [raw for raw in sheets if raw.name == wanted]
        if not sheets:
            context.add(RuleError(f"ไม่พบชีต '{wanted}' ในไฟล์", f"The file has no sheet '{wanted}'."))
            return
    found = False
    for raw in sheets:
        layout = find_header(raw.rows) if raw.name not in AUX_SHEETS else None
        if layout is not None:
            found = True
            yield raw, layout
    if not found:
        context.add(
            RuleError(
                "ไม่พบแถวหัวตาราง (เช่น เลขประจำตัวประชาชน, ชื่อ, นามสกุล) ในไฟล์",
                "No header row found (e.g. เลขประจำตัวประชาชน / national_id, first_name).",
                fix_th="ใช้แม่แบบจากคำสั่ง edubot template students หรือรายงาน RPT318 จาก LEC",
                fix_en="Use the template from `edubot template students` or LEC's RPT318.",
            )
        )


def _read_sheet(
    raw: RawSheet, layout: HeaderLayout, context: _Context, *, many_sheets: bool
) -> list[StudentRow]:
    _check_headers(raw, layout, context)
    mapped = layout.mapped
    missing = {spec.key for spec in _required_specs() if spec.key not in mapped}
    school = _school_from_sheet_name(raw.name, many_sheets=many_sheets)
    rows = []
    for number in range(layout.data_start, len(raw.rows) + 1):
        cells = raw.rows[number - 1]
        values = {
            key: cells[c.index] if c.index < len(cells) else None for key, c in mapped.items()
        }
        if all(is_empty(values.get(spec.key)) for spec in _student_specs()):
            continue  # blank line, or a footer such as a row count
        if school and all(is_empty(values.get(k)) for k in ("school_code", "school_name")):
            values.update(school)
        student = _read_row(raw, number, values, mapped, missing, context)
        if student is not None:
            rows.append(StudentRow(sheet=raw.name, row=number, student=student))
    return rows


def _check_headers(raw: RawSheet, layout: HeaderLayout, context: _Context) -> None:
    for column in layout.unknown:
        context.add(
            RuleError(
                f"ไม่รู้จักคอลัมน์ '{column.header}' (หรือซ้ำ) จึงไม่ใช้ข้อมูลในคอลัมน์นี้",
                f"Unknown or repeated column '{column.header}'; it is ignored.",
                fix_th="ถ้าเป็นข้อมูลที่ต้องกรอก ให้แก้หัวคอลัมน์ให้ตรงกับแม่แบบ",
                fix_en="If the column is needed, rename its header as in the template.",
            ),
            sheet=raw.name,
            row=layout.header_row,
            column=column,
            severity="warning",
        )
    _warn_absent_optional(raw, layout, context)
    for spec in _required_specs():
        if spec.key not in layout.mapped:
            context.add(
                RuleError(
                    f"ไม่พบคอลัมน์ที่ต้องมี '{spec.header_th}'",
                    f"The required column '{spec.header_th}' ({spec.alias_en}) is missing.",
                    fix_th=f"เพิ่มคอลัมน์หัว '{spec.header_th}'",
                    fix_en=f"Add a column headed '{spec.header_th}' or '{spec.alias_en}'.",
                ),
                sheet=raw.name,
                row=layout.header_row,
                key=spec.key,
            )


def _warn_absent_optional(raw: RawSheet, layout: HeaderLayout, context: _Context) -> None:
    """Name, once per file, the optional columns the file lacks: the portal keeps those values."""
    absent = [
        spec
        for spec in _student_specs()
        if not spec.required
        and spec.key not in layout.mapped
        and spec.key not in context.absent_named
    ]
    if not absent:
        return
    context.absent_named.update(spec.key for spec in absent)
    headers = ", ".join(spec.header_th for spec in absent)
    context.add(
        RuleError(
            f"ไฟล์ {context.file} ไม่มีคอลัมน์: {headers} — ค่าของช่องเหล่านี้ในระบบจะคงเดิม ไม่ถูกลบ",
            f"{context.file} has no column for: {', '.join(s.alias_en for s in absent)} — "
            "the portal's values of these fields are left as they are, not erased.",
            fix_th="ถ้าต้องการแก้ช่องเหล่านี้ ให้เพิ่มคอลัมน์ตามแม่แบบ (ใส่ - เพื่อลบค่าในระบบ)",
            fix_en="To change them, add the columns as in the template (a - clears a value).",
        ),
        sheet=raw.name,
        row=layout.header_row,
        severity="warning",
    )


def _read_row(
    raw: RawSheet,
    number: int,
    values: dict[str, object],
    mapped: dict[str, Column],
    missing: set[str],
    context: _Context,
) -> Student | None:
    before = len(context.problems)
    parsed: dict[str, object] = {}
    for key, value in values.items():
        spec, column = FIELDS_BY_KEY[key], mapped.get(key)
        if (
            raw.formulas
            and column is not None
            and _is_bad_formula(raw, number, column, value, context)
        ):
            continue  # the formula is the problem; its missing value is not another
        try:
            parsed[key] = parse_value(spec, value, today=context.today)
        except RuleError as error:
            _add_cell(context, error, raw, number, column, spec, value)
    for spec in _required_specs():
        if spec.key not in values and spec.key not in missing:
            _add_cell(context, _missing(spec), raw, number, None, spec, None)
    if not parsed.get("gender") and "prefix" in parsed:
        parsed["gender"] = derive_gender(parsed)
    for finding in cross_check(parsed, today=context.today):
        spec = FIELDS_BY_KEY[finding.key]
        column = mapped.get(finding.key)
        _add_cell(context, finding.error, raw, number, column, spec, values.get(finding.key),
                  severity=finding.severity)  # fmt: skip
    _check_duplicate(raw, number, parsed, mapped, context)
    if missing or has_errors(context.problems[before:]):
        return None
    # A dash in an optional cell asks to empty the field on the portal; a blank leaves it.
    parsed["cleared"] = frozenset(
        key for key, value in values.items() if key in CLEARABLE_KEYS and is_clear_mark(value)
    )
    return _build(parsed)


def _build(parsed: dict[str, object]) -> Student:
    # Every field went through parse_value and cross_check above, exactly as the model's
    # validators do; validating a second time doubled the reading time.
    construct: Callable[..., Student] = Student.model_construct  # values are typed by parsing
    return construct(**parsed)


def _is_bad_formula(
    raw: RawSheet, number: int, column: Column, value: object, context: _Context
) -> bool:
    """Flag a formula cell; tell whether it is an error (no usable value)."""
    if (number, column.index + 1) not in raw.formulas:
        return False
    return _flag_formula(raw, number, column, value, context) == "error"


def _flag_formula(
    raw: RawSheet, number: int, column: Column, value: object, context: _Context
) -> Severity:
    if value is None or (isinstance(value, str) and value.startswith("=")):
        error = RuleError(
            "เซลล์นี้เป็นสูตรที่ไม่มีค่าที่คำนวณไว้",
            "This cell holds a formula with no computed value.",
            fix_th="คัดลอกแล้ววางแบบค่า (วางแบบพิเศษ > ค่า)",
            fix_en="Copy and paste as values (Paste Special > Values).",
        )
        severity: Severity = "error"
    else:
        error = RuleError(
            "เซลล์นี้เป็นสูตร ระบบใช้ค่าที่ Excel แสดงอยู่",
            "This cell holds a formula; the value Excel shows is used.",
            fix_th="ตรวจค่าที่แสดง หรือวางแบบค่าแทนสูตร",
            fix_en="Check the shown value, or paste it as a value instead of a formula.",
        )
        severity = "warning"
    spec = FIELDS_BY_KEY[column.key or "national_id"]
    _add_cell(context, error, raw, number, column, spec, None, severity=severity)
    return severity


def _check_duplicate(
    raw: RawSheet, number: int, parsed: dict[str, object], mapped: dict[str, Column],
    context: _Context,
) -> None:  # fmt: skip
    key = parsed.get("national_id")
    if not isinstance(key, str) or not key:
        return
    first = context.seen_ids.setdefault(key, (raw.name, number))
    if first == (raw.name, number):
        return
    where_th = f"แถว {first[1]}" + (f" ชีต '{first[0]}'" if first[0] else "")
    where_en = f"row {first[1]}" + (f" of sheet '{first[0]}'" if first[0] else "")
    error = RuleError(
        f"เลขประจำตัวซ้ำกับ{where_th} (แถวนี้คือแถว {number})",
        f"The ID repeats {where_en} (this is row {number}).",
        fix_th="ลบแถวที่ซ้ำ หรือแก้เลขที่พิมพ์ผิด",
        fix_en="Delete the duplicate row or correct the mistyped ID.",
    )
    spec = FIELDS_BY_KEY["national_id"]
    _add_cell(context, error, raw, number, mapped.get("national_id"), spec, key)


def _add_cell(
    context: _Context,
    error: RuleError,
    raw: RawSheet,
    number: int,
    column: Column | None,
    spec: FieldSpec,
    value: object,
    *,
    severity: Severity = "error",
) -> None:
    if column is None:  # no such column: name the field instead of a cell
        column = Column(-1, spec.header_th, spec.key)
    context.problems.append(
        Problem.from_rule(
            error,
            severity=severity,
            file=context.file,
            sheet=raw.name,
            row=number,
            column=column.header,
            column_letter=column_letter(column.index + 1) if column.index >= 0 else "",
            field=spec.key,
            value=plain_text(value)[:80] if context.show_personal else _shown_value(spec, value),
        )
    )


def _shown_value(spec: FieldSpec, value: object) -> str:
    """The cell's value for a problem report, masked when it is personal data."""
    text = plain_text(value)
    if not text or not spec.personal:
        return text[:80]
    if spec.kind == "id":
        return mask_national_id(text)
    if spec.kind == "phone":
        return text[:3] + "x" * max(len(text) - 5, 0) + text[-2:] if len(text) > 5 else "xxx"
    return mask_name(text)


def _missing(spec: FieldSpec) -> RuleError:
    try:
        parse_value(spec, None, today=date.today())
    except RuleError as error:
        return error
    raise AssertionError(f"{spec.key} is not required")  # pragma: no cover


def _required_specs() -> tuple[FieldSpec, ...]:
    # Gender may be left out: it follows the prefix, as on the LEC form.
    return tuple(s for s in _student_specs() if s.required and s.key != "gender")


def _student_specs() -> tuple[FieldSpec, ...]:
    return STUDENT_FIELDS


def _school_from_sheet_name(name: str, *, many_sheets: bool) -> dict[str, object]:
    """A sheet per school: ``1234567890 โรงเรียน…`` or the school's name on each tab."""
    text = plain_text(name)
    code, _, rest = text.partition(" ")
    if len(code) == 10 and code.isdigit():
        return {"school_code": code, "school_name": rest.strip()} if rest else {"school_code": code}
    generic = not text or text.lower().startswith(_GENERIC_SHEET_NAMES)
    return {"school_name": text} if many_sheets and not generic else {}
