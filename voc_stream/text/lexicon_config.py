"""The schema of ``lexicons.yaml``: strict pydantic models, so a typo is an error naming its field."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_SLUG = r"^[a-z][a-z0-9_]*$"
# A negation word, except where the character starts a non-negating word (不断, 无法, 没完, 时不时, and
# 没几天 / 没多久, which tell when: "付了定金，没几天那个号注销了") or opens a threat's condition
# ("不删差评就不给售后": the 不 negates 删, not what follows).
# "是不是" asks, it does not deny: "是不是你们客服让我提供验证码", "是不是假货" (but "就是不是京东快递" denies);
# nor does "不是…吗" in one clause, which asserts: "这不是多扣我了吗", "这不是骗人吗".
# A leak-proof feature is no leak: "三重防漏水设计", "防渗漏".
# The pattern runs over the whole text, so look-aheads see past the matched phrase.
_NEGATION_BRANCHES = (
    r"防(?=漏|渗)|没有|没(?!完|几天|多久|两天|几次|一会)|无(?!法|比|语|奈|论|理由|故|缘)|未(?!能|及|收到|到账|成年)|并非|"
    r"(?:(?<!是)|(?<=[就但可只还]是))不是(?![^，,。!?！？;；就]{0,10}吗)|"
    r"不(?!是)(?![^，,。!?！？;；]{1,4}就)"
    r"(?!停|断|住|行|了|少|过|对|得|好|已|止|够|光|仅|然|久|知|到|能|让|给|退|动|准|稳|靠|灵|清|正常|一致|符|明|耐|时)"
)
# A hypothetical reports nothing either, however far into its clause the match comes:
# "万一刹车异响怎么办", "如果洗碗机用了半年漏水能换吗", "要是坏了找谁修" (but 主要是 is no 要是);
# nor does a question, "客户询问产品是否会漏水", "请问是刹车时有异响吗", "装了会漏水吗" (but "怎么会漏水"
# complains); nor hearsay, "听说这款车刹车容易响", "网友说的死机问题从没遇到", "听同事说这车冬天续航掉得厉害",
# "听隔壁卖水果的大姐说她收款码被换了", "隔壁宝妈说她家推车轮子掉了", "看到网上说…", "评论区都在说…", and
# "都说这家海鲜不新鲜" opening a clause (a friend or colleague who says so, without 听, usually shares the
# writer's own order: "同事说他的也有烂的"; but "有人说", "群里有人说" are hearsay; and "听4S店的人说是电池问题" is the writer's own
# car, so 听…说 counts only for bystanders); nor a fear or a guess, "之前担心的漏水都没出现",
# "买之前担心保温杯会漏水", "本来担心新车味重", "最担心一股甲醛味", "之前担心有塑料味", "本来怕有甲醛味",
# "怕被乱扣钱", "怕新柜子甲醛超标" (怕 opening its clause), "就怕哪天扣错了", "要真有人冒充客服打过来",
# "备注说可能会超时"; nor a mistaken belief, "还以为耳机坏了，原来是没插紧" (but in "以为是正品
# 结果是假货" the complaint follows the belief in its clause, and 本以为 leads one); nor a question about a place or
# product the writer has not tried, "冷柜是不是有怪味？", "秒杀的是不是都是瑕疵品？"; nor a condition,
# "如有变质包赔包退", "若款项已扣未到账", "否则装上不能用".
# A regret is no hypothetical: "要是早知道质量这么差" complains. Nor does a precaution report what it
# guards against: "独立包装，防止果子损坏", "谨防上当", "警惕冒充客服诈骗" (but "不可避免地漏水" reports).
_HYPOTHETICAL_BRANCHES = (r"(?:如果|万一|假如|听说|(?<![比例譬])如有|如遇|若(?!干|有所思|无其事|即若离|隐若现)"
                         r"|(?<![主只需重想])要是|要真(?=有|是)|(?:网友|别人)说|(?<![跟和像与同])网上(?:讲|传)|看到网上说"
                         r"|听(?:同事|朋友|别人|家人|邻居|人)说"
                         r"|听[^，,。!?！？;；]{1,6}?(?:同事|朋友|邻居|亲戚|大姐|阿姨|大妈|大爷|群友|网友|车友)说"
                         r"|隔壁[^，,。!?！？;；]{0,6}?说|是否(?=会|有|能|可以)|请问是(?=[^，,。!?！？;；]{1,20}吗)"
                         r"|担心(?=的|有|以后|哪天|冬天|夏天|[^，,。!?！？;；]{0,8}?会)|(?<=[本来最])担心"
                         r"|害怕(?=的|[^，,。!?！？;；]{0,8}?会)|生怕"
                         r"|(?<![不哪就最])怕(?=被|会|万一|买到|有|放久|路上)|(?<=[本来])怕|(?<=[就最])怕(?!了)"
                         r"|(?<![^，,。!?！？;；\n])怕"
                         r"|(?<!怎么)会(?=[^，,。!?！？;；]{0,8}吗)"
                         r"|(?<!本)以为(?![^，,。!?！？;；]{0,16}?(?:结果|却|才发现|才知道|其实|没想到))"
                         r"|会不会|(?:好多人|很多人|不少人)说|可能会|可能(?=延误|晚到|要晚)"
                         r"|(?<=有)(?<!没有)人(?:转发)?说|是不是(?=(?:有|都|容易)[^，,。!?！？;；]{1,8}[?？])"
                         r"|(?:评论|大家|网上)都说|(?<![^，,。!?！？;；\n])都说|都在说|要不然|否则|(?<!要)不然"
                         r"|防止|(?<!无法)(?<!不可)(?<!难以)(?<!不能)避免|以免|以防|谨防|警惕|提防)(?!早知道|早知|当初)")


def _first_characters(chars: str, branches: str) -> str:
    """``branches`` behind a look-ahead for the characters any branch can start with.

    Both patterns are searched at every position of a text; without the look-ahead each
    position tries every branch (the hypothetical pattern took three times as long).
    The test suite checks that the shortcut finds what the branches alone find.
    """
    return "(?=[" + chars + "])(?:" + branches + ")"


_DEFAULT_NEGATION = _first_characters("防没无未并不", _NEGATION_BRANCHES)
_DEFAULT_HYPOTHETICAL = _first_characters("如万假听若要网看别是请担害生怕会好很不少可评大都否防避以谨警提人隔", _HYPOTHETICAL_BRANCHES)


def _without_blanks(values: list[str]) -> list[str]:
    for value in values:
        if not value.strip():
            raise ValueError("empty term")
    return values


class NearRule(BaseModel):
    """Any word of ``a`` and any word of ``b`` within ``within`` characters of each other.

    Either order, unless ``any_order`` is false (then ``a`` comes first).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    a: list[str] = Field(min_length=1)
    b: list[str] = Field(min_length=1)
    within: int = Field(default=8, ge=0, le=40)
    any_order: bool = True


class CategoryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    domain: str = Field(pattern=_SLUG)
    fraud: bool = False
    description: str = ""
    terms: list[str] = Field(default_factory=list)
    near: list[NearRule] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    overrides: list[str] = Field(default_factory=list)

    @field_validator("terms", "exclude")
    @classmethod
    def _no_blank_terms(cls, values: list[str]) -> list[str]:
        return _without_blanks(values)

    @model_validator(mode="after")
    def _has_a_way_to_match(self) -> CategoryConfig:
        if not self.terms and not self.near:
            raise ValueError(f"category {self.id!r} has neither terms nor near rules")
        return self


class NegationConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = _DEFAULT_NEGATION
    window: int = Field(default=3, ge=0, le=10)
    #: Words that make the rest of their clause a supposition; they reach ``hypothetical_window`` characters.
    hypothetical: str = _DEFAULT_HYPOTHETICAL
    hypothetical_window: int = Field(default=16, ge=0, le=40)

    @field_validator("pattern", "hypothetical")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value


class LexiconConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int = 1
    negation: NegationConfig = NegationConfig()
    #: Characters a pinyin keyboard swaps for one another (same sound): every term and
    #: near word of ``homophone_min_chars`` or more also matches with one of them swapped.
    homophones: list[str] = Field(default_factory=list)
    homophone_min_chars: int = Field(default=3, ge=2)
    #: Phrases that mark a sentence as no customer's report (a recall notice, an FAQ, a job ad):
    #: an ``exclude`` of every category.
    not_reports: list[str] = Field(default_factory=list)
    categories: list[CategoryConfig] = Field(min_length=1)

    @field_validator("not_reports")
    @classmethod
    def _no_blank_phrases(cls, values: list[str]) -> list[str]:
        return _without_blanks(values)

    @field_validator("homophones")
    @classmethod
    def _groups_of_single_characters(cls, groups: list[str]) -> list[str]:
        for group in groups:
            if len(group) < 2 or len(set(group)) != len(group):
                raise ValueError(f"homophone group {group!r}: two or more different characters, written together")
        return groups

    @model_validator(mode="after")
    def _unique_ids_and_names(self) -> LexiconConfig:
        for attribute in ("id", "name"):
            seen: set[str] = set()
            for category in self.categories:
                value = getattr(category, attribute)
                if value in seen:
                    raise ValueError(f"duplicate category {attribute} {value!r}")
                seen.add(value)
        names = {category.name for category in self.categories}
        for category in self.categories:
            unknown = [name for name in category.overrides if name not in names or name == category.name]
            if unknown:
                raise ValueError(f"category {category.id!r} overrides unknown categories {unknown}")
        return self
