"""The apps in layers (README "Layout", pyproject's [tool.importlinter]): the contract catches a violating
import, and model label strings ("cases.Case"), which import-linter cannot see, follow the same layers."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
LINT = Path(sys.executable).parent / "lint-imports"
# A model field or a lookup naming a model of another app by its label.
LABEL = re.compile(r"""(?:ForeignKey|OneToOneField|ManyToManyField|get_model)\(\s*["']([a-z_]+)\.[A-Z]\w*["']""")


def _layers() -> list[tuple[set[str], bool]]:
    """Top layer first: (apps, whether they may use each other)."""
    contract = CONFIG["contracts"][0]
    out = []
    for layer in contract["layers"]:
        siblings_share = ":" in layer
        out.append(({name.strip() for name in re.split(r"[|:]", layer)}, siblings_share))
    return out


def allowed(source: str, target: str) -> bool:
    if source == target:
        return True
    rank = {}
    for index, (apps, share) in enumerate(_layers()):
        for app in apps:
            rank[app] = (index, share)
    (source_rank, share), (target_rank, _share) = rank[source], rank[target]
    return target_rank > source_rank or (target_rank == source_rank and share)


def label_crossings() -> set[tuple[str, str, str]]:
    found = set()
    for app in CONFIG["root_packages"]:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for target in LABEL.findall(path.read_text(encoding="utf-8")):
                if target in CONFIG["root_packages"] and not allowed(app, target):
                    found.add((app, target, str(path.relative_to(ROOT))))
    return found


def test_layers_read_from_the_contract():
    assert allowed("reports", "cases") and allowed("cases", "core") and allowed("accounts", "stations")
    assert not allowed("core", "accounts") and not allowed("cases", "funding") and not allowed("intake", "funding")


def test_model_labels_follow_the_layers():
    crossings = {(source, target) for source, target, _path in label_crossings()}
    assert crossings == set(), label_crossings()


def _copy_of_the_project(tmp_path: Path) -> Path:
    for app in CONFIG["root_packages"]:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns(
            "locale", "templates", "static", "__pycache__", "*.mo", "*.po", "*.html"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT)], cwd=folder, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"})


def test_the_contract_holds_and_fails_on_a_violating_import(tmp_path):
    project = _copy_of_the_project(tmp_path)
    kept = _lint(project)
    assert kept.returncode == 0, kept.stdout + kept.stderr

    (project / "core" / "layer_probe.py").write_text("from cases.models import Case  # core may not know cases\n")
    broken = _lint(project)
    assert broken.returncode == 1
    assert "core.layer_probe -> cases.models" in broken.stdout
