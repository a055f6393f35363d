"""Personal data never survives masking, whatever Chinese text surrounds it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc_stream.text import mask_personal_data, normalize_text

CHINESE = st.text(alphabet="我的电话是请联系客服退款刹车异响谢谢您好在地址卡号身份证车牌,。!? ", max_size=12)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text)


def assert_gone(secret: str, masked: str) -> None:
    assert secret not in masked
    assert secret not in digits_only(masked) or not secret.isdigit()


@st.composite
def mobile_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(digits, as written) with the spellings people use: +86, spaces, dashes."""
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    separator = draw(st.sampled_from(["", " ", "-"]))
    written = separator.join([digits[:3], digits[3:7], digits[7:]])
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "86-", "0086 "]))
    return digits, prefix + written


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    region = draw(st.text("0123456789", min_size=6, max_size=6))
    birth = draw(st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31))).strftime("%Y%m%d")
    body = region + birth + draw(st.text("0123456789", min_size=3, max_size=3))
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]
    return body + check


def luhn_complete(partial: str) -> str:
    for check in "0123456789":
        number = partial + check
        total = 0
        for position, char in enumerate(reversed(number)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


@st.composite
def bank_cards(draw: st.DrawFn) -> tuple[str, str]:
    length = draw(st.integers(16, 19))
    body = draw(st.text("0123456789", min_size=length - 2, max_size=length - 2))
    digits = luhn_complete(draw(st.sampled_from("3456")) + body)
    if draw(st.booleans()):
        written = " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
        return digits, written
    return digits, digits


@given(before=CHINESE, after=CHINESE, number=mobile_numbers())
@settings(max_examples=300, deadline=None)
def test_mobile_numbers_never_survive(before: str, after: str, number: tuple[str, str]) -> None:
    digits, written = number
    masked = mask_personal_data(normalize_text(f"{before}{written}{after}"))
    assert_gone(digits, masked)
    assert f"{digits[:3]}****{digits[-4:]}" in masked


@given(before=CHINESE, after=CHINESE, area=st.sampled_from(["010", "020", "021", "0755", "0571"]),
       local=st.text("123456789", min_size=8, max_size=8), dash=st.sampled_from(["-", "", " "]))
@settings(max_examples=200, deadline=None)
def test_landline_numbers_never_survive(before: str, after: str, area: str, local: str, dash: str) -> None:
    masked = mask_personal_data(normalize_text(f"{before}{area}{dash}{local}{after}"))
    assert local not in masked
    assert local not in digits_only(masked)


@given(before=CHINESE, after=CHINESE, number=resident_ids(), lower=st.booleans())
@settings(max_examples=300, deadline=None)
def test_resident_id_numbers_never_survive(before: str, after: str, number: str, lower: bool) -> None:
    written = number.lower() if lower else number
    masked = mask_personal_data(f"{before}{written}{after}")
    assert written not in masked
    assert number[:17] not in digits_only(masked)
    assert number[:3] + "*" * 11 + written[-4:] in masked


def test_id_with_a_wrong_check_digit_is_still_masked() -> None:
    assert mask_personal_data("身份证110105194912310021") == "身份证110***********0021"


def test_old_fifteen_digit_id_is_masked() -> None:
    assert mask_personal_data("身份证号110105491231002") == "身份证号110********1002"


@given(before=CHINESE, after=CHINESE, card=bank_cards())
@settings(max_examples=300, deadline=None)
def test_bank_card_numbers_never_survive(before: str, after: str, card: tuple[str, str]) -> None:
    digits, written = card
    masked = mask_personal_data(f"{before}{written}{after}")
    assert written not in masked
    assert digits not in digits_only(masked)
    assert digits[-4:] in masked


def test_order_number_failing_luhn_is_kept() -> None:
    number = luhn_complete("620000000000012")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert mask_personal_data(f"订单号{wrong}") == f"订单号{wrong}"


@given(before=CHINESE, after=CHINESE,
       local=st.from_regex(r"[a-z][a-z0-9._]{2,10}[a-z0-9]", fullmatch=True),
       domain=st.sampled_from(["qq.com", "163.com", "example.com.cn", "gmail.com"]))
@settings(max_examples=200, deadline=None)
def test_email_addresses_never_survive(before: str, after: str, local: str, domain: str) -> None:
    masked = mask_personal_data(f"{before}{local}@{domain}{after}")
    assert f"{local}@" not in masked
    assert f"{local[0]}***@{domain}" in masked


@st.composite
def licence_plates(draw: st.DrawFn) -> str:
    """Ordinary plates (at most two letters among five) and 8-character new-energy plates."""
    province = draw(st.sampled_from("京沪粤苏浙川鄂湘"))
    letter = draw(st.sampled_from("ABCDEFGHJK"))
    if draw(st.booleans()):
        return province + letter + draw(st.sampled_from("DF")) + draw(st.text("0123456789", min_size=5, max_size=5))
    tail = list(draw(st.text("0123456789", min_size=5, max_size=5)))
    for position in draw(st.lists(st.integers(0, 4), max_size=2, unique=True)):
        tail[position] = draw(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"))
    return province + letter + "".join(tail)


@given(before=CHINESE, after=CHINESE, plate=licence_plates())
@settings(max_examples=200, deadline=None)
def test_licence_plates_never_survive(before: str, after: str, plate: str) -> None:
    masked = mask_personal_data(f"{before}{plate}{after}")
    assert plate not in masked
    assert plate[:2] in masked and plate[-2:] in masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("客服电话 13812341234 一直打不通", "客服电话 138****1234 一直打不通"),
        ("打+86 138-1234-5678找我", "打+86 138****5678找我"),
        ("座机020-87654321", "座机020-******21"),
        ("车牌粤B12345被拍了", "车牌粤B***45被拍了"),
        ("新能源粤BD12345", "新能源粤B****45"),
        ("加微信: wxid_abc123 详聊", "加微信: w*** 详聊"),
        ("私聊我微信zhangsan_abc", "私聊我微信z***"),
        ("VX: LiSi-Shop 有优惠", "VX: L*** 有优惠"),
        ("QQ 12345678", "QQ 1***"),
        ("家住天河区中山大道西123号5栋501室", "家住天河区中山大道西*号*栋*室"),
        ("邮箱abc.def@qq.com谢谢", "邮箱a***@qq.com谢谢"),
    ],
)
def test_masks_stay_readable(text: str, expected: str) -> None:
    assert mask_personal_data(normalize_text(text)) == expected


@pytest.mark.parametrize("text", ["3号发货", "买了2件", "等了30分钟", "订单123456", "2026年3月1日", "iPhone 15 Pro"])
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_full_width_digits_are_masked_after_normalising() -> None:
    assert mask_personal_data(normalize_text("电话１３８１２３４１２３４")) == "电话138****1234"
