"""Fields found by the words beside them, buttons and links by text, value or title.

Every rule of bot/engine/label_engine.js on static pages in a real Chromium, through the
engine's own actions (`perform`), in both the accessible markup (`<label for>`) and the
framework's (a label in the column before, a cell before, placeholders, titles).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from bot.engine.actions import ActionEnv, StepState, perform
from bot.errors import StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import Click, Fill, FillForm, Locator, Select

pytestmark = pytest.mark.e2e

FRAMEWORK_ROW = (
    '<div class="row form-group"><div class="col-sm-2 text-right"><label> {label}: </label>'
    '</div><div class="col-sm-3"><input type="text" name="{name}"></div></div>'
)


def _env(tmp_path: Path, timeout_ms: int = 1500) -> ActionEnv:
    return ActionEnv(Bindings(), tmp_path, allow_irreversible=False, timeout_ms=timeout_ms)


def _fill(page: Page, tmp_path: Path, label: str, value: str, line: int = 0) -> None:
    perform(
        page,
        Fill(locator=Locator(label=label), value=value, line=line),
        _env(tmp_path),
        StepState(),
    )


def _value(page: Page, css: str) -> str:
    return page.locator(css).input_value()


@pytest.mark.parametrize(
    ("html", "label"),
    [
        ('<label for="x">ชื่อ</label><span> *</span><input id="x">', "ชื่อ"),  # accessible
        ("<label>ชื่อ <input id=x></label>", "ชื่อ"),  # wrapping label
        ('<input id="x" aria-label="ชื่อ">', "ชื่อ"),
        ('<span id="l">ชื่อ</span><div><input id="x" aria-labelledby="l"></div>', "ชื่อ"),
        (FRAMEWORK_ROW.format(label="ชื่อ", name='x" id="x'), "ชื่อ"),  # framework column
        ("<table><tr><td>ชื่อ</td><td><input id=x></td></tr></table>", "ชื่อ"),  # table cell
        ('<input id="x" placeholder="Username">', "Username"),  # framework login
        ('<input id="x" title="ชื่อ">', "ชื่อ"),
    ],
    ids=[
        "label-for",
        "wrapping",
        "aria-label",
        "aria-labelledby",
        "column",
        "cell",
        "placeholder",
        "title",
    ],
)
def test_each_rule_finds_the_field_a_person_would(
    own_page: Page, tmp_path: Path, html: str, label: str
) -> None:
    own_page.set_content(f"<form><p>หัวข้อ</p>{html}<input id=other></form>")
    _fill(own_page, tmp_path, label, "สมชาย")
    assert _value(own_page, "#x") == "สมชาย"
    assert _value(own_page, "#other") == ""


@pytest.mark.parametrize("words", [" ชื่อ: ", "* ชื่อ", "ชื่อ :*", "ชื่อ\u00a0\n :"])
def test_colons_asterisks_and_spacing_around_the_words_are_ignored(
    own_page: Page, tmp_path: Path, words: str
) -> None:
    own_page.set_content(
        f'<div><div><label>{words}</label></div><div><input id="x"></div></div>'
        '<div><div><label>ชื่อเล่น:</label></div><div><input id="nick"></div></div>'
    )
    _fill(own_page, tmp_path, "ชื่อ", "สมชาย")
    assert _value(own_page, "#x") == "สมชาย"
    assert _value(own_page, "#nick") == ""  # other words are another field, not a prefix


def test_a_label_for_wins_over_words_that_only_stand_near_another_field(
    own_page: Page, tmp_path: Path
) -> None:
    own_page.set_content(
        '<label for="a">ชื่อ</label><input id="a">'
        "<table><tr><td>ชื่อ</td><td><input id=b></td></tr></table>"
    )
    _fill(own_page, tmp_path, "ชื่อ", "สมชาย")
    assert (_value(own_page, "#a"), _value(own_page, "#b")) == ("สมชาย", "")


def test_a_field_two_labels_name_is_refused_naming_both(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(
        FRAMEWORK_ROW.format(label="ชื่อ", name="formData.firstName")
        + FRAMEWORK_ROW.format(label="ชื่อ", name="formData.fatherFirstName")
    )
    with pytest.raises(StepFailed) as refused:
        _fill(own_page, tmp_path, "ชื่อ", "สมชาย", line=12)
    reason = str(refused.value)
    assert 'name="formData.firstName"' in reason and 'name="formData.fatherFirstName"' in reason
    assert "line 12" in reason and "สมชาย" not in reason
    assert own_page.locator("input").evaluate_all("els => els.map(e => e.value)") == ["", ""]


def test_a_field_nothing_names_fails_naming_the_flow_line(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(FRAMEWORK_ROW.format(label="นามสกุล", name="formData.lastName"))
    with pytest.raises(StepFailed) as missing:
        _fill(own_page, tmp_path, "ชื่อ", "สมชาย", line=9)
    reason = str(missing.value)
    assert "line 9" in reason and "“ชื่อ”" in reason and "nothing on this page" in reason


def test_words_in_the_cell_before_a_row_of_several_fields_name_none_of_the_later_ones(
    own_page: Page, tmp_path: Path
) -> None:
    # Only the box right before a control's own cell names it: a heading further up does not.
    own_page.set_content(
        "<h3>ที่อยู่</h3><div><div><label>เลขที่:</label></div><div><input id=no></div></div>"
    )
    with pytest.raises(StepFailed, match="nothing on this page"):
        _fill(own_page, tmp_path, "ที่อยู่", "12")


def test_fill_form_fills_framework_columns_and_reads_them_back(
    own_page: Page, tmp_path: Path
) -> None:
    own_page.set_content(
        "<form>"
        + FRAMEWORK_ROW.format(label="ชื่อ", name="formData.firstName")
        + FRAMEWORK_ROW.format(label="นามสกุล", name="formData.lastName")
        + '<div class="row"><div class="col-sm-2"><label> เพศ: </label></div>'
        '<div class="col-sm-3"><select name="formData.gender"><option value=""></option>'
        "<option>ชาย</option><option>หญิง</option></select></div></div></form>"
    )
    step = FillForm(fields={"ชื่อ": "มะลิ", "นามสกุล": "ใจดี", "เพศ": "หญิง"})
    first, again = StepState(), StepState()
    perform(own_page, step, _env(tmp_path), first)
    perform(own_page, step, _env(tmp_path), again)  # read back: all equal, nothing written
    assert first.changed and not again.changed
    assert _value(own_page, "[name='formData.firstName']") == "มะลิ"
    assert _value(own_page, "[name='formData.gender']") == "หญิง"


def test_fill_form_with_an_unclear_label_writes_nothing(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(
        FRAMEWORK_ROW.format(label="ชื่อ", name="a")
        + FRAMEWORK_ROW.format(label="ชื่อ", name="b")
        + FRAMEWORK_ROW.format(label="นามสกุล", name="c")
    )
    step = FillForm(fields={"นามสกุล": "ใจดี", "ชื่อ": "มะลิ", "อีเมล": "x"}, line=30)
    with pytest.raises(StepFailed) as refused:
        perform(own_page, step, _env(tmp_path), StepState())
    reason = str(refused.value)
    assert 'name="a"' in reason and 'name="b"' in reason and "'อีเมล'" in reason
    assert "line 30" in reason
    assert own_page.locator("input").evaluate_all("els => els.map(e => e.value)") == ["", "", ""]


def test_select_by_the_cell_before_it_as_on_the_node_page(own_page: Page, tmp_path: Path) -> None:
    own_page.set_content(
        "<table><tr><td>สังกัดในการใช้ระบบ</td><td><select name=orgId>"
        "<option value=101>เทศบาลตำบลบ้านเป็ด</option><option value=102>โรงเรียนบ้านหนองไผ่</option>"
        '</select><input type="button" value=" ตกลง " onclick="this.dataset.pressed=1"></td></tr>'
        "</table>"
    )
    env = _env(tmp_path)
    choose = Select(locator=Locator(label="สังกัดในการใช้ระบบ"), option="โรงเรียนบ้านหนองไผ่")
    perform(own_page, choose, env, StepState())
    perform(own_page, Click(locator=Locator(role="button", name="ตกลง")), env, StepState())
    assert _value(own_page, "select") == "102"
    assert own_page.locator("input[type=button]").get_attribute("data-pressed") == "1"


@pytest.mark.parametrize(
    "link",
    [
        '<a href="javascript:void(0)" title="แก้ไข" onclick="done()">&#9998;</a>',  # glyph
        '<a href="javascript:void(0)" title="แก้ไข" onclick="done()">'
        '<i class="fa" style="display:inline-block;width:1em;height:1em"></i></a>',
        '<a href="javascript:void(0)" onclick="done()">แก้ไข</a>',  # plain text
    ],
    ids=["glyph-and-title", "icon-and-title", "text"],
)
def test_links_are_found_by_their_text_or_title(own_page: Page, tmp_path: Path, link: str) -> None:
    own_page.set_content(
        f'<script>function done() {{ document.body.dataset.done = "1" }}</script>'
        f'<a href="javascript:void(0)" title="ดูข้อมูล">&#128269;</a> {link}'
    )
    perform(own_page, Click(locator=Locator(role="link", name="แก้ไข")), _env(tmp_path), StepState())
    assert own_page.locator("body").get_attribute("data-done") == "1"


def test_two_buttons_of_one_name_are_refused_naming_both_and_nothing_is_pressed(
    own_page: Page, tmp_path: Path
) -> None:
    own_page.set_content(
        '<button id=one onclick="this.dataset.pressed=1">บันทึก</button>'
        '<input type=button id=two value=" บันทึก " onclick="this.dataset.pressed=1">'
    )
    click = Click(locator=Locator(role="button", name="บันทึก"), line=4)
    with pytest.raises(StepFailed) as refused:
        perform(own_page, click, _env(tmp_path), StepState())
    reason = str(refused.value)
    assert 'id="one"' in reason and 'id="two"' in reason and "line 4" in reason
    assert own_page.locator("[data-pressed]").count() == 0
