"""Django side of the benchmark: credentials and sample values, printed as JSON for bench/run.py.

Run as `python bench/prepare.py USERNAME WORKSPACE_SLUG CREATES` with the benchmark's environment
(CREATES: how many unused mobiles the create case needs).
`python bench/prepare.py --explain` prints the query plans of the measured list queries.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")

import django

django.setup()

from django.apps import apps  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import DatabaseError  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from bench.mobiles import unused_mobiles  # noqa: E402
from guanxi.companies.choices import Source  # noqa: E402
from guanxi.companies.models import Company  # noqa: E402
from guanxi.contacts.filtersets import ContactFilterSet  # noqa: E402
from guanxi.contacts.models import Contact  # noqa: E402
from guanxi.contacts.selectors import contact_list  # noqa: E402
from guanxi.users.services import api_token_create  # noqa: E402
from guanxi.workspaces.middleware import SESSION_KEY as WORKSPACE_SESSION_KEY  # noqa: E402
from guanxi.workspaces.models import Membership  # noqa: E402

HAN = re.compile(r"^[\u4e00-\u9fff]{3}$")
LATIN = re.compile(r"^[A-Za-z]+ [A-Za-z]{4,}$")
PAGE = 50


def credentials(username: str, slug: str, creates: int) -> dict[str, str]:
    membership = Membership.objects.select_related("user", "workspace").get(
        user__username=username, workspace__slug=slug
    )
    user = membership.user
    _token, key = api_token_create(user=user, workspace=membership.workspace, name="bench")
    # a logged-in session, as django.contrib.auth.login() would store it
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[WORKSPACE_SESSION_KEY] = str(membership.workspace_id)
    session.create()
    contacts = Contact.objects.filter(workspace=membership.workspace)
    total = contacts.count()
    # the middle of the seeded rows, so that neither the newest nor the oldest are favoured; the
    # contacts that runs add (API creates, imports) are left out, so every run searches the same
    # terms
    seeded = contacts.exclude(name__startswith="压测").exclude(source=Source.IMPORT)
    middle = seeded.count() // 2
    sample = list(seeded.exclude(mobile="").order_by("id")[middle : middle + 500])
    sample = sample or list(contacts.exclude(mobile="")[:500])
    chinese = next(c.name for c in sample if HAN.match(c.name))
    latin = next(c.name for c in sample if LATIN.match(c.name))
    at_company = next(c for c in sample if c.company_id)
    companies = Company.objects.filter(workspace=membership.workspace).order_by("id")
    company = companies[companies.count() // 2]
    facts = {
        "token": key,
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        # a surname and the first character of a given name: 张伟
        "partial_name": chinese[:2],
        # a surname alone: tens of thousands of matches at 1,000,000 contacts
        "surname": chinese[0],
        # the middle of a Latin surname, lower case: "Smith" → "mit"
        "latin_partial": latin.split()[-1][1:4].lower(),
        # a Chinese company brand (short name), e.g. 华为: finds its contacts
        "company_query": company.short_name or company.name[:4],
        "mobile": sample[0].mobile,
        # for the create case: the 199 prefix is rare in the seeded data, yet not unused
        "new_mobiles": unused_mobiles(random.Random(), creates, slug, prefix="199"),
        "contact_360": str(at_company.pk),
        "contacts": total,
    }
    return facts | member_facts(membership) | sales_facts(membership)


def member_facts(membership: Membership) -> dict:
    """A contact who is a member (the fullest 360° page) and the member count, if any."""
    try:
        member_model = apps.get_model("members", "Member")
        members = member_model.objects.filter(workspace=membership.workspace)
        count = members.count()
    except (LookupError, DatabaseError):
        return {"members": 0}
    if not count:
        return {"members": 0}
    member = members.order_by("id")[count // 2]
    return {"members": count, "member_contact_360": str(member.contact_id)}


def sales_facts(membership: Membership) -> dict:
    """The pipelines, the default pipeline's fullest open stage and its busiest owner, if any
    deals are seeded (bench/seed_sales.py)."""
    from django.db.models import Count

    from guanxi.opportunities.models import Opportunity, Pipeline

    deals = Opportunity.objects.filter(workspace=membership.workspace, status="open").order_by()
    pipelines = list(
        Pipeline.objects.filter(workspace=membership.workspace).order_by("-is_default", "order")
    )
    if not pipelines or not deals.exists():
        return {"opportunities": 0}
    default = pipelines[0]
    in_default = deals.filter(pipeline=default)
    stage = in_default.values("stage_id").annotate(n=Count("id")).order_by("-n")[0]["stage_id"]
    owner = in_default.values("owner_id").annotate(n=Count("id")).order_by("-n")[0]["owner_id"]
    return {
        "opportunities": Opportunity.objects.filter(workspace=membership.workspace).count(),
        "pipelines": [str(pipeline.pk) for pipeline in pipelines],
        "fullest_stage": str(stage),
        "busiest_owner": str(owner),
    }


def explain(username: str, slug: str, queries: dict[str, str]) -> dict[str, str]:
    """The plan of each list query as the API builds it (filters, scope, first page)."""
    membership = Membership.objects.select_related("workspace", "team").get(
        user__username=username, workspace__slug=slug
    )
    plans = {}
    for name, query in queries.items():
        request = RequestFactory().get("/api/v1/contacts/" + query)
        request.workspace, request.membership = membership.workspace, membership
        filterset = ContactFilterSet(
            request.GET, queryset=contact_list(membership=membership), request=request
        )
        page = filterset.qs.order_by("-id")[: PAGE + 1]
        plans[name] = page.explain()
    return plans


if __name__ == "__main__":
    if sys.argv[1] == "--explain":
        print(json.dumps(explain(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))))
    else:
        print(json.dumps(credentials(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
