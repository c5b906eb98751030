"""The job worker started by the project's scripts survives a Redis restart.

RQ's worker exits on a broken Redis connection; ``scripts/worker.sh``
starts it again. The test runs the script against a Redis of its own
(``services.OwnRedis``), restarts that Redis and checks that a job queued
afterwards is run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import rq
from ckan.lib.jobs import add_queue_name_prefix

from tests.hardening.services import OwnRedis, wait_for

ROOT = Path(__file__).resolve().parents[2]
VENV = Path(os.environ.get("ND47_VENV") or Path(sys.executable).parent.parent)
# a worker loads CKAN and every plugin before it registers
START_TIMEOUT = 120


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()


class SupervisedWorker:
    """``scripts/worker.sh`` against ``server``, its output in ``log``."""

    def __init__(self, server: OwnRedis, log: Path) -> None:
        self.log = log
        env = {**os.environ, "CKAN_REDIS_URL": server.url, "WORKER_MAX_BACKOFF": "2"}
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [str(ROOT / "scripts" / "worker.sh"), str(VENV), str(ROOT / "test.ini")],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def restarts(self) -> int:
        return self.log.read_text(errors="replace").count("[worker] exited")

    def kill_worker(self) -> None:
        """SIGKILL the script's running ``ckan jobs worker`` (its child, found by parent id)."""
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        for pid in found.stdout.split():
            os.kill(int(pid), signal.SIGKILL)

    def stop(self) -> None:
        # the script stops its worker on SIGTERM; the group catches a stray child
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        finally:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture
def supervised_worker(own_redis, tmp_path):
    worker = SupervisedWorker(own_redis, tmp_path / "worker.log")
    yield worker
    worker.stop()


def _registered(server: OwnRedis) -> bool:
    try:
        return bool(server.client().smembers("rq:workers"))
    except Exception:
        return False


def _runs_a_job(server: OwnRedis) -> None:
    queue = rq.Queue(add_queue_name_prefix("default"), connection=server.client())
    job = queue.enqueue("builtins.len", [1, 2, 3])

    def finished() -> bool:
        job.refresh()
        return job.get_status() == "finished"

    wait_for(finished, START_TIMEOUT, "the worker to run a queued job")
    assert job.return_value() == 3


def test_the_worker_runs_jobs_again_after_redis_restarts(own_redis, supervised_worker):
    wait_for(lambda: _registered(own_redis), START_TIMEOUT, "the worker to register")
    _runs_a_job(own_redis)

    own_redis.stop()
    own_redis.start()
    _runs_a_job(own_redis)
    assert supervised_worker.process.poll() is None, "the supervising script must keep running"


def test_a_worker_that_died_while_redis_was_down_is_started_again(own_redis, supervised_worker):
    wait_for(lambda: _registered(own_redis), START_TIMEOUT, "the worker to register")
    own_redis.stop()
    # RQ retries a broken connection while it waits for jobs, but not at every
    # step (start, heartbeat, registry clean-up): there it exits. Killing it
    # while Redis is down stands for that exit; the new worker then fails to
    # connect and exits too, until Redis is back.
    supervised_worker.kill_worker()
    wait_for(lambda: supervised_worker.restarts() >= 2, START_TIMEOUT, "a failed restart")
    own_redis.start()
    _runs_a_job(own_redis)
