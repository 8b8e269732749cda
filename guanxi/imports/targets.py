"""The importer registry: per target the importable fields (labels, header aliases in Chinese
and English incl. Google and Outlook CSV headers), required fields, natural keys for upserts,
how raw cell text becomes a field value, and relation resolvers."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import pgettext_lazy

from guanxi.companies.choices import (
    CompanySize,
    CreditLevel,
    CustomerType,
    Industry,
    LifecycleStage,
    Source,
)
from guanxi.contacts.choices import Gender
from guanxi.core.fields import blind_index_of
from guanxi.core.pii import email_index_form, mobile_index_form, normalise_email, normalise_mobile

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日", "%d/%m/%Y")
HEADER_NOISE = re.compile(r"[\s_\-:：*（）()]+")
# import field keys of a workspace's custom fields: "cf:<definition key>"
CUSTOM_PREFIX = "cf:"


@dataclass(frozen=True)
class ImportField:
    key: str
    label: Promise
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text, date, int, choice, relation, member, tags, custom
    choices: type[models.TextChoices] | None = None
    # extra spellings accepted for choice values (e.g. 男 → male)
    choice_aliases: dict[str, str] = field(default_factory=dict)
    # where an export reads the value when it is not the record's own attribute
    source: str = ""

    def header_label(self, language: str) -> str:
        with translation.override(language):
            return str(self.label)


@dataclass(frozen=True)
class NaturalKey:
    """A field an upsert can match existing records on: the model attribute looked up and
    how a cell's text becomes that attribute's value."""

    field: str
    attribute: str
    lookup_value: Callable[[str], str]
    label: Promise


@dataclass(frozen=True)
class Target:
    key: str
    label: Promise
    resource: str
    # the record type custom field definitions name ("contacts.contact")
    model_label: str
    fields: tuple[ImportField, ...]
    natural_keys: tuple[NaturalKey, ...]
    # model-level import logic (importers.py), loaded lazily: models import late
    importer_path: str

    @property
    def fields_by_key(self) -> dict[str, ImportField]:
        return {f.key: f for f in self.fields}

    def natural_key(self, name: str) -> NaturalKey | None:
        return next((k for k in self.natural_keys if k.field == name), None)

    def importer(self) -> Any:
        from django.utils.module_loading import import_string

        return import_string(self.importer_path)(self)


REGISTRY: dict[str, Target] = {}


def register(target: Target) -> Target:
    REGISTRY[target.key] = target
    return target


def target_for(key: str) -> Target:
    return REGISTRY[key]


def available_targets() -> list[Target]:
    """Targets whose app is installed and whose importer exists (members arrive later)."""
    from django.utils.module_loading import import_string

    found = []
    for target in REGISTRY.values():
        try:
            import_string(target.importer_path)
        except ImportError:
            continue
        found.append(target)
    return found


# --- header auto-matching ---------------------------------------------------------------------
def normalise_header(text: str) -> str:
    return HEADER_NOISE.sub("", str(text)).casefold()


def custom_definitions(target: Target, workspace: Any) -> list[Any]:
    """The workspace's active custom field definitions for the target's records."""
    from guanxi.customfields.values import definitions_for

    return definitions_for(workspace, target.model_label)


def fields_for(target: Target, workspace: Any) -> tuple[ImportField, ...]:
    """The target's fields and the workspace's custom fields (keyed cf:<key>)."""
    custom = tuple(
        ImportField(
            f"{CUSTOM_PREFIX}{d.key}", d.label, (d.key,), required=d.required, kind="custom"
        )
        for d in custom_definitions(target, workspace)
    )
    return target.fields + custom


def auto_mapping(fields: tuple[ImportField, ...], headers: list[str]) -> dict[str, str]:
    """column index → field key for every header that names a field (each field at most once)."""
    names: dict[str, str] = {}
    for item in fields:
        spellings = [item.key, *item.aliases]
        for language in ("en", "zh-hans"):
            spellings.append(item.header_label(language))
        for spelling in spellings:
            names.setdefault(normalise_header(spelling), item.key)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = names.get(normalise_header(header))
        if key and key not in taken:
            mapping[str(index)] = key
            taken.add(key)
    return mapping


def template_mapping(template_headers: dict[str, str], headers: list[str]) -> dict[str, str]:
    """A saved template (header → field key) applied to this file's headers."""
    wanted = {normalise_header(h): key for h, key in template_headers.items() if key}
    mapping = {}
    for index, header in enumerate(headers):
        key = wanted.get(normalise_header(header))
        if key and key not in mapping.values():
            mapping[str(index)] = key
    return mapping


# --- cell text → value ------------------------------------------------------------------------
def parse_date(raw: str) -> datetime.date:
    text = raw.strip()
    if "T" in text:
        text = text.split("T", 1)[0]
    elif " " in text and len(text) > 10:
        text = text.split(" ", 1)[0]
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter a date like 2024-05-31."))


def parse_int(raw: str) -> int:
    try:
        value = int(raw.replace(",", "").strip())
    except ValueError as exc:
        raise ValidationError(_("Enter a whole number.")) from exc
    if abs(value) > 2**31:
        raise ValidationError(_("This number is too large."))
    return value


def choice_lookup(item: ImportField) -> dict[str, str]:
    """Code, English label and Chinese label (case-insensitive) → code."""
    lookup = {normalise_header(k): v for k, v in item.choice_aliases.items()}
    for code, label in item.choices.choices:
        lookup[normalise_header(code)] = code
        for language in ("en", "zh-hans"):
            with translation.override(language):
                lookup[normalise_header(str(label))] = code
    return lookup


def parse_choice(item: ImportField, raw: str, cache: dict[str, dict[str, str]]) -> str:
    lookup = cache.get(item.key)
    if lookup is None:
        lookup = cache[item.key] = choice_lookup(item)
    code = lookup.get(normalise_header(raw))
    if code is None:
        with translation.override(translation.get_language()):
            labels = ", ".join(str(label) for _code, label in item.choices.choices)
        raise ValidationError(_("Choose one of: %(labels)s.") % {"labels": labels})
    return code


def convert(item: ImportField, raw: str, cache: dict[str, dict[str, str]]) -> Any:
    """The value of a non-empty cell for this field; ValidationError if it cannot be one."""
    if item.kind == "date":
        return parse_date(raw)
    if item.kind == "int":
        return parse_int(raw)
    if item.kind == "choice":
        return parse_choice(item, raw, cache)
    return raw


# --- natural keys -----------------------------------------------------------------------------
def mobile_key(raw: str) -> str:
    try:
        return blind_index_of(normalise_mobile(raw), mobile_index_form)
    except ValidationError:
        return ""


def email_key(raw: str) -> str:
    try:
        return blind_index_of(normalise_email(raw), email_index_form)
    except ValidationError:
        return ""


def as_is(raw: str) -> str:
    return raw.strip()


EXTERNAL_ID = ImportField(
    "external_id", _lazy("external id"), ("外部编号", "外部ID", "External ID", "ID", "编号")
)
ADDRESS = (
    ImportField("country", _lazy("country"), ("国家", "国家/地区", "Country/Region")),
    ImportField("province", _lazy("province"), ("省份", "省", "State", "Region")),
    ImportField("city", _lazy("city"), ("城市", "市")),
    ImportField("district", _lazy("district"), ("区县", "区", "县")),
    ImportField(
        "street",
        _lazy("street address"),
        ("地址", "详细地址", "街道", "Street", "Address", "Business Street", "Home Street"),
    ),
    ImportField("postcode", _lazy("postcode"), ("邮编", "邮政编码", "Zip", "Postal Code")),
)
PROFILE = (
    ImportField("industry", _lazy("industry"), ("行业",), kind="choice", choices=Industry),
    ImportField(
        "source",
        _lazy("source"),
        ("来源", "客户来源", "渠道"),
        kind="choice",
        choices=Source,
    ),
    ImportField(
        "lifecycle_stage",
        _lazy("lifecycle stage"),
        ("阶段", "生命周期", "Stage"),
        kind="choice",
        choices=LifecycleStage,
    ),
    ImportField(
        "customer_type",
        _lazy("customer type"),
        ("客户类型", "类型", "Type"),
        kind="choice",
        choices=CustomerType,
    ),
    ImportField(
        "credit_level", _lazy("credit level"), ("信用等级",), kind="choice", choices=CreditLevel
    ),
    ImportField("credit_score", _lazy("credit score"), ("信用分", "信用评分"), kind="int"),
    ImportField("description", _lazy("notes"), ("备注", "说明", "Notes", "Note", "Remarks")),
    EXTERNAL_ID,
)

# a member of the workspace who owns the record, and its tags: the export's last two columns
OWNER = ImportField(
    "owner",
    _lazy("owner"),
    ("负责人", "所有者", "归属人", "跟进人", "销售负责人", "Owner", "Record owner", "Assigned to"),
    kind="member",
)
TAGS = ImportField("tags", _lazy("tags"), ("标签", "Tags", "Tag"), kind="tags")

COMPANIES = register(
    Target(
        key="companies",
        label=_lazy("Companies"),
        resource="companies",
        model_label="companies.company",
        fields=(
            ImportField(
                "name",
                _lazy("company name"),
                ("公司", "公司名称", "企业名称", "名称", "Company", "Name", "Organization"),
                required=True,
            ),
            ImportField("short_name", _lazy("short name"), ("简称", "公司简称")),
            ImportField(
                "size", _lazy("company size"), ("规模", "人数"), kind="choice", choices=CompanySize
            ),
            ImportField("website", _lazy("website"), ("网站", "官网", "Web Page", "URL")),
            ImportField(
                "phone", _lazy("switchboard phone"), ("电话", "总机", "Phone", "Business Phone")
            ),
            *PROFILE,
            *ADDRESS,
            OWNER,
            TAGS,
        ),
        natural_keys=(
            NaturalKey("name", "name", as_is, _lazy("company name")),
            NaturalKey("external_id", "external_id", as_is, _lazy("external id")),
        ),
        importer_path="guanxi.imports.importers.CompanyImporter",
    )
)

CONTACTS = register(
    Target(
        key="contacts",
        label=_lazy("Contacts"),
        resource="contacts",
        model_label="contacts.contact",
        fields=(
            ImportField(
                "name",
                pgettext_lazy("person", "name"),
                ("姓名", "名字", "联系人", "Name", "Full Name", "Display Name"),
                required=True,
            ),
            # Google and Outlook split names: given + family are joined into `name`
            ImportField(
                "given_name",
                _lazy("given name"),
                ("名", "Given Name", "First Name"),
            ),
            ImportField(
                "family_name",
                _lazy("family name"),
                ("姓", "Family Name", "Last Name", "Surname"),
            ),
            ImportField(
                "mobile",
                _lazy("mobile"),
                (
                    "手机",
                    "手机号",
                    "手机号码",
                    "电话",
                    "联系电话",
                    "Mobile",
                    "Phone",
                    "Mobile Phone",
                    "Cell",
                    "Phone 1 - Value",
                ),
            ),
            ImportField(
                "email",
                _lazy("email"),
                (
                    "邮箱",
                    "电子邮件",
                    "电子邮箱",
                    "邮件",
                    "Email",
                    "E-mail",
                    "E-mail 1 - Value",
                    "E-mail Address",
                ),
            ),
            ImportField(
                "gender",
                _lazy("gender"),
                ("性别", "Gender", "Sex"),
                kind="choice",
                choices=Gender,
                choice_aliases={"m": "male", "f": "female", "男性": "male", "女性": "female"},
            ),
            ImportField(
                "birthday", _lazy("birthday"), ("生日", "出生日期", "Birthday"), kind="date"
            ),
            ImportField(
                "company",
                _lazy("company"),
                (
                    "公司",
                    "公司名称",
                    "单位",
                    "工作单位",
                    "Company",
                    "Organization",
                    "Organization 1 - Name",
                ),
                kind="relation",
            ),
            ImportField(
                "company_external_id",
                _lazy("company external id"),
                ("公司外部编号", "Company ID"),
                kind="relation",
            ),
            ImportField(
                "job_title",
                _lazy("job title"),
                ("职位", "职务", "岗位", "Title", "Job Title", "Organization 1 - Title"),
            ),
            *PROFILE,
            *ADDRESS,
            OWNER,
            TAGS,
        ),
        natural_keys=(
            NaturalKey("mobile", "mobile_index", mobile_key, _lazy("mobile")),
            NaturalKey("email", "email_index", email_key, _lazy("email")),
            NaturalKey("external_id", "external_id", as_is, _lazy("external id")),
        ),
        importer_path="guanxi.imports.importers.ContactImporter",
    )
)


MEMBER_NUMBER_ALIASES = ("会员编号", "会员号", "会员卡号", "卡号", "Member number", "Member ID")
MOBILE_ALIASES = ("手机", "手机号", "手机号码", "电话", "Mobile", "Phone")


def member_fields() -> tuple[ImportField, ...]:
    from guanxi.members.choices import MemberStatus

    return (
        ImportField("member_number", _lazy("member number"), MEMBER_NUMBER_ALIASES),
        ImportField(
            "name",
            pgettext_lazy("person", "name"),
            ("姓名", "会员姓名", "Name"),
            source="contact.name",
        ),
        ImportField("mobile", _lazy("mobile"), MOBILE_ALIASES, source="contact.mobile"),
        ImportField("email", _lazy("email"), ("邮箱", "电子邮件", "Email"), source="contact.email"),
        ImportField(
            "status",
            _lazy("status"),
            ("状态", "会员状态", "Status"),
            kind="choice",
            choices=MemberStatus,
            choice_aliases={"正常": "active", "冻结": "frozen"},
        ),
        ImportField(
            "joined_at", _lazy("joined on"), ("入会日期", "加入日期", "Joined"), kind="date"
        ),
    )


def transaction_fields() -> tuple[ImportField, ...]:
    from guanxi.members.choices import TransactionKind

    return (
        ImportField(
            "member_number",
            _lazy("member number"),
            MEMBER_NUMBER_ALIASES,
            kind="relation",
            source="member.member_number",
        ),
        ImportField(
            "mobile",
            _lazy("member's mobile"),
            MOBILE_ALIASES,
            kind="relation",
            source="member.contact.mobile",
        ),
        ImportField(
            "kind",
            _lazy("type"),
            ("类型", "交易类型", "Type"),
            required=True,
            kind="choice",
            choices=TransactionKind,
            choice_aliases={
                "消费": "purchase",
                "购买": "purchase",
                "退货": "return",
                "退款": "return",
            },
        ),
        ImportField(
            "occurred_on",
            _lazy("date"),
            ("日期", "交易日期", "消费日期", "Date"),
            required=True,
            kind="date",
        ),
        ImportField("amount", _lazy("amount"), ("金额", "消费金额", "Amount"), required=True),
        ImportField("channel", _lazy("channel or store"), ("渠道", "门店", "Channel", "Store")),
        ImportField(
            "external_ref",
            _lazy("external reference"),
            ("外部单号", "订单号", "单号", "Reference", "Order number"),
        ),
    )


MEMBERS = register(
    Target(
        key="members",
        label=pgettext_lazy("loyalty", "Members"),
        resource="members",
        model_label="members.member",
        fields=member_fields(),
        natural_keys=(NaturalKey("member_number", "member_number", as_is, _lazy("member number")),),
        importer_path="guanxi.imports.member_importers.MemberImporter",
    )
)

TRANSACTIONS = register(
    Target(
        key="transactions",
        label=_lazy("Transactions"),
        resource="members",
        model_label="members.transaction",
        fields=transaction_fields(),
        natural_keys=(),
        importer_path="guanxi.imports.member_importers.TransactionImporter",
    )
)


def lead_fields() -> tuple[ImportField, ...]:
    from guanxi.leads.choices import LeadPriority

    return (
        ImportField(
            "name",
            pgettext_lazy("person", "name"),
            ("姓名", "名字", "联系人", "Name", "Full Name", "Contact"),
            required=True,
        ),
        ImportField(
            "company_name",
            _lazy("company name"),
            ("公司", "公司名称", "单位", "Company", "Organization"),
        ),
        ImportField("job_title", _lazy("job title"), ("职位", "职务", "Title", "Job Title")),
        ImportField("mobile", _lazy("mobile"), MOBILE_ALIASES),
        ImportField("email", _lazy("email"), ("邮箱", "电子邮件", "Email", "E-mail Address")),
        ImportField("source", _lazy("source"), ("来源", "Source"), kind="choice", choices=Source),
        ImportField("channel", _lazy("channel"), ("渠道", "Channel")),
        *(
            ImportField(f"utm_{part}", f"UTM {part}", (f"utm_{part}", f"UTM {part}"))
            for part in ("source", "medium", "campaign", "term", "content")
        ),
        ImportField("province", _lazy("province"), ("省份", "省", "Province", "State")),
        ImportField("city", _lazy("city"), ("城市", "市", "City")),
        ImportField(
            "industry", _lazy("industry"), ("行业", "Industry"), kind="choice", choices=Industry
        ),
        ImportField(
            "company_size",
            _lazy("company size"),
            ("规模", "公司规模", "人数", "Company size"),
            kind="choice",
            choices=CompanySize,
        ),
        ImportField(
            "product_interest", _lazy("product interest"), ("意向产品", "Product interest")
        ),
        ImportField(
            "priority",
            _lazy("priority"),
            ("优先级", "Priority"),
            kind="choice",
            choices=LeadPriority,
        ),
        ImportField("visits", _lazy("visits"), ("访问次数", "Visits"), kind="int"),
        ImportField(
            "expressed_interest",
            _lazy("expressed interest (1–5)"),
            ("意向程度", "Interest"),
            kind="int",
        ),
        ImportField("description", _lazy("notes"), ("备注", "Notes", "Description")),
        OWNER,
        TAGS,
    )


LEADS = register(
    Target(
        key="leads",
        label=_lazy("Leads"),
        resource="leads",
        model_label="leads.lead",
        fields=lead_fields(),
        natural_keys=(
            NaturalKey("mobile", "mobile_index", mobile_key, _lazy("mobile")),
            NaturalKey("email", "email_index", email_key, _lazy("email")),
        ),
        importer_path="guanxi.imports.lead_importers.LeadImporter",
    )
)
