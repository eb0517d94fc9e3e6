"""What a probe found, said on the terminal and in `probe.html` in the run folder.

The terminal speaks the officer's language (`bot.i18n.say`); `probe.html` shows Thai and
English both, since it may be sent to whoever maintains the flows. Neither holds a child's
data: element descriptions carry no values, candidates no data cells, and IDs are masked.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from bot.i18n import say
from bot.probe.findings import Finding, shown_path
from bot.probe.session import ProbeResult

REPORT_NAME = "probe.html"

_MARKS = {
    "found": "✓", "opened": "✓", "followed": "✓", "pressed": "✓", "logged_in": "✓", "no_page": "·",
    "would_press": "↷", "not_taken": "·", "after_press": "·",
    "missing": "✗", "ambiguous": "✗", "refused": "✗", "failed": "✗",
}  # fmt: skip

_STATUS_WORDS = {
    "found": ("พบ", "found"),
    "opened": ("เปิดแล้ว", "opened"),
    "followed": ("ตามลิงก์", "followed"),
    "pressed": ("กดแล้ว (อ่านอย่างเดียว)", "pressed (it only reads)"),
    "logged_in": ("เข้าสู่ระบบ", "login"),
    "no_page": ("ไม่ใช้หน้าเว็บ", "no page"),
    "would_press": ("จะกด (ไม่ได้กด)", "would press"),
    "not_taken": ("ไม่ได้ไปทางนี้", "branch not taken"),
    "after_press": ("ไม่ได้ตรวจ", "not checked"),
    "missing": ("ไม่พบ", "missing"),
    "ambiguous": ("พบหลายรายการ", "ambiguous"),
    "refused": ("ระบบปฏิเสธ", "refused"),
    "failed": ("ไม่สำเร็จ", "failed"),
}


def where(finding: Finding) -> str:
    return finding.where


def exit_code(result: ProbeResult) -> int:
    """0 when every step resolved and the guard stopped nothing; 1 otherwise."""
    return 0 if result.passed else 1


def terminal_lines(result: ProbeResult) -> list[str]:
    """The report as lines for the terminal, in the officer's language."""
    lines = [
        f"edubot probe: {shown_path(result.flow.path)} → {result.target} "
        f"({say('ข้อมูลที่ใช้', 'record')}: {_said(result.record_said)})"
    ]
    for f in result.findings:
        th, en = _STATUS_WORDS[f.status]
        line = f"  {_MARKS[f.status]} {where(f)}  {f.step} — {say(th, en)}"
        if f.element:
            line += f" {f.element}"
        if any(f.detail):
            line += f": {_said(f.detail)}"
        lines.append(line)
        if f.status == "missing":
            lines += _missing_lines(f)
    lines.append(_guard_line(result))
    lines.append(_verdict(result))
    return lines


def _said(detail: tuple[str, str]) -> str:
    return detail[0] if detail[0] == detail[1] else say(*detail)


def _missing_lines(f: Finding) -> list[str]:
    out = [f"      {say('ที่โฟลว์ต้องการ', 'the flow looks for')}: “{f.wanted}”"]
    if f.candidates:
        named = ", ".join(f"“{c.words}” ({c.kind}, {c.score:.2f})" for c in f.candidates)
        heading = (
            say("ที่ใกล้เคียงที่สุดในหน้านี้", "closest on the page")
            if f.candidates[0].score > 0
            else say("ไม่มีที่ใกล้เคียง หน้านี้มี", "nothing alike; the page offers")
        )
        out.append(f"      {heading}: {named}")
    out.append(f"      {say('แก้บรรทัดนี้ของโฟลว์', 'edit this line of the flow')}: {where(f)}")
    return out


def _both(th: str, en: str) -> str:
    """probe.html is sent on to maintainers: it always shows both languages."""
    return " — ".join((th, en))


def _guard_line(result: ProbeResult, pick: Callable[[str, str], str] = say) -> str:
    if not result.stopped and not result.reads:
        return pick(
            f"ไม่มีคำขอใดถูกกัน (ส่งเฉพาะการเข้าสู่ระบบ {len(result.let_through)} ครั้ง)",
            f"no request was stopped (only the login's {len(result.let_through)} post(s) went out)",
        )
    if not result.stopped:
        # Which read commands went out, each once: `cmd=goCreate, cmd=list`.
        sent = ", ".join(
            dict.fromkeys(r.split(" ", 2)[2] for r in result.reads if r.count(" ") > 1)
        )
        return pick(
            f"ไม่มีคำขอใดถูกกัน (ส่งการเข้าสู่ระบบ {len(result.let_through)} ครั้ง และคำสั่งที่อ่าน"
            f"อย่างเดียว {len(result.reads)} ครั้ง: {sent})",
            f"no request was stopped (the login's {len(result.let_through)} post(s) and "
            f"{len(result.reads)} post(s) of commands that only read went out: {sent})",
        )
    named = ", ".join(result.stopped[:5]) + (" …" if len(result.stopped) > 5 else "")
    return pick(
        f"กันคำขอที่อาจเปลี่ยนข้อมูลไว้ {len(result.stopped)} รายการ: {named}",
        f"the guard stopped {len(result.stopped)} request(s) that could have changed the portal: "
        f"{named}",
    )


def _verdict(result: ProbeResult, pick: Callable[[str, str], str] = say) -> str:
    failed = [f for f in result.findings if not f.passed]
    if result.passed:
        return pick(
            "ผ่าน: ทุกขั้นตอนพบสิ่งที่ต้องใช้ ไม่ได้เปลี่ยนข้อมูลใดในระบบ",
            "passed: every step found what it needs; nothing on the portal was changed",
        )
    first = where(failed[0]) if failed else "-"
    return pick(
        f"ไม่ผ่าน: {len(failed)} ขั้นตอนมีปัญหา เริ่มที่ {first} ไม่ได้เปลี่ยนข้อมูลใดในระบบ",
        f"not passed: {len(failed)} step(s) need attention, the first at {first}; nothing on "
        "the portal was changed",
    )


def write_html(result: ProbeResult, run_dir: Path) -> Path:
    """`probe.html`: the findings in Thai and English, self-contained, scripts forbidden."""
    run_dir.mkdir(parents=True, exist_ok=True)
    rows = "\n".join(_row(f) for f in result.findings)
    guard = html.escape(_guard_line(result, _both))
    verdict = html.escape(_verdict(result, _both))
    captured = "".join(
        f"<li>{html.escape(str(p['address']))} — {html.escape(str(p['html']))}</li>"
        for p in result.captured
    )
    body = f"""<!DOCTYPE html>
<html lang="th"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>edubot probe — {html.escape(result.flow.name)}</title>
<style>body{{font-family:sans-serif;margin:1.5rem}}td,th{{border-bottom:1px solid #ddd;
padding:.3rem .5rem;text-align:left;vertical-align:top}}.bad{{background:#fde8e8}}
.press{{background:#fff6d6}}small{{color:#555}}</style></head><body>
<h1>ผลการตรวจโฟลว์กับระบบจริง <small>(probe of a flow against the portal)</small></h1>
<p>{html.escape(shown_path(result.flow.path))} → {html.escape(result.target)} ·
{html.escape(_both(*result.record_said))} · {result.seconds:.1f} s</p>
<p><b>{verdict}</b></p><p>{guard}</p>
<table><tr><th>บรรทัด (line)</th><th>ขั้นตอน (step)</th><th>ผล (result)</th>
<th>รายละเอียด (detail)</th></tr>
{rows}
</table>
{f"<h2>หน้าที่เก็บไว้ (captured pages)</h2><ul>{captured}</ul>" if captured else ""}
</body></html>
"""
    path = run_dir / REPORT_NAME
    path.write_text(body, encoding="utf-8")
    return path


def _row(f: Finding) -> str:
    th, en = _STATUS_WORDS[f.status]
    css = "bad" if not f.passed else "press" if f.status == "would_press" else ""
    detail = (
        " — ".join(part for part in f.detail if part) if f.detail[0] != f.detail[1] else f.detail[0]
    )
    parts = [html.escape(detail)]
    if f.element:
        parts.append(f"<code>{html.escape(f.element)}</code>")
    if f.status == "missing":
        parts.append(f"ต้องการ (wanted): “{html.escape(f.wanted)}”")
        if f.candidates:
            named = ", ".join(
                f"“{html.escape(c.words)}” ({html.escape(c.kind)}, {c.score:.2f})"
                for c in f.candidates
            )
            parts.append(f"ใกล้เคียง (closest): {named}")
    return (
        f'<tr class="{css}"><td>{html.escape(where(f))}</td><td>{html.escape(f.step)}</td>'
        f"<td>{_MARKS[f.status]} {html.escape(th)} ({html.escape(en)})</td>"
        f"<td>{'<br>'.join(parts)}</td></tr>"
    )
