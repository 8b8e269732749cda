import factory
from django.utils import timezone

from guanxi.contacts.tests.factories import ContactFactory
from guanxi.interactions.choices import Channel, InteractionStatus
from guanxi.interactions.models import Interaction
from guanxi.workspaces.tests.factories import WorkspaceFactory


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    workspace = factory.SubFactory(WorkspaceFactory)
    contact = factory.SubFactory(ContactFactory, workspace=factory.SelfAttribute("..workspace"))
    subject = factory.Sequence(lambda n: f"电话沟通报价{n}")
    occurred_at = factory.LazyFunction(timezone.now)
    channel = Channel.CALL
    status = InteractionStatus.REPLIED
