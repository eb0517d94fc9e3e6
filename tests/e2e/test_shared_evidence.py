"""Evidence that can be shared (issue 23, point 8): screenshots mask children's data.

A page with known national IDs and names is photographed through edubot's own code, and the
picture is read back pixel by pixel in the browser (a canvas): every form field, every table
cell and every text holding a national ID is the mask colour; headings stay readable. A failed
run's report.html embeds only the masked picture; the unmasked one exists only when asked for.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page
from typer.testing import CliRunner

from bot.cli.app import app
from bot.engine.actions import take_screenshot
from bot.engine.report_html import write_report_html
from mock_portals.serve import ServedApp
from tests.conftest import browser_page
from tests.e2e.conftest import FLOWS, children, write_children

pytestmark = pytest.mark.e2e
MAGENTA = [255, 0, 255]
MATHAYOM = "มัธยมศึกษาปีที่ 1"  # valid for edubot, not taught at the municipal school

PAGE = """
<h1 id=title style="font-size:40px">ข้อมูลนักเรียน</h1>
<form>
  <label>เลขประจำตัวประชาชน <input id=nid value="1103702071005" style="width:200px"></label>
  <label>ชื่อ <input id=first value="สมชาย" style="width:200px"></label>
  <select id=prefix><option>เด็กชาย</option></select>
  <textarea id=address>12 หมู่ 3 ตำบลบ้านเป็ด</textarea>
  <button type=submit id=save>บันทึก</button>
</form>
<table border=1>
  <tr><th>ชื่อ</th><th>เลขประจำตัว</th></tr>
  <tr><td id=name-cell>สมหญิง ใจดี</td><td id=id-cell>1-1037-02071-01-3</td></tr>
</table>
<p id=message>เลขประจำตัวประชาชน 1103702071021 มีอยู่ในระบบแล้ว</p>
"""
MASKED = ("nid", "first", "prefix", "address", "name-cell", "id-cell", "message")

# Reads pixels of a PNG in the page: no image library needed.
_PIXELS_JS = """
async ([png, points]) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width; canvas.height = image.height;
  const g = canvas.getContext('2d');
  g.drawImage(image, 0, 0);
  if (points === null) {
    const all = g.getImageData(0, 0, image.width, image.height).data;
    let magenta = 0;
    for (let i = 0; i < all.length; i += 4) {
      if (all[i] === 255 && all[i + 1] === 0 && all[i + 2] === 255) magenta++;
    }
    return magenta;
  }
  return points.map(([x, y]) => Array.from(g.getImageData(x, y, 1, 1).data.slice(0, 3)));
}
"""


def _pixels(page: Page, png: Path, points: list[tuple[int, int]]) -> list[list[int]]:
    encoded = base64.b64encode(png.read_bytes()).decode()
    pixels: list[list[int]] = page.evaluate(_PIXELS_JS, [encoded, points])
    return pixels


def _magenta_pixels(page: Page, png: bytes) -> int:
    count: int = page.evaluate(_PIXELS_JS, [base64.b64encode(png).decode(), None])
    return count


def _inside(page: Page, element_id: str) -> list[tuple[int, int]]:
    """Five points inside the element's box: its centre and near each corner."""
    box = page.locator(f"#{element_id}").bounding_box()
    assert box is not None
    x, y, w, h = box["x"], box["y"], box["width"], box["height"]
    return [
        (int(x + w / 2), int(y + h / 2)),
        (int(x + 2), int(y + 2)),
        (int(x + w - 3), int(y + 2)),
        (int(x + 2), int(y + h - 3)),
        (int(x + w - 3), int(y + h - 3)),
    ]


def test_a_screenshot_masks_every_field_cell_and_national_id(
    own_page: Page, tmp_path: Path
) -> None:
    own_page.set_content(PAGE)
    shot = tmp_path / "failures" / "0001.png"

    full = take_screenshot(own_page, shot, full=False)

    assert full is None and shot.stat().st_mode & 0o077 == 0
    for element_id in MASKED:
        assert _pixels(own_page, shot, _inside(own_page, element_id)) == [MAGENTA] * 5, element_id
    for element_id in ("title", "save"):  # where the page was stays readable
        assert MAGENTA not in _pixels(own_page, shot, _inside(own_page, element_id)), element_id


def test_a_full_screenshot_is_kept_beside_only_when_asked_and_owner_only(
    own_page: Page, tmp_path: Path
) -> None:
    own_page.set_content(PAGE)
    shot = tmp_path / "screenshots" / "receipt.png"

    full = take_screenshot(own_page, shot, full=True)

    assert full == tmp_path / "screenshots" / "receipt-full.png"
    assert full.stat().st_mode & 0o777 == 0o600
    assert _pixels(own_page, shot, _inside(own_page, "nid")) == [MAGENTA] * 5
    assert MAGENTA not in _pixels(own_page, full, _inside(own_page, "nid"))


def test_a_receipt_of_one_element_masks_its_fields_and_ids(own_page: Page, tmp_path: Path) -> None:
    """A flow's receipt of one element (a status row) keeps its words, IDs and fields masked."""
    own_page.set_content(PAGE)
    shot = tmp_path / "screenshots" / "row.png"
    form = own_page.locator("form")

    take_screenshot(own_page, shot, form, full=False)

    box = form.bounding_box()
    assert box is not None
    offset = [(x - int(box["x"]), y - int(box["y"])) for x, y in _inside(own_page, "nid")]
    assert _pixels(own_page, shot, offset) == [MAGENTA] * 5


def test_report_html_of_a_failed_run_embeds_only_the_masked_screenshot(
    cli: CliRunner, school_login: ServedApp, tmp_path: Path
) -> None:
    """The second child's grade is not taught: the portal refuses it on the form, whose fields
    hold the child's national ID and names."""
    kids = children(2, seed=88)
    kids[1] = kids[1].model_copy(update={"grade": MATHAYOM})
    data = write_children(tmp_path / "children.xlsx", kids)
    run_dir = tmp_path / "run"
    students = str(FLOWS / "lec" / "students.yaml")

    args = ["run", students, "--data", str(data), "--run-dir", str(run_dir), "--full-screenshots"]
    result = cli.invoke(app, args)

    assert result.exit_code == 1, result.output
    report: dict[str, Any] = json.loads((run_dir / "report.json").read_text(encoding="utf-8"))
    failed = report["records"][1]
    assert failed["status"] == "failed" and failed["screenshot"]
    masked = (run_dir / failed["screenshot"]).read_bytes()
    full_path = (run_dir / failed["screenshot"]).with_name("0002-full.png")
    assert full_path.stat().st_mode & 0o777 == 0o600
    html = write_report_html(report, run_dir).read_text(encoding="utf-8")
    assert base64.b64encode(masked).decode() in html
    assert base64.b64encode(full_path.read_bytes()).decode() not in html
    with browser_page() as page:
        assert _magenta_pixels(page, masked) > 5000  # the form's fields, masked
        assert _magenta_pixels(page, full_path.read_bytes()) == 0
