"""Cross-workspace access is impossible: every route, found by walking the URL resolver and the
OpenAPI document, is tried with another workspace's ids and must neither show nor change them.

A new route that takes an id fails here until ROUTE_OBJECTS says which object it addresses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from guanxi.analytics.tests.factories import SalesTargetFactory
from guanxi.assignment.tests.factories import AssignmentRuleFactory
from guanxi.audit.models import AuditEvent
from guanxi.companies.models import Company
from guanxi.companies.tests.factories import CompanyFactory
from guanxi.contacts.models import Contact
from guanxi.contacts.tests.factories import ContactFactory
from guanxi.core.models import Tag
from guanxi.core.services import tags_by_name
from guanxi.customfields.tests.factories import CustomFieldDefinitionFactory
from guanxi.imports.tests.factories import ExportJobFactory, ImportJobFactory
from guanxi.interactions.models import Interaction
from guanxi.interactions.tests.factories import InteractionFactory
from guanxi.leads.tests.factories import LeadFactory
from guanxi.members.tests.factories import MemberFactory, TransactionFactory
from guanxi.notifications.models import Notification
from guanxi.notifications.tests.factories import NotificationFactory
from guanxi.opportunities.tests.factories import (
    OpportunityFactory,
    PipelineFactory,
    StageFactory,
)
from guanxi.quality.tests.factories import candidate_in
from guanxi.tasks.tests.factories import TaskFactory
from guanxi.users.models import ApiToken
from guanxi.users.services import api_token_create
from guanxi.users.tests.factories import UserFactory
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Team
from guanxi.workspaces.tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

MARKER = "ZZFOREIGNZZ"


def make_membership(workspace) -> Membership:
    return MembershipFactory(workspace=workspace, role=Role.SALES)


def make_token(workspace) -> ApiToken:
    return api_token_create(user=make_membership(workspace).user, workspace=workspace, name="t")[0]


# route name → a function making the object that the route's id addresses, in a given workspace
ROUTE_OBJECTS: dict[str, Callable[[Any], Any]] = {
    "api:company-detail": lambda ws: CompanyFactory(workspace=ws),
    "api:contact-detail": lambda ws: ContactFactory(workspace=ws),
    "api:auditevent-detail": lambda ws: (
        AuditEvent.objects.filter(workspace=ws).first()
        or AuditEvent.objects.create(workspace=ws, source="system", action="create")
    ),
    "companies:detail": lambda ws: CompanyFactory(workspace=ws),
    "companies:edit": lambda ws: CompanyFactory(workspace=ws),
    "companies:delete": lambda ws: CompanyFactory(workspace=ws),
    "companies:tags": lambda ws: CompanyFactory(workspace=ws),
    "contacts:detail": lambda ws: ContactFactory(workspace=ws),
    "contacts:edit": lambda ws: ContactFactory(workspace=ws),
    "contacts:delete": lambda ws: ContactFactory(workspace=ws),
    "contacts:tags": lambda ws: ContactFactory(workspace=ws),
    "workspaces:member_edit": make_membership,
    "workspaces:member_deactivate": make_membership,
    "workspaces:member_reactivate": make_membership,
    "users:token_revoke": make_token,
    "api:interaction-detail": lambda ws: InteractionFactory(workspace=ws),
    "api:interaction-complete": lambda ws: InteractionFactory(workspace=ws),
    "api:notification-detail": lambda ws: NotificationFactory(workspace=ws),
    "api:notification-read": lambda ws: NotificationFactory(workspace=ws),
    "interactions:detail": lambda ws: InteractionFactory(workspace=ws),
    "interactions:edit": lambda ws: InteractionFactory(workspace=ws),
    "interactions:delete": lambda ws: InteractionFactory(workspace=ws),
    "interactions:complete": lambda ws: InteractionFactory(workspace=ws),
    "interactions:log_contact": lambda ws: ContactFactory(workspace=ws),
    "interactions:log_company": lambda ws: CompanyFactory(workspace=ws),
    "interactions:timeline_contact": lambda ws: ContactFactory(workspace=ws),
    "interactions:timeline_company": lambda ws: CompanyFactory(workspace=ws),
    "notifications:read": lambda ws: NotificationFactory(workspace=ws),
    "quality:dismiss": candidate_in,
    "api:duplicatecandidate-detail": candidate_in,
    "api:duplicatecandidate-dismiss": candidate_in,
    "quality:contacts_duplicates": lambda ws: ContactFactory(workspace=ws),
    "quality:companies_duplicates": lambda ws: CompanyFactory(workspace=ws),
    "imports:detail": lambda ws: ImportJobFactory(workspace=ws),
    "imports:map": lambda ws: ImportJobFactory(workspace=ws),
    "imports:start": lambda ws: ImportJobFactory(workspace=ws),
    "imports:progress": lambda ws: ImportJobFactory(workspace=ws),
    "imports:errors": lambda ws: ImportJobFactory(workspace=ws),
    "imports:save_template": lambda ws: ImportJobFactory(workspace=ws),
    "imports:apply_template": lambda ws: ImportJobFactory(workspace=ws),
    "imports:delete": lambda ws: ImportJobFactory(workspace=ws),
    "imports:export_detail": lambda ws: ExportJobFactory(workspace=ws),
    "imports:export_download": lambda ws: ExportJobFactory(workspace=ws),
    "api:importjob-detail": lambda ws: ImportJobFactory(workspace=ws),
    "api:member-detail": lambda ws: MemberFactory(workspace=ws),
    "api:member-ledger": lambda ws: MemberFactory(workspace=ws),
    "api:member-redeem": lambda ws: MemberFactory(workspace=ws),
    "api:member-adjust": lambda ws: MemberFactory(workspace=ws),
    "api:transaction-detail": lambda ws: TransactionFactory(member=MemberFactory(workspace=ws)),
    "members:detail": lambda ws: MemberFactory(workspace=ws),
    "members:edit": lambda ws: MemberFactory(workspace=ws),
    "members:delete": lambda ws: MemberFactory(workspace=ws),
    "members:enrol": lambda ws: ContactFactory(workspace=ws),
    "members:transaction_create": lambda ws: MemberFactory(workspace=ws),
    "members:redeem": lambda ws: MemberFactory(workspace=ws),
    "members:adjust": lambda ws: MemberFactory(workspace=ws),
    "api:customfield-detail": lambda ws: CustomFieldDefinitionFactory(workspace=ws),
    "customfields:edit": lambda ws: CustomFieldDefinitionFactory(workspace=ws),
    "customfields:set_active": lambda ws: CustomFieldDefinitionFactory(workspace=ws),
    "customfields:move": lambda ws: CustomFieldDefinitionFactory(workspace=ws),
    "customfields:delete": lambda ws: CustomFieldDefinitionFactory(workspace=ws),
    "customfields:tag_edit": lambda ws: Tag.objects.create(workspace=ws, name="t"),
    "customfields:tag_merge": lambda ws: Tag.objects.create(workspace=ws, name="t"),
    "customfields:tag_delete": lambda ws: Tag.objects.create(workspace=ws, name="t"),
    "analytics:targets:edit": lambda ws: SalesTargetFactory(
        workspace=ws, team=TeamFactory(workspace=ws)
    ),
    "analytics:targets:delete": lambda ws: SalesTargetFactory(
        workspace=ws, team=TeamFactory(workspace=ws)
    ),
    "api:salestarget-detail": lambda ws: SalesTargetFactory(
        workspace=ws, team=TeamFactory(workspace=ws)
    ),
    "api:lead-detail": lambda ws: LeadFactory(workspace=ws),
    "api:lead-convert": lambda ws: LeadFactory(workspace=ws),
    "api:lead-assign": lambda ws: LeadFactory(workspace=ws),
    "leads:detail": lambda ws: LeadFactory(workspace=ws),
    "leads:edit": lambda ws: LeadFactory(workspace=ws),
    "leads:delete": lambda ws: LeadFactory(workspace=ws),
    "leads:assign": lambda ws: LeadFactory(workspace=ws),
    "leads:convert": lambda ws: LeadFactory(workspace=ws),
    "assignment:edit": lambda ws: AssignmentRuleFactory(workspace=ws),
    "assignment:delete": lambda ws: AssignmentRuleFactory(workspace=ws),
    "assignment:move": lambda ws: AssignmentRuleFactory(workspace=ws),
    "api:opportunity-detail": lambda ws: OpportunityFactory(workspace=ws),
    "api:opportunity-move": lambda ws: OpportunityFactory(workspace=ws),
    "api:opportunity-won": lambda ws: OpportunityFactory(workspace=ws),
    "api:opportunity-lost": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:detail": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:edit": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:delete": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:move": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:won": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:lost": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:checklist": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:contact_add": lambda ws: OpportunityFactory(workspace=ws),
    "opportunities:contact_remove": lambda ws: OpportunityFactory(workspace=ws),
    "api:pipeline-detail": lambda ws: PipelineFactory(workspace=ws),
    "opportunities:board": lambda ws: PipelineFactory(workspace=ws),
    "opportunities:board_summary": lambda ws: PipelineFactory(workspace=ws),
    "opportunities:pipeline_edit": lambda ws: PipelineFactory(workspace=ws),
    "opportunities:pipeline_delete": lambda ws: PipelineFactory(workspace=ws),
    "opportunities:stage_create": lambda ws: PipelineFactory(workspace=ws),
    "opportunities:board_column": lambda ws: StageFactory(pipeline=PipelineFactory(workspace=ws)),
    "opportunities:stage_edit": lambda ws: StageFactory(pipeline=PipelineFactory(workspace=ws)),
    "opportunities:stage_delete": lambda ws: StageFactory(pipeline=PipelineFactory(workspace=ws)),
    "opportunities:stage_move": lambda ws: StageFactory(pipeline=PipelineFactory(workspace=ws)),
    "api:task-detail": lambda ws: TaskFactory(workspace=ws),
    "api:task-complete": lambda ws: TaskFactory(workspace=ws),
    "api:task-comments": lambda ws: TaskFactory(workspace=ws),
    "tasks:detail": lambda ws: TaskFactory(workspace=ws),
    "tasks:edit": lambda ws: TaskFactory(workspace=ws),
    "tasks:delete": lambda ws: TaskFactory(workspace=ws),
    "tasks:complete": lambda ws: TaskFactory(workspace=ws),
    "tasks:comment": lambda ws: TaskFactory(workspace=ws),
    "tasks:quick_contact": lambda ws: ContactFactory(workspace=ws),
    "tasks:quick_company": lambda ws: CompanyFactory(workspace=ws),
    "tasks:quick_lead": lambda ws: LeadFactory(workspace=ws),
    "tasks:quick_opportunity": lambda ws: OpportunityFactory(workspace=ws),
}

# routes whose parameters are not workspace object ids (checked elsewhere)
NOT_OBJECT_ROUTES = {
    # Django's signed password-reset link: uid and token, not a workspace's record
    "password_reset_confirm",
    # the public web-to-lead form: its token is a published address, not a record id
    "lead_form:form",
    "lead_form:thanks",
    # a dashboard panel's name (funnel, value …), the workspace's reports, not a record
    "analytics:panel",
}

# The Django admin (/admin/) is for superusers only, who see every workspace on purpose; the
# admin namespace is therefore not walked here (test_admin covers who may enter it).
EXCLUDED_NAMESPACES = {"admin"}

DETAIL_API_METHODS = ("get", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str
    params: tuple[str, ...]

    def url(self, obj: Any = None) -> str:
        kwargs = {p: ("json" if p == "format" else str(obj.pk)) for p in self.params}
        return reverse(self.name, kwargs=kwargs)


def walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str | None, set[str]]]:
    """Every URL pattern (recursively) as (qualified name, parameter names)."""
    for entry in resolver.url_patterns:
        params = set(entry.pattern.converters) | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, inner_params in walk(entry, inner):
                yield name, params | inner_params
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), params


def all_routes() -> list[Route]:
    routes = {
        Route(name or "<unnamed>", tuple(sorted(params)))
        for name, params in walk(get_resolver())
        if not (name or "").startswith("set_language")
    }
    return sorted(routes, key=lambda r: (r.name, r.params))


ROUTES = all_routes()
ID_ROUTES = [r for r in ROUTES if set(r.params) - {"format"} and r.name not in NOT_OBJECT_ROUTES]
PLAIN_ROUTES = [r for r in ROUTES if not r.params]


def openapi_paths() -> dict[str, dict]:
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


# --- the other workspace, full of data that must stay invisible and unchanged ------------------
@pytest.fixture
def foreign(other_workspace) -> dict[str, Any]:
    user = UserFactory(username=f"{MARKER}-user")
    MembershipFactory(workspace=other_workspace, user=user, role=Role.ADMIN)
    company = CompanyFactory(workspace=other_workspace, name=f"{MARKER} Company", owner=user)
    contact = ContactFactory(
        workspace=other_workspace, name=f"{MARKER} Contact", company=company, owner=user
    )
    contact.tags.set(tags_by_name(workspace=other_workspace, names=[f"{MARKER}-tag"]))
    team = TeamFactory(workspace=other_workspace, name=f"{MARKER} Team")
    AuditEvent.objects.create(
        workspace=other_workspace,
        source="system",
        action="create",
        object_type="contacts.contact",
        object_id=str(contact.pk),
        object_repr=f"{MARKER} event",
    )
    return {
        "workspace": other_workspace,
        "user": user,
        "company": company,
        "contact": contact,
        "team": team,
    }


def workspace_state(workspace) -> dict[str, list]:
    """Every row of the workspace, to compare before and after the attempts."""
    models = {
        "companies": Company,
        "contacts": Contact,
        "tags": Tag,
        "teams": Team,
        "memberships": Membership,
        "audit": AuditEvent,
        "tokens": ApiToken,
        "interactions": Interaction,
        "notifications": Notification,
    }
    state = {}
    for label, model in models.items():
        rows = model.objects.filter(workspace=workspace).order_by("pk")
        state[label] = [
            {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
            for row in rows
        ]
    state["contact_tags"] = sorted(
        Contact.tags.through.objects.filter(contact__workspace=workspace).values_list(
            "contact_id", "tag_id"
        )
    )
    return state


@pytest.fixture
def client(admin, api_client):
    """The most powerful ordinary member of *this* workspace."""
    return api_client(admin)


# --- the tables are complete ------------------------------------------------------------------
def test_every_route_with_an_id_has_an_entry_in_route_objects():
    missing = [r.name for r in ID_ROUTES if r.name not in ROUTE_OBJECTS]
    assert missing == [], f"new route without an entry in ROUTE_OBJECTS: {missing}"


def test_route_objects_has_no_stale_entries():
    assert sorted(set(ROUTE_OBJECTS) - {r.name for r in ID_ROUTES}) == []


def test_every_openapi_path_with_an_id_has_an_entry_in_route_objects():
    unmapped = []
    for path in openapi_paths():
        if "{" in path:
            match = resolve(path.replace("{id}", str(uuid.uuid4())))
            if match.view_name not in ROUTE_OBJECTS:
                unmapped.append(path)
    assert unmapped == []


# --- detail routes: 404 and unchanged ----------------------------------------------------------
@pytest.mark.parametrize("route", ID_ROUTES, ids=lambda r: f"{r.name}{list(r.params)}")
def test_another_workspaces_id_is_404_on_every_route(route, client, foreign):
    if route.name not in ROUTE_OBJECTS:
        pytest.fail(f"new route without an entry in ROUTE_OBJECTS: {route.name}")
    obj = ROUTE_OBJECTS[route.name](foreign["workspace"])
    url = route.url(obj)
    before = workspace_state(foreign["workspace"])
    statuses = {}
    for method in ("get", "post", *DETAIL_API_METHODS[1:]):
        response = getattr(client, method)(url, {"name": "changed", "role": "admin"})
        statuses[method] = response.status_code
    # a method the route does not offer is 405; every one it offers must be 404
    assert set(statuses.values()) <= {404, 405}, statuses
    assert 404 in statuses.values(), statuses
    assert workspace_state(foreign["workspace"]) == before


@pytest.mark.parametrize("path", sorted(p for p in openapi_paths() if "{" in p), ids=str)
def test_every_openapi_operation_with_an_id_is_404_for_another_workspace(path, client, foreign):
    operations = openapi_paths()[path]
    view_name = resolve(path.replace("{id}", str(uuid.uuid4()))).view_name
    obj = ROUTE_OBJECTS[view_name](foreign["workspace"])
    before = workspace_state(foreign["workspace"])
    url = path.replace("{id}", str(obj.pk))
    for method in operations:
        response = getattr(client, method)(url, {"name": "changed"}, format="json")
        assert response.status_code == 404, (method, url, response.content[:200])
        assert response.json()["error"]["code"] == "not_found"
    assert workspace_state(foreign["workspace"]) == before


# --- lists: nothing of the other workspace shows ----------------------------------------------
@pytest.mark.parametrize("route", PLAIN_ROUTES, ids=lambda r: r.name)
def test_no_page_or_list_shows_another_workspaces_rows(route, client, foreign):
    response = client.get(route.url())
    body = b"".join(response) if response.streaming else response.content
    text = body.decode(errors="replace")
    leaked = [
        str(value)
        for value in (MARKER, *(o.pk for o in foreign.values() if hasattr(o, "pk")))
        if str(value) in text
    ]
    assert leaked == [], f"{route.name} shows another workspace's data"


@pytest.mark.parametrize(
    "path",
    sorted(p for p, ops in openapi_paths().items() if "{" not in p and "get" in ops),
    ids=str,
)
def test_every_api_list_has_0_foreign_rows(path, client, foreign, admin):
    ContactFactory(workspace=admin.workspace)
    CompanyFactory(workspace=admin.workspace)
    response = client.get(path)
    assert response.status_code == 200
    if "results" in response.json():
        rows = response.json()["results"]
        foreign_ids = {str(o.pk) for o in foreign.values() if hasattr(o, "pk")}
        assert [row for row in rows if row.get("id") in foreign_ids] == []
        assert MARKER not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "param", "key"),
    [
        ("/api/v1/contacts/", "company", "company"),
        ("/api/v1/contacts/", "owner", "user"),
        ("/api/v1/companies/", "owner", "user"),
    ],
    ids=["contacts-company", "contacts-owner", "companies-owner"],
)
def test_filtering_by_another_workspaces_id_is_a_400(path, param, key, client, foreign):
    response = client.get(path, {param: str(foreign[key].pk)})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [param]


# --- request bodies: another workspace's foreign keys are refused -------------------------------
FOREIGN_KEY_FIELDS = {"company": "company", "owner": "user"}


def body_foreign_keys() -> list[tuple[str, str, str]]:
    """(path, method, field) for every API write whose body takes a company or owner id."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ref = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref", "")
            )
            properties = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
            found += [(path, method, f) for f in FOREIGN_KEY_FIELDS if f in properties]
    return sorted(found)


@pytest.mark.parametrize(("path", "method", "field"), body_foreign_keys(), ids=lambda v: str(v))
def test_another_workspaces_id_in_a_body_is_a_400(path, method, field, client, admin, foreign):
    own = None
    if "{id}" in path:
        view_name = resolve(path.replace("{id}", str(uuid.uuid4()))).view_name
        own = ROUTE_OBJECTS[view_name](admin.workspace)
        path = path.replace("{id}", str(own.pk))
    before = workspace_state(admin.workspace)
    body = {"name": "x", field: str(foreign[FOREIGN_KEY_FIELDS[field]].pk)}
    response = getattr(client, method)(path, body, format="json")
    assert response.status_code == 400, response.content[:300]
    assert field in response.json()["error"]["fields"]
    assert workspace_state(admin.workspace) == before


@pytest.mark.parametrize(
    ("route", "field", "key"),
    [
        ("contacts:create", "company", "company"),
        ("contacts:create", "owner", "user"),
        ("companies:create", "owner", "user"),
    ],
    ids=["contact-company", "contact-owner", "company-owner"],
)
def test_ui_forms_refuse_another_workspaces_ids(route, field, key, client, admin, foreign):
    before = workspace_state(admin.workspace)
    response = client.post(reverse(route), {"name": "x", field: str(foreign[key].pk)})
    assert response.status_code in (200, 400)  # the form again, with its error
    assert workspace_state(admin.workspace) == before


BULK_ACTIONS = {
    "assign_owner": lambda admin: {"owner": str(admin.user_id)},
    "add_tag": lambda admin: {"tags": "bulk-tag"},
    "delete": lambda admin: {"confirm": "True"},
}
BULK_ROUTES = {
    "contacts:bulk": ("contact", ContactFactory),
    "companies:bulk": ("company", CompanyFactory),
}


@pytest.mark.parametrize("route", list(BULK_ROUTES), ids=str)
@pytest.mark.parametrize("action", list(BULK_ACTIONS), ids=str)
def test_bulk_actions_skip_another_workspaces_ids(route, action, client, admin, foreign):
    key, factory = BULK_ROUTES[route]
    own = factory(workspace=admin.workspace, owner=None)
    before = workspace_state(foreign["workspace"])
    client.post(
        reverse(route),
        {
            "action": action,
            "pk": [str(foreign[key].pk), str(own.pk)],
            **BULK_ACTIONS[action](admin),
        },
    )
    # the same request did act on this workspace's record …
    own_after = type(own).objects.filter(pk=own.pk).first()
    changed = {
        "assign_owner": lambda: own_after.owner_id == admin.user_id,
        "add_tag": lambda: [t.name for t in own_after.tags.all()] == ["bulk-tag"],
        "delete": lambda: own_after is None,
    }[action]()
    assert changed
    # … and left the other workspace's alone
    assert workspace_state(foreign["workspace"]) == before
