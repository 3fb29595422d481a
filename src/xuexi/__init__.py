"""xuexi (学习): the platform for building learning-oriented party organizations."""

import os

# python-docx brings lxml, and openpyxl switches its XML parser and writer to lxml whenever lxml is
# importable: its errors then escape the ParseError handling of the spreadsheet reader and the
# exports change. Keep openpyxl on the standard library it is tested and benchmarked with.
os.environ.setdefault("OPENPYXL_LXML", "False")
