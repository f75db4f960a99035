"""Speed of the urgency dashboard (``/urgentie/<code>/``): a cold request (the theme scores of
the area's level in its municipality computed with ``compare_all`` over every year) beside warm
requests (the scores taken from the per-process cache, :data:`wijkbeeld.web.urgency.reading.
FIGURE_SCORES`), and the plain baseline: ``compare_all`` alone, which every request paid before
the cache.

Data: the demo's Den Haag wijk series 2009-2022 (``haaglanden-aandelen``) and the worked example
rounds about Morgenstond (``voorbeeld-peilingen``), in a fresh SQLite database.

    .venv/bin/python benchmarks/urgency_dashboard.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

AREA = "WK051834"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wijkbeeld-bench-"))
    os.environ["WIJKBEELD_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    os.environ["WIJKBEELD_DEBUG"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    try:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from wijkbeeld.areas.codes import parse_code
        from wijkbeeld.compare import compare_all
        from wijkbeeld.web.demo import load_demo
        from wijkbeeld.web.figures.loading import figures_frame
        from wijkbeeld.web.urgency.reading import FIGURE_SCORES

        call_command("migrate", verbosity=0, interactive=False)
        load_demo(verbose=False, only={"haaglanden-aandelen", "voorbeeld-peilingen"},
                  password="bench-demo-1")
        user = get_user_model().objects.create_user("bench", password="bench-pw-12345",
                                                    role="analyst")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        code = parse_code(AREA)

        def baseline() -> float:
            start = time.perf_counter()
            figures = figures_frame(municipality=code.municipality, level=str(code.level))
            compare_all(figures)
            return time.perf_counter() - start

        def request() -> float:
            start = time.perf_counter()
            response = client.get(f"/urgentie/{AREA}/")
            assert response.status_code == 200, response.status_code
            return time.perf_counter() - start

        base = min(baseline() for _ in range(args.repeat))
        cold = []
        for _ in range(args.repeat):
            FIGURE_SCORES.clear()
            cold.append(request())
        warm = [request() for _ in range(args.repeat)]
        print(f"urgency dashboard {AREA}, best of {args.repeat} "
              f"(load average {', '.join(f'{x:.1f}' for x in os.getloadavg())})")
        print(f"  baseline: figures_frame + compare_all alone:   {base * 1000:8.1f} ms")
        print(f"  dashboard, cold (cache emptied each time):      {min(cold) * 1000:8.1f} ms")
        print(f"  dashboard, warm (theme scores from the cache):  {min(warm) * 1000:8.1f} ms")
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
