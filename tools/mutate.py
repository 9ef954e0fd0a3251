"""Mutation testing of one rule module against its tests (issue 21).

Each mutant is the module with ONE small change (a comparison swapped, a constant moved by
one, a refusal deleted...). A mutant is *killed* when the module's tests fail on it, and
*survives* when they all pass: a survivor is a behaviour no test pins (or an equivalent
change, which the triage file says).

Usage (from the repository root)::

    python tools/mutate.py selfcare.identity.password       # a module named in mutation.toml
    python tools/mutate.py src/selfcare/identity/otp.py     # or its path
    python tools/mutate.py --all                            # every module in mutation.toml
    python tools/mutate.py selfcare.identity.otp --list     # the mutants, not run
    python tools/mutate.py selfcare.identity.otp --only 120 # only the mutants of line 120

How it runs: this process imports pytest, hypothesis and the heavy third-party libraries
once, plus every module of the package that does not import the target (a static import
graph says which). The baseline (the tests on the unchanged module) must pass; its time
times ``--timeout-factor`` is each mutant's timeout. Per mutant the process forks; the
child serves the target module from the mutated, compiled AST through a meta-path finder
(so every importer sees the mutant) and runs ``pytest -x`` on the module's tests with the
hypothesis profile ``mutation``. Exit status 0 means the mutant survived; a child still
running at the timeout is killed and counted as killed (reported separately).

The report is written to ``bench/mutation/<module>.json`` (not with ``--only``).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import hashlib
import importlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "tools" / "mutation.toml"

#: Names of objects whose method calls are logging: such statements are never mutated.
LOGGER_NAMES = frozenset({"logger", "log", "_logger", "_log", "logging", "LOGGER", "LOG"})
#: A `return X` becomes `return None` when X is a call of one of these (a refusal) ...
REFUSAL_CALLS = frozenset({"Violation", "Refused", "because", "Decision", "deny"})
#: ... or when the function is annotated to return one of these.
REFUSAL_RETURNS = frozenset({"bool", "Violation", "Decision", "Refused"})

COMPARE_SWAPS: dict[type[ast.cmpop], tuple[type[ast.cmpop], ...]] = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
}
ARITHMETIC_SWAPS: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Mult,
    ast.Mod: ast.FloorDiv,
}
#: Fields never mutated: types are not behaviour, decorators are declarations.
SKIPPED_FIELDS = frozenset(
    {"annotation", "returns", "decorator_list", "type_comment", "type_params"}
)

Path_ = tuple[tuple[str, int | None], ...]
Apply = Callable[[ast.AST], ast.AST]


# --------------------------------------------------------------------------- mutants


@dataclass(frozen=True)
class Mutant:
    """One change: where, which operator, and the source before and after."""

    index: int
    line: int
    col: int
    operator: str
    before: str
    after: str


@dataclass(frozen=True)
class _Site:
    path: Path_
    operator: str
    apply: Apply
    node: ast.AST


def _short(node: ast.AST) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 90 else text[:87] + "..."


def _with(node: ast.AST, **changes: object) -> ast.AST:
    new = copy.copy(node)
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def _negate(test: ast.expr) -> ast.expr:
    return ast.copy_location(ast.UnaryOp(op=ast.Not(), operand=test), test)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _call_name(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_logging(node: ast.AST) -> bool:
    call = node.value if isinstance(node, ast.Expr) else node
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return False
    owner = call.func.value
    return isinstance(owner, ast.Name) and owner.id in LOGGER_NAMES


def _skipped_statement(node: ast.AST) -> bool:
    if isinstance(node, ast.If) and (_is_type_checking(node.test) or _is_main_guard(node.test)):
        return True
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return True
    if isinstance(node, ast.AnnAssign) and node.value is None:
        return True
    return isinstance(node, ast.Assert | ast.Import | ast.ImportFrom) or _is_logging(node)


def _annotation_names(node: ast.expr | None) -> set[str]:
    if node is None:
        return set()
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    names |= {
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }
    return names


def _returns_refusal(ret: ast.Return, function: ast.AST | None) -> bool:
    value = ret.value
    if value is None or (isinstance(value, ast.Constant) and value.value is None):
        return False
    if isinstance(value, ast.Call) and _call_name(value) in REFUSAL_CALLS:
        return True
    if isinstance(value, ast.Constant) and isinstance(value.value, bool):
        return True
    if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return bool(_annotation_names(function.returns) & REFUSAL_RETURNS)
    return False


class _Collector:
    """Walks a module's AST in a fixed order and lists every mutation site."""

    def __init__(self, codes: frozenset[str]) -> None:
        self.sites: list[_Site] = []
        self.codes = codes

    def add(self, path: Path_, operator: str, node: ast.AST, apply: Apply) -> None:
        self.sites.append(_Site(path, operator, apply, node))

    def visit(self, node: ast.AST, path: Path_, function: ast.AST | None) -> None:
        if _skipped_statement(node):
            return
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # docstrings and bare constants
        self.sites_of(node, path, function)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            function = node
        for name, value in ast.iter_fields(node):
            if name in SKIPPED_FIELDS:
                continue
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, ast.AST):
                        self.visit(item, (*path, (name, i)), function)
            elif isinstance(value, ast.AST):
                self.visit(value, (*path, (name, None)), function)

    def sites_of(self, node: ast.AST, path: Path_, function: ast.AST | None) -> None:
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                for new in COMPARE_SWAPS.get(type(op), ()):
                    self.add(path, "compare", node, _swap_compare(i, new))
        elif isinstance(node, ast.BinOp | ast.AugAssign):
            new_op = ARITHMETIC_SWAPS.get(type(node.op))
            if new_op is not None:
                self.add(path, "arithmetic", node, _swap_operator(new_op))
        elif isinstance(node, ast.BoolOp):
            other: type[ast.boolop] = ast.Or if isinstance(node.op, ast.And) else ast.And
            self.add(path, "and_or", node, _swap_operator(other))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self.add(path, "remove_not", node, _operand)
        elif isinstance(node, ast.Constant):
            self.constant_sites(node, path)
        elif isinstance(node, ast.If | ast.While | ast.IfExp) and not (
            isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
        ):  # negating `if not x` is remove_not's mutant
            self.add(path, "negate_condition", node, _negate_test)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call | ast.Await):
            self.add(path, "delete_call", node, _to_pass)
        elif isinstance(node, ast.Return) and _returns_refusal(node, function):
            self.add(path, "return_none", node, _return_none)

    def constant_sites(self, node: ast.Constant, path: Path_) -> None:
        value = node.value
        if isinstance(value, bool):
            self.add(path, "true_false", node, lambda n: _with(n, value=not value))
        elif isinstance(value, int):
            self.add(path, "int_plus_one", node, lambda n: _with(n, value=value + 1))
            self.add(path, "int_minus_one", node, lambda n: _with(n, value=value - 1))
        elif isinstance(value, str) and value in self.codes:
            self.add(path, "violation_code", node, lambda n: _with(n, value="XX"))


def _swap_compare(i: int, new: type[ast.cmpop]) -> Apply:
    def apply(node: ast.AST) -> ast.AST:
        if not isinstance(node, ast.Compare):  # pragma: no cover - paths are stable
            raise TypeError(node)
        ops = list(node.ops)
        ops[i] = new()
        return _with(node, ops=ops)

    return apply


def _swap_operator(new: type[ast.operator | ast.boolop]) -> Apply:
    return lambda node: _with(node, op=new())


def _operand(node: ast.AST) -> ast.AST:
    if not isinstance(node, ast.UnaryOp):  # pragma: no cover - paths are stable
        raise TypeError(node)
    return node.operand


def _negate_test(node: ast.AST) -> ast.AST:
    if not isinstance(node, ast.If | ast.While | ast.IfExp):  # pragma: no cover
        raise TypeError(node)
    return _with(node, test=_negate(node.test))


def _to_pass(node: ast.AST) -> ast.AST:
    return ast.copy_location(ast.Pass(), node)


def _return_none(node: ast.AST) -> ast.AST:
    return ast.copy_location(ast.Return(value=ast.Constant(value=None)), node)


def _describe(site: _Site) -> tuple[str, str]:
    node = site.node
    after = site.apply(copy.deepcopy(node))
    if isinstance(node, ast.If | ast.While) and isinstance(after, ast.If | ast.While):
        return _short(node.test), _short(after.test)
    return _short(node), _short(after)


def collect(source: str, *, codes: frozenset[str] = frozenset()) -> list[_Site]:
    """Every mutation site of a module's source, in a fixed order."""
    collector = _Collector(codes)
    collector.visit(ast.parse(source), (), None)
    return collector.sites


def mutants_of(source: str, *, codes: frozenset[str] = frozenset()) -> list[Mutant]:
    """The mutants of a module's source (index = position in `collect`'s order)."""
    mutants = []
    for index, site in enumerate(collect(source, codes=codes)):
        before, after = _describe(site)
        line = getattr(site.node, "lineno", 0)
        col = getattr(site.node, "col_offset", 0)
        mutants.append(Mutant(index, line, col + 1, site.operator, before, after))
    return mutants


def mutated_code(source: str, filename: str, index: int, codes: frozenset[str]) -> CodeType:
    """Compile the module with mutant `index` applied to a fresh parse."""
    tree = ast.parse(source)
    sites = collect(source, codes=codes)
    site = sites[index]
    parent: ast.AST = tree
    for name, position in site.path[:-1]:
        child = getattr(parent, name)
        parent = child if position is None else child[position]
    name, position = site.path[-1]
    target = getattr(parent, name)
    node = target if position is None else target[position]
    new = site.apply(node)
    if position is None:
        setattr(parent, name, new)
    else:
        target[position] = new
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec", dont_inherit=True)


# --------------------------------------------------------------------------- importing


class _MutantLoader(Loader):
    def __init__(self, code: CodeType, filename: str) -> None:
        self.code = code
        self.filename = filename

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:  # noqa: ARG002
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__file__ = self.filename
        exec(self.code, module.__dict__)  # noqa: S102 - the point of the tool


class _MutantFinder(MetaPathFinder):
    """Serves the target module from the mutated code; every other import is untouched."""

    def __init__(self, name: str, code: CodeType, filename: str, *, package: bool) -> None:
        self.name = name
        self.loader = _MutantLoader(code, filename)
        self.filename = filename
        self.package = package

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,  # noqa: ARG002 - importlib's protocol
        target: ModuleType | None = None,  # noqa: ARG002
    ) -> ModuleSpec | None:
        if fullname != self.name:
            return None
        spec = ModuleSpec(fullname, self.loader, origin=self.filename, is_package=self.package)
        spec.has_location = True
        if self.package:
            spec.submodule_search_locations = [str(Path(self.filename).parent)]
        return spec


def _import_time_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but the body of a module's ``__getattr__`` (PEP 562: it runs on
    attribute access, never on import). Imports inside other functions count: a
    function may be called while the module is imported."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        if not (isinstance(node, ast.FunctionDef) and node.name in {"__getattr__", "__dir__"}):
            stack.extend(ast.iter_child_nodes(node))


def _imports(tree: ast.AST, name: str, *, package: bool) -> set[str]:
    """What importing the module may import."""
    found: set[str] = set()
    base = name.split(".") if package else name.split(".")[:-1]
    for node in _import_time_nodes(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                anchor = base[: len(base) - node.level + 1]
                module = ".".join([*anchor, module] if module else anchor)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _imports_dynamically(tree: ast.AST) -> bool:
    return any(
        isinstance(node, ast.Call) and _call_name(node) in {"import_module", "__import__"}
        for node in _import_time_nodes(tree)
    )


def modules_under(source_root: Path, top: str) -> dict[str, Path]:
    """Dotted name -> file of every module of the package `top` below `source_root`."""
    modules: dict[str, Path] = {}
    for file in sorted((source_root / top).rglob("*.py")):
        parts = list(file.relative_to(source_root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = file
    return modules


def independent_modules(source_root: Path, target: str) -> list[str]:
    """Modules of the target's package that import the target neither directly nor through
    another module (a package's ``__init__`` counts as imported by its submodules). These
    are safe to import once in the parent process."""
    modules = modules_under(source_root, target.split(".", maxsplit=1)[0])
    depends: dict[str, set[str]] = {}
    for name, file in modules.items():
        tree = ast.parse(file.read_text(encoding="utf-8"))
        imported = _imports(tree, name, package=file.name == "__init__.py")
        parents = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        if _imports_dynamically(tree):  # importlib.import_module(...): may import anything
            imported = set(modules)
        depends[name] = {m for m in imported | parents if m in modules and m != name}
    tainted = {target}
    changed = True
    while changed:
        changed = False
        for name, deps in depends.items():
            if name not in tainted and deps & tainted:
                tainted.add(name)
                changed = True
    return [name for name in modules if name not in tainted]


# --------------------------------------------------------------------------- running


@dataclass
class Result:
    """What happened to one mutant."""

    mutant: Mutant
    status: str  # killed, survived, timeout
    seconds: float


@dataclass
class Target:
    """A module under test and how to run its tests."""

    name: str
    path: Path
    source_root: Path
    tests: list[str]
    codes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Settings:
    """How to run: timeouts, the hypothesis profile, what to preload, the fast path."""

    timeout_factor: float
    min_timeout: float
    hypothesis_profile: str
    verbose: bool
    jobs: int
    preload: tuple[str, ...]
    config: Path = DEFAULT_CONFIG
    fast: bool = True


Install = Callable[[], None]


def _child(target: Target, install: Install, settings: Settings) -> None:
    """In the forked child: install the mutant, run pytest, exit with its status."""
    status = 3
    try:
        os.setpgid(0, 0)
        if not settings.verbose:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
        os.environ["HYPOTHESIS_PROFILE"] = settings.hypothesis_profile
        install()
        import pytest  # noqa: PLC0415 - imported (and cached) by the parent already

        args = [*target.tests, "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
        # Pass or fail is all that counts: no assertion rewriting (it re-parses every
        # test module in every child), and no warning that preloaded plugins are not.
        args += ["--assert=plain", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
        status = int(pytest.main(args))
    except BaseException:  # noqa: BLE001 - anything the mutant raises is a failure
        traceback.print_exc()
        status = 4
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def _fork(target: Target, install: Install, settings: Settings) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        _child(target, install, settings)
    return pid


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _nothing() -> None:
    """The baseline installs no mutant."""


def baseline(target: Target, settings: Settings) -> float:
    """Run the tests on the unchanged module; return their time (they must pass)."""
    started = time.monotonic()
    pid = _fork(target, _nothing, settings)
    _, status = os.waitpid(pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"{target.name}: the tests fail on the unchanged module (exit status "
            f"{os.waitstatus_to_exitcode(status)}); run them with pytest first"
        )
    return seconds


def run_mutants(
    target: Target,
    mutants: Sequence[Mutant],
    settings: Settings,
    timeout: float,
    installer: Callable[[Mutant], Install],
) -> Iterator[Result]:
    """Run each mutant in a forked child, `settings.jobs` at a time."""
    pending = list(mutants)
    running: dict[int, tuple[Mutant, float]] = {}
    while pending or running:
        while pending and len(running) < settings.jobs:
            mutant = pending.pop(0)
            running[_fork(target, installer(mutant), settings)] = (mutant, time.monotonic())
        time.sleep(0.01)
        for pid, (mutant, started) in list(running.items()):
            done, status = os.waitpid(pid, os.WNOHANG)
            elapsed = time.monotonic() - started
            if done:
                del running[pid]
                survived = os.waitstatus_to_exitcode(status) == 0
                yield Result(mutant, "survived" if survived else "killed", elapsed)
            elif elapsed > timeout:
                del running[pid]
                _kill(pid)
                yield Result(mutant, "timeout", elapsed)


def _by_import_hook(target: Target, source: str) -> Callable[[Mutant], Install]:
    """The slow, exact path: the child imports the target (and whatever imports it)
    afresh, and a meta-path finder serves it the mutated module."""

    def installer(mutant: Mutant) -> Install:
        code = mutated_code(source, str(target.path), mutant.index, target.codes)
        finder = _MutantFinder(
            target.name, code, str(target.path), package=target.path.name == "__init__.py"
        )
        return lambda: sys.meta_path.insert(0, finder)

    return installer


# ---- the fast path: a mutant inside a function body swaps that function's code


def function_of(source: str, index: int, codes: frozenset[str]) -> str | None:
    """The qualified name of the function (or method) whose body holds mutant `index`,
    when it is defined directly in the module or a class body; else None."""
    node: ast.AST = ast.parse(source)
    names: list[str] = []
    path = collect(source, codes=codes)[index].path
    for step, (name, position) in enumerate(path):
        if not isinstance(node, ast.Module | ast.ClassDef) or name != "body" or position is None:
            return None
        child = node.body[position]
        if isinstance(child, ast.ClassDef):
            names.append(child.name)
            node = child
            continue
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            rest = path[step + 1 :]
            return ".".join([*names, child.name]) if rest and rest[0][0] == "body" else None
        return None
    return None


def _code_objects(code: CodeType) -> Iterator[CodeType]:
    yield code
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield from _code_objects(const)


def _live_functions(module: ModuleType, qualname: str) -> list[FunctionType]:
    owner: object = module
    *outer, last = qualname.split(".")
    for part in outer:
        owner = vars(owner).get(part)
        if not isinstance(owner, type):
            return []
    found: list[FunctionType] = []
    stack: list[object] = [vars(owner).get(last)]
    while stack:
        item = stack.pop()
        if isinstance(item, FunctionType):
            found.append(item)
        if isinstance(item, staticmethod | classmethod):
            stack.append(item.__func__)
        elif isinstance(item, property):
            stack.extend(f for f in (item.fget, item.fset, item.fdel) if f is not None)
        if hasattr(item, "__wrapped__"):
            stack.append(item.__wrapped__)
    return [f for f in found if f.__code__.co_qualname == qualname]


def code_swap(module: ModuleType, qualname: str, mutated: CodeType) -> Install | None:
    """A function that puts the mutated code of `qualname` into the live function
    object (so every reference to it runs the mutant), or None when that cannot be done
    safely (the function is not found, or its closure would change)."""
    for function in _live_functions(module, qualname):
        for code in _code_objects(mutated):
            if (
                code.co_qualname == qualname
                and code.co_firstlineno == function.__code__.co_firstlineno
                and code.co_freevars == function.__code__.co_freevars
            ):
                return _setter(function, code)
    return None


def _setter(function: FunctionType, code: CodeType) -> Install:
    def install() -> None:
        function.__code__ = code

    return install


def _import_everything(target: Target) -> ModuleType:
    for name in modules_under(target.source_root, target.name.split(".", maxsplit=1)[0]):
        if not name.endswith("__main__"):
            with contextlib.suppress(Exception):
                importlib.import_module(name)
    return importlib.import_module(target.name)


def _unchanged(target: Target, source: str) -> str:
    """The module's source, which must not change while its mutants run (the mutants
    are numbered in it; a child compiling another version would run other mutants)."""
    if target.path.read_text(encoding="utf-8") != source:
        raise SystemExit(f"{target.path} changed during the run: run it again")
    return source


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _recheck(
    target: Target, mutants: Sequence[Mutant], settings: Settings, timeout: float, source: str
) -> list[Result]:
    """Run these mutants by the import hook in a fresh process (this one has imported
    the target): a survivor of the fast path counts only once the exact path agrees."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "results.json"
        command = [
            sys.executable, str(Path(__file__).resolve()), str(target.path),
            "--tests", *target.tests, "--config", str(settings.config),
            "--hypothesis-profile", settings.hypothesis_profile, "--no-fast",
            "--indices", ",".join(str(m.index) for m in mutants), "--timeout", str(timeout),
            "--results-json", str(out), "--jobs", str(settings.jobs),
            "--source-sha256", _digest(source),
        ]  # fmt: skip
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        rows = json.loads(out.read_text(encoding="utf-8"))
    by_index = {m.index: m for m in mutants}
    return [Result(by_index[row["index"]], row["status"], row["seconds"]) for row in rows]


def _run_all(
    target: Target, source: str, mutants: Sequence[Mutant], settings: Settings, timeout: float
) -> Iterator[Result]:
    """Module-level mutants by the import hook first (this process is still clean),
    then function-body mutants by swapping code (after importing everything once),
    then a recheck of the fast path's survivors by the import hook."""
    where = {
        m.index: function_of(source, m.index, target.codes) if settings.fast else None
        for m in mutants
    }
    slow = [m for m in mutants if where[m.index] is None]
    yield from run_mutants(target, slow, settings, timeout, _by_import_hook(target, source))
    fast = [m for m in mutants if where[m.index] is not None]
    if not fast:
        return
    _unchanged(target, source)
    module = _import_everything(target)
    swaps: dict[int, Install] = {}
    for m in fast:
        qualname = where[m.index] or ""
        swap = code_swap(
            module, qualname, mutated_code(source, str(target.path), m.index, target.codes)
        )
        if swap is not None:
            swaps[m.index] = swap
    recheck = [m for m in fast if m.index not in swaps]
    for result in run_mutants(
        target, [m for m in fast if m.index in swaps], settings, timeout, lambda m: swaps[m.index]
    ):
        if result.status == "survived":
            recheck.append(result.mutant)
        else:
            yield result
    if recheck:
        yield from _recheck(target, recheck, settings, timeout, _unchanged(target, source))


def _preload(names: Sequence[str], target: Target) -> None:
    for name in names:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    for name in independent_modules(target.source_root, target.name):
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    if target.name in sys.modules:  # pragma: no cover - the import graph missed an import
        raise SystemExit(f"{target.name} was imported while preloading; report it")


def score(results: Sequence[Result]) -> float:
    """Killed and timed-out mutants over all mutants, in per cent (100 when none)."""
    if not results:
        return 100.0
    dead = sum(1 for r in results if r.status != "survived")
    return 100.0 * dead / len(results)


def _relative(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.resolve().relative_to(Path.cwd()))
    return str(path)


@dataclass(frozen=True)
class Selection:
    """Which mutants to run and where the results go."""

    only: int | None = None
    indices: frozenset[int] | None = None
    timeout: float | None = None
    report_dir: Path | None = None
    results_json: Path | None = None
    source_sha256: str | None = None


def _report(  # noqa: PLR0917 - one private call site
    target: Target,
    settings: Settings,
    results: Sequence[Result],
    base: float,
    timeout: float,
    total: float,
    out: Path,
) -> None:
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("killed", "survived", "timeout")
    }
    report = {
        "module": target.name,
        "path": _relative(target.path),
        "tests": target.tests,
        "hypothesis_profile": settings.hypothesis_profile,
        "baseline_seconds": round(base, 2),
        "timeout_seconds": round(timeout, 2),
        "seconds": round(total, 1),
        "mutants": len(results),
        **counts,
        "score": round(score(results), 1),
        "results": [
            {**asdict(r.mutant), "status": r.status, "seconds": round(r.seconds, 2)}
            for r in results
        ],
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"   report: {_relative(out)}")


def run_target(target: Target, settings: Settings, selection: Selection) -> float:
    """Run one module's mutants, print the summary and survivors, write the report."""
    source = target.path.read_text(encoding="utf-8")
    mutants = mutants_of(source, codes=target.codes)
    if selection.only is not None:
        mutants = [m for m in mutants if m.line == selection.only]
    if selection.indices is not None:
        mutants = [m for m in mutants if m.index in selection.indices]
    if selection.source_sha256 not in {None, _digest(source)}:
        raise SystemExit(f"{target.path} is not the version whose mutants were asked for")
    print(f"== {target.name}: {len(mutants)} mutants, tests: {' '.join(target.tests)}")
    if target.source_root.resolve() not in {Path(p).resolve() for p in sys.path if p}:
        sys.path.insert(0, str(target.source_root))
    _preload(settings.preload, target)
    if selection.timeout is None:
        base = baseline(target, settings)
        timeout = max(base * settings.timeout_factor, settings.min_timeout)
    else:
        base, timeout = 0.0, selection.timeout
    print(f"   baseline {base:.1f} s, timeout {timeout:.1f} s", flush=True)
    started = time.monotonic()
    results: list[Result] = []
    for result in _run_all(target, source, mutants, settings, timeout):
        results.append(result)
        mark = {"killed": ".", "timeout": "T", "survived": "S"}[result.status]
        print(mark, end="" if len(results) % 60 else "\n", flush=True)
    print()
    results.sort(key=lambda r: r.mutant.index)
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("killed", "survived", "timeout")
    }
    total = time.monotonic() - started
    print(
        f"   {len(results)} mutants: killed {counts['killed']}, timeout {counts['timeout']}, "
        f"survived {counts['survived']}, score {score(results):.1f} % ({total:.0f} s)"
    )
    for r in results:
        if r.status == "survived":
            m = r.mutant
            print(
                f"{_relative(target.path)}:{m.line}:{m.col} {m.operator}: {m.before} -> {m.after}"
            )
    if selection.results_json is not None:
        rows = [
            {"index": r.mutant.index, "status": r.status, "seconds": r.seconds} for r in results
        ]
        selection.results_json.write_text(json.dumps(rows), encoding="utf-8")
    if selection.report_dir is not None and selection.only is None and selection.indices is None:
        out = selection.report_dir / f"{target.name}.json"
        _report(target, settings, results, base, timeout, total, out)
    return score(results)


# --------------------------------------------------------------------------- configuration


@dataclass(frozen=True)
class Config:
    """tools/mutation.toml: ``[defaults]`` and ``[modules."<name>"] tests = [...]``."""

    base: Path
    defaults: dict[str, Any]
    modules: dict[str, list[str]]

    @classmethod
    def load(cls, path: Path) -> Config:
        """Read the file (a missing file is an empty configuration)."""
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        modules = {
            str(name): [str(t) for t in entry.get("tests", [])]
            for name, entry in dict(data.get("modules", {})).items()
        }
        return cls(path.resolve().parent.parent, dict(data.get("defaults", {})), modules)

    def setting(self, key: str, default: Any) -> Any:
        """A value of ``[defaults]``."""
        return self.defaults.get(key, default)

    def codes(self) -> frozenset[str]:
        """The violation codes of the message catalogs (``code_catalogs`` globs)."""
        codes: set[str] = set()
        for pattern in self.setting("code_catalogs", []):
            for file in sorted(self.base.glob(str(pattern))):
                codes.update(tomllib.loads(file.read_text(encoding="utf-8")))
        return frozenset(codes)

    def resolve(self, spec: str) -> tuple[str, Path, Path]:
        """A module given by dotted name or path -> (name, file, source root)."""
        candidate = Path(spec)
        if spec.endswith(".py") or candidate.exists():
            name, source_root = _name_of(candidate)
            return name, candidate.resolve(), source_root
        roots = [str(r) for r in self.setting("source_roots", ["src"])]
        for root in roots:
            source_root = (self.base / root).resolve()
            stem = source_root.joinpath(*spec.split("."))
            for file in (stem.with_suffix(".py"), stem / "__init__.py"):
                if file.exists():
                    return spec, file, source_root
        raise SystemExit(f"no module {spec!r} under {roots}")


def _name_of(path: Path) -> tuple[str, Path]:
    """Dotted name and source root of a module file (walking up the ``__init__.py``)."""
    path = path.resolve()
    parts = [] if path.name == "__init__.py" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts), folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", maxsplit=1)[0])
    parser.add_argument("module", nargs="?", help="dotted module name or path of the module")
    parser.add_argument("--all", action="store_true", help="every module in the config")
    parser.add_argument("--tests", nargs="+", help="test paths (default: from the config)")
    parser.add_argument("--only", type=int, metavar="LINE", help="only the mutants of a line")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--timeout-factor", type=float)
    parser.add_argument("--hypothesis-profile")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once (default 1)")
    parser.add_argument("--report-dir", type=Path, help="default: bench/mutation")
    parser.add_argument("--fail-under", type=float, default=0.0, help="score (per cent)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show pytest's output")
    parser.add_argument(
        "--no-fast",
        action="store_true",
        help="run every mutant by the import hook (the fast path swaps function code)",
    )
    # Used by the recheck of the fast path's survivors (and useful by hand):
    parser.add_argument("--indices", help="only these mutants (comma-separated indices)")
    parser.add_argument("--timeout", type=float, help="seconds per mutant; skips the baseline")
    parser.add_argument("--results-json", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source-sha256", help=argparse.SUPPRESS)
    return parser


def _list(path: Path, codes: frozenset[str], only: int | None) -> None:
    for m in mutants_of(path.read_text(encoding="utf-8"), codes=codes):
        if only is None or m.line == only:
            print(f"{_relative(path)}:{m.line}:{m.col} {m.operator}: {m.before} -> {m.after}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point; returns 0, or 1 when a module scores below --fail-under."""
    parser = _parser()
    args = parser.parse_args(argv)
    config = Config.load(args.config)
    settings = Settings(
        timeout_factor=args.timeout_factor or float(config.setting("timeout_factor", 10)),
        min_timeout=float(config.setting("min_timeout", 2.0)),
        hypothesis_profile=args.hypothesis_profile
        or str(config.setting("hypothesis_profile", "mutation")),
        verbose=args.verbose,
        jobs=max(1, args.jobs),
        preload=tuple(str(p) for p in config.setting("preload", ["pytest", "hypothesis"])),
        config=args.config,
        fast=not args.no_fast,
    )
    selection = Selection(
        only=args.only,
        indices=frozenset(int(i) for i in args.indices.split(",")) if args.indices else None,
        timeout=args.timeout,
        report_dir=args.report_dir
        or config.base / str(config.setting("report_dir", "bench/mutation")),
        results_json=args.results_json,
        source_sha256=args.source_sha256,
    )
    if args.all:
        specs = list(config.modules)
    elif args.module:
        specs = [args.module]
    else:
        parser.error("name a module or pass --all")
    codes = config.codes()
    failed = False
    for spec in specs:
        name, path, source_root = config.resolve(spec)
        if args.list:
            _list(path, codes, args.only)
            continue
        tests = args.tests or config.modules.get(name, [])
        if not tests:
            raise SystemExit(f"{name}: no tests (pass --tests or add it to {args.config})")
        target = Target(name, path, source_root, tests, codes)
        pid = os.fork() if len(specs) > 1 else 0
        if pid:  # each module in its own process: the preloaded modules differ
            _, status = os.waitpid(pid, 0)
            failed = failed or os.waitstatus_to_exitcode(status) != 0
            continue
        result = run_target(target, settings, selection)
        if len(specs) > 1:  # the forked child of one module
            sys.stdout.flush()
            os._exit(int(result < args.fail_under))
        failed = failed or result < args.fail_under
    return int(failed)


if __name__ == "__main__":
    sys.exit(main())
