"""Raw table definitions: the contract between the generator and staging.

Each source module declares its raw tables as ``RawTable`` objects: the landed
columns with their logical types (``reference/raw-sources.md`` §0) and a
DuckDB SELECT over the world tables (schema ``_world``) that produces them.
``finstack contracts`` turns the same declarations into the dbt column-contract
macros, so the generator and the staging layer cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# logical type -> (DuckDB type, dbt cross-database type macro)
LOGICAL_TYPES: dict[str, tuple[str, str]] = {
    "str": ("VARCHAR", "dbt.type_string()"),
    "int": ("BIGINT", "dbt.type_bigint()"),
    "num": ("DECIMAL(38,9)", "type_money()"),
    "float": ("DOUBLE", "type_double()"),
    "bool": ("BOOLEAN", "dbt.type_boolean()"),
    "ts": ("TIMESTAMPTZ", "dbt.type_timestamp()"),
    "dt": ("TIMESTAMP", "dbt.type_timestamp()"),
    "date": ("DATE", "'date'"),
    "json": ("VARCHAR", "dbt.type_string()"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "str"
    # True: part of the contract, but this loader never lands it in the
    # generated data (a source missing an optional column).
    absent: bool = False

    def __post_init__(self) -> None:
        if self.type not in LOGICAL_TYPES:
            raise ValueError(f"column {self.name}: unknown logical type {self.type!r}")

    @property
    def duckdb_type(self) -> str:
        return LOGICAL_TYPES[self.type][0]


def cols(spec: str) -> list[Column]:
    """Parse ``"id:int, name, created_at:ts"`` (type defaults to str)."""
    out = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        name, _, typ = part.partition(":")
        out.append(Column(name.strip(), typ.strip() or "str"))
    return out


@dataclass
class RawTable:
    schema: str  # raw schema (= loader connection), e.g. "segment_web"
    name: str
    columns: list[Column]
    # SELECT over _world.* producing every landed column plus ``_arrival_at``
    # (TIMESTAMPTZ: when the loader landed the row). ``{cutoff}`` is replaced by
    # the delivery cut-off as a TIMESTAMPTZ literal (for state tables).
    sql: str
    description: str
    # append: rows are inserted once, when they arrive (events, ledger lines).
    # state: the table is the loader's upserted current state as of the
    # cut-off, rebuilt at each delivery (users, customers, contacts).
    mode: str = "append"
    # Segment's warehouse loader: a column exists only once a non-null value
    # arrived; new columns are added when one first does.
    drop_empty_columns: bool = False
    grain: str = ""
    keys: list[str] = field(default_factory=list)

    @property
    def fqn(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def landed_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.absent]


REGISTRY: dict[str, RawTable] = {}


def register(*tables: RawTable) -> None:
    for t in tables:
        if t.fqn in REGISTRY:
            raise ValueError(f"raw table {t.fqn} declared twice")
        if t.mode not in ("append", "state"):
            raise ValueError(f"{t.fqn}: mode must be append or state")
        REGISTRY[t.fqn] = t
