"""Word documents laid out as GB/T 9704-2012 official documents (党政机关公文格式).

The reports and inspections describe a document as data (`OfficialDocument` and its blocks) and
`write_document` lays it out; no caller touches python-docx. Choices the standard leaves open:

- Headings are numbered by the writer, never by the caller: `Heading(1, "基本情况")` comes out as
  “一、基本情况”, level 2 as “（一）”, level 3 as “1.”, level 4 as “（1）”, each level counting
  from one again under a new heading above it. A heading text that already starts with such a
  number is refused, so a number can never be printed twice.
- Lines are fixed at 28.95 pt (579 twips): the 版心 is 225 mm = 637.8 pt high, 637.8 / 22 =
  28.99 pt, and 579 twips is the largest whole-twip pitch that still fits 22 lines (580 fits 21).
- Signature and date follow 7.3.5.2 (no seal printed: the signature 右空二字, the date two
  characters right of it) unless the document is `sealed`, then 7.3.5.1 (the date 右空四字, the
  signature centred over it, room above for the seal).
- The 版记 follows the text; it is not pushed to the foot of the last even page.
- A `Paragraph` is one paragraph per line of its text: people write their reports in a text box,
  so line breaks are paragraph breaks, and a leading indent they typed (“　　”) is dropped because
  the layout indents the first line itself.
- Characters that XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF) would
  make Word refuse the file; they are removed, and the vertical tab and form feed that Word
  itself writes for line and page breaks in plain text become line breaks.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import docx
from django.utils import timezone
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Length, Mm, Pt, RGBColor, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

# Fonts named as Chinese Word installations name them; Latin text falls back to Times New Roman.
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
LATIN = "Times New Roman"

# 字号 in points.
SIZE_2 = Pt(22)  # 二号: title
SIZE_3 = Pt(16)  # 三号: body and headings
SIZE_4 = Pt(14)  # 四号: 版记, page numbers, table titles
SIZE_SMALL_4 = Pt(12)  # 小四: tables

PAGE_WIDTH = Mm(210)  # A4
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)  # 天头
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)  # 订口
MARGIN_RIGHT = Mm(26)
TEXT_WIDTH = Mm(156)  # 版心 156 × 225 mm
LINE_PITCH = Twips(579)  # 28.95 pt: 22 lines in the 225 mm 版心 (see the module docstring)
# The page number's 一字线 sits 7 mm below the 版心: the footer line is 14 pt (4.9 mm) high and the
# dash lies about half-way up it, so its foot is 35 - 7 - 2.5 mm above the page's edge.
FOOTER_DISTANCE = Mm(25.5)
HEADER_DISTANCE = Mm(15)

RED = RGBColor(0xFF, 0x00, 0x00)
CHINESE_CHARSET = "86"  # GB2312, so that Word substitutes a Chinese font for a missing one


@dataclass(frozen=True)
class Heading:
    """A heading of level 1 to 4 (一、 （一） 1. （1）); the writer adds the number."""

    level: int
    text: str

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3, 4):
            raise ValueError(f"标题层级只能是 1 到 4，收到 {self.level}：{self.text}")
        if _NUMBERED.match(self.text):
            raise ValueError(f"标题“{self.text}”已带序号：序号由文档自动编排，请去掉")


@dataclass(frozen=True)
class Paragraph:
    """Body text; each line of `text` becomes a paragraph with a two-character first-line indent."""

    text: str


Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Table:
    """A bordered table whose header row repeats on every page; numbers centred, text to the left."""

    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    title: str = ""  # 表题, centred above the table
    widths: Sequence[float] = ()  # relative column widths; equal when empty

    def __post_init__(self) -> None:
        if not self.header:
            raise ValueError(f"表格“{self.title}”没有表头")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.header):
                raise ValueError(f"表格“{self.title}”第 {number} 行有 {len(row)} 列，表头有 {len(self.header)} 列")
        if self.widths and (len(self.widths) != len(self.header) or min(self.widths) <= 0):
            raise ValueError(f"表格“{self.title}”的列宽应是 {len(self.header)} 个正数，收到 {list(self.widths)}")


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Masthead:
    """The red 版头: 发文机关标志, 发文字号 and the red separator line.

    With a `signer` (签发人) it is laid out as an upward document (上行文): the mark lower on the
    page, the 发文字号 on the left and the signer on the right.
    """

    mark: str  # 发文机关标志, e.g. 中共甲市委员会文件
    number: str  # 发文字号, e.g. 甲委发〔2027〕1号
    signer: str = ""  # 签发人


@dataclass(frozen=True)
class Record:
    """The 版记 at the end: 抄送机关, 印发机关 and 印发日期."""

    printed_by: str  # 印发机关
    printed_on: datetime.date  # 印发日期
    copies_to: Sequence[str] = ()  # 抄送机关


@dataclass(frozen=True)
class OfficialDocument:
    """A 公文 as data; `write_document` lays it out."""

    issuer: str  # 发文机关: the document's author in its properties, and its signature unless one is given
    title: str  # 标题; a line break in it is kept, so the caller decides how a long title wraps
    date: datetime.date  # 成文日期
    blocks: Sequence[Block] = ()
    addressee: str = ""  # 主送机关, the full-width colon is added
    signature: str = ""  # 发文机关署名, the issuer when empty
    attachments: Sequence[str] = ()  # 附件说明: the attachments' names
    masthead: Masthead | None = None  # 版头
    record: Record | None = None  # 版记
    sealed: bool = False  # leave room for a seal over signature and date (7.3.5.1)


def write_document(document: OfficialDocument) -> bytes:
    """Lay out an official document as a .docx file."""
    word = docx.Document()
    _set_up_page(word)
    _set_up_styles(word)
    _declare_fonts(word)
    _add_page_numbers(word)
    if document.masthead is not None:
        _add_masthead(word, document.masthead)
    _add_title(word, document.title)
    if document.addressee:
        _blank_line(word)
        addressee = _one_line(document.addressee).rstrip(":：")
        _run(_paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.LEFT), f"{addressee}：", _BODY)
    _add_blocks(word, document.blocks)
    if document.attachments:
        _blank_line(word)
        _add_attachments(word, document.attachments)
    _add_signature(word, document.signature or document.issuer, document.date, sealed=document.sealed)
    if document.record is not None:
        _blank_line(word)
        _add_record(word, document.record)
    _set_properties(word, document)
    # python-docx's template carries a preview picture of its own sample page; no preview beats a wrong one.
    package_rels = word.part.package.rels
    for r_id in [r_id for r_id, rel in package_rels.items() if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL]:
        del package_rels[r_id]
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def format_date(value: datetime.date) -> str:
    """A date as GB/T 9704 writes it: 2027年1月20日, Arabic numerals, no leading zeros."""
    return f"{value.year}年{value.month}月{value.day}日"


def chinese_number(number: int) -> str:
    """1 to 99 in Chinese numerals, as headings count: 一, 十, 十一, 二十."""
    digits = "零一二三四五六七八九"
    if not 0 < number < 100:
        raise ValueError(f"标题序号只能是 1 到 99，收到 {number}")
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


# ---------------------------------------------------------------------------------------------
# Text

_NUMBERED = re.compile(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、]|[（(]\d+[）)])")
# What XML 1.0 forbids, and C1 controls that no text means.
_XML_INVALID = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")


def _text(value: str) -> str:
    return _XML_INVALID.sub("", _LINE_BREAKS.sub("\n", value))


def _lines(value: str) -> list[str]:
    return [line for line in (part.strip() for part in _text(value).split("\n")) if line]


def _one_line(value: str) -> str:
    return "".join(_lines(value))


def _ems(text: str) -> float:
    """The width of a text in characters of its size: CJK and full-width one, the rest half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


# ---------------------------------------------------------------------------------------------
# Fonts and paragraphs


@dataclass(frozen=True)
class _Face:
    east_asian: str
    size: Length
    latin: str = LATIN
    bold: bool = False
    color: RGBColor | None = None


_TITLE = _Face(XIAOBIAOSONG, SIZE_2)
_BODY = _Face(FANGSONG, SIZE_3)
_HEADINGS = {1: _Face(HEITI, SIZE_3), 2: _Face(KAITI, SIZE_3), 3: _Face(FANGSONG, SIZE_3, bold=True),
             4: _Face(FANGSONG, SIZE_3)}
_SIGNER = _Face(KAITI, SIZE_3)
_RECORD = _Face(FANGSONG, SIZE_4)
_TABLE_TITLE = _Face(HEITI, SIZE_4)
_TABLE_HEADER = _Face(HEITI, SIZE_SMALL_4)
_TABLE_CELL = _Face(FANGSONG, SIZE_SMALL_4)
# 7.5: 4号半角宋体阿拉伯数字, Latin digits in 宋体 too.
_PAGE_NUMBER = _Face(SONGTI, SIZE_4, latin=SONGTI)


def _apply_face(r_pr: BaseOxmlElement, face: _Face) -> None:
    """Fonts on a w:rPr: python-docx sets only the Latin names, a Chinese document needs w:eastAsia."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    fonts.set(qn("w:ascii"), face.latin)
    fonts.set(qn("w:hAnsi"), face.latin)
    fonts.set(qn("w:eastAsia"), face.east_asian)
    fonts.set(qn("w:cs"), face.latin)
    # Quotation marks and dashes are East Asian in Chinese text: full-width “” and —.
    fonts.set(qn("w:hint"), "eastAsia")


def _run(paragraph: DocxParagraph, text: str, face: _Face) -> None:
    run = paragraph.add_run(text)
    run.font.size = face.size
    run.font.bold = face.bold
    if face.color is not None:
        run.font.color.rgb = face.color
    _apply_face(run._r.get_or_add_rPr(), face)


def _paragraph(word: DocxDocument, *, align: WD_PARAGRAPH_ALIGNMENT = WD_PARAGRAPH_ALIGNMENT.JUSTIFY,
               style: str | None = None, line: Length = LINE_PITCH) -> DocxParagraph:
    paragraph = word.add_paragraph(style=style)
    _format(paragraph, align=align, line=line)
    return paragraph


def _format(paragraph: DocxParagraph, *, align: WD_PARAGRAPH_ALIGNMENT, line: Length = LINE_PITCH) -> None:
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _blank_line(word: DocxDocument) -> None:
    _paragraph(word)


# The order of children that WordprocessingML's schema requires in w:pPr and w:tblPr.
_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_TBLPR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
                "tblCaption", "tblDescription")
_BORDER_ORDER = ("top", "left", "bottom", "right", "insideH", "insideV", "between", "bar")


def _put(parent: BaseOxmlElement, tag: str, order: Sequence[str], **attributes: str) -> BaseOxmlElement:
    """Set the child `tag` of `parent` (replacing one already there) at its place in the schema's order."""
    name = tag.removeprefix("w:")
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    child = OxmlElement(tag)
    for key, value in attributes.items():
        child.set(qn("w:" + key), value)
    later = order[order.index(name) + 1:]
    for existing in parent:
        if isinstance(existing.tag, str) and existing.tag.split("}")[-1] in later:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def _line(parent: BaseOxmlElement, edge: str, *, eighths: int, color: str = "000000", space: int = 0) -> None:
    """A single line on one edge of a w:pBdr or w:tblBorders; `eighths` of a point wide."""
    _put(parent, "w:" + edge, _BORDER_ORDER, val="single", sz=str(eighths), space=str(space), color=color)


def _paragraph_borders(paragraph: DocxParagraph) -> BaseOxmlElement:
    p_pr = paragraph._p.get_or_add_pPr()
    found = p_pr.find(qn("w:pBdr"))
    return found if found is not None else _put(p_pr, "w:pBdr", _PPR_ORDER)


def _no_auto_spacing(paragraph: DocxParagraph) -> None:
    """No extra space between Chinese and Latin letters or digits, so that widths add up."""
    p_pr = paragraph._p.get_or_add_pPr()
    _put(p_pr, "w:autoSpaceDE", _PPR_ORDER, val="0")
    _put(p_pr, "w:autoSpaceDN", _PPR_ORDER, val="0")


def _table_layout(table: DocxTable, widths: Sequence[Length], **edges: int) -> None:
    """A table exactly as wide as the 版心, fixed column widths, lines on the given `edges`."""
    tbl_pr = table._tbl.tblPr
    _put(tbl_pr, "w:tblW", _TBLPR_ORDER, w=str(int(TEXT_WIDTH.twips)), type="dxa")
    borders = _put(tbl_pr, "w:tblBorders", _TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if edge in edges:
            _line(borders, edge, eighths=edges[edge])
        else:
            _put(borders, "w:" + edge, _BORDER_ORDER, val="nil")
    _put(tbl_pr, "w:tblLayout", _TBLPR_ORDER, type="fixed")
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    for row in table.rows:
        for cell, column_width in zip(row.cells, widths, strict=True):
            cell.width = column_width


# ---------------------------------------------------------------------------------------------
# Page, styles, fonts, page numbers


def _set_up_page(word: DocxDocument) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.gutter = Mm(0)
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE


def _set_up_styles(word: DocxDocument) -> None:
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if r_pr is not None:
            _apply_face(r_pr, _BODY)
            lang = r_pr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:val"), "en-US")
                lang.set(qn("w:eastAsia"), "zh-CN")
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:
            spacing.getparent().remove(spacing)
    normal = word.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    _style_face(normal, _BODY)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(0)
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
    fmt.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY
    # Fixed 22 lines a page: a paragraph's last line is not pulled over to the next page.
    fmt.widow_control = False
    for level, face in _HEADINGS.items():
        style = word.styles[f"Heading {level}"]
        assert isinstance(style, ParagraphStyle)
        # The template's headings are blue Calibri with space around; keep only their outline level.
        for child in list(style.element):
            if child.tag == qn("w:rPr"):
                style.element.remove(child)
        p_pr = style.element.get_or_add_pPr()
        for child in list(p_pr):
            if child.tag not in (qn("w:keepNext"), qn("w:outlineLvl")):
                p_pr.remove(child)
        _style_face(style, face)
        hfmt = style.paragraph_format
        hfmt.space_before, hfmt.space_after = Pt(0), Pt(0)
        hfmt.line_spacing_rule, hfmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_PITCH
        hfmt.first_line_indent = SIZE_3 * 2
        hfmt.keep_with_next = True
        hfmt.alignment = WD_PARAGRAPH_ALIGNMENT.JUSTIFY


def _style_face(style: ParagraphStyle, face: _Face) -> None:
    style.font.size = face.size
    style.font.bold = face.bold
    style.font.color.rgb = face.color or RGBColor(0, 0, 0)
    _apply_face(style.element.get_or_add_rPr(), face)


# Word finds a substitute for a font it lacks by these entries: a GB2312 character set keeps the
# substitute Chinese, and 仿宋/楷体 are what newer Windows calls the GB2312 fonts.
_FONT_ENTRIES = (
    (FANGSONG, "仿宋", "modern", "fixed"),
    (KAITI, "楷体", "modern", "fixed"),
    (HEITI, "SimHei", "modern", "fixed"),
    (SONGTI, "SimSun", "auto", "variable"),
    (XIAOBIAOSONG, "", "script", "fixed"),
)


def _declare_fonts(word: DocxDocument) -> None:
    part = word.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    table = parse_xml(part.blob)
    for name, alternative, family, pitch in _FONT_ENTRIES:
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        if alternative:
            alt = OxmlElement("w:altName")
            alt.set(qn("w:val"), alternative)
            font.append(alt)
        for tag, value in (("w:charset", CHINESE_CHARSET), ("w:family", family), ("w:pitch", pitch)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            font.append(element)
        table.append(font)
    # The font table is a plain part in python-docx, held as bytes.
    part._blob = serialize_part_xml(table)  # type: ignore[attr-defined]


def _add_page_numbers(word: DocxDocument) -> None:
    """— 1 —: odd pages right, even pages left, one character in from the edge (7.5)."""
    word.settings.odd_and_even_pages_header_footer = True
    section = word.sections[0]
    for footer, align in ((section.footer, WD_PARAGRAPH_ALIGNMENT.RIGHT),
                          (section.even_page_footer, WD_PARAGRAPH_ALIGNMENT.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = word.styles["Normal"]
        _format(paragraph, align=align, line=SIZE_4)
        fmt = paragraph.paragraph_format
        if align == WD_PARAGRAPH_ALIGNMENT.RIGHT:
            fmt.right_indent = SIZE_4
        else:
            fmt.left_indent = SIZE_4
        _run(paragraph, "— ", _PAGE_NUMBER)
        _page_field(paragraph)
        _run(paragraph, " —", _PAGE_NUMBER)


def _page_field(paragraph: DocxParagraph) -> None:
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("shown", "1"), ("end", None)):
        _run(paragraph, "", _PAGE_NUMBER)
        run = paragraph.runs[-1]._r
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            instruction.text = text
            run.append(instruction)
        elif kind == "shown":
            shown = OxmlElement("w:t")
            shown.text = text
            run.append(shown)
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)


# ---------------------------------------------------------------------------------------------
# The parts of the document, top to bottom


def _add_masthead(word: DocxDocument, masthead: Masthead) -> None:
    upward = bool(masthead.signer)
    mark = _one_line(masthead.mark)
    # As large as fits the 版心 on one line, and no larger than 60 pt.
    size = Pt(min(60.0, int(TEXT_WIDTH.pt / max(_ems(mark), 1.0) * 2) / 2))
    paragraph = _paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.CENTER, line=Pt(size.pt * 1.25))
    # 7.2.3: the mark's top 35 mm below the 版心's top, 80 mm on an upward document.
    paragraph.paragraph_format.space_before = Mm(80 if upward else 35)
    _run(paragraph, mark, _Face(XIAOBIAOSONG, size, color=RED))
    _blank_line(word)
    _blank_line(word)
    if upward:
        # 居左空一字 and 居右空一字 by tab stops: an indent would shorten the red line too.
        number = _paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.LEFT)
        number.paragraph_format.tab_stops.add_tab_stop(SIZE_3, WD_TAB_ALIGNMENT.LEFT)
        number.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_3, WD_TAB_ALIGNMENT.RIGHT)
        _run(number, "\t" + _one_line(masthead.number) + "\t签发人：", _BODY)
        _run(number, _one_line(masthead.signer), _SIGNER)
    else:
        number = _paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.CENTER)
        _run(number, _one_line(masthead.number), _BODY)
    # 7.2.5: a red line as wide as the 版心, 4 mm under the 发文字号.
    _line(_paragraph_borders(number), "bottom", eighths=18, color=str(RED), space=11)
    _blank_line(word)
    _blank_line(word)


def _add_title(word: DocxDocument, title: str) -> None:
    paragraph = _paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.CENTER)
    paragraph.paragraph_format.keep_with_next = True
    lines = _lines(title)
    for index, line in enumerate(lines):
        _run(paragraph, line, _TITLE)
        if index < len(lines) - 1:
            paragraph.runs[-1].add_break()


def _add_blocks(word: DocxDocument, blocks: Sequence[Block]) -> None:
    counters = [0, 0, 0, 0]
    for block in blocks:
        if isinstance(block, Heading):
            counters[block.level - 1] += 1
            counters[block.level:] = [0] * (4 - block.level)
            _add_heading(word, block, counters[block.level - 1])
        elif isinstance(block, Paragraph):
            for line in _lines(block.text):
                paragraph = _paragraph(word)
                paragraph.paragraph_format.first_line_indent = SIZE_3 * 2
                _run(paragraph, line, _BODY)
        else:
            _add_table(word, block)


def _add_heading(word: DocxDocument, heading: Heading, number: int) -> None:
    prefix = {1: f"{chinese_number(number)}、", 2: f"（{chinese_number(number)}）", 3: f"{number}.",
              4: f"（{number}）"}[heading.level]
    paragraph = word.add_paragraph(style=f"Heading {heading.level}")
    _run(paragraph, prefix + _one_line(heading.text), _HEADINGS[heading.level])


def _add_table(word: DocxDocument, block: Table) -> None:
    if block.title:
        title = _paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.CENTER)
        title.paragraph_format.keep_with_next = True
        _run(title, _one_line(block.title), _TABLE_TITLE)
    columns = len(block.header)
    table = word.add_table(rows=1 + len(block.rows), cols=columns)
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = list(block.widths) or [1.0] * columns
    widths = [Twips(int(TEXT_WIDTH.twips * weight / sum(weights))) for weight in weights]
    _table_layout(table, widths, top=4, left=4, bottom=4, right=4, insideH=4, insideV=4)
    # One pass over the rows: python-docx's table.rows[i] walks the table from the top each time.
    for row_index, (row, values) in enumerate(zip(table.rows, [list(block.header), *block.rows], strict=True)):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if row_index == 0:
            # Word and LibreOffice repeat a w:tblHeader row at the top of every page the table runs onto.
            tr_pr.append(OxmlElement("w:tblHeader"))
        for cell, value in zip(row.cells, values, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = cell.paragraphs[0]
            is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
            align = WD_PARAGRAPH_ALIGNMENT.CENTER if row_index == 0 or is_number else WD_PARAGRAPH_ALIGNMENT.LEFT
            _format(paragraph, align=align, line=Pt(SIZE_SMALL_4.pt * 1.5))
            face = _TABLE_HEADER if row_index == 0 else _TABLE_CELL
            for index, line in enumerate(_text("" if value is None else str(value)).split("\n")):
                if index:
                    paragraph.runs[-1].add_break()
                _run(paragraph, line.strip(), face)


def _add_attachments(word: DocxDocument, attachments: Sequence[str]) -> None:
    """7.3.4: 附件：1.名称, 左空二字; wrapped lines and later names line up under the first name."""
    names = [_one_line(name) for name in attachments]
    for index, name in enumerate(names):
        label = "附件：" if index == 0 else ""
        number = f"{index + 1}." if len(names) > 1 else ""
        paragraph = _paragraph(word)
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt(SIZE_3.pt * (2 + 3 + _ems(number)))
        fmt.first_line_indent = -Pt(SIZE_3.pt * (_ems(label) + _ems(number)))
        _run(paragraph, label + number + name, _BODY)


def _add_signature(word: DocxDocument, signature: str, date: datetime.date, *, sealed: bool) -> None:
    name, written = _one_line(signature), format_date(date)
    name_width, date_width = _ems(name), _ems(written)
    if sealed:
        # 7.3.5.1: the date 右空四字, the name centred over it, two lines for the seal above.
        date_right = 4.0
        name_right = max(0.0, date_right + (date_width - name_width) / 2)
        _blank_line(word)
    else:
        # 7.3.5.2: the name 右空二字, the date starting two characters right of the name's start;
        # a date longer than that moves the name left, keeping the date 右空二字.
        name_right = 2.0
        date_right = name_right + name_width - 2 - date_width
        if date_right < 2:
            date_right = 2.0
            name_right = date_right + date_width + 2 - name_width
    _blank_line(word)
    for text, right in ((name, name_right), (written, date_right)):
        paragraph = _paragraph(word, align=WD_PARAGRAPH_ALIGNMENT.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(SIZE_3.pt * right)
        paragraph.paragraph_format.keep_with_next = text == name
        _no_auto_spacing(paragraph)
        _run(paragraph, text, _BODY)


def _add_record(word: DocxDocument, record: Record) -> None:
    """7.4: 抄送 and 印发 in 4号仿宋 between thick lines as wide as the 版心, a thin line between them.

    A one-column table carries the lines, since a paragraph's border would be shortened by its indents.
    """
    em = SIZE_4.pt
    copies = [name for name in (_one_line(name) for name in record.copies_to) if name]
    table = word.add_table(rows=2 if copies else 1, cols=1)
    # 首条和末条分隔线用粗线（0.35 mm ≈ 1 pt），中间的用细线（0.25 mm ≈ 0.75 pt）.
    _table_layout(table, [TEXT_WIDTH], top=8, bottom=8, insideH=6)
    margins = _put(table._tbl.tblPr, "w:tblCellMar", _TBLPR_ORDER)
    for edge in ("left", "right"):
        _put(margins, "w:" + edge, ("top", "left", "start", "bottom", "right", "end"), w="0", type="dxa")
    cells = [row.cells[0].paragraphs[0] for row in table.rows]
    if copies:
        # 左右各空一字; a wrapped line starts under the first name, after “抄送：”.
        _format(cells[0], align=WD_PARAGRAPH_ALIGNMENT.JUSTIFY)
        fmt = cells[0].paragraph_format
        fmt.left_indent, fmt.first_line_indent, fmt.right_indent = Pt(em * 4), -Pt(em * 3), Pt(em)
        _run(cells[0], "抄送：" + "，".join(copies) + "。", _RECORD)
    printed = cells[-1]
    _format(printed, align=WD_PARAGRAPH_ALIGNMENT.LEFT)
    printed.paragraph_format.tab_stops.add_tab_stop(Pt(em), WD_TAB_ALIGNMENT.LEFT)
    printed.paragraph_format.tab_stops.add_tab_stop(TEXT_WIDTH - SIZE_4, WD_TAB_ALIGNMENT.RIGHT)
    _run(printed, f"\t{_one_line(record.printed_by)}\t{format_date(record.printed_on)}印发", _RECORD)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _set_properties(word: DocxDocument, document: OfficialDocument) -> None:
    properties = word.core_properties
    now = timezone.now()
    properties.title = _one_line(document.title)
    properties.author = _one_line(document.issuer)
    properties.last_modified_by = _one_line(document.issuer)
    properties.created = now
    properties.modified = now
    properties.revision = 1
    properties.language = "zh-CN"
    properties.comments = ""
    properties.subject = ""
    properties.keywords = ""
    properties.category = "公文"

