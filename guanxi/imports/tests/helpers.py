"""Building uploads for the import tests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def csv_upload(
    text: str, name: str = "contacts.csv", encoding: str = "utf-8"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_bytes(rows: list[list[object]], *, formulas: bool = False) -> bytes:
    """A workbook with these rows; text starting with = stays text unless `formulas`."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if not formulas:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(rows: list[list[object]], name: str = "contacts.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows))
