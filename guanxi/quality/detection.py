"""Finding duplicates: profiles from value rows, blocking keys, the workspace scan and the
check of a record being typed (DQ-1)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction

from guanxi.companies.models import Company, CompanyAlias
from guanxi.contacts.models import Contact
from guanxi.core.inserts import rows_insert
from guanxi.quality.choices import CandidateStatus, RecordType
from guanxi.quality.matching import (
    CompanyProfile,
    ContactProfile,
    company_core_name,
    score_companies,
    score_contacts,
)
from guanxi.quality.models import DuplicateCandidate, MatchKey
from guanxi.quality.workspace_settings import quality_settings_for

# blocks bigger than this (a very common name) are compared in a sliding window over records
# sorted by company and address instead of every pair: the sorted-neighbourhood method
MAX_BLOCK = 60
WINDOW = 12
WRITE_BATCH = 2000
CONTACT_COLUMNS = (
    "id",
    "name",
    "mobile_index",
    "email_index",
    "company_id",
    "company__name",
    "province",
    "city",
    "district",
    "street",
)
COMPANY_COLUMNS = (
    "id",
    "name",
    "short_name",
    "phone",
    "website",
    "province",
    "city",
    "district",
    "street",
)

Profile = ContactProfile | CompanyProfile


def _address(province: str, city: str, district: str, street: str) -> str:
    return " ".join(part for part in (province, city, district, street) if part)


def contact_profiles(queryset: models.QuerySet) -> Iterator[ContactProfile]:
    for row in queryset.order_by().values_list(*CONTACT_COLUMNS).iterator(chunk_size=5000):
        pk, name, mobile, email, company_id, company_name, *address = row
        yield ContactProfile(
            id=pk,
            name=name,
            mobile_index=mobile,
            email_index=email,
            company_id=company_id,
            company_name=company_name or "",
            address=_address(*address),
        )


def company_profiles(queryset: models.QuerySet) -> list[CompanyProfile]:
    rows = list(queryset.order_by().values_list(*COMPANY_COLUMNS))
    aliases: dict[Any, list[str]] = defaultdict(list)
    alias_rows = CompanyAlias.objects.filter(company_id__in=queryset.order_by().values("pk"))
    for company_id, name in alias_rows.values_list("company_id", "name"):
        aliases[company_id].append(name)
    profiles = []
    for pk, name, short_name, phone, website, *address in rows:
        names = [*([short_name] if short_name else []), *aliases.get(pk, [])]
        profiles.append(
            CompanyProfile(
                id=pk,
                name=name,
                aliases=names,
                phone=phone,
                website=website,
                address=_address(*address),
            )
        )
    return profiles


def profiles_of(record_type: str, queryset: models.QuerySet) -> list[Profile]:
    if record_type == RecordType.CONTACT:
        return list(contact_profiles(queryset))
    return company_profiles(queryset)


def score_pair(record_type: str, a: Profile, b: Profile) -> tuple[int, list[str]]:
    if record_type == RecordType.CONTACT:
        return score_contacts(a, b)
    return score_companies(a, b)


def model_of(record_type: str) -> type[models.Model]:
    return Contact if record_type == RecordType.CONTACT else Company


def candidate_pairs(profiles: list[Profile]) -> Iterator[tuple[Profile, Profile]]:
    """Each pair of profiles sharing a blocking key, once."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for index, profile in enumerate(profiles):
        for key in profile.blocking_keys():
            blocks[key].append(index)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        for i, j in _block_pairs(members, profiles):
            pair = (i, j) if i < j else (j, i)
            if pair not in seen:
                seen.add(pair)
                yield profiles[pair[0]], profiles[pair[1]]


def _block_pairs(members: list[int], profiles: list[Profile]) -> Iterable[tuple[int, int]]:
    if len(members) <= MAX_BLOCK:
        return itertools.combinations(members, 2)
    ordered = sorted(members, key=lambda i: _neighbourhood_key(profiles[i]))
    return (
        (ordered[i], ordered[j])
        for i in range(len(ordered))
        for j in range(i + 1, min(i + 1 + WINDOW, len(ordered)))
    )


def _neighbourhood_key(profile: Profile) -> tuple[str, str]:
    company = str(getattr(profile, "company_id", "") or "")
    return company, profile.address


@dataclass(frozen=True)
class ScanResult:
    records: int
    pairs_scored: int
    candidates: int


@transaction.atomic
def duplicate_scan(*, workspace: Any, record_type: str) -> ScanResult:
    """Score every blocked pair of the workspace's records and store those at or above the
    threshold as open candidates; dismissed and merged pairs keep their status, open pairs
    that no longer match are removed. Rebuilds the match keys the typing check uses."""
    threshold = quality_settings_for(workspace.pk).duplicate_threshold
    model = model_of(record_type)
    profiles = profiles_of(record_type, model.objects.filter(workspace=workspace))
    found: dict[tuple[str, str], tuple[int, list[str]]] = {}
    scored = 0
    for a, b in candidate_pairs(profiles):
        scored += 1
        score, reasons = score_pair(record_type, a, b)
        if score >= threshold:
            found[ordered_pair(a.id, b.id)] = (score, reasons)
    _store_candidates(workspace, record_type, found)
    _store_keys(workspace.pk, record_type, profiles, replace_all=True)
    return ScanResult(records=len(profiles), pairs_scored=scored, candidates=len(found))


def ordered_pair(a: Any, b: Any) -> tuple[str, str]:
    a, b = str(a), str(b)
    return (a, b) if a < b else (b, a)


def _store_candidates(
    workspace: Any, record_type: str, found: dict[tuple[str, str], tuple[int, list[str]]]
) -> None:
    existing = DuplicateCandidate.objects.filter(workspace=workspace, record_type=record_type)
    known: dict[tuple[str, str], DuplicateCandidate] = {
        (str(c.a_id), str(c.b_id)): c
        for c in existing.only("id", "a_id", "b_id", "status", "score", "reasons")
    }
    stale = [
        c.pk for pair, c in known.items() if c.status == CandidateStatus.OPEN and pair not in found
    ]
    for start in range(0, len(stale), WRITE_BATCH):
        rows = DuplicateCandidate.objects.filter(pk__in=stale[start : start + WRITE_BATCH])
        rows._raw_delete(rows.db)  # nothing refers to candidates and they are not audited
    new, changed = [], []
    for pair, (score, reasons) in found.items():
        candidate = known.get(pair)
        if candidate is None:
            new.append(
                DuplicateCandidate(
                    workspace=workspace,
                    record_type=record_type,
                    a_id=pair[0],
                    b_id=pair[1],
                    score=score,
                    reasons=reasons,
                )
            )
        elif candidate.status == CandidateStatus.OPEN and (candidate.score, candidate.reasons) != (
            score,
            reasons,
        ):
            candidate.score, candidate.reasons = score, reasons
            changed.append(candidate)
    DuplicateCandidate.objects.bulk_create(new, batch_size=WRITE_BATCH, ignore_conflicts=True)
    DuplicateCandidate.objects.bulk_update(changed, ["score", "reasons"], batch_size=WRITE_BATCH)


def _store_keys(
    workspace_id: Any, record_type: str, profiles: list[Profile], *, replace_all: bool = False
) -> None:
    """Write the records' stored keys, touching only records whose keys changed; with
    `replace_all`, keys of records that no longer exist go too."""
    keys = MatchKey.objects.filter(workspace_id=workspace_id, record_type=record_type)
    wanted = {profile.id: profile.stored_keys() for profile in profiles}
    scope = keys if replace_all else keys.filter(record_id__in=list(wanted))
    stored: dict[Any, set[str]] = defaultdict(set)
    for record_id, key in scope.values_list("record_id", "key").iterator(chunk_size=10_000):
        stored[record_id].add(key)
    changed = [pk for pk, k in wanted.items() if stored.get(pk, set()) != k]
    gone = [pk for pk in stored if pk not in wanted]
    stale = [pk for pk in [*changed, *gone] if pk in stored]
    for start in range(0, len(stale), WRITE_BATCH):
        rows = keys.filter(record_id__in=stale[start : start + WRITE_BATCH])
        # a derived lookup table, never audited: one DELETE, not a fetch-and-signal per row
        rows._raw_delete(rows.db)
    fields = [
        MatchKey._meta.get_field(name) for name in ("workspace", "record_type", "record_id", "key")
    ]
    rows_insert(
        MatchKey,
        fields,
        [(workspace_id, record_type, pk, key) for pk in changed for key in wanted[pk]],
        batch_size=WRITE_BATCH,
    )


def match_keys_refresh(queryset: models.QuerySet) -> None:
    """Store the blocking keys of these records (after a save or an import): the typing check
    finds them by key. One workspace's records per call."""
    record_type = queryset.model._meta.label_lower
    workspace_id = queryset.order_by().values_list("workspace_id", flat=True).first()
    if workspace_id is not None:
        _store_keys(workspace_id, record_type, profiles_of(record_type, queryset))


@dataclass(frozen=True)
class Match:
    record: models.Model
    score: int
    reasons: list[str]


def matches_for(
    *, queryset: models.QuerySet, record_type: str, draft: Profile, threshold: int, limit: int = 5
) -> list[Match]:
    """Records of `queryset` (already scoped to what the viewer may see) that look like
    `draft`, best first: found by match key, then scored."""
    workspace_ids = queryset.values("workspace")
    ids: set[Any] = set()
    keys = draft.stored_keys()
    if keys:
        ids |= set(
            MatchKey.objects.filter(
                workspace_id__in=workspace_ids, record_type=record_type, key__in=keys
            ).values_list("record_id", flat=True)[:500]
        )
    for column in ("mobile_index", "email_index"):
        value = getattr(draft, column, "")
        if value:
            ids |= set(queryset.filter(**{column: value}).values_list("pk", flat=True)[:10])
    if draft.name:
        # records saved since the last scan and not yet keyed are still found by exact name
        ids |= set(queryset.filter(name=draft.name).values_list("pk", flat=True)[:50])
    if record_type == RecordType.COMPANY and draft.name:
        core = company_core_name(draft.name)
        ids |= set(
            CompanyAlias.objects.filter(
                workspace_id__in=workspace_ids, name=draft.name
            ).values_list("company_id", flat=True)[:50]
        )
        if core:
            ids |= set(queryset.filter(name__startswith=core).values_list("pk", flat=True)[:50])
    ids.discard(draft.id)
    if not ids:
        return []
    candidates = queryset.filter(pk__in=ids)
    profiles = {p.id: p for p in profiles_of(record_type, candidates)}
    records = {r.pk: r for r in candidates}
    matches = []
    for pk, profile in profiles.items():
        score, reasons = score_pair(record_type, draft, profile)
        if score >= threshold and pk in records:
            matches.append(Match(record=records[pk], score=score, reasons=reasons))
    matches.sort(key=lambda m: (-m.score, str(m.record.pk)))
    return matches[:limit]
