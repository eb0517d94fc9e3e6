"""What LEC says when it ends a session or refuses an account, in its own words.

Facts (docs/lec-portal-facts.md): an expired session gets HTTP 401 and `errors/e401.jsp`, whose
`alert('ไม่ได้ใช้งานเกินเวลา!!! \\n กรุณา login ใหม่')` then loads `/index.jsp`; `login.do` commands
answer 00505 instead. Account states are messages of `responseMessage.xml` shown at the login:
00513 locked, 00520 password expired, 00521 a password to change before first use. edubot
never changes a password: these stop the run and tell the officer what to do.
"""

from __future__ import annotations

from bot.portals.session_words import AccountState, SessionWords

_CHANGE_IT_YOURSELF = (
    "เข้าระบบ LEC ด้วยเบราว์เซอร์แล้วเปลี่ยนรหัสผ่านด้วยตนเอง จากนั้นบันทึกรหัสใหม่ด้วย edubot login lec แล้วรันอีกครั้ง",
    "log in to LEC in a browser and change the password yourself, store the new one with "
    "`edubot login lec`, then run again",
)

WORDS = SessionWords(
    # Matched as parts of the text, spacing ignored: the alert's "!!! \n" may be shown either way.
    expired=("ไม่ได้ใช้งานเกินเวลา", "ไม่ได้ใช้งานระบบเกินเวลาที่กำหนด"),
    # The mock LEC's words for a spent one-time token (an invention: LEC's own urlToken is not
    # one-time, docs/lec-portal-facts.md). Chromium resends a post whose answer was lost on a
    # kept-alive connection (mock_portals/lec/README.md); the second copy meets this refusal
    # while the first was stored. Not the data's fault: the form is loaded again, and the try
    # after it reads the portal first.
    stale_form=("urlToken ไม่ถูกต้อง หรือหมดอายุ",),
    account_states=(
        AccountState(
            "00513",
            "รหัสผู้ใช้ถูกระงับการใช้งาน",
            "the account is locked (suspended) on the portal",
            (
                "ติดต่อผู้ดูแลระบบ LEC ของหน่วยงานให้ปลดการระงับ แล้วรันอีกครั้ง",
                "ask your LEC administrator to unlock it, then run again",
            ),
        ),
        AccountState(
            "00520",
            "รหัสผ่านหมดอายุ",
            "the password has expired",
            _CHANGE_IT_YOURSELF,
        ),
        AccountState(
            "00521",
            "กรุณาเปลี่ยนรหัสผ่านเพื่อเริ่มต้นการใช้งาน",
            "the portal asks for a new password before the account's first use",
            _CHANGE_IT_YOURSELF,
        ),
    ),
)
