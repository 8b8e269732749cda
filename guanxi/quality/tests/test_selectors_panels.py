"""Alias search for the company search helper, and the panel's fixed query count."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from guanxi.companies.models import Company
from guanxi.companies.services import company_aliases_set, company_create
from guanxi.quality.panels import quality_panel_context
from guanxi.quality.selectors import company_ids_matching_alias

pytestmark = pytest.mark.django_db


def test_alias_search_is_partial_case_blind_and_scoped(workspace, other_workspace, admin):
    company = company_create(
        workspace=workspace, actor=admin.user, name="北京字节跳动科技有限公司", aliases="ByteDance"
    )
    foreign = company_create(
        workspace=other_workspace, actor=None, name="Other", aliases="ByteDance"
    )
    found = Company.objects.filter(pk__in=company_ids_matching_alias(workspace, " bytedance "))
    assert list(found) == [company]
    assert foreign not in found


def test_aliases_are_trimmed_unique_and_never_the_own_name(workspace, admin):
    company = company_create(workspace=workspace, actor=admin.user, name="字节跳动")
    names = company_aliases_set(
        company=company, aliases="字节跳动, ByteDance ，bytedance、  抖音 \n\n"
    )
    assert names == ["ByteDance", "抖音"]


def test_panel_runs_the_same_queries_for_1_and_20_aliases(
    workspace, admin, django_assert_num_queries
):
    one = company_create(workspace=workspace, actor=admin.user, name="甲", aliases="a")
    many = company_create(
        workspace=workspace, actor=admin.user, name="乙", aliases=[f"b{i}" for i in range(20)]
    )
    request = RequestFactory().get("/")
    with django_assert_num_queries(2):
        assert len(quality_panel_context(one, admin, request)["aliases"]) == 1
    with django_assert_num_queries(2):
        assert len(quality_panel_context(many, admin, request)["aliases"]) == 20
