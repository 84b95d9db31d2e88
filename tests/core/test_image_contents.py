"""The Docker image leaves out the tests, the demo, scale and bench code and the development tools (issue 15.5),
and the product still starts without them. Proved without Docker: `.dockerignore` is read with Docker's own
matching rules, the build context it leaves is computed and copied into a temporary folder, and the checks,
every module of the apps and `manage.py help` run there, as in the image, with the project's python."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"][
    "root_packages"]
APPS = [name for name in PACKAGES if name != "legalaid"]

# Python modules that exist for the tests, the demo, generated data or the benchmarks only.
DEV_ONLY_STEMS = {"demo", "scale", "bench", "demo_base", "bench_urls", "conftest", "factories"}
# Kept on purpose: it answers that the demo is not in the image (stations/management/commands/seed_demo.py).
GUARDED_COMMANDS = {"stations/management/commands/seed_demo.py"}


# --- Docker's .dockerignore rules (moby/patternmatcher, as `docker build` applies them) ----------------------

def read_dockerignore(text: str) -> list[tuple[re.Pattern, bool]]:
    """(pattern, exclusion) per line: `#` comments and blank lines skipped, `!` re-includes, each pattern
    cleaned as a path and taken relative to the context (a leading / is dropped)."""
    patterns = []
    for line in text.splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        exclusion = pattern.startswith("!")
        if exclusion:
            pattern = pattern[1:].strip()
        pattern = posixpath.normpath(pattern)
        if len(pattern) > 1 and pattern.startswith("/"):
            pattern = pattern.lstrip("/")
        patterns.append((compile_pattern(pattern), exclusion))
    return patterns


def compile_pattern(pattern: str) -> re.Pattern:
    """`*` is anything but /, `?` one character but /, `**` any number of folders (zero too); the rest literal."""
    assert not set(pattern) & set("[]\\"), f"{pattern!r}: keep .dockerignore to *, ** and ? (no classes, escapes)"
    regex, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1  # `**/` is `**`
            regex += ".*" if i == len(pattern) else "(.*/)?"
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.compile(regex)


def ignored(path: str, patterns: list[tuple[re.Pattern, bool]]) -> bool:
    """MatchesOrParentMatches: a pattern takes a path when it matches the path or one of its folders; the last
    pattern that takes it decides."""
    matched = False
    folders = path.split("/")[:-1]
    for regex, exclusion in patterns:
        if exclusion != matched:
            continue
        match = regex.fullmatch(path) is not None or any(
            regex.fullmatch("/".join(folders[:i + 1])) for i in range(len(folders)))
        if match:
            matched = not exclusion
    return matched


def build_context(root: Path = ROOT) -> set[str]:
    """The files `docker build .` sends, as paths relative to `root` with / separators."""
    patterns = read_dockerignore((root / ".dockerignore").read_text(encoding="utf-8"))
    prune = not any(exclusion for _regex, exclusion in patterns)  # no `!`: an ignored folder stays ignored
    files = set()
    for folder, dirs, names in os.walk(root):
        rel = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel == "." else rel + "/"
        if prune:
            dirs[:] = [d for d in dirs if not ignored(prefix + d, patterns)]
        files.update(prefix + name for name in names if not ignored(prefix + name, patterns))
    return files


def development_only(path: str) -> bool:
    parts = path.split("/")
    stem, _dot, ext = parts[-1].rpartition(".")
    if parts[0] in {"tests", "test-artifacts", "bench-results"}:
        return True
    if ext == "py" and path not in GUARDED_COMMANDS:
        if stem in DEV_ONLY_STEMS or stem.startswith(("test_", "bench", "loadtest")):
            return True
        if "management" in parts and re.search(r"demo|scale|bench", stem):
            return True
        if parts[0] == "scripts" and stem == "dev":
            return True
    return False


# --- the rules themselves ------------------------------------------------------------------------------------

def test_patterns_follow_dockers_rules():
    rules = read_dockerignore("# comment\n\n/tests\n*/demo.py\n**/__pycache__\nscripts/bench*.py\n"
                              "docs/**\n!docs/keep.md\n")
    assert ignored("tests/core/test_x.py", rules) and ignored("tests", rules)
    assert not ignored("cases/tests/x.py", rules)  # patterns are anchored at the context, unlike .gitignore
    assert ignored("cases/demo.py", rules) and not ignored("a/b/demo.py", rules) and not ignored("demo.py", rules)
    assert ignored("__pycache__/x.pyc", rules) and ignored("cases/sub/__pycache__/x.pyc", rules)
    assert ignored("scripts/bench_lists.py", rules) and not ignored("scripts/messages.py", rules)
    assert ignored("docs/a.png", rules) and not ignored("docs/keep.md", rules)


# --- what the image holds ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def context() -> set[str]:
    return build_context()


def test_no_test_demo_scale_or_bench_file_goes_into_the_image(context):
    # The checkout has them (else this test would prove nothing) ...
    for path in ["tests/conftest.py", "cases/demo.py", "core/scale.py", "reports/bench.py",
                 "stations/demo_base.py", "legalaid/bench_urls.py", "scripts/loadtest.py", "scripts/dev.py"]:
        assert (ROOT / path).is_file(), path
    # ... the build context does not.
    assert sorted(p for p in context if development_only(p)) == []
    assert not {".env", "Makefile", "docs/screenshot.png"} & context
    assert not [p for p in context if p.startswith(("scripts/", ".venv/", ".git/", ".data/")) or "__pycache__" in p]


def test_the_image_keeps_what_the_product_runs_on(context):
    needed = {"manage.py", "pyproject.toml", "README.md", "legalaid/settings.py", "legalaid/urls.py",
              "legalaid/wsgi.py", "legalaid/celery.py", "templates/base.html", *GUARDED_COMMANDS}
    needed |= {f"{app}/{name}" for app in APPS for name in ("__init__.py", "apps.py", "models.py")}
    assert needed - context == set()
    # Every template, static file, catalogue and migration of the checkout.
    for folder in [ROOT / "templates", ROOT / "static", ROOT / "locale",
                   *(ROOT / app / sub for app in APPS for sub in ("templates", "static", "locale", "migrations"))]:
        for path in folder.rglob("*"):
            rel = path.relative_to(ROOT).as_posix()
            if path.is_file() and "__pycache__" not in rel:
                assert rel in context, rel


# --- and the product starts from it ----------------------------------------------------------------------------

# The venv installs the project in editable mode: its import hook would find cases/demo.py in the checkout
# when the copy has none. The image has no such hook (`pip install .`), so the copy runs without it.
NO_EDITABLE_HOOK = """import sys
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in getattr(f, "__module__", "")]
"""

IMPORT_EVERYTHING = """import importlib, importlib.util, os, sys
import django
django.setup()
here = os.getcwd()
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    assert module.__file__.startswith(here), (name, module.__file__)
for gone in ["cases.demo", "core.scale", "reports.bench", "stations.demo_base", "legalaid.bench_urls",
             "legalaid.test_settings"]:
    assert importlib.util.find_spec(gone) is None, gone
from core.registry import modules
assert modules("demo") == modules("scale") == modules("bench") == [], "demo modules found"
print("imported", len(sys.argv) - 1)
"""


def _modules_of(image: Path) -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((image / package).rglob("*.py")):
            parts = list(path.relative_to(image).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


@pytest.fixture(scope="module")
def image(context, tmp_path_factory) -> Path:
    image = tmp_path_factory.mktemp("image") / "app"
    for rel in sorted(context):
        target = image / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(ROOT / rel, target)
        except FileNotFoundError:  # removed in the checkout meanwhile
            pass
    hooks = image.parent / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(NO_EDITABLE_HOOK, encoding="utf-8")
    return image


def _run(image: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    # The settings the image runs with (legalaid/test_settings.py is not in it), and the environment the tests
    # run with (test_settings put DATABASE_URL, REDIS_URL, SECRET_KEY, TESTING into os.environ).
    base.update({"DJANGO_SETTINGS_MODULE": "legalaid.settings", "PYTHONPATH": str(image.parent / "hooks"),
                 "STATIC_ROOT": str(image.parent / "staticfiles"), **(env or {})})
    python = str(PYTHON if PYTHON.exists() else sys.executable)
    return subprocess.run([python, *args], cwd=image, env=base, capture_output=True, text=True, timeout=120)


def test_the_image_starts_without_the_left_out_files(image):
    assert not (image / "tests").exists() and not (image / "cases" / "demo.py").exists()

    check = _run(image, "manage.py", "check")
    assert check.returncode == 0, check.stdout + check.stderr

    names = _modules_of(image)
    assert {"cases.models", "cases.views", "intake.services", "core.tasks", "legalaid.urls",
            "stations.management.commands.seed_demo"} <= set(names)
    imported = _run(image, "-c", IMPORT_EVERYTHING, *names)
    assert imported.returncode == 0, imported.stdout + imported.stderr

    help_ = _run(image, "manage.py", "help")
    assert help_.returncode == 0, help_.stdout + help_.stderr
    for command in ["backup", "restore", "import_ledger", "build_report", "import_holidays", "seed_demo"]:
        assert command in help_.stdout, command

    # The Dockerfile's own build step.
    static = _run(image, "manage.py", "collectstatic", "--noinput",
                  env={"SECRET_KEY": "build-only", "DEBUG": "0", "TESTING": "0",
                       "DATABASE_URL": "postgres://x@localhost/x"})
    assert static.returncode == 0, static.stdout + static.stderr


def test_seed_demo_says_the_demo_is_not_in_the_image(image):
    seeded = _run(image, "manage.py", "seed_demo")
    assert seeded.returncode == 1
    assert "演示数据不包含在生产镜像中" in seeded.stderr and "make run" in seeded.stderr, seeded.stderr
    assert "Traceback" not in seeded.stderr and "ImportError" not in seeded.stderr
