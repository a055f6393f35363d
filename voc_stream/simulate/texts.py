"""Turning (line of business, intent) into a customer's words.

Every text is composed from pieces (opener, phrase, closer, sometimes contact
details) so that a burst of complaints never repeats one sentence; real reviews
from the shared corpora replace part of the everyday chatter when available.
"""

from __future__ import annotations

import random

from voc_stream.simulate.corpus import Corpus
from voc_stream.simulate.everyday_phrases import ANGRY, EMERGING_CONTEXTS, EVERYDAY
from voc_stream.simulate.risk_phrases import CLOSERS, NEGATED, OPENERS, RISK_PHRASES

EMAIL_DOMAINS = ("163.com", "qq.com", "126.com", "gmail.com", "sina.com", "outlook.com")
CONTACT_FORMS = ("，我的电话{phone}", ",联系我{phone}", " 手机:{phone}", ",邮箱{email}", ",回电 {phone} 谢谢",
                 "(联系方式{email})", ",打{phone}找我")


class TextMaker:
    """Draws texts with a ``random.Random`` (fast per-event choices; numpy handles the bulk draws)."""

    def __init__(self, rand: random.Random, corpus: Corpus, pii_share: float, negated_share: float,
                 real_text_share: float) -> None:
        self.rand = rand
        self.corpus = corpus
        self.pii_share = pii_share
        self.negated_share = negated_share
        self.real_text_share = real_text_share

    def _fill(self, template: str, product: str | None) -> str:
        rand = self.rand
        return template.format(p=product or "", n=rand.randint(2, 9), amt=rand.choice((38, 99, 200, 498, 1200, 3000, 8800)))

    def _contact(self, text: str) -> str:
        if self.rand.random() >= self.pii_share:
            return text
        rand = self.rand
        phone = f"1{rand.choice('35789')}{rand.randint(0, 999_999_999):09d}"
        email = f"{rand.choice(('zhang', 'li', 'wang', 'chen', 'liu', 'yang'))}{rand.randint(10, 99_999)}@{rand.choice(EMAIL_DOMAINS)}"
        return text + rand.choice(CONTACT_FORMS).format(phone=phone, email=email)

    def risk(self, category: str, product: str | None, vertical: str = "") -> str:
        """A complaint in ``category``, worded differently almost every time."""
        rand = self.rand
        core = self._fill(rand.choice(RISK_PHRASES[category]), product)
        opener = rand.choice(OPENERS)
        if "{p}" in opener:
            opener = self._fill(opener, product) if product and (vertical == "auto" or "车主" not in opener) else ""
        text = opener + core + self._fill(rand.choice(CLOSERS), product)
        return self._contact(text)

    def phrase(self, category: str, product: str | None) -> str:
        """One phrasing of a ``category`` complaint, bare: for a text that says more around it."""
        return self._fill(self.rand.choice(RISK_PHRASES[category]), product)

    def everyday(self, vertical: str, mood: str, product: str | None) -> tuple[str, str | None]:
        """Everyday feedback (``mood`` positive, neutral or negative); returns (text, product)."""
        rand = self.rand
        if mood == "positive" and rand.random() < self.negated_share:
            return self._contact(rand.choice(NEGATED)), product
        if mood != "neutral" and self.corpus.has(vertical, mood == "positive") and rand.random() < self.real_text_share:
            real_product, text = rand.choice(self.corpus.texts[vertical][mood == "positive"])
            return self._contact(text), real_product or product
        positive, neutral, negative = EVERYDAY[vertical]
        pool = {"positive": positive, "neutral": neutral, "negative": negative}[mood]
        text = self._fill(rand.choice(pool), product)
        if rand.random() < 0.3:
            text += rand.choice(("", "!", "~", "。", "👍" if mood == "positive" else "…", "哈哈" if mood == "positive" else "唉"))
        return self._contact(text), product

    def angry(self, place: str = "") -> str:
        """A furious post about a visit; ``place`` (a city or store kind) is sometimes named."""
        rand = self.rand
        text = rand.choice(ANGRY)
        if place and rand.random() < 0.4:
            text = rand.choice((f"{place}这边", f"在{place}", f"{place}的")) + text
        if rand.random() < 0.3:
            text += rand.choice(("!!!", "😡", ",气死", ",投诉到底", ",曝光"))
        return self._contact(text)

    def emerging(self, kind: str, term: str, product: str | None) -> str:
        template = self.rand.choice(EMERGING_CONTEXTS[kind])
        return self._contact(template.format(t=term, p=product or "", n=self.rand.randint(2, 9)))
