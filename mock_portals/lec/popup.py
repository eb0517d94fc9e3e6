"""The framework rendering's SweetAlert-style message (include/_responseMessage.jsp), apart so
that `portal.error_page` can pop one too."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Popup:
    """A SweetAlert-style message: `success` shows the text as title, the others as body."""

    icon: str
    text: str
    code: str = ""
    details: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.text if self.icon == "success" else ""

    @property
    def body(self) -> str:
        return "" if self.icon == "success" else self.text
