"""Completeness: weights, stored scores kept current by the services, bulk refresh, the check."""

from __future__ import annotations

import pytest

from guanxi.companies.services import company_create
from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create, contact_update
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.errors import ApplicationError
from guanxi.quality.choices import RecordType
from guanxi.quality.completeness import (
    DEFAULT_WEIGHTS,
    completeness_check,
    completeness_of,
    completeness_refresh,
)
from guanxi.quality.models import QualitySettings
from guanxi.quality.services import quality_settings_update

pytestmark = pytest.mark.django_db
CONTACT_TOTAL = sum(DEFAULT_WEIGHTS[RecordType.CONTACT].values())


def test_score_is_the_weighted_share_of_filled_fields(workspace):
    contact = Contact(workspace=workspace, name="张伟", mobile="13800138000")
    score, missing = completeness_of(contact, DEFAULT_WEIGHTS[RecordType.CONTACT])
    assert score == round(100 * 6 / CONTACT_TOTAL)
    assert missing == ["email", "company", "job_title", "city", "industry", "source", "owner"]


def test_zero_weights_do_not_count_and_all_zero_is_complete(workspace):
    contact = Contact(workspace=workspace, name="张伟")
    assert completeness_of(contact, {"name": 1, "email": 0}) == (100, [])
    assert completeness_of(contact, {"name": 0}) == (100, [])


def test_services_keep_the_stored_score_current(workspace, admin):
    # given a contact created through the service with a name only (owner = actor)
    contact = contact_create(workspace=workspace, actor=admin.user, name="王芳")
    contact.refresh_from_db()
    first = contact.completeness
    assert first == round(100 * 4 / CONTACT_TOTAL)
    # when more fields are filled in
    contact_update(
        contact=contact, actor=admin.user, data={"email": "wf@example.com", "city": "杭州"}
    )
    # then the stored score went up
    contact.refresh_from_db()
    assert contact.completeness == round(100 * 7 / CONTACT_TOTAL)


def test_company_service_scores_too(workspace, admin):
    company = company_create(
        workspace=workspace, actor=admin.user, name="杭州测试有限公司", phone="0571-88888888"
    )
    company.refresh_from_db()
    assert 0 < company.completeness < 100


def test_weights_change_recomputes_every_score(
    workspace, admin, django_capture_on_commit_callbacks
):
    # given contacts scored with the defaults
    contacts = [ContactFactory(workspace=workspace, job_title="") for _ in range(3)]
    completeness_refresh(Contact.objects.filter(workspace=workspace))
    # when only the name counts (saved through the settings service; the job runs on commit)
    weights = dict.fromkeys(DEFAULT_WEIGHTS[RecordType.CONTACT], 0) | {"name": 1}
    with django_capture_on_commit_callbacks(execute=True):
        quality_settings_update(
            workspace=workspace,
            actor=admin.user,
            data={
                "contact_weights": weights,
                "company_weights": {},
                "duplicate_threshold": 80,
                "completeness_threshold": 80,
            },
        )
    # then every contact is complete
    assert (
        sorted(
            Contact.objects.filter(pk__in=[c.pk for c in contacts]).values_list(
                "completeness", flat=True
            )
        )
        == [100] * 3
    )


def test_refresh_is_set_based(workspace, django_assert_max_num_queries):
    for _ in range(30):
        ContactFactory(workspace=workspace)
    Contact.objects.update(completeness=0)
    # settings (1) + read (1) + one UPDATE per distinct score (here 1)
    with django_assert_max_num_queries(4):
        changed = completeness_refresh(Contact.objects.filter(workspace=workspace))
    assert changed == 30


def test_check_raises_below_the_threshold_and_names_what_is_missing(workspace):
    QualitySettings.objects.create(workspace=workspace, completeness_threshold=80)
    contact = ContactFactory(workspace=workspace, email="", job_title="")
    with pytest.raises(ApplicationError) as caught:
        completeness_check(contact, purpose="order submission")
    assert caught.value.code == "incomplete_record"
    assert "order submission" in caught.value.message
    assert "job title" in caught.value.message


def test_check_passes_at_the_threshold(workspace):
    QualitySettings.objects.create(workspace=workspace, completeness_threshold=0)
    completeness_check(ContactFactory(workspace=workspace), purpose="order submission")
