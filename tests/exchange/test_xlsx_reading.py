"""The .xlsx sheet reader gives exactly what openpyxl's read-only iter_rows(values_only=True) gives."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from xuexi.exchange.files import FileRefusal, FileRefused, _sheet_from_rows, read_table


def openpyxl_rows(data: bytes) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def with_shared_strings(data: bytes) -> bytes:
    """The same workbook as Excel and WPS save it: every text cell points into xl/sharedStrings.xml."""
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match[2], len(strings))
        return f'<c{match[1]} t="s"><v>{index}</v></c>'

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = re.sub(r'<c([^>]*?) t="inlineStr"><is>(.*?)</is></c>', shared, content.decode()).encode()
            elif item.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                                          b'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings'
                                          b'+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.'
                                          b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                          b'Target="sharedStrings.xml"/></Relationships>')
            target.writestr(item, content)
        target.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                        'main">' + "".join(f"<si>{s}</si>" for s in strings) + "</sst>")
    return out.getvalue()


def workbook(write_only: bool) -> bytes:
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    rows: list[list[object]] = [
        ["活动编号", "人员编号", "出勤", "学时"],
        ["H1", " MEM1 ", "出席", 2],
        [],
        ["H2", None, "", 1.5, datetime.date(2025, 3, 1), True, "=A2&B2", "a&b<c>"],
        [CellRichText(["富", TextBlock(InlineFont(b=True), "文本")]), datetime.datetime(2025, 3, 1, 8, 30), "#N/A"],
    ]
    for row in rows:
        sheet.append(row)
    if not write_only:
        sheet["C9"] = "past a gap"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("shared", [False, True])
def test_rows_are_those_openpyxl_reads(write_only: bool, shared: bool) -> None:
    # given
    data = workbook(write_only)
    data = with_shared_strings(data) if shared else data
    expected = _sheet_from_rows(enumerate(openpyxl_rows(data), start=1))
    # when
    sheet = read_table(data, "t.xlsx")
    # then: the same cells, as text, on the same row numbers
    assert sheet == expected
    assert sheet.headers == ["活动编号", "人员编号", "出勤", "学时"]
    assert sheet.row_numbers == [2, 4, 5] + ([9] if not write_only else [])
    assert sheet.rows[0][:4] == ["H1", "MEM1", "出席", "2"]
    assert sheet.rows[1] == ["H2", None, None, "1.5", "2025-03-01", "是", "=A2&B2", "a&b<c>"]
    assert sheet.rows[2][:3] == ["富文本", "2025-03-01 08:30:00", "#N/A"]


def test_workbook_whose_parts_name_no_workbook_is_refused_as_corrupt() -> None:
    # given: [Content_Types].xml no longer says where the workbook is
    source = zipfile.ZipFile(io.BytesIO(workbook(False)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"sheet.main+xml", b"sheet.mine+xml")
            target.writestr(item, content)
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(out.getvalue(), "t.xlsx")
    # then
    assert refused.value.refusal == FileRefusal.CORRUPT
