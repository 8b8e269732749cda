"""The zh_Hans catalogue is complete, keeps every placeholder, covers the source and is compiled."""

from __future__ import annotations

import gettext
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext as _

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
REPO_ROOT = LOCALE_DIR.parent.parent
# the same exclusions as the documented makemessages command
IGNORED = [".venv", "node_modules", "var", "bench", "test-artifacts"]
IN_CI = os.environ.get("CI", "").lower() == "true"

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
# python-format (%(name)s, %s, %d) and str.format ({name}) placeholders; %% is a literal percent
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{self.msgctxt}|{self.msgid}" if self.msgctxt else self.msgid


def _unquote(line: str) -> str:
    text = line.strip()
    assert text.startswith('"') and text.endswith('"'), f"not a PO string: {line!r}"
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file in order, header first; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if not line:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            kind, index = target
            if kind == "msgstr":
                entry.msgstr[index] += _unquote(line)
            else:
                setattr(entry, kind, getattr(entry, kind) + _unquote(line))
        else:
            keyword, value = line.split(" ", 1)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
                entry.msgstr[index] = _unquote(value)
                target = ("msgstr", index)
            else:
                setattr(entry, keyword, _unquote(value))
                target = (keyword, None)
    return entries


def placeholders(text: str) -> Counter[str]:
    return Counter(_PLACEHOLDER.findall(text.replace("%%", "")))


def _problems(entries: list[Entry]) -> list[str]:
    """Untranslated and fuzzy messages, by msgid."""
    found = []
    for entry in entries[1:]:
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.label}")
        if not entry.msgstr or any(not text for text in entry.msgstr.values()):
            found.append(f"untranslated: {entry.label}")
    return found


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


def test_parser_reads_multiline_plural_context_and_fuzzy_entries():
    # given
    text = (
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "month"\nmsgid ""\n"May "\n"%(n)s"\n'
        'msgid_plural "Mays %(n)s"\nmsgstr[0] "五月 %(n)s \\"引\\""\n\n'
        '#~ msgid "gone"\n#~ msgstr "旧"\n'
    )

    # when
    header, entry = parse_po(text)

    # then
    assert header.msgstr == {0: "Language: zh_Hans\n"}
    assert (entry.msgctxt, entry.msgid, entry.msgid_plural) == ("month", "May %(n)s", "Mays %(n)s")
    assert entry.msgstr == {0: '五月 %(n)s "引"'}
    assert entry.flags == {"fuzzy", "python-format"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%(name)s and %(name)s", {"%(name)s": 2}),
        ("Up 5%% by %s, %d times", {"%s": 1, "%d": 1}),
        ("No id “{pk_value}” of {data_type}", {"{pk_value}": 1, "{data_type}": 1}),
        ("纯文本", {}),
    ],
    ids=["named-twice", "positional-and-literal-percent", "format-braces", "none"],
)
def test_placeholders_are_counted(text, expected):
    assert placeholders(text) == Counter(expected)


def test_header_declares_simplified_chinese_with_one_plural_form(catalogue):
    header = catalogue[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    fields = dict(line.split(": ", 1) for line in header.msgstr[0].splitlines())
    assert fields["Language"] == "zh_Hans"
    assert fields["Plural-Forms"] == "nplurals=1; plural=0;"
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert len(catalogue) > 400
    assert _problems(catalogue) == []


def test_plural_entries_have_exactly_one_form(catalogue):
    plurals = [entry for entry in catalogue if entry.msgid_plural is not None]
    assert plurals
    assert [entry.label for entry in plurals if list(entry.msgstr) != [0]] == []


def test_translations_keep_the_placeholders_of_their_source(catalogue):
    # zh has one plural form, used for every count, so it follows the plural source
    mismatches = [
        f"{entry.label!r}: {dict(placeholders(text))} ≠ {dict(placeholders(source))}"
        for entry in catalogue[1:]
        for source in [entry.msgid_plural or entry.msgid]
        for text in entry.msgstr.values()
        if placeholders(text) != placeholders(source)
    ]
    assert mismatches == []


def test_the_project_has_one_catalogue_directory():
    found = sorted(
        path.relative_to(REPO_ROOT).as_posix()
        for path in (REPO_ROOT / "guanxi").rglob("locale")
        if path.is_dir()
    )
    assert found == ["guanxi/locale"]


def _merge_source_into(catalogue_text: str, tmp_path: Path, monkeypatch) -> list[Entry]:
    """Run makemessages against a copy holding catalogue_text; the committed file is untouched."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        if IN_CI:
            pytest.fail("GNU gettext (xgettext, msgmerge) must be installed in CI")
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    copy = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    copy.write_text(catalogue_text, encoding="utf-8")
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [str(tmp_path / "locale")])
    call_command(
        "makemessages",
        locale=["zh_Hans"],
        no_obsolete=True,
        # guanxi/locale is ignored so that the walk does not pick it as the target again
        ignore_patterns=[*IGNORED, "guanxi/locale"],
        stdout=StringIO(),
    )
    return parse_po(copy.read_text(encoding="utf-8"))


def test_catalogue_covers_every_string_marked_in_the_source(tmp_path, monkeypatch):
    # given
    committed = PO_PATH.read_text(encoding="utf-8")

    # when makemessages merges the source's strings into a copy
    merged = _merge_source_into(committed, tmp_path, monkeypatch)

    # then nothing new is untranslated, nothing is obsolete, the committed file is unchanged
    assert _problems(merged) == [], "run makemessages and translate the new entries"
    obsolete = {e.label for e in parse_po(committed)} - {e.label for e in merged}
    assert obsolete == set(), "run makemessages --no-obsolete to drop strings the source lost"
    assert PO_PATH.read_text(encoding="utf-8") == committed


def test_coverage_check_reports_a_string_missing_from_the_catalogue(tmp_path, monkeypatch):
    # given a catalogue that lost its "Contacts" entry
    entries = PO_PATH.read_text(encoding="utf-8").split("\n\n")
    kept = [block for block in entries if '\nmsgid "Contacts"\n' not in f"\n{block}\n"]
    assert len(kept) == len(entries) - 1

    # when
    merged = _merge_source_into("\n\n".join(kept), tmp_path, monkeypatch)

    # then msgmerge either leaves it empty or guesses from "contacts" and marks it fuzzy
    assert _problems(merged) in (["untranslated: Contacts"], ["fuzzy: Contacts"])


def test_coverage_check_reports_a_string_the_source_no_longer_has(tmp_path, monkeypatch):
    # given a catalogue with an entry that no source file marks
    committed = PO_PATH.read_text(encoding="utf-8")
    stale = committed + '\nmsgid "Gone from the source"\nmsgstr "已删除的文字"\n'

    # when
    merged = _merge_source_into(stale, tmp_path, monkeypatch)

    # then
    labels = {e.label for e in parse_po(stale)} - {e.label for e in merged}
    assert labels == {"Gone from the source"}


def test_compiled_catalogue_matches_the_po(catalogue):
    # given the committed .mo, read by the standard library
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    # when every message is looked up in it
    stale = []
    for entry in catalogue[1:]:
        expected = entry.msgstr[0]
        if entry.msgid_plural is not None and entry.msgctxt is not None:
            got = compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
        elif entry.msgid_plural is not None:
            got = compiled.ngettext(entry.msgid, entry.msgid_plural, 2)
        elif entry.msgctxt is not None:
            got = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            got = compiled.gettext(entry.msgid)
        if got != expected:
            stale.append(entry.label)

    # then it returns the .po's text for each: run compilemessages if not
    assert stale == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["联系人", "公司", "欢迎，王芳", "第 1–20 条，共 35 条"]),
        ("en", ["Contacts", "Companies", "Welcome, 王芳", "Showing 1–20 of 35"]),
    ],
    ids=["chinese", "english"],
)
def test_django_shows_the_ui_in_the_active_language(language, expected):
    template = Template(
        "{% load i18n %}"
        "{% blocktranslate with name='王芳' %}Welcome, {{ name }}{% endblocktranslate %}|"
        "{% blocktranslate with start=1 end=20 count=35 %}"
        "Showing {{ start }}–{{ end }} of {{ count }}{% endblocktranslate %}"
    )
    with translation.override(language):
        rendered = template.render(Context()).split("|")
        assert [_("Contacts"), _("Companies"), *rendered] == expected
