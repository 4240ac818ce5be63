from __future__ import annotations

import io

from django.core.management import call_command


def run_command(*args: str) -> str:
    """Run a `tinhso` command and return what it printed."""
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
