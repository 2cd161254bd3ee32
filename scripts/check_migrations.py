"""Refuse migrations that are unsafe on a live database unless a person has reviewed them.

During a rolling deploy the old code keeps running against the migrated schema, and a long
lock on a big table stalls every request. So these operations are refused on tables that
already exist (operations on a table created in the same migration are always fine):

- RemoveField, DeleteModel, RenameField, RenameModel, AlterModelTable: the old code still
  uses the name. Stop using it in one release, remove it in a later one.
- AlterField that makes a column NOT NULL without a default, or changes its column type
  (say integer to text): a table scan or rewrite under an exclusive lock, and old code
  writing NULL fails.
- Building an index or constraint the ordinary way (AddIndex, AddConstraint, unique or
  db_index fields, foreign keys, *_together): writes are blocked while it builds. Use
  django.contrib.postgres.operations.AddIndexConcurrently (in a migration with atomic = False).
- RunSQL: nobody can tell what it locks without reading it.

A migration that does one of these on purpose carries a line such as
    # migration-safety: reviewed - table has 40 rows; removed after release 1.4 stopped using it
and is then accepted. Usage: python scripts/check_migrations.py [PATH ...] (default: every
migration in the repository). Exit status 1 lists each refused operation.
"""

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"#\s*migration-safety:\s*reviewed\s*[-–—:]\s*\S", re.IGNORECASE)
SKIP_DIRS = {".venv", "node_modules", "var", ".git"}

RENAMES_AND_REMOVALS = {
    "RemoveField": "removes a column the running code still reads",
    "DeleteModel": "drops a table the running code still reads",
    "RenameField": "renames a column the running code still uses",
    "RenameModel": "renames a table the running code still uses",
    "AlterModelTable": "renames a table the running code still uses",
}
LOCKING_INDEX_OPS = {
    "AddIndex": "builds an index while blocking writes; use AddIndexConcurrently",
    "AddConstraint": "builds or validates a constraint while blocking writes",
    "AlterUniqueTogether": "builds a unique index while blocking writes",
    "AlterIndexTogether": "builds an index while blocking writes",
}
INDEXED_FIELDS = {"ForeignKey", "OneToOneField"}
# PostgreSQL column types of Django's own fields. A change between two of these with a
# different type rewrites the table; varchar and text convert in place. Other field classes
# (subclasses such as a rich-text field) are not judged by name.
COLUMN_TYPES = {
    **dict.fromkeys(
        ["CharField", "SlugField", "EmailField", "URLField", "TextField", "FilePathField"],
        "text",
    ),
    **dict.fromkeys(["FileField", "ImageField", "GenericIPAddressField"], "text"),
    **dict.fromkeys(["SmallIntegerField", "PositiveSmallIntegerField"], "smallint"),
    **dict.fromkeys(["IntegerField", "PositiveIntegerField"], "integer"),
    **dict.fromkeys(["BigIntegerField", "PositiveBigIntegerField"], "bigint"),
    "BooleanField": "boolean",
    "DateField": "date",
    "DateTimeField": "timestamp with time zone",
    "TimeField": "time",
    "DurationField": "interval",
    "DecimalField": "numeric",
    "FloatField": "double precision",
    "UUIDField": "uuid",
    "JSONField": "jsonb",
    "BinaryField": "bytea",
}


@dataclass
class Column:
    kind: str
    null: bool
    indexed: bool


@dataclass
class Finding:
    path: Path
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Schema:
    """What earlier migrations of each app left behind: (app, model) -> field -> Column."""

    tables: dict = field(default_factory=dict)


def _name(node) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _kwargs(call: ast.Call) -> dict:
    return {kw.arg: kw.value for kw in call.keywords if kw.arg}


def _arg(call: ast.Call, name: str, position: int):
    kwargs = _kwargs(call)
    if name in kwargs:
        return kwargs[name]
    return call.args[position] if len(call.args) > position else None


def _text(node) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.lower()
    return ""


def _true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _column(field_call) -> Column | None:
    if not isinstance(field_call, ast.Call):
        return None
    kwargs = _kwargs(field_call)
    kind = _name(field_call.func)
    if kind in INDEXED_FIELDS:
        db_index = kwargs.get("db_index")
        index_off = isinstance(db_index, ast.Constant) and not db_index.value
        indexed = not index_off or kind == "OneToOneField"
    else:
        indexed = _true(kwargs.get("unique")) or _true(kwargs.get("db_index"))
    return Column(kind=kind, null=_true(kwargs.get("null")), indexed=indexed)


def _rewrites(old_kind: str, new_kind: str) -> bool:
    old, new = COLUMN_TYPES.get(old_kind), COLUMN_TYPES.get(new_kind)
    return old is not None and new is not None and old != new


def _operations(tree: ast.Module) -> list[ast.Call]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and any(_name(t) == "operations" for t in node.targets)
            and isinstance(node.value, ast.List | ast.Tuple)
        ):
            return [op for op in node.value.elts if isinstance(op, ast.Call)]
    return []


def check_source(source: str, path: Path, app: str, schema: Schema | None = None) -> list[Finding]:
    """Findings for one migration's text; `schema` carries column state between migrations."""
    schema = schema if schema is not None else Schema()
    tree = ast.parse(source, filename=str(path))
    reviewed = bool(MARKER.search(source))
    created: set[str] = set()
    findings: list[Finding] = []

    def refuse(op: ast.Call, why: str) -> None:
        if not reviewed:
            findings.append(Finding(path, op.lineno, f"{_name(op.func)} {why}"))

    for op in _operations(tree):
        kind = _name(op.func)
        model = _text(_arg(op, "model_name", 0)) or _text(_arg(op, "name", 0))
        existing = model not in created
        if kind == "CreateModel":
            created.add(model)
            columns = {}
            fields = _arg(op, "fields", 1)
            for item in getattr(fields, "elts", []):
                if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                    column = _column(item.elts[1])
                    if column:
                        columns[_text(item.elts[0])] = column
            schema.tables[(app, model)] = columns
        elif kind in RENAMES_AND_REMOVALS:
            refuse(op, RENAMES_AND_REMOVALS[kind])
        elif kind == "RunSQL":
            refuse(op, "runs raw SQL whose locks nobody can check; review it")
        elif kind in LOCKING_INDEX_OPS and existing:
            refuse(op, LOCKING_INDEX_OPS[kind])
        elif kind in {"AddField", "AlterField"}:
            name = _text(_arg(op, "name", 1))
            field_call = _arg(op, "field", 2)
            column = _column(field_call)
            if column is None:
                continue
            before = schema.tables.setdefault((app, model), {}).get(name)
            schema.tables[(app, model)][name] = column
            if not existing or column.kind == "ManyToManyField":
                continue
            if column.indexed and not (kind == "AlterField" and before and before.indexed):
                refuse(op, f"on {model}.{name} builds an index while blocking writes")
            if kind == "AlterField" and before is not None:
                kwargs = _kwargs(field_call)
                has_default = "default" in kwargs or "db_default" in kwargs
                if before.null and not column.null and not has_default:
                    refuse(op, f"makes {model}.{name} NOT NULL without a default")
                elif _rewrites(before.kind, column.kind):
                    refuse(op, f"changes {model}.{name} from {before.kind} to {column.kind}")
    return findings


def migration_files(paths: list[Path]) -> list[Path]:
    files = []
    for base in paths:
        if base.is_file():
            files.append(base)
            continue
        for candidate in base.rglob("migrations/[0-9]*.py"):
            if not SKIP_DIRS.intersection(candidate.relative_to(base).parts):
                files.append(candidate)
    return sorted(files, key=lambda p: (p.parent.parent.name, p.name))


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or [ROOT]
    schema = Schema()
    findings = []
    for path in migration_files(paths):
        findings += check_source(path.read_text(), path, path.parent.parent.name, schema)
    for finding in findings:
        sys.stderr.write(f"{finding}\n")
    if findings:
        sys.stderr.write(
            f"{len(findings)} migration operation(s) are unsafe on a live database. Make them "
            "safe, or add '# migration-safety: reviewed - <reason>' to the migration.\n"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
