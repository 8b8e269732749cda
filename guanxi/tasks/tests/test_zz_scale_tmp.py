import random, time
from datetime import timedelta
from zoneinfo import ZoneInfo
import pytest
from django.utils import timezone
from guanxi.core.testing_views import ui_client
from guanxi.tasks.models import Task
from guanxi.tasks.metrics import task_metrics
from guanxi.tasks.reminders import task_reminders_send
from guanxi.workspaces.choices import Role

pytestmark = pytest.mark.django_db

def timed(fn, n=7):
    xs = []
    for _ in range(n):
        t = time.perf_counter(); fn(); xs.append((time.perf_counter() - t) * 1000)
    xs.sort(); return round(xs[len(xs)//2]), round(xs[-1])

def test_scale(admin, member):
    users = [admin.user] + [member(Role.SALES).user for _ in range(20)]
    now = timezone.now()
    rows = []
    for i in range(100_000):
        due = now + timedelta(hours=random.randint(-24*60, 24*60))
        done = random.random() < 0.5
        rows.append(Task(workspace=admin.workspace, owner=random.choice(users), title=f"t{i}",
            due_at=due, status="done" if done else "open", completed_at=due - timedelta(hours=1) if done else None,
            remind_at=due - timedelta(minutes=30) if i % 100 == 0 else None))
    Task.objects.bulk_create(rows, batch_size=5000)
    client = ui_client(admin)
    client.get("/tasks/mine/")
    zone = ZoneInfo("Asia/Shanghai")
    print("\nmine list", timed(lambda: client.get("/tasks/mine/")))
    print("team list", timed(lambda: client.get("/tasks/")))
    print("team list overdue", timed(lambda: client.get("/tasks/?overdue=true")))
    print("calendar month team", timed(lambda: client.get("/tasks/calendar/?scope=team")))
    print("calendar month mine", timed(lambda: client.get("/tasks/calendar/")))
    print("calendar week mine", timed(lambda: client.get("/tasks/calendar/?mode=week")))
    today = now.date()
    print("metrics 60d", timed(lambda: task_metrics(membership=admin, start=today - timedelta(days=60), end=today, zone=zone)))
    print("metrics page", timed(lambda: client.get("/tasks/metrics/")))
    print("api metrics", timed(lambda: client.get("/api/v1/tasks/metrics/")))
    t = time.perf_counter(); n = task_reminders_send(now=now + timedelta(days=61)); print("reminders", n, round((time.perf_counter()-t)*1000))
