"""Masking of personal data before any other component sees the text.

Masks stay readable ("138****1234", "粤B***45") so that an analyst can still tell
what kind of contact the customer left, but no full number survives. Long digit
runs are only masked as ID or bank cards when their checksum says so, which keeps
order numbers intact; an 18-digit number with a birth date where an ID has one is
masked even when its check digit is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 18-digit resident ID (last char may be X) or 15-digit old-style ID.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# 16-19 digits, optionally written in groups of 4 separated by spaces or dashes.
_BANK_CARD = re.compile(r"(?<![\d])(?:\d{4}[ -]){3}\d{4}(?:[ -]?\d{1,3})?(?![\d])|(?<!\d)\d{16,19}(?!\d)")
_MOBILE = re.compile(r"(?<![\d+])((?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})([ -]?)(\d{7,8})(?!\d)")
_PLATE = re.compile(
    r"([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])([A-HJ-NP-Za-hj-np-z])[·• -]?"
    r"([A-HJ-NP-Za-hj-np-z0-9]{4,5})([A-HJ-NP-Za-hj-np-z0-9])(?![A-Za-z0-9])"
)
_WECHAT = re.compile(
    r"((?:微信号?|威信|薇信|vx|VX|Vx|wx|WX|weixin|wechat|WeChat|v信|V信)\s*(?:号|id|ID)?\s*[:：]?\s*)"
    r"([A-Za-z][-_A-Za-z0-9]{4,19})"
)
_QQ = re.compile(r"((?:QQ|qq|Qq|扣扣)\s*(?:号|号码)?\s*[:：]?\s*)([1-9]\d{4,11})(?!\d)")
_STREET_NUMBER = re.compile(
    r"((?:路|街|大道|大街|道|巷|弄|胡同|村|里)[东西南北中]?(?:[一二三四五六七八九十\d]+段)?)(\d+(?:-\d+)?)(号|弄|巷)"
)
_BUILDING_NUMBER = re.compile(r"(?<![\dA-Za-z])\d+(?:-\d+)?(栋|幢|号楼|单元|室)")


def _looks_like_id(number: str) -> bool:
    """A valid checksum, or a plausible birth date where the ID carries one.

    A mistyped ID (wrong check digit) is still someone's ID; an order number that
    happens to have 18 digits rarely has a birth date at positions 7-14.
    """
    if len(number) == 15:
        return 1 <= int(number[8:10]) <= 12 and 1 <= int(number[10:12]) <= 31
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] == number[17].upper():
        return True
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    return 1900 <= year <= 2030 and 1 <= month <= 12 and 1 <= day <= 31


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_id(match: re.Match[str]) -> str:
    number = match.group(0)
    if not _looks_like_id(number):
        return number
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def _mask_card(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"[ -]", "", raw)
    if not 16 <= len(digits) <= 19 or not _luhn_ok(digits):
        return raw
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def _mask_mobile(match: re.Match[str]) -> str:
    prefix = match.group(1) or ""
    return f"{prefix}{match.group(2)}****{match.group(4)}"


def _mask_landline(match: re.Match[str]) -> str:
    area, separator, local = match.groups()
    return f"{area}{separator}{'*' * (len(local) - 2)}{local[-2:]}"


def _mask_email(match: re.Match[str]) -> str:
    local, domain = match.group(0).split("@", 1)
    return f"{local[0]}***@{domain}"


def _mask_plate(match: re.Match[str]) -> str:
    province, letter, middle, last = match.groups()
    return f"{province}{letter}{'*' * (len(middle) - 1)}{middle[-1]}{last}"


def _keep_label(match: re.Match[str]) -> str:
    label, value = match.group(1), match.group(2)
    return f"{label}{value[0]}***"


def _mask_street(match: re.Match[str]) -> str:
    return f"{match.group(1)}*{match.group(3)}"


def _mask_building(match: re.Match[str]) -> str:
    return f"*{match.group(1)}"


# Order matters: the longest, most specific numbers first, so a phone pattern never
# takes a slice out of an ID or card number.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, _mask_email),
    (_ID_CARD, _mask_id),
    (_BANK_CARD, _mask_card),
    (_WECHAT, _keep_label),
    (_QQ, _keep_label),
    (_MOBILE, _mask_mobile),
    (_LANDLINE, _mask_landline),
    (_PLATE, _mask_plate),
    (_STREET_NUMBER, _mask_street),
    (_BUILDING_NUMBER, _mask_building),
)

# Every rule needs one of these: four digits in a row, an "@", a WeChat label, a plate's
# province and letter, or a house/room number. Texts with none ("等了2小时", "50元")
# skip all the rules.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# One character class is scanned much faster than the alternation below, so it goes first.
_CANDIDATE_CHARACTER = re.compile(f"[0-9@微威薇vVwW{_PROVINCES}]")
_MAYBE_PERSONAL = re.compile(
    r"\d{4}|@|微信|威信|薇信|v信|vx|wx|weixin|wechat|\d(?:-\d+)?(?:号|弄|巷|栋|幢|单元|室)"
    r"|[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z]",
    re.IGNORECASE,
)


def mask_personal_data(text: str) -> str:
    """Replace phone, ID, card, e-mail, plate, WeChat/QQ and house numbers with readable masks."""
    if not _CANDIDATE_CHARACTER.search(text) or not _MAYBE_PERSONAL.search(text):
        return text
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text
