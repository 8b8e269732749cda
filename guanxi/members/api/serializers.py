"""Member, transaction and points-ledger API representations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from guanxi.contacts.models import Contact
from guanxi.core.api.serializers import (
    CustomFieldsField,
    CustomFieldsWriteMixin,
    OwnerSummarySerializer,
    TagNamesField,
    WorkspaceRelatedField,
)
from guanxi.core.permissions import Action
from guanxi.members.choices import TransactionKind
from guanxi.members.ledger import MAX_POINTS_PER_ENTRY
from guanxi.members.models import Member, PointsEntry, Transaction
from guanxi.members.selectors import enrollable_contacts, member_list
from guanxi.members.services import MAX_ITEMS

MAX_AMOUNT = Decimal("99999999999.99")


def money_field(**kwargs: Any) -> serializers.DecimalField:
    """≥ 0, at most 2 decimals, at most 99,999,999,999.99; NaN and Infinity are refused."""
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, max_value=MAX_AMOUNT, **kwargs
    )


class MemberContactSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class MemberSerializer(serializers.ModelSerializer):
    contact = MemberContactSerializer(read_only=True)
    owner = OwnerSummarySerializer(source="contact.owner", read_only=True, allow_null=True)
    interest_tags = TagNamesField(read_only=True)
    custom_fields = CustomFieldsField(read_only=True)

    class Meta:
        model = Member
        fields = [
            "id",
            "member_number",
            "contact",
            "owner",
            "level",
            "status",
            "points_balance",
            "total_consumption",
            "last_purchase_at",
            "purchases_12m",
            "joined_at",
            "interest_tags",
            "custom_fields",
            "created_at",
            "updated_at",
        ]


class MemberWriteSerializer(CustomFieldsWriteMixin, serializers.ModelSerializer):
    contact = WorkspaceRelatedField(
        Contact, required=False, help_text="The contact to enrol (on create only)."
    )
    member_number = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text="Empty: the next number."
    )
    interest_tags = TagNamesField(required=False)
    custom_fields = CustomFieldsField(required=False)

    class Meta:
        model = Member
        fields = [
            "contact",
            "member_number",
            "status",
            "joined_at",
            "interest_tags",
            "custom_fields",
        ]

    def validate_contact(self, contact: Contact) -> Contact:
        membership = self.context["membership"]
        if not enrollable_contacts(membership=membership).filter(pk=contact.pk).exists():
            raise serializers.ValidationError(_("Your role may not enrol this contact."))
        return contact

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if self.instance is None and "contact" not in attrs:
            raise serializers.ValidationError({"contact": [_("This field is required.")]})
        if self.instance is not None:
            attrs.pop("contact", None)
            attrs.pop("member_number", None)
        return attrs


class TransactionItemSerializer(serializers.Serializer):
    sku = serializers.CharField(required=False, allow_blank=True, max_length=64)
    name = serializers.CharField(max_length=200)
    qty = serializers.IntegerField(min_value=1, max_value=1_000_000)
    price = money_field()


class TransactionSerializer(serializers.ModelSerializer):
    member_number = serializers.CharField(source="member.member_number", read_only=True)
    items = TransactionItemSerializer(many=True, read_only=True)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "member",
            "member_number",
            "kind",
            "occurred_on",
            "amount",
            "channel",
            "items",
            "external_ref",
            "idempotency_key",
            "created_at",
        ]


class TransactionWriteSerializer(serializers.Serializer):
    member = WorkspaceRelatedField(Member)
    kind = serializers.ChoiceField(choices=TransactionKind.choices)
    occurred_on = serializers.DateField()
    amount = money_field()
    channel = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    items = TransactionItemSerializer(many=True, required=False, max_length=MAX_ITEMS)
    external_ref = serializers.CharField(
        required=False, allow_blank=True, max_length=100, default=""
    )

    def validate_member(self, member: Member) -> Member:
        membership = self.context["membership"]
        if (
            not member_list(membership=membership, action=Action.CHANGE)
            .filter(pk=member.pk)
            .exists()
        ):
            raise serializers.ValidationError(_("You may not record transactions for this member."))
        return member

    def validate_items(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [dict(item) for item in items]


class PointsEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = PointsEntry
        fields = ["id", "kind", "points", "at", "expires_on", "remaining", "transaction", "note"]


class RedeemSerializer(serializers.Serializer):
    points = serializers.IntegerField(min_value=1, max_value=MAX_POINTS_PER_ENTRY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class AdjustSerializer(serializers.Serializer):
    points = serializers.IntegerField(
        min_value=-MAX_POINTS_PER_ENTRY,
        max_value=MAX_POINTS_PER_ENTRY,
        help_text="Positive adds points, negative takes them (never below zero).",
    )
    note = serializers.CharField(max_length=200)
