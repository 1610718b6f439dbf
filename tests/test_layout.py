"""The library's layout holds: stages as subpackages, no import cycles, short modules, and each
small rule written in exactly one place (read from the source, so a second copy fails here)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "platform" / "murmur"
MAX_LINES = 450
MAX_TOP_LEVEL_MODULES = 8


def _modules() -> dict[str, Path]:
    """Every module of the package: dotted name -> file (a package is its __init__.py)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of murmur that `name` imports anywhere: top level, in functions, under TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import sub` imports the submodule when there is one, else a name of pkg.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_modules_are_short_and_few_sit_at_the_top() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


@pytest.mark.parametrize("stage", ["data", "models", "train", "serving", "jobs", "cli"])
def test_each_stage_is_a_subpackage(stage: str) -> None:
    assert (PACKAGE / stage / "__init__.py").is_file()


def _sources() -> dict[str, str]:
    return {
        str(p.relative_to(PACKAGE)): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")
    }


def _defined_in(pattern: str) -> list[str]:
    """The modules whose code (not comments) matches `pattern`."""
    rx = re.compile(pattern, re.MULTILINE)
    hits = []
    for name, text in _sources().items():
        code = "\n".join(line.split("  #", 1)[0] for line in text.splitlines())
        if rx.search(code):
            hits.append(name)
    return sorted(hits)


def test_the_default_seed_is_written_once() -> None:
    assert _defined_in(r"\b(seed|SEED)\w*\s*(:\s*int\s*)?=\s*42\b|\(42\b") == ["core/seeds.py"]


def test_the_epoch_count_is_written_once() -> None:
    assert _defined_in(r"^\s*EPOCHS\s*=") == ["data/rules.py"]
    assert _defined_in(r"[\"']epochs[\"']\s*:\s*\d") == []


def test_the_state_strings_are_written_once() -> None:
    from murmur.core.states import JobStatus, ModelState

    words = sorted({s.value for s in ModelState} | {s.value for s in JobStatus})
    pattern = r"=\s*[\"'](" + "|".join(words) + r")[\"']"
    assert _defined_in(pattern) == ["core/states.py"]


def test_the_end_of_text_prefix_is_written_once() -> None:
    assert _defined_in(r"[\"']<\|endoftext\|>[\"']") == ["core/generation.py"]
    # The prompt prefix and the end-of-text id have one helper each.
    assert _defined_in(r"EOS\s*\+\s*\w*prompt") == ["core/generation.py"]
    assert _defined_in(r"convert_tokens_to_ids\(EOS\)") == ["core/generation.py"]


def test_timestamps_and_stamped_ids_are_made_once() -> None:
    """Every record's time is murmur.core.clock's stamp; every time-sorted id its compact form."""
    now = r"datetime\.now\(|\bgmtime\(|\.utcnow\(|\btime\.strftime\("
    assert _defined_in(now) == ["core/clock.py"]
    assert _defined_in(r"%Y-%m-%dT%H:%M:%S\.%f|%Y%m%d") == ["core/clock.py"]


def test_locks_are_filelock_taken_in_one_place() -> None:
    assert _defined_in(r"\bfcntl\b|\bflock\(|FileLock\(") == ["core/paths.py"]


def test_the_cache_folder_is_found_in_one_place() -> None:
    assert _defined_in(r"[\"']\.cache[\"']") == ["core/paths.py"]
    assert _defined_in(r"environ[^\n]*MURMUR_CACHE") == []  # read as paths.CACHE_ENV


def test_a_job_id_has_one_rule() -> None:
    """JobState (jobs/<id>/) and RunFiles (train/<id>/) check one id by one rule."""
    assert _defined_in(r"f[\"']invalid (job id|run name)") == ["core/job_ids.py"]
    from murmur.core.errors import ConfigError, StoreError
    from murmur.core.job_ids import check_job_id, new_job_id

    assert check_job_id(new_job_id()).startswith("train-")
    for bad in ("", ".hidden", "a/b", "a b", "x" * 101):
        with pytest.raises(StoreError, match="invalid job id"):
            check_job_id(bad, error=StoreError)
        with pytest.raises(ConfigError, match="invalid job id"):
            check_job_id(bad)


def test_ray_is_started_or_joined_in_one_place() -> None:
    """murmur.core.ray_init.init_ray, for the library and the benchmarks alike."""
    bench = PACKAGE.parents[1] / "bench"
    scripts = [p.name for p in sorted(bench.glob("*.py")) if "ray.init(" in p.read_text("utf-8")]
    assert (_defined_in(r"\bray\.init\("), scripts) == (["core/ray_init.py"], [])


def test_validation_errors_become_one_line_in_one_place() -> None:
    """Only murmur.core.errors reads pydantic's messages; callers pick the first error or all."""
    assert _defined_in(r"[\"']msg[\"']") == ["core/errors.py"]
    from pydantic import BaseModel, Field, ValidationError

    from murmur.core.errors import validation_line

    class Two(BaseModel):
        a: int = Field(ge=1)
        b: int = 0

    with pytest.raises(ValidationError) as e:
        Two.model_validate({"a": 0, "b": "x"})
    errors = e.value.errors()
    every = validation_line(errors, show_input=True)
    assert every.startswith("a 0: Input should be greater than or equal to 1; b 'x': Input ")
    flag = validation_line(errors, first=True, name=lambda loc: f"--{loc[0]}", show_input=True,
                           rules={"greater_than_equal": "must be at least {ge}"})  # fmt: skip
    assert flag == "--a 0 must be at least 1"


def test_the_context_length_and_the_avatar_rule_are_read_in_one_place() -> None:
    length = r"getattr\(\w+(\.config)?, [\"'](n_positions|max_position_embeddings)[\"']"
    assert _defined_in(length) == ["core/generation.py"]
    assert _defined_in(r"startswith\([\"']https://") == ["core/tweets.py"]


def test_no_reference_to_issues_or_documents_outside_the_repository() -> None:
    """Issues and the design notes live outside the repository: cite a link or a measurement."""
    root = PACKAGE.parents[1]
    texts = [*PACKAGE.rglob("*.py"), *root.glob("bench/*.py"), *root.glob("tests/*.py")]
    rx = re.compile(r"\b[Ii]ssues? \d+|\bDESIGN\.md|\bDEVELOPERS\.md")
    found = [
        str(p.relative_to(root))
        for p in [*texts, root / "README.md"]
        if rx.search(p.read_text("utf-8"))
    ]
    assert found == []


def test_a_models_training_attempt_has_one_name() -> None:
    """`attempt` in TrainProgress, TrainResult and AccountRecord (stored as `attempts` there)."""
    assert _defined_in(r"\.attempts\b") == []


# Lines of serving/ where "job" truly means a murmur training job ("path: stripped line").
SERVING_JOB_LINES: set[str] = set()


def test_serving_says_job_only_for_a_murmur_job() -> None:
    """A job is a murmur training job (jobs/, `murmur train`); one prompt of a request is a
    GenerationSpec. Code, comments and the page's files alike."""
    rx = re.compile(r"\b\w*[Jj]ob\w*\b")
    found = [
        f"{rel}: {line.strip()}"
        for path in sorted((PACKAGE / "serving").rglob("*"))
        if path.is_file() and path.suffix in {".py", ".js", ".html", ".css"}
        for rel in [path.relative_to(PACKAGE)]
        for line in path.read_text("utf-8").splitlines()
        if rx.search(line)
    ]
    assert sorted(set(found) - SERVING_JOB_LINES) == []


# ---- floors: the ground floor, then the stages in order, then the CLI ----------------------------
FLOORS = ["core", "data", "models", "train", "evals", "jobs", "serving", "cli"]
TOP_LEVEL_OK = {"murmur", "murmur.samples", "murmur.samples.__main__"}


def _floor(module: str) -> str:
    """The floor of a module: its stage, `core`, or the module itself at the top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else module


def _floor_edges() -> set[tuple[str, str, str]]:
    """(importer, floor imported, the module imported) across floors."""
    modules = _modules()
    out = set()
    for name, path in modules.items():
        for target in _imports(name, path, set(modules)):
            if _floor(name) != _floor(target):
                out.add((name, _floor(target), target))
    return out


def test_no_package_imports_a_later_floor() -> None:
    """core imports no stage; data < models < train < jobs < serving < cli; no package cycle."""
    rank = {floor: i for i, floor in enumerate(FLOORS)}
    upward = [
        (name, target)
        for name, floor, target in _floor_edges()
        if _floor(name) in rank and floor in rank and rank[floor] > rank[_floor(name)]
    ]
    assert sorted(upward) == []


def test_the_ground_floor_imports_no_stage() -> None:
    stages = set(FLOORS) - {"core"}
    assert sorted((n, t) for n, f, t in _floor_edges() if _floor(n) == "core" and f in stages) == []


def test_no_two_module_file_names_repeat() -> None:
    """Besides __init__, __main__ and one module per command under cli/."""
    seen: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if path.stem in {"__init__", "__main__"} or rel.parts[0] == "cli":
            continue
        seen.setdefault(path.stem, []).append(str(rel))
    assert {stem: paths for stem, paths in seen.items() if len(paths) > 1} == {}


def test_the_floor_checker_sees_an_upward_import() -> None:
    assert _floor("murmur.train.publishing") == "train"
    assert FLOORS.index("serving") > FLOORS.index("train")
