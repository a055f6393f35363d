"""Personal data never survives masking, whatever Chinese text surrounds it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc_stream.text import mask_personal_data, normalize_text

CHINESE = st.text(alphabet="我的电话是请联系客服退款刹车异响谢谢您好在地址卡号身份证车牌,。!? ", max_size=12)
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# How customers spell digits: everyday and financial Chinese numerals, 幺 for one, circled digits.
SPELLINGS = {
    "chinese": dict(zip("0123456789", "零一二三四五六七八九", strict=True)),
    "chinese_yao": dict(zip("0123456789", "〇幺二三四五六七八九", strict=True)),
    "financial": dict(zip("0123456789", "零壹贰叁肆伍陆柒捌玖", strict=True)),
    "circled": dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨", strict=True)),
}
BACK_TO_DIGITS = {spelled: digit for table in SPELLINGS.values() for digit, spelled in table.items()}


def digits_only(text: str) -> str:
    """Every digit in the text, however it was written, as ASCII digits."""
    text = "".join(BACK_TO_DIGITS.get(char, char) for char in text)
    return "".join(str(int(char)) for char in text if char.isdecimal())


def assert_gone(secret: str, masked: str) -> None:
    assert secret not in masked
    assert secret not in digits_only(masked) or not secret.isdigit()


@st.composite
def mobile_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(digits, as written) with the spellings people use: +86, spaces, dashes, full-width digits."""
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    separator = draw(st.sampled_from(["", " ", "-"]))
    written = separator.join([digits[:3], digits[3:7], digits[7:]])
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "86-", "0086 "]))
    if draw(st.booleans()):
        written = written.translate(FULL_WIDTH)
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


@given(before=CHINESE, after=CHINESE, number=mobile_numbers(), normalise=st.booleans())
@settings(max_examples=300, deadline=None)
def test_mobile_numbers_never_survive(before: str, after: str, number: tuple[str, str], normalise: bool) -> None:
    digits, written = number
    text = f"{before}{written}{after}"
    # Full-width digits are masked whether or not the text was normalised first.
    masked = mask_personal_data(normalize_text(text) if normalise else text)
    assert_gone(digits, masked)
    assert f"{digits[:3]}****{digits[-4:]}" in masked


@given(before=CHINESE, after=CHINESE,
       area=st.sampled_from(["010", "020", "021", "0755", "0571", "(010)", "(0755)"]),
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


@st.composite
def bank_cards(draw: st.DrawFn) -> tuple[str, str]:
    """16-19 digits, Luhn-valid or mistyped (a wrong check digit is still someone's card)."""
    length = draw(st.integers(16, 19))
    body = draw(st.text("0123456789", min_size=length - 2, max_size=length - 2))
    digits = luhn_complete(draw(st.sampled_from("3456")) + body)
    if draw(st.booleans()):
        digits = digits[:-1] + str((int(digits[-1]) + draw(st.integers(1, 9))) % 10)
    separator = draw(st.sampled_from(["", " ", "-"]))
    written = separator.join(digits[i:i + 4] for i in range(0, len(digits), 4))
    return digits, written


@given(before=CHINESE, after=CHINESE, card=bank_cards())
@settings(max_examples=300, deadline=None)
def test_bank_card_numbers_never_survive(before: str, after: str, card: tuple[str, str]) -> None:
    digits, written = card
    masked = mask_personal_data(f"{before}{written}{after}")
    assert written not in masked
    assert digits not in digits_only(masked)
    # Readable: first and last four kept, grouping as written ("6222 **** **** 1234"); an
    # 18-digit number whose check digit happens to fit an ID card is masked as one (110***...1234).
    assert digits_only(masked) in (digits[:4] + digits[-4:], digits[:3] + digits[-4:])


@st.composite
def long_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """Any 11-19 digits, in Arabic, full-width or spelled-out digits, whole or grouped by one separator."""
    digits = draw(st.text("0123456789", min_size=11, max_size=19).filter(lambda d: len(set(d)) > 1))
    spelling = draw(st.sampled_from(["arabic", "full_width", *SPELLINGS]))
    if spelling == "full_width":
        chars = list(digits.translate(FULL_WIDTH))
    elif spelling == "arabic":
        chars = list(digits)
    else:
        chars = [SPELLINGS[spelling][digit] for digit in digits]
    separator = draw(st.sampled_from(["", " ", "-", ".", "—", "_", "mixed"]))
    group = draw(st.sampled_from([3, 4] if separator == "mixed" else [1, 3, 4]))
    groups = ["".join(chars[i:i + group]) for i in range(0, len(chars), group)]
    if len(groups[-1]) < 3 and len(groups) > 1:  # "138.1234-5678": mixed separators between long groups
        groups[-2:] = [groups[-2] + groups[-1]]
    if separator == "mixed":
        written = groups[0] + "".join(draw(st.sampled_from(" -.")) + part for part in groups[1:])
    else:
        written = separator.join(groups)
    return digits, written


@given(before=CHINESE, after=CHINESE, number=long_numbers())
@settings(max_examples=400, deadline=None)
def test_no_long_digit_run_survives_however_written(before: str, after: str, number: tuple[str, str]) -> None:
    """The safety net: order numbers, mistyped phones and cards, numbers in Chinese numerals."""
    digits, written = number
    masked = mask_personal_data(f"{before}{written}{after}")
    assert written not in masked
    assert digits not in digits_only(masked)
    assert len(digits_only(masked)) <= 8 and "*" in masked


@st.composite
def spelled_mobiles(draw: st.DrawFn) -> tuple[str, str, str]:
    digits = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    table = SPELLINGS[draw(st.sampled_from(sorted(SPELLINGS)))]
    spelled = [table[digit] for digit in digits]
    # Some mix in Arabic digits: "138一二三四5678".
    for position in draw(st.lists(st.integers(0, 10), max_size=4, unique=True)):
        spelled[position] = digits[position]
    separator = draw(st.sampled_from(["", " "]))
    written = separator.join(["".join(spelled[:3]), "".join(spelled[3:7]), "".join(spelled[7:])])
    return digits, written, "".join(spelled[-4:])


@given(before=CHINESE, after=CHINESE, number=spelled_mobiles())
@settings(max_examples=300, deadline=None)
def test_phone_numbers_in_chinese_numerals_never_survive(before: str, after: str, number: tuple[str, str, str]) -> None:
    digits, written, last_four = number
    masked = mask_personal_data(f"{before}{written}{after}")
    assert written not in masked
    assert digits not in digits_only(masked)
    assert last_four in masked


@given(before=CHINESE, cue=st.sampled_from(["电话", "座机", "联系", "tel:", "打", "找我"]),
       local=st.text("0123456789", min_size=7, max_size=8).filter(lambda d: len(set(d)) > 1))
@settings(max_examples=200, deadline=None)
def test_local_numbers_after_a_contact_word_never_survive(before: str, cue: str, local: str) -> None:
    """A landline without its area code is 7-8 digits: masked where the customer offers it as a contact."""
    masked = mask_personal_data(f"{before}{cue}{local}")
    assert local not in digits_only(masked)
    assert masked.endswith(local[-2:])


def test_mistyped_card_and_long_order_numbers_are_masked_readably() -> None:
    number = luhn_complete("622202000000012")
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert mask_personal_data(f"卡号{wrong}") == f"卡号{wrong[:4]}********{wrong[-4:]}"
    assert mask_personal_data("卡号 6222 0212 3456 7890 转不了") == "卡号 6222 **** **** 7890 转不了"
    assert mask_personal_data("订单号10982438747") == "订单号109****8747"


@given(before=CHINESE, after=CHINESE,
       local=st.from_regex(r"[a-z][a-z0-9._]{2,10}[a-z0-9]", fullmatch=True),
       domain=st.sampled_from(["qq.com", "163.com", "example.com.cn", "gmail.com"]),
       at=st.sampled_from(["@", " @ ", "@ ", " @", "＠", "(at)", "#"]))
@settings(max_examples=300, deadline=None)
def test_email_addresses_never_survive(before: str, after: str, local: str, domain: str, at: str) -> None:
    """Also when "@" is spaced out, full-width, "(at)", or "#" (written to dodge address harvesters)."""
    masked = mask_personal_data(f"{before}{local}{at}{domain}{after}")
    assert f"{local}{at}" not in masked
    assert f"{local[0]}***@{domain}" in masked


TRADITIONAL_PROVINCES = dict(zip("粤沪苏闽", "粵滬蘇閩", strict=True))


@st.composite
def licence_plates(draw: st.DrawFn) -> tuple[str, str]:
    """(plate, as written): ordinary plates (up to five letters, none at all too), 8-character
    new-energy plates and suffixed plates (学, 警, 挂), sometimes spaced or in traditional characters."""
    province = draw(st.sampled_from("京沪粤苏浙川鄂湘闽"))
    letter = draw(st.sampled_from("ABCDEFGHJK"))
    kind = draw(st.sampled_from(["new_energy", "ordinary", "suffixed"]))
    if kind == "new_energy":
        tail = draw(st.sampled_from("DF")) + draw(st.text("0123456789", min_size=5, max_size=5))
    else:
        size = 5 if kind == "ordinary" else 4
        chars = list(draw(st.text("0123456789", min_size=size, max_size=size)))
        for position in draw(st.lists(st.integers(0, size - 1), max_size=size, unique=True)):
            chars[position] = draw(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"))
        tail = "".join(chars) + ("" if kind == "ordinary" else draw(st.sampled_from("学警挂")))
    plate = province + letter + tail
    written_province = TRADITIONAL_PROVINCES.get(province, province) if draw(st.booleans()) else province
    space = draw(st.sampled_from(["", " ", "·"]))
    return plate, f"{written_province}{space}{letter}{tail}"


@given(before=CHINESE, after=CHINESE, plate=licence_plates())
@settings(max_examples=300, deadline=None)
def test_licence_plates_never_survive(before: str, after: str, plate: tuple[str, str]) -> None:
    plate, written = plate
    masked = mask_personal_data(f"{before}{written}{after}")
    assert written not in masked
    assert plate[2:] not in masked
    assert written[0] in masked and plate[-2:] in masked


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
        ("建国路88号院3号楼2单元501", "建国路*号院*号楼*单元*"),
        ("送到B座1203", "送到B座*"),
        ("5栋1201房", "*栋*房"),
        ("邮箱abc.def@qq.com谢谢", "邮箱a***@qq.com谢谢"),
        ("邮箱 abc @ qq . com", "邮箱 a***@qq.com"),
        ("车牌粤BABCDE", "车牌粤B***DE"),
        ("車牌粵 B1234学", "車牌粵B***4学"),
        ("加我v：abc12345", "加我v:a***"),
        ("电话幺三八 一二三四 五六七八", "电话幺三八 **** 五六七八"),
        ("手机号138.1234.5678", "手机号138.****.5678"),
        ("手机号138.1234-5678", "手机号138.****-5678"),
        ("座机87654321", "座机******21"),
        ("打(0755) 87654321", "打(0755) ******21"),
        ("联系0086 13000000000", "联系0086 130****0000"),
    ],
)
def test_masks_stay_readable(text: str, expected: str) -> None:
    assert mask_personal_data(normalize_text(text)) == expected


@pytest.mark.parametrize(
    "text",
    ["3号发货", "买了2件", "等了30分钟", "订单123456", "2026年3月1日", "iPhone 15 Pro", "2025.12.1-2026.1.5入住",
     "第一次买，一二三四五六都好", "价格1299.00元", "#好物推荐# 很好用", "新A级车", "666666666666太棒了",
     "3房2厅", "住12层", "卡座20个人", "一栋楼"],
)
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text


def test_full_width_digits_are_masked_with_or_without_normalising() -> None:
    assert mask_personal_data(normalize_text("电话１３８１２３４１２３４")) == "电话138****1234"
    assert mask_personal_data("电话１３８１２３４１２３４") == "电话138****1234"
    assert mask_personal_data("邮箱ａｂｃ＠ｑｑ.ｃｏｍ") == "邮箱a***@qq.com"
