"""The public web-to-lead form: no login, honeypot, rate limit, UTM, consent, escaping, scoring
and assignment by the rules."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.leads.models import Lead
from guanxi.leads.webform import RATE_LIMIT, web_form_for
from guanxi.notifications.models import Notification
from guanxi.workspaces.choices import Role
from guanxi.workspaces.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def web_form(workspace):
    form = web_form_for(workspace)
    form.product_interest = "CRM"
    form.save()
    return form


def url(web_form, **query) -> str:
    base = reverse("lead_form:form", args=[web_form.token])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def submission(**extra) -> dict:
    return {
        "name": "韩梅梅",
        "company_name": "北京星辰",
        "mobile": "13711112222",
        "consent": "on",
        **extra,
    }


def test_the_form_is_public_and_carries_the_pages_utm_parameters(web_form):
    response = Client().get(url(web_form, utm_source="baidu", utm_campaign="spring", x="y"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="utm_source" value="baidu"' in body
    assert 'name="utm_campaign" value="spring"' in body
    assert 'name="x"' not in body
    assert "X-Frame-Options" not in response


def test_a_submission_creates_a_scored_assigned_lead_with_utm_and_consent(web_form, member):
    # given a round-robin rule over a team
    team = TeamFactory(workspace=web_form.workspace)
    rep = member(Role.SALES, team=team).user
    AssignmentRuleFactory(workspace=web_form.workspace, target_kind="team", target_team=team)
    # when a visitor submits (no CSRF token: the form is embedded on other sites)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        url(web_form), submission(utm_source="baidu", utm_medium="cpc", utm_campaign="春季")
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("lead_form:thanks", args=[web_form.token])
    lead = Lead.objects.get()
    assert (lead.workspace_id, lead.owner_id, lead.source, lead.channel) == (
        web_form.workspace_id,
        rep.pk,
        "website",
        "web form",
    )
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign) == ("baidu", "cpc", "春季")
    assert (lead.consent, lead.consent_text) == (True, web_form.consent_wording)
    assert lead.consent_at is not None
    assert (lead.form_submissions, lead.product_interest) == (1, "CRM")
    assert lead.score_history.count() == 1
    assert Notification.objects.filter(recipient=rep).count() == 1
    assert Client().get(response["Location"]).status_code == 200


def test_the_honeypot_thanks_a_bot_and_stores_nothing(web_form):
    response = Client().post(url(web_form), submission(website="http://spam.example"))
    assert response.status_code == 302
    assert not Lead.objects.exists()


def test_more_than_the_rate_limit_per_minute_is_a_429(web_form):
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        client.post(url(web_form), submission(mobile=f"137{n:08d}")).status_code
        for n in range(RATE_LIMIT + 1)
    ]
    assert statuses == [302] * RATE_LIMIT + [429]
    assert Lead.objects.count() == RATE_LIMIT
    # another visitor is not affected
    other = Client(REMOTE_ADDR="203.0.113.10").post(url(web_form), submission())
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"consent": ""}, "consent"),
        ({"name": ""}, "name"),
        ({"mobile": "", "email": ""}, "mobile"),
        ({"mobile": "12345"}, "mobile"),
        ({"name": "名" * 101}, "name"),
    ],
    ids=["no-consent", "no-name", "no-contact-way", "bad-mobile", "name-too-long"],
)
def test_invalid_submissions_are_shown_again_and_store_nothing(body, field, web_form):
    response = Client().post(url(web_form), submission(**body))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Lead.objects.exists()


def test_html_in_fields_is_stored_as_text_and_escaped_on_pages(web_form, admin):
    from guanxi.core.testing_views import ui_client

    Client().post(url(web_form), submission(name=HOSTILE, description=HOSTILE))
    lead = Lead.objects.get()
    assert lead.name == HOSTILE
    page = ui_client(admin).get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;" in page


def test_an_unknown_or_inactive_token_is_a_404(web_form):
    assert Client().get("/f/nope/").status_code == 404
    web_form.active = False
    web_form.save()
    assert Client().post(url(web_form), submission()).status_code == 404
    assert not Lead.objects.exists()


def test_the_public_form_speaks_chinese(web_form):
    response = Client().get(url(web_form), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()
