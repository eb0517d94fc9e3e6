"""Every text the mock e-SAR shows a user: messages, confirm() questions, status names.

INVENTED, like all of this portal's pages (README.md lists them with the HTTP status of each).
"""

from __future__ import annotations

from mock_portals.esar.store import DRAFT, SUBMITTED

MSG_LOGIN_FAILED = "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
MSG_CSRF = "แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง"
MSG_LOGIN_REQUIRED = "กรุณาเข้าสู่ระบบ"
MSG_EXPIRED = "หมดเวลาการใช้งาน กรุณาเข้าสู่ระบบใหม่"
MSG_LOGGED_OUT = "ออกจากระบบเรียบร้อยแล้ว"
MSG_PICK_SCHOOL = "กรุณาเลือกสถานศึกษา"
MSG_PICK_YEAR = "กรุณาเลือกปีการศึกษา"
MSG_PICK_LEVEL = "กรุณาเลือกระดับการศึกษา"
MSG_PICK_FILE = "กรุณาเลือกไฟล์รายงาน SAR (PDF)"
MSG_BAD_YEAR = "ปีการศึกษาไม่ถูกต้อง"
MSG_BAD_LEVEL = "ระดับการศึกษาไม่ถูกต้อง"
MSG_NOT_YOUR_SCHOOL = "คุณไม่มีสิทธิ์ส่งรายงานของสถานศึกษานี้"
MSG_LEVEL_NOT_OFFERED = "{school} ไม่มีการจัดการศึกษาระดับ{level}"
MSG_NOT_PDF_TYPE = "ชนิดไฟล์ไม่ถูกต้อง ต้องเป็นไฟล์ PDF (application/pdf) เท่านั้น"
MSG_NOT_PDF_CONTENT = "ไฟล์นี้ไม่ใช่ไฟล์ PDF ที่ถูกต้อง กรุณาตรวจสอบไฟล์แล้วอัปโหลดใหม่"
MSG_TOO_BIG = "ไฟล์มีขนาดเกิน {limit} MB (ไฟล์นี้ {size} MB) กรุณาลดขนาดไฟล์แล้วอัปโหลดใหม่"
MSG_ALREADY_SUBMITTED = "ส่งรายงานแล้ว หากต้องการแก้ไขให้ใช้เมนูขอแก้ไขไฟล์"
MSG_UPLOADED = "อัปโหลดไฟล์เรียบร้อยแล้ว (ฉบับร่าง) กรุณาตรวจสอบแล้วกดยืนยันการส่ง"
MSG_NO_DRAFT = "ยังไม่มีไฟล์ฉบับร่างสำหรับส่ง กรุณาอัปโหลดไฟล์ก่อน"
MSG_SUBMITTED = "ส่งรายงาน SAR เรียบร้อยแล้ว เมื่อ {when}"
MSG_WAS_SUBMITTED = "รายงานนี้ส่งแล้วเมื่อ {when}"
MSG_REPLACE_OPEN = "เปิดให้แก้ไขไฟล์แล้ว กรุณาอัปโหลดไฟล์ใหม่และกดยืนยันการส่งอีกครั้ง"
MSG_REPLACE_NOT_SUBMITTED = "ขอแก้ไขไฟล์ได้เฉพาะรายงานที่ส่งแล้ว"
CONFIRM_SUBMIT = "ยืนยันการส่งรายงาน SAR ของ {school} ปีการศึกษา {year} ระดับ{level}?"
CONFIRM_REPLACE = (
    "ขอแก้ไขไฟล์รายงาน SAR ที่ส่งแล้วของ {school} ปีการศึกษา {year} ระดับ{level}?"
    " (ต้องอัปโหลดไฟล์ใหม่และยืนยันการส่งอีกครั้ง)"
)
STATUS_LABELS = {None: "ยังไม่ส่ง", DRAFT: "ฉบับร่าง", SUBMITTED: "ส่งแล้ว"}
NOTE_REPLACE_OPEN = "อยู่ระหว่างขอแก้ไขไฟล์"
NOTE_REPLACES = "แทนฉบับที่ส่งเมื่อ {when}"
