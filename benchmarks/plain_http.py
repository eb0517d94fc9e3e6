"""The portal's own floor: the same saves as plain HTTP requests, no browser at all.

`python -m benchmarks.plain_http URL FIELDS.json` logs in (reading the login form's urlToken),
then per child GETs `student/form.do` for its one-time urlToken and POSTs `student/save.do`.
A save is taken when the portal answers with the list and its "saved" flash (the mock forwards
on the server; with `save_redirects` it would answer 303 to `list.do?saved=1`, taken too and not
followed: that request would be the browser's, not the portal's).
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

import httpx

from benchmarks.fields_file import read_fields

TOKEN = re.compile(r'name="urlToken" value="([^"]+)"')


def token_of(response: httpx.Response) -> str:
    response.raise_for_status()
    found = TOKEN.search(response.text)
    if found is None:
        raise SystemExit(f"No urlToken on {response.url}; is the session gone?")
    return found.group(1)


def log_in(client: httpx.Client) -> None:
    token = token_of(client.get("/index.jsp"))
    answer = client.post(
        "/login.do",
        data={
            "cmd": "doLogin",
            "urlToken": token,
            "login": os.environ.get("EDUBOT_LEC_USERNAME", "school"),
            "password": os.environ.get("EDUBOT_LEC_PASSWORD", "demo"),
        },
    )
    if answer.status_code != 303 or "home.do" not in answer.headers.get("location", ""):
        raise SystemExit(f"Login refused: {answer.status_code}")


SAVED = "บันทึกข้อมูลเรียบร้อย"


def save(client: httpx.Client, fields: list[dict[str, Any]]) -> None:
    token = token_of(client.get("/student/form.do"))
    data = {"urlToken": token, **{f["key"]: f["value"] for f in fields}}
    answer = client.post("/student/save.do", data=data)
    redirected = answer.status_code == 303 and "saved=1" in answer.headers.get("location", "")
    rendered = answer.status_code == 200 and SAVED in answer.text
    if not (redirected or rendered):
        raise SystemExit(f"Save refused: {answer.status_code}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.plain_http")
    parser.add_argument("url")
    parser.add_argument("fields", type=Path)
    ns = parser.parse_args(argv)
    with httpx.Client(base_url=ns.url, timeout=60) as client:
        log_in(client)
        for fields in read_fields(ns.fields):
            save(client, fields)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
