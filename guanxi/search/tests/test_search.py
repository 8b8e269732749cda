"""Index-backed name search (CUS-6) on whichever database the suite runs on: SQLite FTS5 or
PostgreSQL pg_trgm. Same answers as a substring match, whatever the query contains."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory

from guanxi.companies.filtersets import CompanyFilterSet
from guanxi.companies.models import Company, CompanyAlias
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.filtersets import ContactFilterSet
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.paging import paginate
from guanxi.search.indexes import (
    SOURCES,
    sqlite_triggers_missing,
    text_indexes_ensure_after_migrate,
    text_indexes_rebuild,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("张伟", "张伟明", "李张伟", "张明伟", "王芳", "John Smith", "Anna SMITHERS", "Li Wei")


def found(workspace, query: str) -> set[str]:
    request = RequestFactory().get("/contacts/", {"search": query})
    request.workspace = workspace
    filterset = ContactFilterSet(
        request.GET, queryset=Contact.objects.filter(workspace=workspace), request=request
    )
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


def found_companies(workspace, query: str) -> set[str]:
    request = RequestFactory().get("/companies/", {"search": query})
    request.workspace = workspace
    filterset = CompanyFilterSet(
        request.GET, queryset=Company.objects.filter(workspace=workspace), request=request
    )
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


@pytest.fixture
def people(workspace):
    huawei = CompanyFactory(workspace=workspace, name="华为技术有限公司", short_name="华为")
    CompanyAlias.objects.create(workspace=workspace, company=huawei, name="Huawei")
    for name in PEOPLE:
        ContactFactory(workspace=workspace, name=name)
    ContactFactory(workspace=workspace, name="赵六", company=huawei)
    return huawei


class TestNames:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            # 2 Chinese characters: anywhere in the name, not the characters apart
            ("张伟", {"张伟", "张伟明", "李张伟"}),
            ("伟明", {"张伟明"}),
            # 1 character: a surname or a given name
            ("芳", {"王芳"}),
            ("张", {"张伟", "张伟明", "李张伟", "张明伟"}),
            # 3 and more: trigrams
            ("张伟明", {"张伟明"}),
            ("李张伟", {"李张伟"}),
            # Latin, partial and case-insensitive
            ("smith", {"John Smith", "Anna SMITHERS"}),
            ("SMI", {"John Smith", "Anna SMITHERS"}),
            ("ohn", {"John Smith"}),
            ("n S", {"John Smith"}),
            # (赵六 works at a company with the alias Huawei)
            ("wE", {"Li Wei", "赵六"}),
            ("a", {"Anna SMITHERS", "赵六"}),
            ("nobody", set()),
        ],
    )
    def test_partial_names(self, workspace, people, query, expected) -> None:
        # given contacts with Chinese and Latin names
        # when searching part of a name
        # then exactly the names containing it are found
        assert found(workspace, query) == expected

    def test_a_company_name_finds_its_contacts(self, workspace, people) -> None:
        # given 赵六 works at 华为技术有限公司 (short name 华为, alias Huawei)
        # when searching the full name, a part of it, the short name or the alias
        # then 赵六 is found
        for query in ("华为技术有限公司", "技术有限", "华为", "华", "huawei", "HUAW"):
            assert found(workspace, query) == {"赵六"}, query

    def test_exact_mobile_and_email_still_win(self, workspace) -> None:
        # given a contact with a mobile and an email
        ContactFactory(workspace=workspace, name="钱七", mobile="13912345678", email="q@x.cn")
        ContactFactory(workspace=workspace, name="13912345")
        # when searching the whole mobile or address, then only the exact owner is found
        assert found(workspace, "139 1234 5678") == {"钱七"}
        assert found(workspace, "Q@X.CN") == {"钱七"}
        # and a partial number is not a mobile: it matches names only
        assert found(workspace, "13912345") == {"13912345"}

    def test_other_workspaces_never_match(self, workspace, other_workspace, people) -> None:
        # given the same names and company in another workspace
        theirs = CompanyFactory(workspace=other_workspace, name="华为技术有限公司 2")
        ContactFactory(workspace=other_workspace, name="张伟", company=theirs)
        CompanyAlias.objects.create(workspace=other_workspace, company=theirs, name="张伟")
        # when searching in ours, then only ours are found
        assert found(workspace, "张伟") == {"张伟", "张伟明", "李张伟"}
        assert found(workspace, "华为") == {"赵六"}
        assert found_companies(workspace, "华为") == {"华为技术有限公司"}


class TestHostileQueries:
    @pytest.mark.parametrize(
        "query",
        [
            '"',
            '""',
            '"张伟',
            "*",
            "张*",
            "NEAR",
            "NEAR(张 伟)",
            "-",
            "-张伟",
            "a OR b",
            "name:张伟",
            "^张",
            "'; DROP TABLE contacts_contact; --",
            "<script>alert(1)</script>",
            "%",
            "_",
            "\\",
            "()",
            "{}",
            "😀",
            "张" * 500,
        ],
    )
    def test_operators_and_markup_are_plain_text(self, workspace, people, query) -> None:
        # given contacts, when searching for FTS/LIKE operators, quotes or markup
        # then nothing errors and nothing matches (no name contains these)
        assert found(workspace, query) == set()
        assert found_companies(workspace, query) == set()

    @pytest.mark.parametrize("query", ['Smith "Jr"', "O'Brien", "50%_off", "A-B", "C++"])
    def test_special_characters_match_literally(self, workspace, query) -> None:
        # given names that contain quotes, wildcards and operators
        for name in ('John Smith "Jr"', "Pat O'Brien", "50%_off shop", "A-B", "C++ Guy", "50x off"):
            ContactFactory(workspace=workspace, name=name)
        # when searching them, then only the name containing the literal text matches
        assert len(found(workspace, query)) == 1
        assert query.lower() in next(iter(found(workspace, query))).lower()


class TestIndexFollowsChanges:
    def test_rename_delete_and_aliases(self, workspace, people) -> None:
        # given a contact found by its name
        contact = Contact.objects.get(workspace=workspace, name="王芳")
        # when it is renamed, then the new name is found and the old one is not
        contact.name = "王丽"
        contact.save()
        assert found(workspace, "芳") == set()
        assert found(workspace, "王丽") == {"王丽"}
        # when bulk-updated (no signals), then the index still follows
        Contact.objects.filter(pk=contact.pk).update(name="Wang Li")
        assert found(workspace, "wang") == {"Wang Li"}
        assert found(workspace, "王丽") == set()
        # when deleted, then it is gone
        contact.delete()
        assert found(workspace, "wang") == set()
        # when an alias is added, renamed and removed, the company follows it
        alias = CompanyAlias.objects.create(workspace=workspace, company=people, name="红星")
        assert found_companies(workspace, "红星") == {"华为技术有限公司"}
        alias.name = "蓝天"
        alias.save()
        assert found_companies(workspace, "红星") == set()
        assert found_companies(workspace, "蓝天") == {"华为技术有限公司"}
        alias.delete()
        assert found_companies(workspace, "蓝天") == set()
        # when the short name changes, the company follows it
        Company.objects.filter(pk=people.pk).update(short_name="HW")
        assert found_companies(workspace, "华为") == {"华为技术有限公司"}  # still in its name
        assert found_companies(workspace, "hw") == {"华为技术有限公司"}

    def test_bulk_inserts_are_indexed(self, workspace) -> None:
        # given contacts created by bulk_create (as imports and the demo do)
        Contact.objects.bulk_create(
            [Contact(workspace=workspace, name=f"批量{i}") for i in range(30)]
        )
        # when searching, then all are found
        assert len(found(workspace, "批量")) == 30
        assert found(workspace, "批量29") == {"批量29"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 upkeep")
class TestSQLiteRepair:
    def test_rebuild_after_lost_triggers(self, workspace, people) -> None:
        # given a table rebuild dropped the triggers (as SQLite ALTER TABLE by Django does)
        with connection.cursor() as cursor:
            for source in SOURCES:
                for fts in (source.trigrams, source.grams):
                    cursor.execute(f"DROP TRIGGER {fts}_insert")
        assert sqlite_triggers_missing(connection)
        ContactFactory(workspace=workspace, name="孙八")
        assert found(workspace, "孙八") == set()
        # when migrate finishes (post_migrate after a plan), then triggers and index are back
        text_indexes_ensure_after_migrate(using="default", plan=[("a migration", False)])
        assert not sqlite_triggers_missing(connection)
        assert found(workspace, "孙八") == {"孙八"}
        assert found(workspace, "张伟") == {"张伟", "张伟明", "李张伟"}

    def test_rebuild_keeps_answers(self, workspace, people) -> None:
        # given an index, when rebuilt, then the same queries give the same answers
        before = {query: found(workspace, query) for query in ("张", "张伟", "smith", "华为")}
        text_indexes_rebuild(connection)
        assert {query: found(workspace, query) for query in before} == before


class TestManyMatches:
    @pytest.mark.parametrize("query", ["张", "张伟", "smith", "华为", "a"])
    @pytest.mark.parametrize("many_related", [20_000, 0])
    def test_probing_in_index_order_gives_the_same_rows(
        self, workspace, people, monkeypatch, query, many_related
    ) -> None:
        # given the answers while few rows match (read the matches, then sort)
        few = found(workspace, query)
        # when every match set counts as large (walk the list index, probe each row), with
        # the matching companies given as a list or (PostgreSQL, too many) as a subquery
        monkeypatch.setattr("guanxi.search.filtering.MANY_MATCHES", 0)
        monkeypatch.setattr("guanxi.search.filtering.POSTGRES_MANY_MATCHES", 0)
        monkeypatch.setattr("guanxi.search.filtering.MANY_RELATED", many_related)
        # then the answers are the same
        assert found(workspace, query) == few

    @pytest.mark.parametrize("query", ["张", "伟", "华"])
    def test_a_page_and_its_count_agree_with_few_matches(
        self, workspace, people, monkeypatch, query
    ) -> None:
        # given three people at 华为 (found by its name), the first page of two and the count
        # while few rows match
        for name in ("钱七", "孙八"):
            ContactFactory(workspace=workspace, name=name, company=people)

        def first_page():
            request = RequestFactory().get("/contacts/", {"search": query})
            request.workspace = workspace
            queryset = Contact.objects.filter(workspace=workspace)
            page = paginate(
                ContactFilterSet(request.GET, queryset, request=request).qs, 1, per_page=2
            )
            return [contact.name for contact in page.object_list], page.count

        few = first_page()
        # when many match: the page walks the list in order, the count starts from the matches
        monkeypatch.setattr("guanxi.search.filtering.MANY_MATCHES", 0)
        monkeypatch.setattr("guanxi.search.filtering.POSTGRES_MANY_MATCHES", 0)
        # then both are the same
        assert first_page() == few
        assert few[1] > 2

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's unary + probe")
    def test_sqlite_probes_in_ordered_queries_only(self, workspace, people, monkeypatch) -> None:
        monkeypatch.setattr("guanxi.search.filtering.MANY_MATCHES", 0)
        request = RequestFactory().get("/contacts/", {"search": "张"})
        request.workspace = workspace
        queryset = Contact.objects.filter(workspace=workspace)
        searched = ContactFilterSet(request.GET, queryset, request=request).qs
        assert '+"contacts_contact".rowid IN' in str(searched.order_by("-id").query)
        assert "+" not in str(searched.order_by().query)

    @pytest.mark.parametrize("many_matches", [2000, 0])
    def test_search_inside_a_subquery(self, workspace, people, monkeypatch, many_matches) -> None:
        # given a searched queryset used as a subquery (bulk actions, export: tables are
        # renamed U0… there), with the matches read first or checked row by row
        monkeypatch.setattr("guanxi.search.filtering.MANY_MATCHES", many_matches)
        monkeypatch.setattr("guanxi.search.filtering.POSTGRES_MANY_MATCHES", many_matches)
        request = RequestFactory().get("/contacts/", {"search": "张伟"})
        request.workspace = workspace
        searched = ContactFilterSet(
            request.GET, queryset=Contact.objects.filter(workspace=workspace), request=request
        ).qs
        # when it selects the rows of an outer query, then it is the same set
        outer = Contact.objects.filter(pk__in=searched.values("pk"))
        assert set(outer.values_list("name", flat=True)) == {"张伟", "张伟明", "李张伟"}
        assert searched.count() == 3
