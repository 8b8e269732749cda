import factory

from guanxi.companies.models import Company
from guanxi.workspaces.tests.factories import WorkspaceFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"上海示例科技有限公司 {n}")
    industry = "technology"
