"""The 31 mainland province-level regions, their main cities and the codes used in store ids.

Weights are resident populations in millions (2020 census, rounded): feedback
volume follows people, so a region's share of the stream follows its weight.
Store ids read like ``GZ-TH-001``: city code, district code, branch number.
"""

from __future__ import annotations

from dataclasses import dataclass

#: District codes for cities where no named districts are listed.
GENERIC_DISTRICTS = ("ZX", "KF", "GX", "XQ", "CB", "CN")


@dataclass(frozen=True)
class City:
    name: str
    code: str
    districts: tuple[str, ...] = GENERIC_DISTRICTS


@dataclass(frozen=True)
class Region:
    name: str
    population_m: float
    cities: tuple[City, ...]


def _c(name: str, code: str, districts: str = "") -> City:
    return City(name, code, tuple(districts.split()) if districts else GENERIC_DISTRICTS)


REGIONS: tuple[Region, ...] = (
    Region("广东", 126.0, (_c("广州", "GZ", "TH YX HZ BY PY"), _c("深圳", "SZ", "NS FT BA LG"), _c("东莞", "DG"), _c("佛山", "FS", "CC NH SD"))),
    Region("山东", 101.5, (_c("济南", "JN", "LX SZ HY"), _c("青岛", "QD", "SN SB HD"), _c("烟台", "YT"))),
    Region("河南", 99.4, (_c("郑州", "ZZ", "JS ZY GX"), _c("洛阳", "LY"))),
    Region("江苏", 84.7, (_c("南京", "NJ", "GL XW JY"), _c("苏州", "SUZ", "GS WZ YQ"), _c("无锡", "WX"))),
    Region("四川", 83.7, (_c("成都", "CD", "JJ WH GX JN"), _c("绵阳", "MY"))),
    Region("河北", 74.6, (_c("石家庄", "SJZ"), _c("唐山", "TS"), _c("保定", "BD"))),
    Region("湖南", 66.4, (_c("长沙", "CS", "YL FR KF YH"), _c("株洲", "ZZH"))),
    Region("浙江", 64.6, (_c("杭州", "HZ", "XH SC BJ YH"), _c("宁波", "NB", "HS YZ"), _c("温州", "WZ"))),
    Region("安徽", 61.0, (_c("合肥", "HF", "SS BH LY"), _c("芜湖", "WHU"))),
    Region("湖北", 57.8, (_c("武汉", "WH", "JA WC HS HK"), _c("宜昌", "YC"))),
    Region("广西", 50.1, (_c("南宁", "NN"), _c("柳州", "LZ"), _c("桂林", "GL"))),
    Region("云南", 47.2, (_c("昆明", "KM", "WH PL GD"), _c("大理", "DLI"))),
    Region("江西", 45.2, (_c("南昌", "NC", "DH XH QSH"), _c("赣州", "GZU"))),
    Region("辽宁", 42.6, (_c("沈阳", "SY", "HP SH TX"), _c("大连", "DL", "ZS XG GJZ"))),
    Region("福建", 41.5, (_c("福州", "FZ", "GL TJ CS"), _c("厦门", "XM", "SM HL JM"), _c("泉州", "QZ"))),
    Region("陕西", 39.5, (_c("西安", "XA", "YT BL XC WY"), _c("宝鸡", "BJI"))),
    Region("贵州", 38.6, (_c("贵阳", "GY", "YY NM GSH"), _c("遵义", "ZY"))),
    Region("山西", 34.9, (_c("太原", "TY", "XD YZ JCP"), _c("大同", "DT"))),
    Region("重庆", 32.1, (_c("重庆", "CQ", "YZ JB YB SPB NA"),)),
    Region("黑龙江", 31.9, (_c("哈尔滨", "HEB", "NG DL XF"), _c("大庆", "DQ"))),
    Region("新疆", 25.9, (_c("乌鲁木齐", "WLMQ", "TS SYB XS"),)),
    Region("上海", 24.9, (_c("上海", "SH", "PD XH JA MH CN YP"),)),
    Region("吉林", 24.1, (_c("长春", "CC", "CY NG LY"), _c("吉林", "JL"))),
    Region("内蒙古", 24.0, (_c("呼和浩特", "HHHT"), _c("包头", "BT"))),
    Region("甘肃", 25.0, (_c("兰州", "LZH", "CG QLH AN"),)),
    Region("北京", 21.9, (_c("北京", "BJ", "CY HD DC XC FT TZ"),)),
    Region("天津", 13.9, (_c("天津", "TJ", "HP NK HX BH"),)),
    Region("海南", 10.1, (_c("海口", "HK", "LH MY"), _c("三亚", "SANY"))),
    Region("宁夏", 7.2, (_c("银川", "YCH", "XF JF"),)),
    Region("青海", 5.9, (_c("西宁", "XN", "CX CD"),)),
    Region("西藏", 3.6, (_c("拉萨", "LS", "CG DZ"),)),
)


def top_regions(count: int) -> tuple[Region, ...]:
    """The ``count`` most populous regions (all 31 when ``count`` >= 31)."""
    ranked = sorted(REGIONS, key=lambda region: -region.population_m)
    return tuple(ranked[: max(1, count)])
