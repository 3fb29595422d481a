"""Official documents (GB/T 9704) written as .docx, read back with python-docx, converted by LibreOffice.

LibreOffice is part of the test set-up (.ci/run installs libreoffice-writer-nogui): without it the
conversion test fails, it is not skipped.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from xuexi.exchange.documents import (
    FANGSONG,
    HEITI,
    KAITI,
    LATIN,
    SONGTI,
    XIAOBIAOSONG,
    Heading,
    Masthead,
    OfficialDocument,
    Paragraph,
    Record,
    Table,
    chinese_number,
    format_date,
    write_document,
)

DATE = datetime.date(2027, 1, 20)
CONTROL = "\x00\x01\x08\x0e\x1f\x7f\x9f\ufffe\uffff\ud800"
LIBREOFFICE_TIMEOUT = 120


def full_document(**changes: object) -> OfficialDocument:
    """A document with every part the writer knows: 版头, every block, 附件说明, 版记."""
    fields: dict[str, object] = {
        "issuer": "中共甲市委员会",
        "title": "中共甲市委员会关于2026年度\n学习型党组织建设情况的报告",
        "date": DATE,
        "addressee": "中共乙省委组织部、宣传部",
        "masthead": Masthead(mark="中共甲市委员会文件", number="甲委发〔2027〕1号"),
        "blocks": [
            Paragraph("根据省委要求，现将我市2026年度学习型党组织建设情况报告如下。"),
            Heading(1, "基本情况"),
            Heading(2, "中心组学习"),
            Paragraph("全年开展中心组集体学习12次。\n\n　　其中专题研讨4次。"),
            Heading(3, "学习次数"),
            Heading(4, "第一季度"),
            Heading(4, "第二季度"),
            Heading(3, "学习内容"),
            Heading(2, "培训"),
            Table(header=["组织", "中心组学习（次）", "培训（场）"],
                  rows=[["甲市委", 12, 30], ["乙县委\n（含开发区）", 10, None]] * 15,
                  title="表1 各地学习情况", widths=[3, 2, 2]),
            Heading(1, "存在问题" + CONTROL),
            Paragraph("个别单位学习" + CONTROL + "流于形式。"),
        ],
        "attachments": ["2026年度学习情况统计表", "2027年度学习计划"],
        "record": Record(printed_by="中共甲市委办公室", printed_on=datetime.date(2027, 1, 21),
                         copies_to=["省委办公厅", "省委宣传部"]),
    }
    fields.update(changes)
    return OfficialDocument(**fields)  # type: ignore[arg-type]


def read(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def texts(document: DocxDocument) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def paragraph_with(document: DocxDocument, text: str) -> DocxParagraph:
    return next(p for p in document.paragraphs if p.text == text)


def face(paragraph: DocxParagraph) -> tuple[str | None, str | None, float | None, bool | None]:
    """The East Asian font, the Latin font, the size in points and the weight of a paragraph's first run."""
    run = paragraph.runs[0]
    fonts = run._r.get_or_add_rPr().find(qn("w:rFonts"))
    assert fonts is not None, f"“{paragraph.text}” has no w:rFonts"
    size = run.font.size.pt if run.font.size is not None else None
    return fonts.get(qn("w:eastAsia")), fonts.get(qn("w:ascii")), size, run.font.bold


def libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        pytest.fail("没有找到 LibreOffice（libreoffice 命令）：测试环境应安装 Debian 的 libreoffice-writer-nogui，"
                    ".ci/run 会自动安装（apt-get install -y --no-install-recommends libreoffice-writer-nogui）")
    return found


def page_count(pdf: Path) -> int:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True, timeout=30).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf.read_bytes()))


def test_parts_read_back_in_order_with_the_headings_numbered() -> None:
    # given
    document = full_document()

    # when
    written = read(write_document(document))

    # then
    assert texts(written) == [
        "中共甲市委员会文件",
        "甲委发〔2027〕1号",
        "中共甲市委员会关于2026年度\n学习型党组织建设情况的报告",
        "中共乙省委组织部、宣传部：",
        "根据省委要求，现将我市2026年度学习型党组织建设情况报告如下。",
        "一、基本情况",
        "（一）中心组学习",
        "全年开展中心组集体学习12次。",
        "其中专题研讨4次。",
        "1.学习次数",
        "（1）第一季度",
        "（2）第二季度",
        "2.学习内容",
        "（二）培训",
        "表1 各地学习情况",
        "二、存在问题",
        "个别单位学习流于形式。",
        "附件：1.2026年度学习情况统计表",
        "2.2027年度学习计划",
        "中共甲市委员会",
        "2027年1月20日",
    ]
    assert [p.style.name for p in written.paragraphs if p.text.startswith(("一、", "（一）", "1.", "（1）"))] == [
        "Heading 1", "Heading 2", "Heading 3", "Heading 4",
    ]


def test_title_body_and_headings_use_the_official_fonts() -> None:
    # given
    document = full_document()

    # when
    written = read(write_document(document))

    # then
    assert face(paragraph_with(written, "中共甲市委员会关于2026年度\n学习型党组织建设情况的报告")) == (
        XIAOBIAOSONG, LATIN, 22, False)
    assert face(paragraph_with(written, "其中专题研讨4次。")) == (FANGSONG, LATIN, 16, False)
    assert face(paragraph_with(written, "一、基本情况")) == (HEITI, LATIN, 16, False)
    assert face(paragraph_with(written, "（一）中心组学习")) == (KAITI, LATIN, 16, False)
    assert face(paragraph_with(written, "1.学习次数")) == (FANGSONG, LATIN, 16, True)
    assert face(paragraph_with(written, "（1）第一季度")) == (FANGSONG, LATIN, 16, False)
    assert face(paragraph_with(written, "2027年1月20日")) == (FANGSONG, LATIN, 16, False)
    assert [p.style.font.size.pt for p in written.paragraphs if p.text == "一、基本情况"] == [16]
    mark = paragraph_with(written, "中共甲市委员会文件")
    assert mark.runs[0].font.color.rgb == docx.shared.RGBColor(0xFF, 0, 0)


def test_body_paragraphs_indent_two_characters_on_fixed_lines_of_22_a_page() -> None:
    # given
    document = full_document()

    # when
    written = read(write_document(document))

    # then
    body = paragraph_with(written, "其中专题研讨4次。").paragraph_format
    assert body.first_line_indent.pt == 32
    assert body.alignment == WD_PARAGRAPH_ALIGNMENT.JUSTIFY
    assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    pitch = body.line_spacing.pt
    assert pitch == 28.95
    text_height = written.sections[0].page_height.pt - 37 / 25.4 * 72 - 35 / 25.4 * 72
    assert 22 * pitch <= text_height < 23 * pitch
    assert paragraph_with(written, "中共甲市委员会关于2026年度\n学习型党组织建设情况的报告").alignment == \
        WD_PARAGRAPH_ALIGNMENT.CENTER


def test_page_is_a4_with_the_official_margins() -> None:
    # given
    document = full_document()

    # when
    section = read(write_document(document)).sections[0]

    # then
    measured = [section.page_width.mm, section.page_height.mm, section.top_margin.mm, section.bottom_margin.mm,
                section.left_margin.mm, section.right_margin.mm]
    assert measured == pytest.approx([210, 297, 37, 35, 28, 26], abs=0.1)
    assert section.page_width.mm - section.left_margin.mm - section.right_margin.mm == pytest.approx(156, abs=0.1)


def test_page_numbers_are_page_fields_right_on_odd_pages_and_left_on_even_pages() -> None:
    # given
    document = full_document()

    # when
    written = read(write_document(document))

    # then
    assert written.settings.odd_and_even_pages_header_footer is True
    section = written.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        assert footer.text == "— 1 —"
        assert [i.text for i in footer._p.iter(qn("w:instrText"))] == [" PAGE "]
        assert [c.get(qn("w:fldCharType")) for c in footer._p.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
        assert face(footer) == (SONGTI, SONGTI, 14, False)
    assert (odd.alignment, odd.paragraph_format.right_indent.pt) == (WD_PARAGRAPH_ALIGNMENT.RIGHT, 14)
    assert (even.alignment, even.paragraph_format.left_indent.pt) == (WD_PARAGRAPH_ALIGNMENT.LEFT, 14)


def test_table_reads_back_with_its_header_row_repeated_on_every_page() -> None:
    # given
    document = full_document()

    # when
    table = read(write_document(document)).tables[0]

    # then
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[:3] == [["组织", "中心组学习（次）", "培训（场）"], ["甲市委", "12", "30"],
                        ["乙县委\n（含开发区）", "10", ""]]
    assert len(rows) == 31
    assert [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows[:2]] == [True, False]
    assert face(table.rows[0].cells[0].paragraphs[0]) == (HEITI, LATIN, 12, False)
    assert face(table.rows[1].cells[0].paragraphs[0]) == (FANGSONG, LATIN, 12, False)
    assert [round(column.width.mm) for column in table.columns] == [67, 45, 45]


def test_record_carries_copies_and_the_printing_office_with_its_date() -> None:
    # given
    document = full_document()

    # when
    record = read(write_document(document)).tables[-1]

    # then
    assert [row.cells[0].text for row in record.rows] == ["抄送：省委办公厅，省委宣传部。",
                                                          "\t中共甲市委办公室\t2027年1月21日印发"]
    assert face(record.rows[0].cells[0].paragraphs[0]) == (FANGSONG, LATIN, 14, False)


def test_properties_name_the_title_and_the_issuer() -> None:
    # given
    document = full_document()

    # when
    properties = read(write_document(document)).core_properties

    # then
    assert properties.title == "中共甲市委员会关于2026年度学习型党组织建设情况的报告"
    assert properties.author == "中共甲市委员会"


def test_control_characters_are_removed_and_every_part_stays_well_formed_xml() -> None:
    # given
    document = full_document(
        issuer="中共甲市" + CONTROL + "委员会", title="关于" + CONTROL + "的报告", addressee="乙省委" + CONTROL,
        masthead=Masthead(mark="甲市委" + CONTROL + "文件", number="甲委发" + CONTROL, signer="张三" + CONTROL),
        attachments=["统计表" + CONTROL], blocks=[
            Heading(1, "基本" + CONTROL + "情况"), Paragraph("第一行\x0b第二行" + CONTROL),
            Table(header=["组织" + CONTROL], rows=[["甲市委" + CONTROL]]),
        ],
        record=Record(printed_by="办公室" + CONTROL, printed_on=DATE, copies_to=["省委" + CONTROL]))

    # when
    data = write_document(document)

    # then
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                parse_xml(package.read(name))
    written = read(data)
    assert texts(written) == ["甲市委文件", "\t甲委发\t签发人：张三", "关于的报告", "乙省委：", "一、基本情况",
                              "第一行", "第二行", "附件：统计表", "中共甲市委员会", "2027年1月20日"]
    assert written.tables[0].rows[1].cells[0].text == "甲市委"
    assert written.core_properties.author == "中共甲市委员会"


def test_signature_is_two_characters_from_the_right_and_the_date_starts_two_characters_after_it() -> None:
    # given: the date (6.5 characters) is longer than the signature less two, so the signature moves left
    document = full_document()

    # when
    written = read(write_document(document))

    # then
    signature = paragraph_with(written, "中共甲市委员会").paragraph_format
    date = paragraph_with(written, "2027年1月20日").paragraph_format
    assert (signature.alignment, date.alignment) == (WD_PARAGRAPH_ALIGNMENT.RIGHT, WD_PARAGRAPH_ALIGNMENT.RIGHT)
    assert (date.right_indent.pt, signature.right_indent.pt) == (32, 56)


def test_sealed_date_is_four_characters_from_the_right_with_the_signature_centred_over_it() -> None:
    # given
    document = full_document(sealed=True)

    # when
    written = read(write_document(document))

    # then
    signature = paragraph_with(written, "中共甲市委员会").paragraph_format
    date = paragraph_with(written, "2027年1月20日").paragraph_format
    assert (date.right_indent.pt, signature.right_indent.pt) == (64, 60)


def test_upward_masthead_puts_the_number_left_and_the_signer_right() -> None:
    # given
    document = full_document(masthead=Masthead(mark="中共甲市委员会文件", number="甲委发〔2027〕1号", signer="张三"))

    # when
    written = read(write_document(document))

    # then
    number = paragraph_with(written, "\t甲委发〔2027〕1号\t签发人：张三")
    assert face(number) == (FANGSONG, LATIN, 16, False)
    assert number.runs[-1].text == "张三"
    assert number.runs[-1]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == KAITI


def test_heading_that_brings_its_own_number_is_refused() -> None:
    with pytest.raises(ValueError, match="已带序号"):
        Heading(1, "一、基本情况")


def test_heading_level_outside_one_to_four_is_refused() -> None:
    with pytest.raises(ValueError, match="1 到 4"):
        Heading(5, "基本情况")


def test_table_row_with_a_missing_cell_is_refused_naming_the_row() -> None:
    with pytest.raises(ValueError, match="第 2 行有 1 列，表头有 2 列"):
        Table(header=["组织", "次数"], rows=[["甲市委", 1], ["乙县委"]], title="表1")


@pytest.mark.parametrize(("number", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                              (35, "三十五"), (99, "九十九")])
def test_chinese_numbers(number: int, text: str) -> None:
    assert chinese_number(number) == text


def test_dates_are_written_without_leading_zeros() -> None:
    assert format_date(datetime.date(2027, 1, 5)) == "2027年1月5日"


def test_libreoffice_converts_to_pdf_with_22_lines_a_page(tmp_path: Path) -> None:
    # given: the full document, and documents of 44 and 45 lines (title, body, a blank line, signature, date)
    program = libreoffice()
    files = {"full": full_document()}
    for lines in (44, 45):
        files[f"lines{lines}"] = OfficialDocument(issuer="中共甲市委员会", title="标题", date=DATE,
                                                  blocks=[Paragraph(f"第{i}行") for i in range(1, lines - 3)])
    for name, document in files.items():
        (tmp_path / f"{name}.docx").write_bytes(write_document(document))

    # when: one LibreOffice for all three, with a profile of its own so parallel workers do not collide
    done = subprocess.run(
        [program, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{name}.docx") for name in files)],
        capture_output=True, text=True, timeout=LIBREOFFICE_TIMEOUT, check=False)

    # then
    assert done.returncode == 0, f"LibreOffice 转换失败：{done.stdout}{done.stderr}"
    pdfs = {name: tmp_path / f"{name}.pdf" for name in files}
    assert [pdf.read_bytes()[:5] for pdf in pdfs.values()] == [b"%PDF-"] * 3, done.stdout + done.stderr
    assert {name: page_count(pdf) for name, pdf in pdfs.items()} == {"full": 4, "lines44": 2, "lines45": 3}
