"""The public web-to-lead form at /f/<token>/: no login, CSRF-exempt but validated, a honeypot,
a per-IP rate limit, UTM parameters carried over from the page address, consent recorded."""

from __future__ import annotations

from csp.decorators import csp_update
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from guanxi.core.errors import validation_error_fields
from guanxi.leads.forms import PublicLeadForm
from guanxi.leads.models import WebForm
from guanxi.leads.webform import rate_limited, utm_from, web_lead_create

FORM_TEMPLATE = "leads/public/form.html"


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def active_form(token: str) -> WebForm:
    web_form = WebForm.objects.select_related("workspace").filter(token=token, active=True).first()
    if web_form is None:
        raise Http404
    return web_form


# the form may be embedded in the customer's own site with an <iframe>
@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
@csrf_exempt
@require_http_methods(["GET", "POST"])
def lead_form(request: HttpRequest, token: str) -> HttpResponse:
    web_form = active_form(token)
    utm = utm_from(request.POST if request.method == "POST" else request.GET)
    if request.method == "GET":
        form = PublicLeadForm(consent_text=web_form.consent_wording)
        return render(request, FORM_TEMPLATE, {"form": form, "web_form": web_form, "utm": utm})
    if rate_limited(client_ip(request)):
        response = render(
            request,
            "leads/public/rate_limited.html",
            {"web_form": web_form},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    form = PublicLeadForm(request.POST, consent_text=web_form.consent_wording)
    if form.is_valid():
        thanks = redirect(reverse("lead_form:thanks", args=[token]))
        if form.cleaned_data["website"]:
            # a bot filled the hidden field: thank it and store nothing
            return thanks
        try:
            web_lead_create(web_form=web_form, data=form.cleaned_data, utm=utm)
        except ValidationError as exc:
            for field, errors in validation_error_fields(exc).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return thanks
    context = {"form": form, "web_form": web_form, "utm": utm}
    return render(request, FORM_TEMPLATE, context, status=400)


@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
def lead_form_thanks(request: HttpRequest, token: str) -> HttpResponse:
    web_form = active_form(token)
    return render(
        request,
        "leads/public/thanks.html",
        {"web_form": web_form, "message": _("Thank you! We will get in touch soon.")},
    )
