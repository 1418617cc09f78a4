"""storage/__init__.py only re-exports: the gateway, the codes and the errors live in their own modules."""

import ast
from pathlib import Path

import storage
from storage import codes, errors, gateway

INIT = Path(storage.__file__)


def test_the_package_module_only_re_exports():
    tree = ast.parse(INIT.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("storage."):
            continue
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]:
            continue
        raise AssertionError(f"storage/__init__.py line {node.lineno} does more than re-export")


def test_public_names_stay_importable_from_storage_and_come_from_their_modules():
    assert storage.Database is gateway.Database and storage.database_url is gateway.database_url
    assert storage.hash_code is codes.hash_code and storage.new_code is codes.new_code
    assert storage.CODE_PATTERN is codes.CODE_PATTERN
    assert storage.RoundClosed is errors.RoundClosed and storage.AlreadySubmitted is errors.AlreadySubmitted
    assert storage.UNAVAILABLE_ERRORS is errors.UNAVAILABLE_ERRORS
    assert sorted(storage.__all__) == sorted(n for n in storage.__all__ if hasattr(storage, n))


def test_codes_are_random_hashed_and_compared_in_constant_time():
    code = codes.new_code()
    assert codes.well_formed(code) and len(code) == 32 and code != codes.new_code()
    assert codes.hash_code(code) == codes.hash_code(code) and len(codes.hash_code(code)) == 64
    assert codes.same_digest(codes.hash_code(code), codes.hash_code(code))
    assert not codes.same_digest(codes.hash_code(code), codes.hash_code(code + "x"))
    for bad in (None, 12, "short", "x" * 65, "é" * 30, "a b" * 10):
        assert not codes.well_formed(bad)


def test_migrations_are_frozen_they_import_no_live_code():
    """An old migration must not change when the code does: revisions import alembic and sqlalchemy only."""
    allowed = {"alembic", "sqlalchemy", "__future__"}
    for path in sorted((INIT.parent / "migrations" / "versions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {(node.module or "").split(".")[0]} if not node.level else {"<relative>"}
            else:
                continue
            assert names <= allowed, f"{path.name} imports {sorted(names - allowed)}: inline what it needs"


def test_database_is_a_thin_facade_over_the_split_modules():
    from storage import plumbing, write_path

    assert not {name for name in vars(gateway.Database) if not name.startswith("__")}  # it only composes
    assert issubclass(gateway.Database, write_path.WritePath) and issubclass(gateway.Database, plumbing.Plumbing)
    assert not hasattr(gateway.Database, "_insert_if_absent")  # one way to choose the dialect's insert
