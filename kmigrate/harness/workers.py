"""Persistent worker processes (kmigrate/harness/worker.py run by the legacy or
the modern interpreter), driven over JSON lines, and pools of them.

A worker imports TensorFlow once (about 5 s) and then runs one program per
request; a pool hands idle workers to the tasks of the scheduler.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np

from kmigrate.harness.errors import HarnessError
from kmigrate.harness.provision import COMPAT_LAYER, LegacyRuntime

WORKER_SCRIPT = Path(__file__).resolve().parent / "worker.py"
STARTUP_TIMEOUT = 180.0


class Worker:
    """One persistent worker process, driven over JSON lines."""

    def __init__(self, label: str, command: list[str], env: dict | None, log_path: Path):
        self.label = label
        self.command = command
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue = queue.Queue()
        self.versions: dict = {}
        self.startup_seconds = 0.0
        self._next_id = 0

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
            env=self.env, text=True, bufsize=1, start_new_session=True,
        )
        log.close()
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self.process, self.lines), daemon=True).start()

    @staticmethod
    def _pump(process: subprocess.Popen, lines: queue.Queue) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)  # end of stream: the process exited

    def _read(self, timeout: float) -> dict:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise HarnessError(f"{self.label} worker did not answer within {timeout:.0f} s (see {self.log_path})")
        if line is None:
            code = self.process.wait() if self.process is not None else None
            self.process = None
            raise HarnessError(f"{self.label} worker exited with status {code} (see {self.log_path})")
        return json.loads(line)

    def ensure_ready(self) -> None:
        if self.process is not None and self.versions:
            return
        if self.process is None:
            self.start()
        hello = self._read(STARTUP_TIMEOUT)
        if not hello.get("ready"):
            raise HarnessError(f"{self.label} worker did not start: {hello}")
        self.versions = hello.get("versions", {})
        self.startup_seconds = hello.get("startup_seconds", 0.0)

    def request(self, payload: dict, timeout: float) -> dict:
        try:
            self.ensure_ready()
            assert self.process is not None and self.process.stdin is not None
            self._next_id += 1
            payload = {**payload, "id": self._next_id}
            self.process.stdin.write(json.dumps(payload) + "\n")
            self.process.stdin.flush()
            return self._read(timeout)
        except (BrokenPipeError, OSError) as exc:
            self.stop()
            raise HarnessError(f"{self.label} worker crashed: {exc} (see {self.log_path})") from exc
        except HarnessError:
            self.versions = {}  # restart on next use
            raise

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
        self.versions = {}


class WorkerPool:
    """Idle workers of one runtime; a task borrows one for one program."""

    def __init__(self, workers: list[Worker]):
        self.workers = workers
        self.idle: queue.Queue = queue.Queue()
        for worker in workers:
            self.idle.put(worker)

    def start_all(self) -> None:
        for worker in self.workers:
            worker.start()  # start-up (TensorFlow import) overlaps with other work

    def run(self, payload: dict, timeout: float) -> dict:
        worker = self.idle.get()
        try:
            return worker.request(payload, timeout)
        finally:
            self.idle.put(worker)

    def ask(self, payload: dict, timeout: float) -> dict:
        """The worker's answer, timed; a harness failure becomes a failed answer (one program
        failing to run never stops the others)."""
        started = time.perf_counter()
        try:
            answer = self.run(payload, timeout)
        except HarnessError as exc:
            answer = {"ok": False, "error": str(exc)}
        answer["seconds"] = time.perf_counter() - started
        return answer

    def versions(self) -> dict:
        """What the first worker reported at start-up (library versions, start-up time)."""
        worker = self.workers[0]
        return {**worker.versions, "startup_seconds": worker.startup_seconds}

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop()


def legacy_worker_command(runtime: LegacyRuntime, script_runtime: Path | None = None) -> list[str]:
    """The legacy interpreter runs worker.py by path (it has no kmigrate), after the compatibility layer;
    ``script_runtime`` (script_runtime.py) makes it run ordinary scripts instead of contract fixtures."""
    command = [str(runtime.python), str(WORKER_SCRIPT), "--side", "legacy", "--compat", str(COMPAT_LAYER)]
    return [*command, "--script-runtime", str(script_runtime)] if script_runtime else command


def modern_worker_command(modern_python: str, script_runtime: Path | None = None) -> list[str]:
    command = [modern_python, str(WORKER_SCRIPT), "--side", "modern"]
    return [*command, "--script-runtime", str(script_runtime)] if script_runtime else command


def modern_environment(target: str) -> dict:
    env = dict(os.environ)
    env.pop("TF_USE_LEGACY_KERAS", None)
    if target == "tf_keras":
        env["TF_USE_LEGACY_KERAS"] = "1"  # before the worker imports TensorFlow
    return env


def load_arrays(path: str | None) -> dict:
    """The arrays a worker recorded (an .npz file), by key; empty when there are none."""
    if not path or not os.path.exists(path):
        return {}
    with np.load(path, allow_pickle=False) as stored:
        return {key: stored[key] for key in stored.files}
