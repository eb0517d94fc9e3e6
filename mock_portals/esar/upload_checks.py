"""What is wrong with an upload: the chosen school, year and level, and the file itself.

Every problem is listed at once (the page shows them all); each carries its HTTP status."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile

from mock_portals.esar.form_values import school_in
from mock_portals.esar.messages import (
    MSG_BAD_LEVEL,
    MSG_BAD_YEAR,
    MSG_LEVEL_NOT_OFFERED,
    MSG_NOT_PDF_CONTENT,
    MSG_NOT_PDF_TYPE,
    MSG_NOT_YOUR_SCHOOL,
    MSG_PICK_LEVEL,
    MSG_PICK_SCHOOL,
    MSG_PICK_YEAR,
    MSG_TOO_BIG,
)
from mock_portals.esar.pdf_sniff import looks_like_pdf
from mock_portals.esar.seed import LEVELS, School
from mock_portals.esar.thai_format import megabytes

PDF_CONTENT_TYPES = frozenset({"application/pdf", "application/x-pdf"})


@dataclass(frozen=True)
class Problem:
    message: str
    status: int = 400


def selection_problems(
    schools: list[School], academic_years: tuple[int, ...], chosen: dict[str, str]
) -> list[Problem]:
    """The chosen school (one of `schools`, the account's), year and level."""
    problems = []
    code, year, level = chosen["school_code"], chosen["academic_year"], chosen["level"]
    school = school_in(schools, code)
    if not code:
        problems.append(Problem(MSG_PICK_SCHOOL))
    elif school is None:
        problems.append(Problem(MSG_NOT_YOUR_SCHOOL, 403))
    if not year:
        problems.append(Problem(MSG_PICK_YEAR))
    elif not year.isdigit() or int(year) not in academic_years:
        problems.append(Problem(MSG_BAD_YEAR))
    if not level:
        problems.append(Problem(MSG_PICK_LEVEL))
    elif level not in LEVELS:
        problems.append(Problem(MSG_BAD_LEVEL))
    elif school is not None and level not in school.levels:
        problems.append(Problem(MSG_LEVEL_NOT_OFFERED.format(school=school.name, level=level)))
    return problems


def file_problems(file: UploadFile, data: bytes, max_bytes: int) -> list[Problem]:
    """The file's declared type, its size, then its content: the first problem only."""
    content_type = (file.content_type or "").split(";")[0].strip().lower()
    if content_type not in PDF_CONTENT_TYPES:
        return [Problem(MSG_NOT_PDF_TYPE, 415)]
    if len(data) > max_bytes:
        limit, size = megabytes(max_bytes), megabytes(len(data))
        return [Problem(MSG_TOO_BIG.format(limit=limit, size=size), 413)]
    if not looks_like_pdf(data):
        return [Problem(MSG_NOT_PDF_CONTENT, 415)]
    return []
