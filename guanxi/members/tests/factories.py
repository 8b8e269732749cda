import datetime
from decimal import Decimal

import factory

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.members.choices import TransactionKind
from guanxi.members.models import Member, Transaction
from guanxi.workspaces.tests.factories import WorkspaceFactory


class MemberFactory(factory.django.DjangoModelFactory):
    """A member without transactions; the contact is made in the same workspace."""

    class Meta:
        model = Member

    workspace = factory.SubFactory(WorkspaceFactory)
    contact = factory.LazyAttribute(lambda o: ContactFactory(workspace=o.workspace))
    member_number = factory.Sequence(lambda n: f"VIP{n:08d}")


class TransactionFactory(factory.django.DjangoModelFactory):
    """A stored transaction row only: the member's totals are NOT updated (use the service)."""

    class Meta:
        model = Transaction

    member = factory.SubFactory(MemberFactory)
    workspace = factory.LazyAttribute(lambda o: o.member.workspace)
    kind = TransactionKind.PURCHASE
    occurred_on = factory.LazyFunction(datetime.date.today)
    amount = Decimal("100.00")
