"""Settings pages: custom field definitions per record type, tags, and saving list columns."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.errors import ApplicationError, validation_error_fields
from guanxi.core.forms import field_errors_of
from guanxi.core.models import Tag
from guanxi.core.permissions import Action, role_can
from guanxi.customfields import services
from guanxi.customfields.columns import LIST_COLUMNS, save_list_columns
from guanxi.customfields.forms import (
    DefinitionForm,
    DeleteDefinitionForm,
    TagForm,
    TagMergeForm,
)
from guanxi.customfields.models import MAX_DEFINITIONS_PER_MODEL, CustomFieldModel
from guanxi.customfields.selectors import definition_list, tags_with_usage
from guanxi.workspaces.decorators import membership_required, role_required

FIELDS_RESOURCE = "custom_fields"
TAGS_RESOURCE = "tags"
DEFAULT_MODEL = CustomFieldModel.CONTACT


def _posted(request: HttpRequest):
    """The POST data of a form submission (even an empty one), None on GET."""
    return request.POST if request.method == "POST" else None


def _model_or_404(model_label: str) -> str:
    if model_label not in CustomFieldModel.values:
        raise Http404
    return model_label


def _definition(request: HttpRequest, pk) -> object:
    return get_object_or_404(definition_list(membership=request.membership), pk=pk)


def _show_errors(form, error: ApplicationError | ValidationError) -> None:
    field_errors_of(
        form,
        error.as_field_errors()
        if isinstance(error, ApplicationError)
        else validation_error_fields(error),
    )


def _create_url(model_label: str) -> str:
    return f"{reverse('customfields:create')}?model={model_label}"


def _list_url(model_label: str) -> str:
    return f"{reverse('customfields:list')}?model={model_label}"


# --- definitions ------------------------------------------------------------------------
@role_required(FIELDS_RESOURCE, Action.VIEW)
def definition_index(request: HttpRequest) -> HttpResponse:
    model_label = request.GET.get("model", DEFAULT_MODEL)
    if model_label not in CustomFieldModel.values:
        model_label = DEFAULT_MODEL
    definitions = list(definition_list(membership=request.membership).filter(model=model_label))
    can_change = role_can(request.membership.role, FIELDS_RESOURCE, Action.CHANGE)
    return render(
        request,
        "customfields/definition_list.html",
        {
            "model_label": model_label,
            "model_choices": CustomFieldModel.choices,
            "definitions": definitions,
            "active_count": sum(1 for d in definitions if d.active),
            "can_change": can_change,
            "can_add": can_change and len(definitions) < MAX_DEFINITIONS_PER_MODEL,
            "max_definitions": MAX_DEFINITIONS_PER_MODEL,
            "create_url": _create_url(model_label),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(FIELDS_RESOURCE, Action.ADD)
def definition_create(request: HttpRequest) -> HttpResponse:
    model_label = _model_or_404(request.GET.get("model", DEFAULT_MODEL))
    form = DefinitionForm(_posted(request), workspace=request.workspace, model_label=model_label)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ("key", "label", "type", "required")}
        data.update(
            help_text=form.cleaned_data["help_text"],
            choices=form.cleaned_data["choices"],
            default=form.cleaned_data["default"],
        )
        try:
            definition = services.definition_create(
                workspace=request.workspace, actor=request.user, model=model_label, **data
            )
        except (ApplicationError, ValidationError) as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request, _("Custom field “%(label)s” was added.") % {"label": definition.label}
            )
            return redirect(_list_url(model_label))
    return render(
        request,
        "customfields/definition_form.html",
        {"form": form, "model_label": model_label, "definition": None},
    )


@require_http_methods(["GET", "POST"])
@role_required(FIELDS_RESOURCE, Action.CHANGE)
def definition_edit(request: HttpRequest, pk) -> HttpResponse:
    definition = _definition(request, pk)
    form = DefinitionForm(
        _posted(request),
        instance=definition,
        workspace=request.workspace,
        model_label=definition.model,
    )
    if request.method == "POST" and form.is_valid():
        stored = _definition(request, pk)  # the form wrote its input onto `definition`
        data = {
            name: form.cleaned_data[name]
            for name in ("label", "required", "help_text", "choices", "default")
        }
        try:
            services.definition_update(definition=stored, actor=request.user, data=data)
        except (ApplicationError, ValidationError) as exc:
            _show_errors(form, exc)
        else:
            messages.success(
                request, _("Custom field “%(label)s” was saved.") % {"label": stored.label}
            )
            return redirect(_list_url(stored.model))
    return render(
        request,
        "customfields/definition_form.html",
        {"form": form, "model_label": definition.model, "definition": definition},
    )


@require_POST
@role_required(FIELDS_RESOURCE, Action.CHANGE)
def definition_set_active(request: HttpRequest, pk) -> HttpResponse:
    definition = _definition(request, pk)
    active = request.POST.get("active") == "1"
    services.definition_set_active(definition=definition, actor=request.user, active=active)
    message = (
        _("“%(label)s” was restored: its stored values show again.")
        if active
        else _("“%(label)s” was archived: its values are kept but hidden.")
    )
    messages.success(request, message % {"label": definition.label})
    return redirect(_list_url(definition.model))


@require_POST
@role_required(FIELDS_RESOURCE, Action.CHANGE)
def definition_move(request: HttpRequest, pk) -> HttpResponse:
    """Move a definition one place up or down in its record type's order."""
    definition = _definition(request, pk)
    ids = [
        str(i)
        for i in definition_list(membership=request.membership)
        .filter(model=definition.model)
        .values_list("pk", flat=True)
    ]
    index = ids.index(str(definition.pk))
    other = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
        services.definitions_reorder(
            workspace=request.workspace, model_label=definition.model, ids=ids
        )
    return redirect(_list_url(definition.model))


@require_http_methods(["GET", "POST"])
@role_required(FIELDS_RESOURCE, Action.DELETE)
def definition_delete(request: HttpRequest, pk) -> HttpResponse:
    definition = _definition(request, pk)
    usage = services.definition_usage(definition)
    form = DeleteDefinitionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            cleared = services.definition_delete(
                definition=definition,
                actor=request.user,
                clear_values=form.cleaned_data["clear_values"],
            )
        except ApplicationError as exc:
            form.add_error("clear_values", exc.message)
        else:
            messages.success(
                request,
                _("Custom field “%(label)s” was deleted; %(count)d records lost their value.")
                % {"label": definition.label, "count": cleared},
            )
            return redirect(_list_url(definition.model))
    return render(
        request,
        "customfields/definition_delete.html",
        {"definition": definition, "usage": usage, "form": form},
    )


# --- tags -------------------------------------------------------------------------------
def _tag(request: HttpRequest, pk) -> Tag:
    return get_object_or_404(Tag.objects.filter(workspace=request.workspace), pk=pk)


@role_required(TAGS_RESOURCE, Action.VIEW)
def tag_index(request: HttpRequest) -> HttpResponse:
    tags = list(tags_with_usage(membership=request.membership))
    return render(
        request,
        "customfields/tag_list.html",
        {
            "tags": tags,
            "can_change": role_can(request.membership.role, TAGS_RESOURCE, Action.CHANGE),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(TAGS_RESOURCE, Action.CHANGE)
def tag_edit(request: HttpRequest, pk) -> HttpResponse:
    tag = _tag(request, pk)
    form = TagForm(_posted(request), instance=_tag(request, pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_update(
                tag=tag,
                actor=request.user,
                data={name: form.cleaned_data[name] for name in ("name", "group", "colour")},
            )
        except (ApplicationError, ValidationError) as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Tag “%(name)s” was saved.") % {"name": tag.name})
            return redirect("customfields:tags")
    return render(request, "customfields/tag_form.html", {"form": form, "tag": tag})


@require_http_methods(["GET", "POST"])
@role_required(TAGS_RESOURCE, Action.CHANGE)
def tag_merge(request: HttpRequest, pk) -> HttpResponse:
    tag = _tag(request, pk)
    form = TagMergeForm(_posted(request), tag=tag)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            moved = services.tag_merge(source=tag, target=target, actor=request.user)
        except ApplicationError as exc:
            form.add_error("target", exc.message)
        else:
            messages.success(
                request,
                _("“%(source)s” was merged into “%(target)s” (%(count)d records retagged).")
                % {"source": tag.name, "target": target.name, "count": moved},
            )
            return redirect("customfields:tags")
    return render(request, "customfields/tag_merge.html", {"form": form, "tag": tag})


@require_http_methods(["GET", "POST"])
@role_required(TAGS_RESOURCE, Action.DELETE)
def tag_delete(request: HttpRequest, pk) -> HttpResponse:
    tag = _tag(request, pk)
    usage = tags_with_usage(membership=request.membership).get(pk=tag.pk).usage
    if request.method == "POST":
        services.tag_delete(tag=tag, actor=request.user)
        messages.success(
            request,
            _("Tag “%(name)s” was deleted and removed from %(count)d records.")
            % {"name": tag.name, "count": usage},
        )
        return redirect("customfields:tags")
    return render(request, "customfields/tag_delete.html", {"tag": tag, "usage": usage})


# --- list columns -----------------------------------------------------------------------
@require_POST
@membership_required
def columns_save(request: HttpRequest) -> HttpResponse:
    list_name = request.POST.get("list_name", "")
    if list_name not in LIST_COLUMNS:
        raise Http404
    keys = None if request.POST.get("reset") else request.POST.getlist("column")[:200]
    save_list_columns(membership=request.membership, list_name=list_name, keys=keys)
    messages.success(request, _("Your columns were saved."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("/")
