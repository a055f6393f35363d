"""The bounded set of region label values: China's 34 province-level divisions.

Events carry free-text regions ("广东省", "广西壮族自治区", "上海市", typos, cities);
a metric label must not. ``canonical_region`` folds any input onto a fixed
vocabulary so the business dashboards stay bounded at 37 series per category.
"""

from __future__ import annotations

#: Short names of the 23 provinces, 5 autonomous regions, 4 municipalities and 2 SARs.
PROVINCES: tuple[str, ...] = (
    "北京", "天津", "上海", "重庆",
    "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "台湾",
    "内蒙古", "广西", "西藏", "宁夏", "新疆",
    "香港", "澳门",
)  # fmt: skip

NATIONWIDE = "全国"
UNKNOWN = "unknown"
OTHER = "other"

#: Every value ``canonical_region`` can return.
REGION_LABELS: tuple[str, ...] = PROVINCES + (NATIONWIDE, UNKNOWN, OTHER)

_NATIONWIDE_ALIASES = frozenset({"全国", "中国", "全国范围", "national", "nationwide", "china"})

# Longest first, so no short name can shadow a longer one that starts the same way.
_BY_LENGTH = sorted(PROVINCES, key=len, reverse=True)


def canonical_region(value: str | None) -> str:
    """Fold a free-text region onto ``REGION_LABELS``.

    >>> canonical_region("广西壮族自治区"), canonical_region("上海市"), canonical_region(None)
    ('广西', '上海', 'unknown')
    >>> canonical_region("Atlantis")
    'other'
    """
    if value is None:
        return UNKNOWN
    text = value.strip()
    if not text:
        return UNKNOWN
    if text.lower() in _NATIONWIDE_ALIASES:
        return NATIONWIDE
    for name in _BY_LENGTH:
        if text.startswith(name):
            return name
    return OTHER
