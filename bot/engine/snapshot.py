"""The `snapshot` step: the portal's export, downloaded with the page's session through the
dry-run wall, and read by record key."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import APIResponse, Page

from bot.data.errors import RuleError
from bot.engine.state import ActionEnv
from bot.errors import PreconditionFailed, StepFailed
from bot.flow.binding import Bindings
from bot.flow.model import TakeSnapshot
from bot.i18n import say, say_fix
from bot.portals.lec.rpt318 import PortalExport, read_portal_export


def take_snapshot(page: Page, step: TakeSnapshot, env: ActionEnv, b: Bindings) -> PortalExport:
    """Download the portal's export with the page's session and read it by record key."""
    url = urljoin(page.url, "/" + b.text(step.download).lstrip("/"))
    response = _download(page, url, step, env)
    if not response.ok:
        raise StepFailed(f"{step.describe()}: the portal answered {response.status}")
    env.artefacts_dir.mkdir(parents=True, exist_ok=True)
    # The export holds every child of the school: owner-only, and gone as soon as it is read.
    fd, name = tempfile.mkstemp(suffix=".xlsx", dir=env.artefacts_dir)
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(response.body())
        return read_portal_export(path, step.key)
    except RuleError as exc:
        # Asking again brings the same file: stop the run, and say what was expected.
        reason = say_fix(exc.th, f"{step.describe()}: {exc.en}.", exc.fix_th, exc.fix_en)
    finally:
        path.unlink(missing_ok=True)
    raise PreconditionFailed(reason)


_REDIRECTS = frozenset({301, 302, 303, 307, 308})
MAX_DOWNLOAD_REDIRECTS = 5


def _download(page: Page, url: str, step: TakeSnapshot, env: ActionEnv) -> APIResponse:
    """GET `url` with the page's session, following redirects one hop at a time, each checked
    by `env.may_request` first: Playwright would otherwise follow them wherever they lead,
    past the dry-run wall (which sees only the browser's own requests) and off the portal."""
    for hop in range(MAX_DOWNLOAD_REDIRECTS + 1):
        if not url.startswith("http") or not env.may_request(url):
            where = (
                say(
                    f"ระบบส่งต่อการดาวน์โหลดไปที่ {url} ขอไฟล์จากที่อยู่นี้ไม่ได้: อยู่นอกระบบที่กำลังใช้งาน "
                    "ไม่ได้ส่งอะไรไปที่นั่น",
                    f"the portal redirected the download to {url}, which may not be requested; "
                    "nothing was sent there",
                )
                if hop
                else say(
                    f"ขอไฟล์จาก {url} ไม่ได้: อยู่นอกระบบที่กำลังใช้งาน ไม่ได้ส่งอะไรไปที่นั่น",
                    f"{url} may not be requested; nothing was sent there",
                )
            )
            raise StepFailed(f"{step.describe()}: {where}.")
        response = page.request.get(url, timeout=env.timeout_ms * 4, max_redirects=0)
        location = response.headers.get("location")
        if response.status not in _REDIRECTS or not location:
            return response
        url = urljoin(url, location)
    raise StepFailed(
        f"{step.describe()}: the download was redirected more than {MAX_DOWNLOAD_REDIRECTS} times"
    )
