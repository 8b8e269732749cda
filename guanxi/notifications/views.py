"""Notification pages: the member's inbox, mark one read (and follow its link), mark all read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.generic import View

from guanxi.core.paging import page_number, paginate
from guanxi.core.permissions import Action
from guanxi.core.views import WorkspaceViewMixin
from guanxi.notifications.selectors import notification_list
from guanxi.notifications.services import notification_mark_read, notifications_mark_all_read


class NotificationViews(WorkspaceViewMixin):
    resource = "notifications"
    selector = notification_list


class NotificationListView(NotificationViews, View):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notifications = self.get_queryset()
        if request.GET.get("unread"):
            notifications = notifications.filter(read_at__isnull=True)
        page = paginate(notifications, page_number(request.GET.get("page")))
        return render(
            request,
            "notifications/list.html",
            {"page": page, "unread_only": bool(request.GET.get("unread"))},
        )


class NotificationReadView(NotificationViews, View):
    """POST: mark read, then go to the notification's page (or back to the inbox)."""

    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        notification = self.get_object()
        notification_mark_read(notification=notification, actor=request.user)
        if request.POST.get("open") and notification.url:
            return redirect(notification.url)
        return redirect("notifications:list")


class NotificationReadAllView(NotificationViews, View):
    http_method_names = ["post"]
    permission_action = Action.CHANGE

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        count = notifications_mark_all_read(membership=self.membership)
        messages.success(
            request,
            _("%(count)s notifications marked as read.") % {"count": count}
            if count
            else _("Nothing was unread."),
        )
        return redirect("notifications:list")
