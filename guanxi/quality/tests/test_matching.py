"""Normalising and scoring: pinyin names, company legal forms, n-gram cosine, blocking keys."""

from __future__ import annotations

import pytest

from guanxi.quality.matching import (
    CompanyProfile,
    ContactProfile,
    company_core_name,
    name_similarity,
    ngram_cosine,
    pinyin_key,
    score_companies,
    score_contacts,
)


@pytest.mark.parametrize(
    "name", ["张伟", "张 伟", "Zhang Wei", "zhang  wei", "Wei Zhang", "ZHANG-WEI"]
)
def test_spellings_of_one_name_share_the_pinyin_key(name):
    assert pinyin_key(name) == pinyin_key("张伟") == "weizhang"


@pytest.mark.parametrize(
    ("raw", "core"),
    [
        ("上海关系科技有限公司", "上海关系科技"),
        ("上海关系科技股份有限公司", "上海关系科技"),
        ("上海关系科技", "上海关系科技"),
        ("Acme Co., Ltd.", "acme"),
        ("ACME Inc.", "acme"),
        ("华为技术有限公司（深圳）", "华为技术"),
    ],
    ids=str,
)
def test_company_names_lose_their_legal_form(raw, core):
    assert company_core_name(raw) == core


def test_a_name_that_is_only_a_legal_form_never_becomes_empty():
    assert company_core_name("有限公司")
    assert company_core_name("Ltd.") == "ltd"


def test_ngram_cosine_is_1_for_equal_0_for_disjoint_and_between_otherwise():
    assert ngram_cosine("上海关系科技", "上海关系科技") == pytest.approx(1.0)
    assert ngram_cosine("abc", "xyz") == 0.0
    assert 0 < ngram_cosine("上海关系科技", "北京关系科技") < 1
    assert ngram_cosine("", "abc") == 0.0


def test_name_similarity_orders_sensibly():
    assert name_similarity("张伟", "张 伟") == 1.0
    assert name_similarity("张伟", "Zhang Wei") == 0.95
    assert name_similarity("张伟", "张玮") == 0.95  # same pinyin
    assert name_similarity("张伟", "李娜") < 0.5


def test_same_name_at_the_same_company_is_a_duplicate():
    a = ContactProfile(id=1, name="张伟", company_id=7, company_name="甲")
    b = ContactProfile(id=2, name="张 伟", company_id=7, company_name="甲")
    score, reasons = score_contacts(a, b)
    assert score >= 90
    assert reasons == ["same_name", "same_company"]


def test_same_mobile_scores_at_least_95_and_says_so():
    a = ContactProfile(id=1, name="张伟", mobile_index="h1")
    b = ContactProfile(id=2, name="Zhang Wei", mobile_index="h1")
    score, reasons = score_contacts(a, b)
    assert score >= 95 and reasons[0] == "same_mobile"


def test_different_people_at_one_company_are_not_duplicates():
    a = ContactProfile(id=1, name="张伟", company_id=7, address="上海 浦东")
    b = ContactProfile(id=2, name="李娜", company_id=7, address="北京 朝阳")
    assert score_contacts(a, b)[0] < 60


def test_companies_match_through_aliases_and_legal_forms():
    a = CompanyProfile(id=1, name="深圳市腾讯计算机系统有限公司", aliases=["腾讯"])
    b = CompanyProfile(id=2, name="腾讯有限公司")
    score, reasons = score_companies(a, b)
    assert score >= 80
    assert "alias_match" in reasons


def test_blocking_keys_include_mobile_email_pinyin_and_company_initials():
    profile = ContactProfile(id=1, name="张伟", mobile_index="m", email_index="e", company_id=9)
    assert profile.blocking_keys() == {"m:m", "e:e", "n:weizhang", "i:zw:9"}
    company = CompanyProfile(
        id=1, name="Acme Co., Ltd.", phone="021-6888 1234", website="https://www.acme.cn/about"
    )
    assert {"c:acme", "t:68881234", "w:acme.cn"} <= company.blocking_keys()


def test_a_shared_short_name_alone_is_not_a_duplicate():
    # two legal entities of one brand in different cities
    a = CompanyProfile(id=1, name="长沙联软软件股份有限公司", aliases=["联软"])
    b = CompanyProfile(id=2, name="兴城联软国际货运有限公司", aliases=["联软"])
    assert score_companies(a, b)[0] < 80
