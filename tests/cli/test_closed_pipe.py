"""`wijkbeeld ... | head -1` ends quietly: no BrokenPipeError traceback, no "Exception ignored".

Each command runs as a real subprocess whose stdout is closed after the first line, as ``head -1``
does. Commands that need a database use a fresh empty SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "import sys; from wijkbeeld.cli import main; sys.exit(main())"]


def _head_1(args: list[str], tmp_path: Path, stdin_text: str = "") -> tuple[int, str]:
    """Run the command, read one line, close the pipe; return (status, stderr)."""
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    source = tmp_path / "in.txt"
    source.write_text(stdin_text, encoding="utf-8")
    with source.open("rb") as fin:
        proc = subprocess.Popen([*CLI, *args], stdin=fin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=tmp_path)
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        status = proc.wait(timeout=120)
    assert first, err
    return status, err


LINES = "".join(f"Er is veel overlast van afval en geen werk in de buurt, regel {i}.\n"
                for i in range(20000))


@pytest.mark.parametrize(("args", "stdin_text"), [
    (["tag"], LINES),
    (["scrub"], LINES),
    (["--help"], ""),
])
def test_closed_pipe_ends_quietly(args: list[str], stdin_text: str, tmp_path: Path) -> None:
    status, err = _head_1(args, tmp_path, stdin_text)
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert "Exception ignored" not in err
    assert status in (0, 1)
