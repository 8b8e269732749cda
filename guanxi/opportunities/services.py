"""Writes of the opportunities app: pipelines and stages, deals and their moves (OPP-1..4)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from guanxi.core.services import model_update, record_create, record_update
from guanxi.opportunities.choices import OpportunityStatus, StageColour, StageKind
from guanxi.opportunities.gates import gate_refusal
from guanxi.opportunities.models import (
    Opportunity,
    OpportunityContact,
    Pipeline,
    Stage,
    StageHistory,
)

# the seeds' sales process (3.2): name, probability, kind, colour
DEFAULT_STAGES = (
    (pgettext_lazy("pipeline stage", "Lead"), 10, StageKind.OPEN, StageColour.AZURE),
    (pgettext_lazy("pipeline stage", "Qualification"), 20, StageKind.OPEN, StageColour.CYAN),
    (pgettext_lazy("pipeline stage", "Needs confirmed"), 40, StageKind.OPEN, StageColour.TEAL),
    (pgettext_lazy("pipeline stage", "Demo"), 50, StageKind.OPEN, StageColour.BLUE),
    (pgettext_lazy("pipeline stage", "Proposal"), 60, StageKind.OPEN, StageColour.PURPLE),
    (pgettext_lazy("pipeline stage", "Negotiation"), 80, StageKind.OPEN, StageColour.ORANGE),
    (pgettext_lazy("pipeline stage", "Contract signed"), 100, StageKind.WON, StageColour.GREEN),
    (pgettext_lazy("pipeline stage", "After-sales"), 100, StageKind.WON, StageColour.LIME),
    (pgettext_lazy("pipeline stage", "Lost"), 0, StageKind.LOST, StageColour.RED),
)

OPPORTUNITY_FIELDS = (
    "name",
    "company",
    "primary_contact",
    "amount",
    "currency",
    "expected_close",
    "probability",
    "probability_custom",
    "source",
    "description",
    "checklist_done",
    "owner",
    "lost_reason",
)


# ---------------------------------------------------------------- pipelines and stages


def default_pipeline(workspace: Any) -> Pipeline:
    """The workspace's default pipeline; the seeds' pipeline is created on first use."""
    pipelines = Pipeline.objects.for_workspace(workspace)
    found = pipelines.filter(is_default=True).first() or pipelines.order_by("order", "id").first()
    if found:
        return found
    try:
        with transaction.atomic():
            return _create_default_pipeline(workspace)
    except IntegrityError:
        # another request created it a moment ago
        return pipelines.get(is_default=True)


def _create_default_pipeline(workspace: Any) -> Pipeline:
    with translation.override(getattr(workspace, "language", None)):
        pipeline = Pipeline.objects.create(
            workspace=workspace, name=pgettext("pipeline", "Sales pipeline"), is_default=True
        )
        Stage.objects.bulk_create(
            Stage(
                workspace=workspace,
                pipeline=pipeline,
                name=str(label),
                order=order,
                probability=probability,
                kind=kind,
                colour=colour,
            )
            for order, (label, probability, kind, colour) in enumerate(DEFAULT_STAGES)
        )
    return pipeline


@transaction.atomic
def pipeline_create(*, workspace: Any, actor: Any, data: dict[str, Any]) -> Pipeline:
    """A new pipeline; without stages given it starts with Open / Won / Lost to be edited."""
    data = dict(data)
    data.setdefault(
        "order",
        (Pipeline.objects.for_workspace(workspace).aggregate(m=Max("order"))["m"] or 0) + 1,
    )
    pipeline = Pipeline(workspace=workspace, **data)
    pipeline.full_clean()
    if pipeline.is_default:
        Pipeline.objects.for_workspace(workspace).filter(is_default=True).update(is_default=False)
    pipeline.save()
    starter = (
        (_("New"), 10, StageKind.OPEN, StageColour.BLUE),
        (_("Won"), 100, StageKind.WON, StageColour.GREEN),
        (_("Lost"), 0, StageKind.LOST, StageColour.RED),
    )
    Stage.objects.bulk_create(
        Stage(
            workspace=workspace,
            pipeline=pipeline,
            name=name,
            order=order,
            probability=probability,
            kind=kind,
            colour=colour,
        )
        for order, (name, probability, kind, colour) in enumerate(starter)
    )
    return pipeline


@transaction.atomic
def pipeline_update(*, pipeline: Pipeline, actor: Any, data: dict[str, Any]) -> Pipeline:
    if data.get("is_default") and not pipeline.is_default:
        Pipeline.objects.for_workspace(pipeline.workspace_id).filter(is_default=True).update(
            is_default=False
        )
    model_update(instance=pipeline, fields=("name", "is_default", "order"), data=data)
    return pipeline


@transaction.atomic
def pipeline_delete(*, pipeline: Pipeline, actor: Any) -> None:
    if pipeline.opportunities.exists():
        raise ValidationError(
            _("This pipeline still has deals; move or delete them before deleting the pipeline.")
        )
    pipeline.delete()


STAGE_FIELDS = (
    "name",
    "order",
    "probability",
    "kind",
    "colour",
    "required_fields",
    "checklist",
    "allow_skip",
    "stagnation_days",
)


@transaction.atomic
def stage_create(*, pipeline: Pipeline, actor: Any, data: dict[str, Any]) -> Stage:
    data = {key: value for key, value in data.items() if key in STAGE_FIELDS}
    data.setdefault("order", (pipeline.stages.aggregate(m=Max("order"))["m"] or 0) + 1)
    stage = Stage(workspace_id=pipeline.workspace_id, pipeline=pipeline, **data)
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def stage_update(*, stage: Stage, actor: Any, data: dict[str, Any]) -> Stage:
    old_probability = stage.probability
    if "kind" in data and data["kind"] != stage.kind and stage.opportunities.exists():
        raise ValidationError(
            {"kind": _("The type of a stage that holds deals cannot change; move them first.")}
        )
    old_order, old_kind = stage.order, stage.kind
    model_update(instance=stage, fields=STAGE_FIELDS, data=data)
    if (stage.order, stage.kind) != (old_order, old_kind):
        furthest_stages_refresh(pipeline_id=stage.pipeline_id)
    if stage.probability != old_probability:
        # deals following the stage's default follow its new value
        stage.opportunities.filter(probability_custom=False).update(
            probability=stage.probability, updated_at=timezone.now()
        )
    return stage


@transaction.atomic
def stage_delete(*, stage: Stage, actor: Any) -> None:
    if stage.opportunities.exists():
        raise ValidationError(
            _("The stage “%(stage)s” still holds deals; move them before deleting it.")
            % {"stage": stage.name}
        )
    if stage.pipeline.stages.count() <= 1:
        raise ValidationError(_("A pipeline needs at least one stage."))
    stage.delete()
    # deals that had reached it fall back to the furthest stage they still have history of
    furthest_stages_refresh(pipeline_id=stage.pipeline_id)


@transaction.atomic
def stages_reorder(*, pipeline: Pipeline, actor: Any, stage_ids: Iterable[Any]) -> None:
    """Set the stages' order to the order of `stage_ids` (every stage of the pipeline once)."""
    stages = {str(stage.pk): stage for stage in pipeline.stages.all()}
    ids = [str(stage_id) for stage_id in stage_ids]
    if sorted(ids) != sorted(stages):
        raise ValidationError(_("Give every stage of the pipeline exactly once."))
    for order, stage_id in enumerate(ids):
        stages[stage_id].order = order
    Stage.objects.bulk_update(stages.values(), ["order"])
    furthest_stages_refresh(pipeline_id=pipeline.pk)


def furthest_stages_refresh(*, pipeline_id: Any) -> None:
    """Recompute the furthest stage of the pipeline's deals from their stage history, after its
    stages' order or kind changed or a stage was deleted (rare: two UPDATEs over its deals)."""
    entered = (
        StageHistory.objects.filter(opportunity=OuterRef("pk"))
        .exclude(to_stage__kind=StageKind.LOST)
        .order_by("-to_stage__order", "-to_stage_id")
        .values("to_stage_id")[:1]
    )
    deals = Opportunity.objects.filter(pipeline_id=pipeline_id)
    deals.update(furthest_stage=Subquery(entered))
    # a deal is in its current stage even when its history lacks the entry (imported rows)
    deals.exclude(stage__kind=StageKind.LOST).filter(
        Q(furthest_stage__isnull=True) | Q(stage__order__gt=F("furthest_stage__order"))
    ).update(furthest_stage=F("stage"))


def pipeline_stages(pipeline: Pipeline | Any) -> list[Stage]:
    pipeline_id = getattr(pipeline, "pk", pipeline)
    return list(Stage.objects.filter(pipeline_id=pipeline_id).order_by("order", "id"))


def first_open_stage(stages: list[Stage]) -> Stage:
    for stage in stages:
        if stage.kind == StageKind.OPEN:
            return stage
    if stages:
        return stages[0]
    raise ValidationError({"stage": _("This pipeline has no stages.")})


# ---------------------------------------------------------------- opportunities


def _status_of(stage: Stage) -> str:
    return {
        StageKind.WON: OpportunityStatus.WON,
        StageKind.LOST: OpportunityStatus.LOST,
    }.get(stage.kind, OpportunityStatus.OPEN)


def furthest_after(furthest: Stage | None, entered: Stage) -> Stage | None:
    """The deal's furthest stage once it has entered `entered`: entering a lost stage or moving
    back leaves it where it was."""
    if entered.kind == StageKind.LOST:
        return furthest
    if furthest is None or entered.order > furthest.order:
        return entered
    return furthest


@transaction.atomic
def opportunity_create(*, workspace: Any, actor: Any, **data: Any) -> Opportunity:
    """Create a deal. Pipeline defaults to the default pipeline, stage to its first open stage;
    probability to the stage's default (a given probability is a custom one).

    `contacts` may be a list of (contact, role) pairs for the decision chain.
    """
    contact_roles = data.pop("contacts", None) or []
    pipeline = data.pop("pipeline", None) or (
        data["stage"].pipeline if data.get("stage") else default_pipeline(workspace)
    )
    stages = pipeline_stages(pipeline)
    stage = data.pop("stage", None) or first_open_stage(stages)
    if data.get("probability") is None:
        data.pop("probability", None)
        data["probability"] = stage.probability
        data["probability_custom"] = False
    else:
        data["probability_custom"] = True
    now = timezone.now()
    status = _status_of(stage)
    draft = Opportunity(workspace=workspace, pipeline=pipeline, stage=stage, **data)
    if draft.pipeline.workspace_id != getattr(workspace, "pk", workspace):
        raise ValidationError({"pipeline": _("Choose a pipeline of this workspace.")})
    refusal = gate_refusal(draft, stage, stages, creating=True)
    if refusal:
        raise ValidationError({"stage": refusal})
    if status == OpportunityStatus.LOST and not (data.get("lost_reason") or "").strip():
        raise ValidationError({"lost_reason": _("Give the reason the deal was lost.")})
    data.update(
        pipeline=pipeline,
        stage=stage,
        stage_entered_at=now,
        status=status,
        closed_at=now if status != OpportunityStatus.OPEN else None,
        furthest_stage=furthest_after(None, stage),
    )
    opportunity = record_create(model=Opportunity, workspace=workspace, actor=actor, data=data)
    StageHistory.objects.create(
        workspace=opportunity.workspace,
        opportunity=opportunity,
        to_stage=stage,
        entered_at=now,
        actor=actor,
    )
    for contact, role in contact_roles:
        opportunity_contact_set(opportunity=opportunity, contact=contact, role=role, actor=actor)
    return opportunity


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, actor: Any, data: dict[str, Any]
) -> Opportunity:
    """Edit a deal's fields; a stage change goes through the gates (opportunity_move)."""
    data = dict(data)
    stage = data.pop("stage", None)
    contact_roles = data.pop("contacts", None)
    if "probability" in data:
        if data["probability"] is None:
            data["probability"] = opportunity.stage.probability
            data["probability_custom"] = False
        elif data["probability"] != opportunity.probability or opportunity.probability_custom:
            data["probability_custom"] = True
    if "lost_reason" in data and opportunity.status != OpportunityStatus.LOST:
        data.pop("lost_reason")
    lost = opportunity.status == OpportunityStatus.LOST
    if lost and "lost_reason" in data and not (data["lost_reason"] or "").strip():
        raise ValidationError({"lost_reason": _("Give the reason the deal was lost.")})
    record_update(instance=opportunity, fields=OPPORTUNITY_FIELDS, data=data)
    if contact_roles is not None:
        opportunity_contacts_replace(opportunity=opportunity, actor=actor, contacts=contact_roles)
    if stage is not None and stage.pk != opportunity.stage_id:
        opportunity_move(opportunity=opportunity, stage=stage, actor=actor)
    return opportunity


@transaction.atomic
def opportunity_move(
    *, opportunity: Opportunity, stage: Stage, actor: Any, lost_reason: str = ""
) -> Opportunity:
    """Move a deal to another stage of its pipeline, enforcing the stage's gate.

    Raises ValidationError({"stage": reason}) when the gate refuses. Entering a lost stage needs
    a lost reason; entering a won/lost stage closes the deal, leaving it reopens it.
    """
    # lock the row: two moves of the same card must not interleave their history rows
    locked = Opportunity.objects.select_for_update().select_related("stage").get(pk=opportunity.pk)
    if stage.pk == locked.stage_id:
        return locked
    stages = pipeline_stages(locked.pipeline_id)
    refusal = gate_refusal(locked, stage, stages)
    if refusal:
        raise ValidationError({"stage": refusal})
    status = _status_of(stage)
    reason = (lost_reason or "").strip() or (
        locked.lost_reason if locked.status == OpportunityStatus.LOST else ""
    )
    if status == OpportunityStatus.LOST and not reason:
        raise ValidationError({"lost_reason": _("Give the reason the deal was lost.")})
    now = timezone.now()
    StageHistory.objects.filter(opportunity=locked, left_at__isnull=True).update(left_at=now)
    StageHistory.objects.create(
        workspace_id=locked.workspace_id,
        opportunity=locked,
        from_stage_id=locked.stage_id,
        to_stage=stage,
        entered_at=now,
        actor=actor,
    )
    furthest = {candidate.pk: candidate for candidate in stages}.get(locked.furthest_stage_id)
    changes: dict[str, Any] = {
        "stage": stage,
        "stage_entered_at": now,
        "status": status,
        "lost_reason": reason if status == OpportunityStatus.LOST else "",
        "furthest_stage": furthest_after(furthest, stage),
    }
    if status != locked.status:
        changes["closed_at"] = now if status != OpportunityStatus.OPEN else None
    if not locked.probability_custom:
        changes["probability"] = stage.probability
    model_update(instance=locked, fields=changes.keys(), data=changes)
    # keep the caller's instance current
    for name in changes:
        setattr(opportunity, name, getattr(locked, name))
    opportunity.updated_at = locked.updated_at
    return opportunity


def closing_stage(opportunity: Opportunity, kind: str) -> Stage:
    stage = (
        Stage.objects.filter(pipeline_id=opportunity.pipeline_id, kind=kind)
        .order_by("order", "id")
        .first()
    )
    if stage is None:
        label = _("won") if kind == StageKind.WON else _("lost")
        raise ValidationError(
            {"stage": _("This pipeline has no %(kind)s stage.") % {"kind": label}}
        )
    return stage


def opportunity_mark_won(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    return opportunity_move(
        opportunity=opportunity, stage=closing_stage(opportunity, StageKind.WON), actor=actor
    )


def opportunity_mark_lost(*, opportunity: Opportunity, actor: Any, lost_reason: str) -> Opportunity:
    return opportunity_move(
        opportunity=opportunity,
        stage=closing_stage(opportunity, StageKind.LOST),
        actor=actor,
        lost_reason=lost_reason,
    )


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, actor: Any) -> None:
    opportunity.delete()


@transaction.atomic
def opportunity_toggle_checklist(
    *, opportunity: Opportunity, actor: Any, item: str, done: bool
) -> Opportunity:
    """Tick or untick one checklist item of the deal's pipeline."""
    known = {
        entry for stage in pipeline_stages(opportunity.pipeline_id) for entry in stage.checklist
    }
    if item not in known:
        raise ValidationError({"checklist_done": _("Unknown checklist item.")})
    ticked = [entry for entry in opportunity.checklist_done or [] if entry != item]
    if done:
        ticked.append(item)
    model_update(instance=opportunity, fields=["checklist_done"], data={"checklist_done": ticked})
    return opportunity


@transaction.atomic
def opportunity_contact_set(
    *, opportunity: Opportunity, contact: Any, role: str, actor: Any
) -> OpportunityContact:
    """Add a contact to the deal's decision chain or change their role."""
    if contact.workspace_id != opportunity.workspace_id:
        raise ValidationError({"contact": _("Choose a contact of this workspace.")})
    link = OpportunityContact.objects.filter(opportunity=opportunity, contact=contact).first()
    if link is None:
        link = OpportunityContact(
            workspace_id=opportunity.workspace_id, opportunity=opportunity, contact=contact
        )
    link.role = role
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def opportunity_contacts_replace(
    *, opportunity: Opportunity, actor: Any, contacts: Iterable[tuple[Any, str]]
) -> None:
    """Make the decision chain exactly these (contact, role) pairs."""
    pairs = {contact.pk: (contact, role) for contact, role in contacts}
    opportunity.contact_roles.exclude(contact_id__in=pairs).delete()
    for contact, role in pairs.values():
        opportunity_contact_set(opportunity=opportunity, contact=contact, role=role, actor=actor)


@transaction.atomic
def opportunity_contact_remove(*, link: OpportunityContact, actor: Any) -> None:
    link.delete()


def weighted(amount: Decimal, probability: int) -> Decimal:
    return (amount * probability / 100).quantize(Decimal("0.01"))
