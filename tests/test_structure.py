"""The shape of the code a newcomer relies on: imports go one way, modules stay small,
and role names are looked at in one module only."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
LONGEST_MODULE = 350

# Lower layers never import higher ones (README, "Layout"). Longest prefix wins.
LAYERS = {
    "app.extensions": 0,
    "app.timeutil": 0,
    "app.models": 0,
    "app.filters": 0,
    "app.i18n": 0,
    "app.inputs": 0,
    "app.policy": 1,
    "app.services": 2,
    "app.accounts.service": 2,
    "app.accounts.citizens": 2,
    "app.accounts.mail": 2,
    "app.accounts.tokens": 2,
    "app.accounts.passwords": 2,
    "app.workflow": 3,
    "app": 4,  # views, api, fab, cli, the accounts' screens, the factory
}
LAYER_NAMES = ("foundation", "policy", "services", "workflow", "screens")


def _module_name(path):
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return sorted((_module_name(path), path) for path in APP.rglob("*.py"))


def _layer(module):
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    return LAYERS[max(prefixes, key=len)]


def _imports(module, path):
    """Every `app.*` module `path` imports, lazily inside functions included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    known = {name for name, _path in _modules()}
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            # `from . import x` and `from .pkg import mod` name modules themselves.
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    return {name for name in found if name in known}


@pytest.mark.parametrize(("module", "path"), _modules(), ids=lambda v: str(v))
def test_imports_go_one_way(module, path):
    """Does this module import only from its own layer or the layers below it?"""
    own = _layer(module)
    upward = sorted(
        f"{name} ({LAYER_NAMES[_layer(name)]})"
        for name in _imports(module, path) if _layer(name) > own
    )
    assert not upward, f"{module} ({LAYER_NAMES[own]}) imports upwards: {upward}"


def test_no_module_is_longer_than_a_screenful_or_five():
    """Is every module of app/ at most 350 lines, small enough to read at a glance?"""
    long = {
        name: count for name, path in _modules()
        if (count := len(path.read_text().splitlines())) > LONGEST_MODULE
    }
    assert not long, f"modules over {LONGEST_MODULE} lines: {long}"


def test_roles_are_read_in_the_policy_module_only():
    """Does any module other than app.policy look at a user's roles or role names?"""
    offenders = []
    for name, path in _modules():
        if name in {"app.policy", "app.models.account"}:
            continue
        text = path.read_text()
        for needle in (".roles", "role_names", "has_role("):
            if needle in text:
                offenders.append(f"{name}: {needle}")
    # FAB glue: the staff user screen edits the roles of an account (a form field).
    allowed = {"app.fab.staff_views: .roles", "app.fab.staff_views: role_names"}
    assert sorted(set(offenders) - allowed) == []


def test_layer_table_names_real_packages():
    """Does every prefix of the layer table still name a module, so none goes stale?"""
    names = {name for name, _path in _modules()}
    assert all(prefix in names for prefix in LAYERS)
