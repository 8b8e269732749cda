import factory

from guanxi.leads.models import Lead
from guanxi.workspaces.tests.factories import WorkspaceFactory


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"线索{n}")
    company_name = factory.Sequence(lambda n: f"华东机械{n}有限公司")
    mobile = factory.Sequence(lambda n: f"136{n:08d}")
