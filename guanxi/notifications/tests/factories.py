import factory

from guanxi.notifications.models import Notification
from guanxi.users.tests.factories import UserFactory
from guanxi.workspaces.tests.factories import WorkspaceFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    workspace = factory.SubFactory(WorkspaceFactory)
    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"提醒{n}")
    url = "/"
