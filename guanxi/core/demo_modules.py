"""Demo activity for the modules: members, interactions, leads, deals, tasks and sales targets.

Unlike companies and contacts (bulk inserts), these go through each app's services, so level
rules, scoring, stage history and audit rows are exactly what a user's own work would produce.
The amounts are modest (a few hundred rows per module) to keep `make run` quick.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker

from guanxi.analytics.models import SalesTarget
from guanxi.analytics.services import sales_target_create
from guanxi.companies.choices import CompanySize, Industry, Source
from guanxi.companies.models import Company
from guanxi.contacts.models import Contact
from guanxi.interactions.choices import Channel, Direction, InteractionStatus
from guanxi.interactions.services import interaction_create
from guanxi.leads.choices import LeadPriority, LeadStatus
from guanxi.leads.services import lead_create
from guanxi.members.choices import MemberStatus, TransactionKind
from guanxi.members.models import Member
from guanxi.members.selectors import loyalty_settings_of
from guanxi.members.services import member_enrol, transaction_record
from guanxi.opportunities.choices import OpportunitySource, StageKind
from guanxi.opportunities.models import Stage
from guanxi.opportunities.services import (
    default_pipeline,
    opportunity_create,
    opportunity_move,
    pipeline_stages,
)
from guanxi.tasks.choices import TaskKind, TaskPriority, TaskStatus
from guanxi.tasks.services import task_create
from guanxi.users.models import User
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Workspace

# rows per module at scale 1 (`make run`)
FULL_SIZES = {"members": 150, "interactions": 300, "leads": 200, "opportunities": 120, "tasks": 60}
# the user whose dashboard shows follow-ups and tasks due today and overdue
FOCUS_USERNAME = "sales"
SELLER_ROLES = (Role.MANAGER, Role.SALES)
CENT = Decimal("0.01")

PRODUCTS = (
    ("GX-CRM-PRO", "关系CRM 专业版（年费）"),
    ("GX-CRM-ENT", "关系CRM 企业版（年费）"),
    ("GX-LOYALTY", "会员营销模块"),
    ("GX-BI", "数据分析模块"),
    ("GX-TRAIN", "实施与培训服务"),
    ("TEA-LJ-250", "明前龙井礼盒 250g"),
    ("TEA-PE-357", "云南普洱饼茶 357g"),
    ("SILK-SC-01", "杭州真丝围巾"),
)
STORES = ("天猫旗舰店", "京东自营", "微信小程序", "上海南京西路门店", "北京三里屯门店")
# tier → share of members; the totals drawn for each tier land them in it
LEVEL_WEIGHTS = {"normal": 55, "vip": 30, "svip": 15}
INTERACTION_SUBJECTS = {
    Channel.CALL: ("电话回访：了解使用情况", "电话沟通报价细节", "确认下周拜访时间"),
    Channel.EMAIL: ("发送产品资料与报价单", "回复合同条款疑问", "节日问候与新品介绍"),
    Channel.MEETING: ("需求调研会议", "方案评审会", "季度业务回顾"),
    Channel.WECHAT: ("微信沟通试用反馈", "微信发送案例资料", "微信确认付款进度"),
    Channel.VISIT: ("上门拜访采购负责人", "陪同客户参观展厅", "现场实施检查"),
    Channel.SMS: ("短信提醒续费", "短信确认会议时间"),
    Channel.NOTE: ("内部备注：客户预算调整", "内部备注：决策链变化"),
}
INTERACTION_NOTES = (
    "客户对会员营销模块很感兴趣，希望看到零售行业案例。",
    "对方表示预算在审批中，预计下月初有结果。",
    "采购部要求提供三家比价，已答应本周内发送。",
    "客户反馈系统响应快，希望增加报表导出功能。",
    "决策人是总经理，需要安排一次高层会面。",
)
LEAD_CHANNELS = ("官网表单", "微信公众号", "进博会展位", "百度推广", "老客户推荐", "行业峰会")
LEAD_JOBS = ("采购经理", "IT总监", "市场总监", "总经理", "运营主管", "销售总监")
LOST_REASONS = ("价格超出预算", "选择了竞争对手", "项目暂停", "需求与产品不匹配")
TASK_TITLES = (
    "回访{contact}，确认试用反馈",
    "给{company}准备报价单",
    "与{contact}确认合同条款",
    "安排{company}产品演示",
    "整理{company}需求清单",
    "提醒{contact}续费",
)


@dataclass
class ModuleCounts:
    members: int = 0
    transactions: int = 0
    interactions: int = 0
    leads: int = 0
    opportunities: int = 0
    tasks: int = 0
    sales_targets: int = 0

    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass
class DemoScene:
    """What every module's seeding draws from: the people, the customers and one random source."""

    workspace: Workspace
    rng: random.Random
    faker: Faker
    today: datetime.date
    sellers: list[User]
    focus: User | None
    contacts: list[Contact]  # a deterministic sample, customers with a company first
    companies: list[Company]

    def seller(self) -> User:
        # the focus user does a bit more than their share, so their "today" screens are full
        if self.focus is not None and self.rng.random() < 0.1:
            return self.focus
        return self.rng.choice(self.sellers)

    def days_ago(self, low: int, high: int) -> datetime.date:
        return self.today - datetime.timedelta(days=self.rng.randint(low, high))

    def moment(self, day: datetime.date, hour: int | None = None) -> datetime.datetime:
        time = datetime.time(hour if hour is not None else self.rng.randint(9, 18), 0)
        return timezone.make_aware(datetime.datetime.combine(day, time))


def demo_scene(*, workspace: Workspace, seed: int | None) -> DemoScene:
    rng = random.Random(seed)
    faker = Faker("zh_CN")
    faker.seed_instance(seed if seed is not None else rng.randrange(2**32))
    sellers = list(
        User.objects.filter(
            memberships__workspace=workspace,
            memberships__role__in=SELLER_ROLES,
            memberships__is_active=True,
        ).order_by("username")
    )
    focus = next((user for user in sellers if user.username == FOCUS_USERNAME), None)
    contacts = list(Contact.objects.for_workspace(workspace).order_by("id")[:2000])
    rng.shuffle(contacts)
    contacts.sort(key=lambda contact: contact.company_id is None)
    companies = list(Company.objects.for_workspace(workspace).order_by("id")[:1000])
    return DemoScene(
        workspace=workspace,
        rng=rng,
        faker=faker,
        today=timezone.localdate(),
        sellers=sellers,
        focus=focus,
        contacts=contacts,
        companies=companies,
    )


@transaction.atomic
def demo_modules_create(
    *, workspace: Workspace, scale: float = 1.0, seed: int | None = None
) -> ModuleCounts:
    """Seeds every module at `scale` × FULL_SIZES (0: nothing) and returns what was added."""
    counts = ModuleCounts()
    if scale <= 0:
        return counts
    scene = demo_scene(workspace=workspace, seed=seed)
    if not scene.sellers:
        return counts
    size = {name: max(1, round(rows * scale)) for name, rows in FULL_SIZES.items()}
    counts.members, counts.transactions = demo_members_create(scene, size["members"])
    counts.interactions = demo_interactions_create(scene, size["interactions"])
    counts.leads = demo_leads_create(scene, size["leads"])
    counts.opportunities = demo_opportunities_create(scene, size["opportunities"])
    counts.tasks = demo_tasks_create(scene, size["tasks"])
    counts.sales_targets = demo_sales_targets_create(scene)
    return counts


# --- members ------------------------------------------------------------------------------
def demo_members_create(scene: DemoScene, count: int) -> tuple[int, int]:
    """Members spread over the levels by their purchases (2–6 each, now and then a return)."""
    enrolled = set(
        Member.objects.for_workspace(scene.workspace).values_list("contact_id", flat=True)
    )
    candidates = [contact for contact in scene.contacts if contact.pk not in enrolled][:count]
    settings = loyalty_settings_of(scene.workspace)
    rng, transactions = scene.rng, 0
    for contact in candidates:
        joined = scene.days_ago(60, 900)
        member = member_enrol(
            workspace=scene.workspace,
            contact=contact,
            actor=None,
            joined_at=joined,
            status=MemberStatus.FROZEN if rng.random() < 0.03 else MemberStatus.ACTIVE,
        )
        for kind, amount, day in _purchases(scene, settings, joined):
            transaction_record(
                workspace=scene.workspace,
                member=member,
                actor=None,
                kind=kind,
                amount=amount,
                occurred_on=day,
                channel=rng.choice(STORES),
                items=_items(rng, amount) if kind == TransactionKind.PURCHASE else [],
            )
            transactions += 1
    return len(candidates), transactions


def _purchases(
    scene: DemoScene, settings: object, joined: datetime.date
) -> list[tuple[str, Decimal, datetime.date]]:
    rng = scene.rng
    vip, svip = settings.vip_threshold, settings.svip_threshold
    tier = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    low, high = {"normal": (vip * Decimal("0.1"), vip * Decimal("0.9"))}.get(
        tier, (vip * Decimal("1.1"), svip * Decimal("0.9"))
    )
    if tier == "svip":
        low, high = svip * Decimal("1.1"), svip * 3
    total = Decimal(str(rng.uniform(float(low), float(high)))).quantize(CENT)
    shares = [rng.uniform(0.5, 2) for _ in range(rng.randint(2, 6))]
    amounts = [(total * Decimal(share / sum(shares))).quantize(CENT) for share in shares]
    amounts[-1] = max(CENT, total - sum(amounts[:-1]))
    span = max(1, (scene.today - joined).days)
    days = sorted(joined + datetime.timedelta(days=rng.randint(0, span)) for _ in amounts)
    rows = [
        (TransactionKind.PURCHASE, amount, day) for amount, day in zip(amounts, days, strict=True)
    ]
    if rng.random() < 0.1:  # a partial return of the first purchase
        returned = (amounts[0] * Decimal(str(rng.uniform(0.1, 0.4)))).quantize(CENT)
        rows.insert(1, (TransactionKind.RETURN, returned, days[0]))
    return rows


def _items(rng: random.Random, amount: Decimal) -> list[dict]:
    sku, name = rng.choice(PRODUCTS)
    return [{"sku": sku, "name": name, "qty": 1, "price": str(amount)}]


# --- interactions -------------------------------------------------------------------------
def demo_interactions_create(scene: DemoScene, count: int) -> int:
    """Calls, visits, WeChat… of the last four months; some follow-ups due today or overdue."""
    rng = scene.rng
    for number in range(count):
        contact = rng.choice(scene.contacts) if scene.contacts else None
        follow_up = _follow_up(scene, number)
        owner = scene.focus if follow_up else scene.seller()
        channel = rng.choice(list(INTERACTION_SUBJECTS))
        if follow_up is None and rng.random() < 0.3:
            follow_up = scene.today + datetime.timedelta(days=rng.randint(1, 21))
        interaction_create(
            workspace=scene.workspace,
            actor=owner,
            owner=owner,
            contact=contact,
            company=contact.company if contact and contact.company_id else None,
            occurred_at=scene.moment(scene.days_ago(0, 120)),
            channel=channel,
            direction=Direction.INTERNAL
            if channel == Channel.NOTE
            else rng.choice([Direction.INBOUND, Direction.OUTBOUND, Direction.OUTBOUND]),
            subject=rng.choice(INTERACTION_SUBJECTS[channel]),
            content=f"<p>{rng.choice(INTERACTION_NOTES)}</p>",
            status=rng.choice(InteractionStatus.values),
            next_follow_up=follow_up,
        )
    return count


def _follow_up(scene: DemoScene, number: int) -> datetime.date | None:
    """Every few interactions one of the focus user's, due today or a few days late."""
    if scene.focus is None:
        return None
    if number % 20 == 0:
        return scene.today
    if number % 20 == 1:
        return scene.days_ago(1, 6)
    return None


# --- leads --------------------------------------------------------------------------------
def demo_leads_create(scene: DemoScene, count: int) -> int:
    """Leads with the behaviour the scoring model weighs, so scores and MQL/SQL vary."""
    rng, faker = scene.rng, scene.faker
    statuses = [status for status in LeadStatus.values if status != LeadStatus.CONVERTED]
    for _number in range(count):
        interest = rng.choices([None, 1, 2, 3, 4, 5], weights=[10, 15, 25, 25, 15, 10])[0]
        lead_create(
            workspace=scene.workspace,
            actor=None,
            owner=scene.seller() if rng.random() < 0.85 else None,
            name=faker.name(),
            company_name=faker.company(),
            job_title=rng.choice(LEAD_JOBS),
            mobile=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
            email=f"{faker.user_name()}{rng.randrange(100, 999)}@{faker.free_email_domain()}",
            source=rng.choice(Source.values),
            channel=rng.choice(LEAD_CHANNELS),
            province=faker.province(),
            city=faker.city_name(),
            industry=rng.choice(Industry.values),
            company_size=rng.choice(CompanySize.values),
            product_interest=rng.choice(PRODUCTS[:5])[1],
            status=rng.choices(statuses, weights=[35, 25, 15, 15, 10])[0],
            priority=rng.choice(LeadPriority.values),
            visits=int(rng.expovariate(1 / 6)),
            email_opens=rng.randint(0, 12),
            email_clicks=rng.randint(0, 5),
            form_submissions=rng.randint(0, 3),
            expressed_interest=interest,
            consent=rng.random() < 0.8,
        )
    return count


# --- opportunities ------------------------------------------------------------------------
def demo_opportunities_create(scene: DemoScene, count: int) -> int:
    """Deals moved stage by stage through the default pipeline; about a fifth won, some lost."""
    rng = scene.rng
    pipeline = default_pipeline(scene.workspace)
    stages = list(pipeline_stages(pipeline))
    open_stages = [stage for stage in stages if stage.kind == StageKind.OPEN]
    won = [stage for stage in stages if stage.kind == StageKind.WON]
    lost = next((stage for stage in stages if stage.kind == StageKind.LOST), None)
    by_company: dict = {}
    for contact in scene.contacts:
        if contact.company_id:
            by_company.setdefault(contact.company_id, contact)
    for _number in range(count):
        contact = rng.choice(list(by_company.values())) if by_company else None
        company = contact.company if contact else None
        owner = scene.seller()
        product = rng.choice(PRODUCTS[:5])[1]
        opportunity = opportunity_create(
            workspace=scene.workspace,
            actor=owner,
            owner=owner,
            name=f"{company.name if company else scene.faker.company()} · {product}",
            company=company,
            primary_contact=contact,
            amount=Decimal(rng.randint(4, 160) * 5000),
            expected_close=scene.today + datetime.timedelta(days=rng.randint(-20, 120)),
            source=rng.choice(OpportunitySource.values),
        )
        for stage, reason in _path(rng, open_stages, won, lost):
            opportunity = opportunity_move(
                opportunity=opportunity, stage=stage, actor=owner, lost_reason=reason
            )
    return count


def _path(
    rng: random.Random, open_stages: list[Stage], won: list[Stage], lost: Stage | None
) -> list[tuple[Stage, str]]:
    """The stages after the first that a deal goes through, one at a time."""
    outcome = rng.choices(["open", "won", "lost"], weights=[68, 20, 12])[0]
    if outcome == "won" and won:
        path = open_stages[1:] + won[: rng.choice([1, 1, len(won)])]
    elif outcome == "lost" and lost is not None:
        path = [*open_stages[1 : rng.randint(1, len(open_stages))], lost]
    else:
        path = open_stages[1 : rng.randint(1, len(open_stages))]
    reason = rng.choice(LOST_REASONS)
    return [(stage, reason if stage == lost else "") for stage in path]


# --- tasks --------------------------------------------------------------------------------
def demo_tasks_create(scene: DemoScene, count: int) -> int:
    """To-dos, calls and meetings; the focus user has some due today and some overdue."""
    rng = scene.rng
    for number in range(count):
        # every tenth task is the focus user's for today, the one after it overdue
        owner = scene.focus if scene.focus and number % 10 in (0, 1) else scene.seller()
        contact = rng.choice(scene.contacts) if scene.contacts else None
        company = contact.company if contact and contact.company_id else None
        due, status = _task_due(scene, number, owner)
        title = rng.choice(TASK_TITLES).format(
            contact=contact.name if contact else "客户",
            company=company.name if company else "客户",
        )
        task_create(
            workspace=scene.workspace,
            actor=owner,
            owner=owner,
            title=title[:200],
            kind=rng.choice(TaskKind.values),
            priority=rng.choices(TaskPriority.values, weights=[20, 50, 20, 10])[0],
            status=status,
            due_at=due,
            contact=contact,
            company=company,
        )
    return count


def _task_due(scene: DemoScene, number: int, owner: User) -> tuple[datetime.datetime, str]:
    if owner == scene.focus and number % 10 == 0:
        return scene.moment(scene.today, hour=scene.rng.choice([10, 14, 16, 17])), TaskStatus.OPEN
    if owner == scene.focus and number % 10 == 1:
        return scene.moment(scene.days_ago(1, 5)), TaskStatus.OPEN
    day = scene.today + datetime.timedelta(days=scene.rng.randint(-15, 20))
    if day < scene.today and scene.rng.random() < 0.7:
        return scene.moment(day), TaskStatus.DONE
    return scene.moment(day), scene.rng.choice([TaskStatus.OPEN, TaskStatus.IN_PROGRESS])


# --- sales targets ------------------------------------------------------------------------
def demo_sales_targets_create(scene: DemoScene) -> int:
    """This month's and next month's target for each seller who has none yet."""
    this_month = scene.today.replace(day=1)
    next_month = (this_month + datetime.timedelta(days=32)).replace(day=1)
    existing = set(
        SalesTarget.objects.for_workspace(scene.workspace).values_list("user_id", "month")
    )
    managers = set(
        Membership.objects.filter(workspace=scene.workspace, role=Role.MANAGER).values_list(
            "user_id", flat=True
        )
    )
    created = 0
    for seller in scene.sellers:
        base = 800_000 if seller.pk in managers else 400_000
        for month, growth in ((this_month, 1), (next_month, Decimal("1.1"))):
            if (seller.pk, month) in existing:
                continue
            sales_target_create(
                workspace=scene.workspace,
                actor=None,
                user=seller,
                month=month,
                amount=Decimal(base) * growth,
            )
            created += 1
    return created
