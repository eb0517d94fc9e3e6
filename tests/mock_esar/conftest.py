"""Fixtures for the mock e-SAR: an app on a temporary state folder and a logged-in client."""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pypdf import PdfWriter
from starlette.applications import Starlette

with warnings.catch_warnings():
    # Starlette asks for `httpx2`; the project pins `httpx`, which still works.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from mock_portals.esar import create_app

SCHOOL = "3040010002"
CENTRE = "3040010001"
YEAR = "2567"
BASIC = "ขั้นพื้นฐาน"
EARLY = "ปฐมวัย"
YEARS = (2569, 2568, 2567, 2566)

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token in a rendered page."""
    found = _CSRF.search(html)
    assert found is not None, "page has no csrf_token field"
    return found.group(1)


def pdf_bytes(pages: int = 1) -> bytes:
    """A small valid PDF with blank pages."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def login(client: TestClient, username: str = "qa", password: str = "demo") -> str:
    """Log in through the form; returns the CSRF token of the logged-in session."""
    token = csrf_of(client.get("/").text)
    page = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


def slot_form(
    token: str, code: str = SCHOOL, year: str = YEAR, level: str = BASIC
) -> dict[str, str]:
    """The fields that name a slot, with the CSRF token."""
    return {"csrf_token": token, "school_code": code, "academic_year": year, "level": level}


def upload(
    client: TestClient,
    token: str,
    data: bytes,
    *,
    name: str = "sar.pdf",
    content_type: str = "application/pdf",
    code: str = SCHOOL,
    level: str = BASIC,
) -> httpx.Response:
    """Post the upload form."""
    files = {"sar_file": (name, data, content_type)}
    response: httpx.Response = client.post(
        "/upload", data=slot_form(token, code, YEAR, level), files=files
    )
    return response


@pytest.fixture
def app(tmp_path: Path) -> Starlette:
    return create_app(tmp_path, academic_years=YEARS, max_upload_bytes=64 * 1024)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client
