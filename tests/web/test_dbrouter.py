"""The replica router: only reads of areas and figures go to this process's replica."""

from __future__ import annotations

from django.conf import settings


def test_reads_of_figures_and_areas_go_to_one_replica_the_rest_to_the_primary() -> None:
    from wijkbeeld.web.accounts.models import User
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.dbrouter import ReplicaRouter, replica_aliases
    from wijkbeeld.web.figures.models import Observation

    assert replica_aliases({"default": {}, "replica_2": {}, "replica_1": {}, "postgres": {}}) == [
        "replica_1", "replica_2"]
    router = ReplicaRouter()
    assert router.replica is None or router.replica in settings.DATABASES
    router.replica = "replica_1"
    assert router.db_for_read(Observation) == "replica_1"
    assert router.db_for_read(Area) == "replica_1"
    assert router.db_for_read(User) is None  # sessions, users, answers: where they are written
    assert router.db_for_read(Area, instance=object()) is None  # follow a related row's database
    assert router.db_for_write(Observation) is None
    assert router.allow_migrate("default", "figures") is True
    assert router.allow_migrate("replica_1", "figures") is False
    router.replica = None
    assert router.db_for_read(Observation) is None
