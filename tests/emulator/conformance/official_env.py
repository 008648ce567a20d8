"""The official ``azure-planetarycomputer`` 1.0.0 package, in a virtualenv of its own.

It has the same import name as this project (``azure.planetarycomputer``), so it must never be
installed into the project's environment: it lives in ``<repo>/.cache/official-1.0.0/venv``,
created once (``pip install azure-planetarycomputer==1.0.0`` from the package registry) and
reused by later runs. Creation is guarded by a lock file, so parallel test processes (and
threads) wait for one another instead of racing.

    python tests/emulator/conformance/official_env.py     # create it (or find it) and print its python

``PLANETARYCOMPUTER_OFFICIAL_ENV`` overrides the folder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, Dict, Optional

OFFICIAL_PACKAGE = "azure-planetarycomputer"
OFFICIAL_VERSION = "1.0.0"
REPO = Path(__file__).resolve().parents[3]
DEFAULT_ROOT = REPO / ".cache" / f"official-{OFFICIAL_VERSION}"
ENV_VARIABLE = "PLANETARYCOMPUTER_OFFICIAL_ENV"
#: The official 1.0.0 package requires Python 3.10 or newer.
OFFICIAL_MIN_PYTHON = (3, 10)

#: Prints where ``azure.planetarycomputer`` comes from, run by the venv's python.
_PROBE = "import json, azure.planetarycomputer as pc;print(json.dumps({'file': pc.__file__, 'version': pc.VERSION}))"

_thread_lock = threading.Lock()


class OfficialEnvError(RuntimeError):
    """The official package's virtualenv could not be created or is not what it should be."""


class NoSuitablePython(OfficialEnvError):
    """No Python the official package installs on was found (this one is too old)."""


def base_interpreter() -> str:
    """A Python the official package installs on, to make its virtualenv with.

    This one when new enough; otherwise (on Python 3.9) the newest Python 3.10+ under pyenv
    (``$PYENV_ROOT/versions``, default ``~/.pyenv/versions``), else a ``python3.1x`` on ``PATH``
    that runs (pyenv's shims are on PATH even for versions they do not activate).
    """
    if sys.version_info >= OFFICIAL_MIN_PYTHON:
        return sys.executable
    versions = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    installed = []
    for folder in versions.glob("3.*"):
        numbers = tuple(int(n) for n in re.findall(r"\d+", folder.name)[:2])
        if numbers >= OFFICIAL_MIN_PYTHON and (folder / "bin" / "python").exists():
            installed.append((numbers, str(folder / "bin" / "python")))
    on_path = [shutil.which(f"python3.{minor}") for minor in range(30, OFFICIAL_MIN_PYTHON[1] - 1, -1)]
    for candidate in [python for _, python in sorted(installed, reverse=True)] + [p for p in on_path if p]:
        try:
            runs = subprocess.run([candidate, "-c", "pass"], capture_output=True, timeout=60).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            runs = False
        if runs:
            return candidate
    raise NoSuitablePython(
        f"{OFFICIAL_PACKAGE} {OFFICIAL_VERSION} needs Python 3.10 or newer; this is "
        f"{sys.version_info[0]}.{sys.version_info[1]} and no Python 3.10+ was found under pyenv or on PATH"
    )


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def isolated_env() -> Dict[str, str]:
    """Environment for running the official venv's python: no PYTHONPATH or other PYTHON* variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k != "VIRTUAL_ENV"}


def probe(python: Path, cwd: Optional[Path] = None) -> Dict[str, Any]:
    """Where that interpreter imports ``azure.planetarycomputer`` from, and its version."""
    done = subprocess.run(
        [str(python), "-s", "-E", "-c", _PROBE],
        cwd=str(cwd or python.parent),
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        raise OfficialEnvError(f"{python} cannot import azure.planetarycomputer:\n{done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _is_ready(root: Path) -> bool:
    marker = root / "ready.json"
    python = venv_python(root / "venv")
    if not (marker.is_file() and python.exists()):
        return False
    try:
        return json.loads(marker.read_text()).get("version") == OFFICIAL_VERSION
    except ValueError:
        return False


class _FileLock:
    """An exclusive lock on a file (flock on POSIX, msvcrt on Windows), with a timeout."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self._file: Optional[IO[str]] = None

    def __enter__(self) -> "_FileLock":
        self._file = open(self.path, "a+")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                self._lock()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    self._file.close()
                    raise OfficialEnvError(
                        f"Timed out after {self.timeout:.0f} s waiting for {self.path} "
                        "(another process is creating the official package's virtualenv)."
                    ) from None
                time.sleep(0.2)

    def _lock(self) -> None:
        assert self._file is not None
        if os.name == "nt":
            import msvcrt

            self._file.seek(0)
            msvcrt.locking(self._file.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def __exit__(self, *exc: Any) -> None:
        assert self._file is not None
        if os.name == "nt":
            import msvcrt

            self._file.seek(0)
            msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()


def _run(cmd: list, step: str, timeout: float) -> None:
    try:
        done = subprocess.run(cmd, env=isolated_env(), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise OfficialEnvError(f"{step} took longer than {timeout:.0f} s: {' '.join(cmd)}") from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
        raise OfficialEnvError(f"{step} failed (exit {done.returncode}): {' '.join(cmd)}\n{tail}")


def _create(root: Path, timeout: float) -> None:
    venv = root / "venv"
    shutil.rmtree(venv, ignore_errors=True)
    (root / "ready.json").unlink(missing_ok=True)
    _run([base_interpreter(), "-m", "venv", str(venv)], "Creating the virtualenv", timeout)
    python = venv_python(venv)
    _run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
            f"{OFFICIAL_PACKAGE}=={OFFICIAL_VERSION}",
        ],
        f"pip install {OFFICIAL_PACKAGE}=={OFFICIAL_VERSION}",
        timeout,
    )
    found = probe(python, cwd=root)
    if found["version"] != OFFICIAL_VERSION or not Path(found["file"]).resolve().is_relative_to(venv.resolve()):
        raise OfficialEnvError(f"The new virtualenv imports the wrong azure.planetarycomputer: {found}")
    (root / "ready.json").write_text(json.dumps({**found, "version": OFFICIAL_VERSION}) + "\n")


def official_python(root: Optional[Path] = None, *, timeout: float = 300) -> Path:
    """The python of a virtualenv holding only the official package (created on first use).

    :param root: The cache folder (default ``<repo>/.cache/official-1.0.0``, or
        ``$PLANETARYCOMPUTER_OFFICIAL_ENV``).
    :param timeout: Seconds allowed for each creation step, and for waiting on another creator.
    :raises OfficialEnvError: When the virtualenv cannot be created (the message says which step
        failed and shows pip's output).
    """
    root = Path(root or os.environ.get(ENV_VARIABLE) or DEFAULT_ROOT).resolve()
    python = venv_python(root / "venv")
    if _is_ready(root):
        return python
    root.mkdir(parents=True, exist_ok=True)
    with _thread_lock, _FileLock(root / ".lock", timeout):
        if not _is_ready(root):
            _create(root, timeout)
    return python


if __name__ == "__main__":
    print(official_python())
