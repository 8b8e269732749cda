import factory

from guanxi.assignment.models import AssignmentRule
from guanxi.workspaces.tests.factories import WorkspaceFactory


class AssignmentRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentRule

    workspace = factory.SubFactory(WorkspaceFactory)
    object_type = "lead"
    name = factory.Sequence(lambda n: f"Rule {n}")
    order = factory.Sequence(lambda n: n + 1)
    target_kind = "strategy"
    strategy = "round_robin"
