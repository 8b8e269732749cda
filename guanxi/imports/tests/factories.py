import factory

from guanxi.imports.models import ExportJob, ImportJob
from guanxi.workspaces.tests.factories import WorkspaceFactory


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    workspace = factory.SubFactory(WorkspaceFactory)
    target = "contacts"
    original_name = factory.Sequence(lambda n: f"contacts-{n}.csv")
    stored_path = factory.LazyAttribute(lambda job: f"{job.workspace.pk}/missing")
    file_format = "csv"
    headers = factory.LazyFunction(lambda: ["姓名", "手机"])
    mapping = factory.LazyFunction(lambda: {"0": "name", "1": "mobile"})


class ExportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExportJob

    workspace = factory.SubFactory(WorkspaceFactory)
    target = "contacts"
    file_format = "csv"
