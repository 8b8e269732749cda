"""Interaction pages: the shared view checks, quick logging from record pages, the panels on
contact and company pages (constant query count), follow-ups on the home page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.testing import row_state
from guanxi.core.testing_views import ViewTestCases, ui_client
from guanxi.core.timeline import TIMELINE_PAGE_SIZE
from guanxi.interactions.models import Interaction
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

FORM = {
    "subject": "上门拜访",
    "channel": "visit",
    "direction": "outbound",
    "status": "to_be_handled",
    "occurred_at": "2026-03-01T10:30",
}


class TestInteractionViews(ViewTestCases):
    namespace = "interactions"
    model = Interaction

    @pytest.fixture(autouse=True)
    def customer(self, workspace):
        self.company = CompanyFactory(workspace=workspace, name="杭州客户")

    def make(self, workspace, **kwargs: Any) -> Interaction:
        return InteractionFactory(workspace=workspace, **kwargs)

    def make_rich(self, workspace, *, owner) -> Interaction:
        company = CompanyFactory(workspace=workspace)
        contact = ContactFactory(workspace=workspace, company=company)
        return self.make(workspace, owner=owner, contact=contact, company=company)

    def create_data(self) -> dict[str, Any]:
        return {**FORM, "company": self.company.name}

    def update_data(self, obj) -> dict[str, Any]:
        return {
            **FORM,
            "subject": f"{obj.subject}（改）",
            "contact": obj.contact_id or "",
            "company": obj.company.name if obj.company else self.company.name,
            "owner": obj.owner_id or "",
        }


def quick_url(record) -> str:
    return reverse(f"interactions:log_{record._meta.model_name}", args=[record.pk])


QUICK = {"channel": "call", "direction": "outbound", "status": "awaiting_reply", "subject": "电话"}


class TestQuickLog:
    def test_htmx_post_logs_and_answers_a_fresh_form_and_the_event(self, admin) -> None:
        # given a contact at a company
        company = CompanyFactory(workspace=admin.workspace)
        contact = ContactFactory(workspace=admin.workspace, company=company)
        # when the quick form is posted by htmx
        response = ui_client(admin).post(
            quick_url(contact),
            {**QUICK, "content": "<p>谈价格</p><script>x()</script>"},
            HTTP_HX_REQUEST="true",
        )
        # then the interaction is stored for the contact and its company
        assert response.status_code == 200
        logged = Interaction.objects.get()
        assert (logged.contact_id, logged.company_id, logged.owner_id) == (
            contact.pk,
            company.pk,
            admin.user_id,
        )
        assert logged.content == "<p>谈价格</p>"
        # and the answer is an empty form that tells the timeline to reload
        assert response["HX-Trigger"] == "interactionLogged"
        body = response.content.decode()
        assert 'class="card-body quick-log-form"' in body
        assert "电话" not in body and "<html" not in body
        assert response.context["logged"] is True

    def test_errors_come_back_inline_and_nothing_is_stored(self, admin) -> None:
        contact = ContactFactory(workspace=admin.workspace)
        response = ui_client(admin).post(
            quick_url(contact),
            {**QUICK, "subject": "", "channel": "pigeon"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "HX-Trigger" not in response
        assert set(response.context["form"].errors) == {"subject", "channel"}
        subject_id = response.context["form"]["subject"].auto_id
        assert f'id="errors-{subject_id}"' in response.content.decode()
        assert not Interaction.objects.exists()

    def test_without_htmx_it_goes_back_to_the_record(self, admin) -> None:
        company = CompanyFactory(workspace=admin.workspace)
        response = ui_client(admin).post(quick_url(company), QUICK)
        assert response.status_code == 302
        assert response["Location"] == company.get_absolute_url()
        assert Interaction.objects.get().company_id == company.pk

    def test_a_viewer_may_not_log_and_sees_no_form(self, member, workspace) -> None:
        viewer = member(Role.VIEWER)
        contact = ContactFactory(workspace=workspace)
        client = ui_client(viewer)
        assert client.post(quick_url(contact), QUICK).status_code == 403
        page = client.get(contact.get_absolute_url())
        assert "quick-log-form" not in page.content.decode()
        assert "timeline-body" in page.content.decode()
        assert not Interaction.objects.exists()

    def test_another_workspaces_contact_is_404(self, admin, other_workspace) -> None:
        foreign = ContactFactory(workspace=other_workspace)
        response = ui_client(admin).post(quick_url(foreign), QUICK, HTTP_HX_REQUEST="true")
        assert response.status_code == 404
        assert not Interaction.objects.exists()


class TestRecordPages:
    def test_the_contact_page_shows_the_form_and_the_timeline_newest_first(self, admin) -> None:
        contact = ContactFactory(workspace=admin.workspace)
        now = timezone.now()
        InteractionFactory(
            workspace=admin.workspace, contact=contact, subject="旧", occurred_at=now - timedelta(1)
        )
        InteractionFactory(
            workspace=admin.workspace, contact=contact, subject="新", occurred_at=now
        )
        body = ui_client(admin).get(contact.get_absolute_url()).content.decode()
        assert "quick-log-form" in body
        assert body.index(">新<") < body.index(">旧<")

    def test_the_company_page_shows_its_contacts_interactions(self, admin) -> None:
        company = CompanyFactory(workspace=admin.workspace)
        contact = ContactFactory(workspace=admin.workspace, company=company, name="李雷")
        InteractionFactory(workspace=admin.workspace, contact=contact, subject="李雷来电")
        body = ui_client(admin).get(company.get_absolute_url()).content.decode()
        assert "李雷来电" in body

    @pytest.mark.parametrize(
        "factory", [ContactFactory, CompanyFactory], ids=["contact", "company"]
    )
    def test_the_page_runs_the_same_queries_for_1_and_30_interactions(
        self, factory, admin, member
    ) -> None:
        # given a record with one interaction by a colleague
        record = factory(workspace=admin.workspace)
        owner = member(Role.SALES).user
        link = {record._meta.model_name: record}
        if "contact" not in link:
            link["contact"] = None
        InteractionFactory(workspace=admin.workspace, owner=owner, **link)
        client = ui_client(admin)
        client.get(record.get_absolute_url())  # warm the session and caches
        with CaptureQueriesContext(connection) as one:
            assert client.get(record.get_absolute_url()).status_code == 200
        # when it has thirty
        for _ in range(29):
            InteractionFactory(workspace=admin.workspace, owner=owner, **link)
        with CaptureQueriesContext(connection) as many:
            response = client.get(record.get_absolute_url())
        # then the page costs the same
        body = response.content.decode()
        assert body.count('class="timeline-event"') == TIMELINE_PAGE_SIZE
        assert "Load more" in body
        assert len(many) == len(one), [q["sql"] for q in many.captured_queries]

    def test_content_is_shown_as_sanitised_html(self, admin) -> None:
        interaction = InteractionFactory(workspace=admin.workspace, content="<p>好</p>")
        Interaction.objects.filter(pk=interaction.pk).update(
            content="<p>好</p><script>alert(1)</script>"  # written around the service
        )
        InteractionFactory(workspace=admin.workspace, content="<strong>要点</strong>")
        client = ui_client(admin)
        shown = client.get(Interaction.objects.get(content__contains="要点").get_absolute_url())
        assert "<strong>要点</strong>" in shown.content.decode()

    def test_the_full_form_is_prefilled_from_the_contact(self, admin) -> None:
        contact = ContactFactory(workspace=admin.workspace, name="韩梅梅")
        response = ui_client(admin).get(reverse("interactions:create"), {"contact": contact.pk})
        assert response.context["form"]["contact"].value() == contact.pk
        assert "韩梅梅" in response.content.decode()

    def test_the_full_form_ignores_another_workspaces_contact(self, admin, other_workspace) -> None:
        foreign = ContactFactory(workspace=other_workspace, name="外人")
        response = ui_client(admin).get(reverse("interactions:create"), {"contact": foreign.pk})
        assert response.context["form"]["contact"].value() is None
        assert "外人" not in response.content.decode()
        posted = ui_client(admin).post(
            reverse("interactions:create"), {**FORM, "contact": foreign.pk}
        )
        assert posted.status_code == 200
        assert "contact" in posted.context["form"].errors
        assert not Interaction.objects.exists()


class TestFollowUps:
    def test_home_lists_my_follow_ups_due_today_and_overdue(self, admin, member) -> None:
        today = timezone.localdate()
        mine = {"workspace": admin.workspace, "owner": admin.user}
        InteractionFactory(**mine, subject="今天跟进", next_follow_up=today)
        InteractionFactory(**mine, subject="逾期跟进", next_follow_up=today - timedelta(3))
        InteractionFactory(**mine, subject="下周跟进", next_follow_up=today + timedelta(7))
        InteractionFactory(**mine, subject="已完成", next_follow_up=today, follow_up_done=True)
        InteractionFactory(
            workspace=admin.workspace,
            owner=member(Role.SALES).user,
            subject="别人的",
            next_follow_up=today,
        )
        response = ui_client(admin).get(reverse("home"))
        follow_ups = response.context["follow_ups"]
        assert [i.subject for i in follow_ups["today"]] == ["今天跟进"]
        assert [i.subject for i in follow_ups["overdue"]] == ["逾期跟进"]
        assert "Follow-ups due today" in response.content.decode()

    def test_complete_by_htmx_answers_the_done_row(self, admin) -> None:
        interaction = InteractionFactory(
            workspace=admin.workspace, owner=admin.user, next_follow_up=date(2026, 1, 1)
        )
        response = ui_client(admin).post(
            reverse("interactions:complete", args=[interaction.pk]), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "follow-up-item" in response.content.decode()
        interaction.refresh_from_db()
        assert interaction.follow_up_done is True

    def test_complete_without_htmx_goes_back_only_to_this_site(self, admin) -> None:
        interaction = InteractionFactory(workspace=admin.workspace, next_follow_up=date(2026, 1, 1))
        url = reverse("interactions:complete", args=[interaction.pk])
        client = ui_client(admin)
        assert client.post(url, {"next": "/"})["Location"] == "/"
        outside = client.post(url, {"next": "https://evil.example/"})
        assert outside["Location"] == interaction.get_absolute_url()

    def test_a_viewer_cannot_complete(self, member, workspace) -> None:
        interaction = InteractionFactory(workspace=workspace, next_follow_up=date(2026, 1, 1))
        before = row_state(interaction)
        viewer = member(Role.VIEWER)
        response = ui_client(viewer).post(reverse("interactions:complete", args=[interaction.pk]))
        assert response.status_code == 403
        assert row_state(interaction) == before

    def test_the_list_filters_overdue_follow_ups(self, admin) -> None:
        today = timezone.localdate()
        InteractionFactory(
            workspace=admin.workspace, subject="逾期", next_follow_up=today - timedelta(1)
        )
        InteractionFactory(
            workspace=admin.workspace, subject="未到", next_follow_up=today + timedelta(1)
        )
        response = ui_client(admin).get(reverse("interactions:list"), {"follow_up": "overdue"})
        assert [i.subject for i in response.context["object_list"]] == ["逾期"]
