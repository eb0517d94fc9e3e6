"""Thai identity numbers: the 13-digit national ID, the MOE G-Code, and their masks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.data.errors import RuleError
from bot.data.thai_dates import BE_OFFSET
from bot.data.thai_text import clean_text, to_arabic_digits

# Province codes of the Department of Provincial Administration (the first two digits of a
# Thai postcode and of the G-Code's province part).
PROVINCES: dict[int, str] = {
    10: "กรุงเทพมหานคร", 11: "สมุทรปราการ", 12: "นนทบุรี", 13: "ปทุมธานี",
    14: "พระนครศรีอยุธยา", 15: "อ่างทอง", 16: "ลพบุรี", 17: "สิงห์บุรี", 18: "ชัยนาท",
    19: "สระบุรี", 20: "ชลบุรี", 21: "ระยอง", 22: "จันทบุรี", 23: "ตราด", 24: "ฉะเชิงเทรา",
    25: "ปราจีนบุรี", 26: "นครนายก", 27: "สระแก้ว", 30: "นครราชสีมา", 31: "บุรีรัมย์",
    32: "สุรินทร์", 33: "ศรีสะเกษ", 34: "อุบลราชธานี", 35: "ยโสธร", 36: "ชัยภูมิ",
    37: "อำนาจเจริญ", 38: "บึงกาฬ", 39: "หนองบัวลำภู", 40: "ขอนแก่น", 41: "อุดรธานี",
    42: "เลย", 43: "หนองคาย", 44: "มหาสารคาม", 45: "ร้อยเอ็ด", 46: "กาฬสินธุ์",
    47: "สกลนคร", 48: "นครพนม", 49: "มุกดาหาร", 50: "เชียงใหม่", 51: "ลำพูน", 52: "ลำปาง",
    53: "อุตรดิตถ์", 54: "แพร่", 55: "น่าน", 56: "พะเยา", 57: "เชียงราย", 58: "แม่ฮ่องสอน",
    60: "นครสวรรค์", 61: "อุทัยธานี", 62: "กำแพงเพชร", 63: "ตาก", 64: "สุโขทัย",
    65: "พิษณุโลก", 66: "พิจิตร", 67: "เพชรบูรณ์", 70: "ราชบุรี", 71: "กาญจนบุรี",
    72: "สุพรรณบุรี", 73: "นครปฐม", 74: "สมุทรสาคร", 75: "สมุทรสงคราม", 76: "เพชรบุรี",
    77: "ประจวบคีรีขันธ์", 80: "นครศรีธรรมราช", 81: "กระบี่", 82: "พังงา", 83: "ภูเก็ต",
    84: "สุราษฎร์ธานี", 85: "ระนอง", 86: "ชุมพร", 90: "สงขลา", 91: "สตูล", 92: "ตรัง",
    93: "พัทลุง", 94: "ปัตตานี", 95: "ยะลา", 96: "นราธิวาส",
}  # fmt: skip

# The MOE G-Code system started in the 2548 academic year; earlier years are typing mistakes.
GCODE_FIRST_BE_YEAR = 2548
_SEPARATORS = re.compile(r"[\s\-–_.]")
_GCODE = re.compile(r"^G(\d{2})(\d{2})(\d{8})$")


def normalise_id(value: object) -> str:
    """Return an ID with Thai digits converted and dashes, dots and spaces removed."""
    text = to_arabic_digits(clean_text(value))
    if text.endswith(".0") and text[:-2].isdigit():  # a number cell read as float
        text = text[:-2]
    return _SEPARATORS.sub("", text).upper()


def national_id_check_digit(first12: str) -> int:
    """Return the check digit (the 13th digit) for the first 12 digits of a national ID.

    The checksum cannot see every typo: the 3rd digit's weight is 11 (≡ 0 mod 11), so a
    change there always passes, and sums ≡ 0 and ≡ 10 (mod 11) share check digit 1.
    """
    if len(first12) != 12 or not first12.isascii() or not first12.isdigit():
        raise ValueError(f"Expected 12 digits, got {first12!r}.")
    total = sum(int(digit) * (13 - i) for i, digit in enumerate(first12))
    return (11 - total % 11) % 10


def is_valid_national_id(value: str) -> bool:
    """Tell whether ``value`` is a 13-digit national ID with a correct check digit."""
    digits = normalise_id(value)
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    return national_id_check_digit(digits[:12]) == int(digits[12])


def check_national_id(value: object) -> str:
    """Return the normalised 13-digit ID, or raise :class:`RuleError` saying what is wrong."""
    digits = normalise_id(value)
    if not digits.isascii() or not digits.isdigit() or len(digits) != 13:
        raise RuleError(
            f"เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลัก (พบ {len(digits)} ตัวอักษร)",
            f"A national ID has 13 digits (found {len(digits)} characters).",
            fix_th="ตรวจเลขจากบัตรประชาชนหรือสูติบัตร ถ้าไม่มีเลข 13 หลักให้ใช้รหัส G",
            fix_en="Copy the number from the ID card or birth certificate; use a G-Code if none.",
        )
    if national_id_check_digit(digits[:12]) != int(digits[12]):
        raise RuleError(
            "เลขประจำตัวประชาชนไม่ถูกต้อง (หลักสุดท้ายไม่ตรงกับเลขตรวจสอบ)",
            "The national ID's check digit is wrong.",
            fix_th="ตรวจทานเลขทีละหลัก มักพิมพ์ผิดหรือสลับตำแหน่ง",
            fix_en="Check each digit against the ID card; a typo or swapped digits is likely.",
        )
    return digits


@dataclass(frozen=True)
class GCode:
    """A G-Code split into its parts: BE year, province code and running number."""

    be_year: int
    province_code: int
    running: int

    def __str__(self) -> str:
        return f"G{self.be_year % 100:02d}{self.province_code:02d}{self.running:08d}"

    @property
    def province(self) -> str:
        """The province's Thai name."""
        return PROVINCES[self.province_code]


def parse_gcode(value: object, *, today: date | None = None) -> GCode:
    """Parse ``G`` + BE year (2) + province (2) + running number (8); check plausibility."""
    text = normalise_id(value)
    match = _GCODE.match(text)
    if match is None:
        raise RuleError(
            "รหัส G ต้องเป็นตัว G ตามด้วยตัวเลข 12 หลัก เช่น G644200000001",
            "A G-Code is the letter G and 12 digits, e.g. G644200000001.",
            fix_th="คัดลอกรหัส G จากระบบ gcode.moe.go.th",
            fix_en="Copy the code from gcode.moe.go.th.",
        )
    be_year = 2500 + int(match[1])
    this_be_year = (today or date.today()).year + BE_OFFSET
    if not GCODE_FIRST_BE_YEAR <= be_year <= this_be_year:
        raise RuleError(
            f"รหัส G มีปี พ.ศ. {be_year} ซึ่งเป็นไปไม่ได้ (ต้องอยู่ระหว่าง "
            f"{GCODE_FIRST_BE_YEAR}–{this_be_year})",
            f"The G-Code's year {be_year} BE is impossible "
            f"(must be {GCODE_FIRST_BE_YEAR}–{this_be_year}).",
            fix_th="ตรวจสองหลักแรกหลังตัว G (ปี พ.ศ. ที่ออกรหัส)",
            fix_en="Check the two digits after G (the BE year the code was issued).",
        )
    province_code = int(match[2])
    if province_code not in PROVINCES:
        raise RuleError(
            f"รหัส G มีรหัสจังหวัด {province_code:02d} ซึ่งไม่มีอยู่จริง",
            f"The G-Code's province code {province_code:02d} does not exist.",
            fix_th="ตรวจหลักที่ 3–4 หลังตัว G (รหัสจังหวัด 10–96)",
            fix_en="Check digits 3–4 after G (province code 10–96).",
        )
    return GCode(be_year=be_year, province_code=province_code, running=int(match[3]))


def check_student_id(value: object, *, today: date | None = None) -> str:
    """Return a normalised national ID or G-Code, or raise :class:`RuleError`."""
    text = normalise_id(value)
    if text.startswith("G"):
        return str(parse_gcode(text, today=today))
    return check_national_id(text)


def mask_national_id(value: object) -> str:
    """The one mask of an ID wherever edubot shows one (problems, logs, report.json and
    report.html, e-mail): ``1-xxxx-xxxxx-xx-5``, the first and the check digit only; a G-Code
    keeps its year, ``G64xxxxxxxxxx``. A report names a child by sheet and row, not by ID."""
    text = normalise_id(value)
    if len(text) == 13 and text.isascii() and text.isdigit():
        return f"{text[0]}-xxxx-xxxxx-xx-{text[12]}"
    if _GCODE.match(text):
        return text[:3] + "x" * 10
    # Anything else may still be someone's ID with a typo: show only its ends.
    if len(text) <= 4:
        return "x" * len(text)
    return text[0] + "x" * (len(text) - 2) + text[-1]


def mask_name(value: object) -> str:
    """Mask a name for logs, word by word: ``สมชาย`` → ``ส****``."""
    return " ".join(
        word[0] + "*" * (len(word) - 1) for word in clean_text(value).split(" ") if word
    )
