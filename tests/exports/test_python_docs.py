"""docs/python.md stays honest: its ``python`` code blocks run, in order, in one namespace, in a
fresh interpreter (so ``import wijkbeeld`` is tested as a user would run it). The same run
checks that ``import wijkbeeld`` alone loads no pandas (lazy imports) and, at the end, that every
name in ``wijkbeeld.__all__`` resolves."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "python.md"

BEFORE = """import sys
import wijkbeeld as _w
assert "pandas" not in sys.modules, "import wijkbeeld loaded pandas"
"""
AFTER = """
_missing = [n for n in _w.__all__ if getattr(_w, n, None) is None]
assert not _missing, _missing
print("alle namen:", len(_w.__all__))
"""


def test_doc_code_blocks_run(tmp_path: Path) -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 5
    script = tmp_path / "doc.py"
    script.write_text(BEFORE + "\n".join(blocks) + AFTER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=240, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "inwoners; bron: CBS" in done.stdout
    assert "vergelijking.parquet" in done.stdout and "laag_inkomen.gpkg" in done.stdout
    assert "alle namen:" in done.stdout
