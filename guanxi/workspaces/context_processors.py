"""Template context: the current workspace, the user's role and the workspaces they can switch to."""

from django.http import HttpRequest

from guanxi.core.permissions import Action, role_can
from guanxi.workspaces.permissions import can_manage_workspace
from guanxi.workspaces.selectors import workspaces_of


def workspace(request: HttpRequest) -> dict:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "current_workspace": membership.workspace,
        "current_membership": membership,
        "my_workspaces": lambda: list(workspaces_of(user=request.user)),
        "can_manage_workspace": can_manage_workspace(membership.role),
        "can_view_audit": role_can(membership.role, "audit", Action.VIEW),
    }
