"""Interaction services: sanitised content, the customer rule, the company filled from the contact,
follow-ups."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from guanxi.audit.models import AuditEvent
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.interactions.models import Interaction
from guanxi.interactions.richtext import plain_text, sanitise_rich_text
from guanxi.interactions.services import (
    follow_up_complete,
    interaction_create,
    interaction_update,
)
from guanxi.interactions.tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("<p>报价 <strong>已发送</strong></p>", "<p>报价 <strong>已发送</strong></p>"),
        ('<script>alert("x")</script>你好', "你好"),
        ('<img src=x onerror="alert(1)">图', "图"),
        ('<p onclick="steal()" style="color:red">文</p>', "<p>文</p>"),
        (
            '<a href="javascript:alert(1)">链接</a>',
            '<a rel="noopener noreferrer nofollow">链接</a>',
        ),
        (
            '<a href="https://example.cn/q">报价单</a>',
            '<a href="https://example.cn/q" rel="noopener noreferrer nofollow">报价单</a>',
        ),
        ("<iframe src=//evil></iframe><style>*{}</style>ok", "ok"),
        ("a < b & c", "a &lt; b &amp; c"),
        ("<!-- secret -->text", "text"),
    ],
    ids=[
        "kept",
        "script",
        "img-onerror",
        "attributes",
        "js-link",
        "link",
        "frames",
        "text",
        "comment",
    ],
)
def test_content_is_stored_sanitised(raw, stored, workspace):
    # given a contact
    contact = ContactFactory(workspace=workspace)
    # when an interaction is logged with this content
    interaction = interaction_create(
        workspace=workspace, actor=None, contact=contact, subject="s", content=raw
    )
    # then the stored content is the sanitised HTML
    interaction.refresh_from_db()
    assert interaction.content == stored
    assert sanitise_rich_text(stored) == stored  # sanitising twice changes nothing


def test_plain_text_strips_tags_and_unescapes_for_templates():
    assert plain_text("<p>a &lt; b</p><p>第二段</p>") == "a < b第二段"
    assert plain_text("字" * 400, limit=10) == "字" * 9 + "…"


def test_a_contact_or_a_company_is_required(workspace):
    with pytest.raises(ValidationError) as error:
        interaction_create(workspace=workspace, actor=None, subject="无客户")
    assert list(error.value.message_dict) == ["contact"]
    assert not Interaction.objects.exists()


def test_the_company_is_filled_from_the_contact(workspace):
    company = CompanyFactory(workspace=workspace)
    contact = ContactFactory(workspace=workspace, company=company)
    interaction = interaction_create(
        workspace=workspace, actor=None, contact=contact, subject="拜访"
    )
    assert Interaction.objects.get(pk=interaction.pk).company_id == company.pk


def test_a_chosen_company_is_kept_even_if_the_contact_has_another(workspace):
    theirs, chosen = CompanyFactory(workspace=workspace), CompanyFactory(workspace=workspace)
    contact = ContactFactory(workspace=workspace, company=theirs)
    interaction = interaction_create(
        workspace=workspace, actor=None, contact=contact, company=chosen, subject="会议"
    )
    assert interaction.company_id == chosen.pk


def test_changing_the_contact_on_update_fills_its_company(workspace):
    interaction = InteractionFactory(workspace=workspace, contact=None, company=None)
    interaction.company = CompanyFactory(workspace=workspace)
    interaction.save()
    company = CompanyFactory(workspace=workspace)
    contact = ContactFactory(workspace=workspace, company=company)
    interaction_update(
        interaction=interaction, actor=None, data={"contact": contact, "company": None}
    )
    interaction.refresh_from_db()
    assert (interaction.contact_id, interaction.company_id) == (contact.pk, company.pk)


def test_another_workspaces_contact_or_company_is_refused(workspace, other_workspace):
    foreign_contact = ContactFactory(workspace=other_workspace)
    foreign_company = CompanyFactory(workspace=other_workspace)
    with pytest.raises(ValidationError) as error:
        interaction_create(
            workspace=workspace,
            actor=None,
            contact=foreign_contact,
            company=foreign_company,
            subject="x",
        )
    assert set(error.value.message_dict) == {"contact", "company"}
    assert not Interaction.objects.exists()


def test_follow_up_complete_is_idempotent_and_audited_once(workspace):
    interaction = InteractionFactory(workspace=workspace, next_follow_up=date(2026, 1, 5))
    follow_up_complete(interaction=interaction, actor=None)
    follow_up_complete(interaction=interaction, actor=None)
    interaction.refresh_from_db()
    assert interaction.follow_up_done is True
    updates = AuditEvent.objects.filter(object_id=str(interaction.pk), action="update")
    assert [e.changes for e in updates] == [{"follow_up_done": [False, True]}]


def test_a_new_follow_up_date_reopens_the_follow_up(workspace):
    interaction = InteractionFactory(
        workspace=workspace, next_follow_up=date(2026, 1, 5), follow_up_done=True
    )
    interaction_update(
        interaction=interaction, actor=None, data={"next_follow_up": date(2026, 2, 1)}
    )
    interaction.refresh_from_db()
    assert (interaction.next_follow_up, interaction.follow_up_done) == (date(2026, 2, 1), False)


def test_content_longer_than_the_limit_is_refused(workspace):
    contact = ContactFactory(workspace=workspace)
    with pytest.raises(ValidationError) as error:
        interaction_create(
            workspace=workspace, actor=None, contact=contact, subject="x", content="字" * 20_001
        )
    assert list(error.value.message_dict) == ["content"]
