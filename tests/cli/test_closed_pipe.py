"""`wijkbeeld ... | head -1` ends quietly: no BrokenPipeError traceback, no "Exception ignored".

Each command runs as a real subprocess whose stdout is closed after the first line, as ``head -1``
does. Commands that need a database use a fresh empty SQLite file."""

from __future__ import annotations

import os
import re
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


def readme_commands() -> list[list[str]]:
    """Every ``wijkbeeld`` command of the README's command-line block, as a user would type it
    with the optional parts left out (the first of alternatives ``a|b``; placeholders such as
    FILE or TOKEN stay: they must give a clean error, not a traceback). Left out: ``serve`` and
    ``worker`` without arguments (they run until stopped) and the commands that need the
    internet (``fetch``, ``import odata``)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Command line", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    block = block.replace("\\\n", " ")
    out: list[list[str]] = []
    for line in block.splitlines():
        line = re.sub(r"\s#.*$", "", line).strip()
        for part in line.split(" | "):
            part = re.sub(r"\[[^\]]*\]", " ", part.split("<")[0]).strip()
            words = [w.split("|")[0] for w in part.split() if w != "..."]
            if not words or words[0] != "wijkbeeld":
                continue
            args = [w for w in words[1:] if not w.endswith("...")] + \
                [w[:-3] for w in words[1:] if w.endswith("...") and len(w) > 3]
            if args[:1] in (["serve"], ["fetch"]) or args[:2] == ["import", "odata"]:
                continue
            out.append(args)
    return out


def test_the_readme_lists_the_commands_checked_here() -> None:
    commands = readme_commands()
    assert len(commands) >= 30
    assert ["urgency", "WK036300"] in commands and ["agenda", "network"] in commands


@pytest.mark.parametrize("args", readme_commands(), ids=" ".join)
def test_readme_command_into_head_1_has_no_traceback(args: list[str], tmp_path: Path) -> None:
    """Issue 19: each README command, piped into ``head -1`` on an empty database, ends with its
    output or a clear message, never a Python traceback."""
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    (tmp_path / "texts.txt").write_text("Er ligt veel afval.\n", encoding="utf-8")
    with (tmp_path / "texts.txt").open("rb") as fin:
        proc = subprocess.Popen([*CLI, *args], stdin=fin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=tmp_path)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        status = proc.wait(timeout=300)
    assert "Traceback" not in err, err[-2000:]
    assert "Exception ignored" not in err
    assert status in (0, 1, 2), err[-2000:]
