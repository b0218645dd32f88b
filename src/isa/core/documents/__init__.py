"""The one document layer: every PDF and every spreadsheet ISA hands out is made here.

- :mod:`isa.core.documents.formats`: Swiss dates (dd.mm.yyyy) and amounts (1'234.50), the
  "generated on" line, and whether the data is the fictional demo.
- :mod:`isa.core.documents.pdf`: the house style of every PDF (ReportLab): fonts, colours,
  paragraph and table styles, the page with its running header (programme · title, and the
  demo mark on fictional data) and its footer ("Page 2 / 5"), pictures embedded as they are.
- :mod:`isa.core.documents.spreadsheets`: one XLSX writer and one CSV writer; every text cell
  goes through :func:`isa.core.exports.safe_cell`, numbers stay numbers and dates stay dates.

Attendance sheets, catalogues, portfolios, reports and exports differ in content, not in
plumbing.  Making a document changes no process-wide setting (``reportlab.rl_config`` is
left as it is): what a document needs is set on that document.
"""
