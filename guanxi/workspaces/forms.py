"""Workspace administration forms: settings, inviting members, changing a member, teams."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from guanxi.users.forms import TablerFormMixin
from guanxi.workspaces.choices import Currency, Language, Role
from guanxi.workspaces.models import Team, Workspace
from guanxi.workspaces.selectors import team_list

TIME_ZONES = sorted(zoneinfo.available_timezones())


class WorkspaceSettingsForm(TablerFormMixin, forms.Form):
    # a plain form: a ModelForm would write into the instance before the service sees the change
    name = forms.CharField(label=_("Name"), max_length=120)
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=Currency.choices,
        help_text=_("Amounts in this workspace are in this currency."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(zone, zone) for zone in TIME_ZONES],
        help_text=_("Times are shown in this zone."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        help_text=_("For invitations, and for people who have not chosen a language."),
    )


class RoleTeamForm(TablerFormMixin, forms.Form):
    """A member's role and team; the team list is the workspace's own."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.SALES)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = team_list(workspace=workspace)


class MemberInviteForm(RoleTeamForm):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("New people get an invitation email with a link to set their password."),
    )
    field_order = ["email", "role", "team"]


class TeamForm(TablerFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)


class WorkspaceSwitchForm(forms.Form):
    workspace = forms.UUIDField()
