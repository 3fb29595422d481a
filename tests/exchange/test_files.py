"""The file layer of exchange: uploads read by their bytes into rows of text, and exports that never run.

tests/exchange/data/sample.xls was made once with xlwt 1.3.0, installed into a throw-away
virtualenv (xlwt is not a dependency of the project):

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("组织")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for column, header in enumerate(["组织编码", "组织名称", "开始日期", "设有中心组"]):
        sheet.write(0, column, header)
    sheet.write(1, 0, "C001"); sheet.write(1, 1, "中共甲市委员会")
    sheet.write(1, 2, datetime.date(2025, 3, 1), date_style); sheet.write(1, 3, True)
    # row 3 (index 2) left empty
    sheet.write(3, 0, 12); sheet.write(3, 1, "  丙县委  ")
    sheet.write(3, 2, datetime.datetime(2025, 3, 15, 0, 0), date_style); sheet.write(3, 3, False)
    book.save("sample.xls")
"""

from __future__ import annotations

import datetime
import io
import re
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xuexi.exchange.files import (
    FileRefusal,
    FileRefused,
    Sheet,
    neutralise,
    read_table,
    write_csv,
    write_xlsx,
)

DATA = Path(__file__).parent / "data"
SAMPLE_XLS = (DATA / "sample.xls").read_bytes()
ORG_HEADERS = ["组织编码", "组织名称", "开始日期"]
INJECTIONS = [
    '=HYPERLINK("http://x","点我")', "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", "＝1+1", "＋1", "－1", "＠SUM(A1)",
]
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def make_xlsx(rows: Sequence[Sequence[object]], *, number_formats: dict[str, str] | None = None) -> bytes:
    """An ordinary workbook as Excel users make them: openpyxl in normal mode, first sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    for coordinate, number_format in (number_formats or {}).items():
        sheet[coordinate].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(xlsx: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """The same workbook with each member's bytes passed through change(name, content)."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, change(member.filename, source.read(member.filename)))
    return output.getvalue()


def with_dimension(xlsx: bytes, ref: str) -> bytes:
    def change(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        return re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), content)

    return rezip(xlsx, change)


ORG_XLSX = make_xlsx(
    [
        ORG_HEADERS,
        ["C001", "中共甲市委员会", datetime.date(2025, 3, 1)],
        ["C002", "中共乙州委员会", datetime.datetime(2025, 3, 2, 0, 0)],
    ],
)
ORG_CSV_TEXT = "组织编码,组织名称,开始日期\r\nC001,中共甲市委员会,2025-03-01\r\nC002,中共乙州委员会,2025-03-02\r\n"
ORG_ROWS = [["C001", "中共甲市委员会", "2025-03-01"], ["C002", "中共乙州委员会", "2025-03-02"]]


# Type detection: the bytes decide, the name is only a hint


@pytest.mark.parametrize("filename", ["orgs.xlsx", "orgs.csv", "orgs.xls", "orgs.png", ""])
def test_xlsx_bytes_read_as_xlsx_whatever_the_name(filename: str) -> None:
    # when
    sheet = read_table(ORG_XLSX, filename)
    # then
    assert sheet == Sheet(headers=ORG_HEADERS, rows=ORG_ROWS, row_numbers=[2, 3])


@pytest.mark.parametrize("filename", ["orgs.xls", "orgs.xlsx", "orgs.csv"])
def test_xls_bytes_read_as_xls_whatever_the_name(filename: str) -> None:
    # when
    sheet = read_table(SAMPLE_XLS, filename)
    # then
    assert sheet.headers == ["组织编码", "组织名称", "开始日期", "设有中心组"]
    assert sheet.rows == [["C001", "中共甲市委员会", "2025-03-01", "是"], ["12", "丙县委", "2025-03-15", "否"]]
    assert sheet.row_numbers == [2, 4]


@pytest.mark.parametrize("filename", ["orgs.csv", "orgs.xlsx", "orgs.xls"])
def test_csv_text_read_as_csv_whatever_the_name(filename: str) -> None:
    # when
    sheet = read_table(ORG_CSV_TEXT.encode(), filename)
    # then
    assert sheet == Sheet(headers=ORG_HEADERS, rows=ORG_ROWS, row_numbers=[2, 3])


@pytest.mark.parametrize("filename", ["orgs.xlsx", "orgs.csv", "orgs.xls"])
def test_png_is_refused_whatever_its_name(filename: str) -> None:
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(PNG_BYTES, filename)
    # then
    assert refused.value.refusal is FileRefusal.UNKNOWN_TYPE
    assert "无法识别的文件类型" in str(refused.value)
    assert "PNG" in str(refused.value)


@pytest.mark.parametrize(
    ("member", "hint"),
    [
        pytest.param("word/document.xml", "不是 Excel 工作簿", id="Word document"),
        pytest.param("xl/workbook.bin", ".xlsb", id="binary workbook"),
    ],
)
def test_zip_that_is_not_an_xlsx_workbook_is_refused(member: str, hint: str) -> None:
    # given: Word documents and .xlsb workbooks are zips too
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(buffer.getvalue(), "orgs.xlsx")
    # then
    assert refused.value.refusal is FileRefusal.UNKNOWN_TYPE
    assert hint in str(refused.value)


def test_refusal_names_the_file_without_its_client_folders() -> None:
    with pytest.raises(FileRefused) as refused:
        read_table(PNG_BYTES, "C:\\Users\\张三\\桌面\\名单.xlsx")
    assert "“名单.xlsx”" in str(refused.value)
    assert "张三" not in str(refused.value)


def test_html_saved_with_an_xls_name_is_refused_with_a_hint() -> None:
    # given: what many web systems export as "xls"
    data = "<html><body><table><tr><td>组织编码</td></tr></table></body></html>".encode()
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "导出.xls")
    # then
    assert refused.value.refusal is FileRefusal.UNKNOWN_TYPE
    assert "另存为 .xlsx" in str(refused.value)


def test_empty_file_is_refused() -> None:
    with pytest.raises(FileRefused) as refused:
        read_table(b"", "orgs.csv")
    assert refused.value.refusal is FileRefusal.EMPTY


# CSV encodings


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(ORG_CSV_TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(ORG_CSV_TEXT.encode("utf-8-sig"), id="utf-8 with BOM"),
        pytest.param(ORG_CSV_TEXT.encode("gb18030"), id="gb18030"),
        pytest.param(ORG_CSV_TEXT.encode("gbk"), id="gbk"),
    ],
)
def test_csv_encoding_is_detected(encoded: bytes) -> None:
    # when
    sheet = read_table(encoded, "orgs.csv")
    # then
    assert sheet == Sheet(headers=ORG_HEADERS, rows=ORG_ROWS, row_numbers=[2, 3])


def test_gb18030_text_that_gbk_lacks_is_read() -> None:
    # given: 𠀀 exists in GB18030 only (a four-byte sequence)
    data = "组织编码,组织名称\nC001,𠀀村党支部\n".encode("gb18030")
    # when
    sheet = read_table(data, "orgs.csv")
    # then
    assert sheet.rows == [["C001", "𠀀村党支部"]]


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        pytest.param(b"\xef\xbb\xbf\xff\xfe\xfd", FileRefusal.ENCODING_UNKNOWN, id="BOM then not UTF-8"),
        pytest.param("组织编码,组织名称\n".encode() + b"\x80\xff\xfe", FileRefusal.ENCODING_UNKNOWN,
                     id="neither UTF-8 nor GB18030"),
        pytest.param("组织编码,组织名称\n".encode("utf-16"), FileRefusal.ENCODING_UNKNOWN, id="UTF-16"),
        pytest.param(b"code,name\nC1,\x00\x00\n", FileRefusal.UNKNOWN_TYPE, id="NUL bytes"),
    ],
)
def test_undecodable_or_binary_csv_is_refused(data: bytes, refusal: FileRefusal) -> None:
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "orgs.csv")
    # then
    assert refused.value.refusal is refusal


def test_undecodable_csv_message_names_the_expected_encodings() -> None:
    with pytest.raises(FileRefused, match="CSV 编码无法识别：请另存为 UTF-8 或 GB18030"):
        read_table(b"code\n\x80\xff\n", "orgs.csv")


@pytest.mark.parametrize(
    ("text", "expected_rows"),
    [
        pytest.param("a,b\n1,x;y\n", [["1", "x;y"]], id="comma, semicolons in data"),
        pytest.param("a\tb\n1\tx,y\n", [["1", "x,y"]], id="tab"),
        pytest.param("a;b\n1;x,y\n", [["1", "x,y"]], id="semicolon"),
        pytest.param("a\n1\n", [["1"]], id="one column"),
        pytest.param('a,b\n"1,2","say ""hi""\nthere"\n', [["1,2", 'say "hi"\nthere']], id="quoted"),
    ],
)
def test_csv_delimiter_is_sniffed_from_the_header(text: str, expected_rows: list[list[str]]) -> None:
    # when
    sheet = read_table(text.encode(), "t.csv")
    # then
    assert sheet.rows == expected_rows


def test_csv_apostrophes_are_not_taken_for_quotes() -> None:
    # given: the sniffer could otherwise pick ' as the quote character
    data = b"a,b\n'x','y'\n'p',q\n"
    # when
    sheet = read_table(data, "t.csv")
    # then
    assert sheet.rows == [["'x'", "'y'"], ["'p'", "q"]]


# Cells as the user sees them


def test_blank_rows_are_skipped_and_row_numbers_keep_counting() -> None:
    # given
    data = make_xlsx([["a", "b"], ["1", "x"], [None, None], ["   ", ""], ["2", "y"]])
    csv_data = b"a,b\n1,x\n,\n  ,\n2,y\n"
    # when
    from_xlsx = read_table(data, "t.xlsx")
    from_csv = read_table(csv_data, "t.csv")
    # then
    assert from_xlsx.rows == from_csv.rows == [["1", "x"], ["2", "y"]]
    assert from_xlsx.row_numbers == from_csv.row_numbers == [2, 5]


def test_rows_past_a_gap_in_the_sheet_keep_their_numbers() -> None:
    # given: rows 2..9 never written, as when a user deletes their contents
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "a"
    sheet["A10"] = "ten"
    buffer = io.BytesIO()
    workbook.save(buffer)
    # when
    result = read_table(buffer.getvalue(), "t.xlsx")
    # then
    assert result.rows == [["ten"]]
    assert result.row_numbers == [10]


def test_text_is_stripped_and_blank_becomes_none() -> None:
    # given: ordinary, full-width and invisible spaces around values
    data = make_xlsx([[" 组织编码 ", "组织名称\u3000", "备注"], ["\u200bC001 ", "  ", "\u3000甲\u3000"]])
    # when
    sheet = read_table(data, "t.xlsx")
    # then
    assert sheet.headers == ["组织编码", "组织名称", "备注"]
    assert sheet.rows == [["C001", None, "甲"]]


def test_header_bom_is_stripped() -> None:
    # given: a BOM inside the first cell, as when a UTF-8 file was saved twice with one
    data = "\ufeff\ufeff组织编码,组织名称\nC1,甲\n".encode()
    # when
    sheet = read_table(data, "t.csv")
    # then
    assert sheet.headers == ["组织编码", "组织名称"]


def test_numbers_read_as_the_user_sees_them() -> None:
    # given
    data = make_xlsx([["a", "b", "c", "d", "e", "f"], [12, 12.0, 2.5, 0.1 + 0.2, -3.0, 123456789012]])
    # when
    sheet = read_table(data, "t.xlsx")
    # then
    assert sheet.rows == [["12", "12", "2.5", "0.3", "-3", "123456789012"]]


def test_dates_read_as_iso() -> None:
    # given
    data = make_xlsx(
        [
            ["开始日期", "结束日期", "时刻", "序列号"],
            [datetime.date(2025, 3, 1), datetime.datetime(2025, 3, 2, 0, 0), datetime.datetime(2025, 3, 2, 8, 30),
             45717],
        ],
        number_formats={"D2": "yyyy-mm-dd"},
    )
    # when
    sheet = read_table(data, "t.xlsx")
    # then
    assert sheet.rows == [["2025-03-01", "2025-03-02", "2025-03-02 08:30:00", "2025-03-01"]]


def test_booleans_read_as_shi_and_fou() -> None:
    # given
    data = make_xlsx([["设有中心组", "中心组成员"], [True, False]])
    # when
    sheet = read_table(data, "t.xlsx")
    # then
    assert sheet.rows == [["是", "否"]]


def test_formulas_are_read_as_their_text_never_evaluated() -> None:
    # given
    data = make_xlsx([["a", "b", "c"], ["=1+1", '=HYPERLINK("http://x","点我")', "=A2*2"]])
    # when
    sheet = read_table(data, "t.xlsx")
    # then
    assert sheet.rows == [["=1+1", '=HYPERLINK("http://x","点我")', "=A2*2"]]


def test_rows_are_as_wide_as_the_headers_and_wider_only_for_data_past_them() -> None:
    # given
    data = b"a,b,c,,\n1\n1,2,3,4\n"
    # when
    sheet = read_table(data, "t.csv")
    # then
    assert sheet.headers == ["a", "b", "c"]
    assert sheet.rows == [["1", None, None], ["1", "2", "3", "4"]]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\n\na,b\n1,2\n", id="csv header not in row 1"),
        pytest.param(b"   \n", id="csv only blanks"),
        pytest.param(make_xlsx([]), id="empty workbook"),
        pytest.param(make_xlsx([[None], ["a"]]), id="xlsx header not in row 1"),
    ],
)
def test_header_must_be_in_row_1(data: bytes) -> None:
    with pytest.raises(FileRefused) as refused:
        read_table(data, "t")
    assert refused.value.refusal is FileRefusal.NO_HEADER


# Limits


def test_file_over_the_size_limit_is_refused() -> None:
    # given
    limit = len(ORG_XLSX) - 1
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(ORG_XLSX, "orgs.xlsx", max_bytes=limit)
    # then
    assert refused.value.refusal is FileRefusal.TOO_LARGE
    assert read_table(ORG_XLSX, "orgs.xlsx", max_bytes=len(ORG_XLSX)).rows == ORG_ROWS


def test_size_limit_message_names_the_limit(settings: object) -> None:
    # given: the default comes from settings
    settings.XUEXI_IMPORT_MAX_BYTES = 20 * 1024 * 1024  # type: ignore[attr-defined]
    data = b"a\n" + b"1\n" * (10 * 1024 * 1024 + 1)
    # when
    with pytest.raises(FileRefused, match="文件超过 20 MB 上限"):
        read_table(data, "big.csv")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(make_xlsx([["a", "b", "c"]] + [[1, 2, 3]] * 4), id="xlsx"),
        pytest.param(b"a,b,c\n" + b"1,2,3\n" * 4, id="csv"),
        pytest.param(SAMPLE_XLS, id="xls"),
    ],
)
def test_sheet_over_the_cell_limit_is_refused(data: bytes) -> None:
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "t", max_cells=11)
    # then
    assert refused.value.refusal is FileRefusal.TOO_MANY_CELLS
    assert read_table(data, "t", max_cells=20).headers


def test_declared_dimension_over_the_cell_limit_is_refused_before_reading() -> None:
    # given: a small sheet claiming the whole grid
    data = with_dimension(ORG_XLSX, "A1:XFD1048576")
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "t.xlsx")
    # then
    assert refused.value.refusal is FileRefusal.TOO_MANY_CELLS
    assert "2,000,000" in str(refused.value)


def test_understated_dimension_keeps_every_row_and_still_counts_cells() -> None:
    # given: a generator that writes A1 whatever the size
    data = with_dimension(make_xlsx([["a", "b"]] + [[n, n] for n in range(1, 11)]), "A1")
    # when
    sheet = read_table(data, "t.xlsx")
    with pytest.raises(FileRefused) as refused:
        read_table(data, "t.xlsx", max_cells=10)
    # then
    assert len(sheet.rows) == 10
    assert refused.value.refusal is FileRefusal.TOO_MANY_CELLS


def zip_bomb() -> bytes:
    """An xlsx-shaped zip whose sheet inflates to 50 MB of spaces from about 50 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (50 * 1024 * 1024))
    return buffer.getvalue()


def test_zip_bomb_is_refused_without_inflating_anything(monkeypatch: pytest.MonkeyPatch) -> None:
    # given
    bomb = zip_bomb()
    assert len(bomb) < 100 * 1024

    def never_inflate(*args: object, **kwargs: object) -> None:
        raise AssertionError("a zip member was opened before the zip-bomb check")

    monkeypatch.setattr(zipfile.ZipFile, "open", never_inflate)
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(bomb, "orgs.xlsx")
    # then
    assert refused.value.refusal is FileRefusal.ZIP_BOMB
    assert "压缩内容异常（疑似压缩炸弹）" in str(refused.value)


def test_zip_with_too_many_members_is_refused() -> None:
    # given
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(10_001):
            archive.writestr(f"xl/m{number}.xml", "")
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(buffer.getvalue(), "orgs.xlsx")
    # then
    assert refused.value.refusal is FileRefusal.ZIP_BOMB


def declare_size(data: bytes, member_name: str, size: int) -> bytes:
    """The same zip with one member's uncompressed size rewritten in its local and central headers."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = archive.getinfo(member_name)
    struct.pack_into("<I", patched, member.header_offset + 22, size)
    central = patched.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", patched, central + 28)[0]
        if patched[central + 46:central + 46 + name_length] == member_name.encode():
            struct.pack_into("<I", patched, central + 24, size)
        central = patched.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def test_member_whose_declared_size_lies_fails_as_corrupt() -> None:
    # given: the sheet claims 100 bytes but inflates to 20 MB; zipfile stops at the claim and fails the CRC
    def change(name: str, content: bytes) -> bytes:
        return b"<" + b" " * (20 * 1024 * 1024) if name == "xl/worksheets/sheet1.xml" else content

    data = declare_size(rezip(ORG_XLSX, change), "xl/worksheets/sheet1.xml", 100)
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "orgs.xlsx")
    # then
    assert refused.value.refusal is FileRefusal.CORRUPT


def test_encrypted_workbook_is_refused_with_a_hint() -> None:
    # given: an OLE2 container holding an EncryptedPackage stream, as Excel saves a password-protected .xlsx
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le")
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "orgs.xlsx")
    # then
    assert refused.value.refusal is FileRefusal.ENCRYPTED


def test_csv_cell_past_the_field_limit_is_refused() -> None:
    # given: an unclosed quote swallows the rest of the file into one cell
    data = b'a,b\n"' + b"x" * 200_000 + b"\n"
    # when
    with pytest.raises(FileRefused) as refused:
        read_table(data, "t.csv")
    # then
    assert refused.value.refusal is FileRefusal.CELL_TOO_LONG


# Writing: nothing exported ever runs


def test_neutralise_prefixes_formula_starts_and_leaves_the_rest() -> None:
    assert [neutralise(value) for value in INJECTIONS] == ["'" + value for value in INJECTIONS]
    assert [neutralise(value) for value in ["甲", "a=b", "", 12, -1, None]] == ["甲", "a=b", "", 12, -1, None]


def test_xlsx_export_has_no_formula_cell_and_neutralised_text() -> None:
    # given
    rows = [[value, value] for value in INJECTIONS]
    # when
    data = write_xlsx(["姓名", "=备注"], rows, sheet_title="人员")
    # then
    sheet = openpyxl.load_workbook(io.BytesIO(data))["人员"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert {cell.data_type for cell in cells} == {"s"}
    # XML reads a carriage return back as a line feed; the apostrophe in front is what matters.
    assert [cell.value for cell in sheet["A"]][1:] == ["'" + value.replace("\r", "\n") for value in INJECTIONS]
    assert sheet["B1"].value == "'=备注"


def test_xlsx_export_types_header_and_dates() -> None:
    # given
    rows = [["C001", 12, 2.5, datetime.date(2025, 3, 1), datetime.datetime(2025, 3, 1, 8, 30), True, None]]
    # when
    data = write_xlsx(["编码", "整数", "小数", "日期", "时刻", "是否", "空"], rows)
    # then
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Sheet1"]
    assert all(cell.font.bold for cell in sheet[1])
    assert [cell.value for cell in sheet[2]] == ["C001", 12, 2.5, datetime.datetime(2025, 3, 1),
                                                 datetime.datetime(2025, 3, 1, 8, 30), "是", None]
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].is_date


def test_xlsx_export_drops_characters_xml_cannot_hold() -> None:
    data = write_xlsx(["姓名"], [["张\x01三\x0b"]])
    assert read_table(data, "t.xlsx").rows == [["张三"]]


def test_aware_datetimes_export_in_shanghai_time() -> None:
    # given
    moment = datetime.datetime(2025, 3, 1, 0, 30, tzinfo=datetime.UTC)
    # when
    sheet = read_table(write_xlsx(["时刻"], [[moment]]), "t.xlsx")
    csv_sheet = read_table(write_csv(["时刻"], [[moment]]), "t.csv")
    # then
    assert sheet.rows == csv_sheet.rows == [["2025-03-01 08:30:00"]]


def test_csv_export_has_bom_crlf_and_neutralised_text() -> None:
    # when
    data = write_csv(["姓名", "学时"], [['=HYPERLINK("http://x","点我")', 2.0], ["张三", -1]])
    # then
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == '姓名,学时\r\n"\'=HYPERLINK(""http://x"",""点我"")",2\r\n张三,-1\r\n'


@pytest.mark.parametrize("write", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_export_reads_back_as_the_same_rows(write: Callable[..., bytes]) -> None:
    # given
    headers = ["组织编码", "组织名称", "开始日期", "学时", "设有中心组", "备注"]
    rows: list[list[object]] = [
        ["C001", "中共甲市委员会", datetime.date(2025, 3, 1), 2.5, True, None],
        ["C002", '=HYPERLINK("http://x","点我")', datetime.date(2025, 3, 2), 4, False, "＠甲, \"乙\"\n丙"],
        ["C003", "+86", datetime.date(2025, 3, 3), 0, False, "-"],
    ]
    # when
    sheet = read_table(write(headers, rows), "export")
    # then
    assert sheet == Sheet(
        headers=headers,
        rows=[
            ["C001", "中共甲市委员会", "2025-03-01", "2.5", "是", None],
            ["C002", '=HYPERLINK("http://x","点我")', "2025-03-02", "4", "否", "＠甲, \"乙\"\n丙"],
            ["C003", "+86", "2025-03-03", "0", "否", "-"],
        ],
        row_numbers=[2, 3, 4],
    )


def test_large_export_streams_and_reads_back() -> None:
    # given
    rows = ([f"P{number:06d}", f"人员{number}", number] for number in range(20_000))
    # when
    data = write_xlsx(["人员编号", "姓名", "序号"], rows)
    sheet = read_table(data, "big.xlsx")
    # then
    assert len(sheet.rows) == 20_000
    assert sheet.rows[-1] == ["P019999", "人员19999", "19999"]
    assert sheet.row_numbers[-1] == 20_001


# Whatever the bytes, a Sheet or a FileRefused


def read_or_refuse(data: bytes, filename: str) -> None:
    try:
        result = read_table(data, filename, max_cells=10_000)
    except FileRefused as refused:
        assert refused.detail
        return
    assert isinstance(result, Sheet)
    assert len(result.rows) == len(result.row_numbers)
    assert all(len(row) >= len(result.headers) for row in result.rows)


def mutate(base: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    data = bytearray(base)
    for position, byte in edits:
        data[position % len(data)] = byte
    return bytes(data[:cut] if cut is not None else data)


EDITS = st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8)
CUTS = st.none() | st.integers(min_value=0, max_value=4096)
NAMES = st.sampled_from(["t.xlsx", "t.xls", "t.csv", "", "t.png"])
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORG_CSV_GB18030 = ORG_CSV_TEXT.encode("gb18030")


@FUZZ
@given(data=st.binary(max_size=4096), filename=NAMES)
def test_random_bytes_give_a_sheet_or_a_refusal(data: bytes, filename: str) -> None:
    read_or_refuse(data, filename)


@FUZZ
@given(prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf"]),
       rest=st.binary(max_size=2048))
def test_random_bytes_behind_a_known_magic_give_a_sheet_or_a_refusal(prefix: bytes, rest: bytes) -> None:
    read_or_refuse(prefix + rest, "t.xlsx")


@FUZZ
@given(base=st.sampled_from([ORG_XLSX, SAMPLE_XLS, ORG_CSV_TEXT.encode(), ORG_CSV_GB18030]), edits=EDITS,
       cut=CUTS, filename=NAMES)
def test_mutated_files_give_a_sheet_or_a_refusal(base: bytes, edits: list[tuple[int, int]], cut: int | None,
                                                 filename: str) -> None:
    read_or_refuse(mutate(base, edits, cut), filename)


XLSX_MEMBERS = zipfile.ZipFile(io.BytesIO(ORG_XLSX)).namelist()


@FUZZ
@given(member=st.sampled_from(XLSX_MEMBERS), edits=EDITS, cut=st.none() | st.integers(min_value=0, max_value=2048))
def test_mutated_workbook_parts_give_a_sheet_or_a_refusal(member: str, edits: list[tuple[int, int]],
                                                          cut: int | None) -> None:
    # given: a valid zip around damaged XML, so the damage reaches openpyxl's parsers
    def change(name: str, content: bytes) -> bytes:
        return mutate(content, edits, cut) if name == member and content else content

    # then
    read_or_refuse(rezip(ORG_XLSX, change), "t.xlsx")


@FUZZ
@given(member=st.sampled_from(XLSX_MEMBERS), junk=st.text(max_size=200))
def test_workbook_parts_with_inserted_text_give_a_sheet_or_a_refusal(member: str, junk: str) -> None:
    def change(name: str, content: bytes) -> bytes:
        if name != member:
            return content
        middle = len(content) // 2
        return content[:middle] + junk.encode() + content[middle:]

    read_or_refuse(rezip(ORG_XLSX, change), "t.xlsx")


def test_mutation_helpers_keep_a_valid_file_valid() -> None:
    # The fuzz tests above would pass vacuously if rezip broke every workbook.
    assert read_table(rezip(ORG_XLSX, lambda name, content: content), "t.xlsx").rows == ORG_ROWS
