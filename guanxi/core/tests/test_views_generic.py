"""The generic UI building blocks: scoping cannot be overridden, capped paging, form fields."""

from __future__ import annotations

import pytest
from django import forms

from guanxi.companies.models import Company
from guanxi.companies.selectors import company_list
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.core.forms import TagNamesField, UUIDListField
from guanxi.core.paging import MAX_PAGE, page_number, paginate
from guanxi.core.views import ObjectDetailView, ObjectListView, mask_sensitive
from guanxi.workspaces.choices import Role


@pytest.mark.parametrize("method", ["get_queryset", "dispatch"], ids=str)
@pytest.mark.parametrize("base", [ObjectListView, ObjectDetailView], ids=lambda c: c.__name__)
def test_subclasses_may_not_replace_the_scoping_methods(base, method) -> None:
    with pytest.raises(TypeError, match=method):
        type(
            "Leaky",
            (base,),
            {"resource": "companies", "selector": company_list, method: lambda self: None},
        )


@pytest.mark.django_db
def test_the_hook_narrows_within_the_workspace(admin, other_workspace) -> None:
    class RetailOnly(ObjectListView):
        resource = "companies"
        selector = company_list

        def filter_scoped_queryset(self, queryset):
            return queryset.filter(industry="retail")

    mine = CompanyFactory(workspace=admin.workspace, industry="retail")
    CompanyFactory(workspace=admin.workspace, industry="finance")
    CompanyFactory(workspace=other_workspace, industry="retail")
    view = RetailOnly()
    view.membership = admin
    assert list(view.get_queryset()) == [mine]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), (None, 1), ("abc", 1), ("-5", 1), ("0", 1), ("9" * 30, MAX_PAGE), ("2.5", 1)],
    ids=["number", "missing", "text", "negative", "zero", "huge", "decimal"],
)
def test_page_number(raw, expected) -> None:
    assert page_number(raw) == expected


@pytest.mark.django_db
class TestPaginate:
    def test_a_short_list_needs_no_count_query(self, workspace, django_assert_num_queries) -> None:
        CompanyFactory.create_batch(3, workspace=workspace)
        with django_assert_num_queries(1):
            page = paginate(Company.objects.order_by("name"), 1, per_page=5)
        assert (len(page.object_list), page.count, page.has_next, page.count_is_capped) == (
            3,
            3,
            False,
            False,
        )

    def test_a_long_list_counts_up_to_the_cap(self, workspace) -> None:
        CompanyFactory.create_batch(12, workspace=workspace)
        page = paginate(Company.objects.order_by("name"), 2, per_page=5, cap=10)
        assert (page.start_index, page.end_index, page.has_next) == (6, 10, True)
        assert (page.count, page.count_is_capped) == (10, True)

    def test_a_count_left_out_is_none_unless_the_page_shows_it(
        self, workspace, django_assert_num_queries
    ) -> None:
        CompanyFactory.create_batch(12, workspace=workspace)
        companies = Company.objects.order_by("name")
        with django_assert_num_queries(1):
            first = paginate(companies, 1, per_page=5, count=False)
        last = paginate(companies, 3, per_page=5, count=False)
        assert (first.count, first.count_is_capped, first.has_next) == (None, False, True)
        assert (last.count, last.end_index) == (12, 12)

    def test_past_the_end_is_an_empty_page(self, workspace) -> None:
        CompanyFactory.create_batch(2, workspace=workspace)
        page = paginate(Company.objects.order_by("name"), 3, per_page=5)
        assert (page.object_list, page.count, page.start_index) == ([], 2, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("VIP, 上海", ["VIP", "上海"]), ("a，b；c、a", ["a", "b", "c"]), ("  ", []), (" , ,", [])],
    ids=["ascii-comma", "chinese-separators-and-duplicates", "blank", "only-separators"],
)
def test_tag_names_field(text, expected) -> None:
    assert TagNamesField().clean(text) == expected


@pytest.mark.parametrize(
    "text", [",".join(str(i) for i in range(51)), "x" * 51], ids=["too-many", "too-long"]
)
def test_tag_names_field_limits(text) -> None:
    with pytest.raises(forms.ValidationError):
        TagNamesField().clean(text)


@pytest.mark.parametrize(
    "value", [["nope"], ["0189"], [{"a": 1}], ["1" * 1001]], ids=["text", "short", "dict", "long"]
)
def test_uuid_list_field_refuses_garbage(value) -> None:
    with pytest.raises(forms.ValidationError):
        UUIDListField().clean(value)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.VIEWER, ("138****8000", "z***@example.com")),
        (Role.SALES, ("13800138000", "zhang@example.com")),
    ],
    ids=["masked", "visible"],
)
def test_mask_sensitive(role, expected) -> None:
    contact = Contact(name="张伟", mobile="13800138000", email="zhang@example.com")
    mask_sensitive([contact], role)
    assert (contact.mobile, contact.email) == expected
