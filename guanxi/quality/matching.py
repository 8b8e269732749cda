"""Normalising names for matching and scoring how alike two records are (DQ-1, DQ-3).

Blocking keys put records that could be the same customer into the same bucket (exact
mobile/email blind index, pinyin of the name, normalised company name); only records sharing
a key are scored, which keeps a workspace scan near-linear instead of O(n²).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from typing import Any

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

# legal forms stripped from company names before comparing (longest first)
LEGAL_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "集团公司",
    "分公司",
    "公司",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd.",
    "co ltd",
    "company limited",
    "corporation",
    "limited",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "corp.",
    "corp",
    "llc",
    "gmbh",
    "co.",
)
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
LATIN_WORD = re.compile(r"[a-z0-9]+")
MAX_KEY_LENGTH = 120

# reason codes stored on candidates; the UI translates them (quality.presentation)
SAME_MOBILE = "same_mobile"
SAME_EMAIL = "same_email"
SAME_NAME = "same_name"
SIMILAR_NAME = "similar_name"
SAME_COMPANY = "same_company"
SIMILAR_ADDRESS = "similar_address"
SAME_PHONE = "same_phone"
SAME_WEBSITE = "same_website"
ALIAS_MATCH = "alias_match"

# contact score = weighted name, company and address similarity (weights sum to 1)
CONTACT_WEIGHTS = {"name": 0.6, "company": 0.25, "address": 0.15}
COMPANY_WEIGHTS = {"name": 0.75, "contact": 0.15, "address": 0.10}
# similarity used when neither / only one record has the value: unknown, not different
BOTH_MISSING = 0.5
ONE_MISSING = 0.4
# two companies whose legal names differ but share a short name or alias are often
# different entities of one brand (branches, franchises): that match counts for less than a
# legal name matching the other's name or alias
ALIAS_TO_ALIAS = 0.7
# same pinyin, other characters or spelling (张伟 / 张玮 / Zhang Wei)
SAME_PINYIN = 0.95
# the same mobile or email is (almost) proof on its own
IDENTITY_SCORE = 95


@functools.lru_cache(maxsize=200_000)
def name_tokens(name: str) -> tuple[str, ...]:
    """Pinyin syllables of Chinese characters and lower-case Latin words: 张伟, 张 伟 and
    Zhang Wei all give ('zhang', 'wei')."""
    tokens: list[str] = []
    for part in lazy_pinyin(name or "", style=Style.NORMAL, errors="default"):
        tokens.extend(LATIN_WORD.findall(part.lower()))
    return tuple(tokens)


def pinyin_key(name: str) -> str:
    """Order-free full pinyin ('weizhang'), so 'Wei Zhang' meets 张伟."""
    return "".join(sorted(name_tokens(name)))[:MAX_KEY_LENGTH]


def initials_key(name: str) -> str:
    return "".join(token[0] for token in name_tokens(name))


@functools.lru_cache(maxsize=100_000)
def company_core_name(name: str) -> str:
    """The distinctive part of a company name: lower case, without legal form and punctuation.

    '上海关系科技有限公司' and '上海关系科技' both give '上海关系科技'; 'Acme Co., Ltd.' gives 'acme'.
    """
    value = (name or "").strip().lower()
    value = re.sub(r"[（(][^）)]*[）)]$", "", value).strip()  # trailing "(China)" etc.
    changed = True
    while changed and value:
        changed = False
        for suffix in LEGAL_SUFFIXES:
            if value.endswith(suffix) and len(value) > len(suffix):
                value = value[: -len(suffix)].rstrip(" ,.")
                changed = True
                break
    return NON_WORD.sub("", value)[:MAX_KEY_LENGTH]


def ngram_cosine(a: str, b: str) -> float:
    """Cosine similarity (0–1) of the character-bigram sets of two strings: |A∩B| / √(|A|·|B|)."""
    if not a or not b:
        return 0.0
    grams_a, grams_b = ngrams(a), ngrams(b)
    common = len(grams_a & grams_b)
    return common / math.sqrt(len(grams_a) * len(grams_b)) if common else 0.0


@functools.lru_cache(maxsize=400_000)
def ngrams(value: str, n: int = 2) -> frozenset[str]:
    """Character n-grams of the lower-cased text without punctuation (sets: a scan compares
    hundreds of thousands of pairs, and set intersection runs in C)."""
    value = NON_WORD.sub("", value.lower())
    if len(value) < n:
        return frozenset([value]) if value else frozenset()
    return frozenset(value[i : i + n] for i in range(len(value) - n + 1))


def text_similarity(a: str, b: str) -> float:
    """0–1: the better of rapidfuzz's token-sort ratio and the n-gram cosine."""
    if not a or not b:
        return 0.0
    return max(fuzz.token_sort_ratio(a, b) / 100, ngram_cosine(a, b))


def name_similarity(a: str, b: str) -> float:
    """Names compared by pinyin (order-free) and by characters."""
    if not a or not b:
        return 0.0
    if pinyin_key(a) and pinyin_key(a) == pinyin_key(b):
        return 1.0 if NON_WORD.sub("", a.lower()) == NON_WORD.sub("", b.lower()) else SAME_PINYIN
    tokens_a, tokens_b = " ".join(name_tokens(a)), " ".join(name_tokens(b))
    return max(text_similarity(a, b), fuzz.token_sort_ratio(tokens_a, tokens_b) / 100)


def optional_similarity(a: str, b: str, compare: Any = text_similarity) -> float:
    if not a and not b:
        return BOTH_MISSING
    if not a or not b:
        return ONE_MISSING
    return compare(a, b)


@dataclass
class ContactProfile:
    """What duplicate detection reads of a contact (the scan builds these from value rows)."""

    id: Any
    name: str
    mobile_index: str = ""
    email_index: str = ""
    company_id: Any = None
    company_name: str = ""
    address: str = ""
    # derived once per record, not once per compared pair
    pinyin: str = field(init=False, repr=False)
    initials: str = field(init=False, repr=False)
    plain_name: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.pinyin = pinyin_key(self.name)
        self.initials = initials_key(self.name)
        self.plain_name = NON_WORD.sub("", (self.name or "").lower())

    def blocking_keys(self) -> set[str]:
        return self.stored_keys() | self.identity_keys()

    def identity_keys(self) -> set[str]:
        """Mobile and email: contacts already index these columns, so they are not stored."""
        keys = set()
        if self.mobile_index:
            keys.add("m:" + self.mobile_index)
        if self.email_index:
            keys.add("e:" + self.email_index)
        return keys

    def stored_keys(self) -> set[str]:
        keys = set()
        if self.pinyin:
            keys.add("n:" + self.pinyin)
        if self.initials and self.company_id:
            # initials at one company: catches misspelt pinyin of colleagues' records
            keys.add(f"i:{self.initials}:{self.company_id}")
        return keys


@dataclass
class CompanyProfile:
    id: Any
    name: str
    aliases: list[str] = field(default_factory=list)
    phone: str = ""
    website: str = ""
    address: str = ""

    def names(self) -> list[str]:
        return [name for name in (self.name, *self.aliases) if name]

    def stored_keys(self) -> set[str]:
        return self.blocking_keys()

    def blocking_keys(self) -> set[str]:
        keys = {"c:" + core for core in map(company_core_name, self.names()) if core}
        keys |= {"p:" + key for key in map(pinyin_key, self.names()) if key}
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) >= 7:
            keys.add("t:" + digits[-8:])
        domain = website_domain(self.website)
        if domain:
            keys.add("w:" + domain)
        return keys


def website_domain(url: str) -> str:
    value = re.sub(r"^[a-z]+://", "", (url or "").strip().lower())
    return value.split("/")[0].removeprefix("www.")


def score_contacts(a: ContactProfile, b: ContactProfile) -> tuple[int, list[str]]:
    """0–100 and the reasons; see CONTACT_WEIGHTS."""
    reasons = []
    if a.pinyin and a.pinyin == b.pinyin:
        name = 1.0 if a.plain_name == b.plain_name else SAME_PINYIN
    else:
        name = name_similarity(a.name, b.name)
    if name == 1.0:
        reasons.append(SAME_NAME)
    elif name >= 0.8:
        reasons.append(SIMILAR_NAME)
    if a.company_id and a.company_id == b.company_id:
        company = 1.0
    else:
        company = optional_similarity(
            company_core_name(a.company_name), company_core_name(b.company_name)
        )
    if company >= 0.9:
        reasons.append(SAME_COMPANY)
    address = optional_similarity(a.address, b.address)
    if a.address and b.address and address >= 0.8:
        reasons.append(SIMILAR_ADDRESS)
    weights = CONTACT_WEIGHTS
    score = 100 * (
        weights["name"] * name + weights["company"] * company + weights["address"] * address
    )
    if a.mobile_index and a.mobile_index == b.mobile_index:
        reasons.insert(0, SAME_MOBILE)
        score = max(score, IDENTITY_SCORE + 5 * name)
    if a.email_index and a.email_index == b.email_index:
        reasons.insert(0, SAME_EMAIL)
        score = max(score, IDENTITY_SCORE + 5 * name)
    return min(100, round(score)), reasons


def score_companies(a: CompanyProfile, b: CompanyProfile) -> tuple[int, list[str]]:
    reasons = []
    best, via_alias = 0.0, False
    for i, name_a in enumerate(a.names()):
        for j, name_b in enumerate(b.names()):
            core_a, core_b = company_core_name(name_a), company_core_name(name_b)
            similarity = 1.0 if core_a and core_a == core_b else text_similarity(core_a, core_b)
            if i and j:
                similarity *= ALIAS_TO_ALIAS
            if similarity > best:
                best, via_alias = similarity, bool(i or j)
    if best == 1.0:
        reasons.append(SAME_NAME)
    elif best >= 0.8:
        reasons.append(SIMILAR_NAME)
    if via_alias and best >= 0.8:
        reasons.append(ALIAS_MATCH)
    digits_a, digits_b = re.sub(r"\D", "", a.phone), re.sub(r"\D", "", b.phone)
    same_phone = len(digits_a) >= 7 and digits_a[-8:] == digits_b[-8:]
    domain_a = website_domain(a.website)
    same_site = bool(domain_a) and domain_a == website_domain(b.website)
    if same_phone:
        reasons.append(SAME_PHONE)
    if same_site:
        reasons.append(SAME_WEBSITE)
    contact = 1.0 if same_phone or same_site else BOTH_MISSING
    address = optional_similarity(a.address, b.address)
    if a.address and b.address and address >= 0.8:
        reasons.append(SIMILAR_ADDRESS)
    weights = COMPANY_WEIGHTS
    score = 100 * (
        weights["name"] * best + weights["contact"] * contact + weights["address"] * address
    )
    return min(100, round(score)), reasons
