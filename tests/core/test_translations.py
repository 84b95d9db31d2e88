"""Every catalogue is fully translated and its compiled .mo matches the .po (nobody forgot to compile)."""

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")) + [
    ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]
PAIR = re.compile(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"\nmsgstr "(.*)"$', re.M)


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_the_catalogue_is_translated_and_compiled(po):
    text = po.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]  # after the header, which is fuzzy by convention
    assert not re.search(r"^#,.*\bfuzzy\b", body, re.M), "fuzzy entries are not compiled"
    pairs = [(m.group(1), m.group(2), m.group(3)) for m in PAIR.finditer(text)]
    assert pairs
    untranslated = [msgid for _ctx, msgid, msgstr in pairs if not msgstr]
    assert untranslated == []
    with open(po.with_suffix(".mo"), "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = [msgid for ctx, msgid, msgstr in pairs
             if "\\" not in msgid
             and (compiled.pgettext(ctx, msgid) if ctx else compiled.gettext(msgid)) != msgstr.replace('\\"', '"')]
    assert stale == []


def test_no_catalogue_is_overridden_by_another_at_run_time():
    """Django merges every catalogue into one; for a msgid two catalogues translate differently, the
    first wins everywhere, so the other app would silently show the wrong word (this once showed
    "Subsidy" as 投诉是否属实). Each entry must read at run time exactly as its own catalogue says;
    a word that needs two meanings takes a context (pgettext)."""
    from django.utils import translation

    overridden = []
    with translation.override("zh-hans"):
        for po in CATALOGUES:
            for ctx, msgid, msgstr in PAIR.findall(po.read_text(encoding="utf-8")):
                if "\\" in msgid or not msgstr:
                    continue
                got = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
                if got != msgstr.replace('\\"', '"'):
                    overridden.append(f"{po.relative_to(ROOT).parts[0]}: {msgid!r} reads {got!r}, not {msgstr!r}")
    assert overridden == []
