"""Masking of personal data before any other component sees the text.

Masks stay readable ("138****1234", "6222 **** **** 1234", "粤B***45") so that an
analyst can still tell what kind of contact the customer left, but no full number
survives. The specific rules (ID card, mobile, landline, plate, e-mail, WeChat/QQ)
come first; then a safety net: any run of 11 or more digits, written in Arabic,
full-width or Chinese numerals (一三八…, 幺, 壹贰叁), whole or in groups with one
kind of separator ("6222 0212 3456 7890", "138.1234.5678", "1 3 8 …"), is masked
whether or not a checksum says it is a card: a mistyped card or phone number is
still personal, and an order number losing its middle digits costs little (one
digit repeated, "666666666666", is applause and stays). After a contact word
("电话", "联系", "tel") the net already catches 7 digits (a local landline).
Numbers shorter than that ("订单123456", "等了30分钟") are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# "@" may be spelled with spaces around it, as "(at)", or as "#" ("#换成@" hides it from bots).
_EMAIL = re.compile(
    r"([A-Za-z0-9._%+-]+)\s*(?:@|\(at\)|\[at\]|#)\s*"
    r"([A-Za-z0-9-]+(?:\s*\.\s*[A-Za-z0-9-]+)*\s*\.\s*[A-Za-z]{2,})(?![A-Za-z0-9])"
)
# 18-digit resident ID (last char may be X) or 15-digit old-style ID.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# A phone number is never a slice of a longer grouped number ("6222 1381 2345 6789").
_MOBILE = re.compile(
    r"(?<![\d+])(?<!\d[ -])((?:\+|00)?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![ -]?\d)"
)
_LANDLINE = re.compile(r"(?<!\d)(?<!\d[ -])(\(?0\d{2,3}\)?)([ -]?)(\d{7,8})(?![ -]?\d)")
# Simplified and traditional province abbreviations; new-energy, letter-only and
# suffixed plates (粤B1234学, 京A1234警) included.
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼滬遼魯蘇贛閩貴粵寧瓊陝晉雲"
_PLATE = re.compile(
    f"([{_PROVINCES}])[ ·•]?([A-HJ-NP-Za-hj-np-z])[·• -]?"
    r"([A-HJ-NP-Za-hj-np-z0-9]{4,5})"
    r"([A-HJ-NP-Za-hj-np-z0-9]|[学警港澳挂领使试超學掛領試])(?![A-Za-z0-9])"
)
_WECHAT = re.compile(
    r"((?:微信号?|威信|薇信|vx|VX|Vx|wx|WX|weixin|wechat|WeChat|v信|V信|加我?[vV]|\+[vV])"
    r"\s*(?:号|id|ID)?\s*[:：]?\s*)"
    r"([A-Za-z][-_A-Za-z0-9]{4,19})"
)
_QQ = re.compile(r"((?:QQ|qq|Qq|扣扣)\s*(?:号|号码)?\s*[:：]?\s*)([1-9]\d{4,11})(?!\d)")
_STREET_NUMBER = re.compile(
    r"((?:路|街|大道|大街|道|巷|弄|胡同|村|里)[东西南北中]?(?:[一二三四五六七八九十\d]+段)?)(\d+(?:-\d+)?)(号|弄|巷)"
)
_BUILDING_NUMBER = re.compile(r"(?<![\dA-Za-z])\d+(?:-\d+)?(栋|幢|号楼|单元|室)")
# The door number written bare after its unit or block ("2单元501", "B座1203", "5栋1201"),
# or with 房 ("1201房"): the most identifying part of an address. 座 counts after a
# block letter or number only ("B座", not "卡座20个").
_ROOM_NUMBER = re.compile(r"(单元|[栋幢]|号楼|(?<=[A-Za-z\d])座)(\d{2,5})(?![\d号室房楼栋幢座单元层])|(?<![\dA-Za-z])\d{3,5}(?=房)")


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


# Digits as customers write them: Arabic (any script re counts as \d, full-width
# included), Chinese everyday and financial numerals, 幺 for one, circled digits.
_SPELLED = "〇零一二三四五六七八九幺壹贰貳叁參肆伍陆陸柒捌玖⓪①②③④⑤⑥⑦⑧⑨"
_DIGIT_LIKE = f"[\\d{_SPELLED}]"
_SEPARATOR = "[ .\\-–—·_/]"
# Digit groups joined by one kind of separator ("6222 0212 3456 7890", "1 3 8 1 …"), or
# by any separators between groups of three digits or more ("138.1234-5678"). A date
# range ("2025.12.1-2026.1.5") is neither, and falls apart into short pieces.
_NUMBER_RUN = re.compile(
    f"{_DIGIT_LIKE}{{3,}}(?:{_SEPARATOR}{_DIGIT_LIKE}{{3,}})+(?:{_SEPARATOR}{_DIGIT_LIKE}+)?"
    f"|{_DIGIT_LIKE}+(?:({_SEPARATOR}){_DIGIT_LIKE}+(?:\\1{_DIGIT_LIKE}+)*)?"
)
_DIGIT_LIKE_CHAR = re.compile(_DIGIT_LIKE)
_CONTACT_CUE = re.compile(
    r"(?:电话|手机|号码|联系|致电|打|回电|来电|座机|热线|tel|phone|call|找我|加我)", re.IGNORECASE
)
_LONG_RUN, _CUED_RUN, _CUE_REACH = 11, 7, 8


def _mask_id(match: re.Match[str]) -> str:
    number = match.group(0)
    if not _looks_like_id(number):
        return number
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def _offered_as_contact(match: re.Match[str]) -> bool:
    """After a contact word, and not the visible end of a number already masked ("0086 130****")."""
    text, start, end = match.string, match.start(), match.end()
    if text[end:end + 1] == "*" or text[start - 1:start] == "*":
        return False
    return _CONTACT_CUE.search(text, max(0, start - _CUE_REACH), start) is not None


def _mask_number_run(match: re.Match[str]) -> str:
    """Mask the middle of a long digit run, keeping how it was written ("6222 **** **** 1234")."""
    raw = match.group(0)
    positions = [m.start() for m in _DIGIT_LIKE_CHAR.finditer(raw)]
    count = len(positions)
    if len({raw[p] for p in positions}) == 1:  # "666666666666" is applause, not anyone's number
        return raw
    if count < _LONG_RUN and (count < _CUED_RUN or not _offered_as_contact(match)):
        return raw
    head = 4 if count >= 16 else 3 if count >= _LONG_RUN else 0
    tail = 4 if count >= _LONG_RUN else 2
    chars = list(raw)
    for position in positions[head:count - tail]:
        chars[position] = "*"
    return "".join(chars)


def _mask_mobile(match: re.Match[str]) -> str:
    prefix = match.group(1) or ""
    return f"{prefix}{match.group(2)}****{match.group(4)}"


def _mask_landline(match: re.Match[str]) -> str:
    area, separator, local = match.groups()
    return f"{area}{separator}{'*' * (len(local) - 2)}{local[-2:]}"


def _mask_email(match: re.Match[str]) -> str:
    local, domain = match.group(1), re.sub(r"\s+", "", match.group(2))
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


def _mask_room(match: re.Match[str]) -> str:
    return f"{match.group(1)}*" if match.group(1) else "*"


# Order matters: the specific numbers first (an ID before a phone, which never takes a
# slice out of a longer grouped number), then the digit-run safety net on what they left.
_RULES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_EMAIL, _mask_email),
    (_ID_CARD, _mask_id),
    (_WECHAT, _keep_label),
    (_QQ, _keep_label),
    (_MOBILE, _mask_mobile),
    (_LANDLINE, _mask_landline),
    (_NUMBER_RUN, _mask_number_run),
    (_PLATE, _mask_plate),
    (_STREET_NUMBER, _mask_street),
    (_BUILDING_NUMBER, _mask_building),
    (_ROOM_NUMBER, _mask_room),
)

# Every rule needs one of these: four digits in a row or digits in groups, an "@" (or
# "#", "(at)"), a WeChat label, a plate's province and letter, a house/room number,
# or four numerals spelled out. Texts with none ("等了2小时", "50元", "第一次买") skip
# all the rules. Each of these starts with a character of _CANDIDATE_CHARACTER's class,
# so one scan for that class finds where the finer check has to start.
_MAYBE_PERSONAL = re.compile(
    r"\d(?:\d{3}|[ .\-–—·_/]\d+[ .\-–—·_/]\d|(?:-\d+)?(?:号|弄|巷|栋|幢|单元|室))|(?:(?<=单元)|(?<=[栋幢座]))\d\d"
    r"|[@＠]|#\s*[A-Za-z0-9]|\(at\)|[微威薇]信|[vVwW][xX]|[vV]信|[wW]eixin|[wW]e[cC]hat|加我?[vV]|\+[vV]"
    f"|[{_PROVINCES}][ ·•]?[A-Za-z]"
)
# Spelled-out digits ("一三八", "壹贰叁", "①③⑧"), alone or mixed with Arabic ones, need
# no four Arabic digits in a row to be a phone number.
_SPELLED_DIGITS = re.compile(f"{_SEPARATOR}?".join([f"[0-9\uff10-\uff19{_SPELLED}]"] * 4))
# Two cheap scans rather than one alternation: a character-class search is what Python's
# re does fastest. (ASCII and full-width digits only; other scripts' digits are rare.)
_CANDIDATE_CHARACTER = re.compile(f"[0-9\uff10-\uff19@＠#(微威薇vVwW加+{_PROVINCES}]")
# Full-width letters, digits and "＠" count as their ASCII selves.
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff20-\uff3a\uff41-\uff5a]")
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def mask_personal_data(text: str) -> str:
    """Replace phone, ID, card, e-mail, plate, WeChat/QQ and house numbers with readable masks."""
    candidate = _CANDIDATE_CHARACTER.search(text)
    if not (
        (candidate is not None and _MAYBE_PERSONAL.search(text, candidate.start())) or _SPELLED_DIGITS.search(text)
    ):
        return text
    if _FULL_WIDTH_ALNUM.search(text):
        text = text.translate(_HALF_WIDTH)
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text
