"""Every write to leads: create (matching existing contacts, scoring, rule assignment), update,
delete, score, assign and convert (LEAD-1..4)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.assignment.engine import AssignmentEngine
from guanxi.assignment.services import AssignmentResult, assign
from guanxi.companies.models import Company
from guanxi.companies.services import company_create
from guanxi.contacts.models import Contact
from guanxi.contacts.services import contact_create
from guanxi.core.errors import ApplicationError
from guanxi.core.services import record_create, record_update
from guanxi.leads.choices import LeadStatus
from guanxi.leads.models import Lead, ScoreHistory, ScoringModel
from guanxi.leads.scoring import default_criteria, score_lead, scoring_input_fields
from guanxi.users.models import User
from guanxi.workspaces.models import Workspace

LEAD_OBJECT_TYPE = "lead"
LEAD_EDITABLE_FIELDS = (
    "name",
    "company_name",
    "job_title",
    "mobile",
    "email",
    "source",
    "channel",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "province",
    "city",
    "industry",
    "company_size",
    "product_interest",
    "status",
    "priority",
    "visits",
    "email_opens",
    "email_clicks",
    "form_submissions",
    "expressed_interest",
    "consent",
    "description",
    "owner",
    "tags",
    "custom_fields",
)


# --- scoring ------------------------------------------------------------------------------------
def scoring_model_for(workspace: Workspace | Any) -> ScoringModel:
    """The workspace's scoring model; the seeds' default is created on first use."""
    model, _created = ScoringModel.objects.get_or_create(
        workspace_id=getattr(workspace, "pk", workspace),
        defaults={"criteria": default_criteria()},
    )
    return model


def lead_score(*, lead: Lead, model: ScoringModel | None = None) -> bool:
    """Recompute the lead's score and qualification; a change is saved with a history row."""
    model = model or scoring_model_for(lead.workspace_id)
    result = score_lead(
        lead, criteria=model.criteria, mql=model.mql_threshold, sql=model.sql_threshold
    )
    first = not ScoreHistory.objects.filter(lead=lead).exists()
    if not first and (result.score, result.stage) == (lead.score, lead.score_stage):
        return False
    lead.score, lead.score_stage = result.score, result.stage
    lead.save(update_fields=["score", "score_stage", "updated_at"])
    ScoreHistory.objects.create(
        workspace_id=lead.workspace_id,
        lead=lead,
        score=result.score,
        stage=result.stage,
        breakdown=result.breakdown(),
    )
    return True


@transaction.atomic
def scoring_model_update(
    *, scoring_model: ScoringModel, actor: User | None, data: dict[str, Any]
) -> ScoringModel:
    """Change the model; every lead of the workspace is re-scored by a job after the commit."""
    from guanxi.leads.tasks import leads_rescore

    _instance, changed = _model_update(scoring_model, data)
    if changed:
        workspace_id = scoring_model.workspace_id
        transaction.on_commit(lambda: leads_rescore(str(workspace_id)))
    return scoring_model


def _model_update(instance: ScoringModel, data: dict[str, Any]) -> tuple[ScoringModel, bool]:
    from guanxi.core.services import model_update

    return model_update(
        instance=instance, fields=("criteria", "mql_threshold", "sql_threshold"), data=data
    )


# --- duplicates ---------------------------------------------------------------------------------
def matching_contact(lead: Lead) -> Contact | None:
    """An existing contact with the lead's mobile or email (blind indexes; one query)."""
    lookups = {}
    if lead.mobile_index:
        lookups["mobile_index"] = lead.mobile_index
    if lead.email_index:
        lookups["email_index"] = lead.email_index
    if not lookups:
        return None
    from django.db.models import Q

    condition = Q()
    for name, value in lookups.items():
        condition |= Q(**{name: value})
    return (
        Contact.objects.filter(workspace_id=lead.workspace_id)
        .filter(condition)
        .only("id", "name")
        .order_by("id")
        .first()
    )


def _refresh_match(lead: Lead) -> None:
    contact = matching_contact(lead)
    if (contact.pk if contact else None) != lead.matched_contact_id:
        lead.matched_contact = contact
        lead.save(update_fields=["matched_contact", "updated_at"])


# --- create / update / delete ---------------------------------------------------------------------
@transaction.atomic
def lead_create(
    *,
    workspace: Workspace,
    actor: User | None,
    auto_assign: bool = False,
    engine: AssignmentEngine | None = None,
    **data: Any,
) -> Lead:
    """A new lead, linked to a matching contact, scored, and with `auto_assign` (web form,
    import) routed through the assignment rules instead of belonging to its creator."""
    if data.get("status") == LeadStatus.CONVERTED:
        raise ValidationError({"status": _("Convert a lead with the Convert action.")})
    if data.get("consent"):
        data.setdefault("consent_at", timezone.now())
    if auto_assign:
        data.setdefault("owner", None)
    lead = record_create(model=Lead, workspace=workspace, actor=actor, data=data)
    _refresh_match(lead)
    lead_score(lead=lead)
    if auto_assign and lead.owner_id is None:
        assign(lead, object_type=LEAD_OBJECT_TYPE, actor=actor, engine=engine)
    return lead


def refuse_if_converted(lead: Lead) -> None:
    if lead.is_converted:
        raise ApplicationError(
            _("This lead was converted on %(date)s and is read-only; edit the records it became.")
            % {"date": timezone.localtime(lead.converted_at).date() if lead.converted_at else ""},
            code="read_only",
        )


@transaction.atomic
def lead_update(*, lead: Lead, actor: User | None, data: dict[str, Any]) -> Lead:
    refuse_if_converted(lead)
    if data.get("status") == LeadStatus.CONVERTED:
        raise ValidationError({"status": _("Convert a lead with the Convert action.")})
    data = dict(data)
    if data.get("consent") and not lead.consent:
        lead.consent_at = timezone.now()
    elif "consent" in data and not data["consent"]:
        lead.consent_at = None
    before = {name: getattr(lead, name) for name in ("mobile", "email")}
    inputs = scoring_input_fields(scoring_model_for(lead.workspace_id).criteria)
    before_inputs = {name: getattr(lead, name) for name in inputs}
    record_update(instance=lead, fields=LEAD_EDITABLE_FIELDS, data=data)
    if "consent" in data:
        lead.save(update_fields=["consent_at"])
    if before != {name: getattr(lead, name) for name in ("mobile", "email")}:
        _refresh_match(lead)
    if before_inputs != {name: getattr(lead, name) for name in inputs}:
        lead_score(lead=lead)
    return lead


@transaction.atomic
def lead_delete(*, lead: Lead, actor: User | None) -> None:
    refuse_if_converted(lead)
    lead.delete()


@transaction.atomic
def lead_assign(*, lead: Lead, actor: User | None, owner: User | None = None) -> AssignmentResult:
    """Manual override with `owner`, else the first matching assignment rule."""
    refuse_if_converted(lead)
    return assign(lead, object_type=LEAD_OBJECT_TYPE, actor=actor, manual_user=owner)


# --- conversion -----------------------------------------------------------------------------------
@transaction.atomic
def lead_convert(
    *,
    lead: Lead,
    actor: User | None,
    company: Company | None = None,
    company_name: str | None = None,
    contact: Contact | None = None,
    create_opportunity: bool = True,
    opportunity_name: str = "",
    amount: Any = None,
    expected_close: Any = None,
) -> Lead:
    """Turn a lead into company + contact + opportunity in one transaction (LEAD-4).

    An existing company / contact may be given (or is found: same company name, the contact
    the lead matched); otherwise they are created from the lead. Lineage is kept both ways
    (lead.converted_* and <record>.converted_leads). A failure anywhere leaves nothing behind.
    `company_name=""` converts without a company (an individual customer).
    """
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    refuse_if_converted(lead)
    workspace = lead.workspace
    for record, field in ((company, "company"), (contact, "contact")):
        if record is not None and record.workspace_id != lead.workspace_id:
            raise ValidationError({field: _("Choose a record of this workspace.")})
    owner = lead.owner
    company_name = (lead.company_name if company_name is None else company_name).strip()
    if company is None and company_name:
        company = Company.objects.filter(workspace=workspace, name=company_name).first()
        if company is None:
            company = company_create(
                workspace=workspace,
                actor=actor,
                name=company_name,
                industry=lead.industry,
                size=lead.company_size,
                source=lead.source,
                province=lead.province,
                city=lead.city,
                owner=owner,
            )
    if contact is None:
        contact = lead.matched_contact
    if contact is None:
        contact = contact_create(
            workspace=workspace,
            actor=actor,
            name=lead.name,
            mobile=lead.mobile,
            email=lead.email,
            job_title=lead.job_title,
            company=company,
            industry=lead.industry,
            source=lead.source,
            province=lead.province,
            city=lead.city,
            owner=owner,
        )
    opportunity = None
    if create_opportunity:
        opportunity = _opportunity_from(
            lead,
            actor=actor,
            company=company,
            contact=contact,
            name=opportunity_name,
            amount=amount,
            expected_close=expected_close,
        )
    lead.status = LeadStatus.CONVERTED
    lead.converted_company = company
    lead.converted_contact = contact
    lead.converted_opportunity = opportunity
    lead.converted_at = timezone.now()
    lead.save(
        update_fields=[
            "status",
            "converted_company",
            "converted_contact",
            "converted_opportunity",
            "converted_at",
            "updated_at",
        ]
    )
    return lead


def _opportunity_from(lead: Lead, *, actor: Any, company: Any, contact: Any, **given: Any) -> Any:
    from guanxi.opportunities.models import Opportunity
    from guanxi.opportunities.services import opportunity_create

    data: dict[str, Any] = {
        "name": given["name"] or (company.name if company else lead.name),
        "company": company,
        "primary_contact": contact,
        "source": "lead",
        "owner": lead.owner,
    }
    if given["amount"] is not None:
        data["amount"] = given["amount"]
    if given["expected_close"] is not None:
        data["expected_close"] = given["expected_close"]
    if any(field.name == "lead" for field in Opportunity._meta.fields):
        data["lead"] = lead
    return opportunity_create(workspace=lead.workspace, actor=actor, **data)
