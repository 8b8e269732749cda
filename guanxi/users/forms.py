"""Account forms: login, passwords (Django's, with Tabler's classes) and API tokens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from guanxi.core.forms import apply_widget_classes
from guanxi.workspaces.models import Workspace
from guanxi.workspaces.selectors import workspaces_of


class TablerFormMixin:
    """Django's own forms (auth) with Tabler's widget classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        apply_widget_classes(self)


class LoginForm(TablerFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(TablerFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(TablerFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(TablerFormMixin, auth_forms.SetPasswordForm):
    pass


class ApiTokenForm(TablerFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("What the token is for, e.g. “ERP sync”."),
    )
    workspace = forms.ModelChoiceField(
        label=_("Workspace"),
        queryset=Workspace.objects.none(),
        empty_label=None,
        help_text=_("The token sees this workspace only, with your role in it."),
    )

    def __init__(self, *args: Any, user, current_workspace: Workspace | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["workspace"].queryset = workspaces_of(user=user)
        if current_workspace is not None:
            self.fields["workspace"].initial = current_workspace.pk
