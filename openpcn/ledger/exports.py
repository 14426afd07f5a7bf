"""XLSX exports of the trial balance and of an organisation's statement (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from openpcn.ledger.models import AccountKind, Fund
from openpcn.ledger.queries import Statement, TrialBalance

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY = "#,##0.00"


def _label(choices: type[Fund] | type[AccountKind], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _finish(book: Workbook, widths: str, sizes: list[int], money_columns: str) -> bytes:
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    for column in money_columns:
        for cell in sheet[column][1:]:
            cell.number_format = MONEY
    for column, width in zip(widths, sizes, strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TRIAL_BALANCE_HEADER = [
    "Organisation",
    "Account",
    "Name",
    "Fund",
    "Kind",
    "Debits",
    "Credits",
    "Debit balance",
    "Credit balance",
]


def trial_balance_xlsx(tb: TrialBalance) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Trial balance"
    sheet.append(TRIAL_BALANCE_HEADER)
    for row in tb.rows:
        a = row.account
        sheet.append(
            [
                str(a.organisation),
                a.code,
                a.name,
                _label(Fund, a.fund),
                _label(AccountKind, a.kind),
                row.debits,
                row.credits,
                row.debit_balance,
                row.credit_balance,
            ]
        )
    sheet.append(
        [
            "Total",
            "",
            "",
            "",
            "",
            tb.total_debits,
            tb.total_credits,
            tb.total_debit_balances,
            tb.total_credit_balances,
        ]
    )
    return _finish(book, "ABCDEFGHI", [30, 10, 30, 24, 10, 14, 14, 14, 14], "FGHI")


STATEMENT_HEADER = ["Date", "Journal", "Description", "Reference", "Account", "Debit", "Credit"]


def statement_xlsx(statement: Statement) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Statement"
    sheet.append([*STATEMENT_HEADER, "Running"])
    sheet.append(
        ["", "", f"Opening, {statement.start:%d %b %Y}", "", "", "", "", statement.opening]
    )
    for line in statement.lines:
        sheet.append(
            [
                line.date,
                line.journal_id,
                line.description,
                line.reference,
                f"{line.account.code} {line.account.name}",
                line.debit,
                line.credit,
                line.running,
            ]
        )
    sheet.append(
        [
            "",
            "",
            f"Closing, {statement.end:%d %b %Y}",
            "",
            "",
            statement.total_debits,
            statement.total_credits,
            statement.closing,
        ]
    )
    for cell in sheet["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    return _finish(book, "ABCDEFGH", [12, 9, 40, 16, 30, 14, 14, 14], "FGH")


def filename(stem: str) -> str:
    return f"{stem}.xlsx"
