import factory

from guanxi.opportunities.models import Opportunity, Pipeline, Stage
from guanxi.opportunities.services import opportunity_create
from guanxi.workspaces.tests.factories import WorkspaceFactory


class PipelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pipeline

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"管道 {n}")
    order = factory.Sequence(lambda n: n)


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    pipeline = factory.SubFactory(PipelineFactory)
    workspace = factory.LazyAttribute(lambda stage: stage.pipeline.workspace)
    name = factory.Sequence(lambda n: f"阶段 {n}")
    order = factory.Sequence(lambda n: n)
    probability = 10


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A deal created through the service (stage history and probability as in real use)."""

    class Meta:
        model = Opportunity

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"ERP 项目 {n}")
    amount = factory.Sequence(lambda n: 1000 + n)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        workspace = kwargs.pop("workspace")
        actor = kwargs.pop("actor", None)
        kwargs.setdefault("owner", actor)
        return opportunity_create(workspace=workspace, actor=actor, **kwargs)
