"""Spreadsheet files as plain rows of text: .xlsx, .xls and .csv in, .xlsx and .csv out.

The type of an upload is decided by its bytes, never by its name, and every limit is
checked before the work it protects (size before parsing, zip sizes before inflating,
the declared dimension before reading cells).
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import IO
from xml.etree.ElementTree import ParseError
from zoneinfo import ZoneInfo

import openpyxl
import xlrd
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formula.translate import TranslatorError
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Font
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.functions import iterparse

from xuexi.errors import DomainError

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MIB
DEFAULT_MAX_CELLS = 2_000_000

# Zip-bomb guards for .xlsx, checked on the central directory before anything is inflated.
# zipfile never yields more than a member's declared size (a lie fails the CRC check), so the
# declared sizes can be trusted as upper bounds.
MAX_UNCOMPRESSED_BYTES = 200 * MIB
MAX_COMPRESSION_RATIO = 100
COMPRESSION_RATIO_FLOOR_BYTES = 10 * MIB
MAX_ZIP_MEMBERS = 10_000

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

TRUE_TEXT = "是"
FALSE_TEXT = "否"
ACCEPTED_TYPES_HINT = "请上传 .xlsx、.xls 或 .csv 文件"

XLSX_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Files people upload by mistake, named by what they are so the message can say so.
OTHER_FILE_MAGICS = {
    b"\x89PNG\r\n\x1a\n": "PNG 图片",
    b"\xff\xd8\xff": "JPEG 图片",
    b"GIF87a": "GIF 图片",
    b"GIF89a": "GIF 图片",
    b"%PDF-": "PDF 文档",
    b"Rar!\x1a\x07": "RAR 压缩包",
    b"7z\xbc\xaf\x27\x1c": "7z 压缩包",
    b"\x1f\x8b": "gzip 压缩包",
}
# Web systems often export an HTML table or SpreadsheetML with an .xls name.
MARKUP_SIGNS = ("<html", "<!doctype html", "<table", "<?xml", "urn:schemas-microsoft-com:office:spreadsheet")
CSV_DELIMITERS = ",\t;"
CSV_SNIFF_CHARS = 64 * 1024
# Surrounding whitespace (including the full-width space) and invisible marks that travel
# with text copied from web pages or Word.
EDGE_BLANKS = re.compile(r"^[\s\ufeff\u200b]+|[\s\ufeff\u200b]+$")
SHANGHAI = ZoneInfo("Asia/Shanghai")


class FileRefusal(StrEnum):
    EMPTY = "file_empty"
    TOO_LARGE = "file_too_large"
    UNKNOWN_TYPE = "file_type_unknown"
    ENCRYPTED = "file_encrypted"
    ZIP_BOMB = "file_zip_bomb"
    TOO_MANY_CELLS = "file_too_many_cells"
    CELL_TOO_LONG = "file_cell_too_long"
    ENCODING_UNKNOWN = "file_encoding_unknown"
    CORRUPT = "file_corrupt"
    NO_HEADER = "file_no_header"


class FileRefused(DomainError):
    """An upload that cannot be read as a table; the detail says what was wrong and what is expected."""

    def __init__(self, code: FileRefusal, detail: str) -> None:
        super().__init__(str(code), detail)
        self.refusal = code


@dataclass(frozen=True)
class Sheet:
    """The first sheet as text, as a person sees it.

    Every row has at least one cell per header; it has more only when a cell lies beyond
    the last header, so a caller can tell data without a column name from a blank.
    """

    headers: list[str]
    rows: list[list[str | None]]
    row_numbers: list[int]


def read_table(
    data: bytes,
    filename: str = "",
    *,
    max_bytes: int | None = None,
    max_cells: int | None = None,
) -> Sheet:
    """Read the first sheet of an .xlsx, .xls or .csv upload, whatever its name says."""
    max_bytes = _limit("XUEXI_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES) if max_bytes is None else max_bytes
    max_cells = _limit("XUEXI_IMPORT_MAX_CELLS", DEFAULT_MAX_CELLS) if max_cells is None else max_cells
    if not data:
        raise FileRefused(FileRefusal.EMPTY, f"文件是空的：{ACCEPTED_TYPES_HINT}，第 1 行为表头")
    if len(data) > max_bytes:
        raise FileRefused(
            FileRefusal.TOO_LARGE,
            f"文件超过 {_describe_bytes(max_bytes)} 上限（实际 {_describe_bytes(len(data))}）：请拆分后分批上传",
        )
    if data.startswith((XLSX_MAGIC, EMPTY_ZIP_MAGIC)):
        return _read_xlsx(data, filename, max_cells)
    if data.startswith(OLE2_MAGIC):
        return _read_xls(data, max_cells)
    for magic, description in OTHER_FILE_MAGICS.items():
        if data.startswith(magic):
            raise FileRefused(FileRefusal.UNKNOWN_TYPE, f"无法识别的文件类型：{_named(filename)}是{description}，"
                                                        f"{ACCEPTED_TYPES_HINT}")
    return _read_csv(data, filename, max_cells)


def neutralise(value: object) -> object:
    """Make a text cell that a spreadsheet would run as a formula show as text (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[object]], *, sheet_title: str = "Sheet1") -> bytes:
    """Write one sheet with a bold header row; no cell is ever a formula."""
    return write_workbook([(sheet_title, headers, rows)])


def write_workbook(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]]) -> bytes:
    """Write sheets of (title, headers, rows), each with a bold header row; no cell is ever a formula."""
    workbook = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for column, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = max(10, 2 * len(header) + 4)
        header_cells = []
        for header in headers:
            cell = _text_cell(sheet, header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in rows:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Write UTF-8 with a byte-order mark (so Excel on Chinese Windows reads it) and CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


# Reading: common


def _limit(name: str, default: int) -> int:
    from django.conf import settings

    if not settings.configured:
        return default
    return int(getattr(settings, name, default))


def _describe_bytes(size: int) -> str:
    if size >= MIB:
        megabytes = size / MIB
        return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size:,} 字节"


def _named(filename: str) -> str:
    # Only the final component, so nothing of a client's directory layout ends up in a message.
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return f"“{base}”" if base else "该文件"


def _too_many_cells(max_cells: int) -> FileRefused:
    return FileRefused(FileRefusal.TOO_MANY_CELLS, f"表格单元格过多（超过 {max_cells:,} 个）：请拆分后分批上传")


def _corrupt(reason: str) -> FileRefused:
    return FileRefused(FileRefusal.CORRUPT, f"文件已损坏或格式不正确：{reason}；请用 Excel 或 WPS 打开后重新保存再上传")


_EDGE_MARKS = "\ufeff\u200b'"


def _clean_text(text: str) -> str | None:
    # Most cells have nothing to strip: skip the regular expression for them (imports read millions).
    if text and not text[0].isspace() and not text[-1].isspace() and text[0] not in _EDGE_MARKS \
            and text[-1] not in _EDGE_MARKS:
        return text
    text = EDGE_BLANKS.sub("", text)
    # Undo our own export neutralisation, so exporting and re-importing gives back the stored text.
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = EDGE_BLANKS.sub("", text[1:])
    return text or None


def _number_text(number: int | float | Decimal) -> str:
    if isinstance(number, int):
        return str(number)
    if isinstance(number, float) and not math.isfinite(number):
        return str(number)
    if number == 0:
        return "0"
    # Excel keeps 15 significant digits, so 0.1+0.2 shows as 0.3 and 12.0 as 12.
    return format(Decimal(format(number, ".15g")), "f")


def _datetime_text(moment: datetime.datetime) -> str:
    rounded = (moment + datetime.timedelta(microseconds=500_000)).replace(microsecond=0)
    if rounded.time() == datetime.time(0, 0):
        return rounded.date().isoformat()
    return rounded.isoformat(sep=" ")


def _duration_text(duration: datetime.timedelta) -> str:
    total_seconds = round(duration.total_seconds())
    sign = "-" if total_seconds < 0 else ""
    hours, remainder = divmod(abs(total_seconds), 3600)
    minutes, seconds = divmod(remainder, 60)
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _clean_text(value)
    if isinstance(value, bool):
        return TRUE_TEXT if value else FALSE_TEXT
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return _datetime_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.timedelta):
        return _duration_text(value)
    if isinstance(value, ArrayFormula):
        return _clean_text(str(value.text))
    if isinstance(value, DataTableFormula):
        return f"=TABLE({value.r1 or ''},{value.r2 or ''})"
    return _clean_text(str(value))


def _header_text(value: object) -> str:
    return _cell_text(value) or ""


# A cell that is empty or has something to strip at either end, seen in a row's cells joined by NUL.
_ROW_NEEDS_CLEANING = re.compile(r"(?:^|\x00)(?:[\s\ufeff\u200b'\x00]|$)|[\s\ufeff\u200b'](?:\x00|$)")


def _clean_row(values: Sequence[object]) -> list[str | None]:
    # Imports read millions of rows whose cells are all text with nothing to strip: one search of the
    # joined row proves that, and the row is kept as it is. A NUL inside a cell can only cause a needless search.
    try:
        joined = "\x00".join(values)  # type: ignore[arg-type]
    except TypeError:  # a cell that is not text
        pass
    else:
        if not _ROW_NEEDS_CLEANING.search(joined):
            return list(values)  # type: ignore[arg-type]
    return [_cell_text(value) for value in values]


def _sheet_from_rows(numbered_rows: Iterable[tuple[int, Sequence[object]]]) -> Sheet:
    """Turn raw (row number, values) pairs, the header first, into a Sheet of text."""
    headers: list[str] | None = None
    rows: list[list[str | None]] = []
    row_numbers: list[int] = []
    for row_number, values in numbered_rows:
        if headers is None:
            if row_number != 1 or all(_cell_text(value) is None for value in values):
                raise FileRefused(FileRefusal.NO_HEADER, "第 1 行没有表头：请在第 1 行填写列名，数据从第 2 行开始")
            headers = [_header_text(value) for value in values]
            while headers and not headers[-1]:
                headers.pop()
            continue
        cells = _clean_row(values)
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            continue
        cells.extend([None] * (len(headers) - len(cells)))
        rows.append(cells)
        row_numbers.append(row_number)
    if headers is None:
        raise FileRefused(FileRefusal.NO_HEADER, "表格是空的：请在第 1 行填写列名，数据从第 2 行开始")
    return Sheet(headers=headers, rows=rows, row_numbers=row_numbers)


# Reading: .xlsx

# What openpyxl and the zip and XML layers beneath it raise on a damaged workbook.
XLSX_DAMAGE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    ParseError,
    InvalidFileException,
    TranslatorError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    EOFError,
    OverflowError,
    NotImplementedError,
)


def _read_xlsx(data: bytes, filename: str, max_cells: int) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError) as error:
        raise _corrupt("不是完整的 .xlsx 压缩包") from error
    with archive:
        _check_zip(archive, filename)
    try:
        # openpyxl reads the workbook's parts; the sheet itself is read below. (load_workbook would first
        # parse a whole sheet that declares no dimension, as openpyxl's own writer leaves it, to size it.)
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        path = next((rel.target for _, rel in reader.parser.find_sheets()
                     if rel.target in reader.valid_files and "chartsheet" not in rel.Type), None)
    except (*XLSX_DAMAGE, OSError) as error:  # OSError: "File contains no valid workbook part"
        raise _corrupt("无法打开工作簿") from error
    try:
        if path is None:
            raise FileRefused(FileRefusal.NO_HEADER, "工作簿中没有工作表：请在第一个工作表的第 1 行填写列名")
        with reader.archive.open(path) as source:
            max_row, max_column = _declared_size(source)
        if max_row is not None and max_column is not None and max_row * max_column > max_cells:
            raise _too_many_cells(max_cells)
        # The declared dimension may understate the sheet (some generators write A1): reading past it
        # keeps every row, and the count below still bounds the work.
        with reader.archive.open(path) as source:
            return _sheet_from_rows(_counted_rows(_xlsx_rows(source, reader), max_cells))
    except XLSX_DAMAGE as error:
        raise _corrupt("工作表内容无法读取") from error
    finally:
        reader.archive.close()


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT = (f"{_MAIN}{tag}" for tag in ("row", "c", "v", "is", "t"))


def _declared_size(source: IO[bytes]) -> tuple[int | None, int | None]:
    """The rows and columns the sheet's <dimension> declares, if it declares one before its data."""
    for _, element in iterparse(source, events=("start",)):
        if element.tag == f"{_MAIN}dimension":
            _, _, max_column, max_row = range_boundaries(element.get("ref", ""))
            return max_row, max_column
        if element.tag == f"{_MAIN}sheetData":
            break
    return None, None


def _xlsx_rows(source: IO[bytes], reader: ExcelReader) -> Iterator[tuple[object, ...]]:
    """The sheet's rows as openpyxl's read-only iter_rows(values_only=True) gives them, with no size declared.

    Text cells, shared or inline, are most of an import: they are read here directly. Every other cell
    (numbers, dates, booleans, errors, formulas, rich text) goes to openpyxl's own cell parser.
    """
    parser = WorkSheetParser(source, reader.shared_strings, data_only=False, epoch=reader.wb.epoch,
                             date_formats=reader.wb._date_formats, timedelta_formats=reader.wb._timedelta_formats)
    strings = reader.shared_strings
    columns: dict[str, int] = {}
    expected = 1
    number = 0
    sheet_data = None
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            if element.tag == f"{_MAIN}sheetData":
                sheet_data = element
            continue
        if element.tag != _ROW:
            continue
        number = _row_number(element.get("r"), number)
        cells: list[tuple[int, object]] = []
        column = 0
        for cell in element:
            coordinate = cell.get("r")
            column = _column_number(coordinate, columns) if coordinate else column + 1
            kind = cell.get("t")
            if kind == "s" and len(cell) == 1 and cell[0].tag == _VALUE:
                index = cell[0].text
                cells.append((column, strings[int(index)] if index else None))
            elif kind == "inlineStr" and len(cell) == 1 and cell[0].tag == _INLINE and len(cell[0]) == 1 \
                    and cell[0][0].tag == _TEXT:
                cells.append((column, cell[0][0].text or ""))
            else:
                parser.row_counter, parser.col_counter = number, column - 1
                parsed = parser.parse_cell(cell)
                column = parsed["column"]
                cells.append((column, parsed["value"]))
        if sheet_data is not None:
            sheet_data.clear()  # the rows read so far: memory stays flat however long the sheet is
        while expected < number:  # rows the sheet leaves out
            expected += 1
            yield ()
        if expected > number:  # a row numbered before one already read: openpyxl skips it
            continue
        expected += 1
        if not cells:
            yield ()
            continue
        values: list[object] = [None] * cells[-1][0]
        for position, value in cells:
            if position <= len(values):
                values[position - 1] = value
        yield tuple(values)


def _row_number(attribute: str | None, previous: int) -> int:
    if attribute is None:
        return previous + 1
    try:
        return int(attribute)
    except ValueError:
        number = float(attribute)
        if not number.is_integer():
            raise
        return int(number)


def _column_number(coordinate: str, known: dict[str, int]) -> int:
    letters = coordinate.rstrip("0123456789")
    if letters not in known:
        if letters == coordinate:
            raise ValueError(f"单元格坐标无效：{coordinate}")
        known[letters] = column_index_from_string(letters)
    return known[letters]


def _check_zip(archive: zipfile.ZipFile, filename: str) -> None:
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileRefused(FileRefusal.ZIP_BOMB, f"压缩内容异常（疑似压缩炸弹）：包含超过 {MAX_ZIP_MEMBERS:,} 个文件")
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise FileRefused(
            FileRefusal.UNKNOWN_TYPE,
            f"无法识别的文件类型：{_named(filename)}是压缩包或其他文档，不是 Excel 工作簿；{ACCEPTED_TYPES_HINT}",
        )
    if "xl/workbook.bin" in names:
        raise FileRefused(
            FileRefusal.UNKNOWN_TYPE, "不支持 Excel 二进制工作簿（.xlsb）：请在 Excel 中另存为 .xlsx 后上传"
        )
    if any(member.flag_bits & 0x1 for member in members):
        raise FileRefused(FileRefusal.ENCRYPTED, "文件已加密：请取消密码保护后再上传")
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise FileRefused(FileRefusal.ZIP_BOMB,
                              f"压缩内容异常（疑似压缩炸弹）：解压后超过 {_describe_bytes(MAX_UNCOMPRESSED_BYTES)}")
        if (
            member.file_size > COMPRESSION_RATIO_FLOOR_BYTES
            and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        ):
            raise FileRefused(FileRefusal.ZIP_BOMB,
                              f"压缩内容异常（疑似压缩炸弹）：压缩比超过 {MAX_COMPRESSION_RATIO}:1")


def _counted_rows(rows: Iterable[Sequence[object]], max_cells: int) -> Iterator[tuple[int, Sequence[object]]]:
    cells = 0
    for row_number, values in enumerate(rows, start=1):
        cells += len(values)
        if cells > max_cells:
            raise _too_many_cells(max_cells)
        yield row_number, values


# Reading: .xls

# xlrd checks little of what it reads, so a damaged file fails in ordinary Python ways.
XLS_DAMAGE = (
    xlrd.XLRDError,
    xlrd.compdoc.CompDocError,
    struct.error,
    IndexError,
    KeyError,
    ValueError,
    TypeError,
    AssertionError,
    ZeroDivisionError,
    OverflowError,
    EOFError,
    LookupError,
    AttributeError,
)
ENCRYPTED_OOXML_STREAM = "EncryptedPackage".encode("utf-16-le")


def _read_xls(data: bytes, max_cells: int) -> Sheet:
    if ENCRYPTED_OOXML_STREAM in data:
        raise FileRefused(FileRefusal.ENCRYPTED, "文件已加密：请取消密码保护后再上传")
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO())
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise FileRefused(FileRefusal.ENCRYPTED, "文件已加密：请取消密码保护后再上传") from error
        raise _corrupt("无法打开 .xls 工作簿") from error
    except XLS_DAMAGE as error:
        raise _corrupt("无法打开 .xls 工作簿") from error
    try:
        if book.nsheets == 0:
            raise FileRefused(FileRefusal.NO_HEADER, "工作簿中没有工作表：请在第一个工作表的第 1 行填写列名")
        sheet = book.sheet_by_index(0)
        if sheet.nrows * sheet.ncols > max_cells:
            raise _too_many_cells(max_cells)
        return _sheet_from_rows(
            (row_index + 1, [_xls_value(cell, book.datemode) for cell in sheet.row(row_index)])
            for row_index in range(sheet.nrows)
        )
    except XLS_DAMAGE as error:
        raise _corrupt("工作表内容无法读取") from error
    finally:
        book.release_resources()


def _xls_value(cell: xlrd.sheet.Cell, datemode: int) -> object:
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
    return cell.value


# Reading: .csv


def _read_csv(data: bytes, filename: str, max_cells: int) -> Sheet:
    text = _decode_csv(data, filename)
    head = text[:2048].lstrip().lower()
    if head.startswith("<") and any(sign in head for sign in MARKUP_SIGNS):
        raise FileRefused(
            FileRefusal.UNKNOWN_TYPE,
            f"{_named(filename)}是网页（HTML）或 XML 格式的表格，不是真正的 Excel 文件："
            "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传",
        )
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=_sniff_delimiter(text),
        quotechar='"',
        doublequote=True,
        skipinitialspace=False,
        strict=False,
    )
    try:
        return _sheet_from_rows(_counted_rows(reader, max_cells))
    except csv.Error as error:
        raise FileRefused(
            FileRefusal.CELL_TOO_LONG,
            f"CSV 单元格内容过长（超过 {csv.field_size_limit():,} 个字符）：请检查引号是否成对",
        ) from error


def _decode_csv(data: bytes, filename: str) -> str:
    encoding_unknown = FileRefused(FileRefusal.ENCODING_UNKNOWN, "CSV 编码无法识别：请另存为 UTF-8 或 GB18030")
    if data.startswith(UTF8_BOM):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise encoding_unknown from error
    if data.startswith(UTF16_BOMS):
        raise FileRefused(FileRefusal.ENCODING_UNKNOWN, "CSV 编码为 UTF-16，无法识别：请另存为 UTF-8 或 GB18030")
    if b"\x00" in data:
        raise FileRefused(FileRefusal.UNKNOWN_TYPE,
                          f"无法识别的文件类型：{_named(filename)}含有空字节，不是文本表格；{ACCEPTED_TYPES_HINT}")
    # GB18030 is a superset of GBK and GB2312, which Excel on Chinese Windows saves as "CSV".
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise encoding_unknown


def _sniff_delimiter(text: str) -> str:
    # The header line alone: data cells may hold ; or 、 lists, but column names never hold a delimiter.
    header_line = text[:CSV_SNIFF_CHARS].split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(header_line, delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        return ","


# Writing


def _text_cell(sheet: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(neutralise(text))))
    # Belt and braces: even a value that slipped past neutralise is stored as text, never a formula.
    cell.data_type = "s"
    return cell


def _xlsx_cell(sheet: object, value: object) -> WriteOnlyCell:
    if value is None:
        return WriteOnlyCell(sheet, value=None)
    if isinstance(value, bool):
        return _text_cell(sheet, TRUE_TEXT if value else FALSE_TEXT)
    if isinstance(value, int | Decimal) or (isinstance(value, float) and math.isfinite(value)):
        return WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=_naive_shanghai(value))
        cell.number_format = "yyyy-mm-dd hh:mm:ss"
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return _text_cell(sheet, str(value))


def _naive_shanghai(moment: datetime.datetime) -> datetime.datetime:
    # Excel has no time zones; the platform's dates are read in Asia/Shanghai.
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(SHANGHAI).replace(tzinfo=None)


def _csv_text(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return TRUE_TEXT if value else FALSE_TEXT
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return _datetime_text(_naive_shanghai(value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))
