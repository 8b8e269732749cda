"""Reads an uploaded CSV, XLSX or vCard file into a header row and rows of strings, refusing
hostile files (wrong type, NUL bytes, zip and entity bombs, huge cells, too many rows) early
and with bounded memory."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from guanxi.core.errors import ApplicationError
from guanxi.imports.choices import FileFormat

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 5000
MAX_COLUMNS = 100
# a zip whose members inflate beyond this, or by more than this ratio, is refused unopened
MAX_XLSX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XLSX_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
CSV_DELIMITERS = ",;\t|"
# cells our exports prefix with ' so that spreadsheets do not run them as formulas
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# what Chinese spreadsheets are saved as when not UTF-8; GB18030 decodes GBK and GB2312 too
LEGACY_ENCODINGS = ["gb18030", "big5", "cp1252"]


class ImportFileError(ApplicationError):
    """The file as a whole cannot be imported; the message says why."""

    def __init__(self, message: str):
        super().__init__(message, code="invalid_file", field="file")


@dataclass
class Table:
    file_format: str
    headers: list[str]
    # (line number in the file, cells); blank lines are left out
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""


def detect_format(name: str, head: bytes) -> str:
    """The format from the extension, checked against the file's first bytes."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "xlsx":
        if not head.startswith(ZIP_MAGIC):
            raise ImportFileError(_("This file is named .xlsx but is not an Excel workbook."))
        return FileFormat.XLSX
    if head.startswith(ZIP_MAGIC):
        raise ImportFileError(_("This file is a zip archive or workbook, not a text file."))
    if extension in ("vcf", "vcard"):
        return FileFormat.VCARD
    if extension in ("csv", "txt", "tsv"):
        return FileFormat.CSV
    raise ImportFileError(_("Upload a .csv, .xlsx or .vcf file."))


def read_table(data: bytes, name: str, *, row_limit: int) -> Table:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    file_format = detect_format(name, data[:8])
    if file_format == FileFormat.XLSX:
        return read_xlsx(data, row_limit=row_limit)
    text, encoding = decode_text(data)
    if file_format == FileFormat.VCARD:
        return read_vcard(text, encoding=encoding, row_limit=row_limit)
    return read_csv(text, encoding=encoding, row_limit=row_limit)


# --- text files --------------------------------------------------------------------------------
def decode_text(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: UTF-8 (with or without BOM), else detected."""
    if b"\x00" in data:
        raise ImportFileError(
            _("The file contains NUL bytes: save it as CSV (UTF-8) or CSV (GBK) and try again.")
        )
    if data.startswith(UTF8_BOM):
        return decode_with(data[len(UTF8_BOM) :], "utf-8"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=LEGACY_ENCODINGS).best()
    if best is None:
        raise ImportFileError(_("The file's text encoding could not be recognised."))
    encoding = best.encoding
    label = "GBK/GB18030" if encoding in ("gb18030", "gbk", "gb2312") else encoding.upper()
    return decode_with(data, encoding), label


def decode_with(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The file's text encoding could not be recognised.")) from exc


def sniff_delimiter(text: str) -> str:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        first_line = sample.split("\n", 1)[0]
        return max(CSV_DELIMITERS, key=first_line.count) if first_line else ","


def read_csv(text: str, *, encoding: str, row_limit: int) -> Table:
    delimiter = sniff_delimiter(text)
    # the csv module refuses fields past its own limit; ours is checked per cell below
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows = bounded_rows(
            ([unquote(cell) for cell in row] for row in reader), row_limit=row_limit
        )
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        table = Table(FileFormat.CSV, header[1], list(rows), encoding, delimiter)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc
    return finish(table)


def unquote(cell: str) -> str:
    """Undo our export's CSV-injection guard ('=1+2 → =1+2): the value is text again."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def read_vcard(text: str, *, encoding: str, row_limit: int) -> Table:
    import vobject

    headers = [
        "Name",
        "Mobile",
        "Email",
        "Company",
        "Job title",
        "Birthday",
        "Street",
        "City",
        "Province",
        "Postcode",
        "Country",
    ]
    rows = []
    try:
        for card in vobject.readComponents(text, ignoreUnreadable=True):
            if card.name != "VCARD":
                continue
            if len(rows) >= row_limit:
                raise too_many_rows(row_limit)
            rows.append((len(rows) + 1, vcard_row(card)))
    except ImportFileError:
        raise
    except Exception as exc:  # vobject raises many kinds of parse errors
        raise ImportFileError(_("The vCard file is malformed: %(error)s") % {"error": exc}) from exc
    return finish(Table(FileFormat.VCARD, headers, rows, encoding))


def vcard_row(card) -> list[str]:
    def first(name: str) -> str:
        entries = card.contents.get(name, [])
        return entries[0].value if entries else ""

    name = first("fn")
    if not name and "n" in card.contents:
        parts = card.n.value
        name = f"{parts.family}{parts.given}" if parts.family else parts.given
    org = first("org")
    address = first("adr")
    street = city = province = postcode = country = ""
    if address:
        street, city = str(address.street or ""), address.city or ""
        province, postcode, country = (
            address.region or "",
            address.code or "",
            address.country or "",
        )
    birthday = first("bday")
    return [
        str(name or ""),
        phone_of(card),
        str(first("email") or ""),
        org[0] if isinstance(org, list) and org else str(org or ""),
        str(first("title") or ""),
        str(birthday or ""),
        street,
        city,
        province,
        postcode,
        country,
    ]


def phone_of(card) -> str:
    """The cell phone if one is typed as such, else the first number."""
    phones = card.contents.get("tel", [])
    for phone in phones:
        types = {t.lower() for t in phone.params.get("TYPE", [])}
        if "cell" in types:
            return str(phone.value)
    return str(phones[0].value) if phones else ""


# --- workbooks ---------------------------------------------------------------------------------
def check_zip(data: bytes) -> None:
    """Refuse zip bombs from the central directory, before anything is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("This Excel file is damaged.")) from exc
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > MAX_XLSX_UNCOMPRESSED or (info.file_size > 1_000_000 and ratio > MAX_XLSX_RATIO):
            raise ImportFileError(
                _("This Excel file expands to an unreasonable size and was refused.")
            )


def read_xlsx(data: bytes, *, row_limit: int) -> Table:
    check_zip(data)
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    # openpyxl parses through defusedxml when it is installed: entity tricks raise
    assert DEFUSEDXML, "defusedxml must be installed to read workbooks safely"
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # defusedxml, zipfile and openpyxl each raise their own
        raise ImportFileError(
            _("This Excel file could not be read: %(error)s") % {"error": type(exc).__name__}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = bounded_rows(
            ([cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)),
            row_limit=row_limit,
        )
        header = next(rows, None)
        if header is None:
            raise ImportFileError(_("The file is empty."))
        table = Table(FileFormat.XLSX, header[1], list(rows))
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(
            _("This Excel file could not be read: %(error)s") % {"error": type(exc).__name__}
        ) from exc
    finally:
        workbook.close()
    return finish(table)


def cell_text(value: object) -> str:
    """A cell as the text a person typed: 13800138000 not 13800138000.0, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# --- shared checks -----------------------------------------------------------------------------
def too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows: split it into smaller files.") % {"limit": limit}
    )


def bounded_rows(rows: Iterator[list[str]], *, row_limit: int) -> Iterator[tuple[int, list[str]]]:
    """The header and up to row_limit rows with their line numbers; stops reading at the first
    breach of a limit."""
    count = -1  # the header row is not counted
    for line, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS:
            if any(row[MAX_COLUMNS:]):
                raise ImportFileError(
                    _("The file has more than %(limit)s columns.") % {"limit": MAX_COLUMNS}
                )
            row = row[:MAX_COLUMNS]
        for cell in row:
            if len(cell) > MAX_CELL_CHARS:
                raise ImportFileError(
                    _("Row %(row)s has a cell longer than %(limit)s characters.")
                    % {"row": line, "limit": MAX_CELL_CHARS}
                )
        if not any(cell.strip() for cell in row):
            continue
        count += 1
        if count > row_limit:
            raise too_many_rows(row_limit)
        yield line, [cell.strip() for cell in row]


def finish(table: Table) -> Table:
    while table.headers and not table.headers[-1]:
        table.headers.pop()
    if not any(table.headers):
        raise ImportFileError(_("The first row must name the columns."))
    width = len(table.headers)
    table.rows = [(line, (row + [""] * width)[:width]) for line, row in table.rows]
    return table
