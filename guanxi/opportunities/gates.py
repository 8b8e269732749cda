"""Stage gates: what must hold before a deal may enter a stage (OPP-2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from guanxi.opportunities.models import Opportunity, Stage

# opportunity fields a stage may require (name → label)
GATEABLE_FIELDS = {
    "company": gettext_lazy("company"),
    "primary_contact": gettext_lazy("primary contact"),
    "amount": gettext_lazy("amount"),
    "expected_close": gettext_lazy("expected close date"),
    "source": gettext_lazy("source"),
    "description": gettext_lazy("description"),
    "owner": gettext_lazy("owner"),
}


def is_filled(opportunity: Opportunity, name: str) -> bool:
    if name == "amount":
        return bool(opportunity.amount and opportunity.amount > 0)
    field = opportunity._meta.get_field(name)
    value = getattr(opportunity, field.attname)
    return value not in (None, "")


def missing_fields(opportunity: Opportunity, stage: Stage) -> list[str]:
    return [name for name in stage.required_fields if not is_filled(opportunity, name)]


def unticked_items(opportunity: Opportunity, stage: Stage) -> list[str]:
    done = set(opportunity.checklist_done or ())
    return [item for item in stage.checklist if item not in done]


def gate_refusal(
    opportunity: Opportunity, stage: Stage, stages: list[Stage], *, creating: bool = False
) -> str | None:
    """Why the deal may not enter `stage` (None: it may). `stages` = the pipeline's stages in order.

    Moving back is always allowed; the skip rule does not apply when a deal is created.
    """
    if stage.pipeline_id != opportunity.pipeline_id:
        return _("The stage “%(stage)s” belongs to another pipeline.") % {"stage": stage.name}
    current = None if creating else opportunity.stage
    if current is not None and _position(stages, stage) <= _position(stages, current):
        return None
    missing = missing_fields(opportunity, stage)
    if missing:
        labels = ", ".join(str(GATEABLE_FIELDS[name]) for name in missing)
        return _("Fill in %(fields)s before moving to “%(stage)s”.") % {
            "fields": labels,
            "stage": stage.name,
        }
    unticked = unticked_items(opportunity, stage)
    if unticked:
        return _("Tick the checklist before moving to “%(stage)s”: %(items)s.") % {
            "stage": stage.name,
            "items": ", ".join(unticked),
        }
    if current is not None and not stage.allow_skip:
        skipped = [
            s.name
            for s in stages
            if s.is_open
            and _position(stages, current) < _position(stages, s) < _position(stages, stage)
        ]
        if skipped:
            return _("“%(stage)s” cannot be skipped to: go through %(skipped)s first.") % {
                "stage": stage.name,
                "skipped": ", ".join(skipped),
            }
    return None


def _position(stages: list[Stage], stage: Stage) -> int:
    for index, candidate in enumerate(stages):
        if candidate.pk == stage.pk:
            return index
    return len(stages)
