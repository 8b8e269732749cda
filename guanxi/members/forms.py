"""Forms of the members UI: enrol and edit members, record transactions, points, settings."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from guanxi.contacts.filtersets import contact_search
from guanxi.core.forms import TagNamesField, WorkspaceModelForm, apply_widget_classes
from guanxi.members.choices import TransactionKind
from guanxi.members.ledger import MAX_POINTS_PER_ENTRY
from guanxi.members.models import LoyaltySettings, Member
from guanxi.members.selectors import enrollable_contacts
from guanxi.members.services import LOYALTY_SETTINGS_FIELDS

ITEM_SEPARATORS = re.compile(r"\s*[,，]\s*")
MAX_AMOUNT = Decimal("99999999999.99")


class MemberForm(WorkspaceModelForm):
    interest_tags = TagNamesField(label=_("Interest tags"))

    class Meta:
        model = Member
        fields = ["status", "joined_at", "interest_tags"]
        widgets = {"joined_at": forms.DateInput()}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["interest_tags"] = [tag.name for tag in self.instance.interest_tags.all()]
        apply_widget_classes(self)

    def _post_clean(self) -> None:
        # the contact and number are set by the service; validate only what is typed here
        pass


class ContactLookupField(forms.CharField):
    """A contact the member may see, typed as an exact mobile or email, or a unique name."""

    def __init__(self, request: Any, **kwargs: Any):
        self.request = request
        kwargs.setdefault("label", _("Contact"))
        kwargs.setdefault(
            "help_text", _("Exact mobile or email, or a name that only one contact has.")
        )
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        visible = enrollable_contacts(membership=self.request.membership)
        try:
            matches = visible.filter(pk=uuid.UUID(text))
        except ValueError:
            matches = contact_search(visible, text, workspace=self.request.workspace)
        found = list(matches.prefetch_related(None).only("id", "name", "workspace_id")[:2])
        if not found:
            raise ValidationError(_("No contact matches “%(value)s”."), params={"value": text})
        if len(found) > 1:
            raise ValidationError(
                _("Several contacts match “%(value)s”: type the mobile or email."),
                params={"value": text},
            )
        return found[0]


class MemberCreateForm(MemberForm):
    def __init__(self, *args: Any, request: Any, **kwargs: Any):
        super().__init__(*args, request=request, **kwargs)
        self.fields = {"contact": ContactLookupField(request), **self.fields}
        apply_widget_classes(self)


class TransactionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=TransactionKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=forms.DateInput())
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_value=MAX_AMOUNT, max_digits=14, decimal_places=2
    )
    channel = forms.CharField(label=_("Channel or store"), max_length=100, required=False)
    external_ref = forms.CharField(label=_("External reference"), max_length=100, required=False)
    items = forms.CharField(
        label=_("Items"),
        required=False,
        widget=forms.Textarea,
        help_text=_("One item per line: name, quantity, unit price, SKU (optional)."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)

    def clean_items(self) -> list[dict[str, Any]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = ITEM_SEPARATORS.split(line.strip())
            try:
                name, qty, price, *rest = parts
                row = {"name": name, "qty": int(qty), "price": str(Decimal(price))}
            except (ValueError, InvalidOperation):
                raise ValidationError(
                    _("Line %(number)s: write name, quantity, unit price[, SKU]."),
                    params={"number": number},
                ) from None
            if rest:
                row["sku"] = rest[0]
            rows.append(row)
        return rows


class RedeemForm(forms.Form):
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=MAX_POINTS_PER_ENTRY)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


class AdjustForm(forms.Form):
    points = forms.IntegerField(
        label=_("Points"),
        min_value=-MAX_POINTS_PER_ENTRY,
        max_value=MAX_POINTS_PER_ENTRY,
        help_text=_("Negative to take points away."),
    )
    note = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)

    def clean_points(self) -> int:
        points = self.cleaned_data["points"]
        if points == 0:
            raise ValidationError(_("Enter a number of points other than 0."))
        return points


class LoyaltySettingsForm(forms.ModelForm):
    class Meta:
        model = LoyaltySettings
        fields = list(LOYALTY_SETTINGS_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)
