"""Reads of import and export jobs: a member sees their own, an administrator every job."""

from __future__ import annotations

from django.db.models import QuerySet

from guanxi.core.permissions import Action, Scope, policy_for
from guanxi.imports.models import ExportJob, ImportJob, ImportTemplate
from guanxi.workspaces.models import Membership


def own_jobs_only(membership: Membership, action: str) -> bool:
    return policy_for("imports").scope_for(membership.role, action) != Scope.ALL


def import_job_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.for_workspace(membership.workspace).select_related("created_by")
    if own_jobs_only(membership, action):
        jobs = jobs.filter(created_by_id=membership.user_id)
    return jobs


def export_job_list(*, membership: Membership, action: str = Action.VIEW) -> QuerySet[ExportJob]:
    jobs = ExportJob.objects.for_workspace(membership.workspace).select_related("created_by")
    if own_jobs_only(membership, action):
        jobs = jobs.filter(created_by_id=membership.user_id)
    return jobs


def import_template_list(*, membership: Membership, target: str) -> QuerySet[ImportTemplate]:
    return ImportTemplate.objects.for_workspace(membership.workspace).filter(target=target)
