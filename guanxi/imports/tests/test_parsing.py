"""Reading uploads: encodings, delimiters, workbooks, vCards, and hostile files refused fast."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from guanxi.imports.parsing import ImportFileError, read_table
from guanxi.imports.tests.helpers import xlsx_bytes

LIMIT = 5000
HEADER_ZH = "姓名,手机,邮箱,公司\n"
ROW_ZH = "王小明,13800138000,wang@example.com,上海关系科技\n"


def read(data: bytes, name: str = "c.csv", limit: int = LIMIT):
    return read_table(data, name, row_limit=limit)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ((HEADER_ZH + ROW_ZH).encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + (HEADER_ZH + ROW_ZH).encode("utf-8"), "UTF-8 (BOM)"),
        ((HEADER_ZH + ROW_ZH * 3).encode("gbk"), "GBK/GB18030"),
    ],
    ids=["utf8", "utf8-bom", "gbk"],
)
def test_csv_encodings_are_detected_and_chinese_headers_survive(data, encoding):
    # when a file in each encoding Chinese Excel users produce is read
    table = read(data)
    # then the encoding is named and headers and cells are intact
    assert table.encoding == encoding
    assert table.headers == ["姓名", "手机", "邮箱", "公司"]
    assert table.rows[0] == (2, ["王小明", "13800138000", "wang@example.com", "上海关系科技"])


def test_semicolon_and_tab_delimiters_are_sniffed():
    assert read("姓名;手机\n王;13800138000\n".encode()).delimiter == ";"
    table = read("姓名\t手机\n王\t13800138000\n".encode(), name="c.tsv")
    assert (table.delimiter, table.rows[0][1]) == ("\t", ["王", "13800138000"])


def test_blank_lines_are_skipped_but_line_numbers_stay_those_of_the_file():
    table = read("姓名,手机\n\n王,1\n,\n李,2\n".encode())
    assert [line for line, _cells in table.rows] == [3, 5]


def test_formula_cells_are_read_as_text_and_our_export_quote_is_undone():
    table = read('姓名,备注\n\'=1+2,=HYPERLINK("x")\n'.encode())
    assert table.rows[0][1] == ["=1+2", '=HYPERLINK("x")']


def test_xlsx_numbers_dates_and_text_become_the_text_people_typed():
    import datetime

    data = xlsx_bytes(
        [
            ["姓名", "手机", "生日", "备注"],
            ["王小明", 13800138000, datetime.date(1990, 1, 2), "=1+1"],
        ]
    )
    table = read(data, name="c.xlsx")
    assert table.file_format == "xlsx"
    assert table.rows[0][1] == ["王小明", "13800138000", "1990-01-02", "=1+1"]


def test_xlsx_formulas_are_never_evaluated():
    # a formula cell counts only with the value Excel cached; openpyxl wrote none
    data = xlsx_bytes([["姓名", "备注"], ["王", "=SUM(1,2)"]], formulas=True)
    assert read(data, name="c.xlsx").rows[0][1] == ["王", ""]


def test_vcard_3_and_4_are_read_as_contacts():
    data = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nN:王;小明;;;\r\nTEL;TYPE=CELL:13800138000\r\n"
        "EMAIL:wang@example.com\r\nORG:上海关系科技\r\nTITLE:经理\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Li Lei\r\nTEL;TYPE=work:+8613800138001\r\nEND:VCARD\r\n"
    ).encode()
    table = read(data, name="people.vcf")
    assert table.file_format == "vcard"
    assert table.rows[0][1][:5] == [
        "王小明",
        "13800138000",
        "wang@example.com",
        "上海关系科技",
        "经理",
    ]
    assert table.rows[1][1][:2] == ["Li Lei", "+8613800138001"]


# --- hostile files -----------------------------------------------------------------------------
def refused(data: bytes, name: str, *, match: str, limit: int = LIMIT) -> None:
    started = time.perf_counter()
    with pytest.raises(ImportFileError, match=match):
        read(data, name=name, limit=limit)
    assert time.perf_counter() - started < 2, "a hostile file must be refused quickly"


def test_a_text_file_named_xlsx_is_refused():
    refused(b"name,mobile\n", "c.xlsx", match="not an Excel workbook")


def test_a_zip_named_csv_is_refused():
    refused(xlsx_bytes([["a"]]), "c.csv", match="zip archive")


def test_an_unknown_extension_is_refused():
    refused(b"MZ\x90\x00", "c.exe", match="Upload a .csv")


def test_nul_bytes_are_refused():
    refused(b"name,mobile\nA\x00B,1\n", "c.csv", match="NUL")


def test_a_100k_character_cell_is_refused():
    refused(b"name,notes\nA," + b"x" * 100_000 + b"\n", "c.csv", match="longer than 5000")


def test_too_many_rows_are_refused_without_reading_the_rest():
    data = b"name\n" + b"x\n" * 200_000
    refused(data, "c.csv", match="more than 5000 rows")


def test_a_workspace_limit_applies():
    refused(b"name\n" + b"x\n" * 11, "c.csv", match="more than 10 rows", limit=10)


def test_too_many_columns_are_refused():
    refused((",".join(f"c{i}" for i in range(150)) + "\n").encode(), "c.csv", match="columns")


def test_an_empty_file_is_refused():
    refused(b"  \n", "c.csv", match="empty")


def test_a_zip_bomb_is_refused_from_its_declared_sizes():
    # given a workbook whose sheet inflates 1000× to 50 MB of zeros
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 50_000_000)
    refused(buffer.getvalue(), "bomb.xlsx", match="unreasonable size")


BILLION_DTD = (
    b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_an_entity_expansion_bomb_is_refused():
    # given a real workbook whose sheet declares nested entities and uses them
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["name"], ["x"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = BILLION_DTD + data.replace(b"<t>x</t>", b"<t>&lol3;</t>")
            archive.writestr(info.filename, data)
    # then reading it stops at the DTD (defusedxml) instead of expanding it
    refused(buffer.getvalue(), "laughs.xlsx", match="could not be read")
    with pytest.raises(ImportFileError) as caught:
        read(buffer.getvalue(), name="laughs.xlsx")
    causes, error = [], caught.value
    while error is not None:
        causes.append(type(error).__name__)
        error = error.__cause__ or error.__context__
    assert "EntitiesForbidden" in causes


def test_a_damaged_workbook_is_refused():
    refused(b"PK\x03\x04" + b"\x00" * 100, "c.xlsx", match="damaged")
