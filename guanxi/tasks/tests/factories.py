import factory

from guanxi.tasks.choices import TaskKind, TaskPriority, TaskStatus
from guanxi.tasks.models import Task, TaskComment
from guanxi.workspaces.tests.factories import WorkspaceFactory


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    workspace = factory.SubFactory(WorkspaceFactory)
    title = factory.Sequence(lambda n: f"回访客户{n}")
    kind = TaskKind.TODO
    priority = TaskPriority.NORMAL
    status = TaskStatus.OPEN


class TaskCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskComment

    task = factory.SubFactory(TaskFactory)
    workspace = factory.SelfAttribute("task.workspace")
    body = factory.Sequence(lambda n: f"已电话沟通{n}")
