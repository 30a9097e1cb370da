"""The software that produced the plan, recorded in the archive as environment.json.

Versions of Python, of every installed package, of pandoc, typst and quarto,
the engine that renders the documents with its version, and the git state of
the project. Nothing that varies from call to call (no
clock, no host name), so the same environment gives the same archive bytes.
"""

from __future__ import annotations

import importlib.metadata
import platform
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path


def run_text(cmd: Sequence[str], cwd: Path | None = None) -> str | None:
    """stdout of a command, stripped; None if it cannot run or fails."""
    try:
        done = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def installed_packages() -> dict[str, str]:
    """Installed distributions, name -> version, sorted by name (first one wins on duplicates)."""
    found: dict[str, str] = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name and name not in found:
            found[name] = dist.version
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def package_version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def pandoc_version() -> str | None:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_version())
    except Exception:  # pypandoc missing, or no pandoc binary: record the absence
        return None


def quarto_version(engine: str) -> str | None:
    if engine != "quarto" or shutil.which("quarto") is None:
        return None
    return run_text(["quarto", "--version"])


def engine_version(engine: str) -> str | None:
    """The version of the render engine: Quarto's ("1.10.18"), or for the embedded engine the pandoc and
    Typst it runs ("pandoc 3.9, typst 0.15.2")."""
    if engine == "quarto":
        return quarto_version(engine)
    return f"pandoc {pandoc_version()}, typst {package_version('typst')}"


def git_state(repo_dir: Path) -> dict | None:
    """{"commit": sha, "dirty": bool} of repo_dir, or None if it is not a git work tree.

    "dirty" follows `git describe --dirty`: tracked files modified or staged
    (untracked and ignored files do not count).
    """
    commit = run_text(["git", "-C", str(repo_dir), "rev-parse", "--verify", "HEAD"])
    if not commit:
        return None
    status = run_text(["git", "-C", str(repo_dir), "status", "--porcelain", "--untracked-files=no"])
    return {"commit": commit, "dirty": bool(status) if status is not None else None}


def collect_environment(repo_dir: Path, engine: str) -> dict:
    """The software that produced the plan. No timestamps or host names (deterministic)."""
    return {
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "packages": installed_packages(),
        "pandoc": pandoc_version(),
        "typst": package_version("typst"),
        "quarto": quarto_version(engine),
        "render_engine": engine,
        "render_engine_version": engine_version(engine),
        "git": git_state(Path(repo_dir)),
    }
