"""Panels of the contact page (the 360° view): the people a contact works with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guanxi.contacts.models import Contact
from guanxi.contacts.selectors import contact_list
from guanxi.core.panels import Panel

if TYPE_CHECKING:
    from django.http import HttpRequest

    from guanxi.workspaces.models import Membership

COLLEAGUES_SHOWN = 10


def colleagues_data(
    contact: Contact, membership: Membership, request: HttpRequest
) -> dict[str, Any] | None:
    """Other contacts of the same company that this member may see; none for B2C contacts."""
    if contact.company_id is None:
        return None
    colleagues = list(
        contact_list(membership=membership)
        .filter(company_id=contact.company_id)
        .exclude(pk=contact.pk)
        .select_related(None)
        .prefetch_related(None)
        .only("id", "name", "job_title")
        .order_by("name", "id")[: COLLEAGUES_SHOWN + 1]
    )
    return {
        "company": contact.company,
        "colleagues": colleagues[:COLLEAGUES_SHOWN],
        "more": len(colleagues) > COLLEAGUES_SHOWN,
    }


COLLEAGUES_PANEL = Panel(
    name="colleagues",
    template="contacts/partials/_colleagues_panel.html",
    context=colleagues_data,
    column="side",
    order=40,
)
