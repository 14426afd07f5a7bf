"""An immutable, typed query graph over a GP extract, separate from any engine that runs it.

Two kinds of node:
- frames hold rows of an event table (clinical_events, medications, practice_registrations),
  narrowed by row conditions (`Where`) or tagged with a category from a mapping codelist;
- series hold one value per patient: a patient column, an aggregate of a frame (exists, count,
  distinct count, first/latest date, the value on the first/latest date), age or practice on a
  date, or an expression combining other series.

Series from event frames are always reduced to one value per patient before they are combined, so
no combination can multiply rows. Nulls follow SQL: comparisons with a null are null, and/or use
three-valued (Kleene) logic; `coalesce` turns a null into a value. Every node checks its argument
types when it is built, so an ill-typed definition fails at definition time, not in an engine.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal as TypingLiteral

from openpcn.population.engine import schema


class Type(Enum):
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    STR = "str"


NUMERIC = (Type.INT, Type.FLOAT)

_SCHEMA_TYPES = {
    schema.ColumnType.STRING: Type.STR,
    schema.ColumnType.DATE: Type.DATE,
    schema.ColumnType.FLOAT: Type.FLOAT,
    schema.ColumnType.INTEGER: Type.INT,
}


class QueryModelError(TypeError):
    """A node was built with arguments of the wrong type."""


# --- Row conditions and row values (evaluated on one event row) ----------------------------------


@dataclass(frozen=True)
class CodeIn:
    """The row's code column is one of `codes`."""

    column: str
    codes: frozenset[str]


@dataclass(frozen=True)
class DateInRange:
    """after < row[column] <= on_or_before; either bound may be open (None)."""

    column: str
    after: datetime.date | None
    on_or_before: datetime.date | None


@dataclass(frozen=True)
class NotNull:
    column: str


RowCondition = CodeIn | DateInRange | NotNull


@dataclass(frozen=True)
class RowColumn:
    name: str


@dataclass(frozen=True)
class RescaleWhereCodeIn:
    """(row[column] - offset) * factor when row[code_column] is in codes, otherwise row[column].

    Used to put results recorded in an older unit onto today's scale (HbA1c % -> mmol/mol).
    """

    column: str
    code_column: str
    codes: frozenset[str]
    offset: float
    factor: float


RowValue = RowColumn | RescaleWhereCodeIn


# --- Frames ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventTable:
    name: str

    def __post_init__(self) -> None:
        if self.name not in schema.EVENT_TABLES:
            raise QueryModelError(f"{self.name!r} is not an event table")

    @property
    def columns(self) -> dict[str, Type]:
        table = schema.EVENT_TABLES[self.name]
        return {column.name: _SCHEMA_TYPES[column.type] for column in table.columns}


@dataclass(frozen=True)
class Where:
    source: Frame
    condition: RowCondition

    def __post_init__(self) -> None:
        columns = self.source.columns
        if isinstance(self.condition, CodeIn):
            _expect_column(columns, self.condition.column, Type.STR)
        elif isinstance(self.condition, DateInRange):
            _expect_column(columns, self.condition.column, Type.DATE)
        else:
            _expect_column(columns, self.condition.column, None)

    @property
    def columns(self) -> dict[str, Type]:
        return self.source.columns


@dataclass(frozen=True)
class WithCategory:
    """Rows whose `column` appears in `mapping`, each with that code's category in `category`.

    A code mapped to two categories yields two rows (a code can count towards two eFI deficits).
    """

    source: Frame
    column: str
    mapping: frozenset[tuple[str, str]]

    def __post_init__(self) -> None:
        _expect_column(self.source.columns, self.column, Type.STR)
        if "category" in self.source.columns:
            raise QueryModelError("a frame can carry only one category")

    @property
    def columns(self) -> dict[str, Type]:
        return {**self.source.columns, "category": Type.STR}


Frame = EventTable | Where | WithCategory


def _expect_column(columns: dict[str, Type], name: str, expected: Type | None) -> Type:
    if name not in columns:
        raise QueryModelError(f"no column {name!r} in frame (has {sorted(columns)})")
    if expected is not None and columns[name] is not expected:
        raise QueryModelError(f"column {name!r} is {columns[name].value}, not {expected.value}")
    return columns[name]


def _row_value_type(frame: Frame, value: RowValue) -> Type:
    if isinstance(value, RowColumn):
        return _expect_column(frame.columns, value.name, None)
    _expect_column(frame.columns, value.code_column, Type.STR)
    if _expect_column(frame.columns, value.column, None) not in NUMERIC:
        raise QueryModelError(f"cannot rescale non-numeric column {value.column!r}")
    return Type.FLOAT


# --- Series: one value per patient ------------------------------------------------------------------


@dataclass(frozen=True)
class PatientColumn:
    name: str

    @property
    def type(self) -> Type:
        return _SCHEMA_TYPES[schema.PATIENTS.column(self.name).type]


@dataclass(frozen=True)
class Exists:
    """True when the patient has at least one row in the frame (never null)."""

    frame: Frame
    type: Type = field(default=Type.BOOL, init=False)


@dataclass(frozen=True)
class Count:
    """The number of the patient's rows in the frame (0 when none)."""

    frame: Frame
    type: Type = field(default=Type.INT, init=False)


@dataclass(frozen=True)
class CountDistinct:
    """The number of distinct non-null values of `column` among the patient's rows (0 when none)."""

    frame: Frame
    column: str
    type: Type = field(default=Type.INT, init=False)

    def __post_init__(self) -> None:
        _expect_column(self.frame.columns, self.column, None)


Which = TypingLiteral["first", "latest"]


@dataclass(frozen=True)
class DateOf:
    """The first or latest `date` among the patient's rows (null when none)."""

    frame: Frame
    which: Which
    type: Type = field(default=Type.DATE, init=False)

    def __post_init__(self) -> None:
        _expect_column(self.frame.columns, "date", Type.DATE)


@dataclass(frozen=True)
class ValueOnDate:
    """The value on the patient's first or latest date with a non-null value.

    Rows with a null value are ignored (a reading code without a value is not a reading); several
    rows on that date resolve to the lowest value, as QOF does for same-day blood pressures.
    """

    frame: Frame
    value: RowValue
    which: Which

    def __post_init__(self) -> None:
        _expect_column(self.frame.columns, "date", Type.DATE)
        _row_value_type(self.frame, self.value)

    @property
    def type(self) -> Type:
        return _row_value_type(self.frame, self.value)


@dataclass(frozen=True)
class AgeOnDate:
    """Whole years from date of birth to `on`."""

    on: datetime.date
    type: Type = field(default=Type.INT, init=False)


@dataclass(frozen=True)
class PracticeOnDate:
    """The practice of the registration active on `on` (start <= on, end empty or after on).

    With overlapping registrations: the latest start, then the longest (an open end is longest),
    then the lowest practice code.
    """

    on: datetime.date
    type: Type = field(default=Type.STR, init=False)


@dataclass(frozen=True)
class Value:
    """A literal value of a given type."""

    value: bool | int | float | str | datetime.date
    type: Type

    def __post_init__(self) -> None:
        expected: dict[Type, tuple[type, ...]] = {
            Type.BOOL: (bool,),
            Type.INT: (int,),
            Type.FLOAT: (float, int),
            Type.DATE: (datetime.date,),
            Type.STR: (str,),
        }
        ok = isinstance(self.value, expected[self.type])
        if self.type in NUMERIC and isinstance(self.value, bool):
            ok = False
        if not ok:
            raise QueryModelError(f"{self.value!r} is not a {self.type.value}")


CompareOp = TypingLiteral["<", "<=", ">", ">=", "==", "!="]
ArithmeticOp = TypingLiteral["+", "-", "*", "/"]


@dataclass(frozen=True)
class Compare:
    op: CompareOp
    left: Series
    right: Series
    type: Type = field(default=Type.BOOL, init=False)

    def __post_init__(self) -> None:
        left, right = self.left.type, self.right.type
        if not (left is right or (left in NUMERIC and right in NUMERIC)):
            raise QueryModelError(f"cannot compare {left.value} with {right.value}")


@dataclass(frozen=True)
class And:
    items: tuple[Series, ...]
    type: Type = field(default=Type.BOOL, init=False)

    def __post_init__(self) -> None:
        _expect_bools(self.items)


@dataclass(frozen=True)
class Or:
    items: tuple[Series, ...]
    type: Type = field(default=Type.BOOL, init=False)

    def __post_init__(self) -> None:
        _expect_bools(self.items)


@dataclass(frozen=True)
class Not:
    item: Series
    type: Type = field(default=Type.BOOL, init=False)

    def __post_init__(self) -> None:
        _expect_bools((self.item,))


@dataclass(frozen=True)
class IsNull:
    item: Series
    type: Type = field(default=Type.BOOL, init=False)


@dataclass(frozen=True)
class Arithmetic:
    op: ArithmeticOp
    left: Series
    right: Series

    def __post_init__(self) -> None:
        if self.left.type not in NUMERIC or self.right.type not in NUMERIC:
            raise QueryModelError("arithmetic needs numeric series")
        # Division only by a non-zero constant: engines differ on division by zero.
        if self.op == "/" and not (isinstance(self.right, Value) and self.right.value != 0):
            raise QueryModelError("division is only by a non-zero constant")

    @property
    def type(self) -> Type:
        if self.op == "/" or Type.FLOAT in (self.left.type, self.right.type):
            return Type.FLOAT
        return Type.INT


@dataclass(frozen=True)
class Coalesce:
    item: Series
    default: Value

    def __post_init__(self) -> None:
        if self.item.type is not self.default.type:
            raise QueryModelError("coalesce needs a default of the series' type")

    @property
    def type(self) -> Type:
        return self.item.type


@dataclass(frozen=True)
class IfElse:
    """`then` where the condition is true; `otherwise` where it is false or null (SQL CASE)."""

    condition: Series
    then: Series
    otherwise: Series

    def __post_init__(self) -> None:
        _expect_bools((self.condition,))
        if self.then.type is not self.otherwise.type:
            raise QueryModelError("both branches of an if/else need the same type")

    @property
    def type(self) -> Type:
        return self.then.type


@dataclass(frozen=True)
class MapColumn:
    """A patient column looked up in a mapping (an LSOA to its IMD quintile); `default` if absent."""

    column: str
    mapping: frozenset[tuple[str, str]]
    default: str
    type: Type = field(default=Type.STR, init=False)

    def __post_init__(self) -> None:
        if PatientColumn(self.column).type is not Type.STR:
            raise QueryModelError(f"only text columns can be mapped, not {self.column!r}")
        keys = [key for key, _ in self.mapping]
        if len(keys) != len(set(keys)):
            raise QueryModelError("a mapping needs unique keys")


Series = (
    PatientColumn
    | MapColumn
    | Exists
    | Count
    | CountDistinct
    | DateOf
    | ValueOnDate
    | AgeOnDate
    | PracticeOnDate
    | Value
    | Compare
    | And
    | Or
    | Not
    | IsNull
    | Arithmetic
    | Coalesce
    | IfElse
)

AGGREGATES = (Exists, Count, CountDistinct, DateOf, ValueOnDate)


def _expect_bools(items: Iterable[Series]) -> None:
    for item in items:
        if item.type is not Type.BOOL:
            raise QueryModelError(f"expected a bool series, got {item.type.value}")


# --- Construction helpers: the small vocabulary indicator definitions are written in -----------


def events(table: str) -> EventTable:
    return EventTable(table)


def where(frame: Frame, *conditions: RowCondition) -> Frame:
    for condition in conditions:
        frame = Where(frame, condition)
    return frame


def code_in(column: str, codes: Iterable[str]) -> CodeIn:
    return CodeIn(column, frozenset(codes))


def on_or_before(day: datetime.date, column: str = "date") -> DateInRange:
    return DateInRange(column, None, day)


def in_window(after: datetime.date, on_or_before: datetime.date) -> DateInRange:
    return DateInRange("date", after, on_or_before)


def lit(value: bool | int | float | str | datetime.date) -> Value:
    kinds: list[tuple[type, Type]] = [
        (bool, Type.BOOL),
        (int, Type.INT),
        (float, Type.FLOAT),
        (str, Type.STR),
        (datetime.date, Type.DATE),
    ]
    for python_type, value_type in kinds:
        if isinstance(value, python_type):
            return Value(value, value_type)
    raise QueryModelError(f"no literal type for {value!r}")


def as_series(value: Series | bool | int | float | str | datetime.date) -> Series:
    if isinstance(value, bool | int | float | str | datetime.date):
        return lit(value)
    return value


def compare(left: Series, op: CompareOp, right: Series | float | int | str) -> Compare:
    return Compare(op, left, as_series(right))


def all_of(*items: Series) -> Series:
    return items[0] if len(items) == 1 else And(tuple(items))


def any_of(*items: Series) -> Series:
    return items[0] if len(items) == 1 else Or(tuple(items))


def is_true(item: Series) -> Coalesce:
    """Null becomes false: what 'meets the rule' means when an input is missing."""
    return Coalesce(item, lit(False))


def on_register(diagnosis: Frame, resolved: Frame) -> Series:
    """The QOF register pattern: the latest diagnosis is strictly later than any resolved code."""
    latest_diagnosis = DateOf(diagnosis, "latest")
    latest_resolved = DateOf(resolved, "latest")
    return all_of(
        Not(IsNull(latest_diagnosis)),
        any_of(IsNull(latest_resolved), compare(latest_diagnosis, ">", latest_resolved)),
    )


def walk(series: Series) -> Iterable[Series]:
    """Every series node reachable from `series`, parents before children."""
    yield series
    children: tuple[Series, ...] = ()
    if isinstance(series, Compare | Arithmetic):
        children = (series.left, series.right)
    elif isinstance(series, And | Or):
        children = series.items
    elif isinstance(series, Not | IsNull | Coalesce):
        children = (series.item,)
    elif isinstance(series, IfElse):
        children = (series.condition, series.then, series.otherwise)
    for child in children:
        yield from walk(child)


def frame_root(frame: Frame) -> tuple[EventTable | WithCategory, tuple[RowCondition, ...]]:
    """Split a frame into its base (a table or a categorised frame) and the conditions on top."""
    conditions: list[RowCondition] = []
    while isinstance(frame, Where):
        conditions.append(frame.condition)
        frame = frame.source
    return frame, tuple(reversed(conditions))
