import factory

from guanxi.customfields.models import CustomFieldDefinition
from guanxi.workspaces.tests.factories import WorkspaceFactory


class CustomFieldDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomFieldDefinition

    workspace = factory.SubFactory(WorkspaceFactory)
    model = "contacts.contact"
    key = factory.Sequence(lambda n: f"field_{n}")
    label = factory.Sequence(lambda n: f"字段 {n}")
    type = "text"
    order = factory.Sequence(lambda n: n)
