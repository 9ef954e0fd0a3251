"""tools/mutate.py, the mutation tester of issue 21: which mutants it makes, and that a
weak test lets a mutant survive, a strong test kills it and a hang counts as killed."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

TOOL = Path(__file__).resolve().parents[2] / "tools" / "mutate.py"


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("selfcare_mutate_tool", TOOL)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


mutate = _load_tool()

TINY = textwrap.dedent(
    '''
    """A tiny rule module."""
    from __future__ import annotations

    import logging
    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from collections.abc import Sequence

    __all__ = ["countdown", "is_adult"]
    log = logging.getLogger(__name__)
    ADULT: int = 18


    def is_adult(age: int) -> bool:
        """True from the 18th birthday on."""
        log.info("checking %s", age)
        return age >= ADULT


    def countdown(n: int) -> int:
        while n > 0:
            n -= 1
        return n
    '''
)


def _operators(source: str) -> list[tuple[int, str, str, str]]:
    return [(m.line, m.operator, m.before, m.after) for m in mutate.mutants_of(source)]


def test_mutants_are_one_change_each_with_their_location() -> None:
    mutants = _operators(TINY)
    assert (13, "int_plus_one", "18", "19") in mutants
    assert (19, "compare", "age >= ADULT", "age > ADULT") in mutants
    assert (19, "compare", "age >= ADULT", "age < ADULT") in mutants
    assert (19, "return_none", "return age >= ADULT", "return None") in mutants
    assert (24, "arithmetic", "n -= 1", "n += 1") in mutants
    assert (23, "negate_condition", "n > 0", "not n > 0") in mutants


def test_docstrings_annotations_all_type_checking_and_logging_are_not_mutated() -> None:
    lines = {line for line, *_ in _operators(TINY)}
    # 2-11: docstring, imports, TYPE_CHECKING, __all__; 12: the logger; 17/18: docstring, log
    assert lines == {13, 19, 23, 24}


def test_statement_calls_are_deleted_and_refusals_returned_as_none() -> None:
    source = textwrap.dedent(
        """
        def check(found, violations):
            violations.append(Violation("x.y"))
            if found:
                return Refused.because(Violation("x.y"))
            return found
        """
    )
    mutants = _operators(source)
    assert (3, "delete_call", "violations.append(Violation('x.y'))", "pass") in mutants
    assert (5, "return_none", "return Refused.because(Violation('x.y'))", "return None") in mutants
    assert not [m for m in mutants if m[0] == 6]  # `return found`: not known to be a refusal


def test_a_mutated_module_compiles_with_exactly_that_change() -> None:
    target = next(m for m in mutate.mutants_of(TINY) if m.after == "age > ADULT")
    namespace: dict[str, object] = {"__name__": "tiny"}
    exec(mutate.mutated_code(TINY, "tiny.py", target.index, frozenset()), namespace)  # noqa: S102
    is_adult = namespace["is_adult"]
    assert callable(is_adult)
    assert is_adult(18) is False
    assert is_adult(19) is True


def test_violation_codes_become_xx_only_when_known() -> None:
    source = 'A = Violation("x.known")\nB = "x.unknown"\n'
    mutants = [(m.before, m.after) for m in mutate.mutants_of(source, codes=frozenset({"x.known"}))]
    assert mutants == [("'x.known'", "'XX'")]


WEAK = "from tiny import is_adult\n\ndef test_adult():\n    assert is_adult(30)\n"
STRONG = (
    "from tiny import is_adult\n\n"
    "def test_adult_from_the_18th_birthday():\n"
    "    assert is_adult(18)\n    assert not is_adult(17)\n"
)
COUNTDOWN = "from tiny import countdown\n\ndef test_countdown():\n    assert countdown(3) == 0\n"


def _run(tmp_path: Path, tests: str, line: int, *extra: str) -> tuple[str, dict[str, object]]:
    (tmp_path / "tiny.py").write_text(TINY, encoding="utf-8")
    (tmp_path / "test_tiny.py").write_text(tests, encoding="utf-8")
    out = subprocess.run(  # noqa: S603 - our own tool, run by the interpreter running us
        [
            sys.executable,
            str(TOOL),
            "tiny.py",
            "--tests",
            "test_tiny.py",
            "--config",
            str(tmp_path / "none.toml"),
            "--report-dir",
            str(tmp_path / "out"),
            "--timeout-factor",
            "3",
            "--only",
            str(line),
            *extra,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    report = tmp_path / "out" / "tiny.json"
    return out.stdout, json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}


@pytest.mark.slow
def test_a_weak_test_lets_the_boundary_mutant_survive(tmp_path: Path) -> None:
    stdout, _ = _run(tmp_path, WEAK, 19)
    assert "tiny.py:19:12 compare: age >= ADULT -> age > ADULT" in stdout
    assert "survived 1," in stdout


@pytest.mark.slow
def test_a_strong_test_kills_every_mutant_of_the_line(tmp_path: Path) -> None:
    stdout, _ = _run(tmp_path, STRONG, 19)
    assert "3 mutants: killed 3, timeout 0, survived 0, score 100.0 %" in stdout


@pytest.mark.slow
def test_a_mutant_that_hangs_is_stopped_and_counted_killed(tmp_path: Path) -> None:
    stdout, _ = _run(tmp_path, COUNTDOWN, 24)
    # n -= 1 -> n += 1 and n -= 0 never end; n -= 2 ends at -1 and is killed.
    assert "3 mutants: killed 1, timeout 2, survived 0, score 100.0 %" in stdout


def test_the_report_is_written_for_a_whole_module(tmp_path: Path) -> None:
    module = tmp_path / "tiny.py"
    module.write_text("def one() -> int:\n    return 1\n", encoding="utf-8")
    (tmp_path / "test_tiny.py").write_text(
        "from tiny import one\n\ndef test_one():\n    assert one() == 1\n", encoding="utf-8"
    )
    out = subprocess.run(  # noqa: S603 - our own tool
        [
            sys.executable,
            str(TOOL),
            "tiny.py",
            "--tests",
            "test_tiny.py",
            "--config",
            str(tmp_path / "none.toml"),
            "--report-dir",
            str(tmp_path / "out"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    report = json.loads((tmp_path / "out" / "tiny.json").read_text(encoding="utf-8"))
    assert (report["mutants"], report["killed"], report["survived"]) == (2, 2, 0)
    assert report["score"] == 100.0
    assert {r["after"] for r in report["results"]} == {"2", "0"}


def test_modules_importing_the_target_are_not_preloaded(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "rules.py").write_text("X = 1\n", encoding="utf-8")
    (package / "user.py").write_text("from pkg.rules import X\n", encoding="utf-8")
    (package / "user_of_user.py").write_text("from . import user\n", encoding="utf-8")
    # A function may be called on import: its imports count, but not a PEP 562 hook's.
    (package / "lazy.py").write_text("def f():\n    from . import rules\n", encoding="utf-8")
    hook = "def __getattr__(name):\n    from . import rules\n    return rules.X\n"
    (package / "hook.py").write_text(hook, encoding="utf-8")
    dynamic = "import importlib\nM = importlib.import_module('pkg.' + 'other')\n"
    (package / "dynamic.py").write_text(dynamic, encoding="utf-8")
    (package / "other.py").write_text("import json\n", encoding="utf-8")
    assert mutate.independent_modules(tmp_path, "pkg.rules") == ["pkg", "pkg.hook", "pkg.other"]


CLASSY = textwrap.dedent(
    """
    import functools

    LIMIT = 3

    def top(n):
        return n > LIMIT

    class Rules:
        limit = 3

        def method(self, n):
            return n + 1

        @property
        def twice(self):
            return self.limit * 2

        @staticmethod
        @functools.cache
        def cached(n):
            return n - 1
    """
)


def test_function_body_mutants_are_located_by_qualified_name() -> None:
    located = {
        (m.line, m.operator): mutate.function_of(CLASSY, m.index, frozenset())
        for m in mutate.mutants_of(CLASSY)
    }
    assert located[(4, "int_plus_one")] is None  # module level: the import hook
    assert located[(7, "compare")] == "top"
    assert located[(10, "int_plus_one")] is None  # class body
    assert located[(13, "arithmetic")] == "Rules.method"
    assert located[(17, "arithmetic")] == "Rules.twice"
    assert located[(22, "arithmetic")] == "Rules.cached"


def test_a_code_swap_changes_the_live_function_for_every_reference(tmp_path: Path) -> None:
    module = ModuleType("classy")
    exec(compile(CLASSY, str(tmp_path / "classy.py"), "exec"), module.__dict__)  # noqa: S102
    top, rules = module.top, module.Rules()
    for line, operator, qualname in (
        (7, "compare", "top"),
        (13, "arithmetic", "Rules.method"),
        (17, "arithmetic", "Rules.twice"),
        (22, "arithmetic", "Rules.cached"),
    ):
        mutant = next(
            m for m in mutate.mutants_of(CLASSY) if (m.line, m.operator) == (line, operator)
        )
        code = mutate.mutated_code(CLASSY, str(tmp_path / "classy.py"), mutant.index, frozenset())
        swap = mutate.code_swap(module, qualname, code)
        assert swap is not None, qualname
        swap()
    assert top(3) is True  # n >= LIMIT
    assert rules.method(1) == 0
    assert rules.twice == 1.5
    assert module.Rules.cached(5) == 6
    assert mutate.code_swap(module, "Rules.missing", code) is None


@pytest.mark.slow
def test_the_fast_path_and_the_import_hook_agree(tmp_path: Path) -> None:
    fast, _ = _run(tmp_path, WEAK, 19)
    exact, _ = _run(tmp_path, WEAK, 19, "--no-fast")
    summary = "3 mutants: killed 2, timeout 0, survived 1,"
    assert summary in fast
    assert summary in exact
