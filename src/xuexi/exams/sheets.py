"""The question bank as a spreadsheet: its template, its export, and its all-or-nothing import.

The rules are those of the exchange files (exchange/importing.py): every cell read and every row
checked first, each bad cell named by row, column, value and what is expected; only a file with no
error is stored, in one transaction; rows are matched by 试题编码, so the same file again changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from xuexi.accounts.audit import audit_record
from xuexi.accounts.models import AuditOutcome, User
from xuexi.accounts.scope import Scope
from xuexi.exams.grading import LETTERS, MAX_OPTIONS
from xuexi.exams.models import Question
from xuexi.exams.selectors import question_list
from xuexi.exams.services import CODE_MAX, LABELS, QuestionInput, question_problems
from xuexi.exchange import cells
from xuexi.exchange.files import Sheet, read_table, write_csv, write_xlsx
from xuexi.exchange.importing import ImportResult, RowError
from xuexi.orgs.models import Organization

OPTION_HEADERS = tuple(f"选项{letter}" for letter in LETTERS[:MAX_OPTIONS])
HEADERS = ("试题编码", "学习内容", "题型", "题干", *OPTION_HEADERS, "答案", "难度", "解析", "发布组织编码", "启用")
REQUIRED = ("试题编码", "学习内容", "题型", "题干", "答案", "难度", "发布组织编码")
TABLE = "questions"
_STORED = ("area", "kind", "stem", "options", "answer", "difficulty", "explanation", "enabled")


def template() -> bytes:
    """An empty .xlsx with the headers and one example row of each kind."""
    examples = [
        ("示例-001", "中国特色社会主义理论体系", "单选", "党的根本宗旨是什么？", "全心全意为人民服务", "实现共产主义",
         "", "", "", "", "", "", "A", "易", "党章总纲", "P", "是"),
        ("示例-002", "科学发展观", "多选", "科学发展观的基本要求包括哪些？", "全面", "协调", "可持续", "", "", "", "",
         "", "ABC", "中", "", "P", "是"),
        ("示例-003", "岗位专业知识", "判断", "“三会一课”包括党课。", *[""] * MAX_OPTIONS, "对", "易", "", "P", "是"),
        ("示例-004", "吉林发展振兴经验", "填空", "吉林省的省会是____。", *[""] * MAX_OPTIONS, "长春｜长春市",
         "易", "多个可接受答案用 | 分隔", "P", "是"),
    ]
    return write_xlsx(HEADERS, examples, sheet_title="试题")


def _rows(scope: Scope) -> Iterator[Sequence[Any]]:
    for q in question_list(scope=scope).iterator(chunk_size=2000):
        options = list(q.options) + [""] * (MAX_OPTIONS - len(q.options))
        yield (q.code, q.area, q.kind, q.stem, *options, q.answer, q.difficulty, q.explanation, q.publisher.code,
               "是" if q.enabled else "否")


def export(*, actor: User | None, scope: Scope, file_format: str = "xlsx") -> bytes:
    """The questions of the scope, in the import's own layout (an export imports back unchanged)."""
    rows = list(_rows(scope))
    data = write_csv(HEADERS, rows) if file_format == "csv" else write_xlsx(HEADERS, rows, sheet_title="试题")
    audit_record(action="question_export", actor=actor, object_type="question", object_repr=f"试题 {len(rows)} 道",
                 detail={"rows": len(rows), "format": file_format})
    return data


def import_questions(*, actor: User | None, scope: Scope, data: bytes, filename: str = "",
                     commit: bool = True) -> ImportResult:
    """Check every row of the file; store all of it (commit) only when no cell is wrong."""
    result = ImportResult(table=TABLE, file_hash=hashlib.sha256(data).hexdigest())
    sheet = read_table(data, filename)
    errors = _header_errors(sheet)
    if errors:
        result.errors = errors
        _audit(actor, result, filename)
        return result
    checked = _check(sheet, scope, result)
    result.rows = len(sheet.rows)
    if result.errors or not commit:
        _audit(actor, result, filename)
        return result
    with transaction.atomic():
        result.created, result.updated = _store(checked)
        result.stored = True
        _audit(actor, result, filename)
    return result


def _header_errors(sheet: Sheet) -> list[RowError]:
    errors = []
    for header in REQUIRED:
        if header not in sheet.headers:
            errors.append(RowError(1, header, "", f"表头中有“{header}”列（可下载模板）"))
    for header in sheet.headers:
        if header and header not in HEADERS:
            errors.append(RowError(1, header, header, f"模板中的列名之一：{'、'.join(HEADERS)}"))
    if not sheet.rows:
        errors.append(RowError(None, "", "", "至少一行试题（第 1 行为表头）"))
    return errors


def _check(sheet: Sheet, scope: Scope, result: ImportResult) -> list[tuple[str, Organization, dict[str, Any]]]:
    index = {header: i for i, header in enumerate(sheet.headers)}

    def cell(row: Sequence[str | None], header: str) -> str:
        i = index.get(header)
        return (row[i] or "") if i is not None and i < len(row) else ""

    codes = [cell(row, "试题编码") for row in sheet.rows]
    publishers = {o.code: o for o in Organization.objects.filter(
        scope.org_q(write=True), code__in={cell(row, "发布组织编码") for row in sheet.rows})}
    held = dict(Question.objects.filter(code__in=set(codes)).values_list("code", "publisher__path"))
    first_row: dict[str, int] = {}
    checked = []
    for number, row, code in zip(sheet.row_numbers, sheet.rows, codes, strict=True):
        def wrong(header: str, value: str, expected: str, number: int = number) -> None:
            result.errors.append(RowError(number, header, value, expected))

        if not code or len(code) > CODE_MAX:
            wrong("试题编码", code, f"1 至 {CODE_MAX} 个字符")
        elif code in first_row:
            wrong("试题编码", code, f"文件中唯一的编码（与第 {first_row[code]} 行重复）")
        else:
            first_row[code] = number
        publisher_code = cell(row, "发布组织编码")
        publisher = publishers.get(publisher_code)
        if publisher is None:
            wrong("发布组织编码", publisher_code, "您管理范围内的组织编码")
        if code in held and not scope.covers_path(held[code], write=True):
            wrong("试题编码", code, "未被其他组织使用的编码（该编码属于您管理范围以外的试题）")
        enabled_text = cell(row, "启用")
        enabled = True
        if enabled_text:
            try:
                enabled = cells.parse_bool(enabled_text)
            except cells.CellError as exc:
                wrong("启用", enabled_text, str(exc))
        options = [cell(row, header) for header in OPTION_HEADERS]
        while options and not options[-1]:
            options.pop()
        data = QuestionInput(area=cell(row, "学习内容"), kind=cell(row, "题型"), stem=cell(row, "题干"),
                             answer=cell(row, "答案"), difficulty=cell(row, "难度"), options=tuple(options),
                             explanation=cell(row, "解析"), enabled=enabled)
        problems, answer = question_problems(data)
        for problem in problems:
            header = LABELS[problem.field] if problem.field != "options" else "选项A–选项H"
            wrong(header, problem.value, problem.expected)
        if publisher is not None and not problems:
            checked.append((code, publisher, {
                "area": data.area, "kind": data.kind, "stem": data.stem.strip(),
                "options": [o.strip() for o in options], "answer": answer, "difficulty": data.difficulty,
                "explanation": data.explanation.strip(), "enabled": enabled}))
    return checked


def _store(checked: list[tuple[str, Organization, dict[str, Any]]]) -> tuple[int, int]:
    existing = {q.code: q for q in Question.objects.filter(code__in=[code for code, _, _ in checked])}
    now = timezone.now()
    new, changed = [], []
    for code, publisher, values in checked:
        question = existing.get(code)
        if question is None:
            new.append(Question(code=code, publisher=publisher, created_at=now, updated_at=now, **values))
            continue
        if question.publisher_id == publisher.pk and all(getattr(question, k) == v for k, v in values.items()):
            continue  # the same row again: nothing to change
        for key, value in values.items():
            setattr(question, key, value)
        question.publisher, question.updated_at = publisher, now
        changed.append(question)
    Question.objects.bulk_create(new, batch_size=2000)
    Question.objects.bulk_update(changed, [*_STORED, "publisher", "updated_at"], batch_size=2000)
    return len(new), len(changed)


def _audit(actor: User | None, result: ImportResult, filename: str) -> None:
    audit_record(action="question_import", actor=actor, object_type="import", object_id=result.file_hash[:16],
                 object_repr=filename[:255], outcome=AuditOutcome.SUCCESS if result.ok else AuditOutcome.FAILURE,
                 detail={"rows": result.rows, "created": result.created, "updated": result.updated,
                         "errors": len(result.errors), "stored": result.stored})
