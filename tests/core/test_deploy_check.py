"""`tinhso check --deploy` under the production configuration the operations guide documents
gives no warning the guide does not explain."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "operations.md"


def documented_environment() -> dict[str, str]:
    """The /etc/tinhso/env of the guide's step 2, as systemd would read it."""
    text = GUIDE.read_text()
    block = re.search(r"```sh\n(DATABASE_URL=.*?)```", text, re.DOTALL)
    assert block, "the guide's step 2 (configuration) is missing"
    env = {}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        env[name.strip()] = value.strip()
    env["SECRET_KEY"] = "x" * 60 + "a-long-random-key-as-the-guide-says-to-generate"
    return env


def explained_warnings() -> set[str]:
    section = GUIDE.read_text().split("**`tinhso check --deploy`**", 1)
    assert len(section) == 2, "the guide does not explain check --deploy"
    return set(re.findall(r"`(security\.W\d+)`", section[1].split("\n\n**", 1)[0]))


def test_check_deploy_warns_only_of_what_the_guide_explains(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DEBUG", "TINHSO_VAR_DIR",
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}  # set by the browser tests' process
    env.update(documented_environment(), TINHSO_VAR_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy",
                           "--settings", "tinhso.settings"], env=env, capture_output=True,
                          text=True, cwd=ROOT)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    found = set(re.findall(r"\((\w+\.[WE]\d+)\)", output))
    explained = explained_warnings()
    assert explained, "the guide lists no warning"
    assert found <= explained, f"unexplained warnings: {sorted(found - explained)}\n{output}"
    assert "E0" not in output
