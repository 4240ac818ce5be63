"""The Vietnamese catalogue is complete, and the compiled .mo is the .po (`make messages`)."""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tinhso" / "locale" / "vi" / "LC_MESSAGES"


def test_every_message_has_a_vietnamese_translation():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    missing = [e.msgid for e in catalogue.untranslated_entries() + catalogue.fuzzy_entries()]
    assert missing == [], f"untranslated or fuzzy: {missing}"


def test_the_compiled_catalogue_matches_the_source():
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
              for e in polib.pofile(str(LOCALE / "django.po")) if not e.obsolete}
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
                for e in polib.mofile(str(LOCALE / "django.mo")) if e.msgid}
    assert compiled == {k: v for k, v in source.items() if k[1]}, "run `make messages`"
