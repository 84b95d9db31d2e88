"""Refresh and compile the zh_Hans catalogues.

`python scripts/messages.py`          project level: templates/, legalaid/, core/, accounts/ (→ locale/)
`python scripts/messages.py cases`    one app: cases/**.py and cases/templates (→ cases/locale/)

Choice labels of core/choices.py are filled in from the vocabulary's Chinese terms, so
the UI and the ledger never disagree. Other new entries stay empty (shown in English)
until translated in the .po file; run again after editing to compile.
Needs GNU gettext (apt-get install gettext).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalaid.settings")
os.environ.setdefault("DEBUG", "1")

PROJECT_DIRS = ["templates", "legalaid", "core", "accounts"]


def run_makemessages(cwd: Path, ignore: list[str]) -> None:
    # -P: an app's own selectors.py must not shadow the standard library's when run inside it.
    args = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"]
    for pattern in ignore:
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=cwd, check=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def fill_terms(po_path: Path) -> int:
    """Fill empty msgstr of choice labels with the vocabulary's Chinese term."""
    import django

    django.setup()
    from core.choices import ALL_TERMS

    terms = dict(ALL_TERMS)
    lines = po_path.read_text(encoding="utf-8").splitlines()
    out, filled, i = [], 0, 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        if line.startswith('msgid "') and i + 1 < len(lines) and lines[i + 1] == 'msgstr ""':
            msgid = line[7:-1]
            following_is_continuation = i + 2 < len(lines) and lines[i + 2].startswith('"')
            if msgid in terms and not following_is_continuation:
                out.append(f'msgstr "{terms[msgid]}"')
                filled += 1
                i += 2
                continue
        i += 1
    # Labels built from variables are invisible to makemessages: add them here.
    present = {ln[7:-1] for ln in out if ln.startswith('msgid "')}
    for msgid, zh in terms.items():
        if msgid not in present:
            out += ["", f'msgid "{msgid}"', f'msgstr "{zh}"']
            filled += 1
    po_path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return filled


def compile_dir(cwd: Path) -> None:
    subprocess.run([sys.executable, "-P", "-m", "django", "compilemessages", "-l", "zh_Hans"], cwd=cwd, check=True,
                   env=dict(os.environ, PYTHONPATH=str(ROOT)))


def main(argv: list[str]) -> None:
    if argv:
        app = ROOT / argv[0]
        (app / "locale").mkdir(exist_ok=True)
        run_makemessages(app, ["migrations/*"])
        compile_dir(app)
        return
    (ROOT / "locale").mkdir(exist_ok=True)
    others = [p.name for p in ROOT.iterdir() if p.is_dir() and p.name not in PROJECT_DIRS]
    run_makemessages(ROOT, [*[f"{name}/*" for name in others], "*/migrations/*"])
    filled = fill_terms(ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    print(f"filled {filled} vocabulary terms")
    compile_dir(ROOT / "locale")


if __name__ == "__main__":
    main(sys.argv[1:])
