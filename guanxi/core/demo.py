"""Demo data: a workspace with one user per role, and realistic companies and contacts in bulk."""

from __future__ import annotations

import datetime
import functools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from faker import Faker

from guanxi.audit.choices import AuditAction
from guanxi.audit.context import snapshots_skipped
from guanxi.audit.recording import diff, record_bulk, snapshot
from guanxi.companies.choices import (
    CompanySize,
    CreditLevel,
    CustomerType,
    Industry,
    LifecycleStage,
    Source,
)
from guanxi.companies.models import Company
from guanxi.contacts.choices import Gender
from guanxi.contacts.models import Contact
from guanxi.core.database import planner_statistics_refresh
from guanxi.core.demo_modules import ModuleCounts, demo_modules_create
from guanxi.core.fields import blind_index_of
from guanxi.core.inserts import instances_insert, rows_insert
from guanxi.core.pii import email_index_form, mobile_index_form
from guanxi.core.services import tags_by_name
from guanxi.users.models import User
from guanxi.workspaces.choices import Role
from guanxi.workspaces.models import Membership, Workspace
from guanxi.workspaces.services import member_add, team_create, workspace_create

DEMO_PASSWORD = "guanxi-demo-2026"
DEMO_SLUG = "demo"
DEMO_NAME = "关系科技（演示）"
DEMO_EMAIL_DOMAIN = "demo.guanxi.example"
SALES_TEAM = "华东销售部"
SERVICE_TEAM = "客户服务部"
# username, role, team, display name
DEMO_MEMBERS = (
    ("admin", Role.ADMIN, None, "王芳"),
    ("manager", Role.MANAGER, SALES_TEAM, "李强"),
    ("sales", Role.SALES, SALES_TEAM, "张伟"),
    ("sales2", Role.SALES, SALES_TEAM, "Emily Carter"),
    ("marketing", Role.MARKETING, None, "陈静"),
    ("service", Role.SERVICE, SERVICE_TEAM, "刘洋"),
    ("viewer", Role.VIEWER, None, "赵磊"),
)
DEMO_TAGS = ("VIP", "重点客户", "Newsletter", "合作伙伴", "待跟进")
OWNER_ROLES = (Role.MANAGER, Role.SALES)

# Faker costs 10–150 µs per value: values are drawn once into pools and combined per row.
POOL_SIZE = 1500
BATCH_SIZE = 2000
ENGLISH_SHARE = 0.3
INDIVIDUAL_SHARE = 0.25
UNOWNED_SHARE = 0.05
TAGGED_SHARE = 0.35

CN_MOBILE_PREFIXES = tuple(
    str(prefix)
    for prefix in (
        *range(130, 140),
        *range(150, 160),
        166,
        *range(176, 179),
        *range(180, 190),
        198,
        199,
    )
)
US_AREA_CODES = ("212", "415", "646", "310", "617", "312", "206", "512", "408", "650")
CN_AREA_CODES = ("10", "21", "20", "755", "571", "28", "27", "25", "512", "532")
CN_FREE_MAIL = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com", "aliyun.com")
CN_COMPANY_FORMS = ("有限公司", "股份有限公司", "集团有限公司")
EN_COMPANY_FORMS = ("Inc.", "LLC", "Ltd.", "Group", "Holdings", "& Co.")
CN_INDUSTRY_WORDS = {
    Industry.MANUFACTURING: ("制造", "机械", "电子", "精密仪器"),
    Industry.RETAIL: ("商贸", "百货", "电子商务"),
    Industry.FINANCE: ("投资", "金融服务", "资产管理"),
    Industry.TECHNOLOGY: ("科技", "信息技术", "网络科技", "软件"),
    Industry.HEALTHCARE: ("医疗器械", "生物医药", "健康管理"),
    Industry.EDUCATION: ("教育科技", "文化发展"),
    Industry.REAL_ESTATE: ("置业", "房地产开发", "物业管理"),
    Industry.LOGISTICS: ("物流", "供应链管理", "国际货运"),
    Industry.ENERGY: ("能源", "新能源", "电力工程"),
    Industry.HOSPITALITY: ("酒店管理", "餐饮管理", "旅游发展"),
    Industry.GOVERNMENT: ("城市建设投资", "公共服务"),
    Industry.OTHER: ("咨询", "文化传媒", "贸易"),
}
LIFECYCLE_WEIGHTS = {
    LifecycleStage.SUBSCRIBER: 10,
    LifecycleStage.LEAD: 30,
    LifecycleStage.PROSPECT: 20,
    LifecycleStage.CUSTOMER: 25,
    LifecycleStage.LOYAL: 10,
    LifecycleStage.CHURNED: 5,
}
CUSTOMER_STAGES = {LifecycleStage.CUSTOMER, LifecycleStage.LOYAL}
# `Choices.values` builds a new list on every access: read them once
INDUSTRIES, SOURCES, SIZES, CREDIT_LEVELS = (
    tuple(choices.values) for choices in (Industry, Source, CompanySize, CreditLevel)
)
STAGES, STAGE_CUM_WEIGHTS = tuple(LIFECYCLE_WEIGHTS), tuple(accumulate(LIFECYCLE_WEIGHTS.values()))


@dataclass
class DemoLogin:
    username: str
    role: str
    password: str  # empty when the user existed before and keeps their own password


@dataclass
class DemoResult:
    workspace: Workspace
    logins: list[DemoLogin] = field(default_factory=list)
    companies: int = 0
    contacts: int = 0
    modules: ModuleCounts = field(default_factory=ModuleCounts)


# --- the workspace and its people -----------------------------------------------------------
@transaction.atomic
def demo_workspace_create(*, slug: str = DEMO_SLUG, name: str = DEMO_NAME) -> DemoResult:
    """A workspace with two teams and one member per role; users are reused across workspaces."""
    users, logins = {}, []
    # PBKDF2 takes ~0.3 s by design: hash the public demo password at most once per run
    password_hash = functools.cache(make_password)
    for username, role, _team, display_name in DEMO_MEMBERS:
        users[username], created = _demo_user(username, display_name, password_hash)
        logins.append(DemoLogin(username, role, DEMO_PASSWORD if created else ""))
    workspace = workspace_create(name=name, slug=slug, admin=users["admin"])
    teams = {
        team_name: team_create(workspace=workspace, name=team_name)
        for team_name in (SALES_TEAM, SERVICE_TEAM)
    }
    for username, role, team_name, _display in DEMO_MEMBERS:
        if role != Role.ADMIN:
            member_add(
                workspace=workspace,
                email=users[username].email,
                role=role,
                team=teams.get(team_name),
                invite=False,
            )
    return DemoResult(workspace=workspace, logins=logins)


def _demo_user(
    username: str, display_name: str, password_hash: Callable[[str], str]
) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@{DEMO_EMAIL_DOMAIN}", "display_name": display_name},
    )
    if created:
        # no password validators and one shared salt on purpose: the demo password is public
        user.password = password_hash(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user, created


# --- pools of Faker values ------------------------------------------------------------------
@dataclass
class LocalePool:
    """Values drawn once from one Faker locale; rows combine them at random."""

    chinese: bool
    surnames: list[str]
    male_names: list[str]
    female_names: list[str]
    user_names: list[str]
    provinces: list[str]
    cities: list[str]
    districts: list[str]
    streets: list[str]
    postcodes: list[str]
    jobs: list[str]
    words: list[str]
    faker: Faker

    @classmethod
    def draw(cls, faker: Faker, *, size: int, chinese: bool) -> LocalePool:
        def many(make: Callable[[], str], count: int = size) -> list[str]:
            return [make() for _ in range(count)]

        return cls(
            chinese=chinese,
            surnames=many(faker.last_name),
            male_names=many(faker.first_name_male),
            female_names=many(faker.first_name_female),
            user_names=many(faker.user_name),
            provinces=many(faker.province if chinese else faker.state, 60),
            cities=many(faker.city_name if chinese else faker.city, 200),
            districts=many(faker.district, 200) if chinese else [""],
            streets=many(faker.street_address),
            postcodes=many(faker.postcode, 200),
            jobs=many(faker.job, 300),
            words=[w for w in many(faker.domain_word, 300) if w.isascii() and w.isalpha()]
            or ["example"],
            faker=faker,
        )

    def person_name(self, rng: random.Random, gender: str) -> str:
        given = rng.choice(self.male_names if gender == Gender.MALE else self.female_names)
        surname = rng.choice(self.surnames)
        return surname + given if self.chinese else f"{given} {surname}"

    def address(self, rng: random.Random) -> dict[str, str]:
        return {
            "country": "中国" if self.chinese else "United States",
            "province": rng.choice(self.provinces),
            "city": rng.choice(self.cities),
            "district": rng.choice(self.districts),
            "street": rng.choice(self.streets),
            "postcode": rng.choice(self.postcodes),
        }


@dataclass
class CompanyTraits:
    """What contacts inherit from their company."""

    id: Any
    domain: str
    industry: str
    lifecycle_stage: str
    owner_id: Any


class RecordFaker:
    """Builds unsaved companies and contacts, unique where the workspace requires it."""

    def __init__(self, *, workspace: Workspace, owner_ids: list, rows: int, seed: int | None):
        self.workspace = workspace
        self.rng = random.Random(seed)
        size = max(20, min(POOL_SIZE, rows))
        zh, en = Faker("zh_CN"), Faker("en_US")
        zh.seed_instance(seed)
        en.seed_instance(seed)
        self.zh = LocalePool.draw(zh, size=size, chinese=True)
        self.en = LocalePool.draw(en, size=size, chinese=False)
        self.owner_ids = owner_ids
        self.tag_names: dict = {}
        existing = Contact.objects.filter(workspace=workspace)
        self.mobile_indexes = set(
            existing.exclude(mobile_index="").values_list("mobile_index", flat=True)
        )
        self.email_indexes = set(
            existing.exclude(email_index="").values_list("email_index", flat=True)
        )
        self.company_names = set(
            Company.objects.filter(workspace=workspace).values_list("name", flat=True)
        )

    # --- shared ---
    def locale(self) -> LocalePool:
        return self.en if self.rng.random() < ENGLISH_SHARE else self.zh

    def owner_id(self) -> Any:
        if not self.owner_ids or self.rng.random() < UNOWNED_SHARE:
            return None  # the team's shared pool
        return self.rng.choice(self.owner_ids)

    def classification(self) -> dict[str, Any]:
        stage = self.rng.choices(STAGES, cum_weights=STAGE_CUM_WEIGHTS)[0]
        return {
            "industry": self.rng.choice(INDUSTRIES),
            "source": self.rng.choice(SOURCES),
            "lifecycle_stage": stage,
            "customer_type": CustomerType.CUSTOMER
            if stage in CUSTOMER_STAGES
            else CustomerType.PROSPECT,
        }

    def pick_tags(self) -> list[str]:
        if self.rng.random() >= TAGGED_SHARE:
            return []
        return self.rng.sample(DEMO_TAGS, self.rng.randint(1, 2))

    # --- companies ---
    def company(self) -> tuple[Company, CompanyTraits]:
        pool = self.locale()
        data = self.classification()
        if self.rng.random() < 0.05:
            data["customer_type"] = self.rng.choice([CustomerType.PARTNER, CustomerType.SUPPLIER])
        name, short_name = self.company_name(pool, data["industry"])
        domain = f"{self.rng.choice(pool.words)}.{'com.cn' if pool.chinese else 'com'}"
        has_credit = self.rng.random() < 0.5
        company = Company(
            workspace=self.workspace,
            name=name,
            short_name=short_name,
            size=self.rng.choice(SIZES),
            website=f"https://www.{domain}",
            phone=self.switchboard(pool),
            owner_id=self.owner_id(),
            credit_level=self.rng.choice(CREDIT_LEVELS) if has_credit else "",
            credit_score=self.rng.randint(300, 950) if has_credit else None,
            **data,
            **pool.address(self.rng),
        )
        traits = CompanyTraits(
            company.id, domain, data["industry"], data["lifecycle_stage"], company.owner_id
        )
        return company, traits

    def company_name(self, pool: LocalePool, industry: str) -> tuple[str, str]:
        for attempt in range(1000):
            if pool.chinese:
                brand = pool.faker.company_prefix()
                words = CN_INDUSTRY_WORDS[industry]
                name = f"{self.rng.choice(pool.cities)}{brand}{self.rng.choice(words)}{self.rng.choice(CN_COMPANY_FORMS)}"
            else:
                brand = self.rng.choice(pool.surnames)
                partner = self.rng.choice(pool.surnames)
                name = self.rng.choice(
                    [f"{brand} {self.rng.choice(EN_COMPANY_FORMS)}", f"{brand}-{partner}"]
                )
            if attempt > 10:  # a crowded workspace: number the branch
                name = f"{name} {attempt}"
            if name not in self.company_names:
                self.company_names.add(name)
                return name, brand
        raise RuntimeError("Could not find a free company name.")

    def switchboard(self, pool: LocalePool) -> str:
        if pool.chinese:
            return f"0{self.rng.choice(CN_AREA_CODES)}-{self.rng.randint(20000000, 89999999)}"
        area = self.rng.choice(US_AREA_CODES)
        return f"+1 {area}-{self.rng.randint(200, 999)}-{self.rng.randrange(10**4):04d}"

    # --- contacts ---
    def contact(self, company: CompanyTraits | None) -> Contact:
        pool = self.locale()
        gender = self.rng.choice([Gender.MALE, Gender.FEMALE])
        data = self.classification()
        owner_id = self.owner_id()
        if company is not None:
            data["industry"], data["lifecycle_stage"] = company.industry, company.lifecycle_stage
            if self.rng.random() < 0.7:
                owner_id = company.owner_id
        domain = (
            company.domain
            if company is not None
            else self.rng.choice(CN_FREE_MAIL if pool.chinese else ("gmail.com", "outlook.com"))
        )
        return Contact(
            workspace=self.workspace,
            name=pool.person_name(self.rng, gender),
            gender=gender,
            birthday=self.birthday(),
            mobile=self.unique_mobile(pool) if self.rng.random() < 0.95 else "",
            email=self.unique_email(pool, domain) if self.rng.random() < 0.85 else "",
            id_number=pool.faker.ssn() if pool.chinese and self.rng.random() < 0.05 else "",
            company_id=company.id if company else None,
            job_title=self.rng.choice(pool.jobs) if company else "",
            owner_id=owner_id,
            **data,
            **pool.address(self.rng),
        )

    def birthday(self) -> datetime.date | None:
        if self.rng.random() >= 0.3:
            return None
        return datetime.date(1960, 1, 1) + datetime.timedelta(days=self.rng.randrange(42 * 365))

    def unique_mobile(self, pool: LocalePool) -> str:
        while True:
            if not pool.chinese and self.rng.random() < 0.5:
                # already E.164, and valid for these area codes (what normalise_mobile stores)
                number = f"+1{self.rng.choice(US_AREA_CODES)}{self.rng.randint(200, 999)}{self.rng.randrange(10**4):04d}"
            else:
                number = f"{self.rng.choice(CN_MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"
            if self.claim(self.mobile_indexes, blind_index_of(number, mobile_index_form)):
                return number

    def unique_email(self, pool: LocalePool, domain: str) -> str:
        local = self.rng.choice(pool.user_names)
        email = f"{local}@{domain}"
        while not self.claim(self.email_indexes, blind_index_of(email, email_index_form)):
            email = f"{local}{self.rng.randrange(10, 100_000)}@{domain}"
        return email

    @staticmethod
    def claim(taken: set[str], index: str) -> bool:
        if index in taken:
            return False
        taken.add(index)
        return True


# --- bulk insertion -------------------------------------------------------------------------
def demo_owner_ids(workspace: Workspace) -> list:
    return list(
        Membership.objects.filter(
            workspace=workspace, role__in=OWNER_ROLES, is_active=True
        ).values_list("user_id", flat=True)
    )


@transaction.atomic
def demo_records_create(
    *, workspace: Workspace, companies: int, contacts: int, seed: int | None = None
) -> tuple[int, int]:
    """Adds companies and contacts with bulk inserts and bulk audit rows; returns the counts."""
    faker = RecordFaker(
        workspace=workspace,
        owner_ids=demo_owner_ids(workspace),
        rows=companies + contacts,
        seed=seed,
    )
    tags = {tag.name: tag for tag in tags_by_name(workspace=workspace, names=DEMO_TAGS)}
    companies_made: list[CompanyTraits] = []
    for size in _batches(companies):
        with snapshots_skipped():
            built = [faker.company() for _ in range(size)]
        _insert(Company, [company for company, _traits in built], faker, tags)
        companies_made.extend(traits for _company, traits in built)
    for size in _batches(contacts):
        with snapshots_skipped():
            batch = [
                faker.contact(
                    faker.rng.choice(companies_made)
                    if companies_made and faker.rng.random() > INDIVIDUAL_SHARE
                    else None
                )
                for _ in range(size)
            ]
        _insert(Contact, batch, faker, tags)
    return companies, contacts


def _batches(total: int) -> Iterator[int]:
    for start in range(0, total, BATCH_SIZE):
        yield min(BATCH_SIZE, total - start)


def _insert(
    model: type[models.Model], records: list, faker: RecordFaker, tags: dict[str, Any]
) -> None:
    """One INSERT per batch for rows, tag links and audit events."""
    instances_insert(model, records, batch_size=500)
    tagged = {record.pk: faker.pick_tags() for record in records}
    through = model.tags.through
    link_fields = [through._meta.get_field(model._meta.model_name), through._meta.get_field("tag")]
    rows_insert(
        through,
        link_fields,
        [(pk, tags[name].pk) for pk, names in tagged.items() for name in names],
        batch_size=1000,
    )

    def created(record: models.Model) -> dict[str, list[Any]]:
        # what the post_save signal records for a create: every non-empty field, from nothing
        changes = diff(model, {}, snapshot(record))
        if tagged[record.pk]:
            changes["tags"] = [[], sorted(tagged[record.pk])]
        return changes

    record_bulk(records, AuditAction.CREATE, created)


def demo_create(
    *,
    slug: str = DEMO_SLUG,
    companies: int,
    contacts: int,
    seed: int | None = None,
    activity: float = 1.0,
) -> DemoResult:
    """The demo workspace (created when missing) with this many more companies and contacts,
    and `activity` × the modules' demo sizes of members, deals, tasks… (0: none)."""
    workspace = Workspace.objects.filter(slug=slug).first()
    result = demo_workspace_create(slug=slug) if workspace is None else DemoResult(workspace)
    result.companies, result.contacts = demo_records_create(
        workspace=result.workspace, companies=companies, contacts=contacts, seed=seed
    )
    result.modules = demo_modules_create(workspace=result.workspace, scale=activity, seed=seed)
    if companies or contacts or result.modules.total():
        planner_statistics_refresh()
    return result
