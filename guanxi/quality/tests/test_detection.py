"""The workspace scan and the typing check: blocking, threshold, dismissed pairs stay dismissed."""

from __future__ import annotations

import pytest

from guanxi.companies.services import company_create
from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.detection import candidate_pairs, duplicate_scan, matches_for
from guanxi.quality.matching import CompanyProfile, ContactProfile
from guanxi.quality.models import DuplicateCandidate, QualitySettings
from guanxi.quality.services import candidate_dismiss

pytestmark = pytest.mark.django_db


def scan(workspace, record_type=RecordType.CONTACT):
    return duplicate_scan(workspace=workspace, record_type=record_type)


def open_pairs(workspace):
    return list(
        DuplicateCandidate.objects.filter(
            workspace=workspace, status=CandidateStatus.OPEN
        ).values_list("a_id", "b_id")
    )


def test_blocking_only_pairs_records_sharing_a_key():
    profiles = [
        ContactProfile(id=i, name=name)
        for i, name in enumerate(["张伟", "Zhang Wei", "李娜", "王芳"])
    ]
    pairs = [(a.id, b.id) for a, b in candidate_pairs(profiles)]
    assert pairs == [(0, 1)]


def test_huge_blocks_are_compared_in_a_window_not_quadratically():
    profiles = [ContactProfile(id=i, name="张伟", address=f"{i:04d}") for i in range(500)]
    pairs = list(candidate_pairs(profiles))
    assert len(pairs) < 500 * 13  # window of 12, not 124,750 pairs


def test_scan_finds_pinyin_spellings_and_ignores_others(workspace):
    a = ContactFactory(workspace=workspace, name="张伟", mobile="", email="")
    b = ContactFactory(workspace=workspace, name="张 伟", mobile="", email="")
    ContactFactory(workspace=workspace, name="李娜", mobile="", email="")
    result = scan(workspace)
    assert result.candidates == 1
    assert open_pairs(workspace) == [tuple(sorted([a.pk, b.pk], key=str))]


def test_the_threshold_setting_is_respected(workspace):
    ContactFactory(workspace=workspace, name="张伟", mobile="", email="")
    ContactFactory(workspace=workspace, name="张 伟", mobile="", email="")
    QualitySettings.objects.create(workspace=workspace, duplicate_threshold=100)
    assert scan(workspace).candidates == 0
    QualitySettings.objects.filter(workspace=workspace).update(duplicate_threshold=50)
    assert scan(workspace).candidates == 1


def test_dismissed_pairs_stay_dismissed_and_stale_pairs_go(workspace):
    a = ContactFactory(workspace=workspace, name="张伟", mobile="", email="")
    ContactFactory(workspace=workspace, name="张 伟", mobile="", email="")
    scan(workspace)
    candidate = DuplicateCandidate.objects.get()
    candidate_dismiss(candidate=candidate, actor=None)
    scan(workspace)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DISMISSED
    assert DuplicateCandidate.objects.count() == 1
    # a renamed record no longer matches: an open pair would be removed
    candidate.delete()
    scan(workspace)
    Contact.objects.filter(pk=a.pk).update(name="赵六")
    scan(workspace)
    assert open_pairs(workspace) == []


def test_other_workspaces_are_never_paired(workspace, other_workspace):
    ContactFactory(workspace=workspace, name="张伟", mobile="", email="")
    ContactFactory(workspace=other_workspace, name="张伟", mobile="", email="")
    assert scan(workspace).candidates == 0


def test_companies_are_matched_through_aliases(workspace, admin):
    company_create(
        workspace=workspace, actor=admin.user, name="深圳市腾讯计算机系统有限公司", aliases="腾讯"
    )
    company_create(workspace=workspace, actor=admin.user, name="腾讯有限公司")
    assert scan(workspace, RecordType.COMPANY).candidates == 1


def test_typing_check_finds_a_saved_contact_by_another_spelling(workspace, admin):
    saved = contact_create(workspace=workspace, actor=admin.user, name="张伟", company=None)
    matches = matches_for(
        queryset=Contact.objects.filter(workspace=workspace),
        record_type=RecordType.CONTACT,
        draft=ContactProfile(id=None, name="Zhang Wei"),
        threshold=70,
    )
    assert [m.record.pk for m in matches] == [saved.pk]


def test_typing_check_excludes_the_record_being_edited(workspace, admin):
    saved = contact_create(workspace=workspace, actor=admin.user, name="张伟")
    matches = matches_for(
        queryset=Contact.objects.filter(workspace=workspace),
        record_type=RecordType.CONTACT,
        draft=ContactProfile(id=saved.pk, name="张伟"),
        threshold=0,
    )
    assert matches == []


def test_typing_check_for_companies_uses_aliases(workspace, admin):
    from guanxi.companies.models import Company

    saved = company_create(
        workspace=workspace,
        actor=admin.user,
        name="北京字节跳动科技有限公司",
        aliases="字节跳动, ByteDance",
    )
    matches = matches_for(
        queryset=Company.objects.filter(workspace=workspace),
        record_type=RecordType.COMPANY,
        draft=CompanyProfile(id=None, name="ByteDance Ltd."),
        threshold=80,
    )
    assert [m.record.pk for m in matches] == [saved.pk]
