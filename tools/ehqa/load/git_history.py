"""Git plumbing: what a pull request changes (``ehqa check-pr``), and when each audit landed (R13).

The repository *is* the audit system, so its history is evidence: who changed an audit file,
and on which day each audit first reached the main branch. This module only reads Git; the
decisions are made elsewhere (``rules.ownership``, ``rules.timeliness``).

Two ways in, each chosen for its job:

* ``pull_request`` and ``files_at`` use GitPython, which keeps one ``git cat-file`` process
  open for every blob it reads;
* ``first_landed`` runs ``git log`` once for the whole history (one process for 1,000 audits
  rather than one per file: 11 ms against about 4.8 s, measured), plus one ``git rev-parse`` to refuse a
  shallow clone, whose history would give wrong dates.

The QA repository may be the top of its Git work tree or a folder inside it; paths are
always given relative to the QA repository.
"""

from __future__ import annotations

import functools
import logging
import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Callable, TypeVar

from ehqa.errors import UsageProblem
from ehqa.layout import AUDITS, CYCLES, ROOT_FILES, EntryType

log = logging.getLogger("ehqa")

# What check-pr looks at: ehqa's data, in any case, so that ``Audits/`` or ``QA.yaml`` cannot slip
# past a case-sensitive pathspec (issue 9).
DATA_PATHSPECS = (AUDITS, CYCLES, *ROOT_FILES)
MODE_FILE, MODE_EXECUTABLE, MODE_SYMLINK, MODE_SUBMODULE = "100644", "100755", "120000", "160000"
MAX_BLOB_BYTES = 16 * 1024 * 1024  # a pull request's file bigger than this is judged by its size alone


class GitProblem(UsageProblem):
    """Git cannot answer: not a repository, an unknown ref, no common history. A usage error (exit 2)."""


_F = TypeVar("_F", bound=Callable)


def _answers_or_problem(function: _F) -> _F:
    """Whatever GitPython or git itself raises (a corrupt object, a repository git refuses to
    trust) becomes a ``GitProblem`` with git's own words, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        import git
        from gitdb.exc import ODBError

        try:
            return function(*args, **kwargs)
        except git.GitCommandError as exc:
            raise GitProblem(_first_line(exc.stderr) or str(exc)) from None
        except (git.GitError, ODBError) as exc:
            raise GitProblem(f"Git cannot read the repository: {exc}") from None

    return wrapper  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file a pull request adds, changes or deletes. ``old`` is its bytes at the merge base
    (None when the pull request adds it); ``new`` its bytes at the head (None when it deletes it).
    A side larger than the size cap is not read: its bytes are empty and its size says why.
    ``old_mode`` and ``new_mode`` are Git's modes ('' for a side that does not exist): a symbolic
    link (120000) or a submodule (160000) is never read, and its bytes are empty."""

    path: str  # relative to the QA repository, with forward slashes
    old: bytes | None
    new: bytes | None
    old_size: int = 0
    new_size: int = 0
    old_mode: str = ""
    new_mode: str = ""

    @property
    def status(self) -> str:
        return "added" if self.old is None else "deleted" if self.new is None else "modified"


@dataclass(frozen=True, slots=True)
class PullRequest:
    prefix: str  # the QA repository's folder inside the Git work tree; '' at its top
    base: str  # the commit the pull request merges into (the tip of --base)
    merge_base: str  # where head left base: the pull request's changes are merge_base..head
    head: str
    changes: tuple[FileChange, ...]


@_answers_or_problem
def pull_request(repo_root: Path, base: str, head: str = "HEAD", folders: tuple[str, ...] = DATA_PATHSPECS,
                 max_bytes: int = MAX_BLOB_BYTES) -> PullRequest:
    """What ``head`` changes relative to ``base``, as ``git diff base...head`` shows it (from their
    merge base, so that what ``base`` gained since does not count), limited to ``folders`` matched
    without regard to case.

    Renames are not followed: a moved file is a deletion and an addition, each judged on its own.
    Raises ``GitProblem`` when the folder is not in a Git repository, a ref is unknown, or the two
    have no common history (a shallow clone: fetch the whole history).
    """
    import git

    repo, prefix = _open(repo_root)
    base_commit, head_commit = _commit(repo, base), _commit(repo, head)
    try:
        bases = repo.merge_base(base_commit, head_commit)
    except git.GitError as exc:
        raise GitProblem(f"cannot find where {head} left {base}: {exc}") from None
    if not bases:
        shallow = " The clone is shallow: fetch the whole history (actions/checkout with fetch-depth: 0)." \
            if _is_shallow(repo) else ""
        raise GitProblem(f"{base} and {head} have no common history, so what the pull request changes is unknown."
                         + shallow)
    merge_base = bases[0]
    pathspecs = [f":(icase){_join(prefix, folder)}" for folder in folders]
    try:
        listing = repo.git.diff("--no-renames", "--raw", "--no-abbrev", "-z", merge_base.hexsha,
                                head_commit.hexsha, "--", *pathspecs)
    except git.GitCommandError as exc:
        raise GitProblem(f"git diff failed: {_first_line(exc.stderr)}") from None
    fields = listing.split("\0")
    changes: list[FileChange] = []
    for meta, full in zip(fields[0::2], fields[1::2]):
        old_mode, new_mode, _old_sha, _new_sha, status = meta.lstrip(":").split(" ")
        relative = _relative(prefix, full)
        old_mode = "" if status.startswith("A") else old_mode
        new_mode = "" if status.startswith("D") else new_mode
        old, old_size = _side(merge_base, full, old_mode, max_bytes)
        new, new_size = _side(head_commit, full, new_mode, max_bytes)
        changes.append(FileChange(relative, old, new, old_size, new_size, old_mode, new_mode))
    return PullRequest(prefix, base_commit.hexsha, merge_base.hexsha, head_commit.hexsha, tuple(changes))


def entry_type(mode: str) -> EntryType:
    """What a Git mode says an entry is."""
    if mode == MODE_SYMLINK:
        return EntryType.SYMLINK
    if mode == MODE_SUBMODULE:
        return EntryType.OTHER
    return EntryType.FILE


@_answers_or_problem
def names_at(repo_root: Path, ref: str, folders: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The names of the entries in each folder (relative to the QA repository; '' for its top) as
    they are at ``ref``; a folder that does not exist there has none. For finding two names that
    differ only by case, which a case-insensitive checkout would make one file."""
    repo, prefix = _open(repo_root)
    tree = _commit(repo, ref).tree
    found: dict[str, tuple[str, ...]] = {}
    for folder in folders:
        path = _join(prefix, folder) if folder else prefix
        try:
            item = tree / path if path else tree
        except KeyError:
            found[folder] = ()
            continue
        found[folder] = tuple(entry.name for entry in item) if item.type == "tree" else ()
    return found


@_answers_or_problem
def files_at(repo_root: Path, ref: str, names: tuple[str, ...]) -> dict[str, bytes]:
    """The files (and every file under the folders) named in ``names`` as they are at ``ref``:
    relative path -> bytes. Missing names are left out. Raises ``GitProblem`` as ``pull_request``."""
    repo, prefix = _open(repo_root)
    tree = _commit(repo, ref).tree
    found: dict[str, bytes] = {}
    for name in names:
        try:
            item = tree / _join(prefix, name)
        except KeyError:
            continue
        if item.type == "blob":
            found[name] = item.data_stream.read()
        elif item.type == "tree":
            for blob in item.traverse():
                if blob.type == "blob":
                    found[_relative(prefix, blob.path)] = blob.data_stream.read()
    return found


def extract(repo_root: Path, ref: str, names: tuple[str, ...], dest: Path) -> list[str]:
    """Write ``files_at(repo_root, ref, names)`` under ``dest``; the relative paths written."""
    written = []
    for relative, data in files_at(repo_root, ref, names).items():
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(relative)
    return written


# --- R13: when each audit landed ---------------------------------------------------------


def first_landed(repo_root: Path, ref: str = "HEAD") -> dict[str, date] | None:
    """The day each file under audits/ first landed on ``ref``'s branch: relative path -> date.

    Read in one ``git log`` pass over the first-parent history, so that a file added on a
    branch and merged counts from the merge (the day it reached the branch), by its committer
    date in the committer's time zone. A file deleted and added again keeps its first day.

    Returns None, with a warning, when there is no usable history: not a Git repository (a
    tarball), no commit at ``ref``, git not installed, or a shallow clone (whose oldest commit
    would claim every audit). Callers then use each audit's recorded ``completed`` date.
    """
    root = Path(repo_root)
    fallback = "each audit's recorded completed date is used instead"
    try:
        shallow = _git(root, "rev-parse", "--is-shallow-repository").strip()
    except GitProblem as exc:
        log.warning("%s has no Git history to read submission dates from (%s); %s", root, exc, fallback)
        return None
    if shallow == "true":
        log.warning("%s is a shallow Git clone, so the dates audits landed are unknown; fetch the whole "
                    "history (git fetch --unshallow, or actions/checkout with fetch-depth: 0); %s", root, fallback)
        return None
    try:
        text = _git(root, "-c", "core.quotePath=false", "log", "--reverse", "--first-parent", "-m",
                    "--diff-filter=A", "--name-only", "--relative", "--format=%x00%cI", ref, "--", AUDITS + "/")
    except GitProblem as exc:
        log.warning("cannot read the Git history of %s at %s (%s); %s", root, ref, exc, fallback)
        return None
    return parse_landed(text)


def parse_landed(text: str) -> dict[str, date]:
    """Parse ``git log --reverse --name-only --format=%x00%cI`` output: the first day each path appears."""
    landed: dict[str, date] = {}
    for record in text.split("\0"):
        lines = record.splitlines()
        if not lines or len(lines[0]) < 10:
            continue
        day = date.fromisoformat(lines[0][:10])
        for path in lines[1:]:
            if path:
                landed.setdefault(path, day)
    return landed


# --- helpers ------------------------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    """Run one git command in ``root`` and return its output; ``GitProblem`` when it fails."""
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", env=env, check=False)
    except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
        raise GitProblem(f"cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise GitProblem(_first_line(done.stderr) or f"git {args[0]} exited {done.returncode}")
    return done.stdout


def _open(repo_root: Path):
    """The GitPython repository holding ``repo_root``, and the QA repository's folder inside it ('' at the top)."""
    import git

    root = Path(repo_root).resolve()
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise GitProblem(f"{root} is not in a Git repository") from None
    if repo.bare or repo.working_tree_dir is None:
        raise GitProblem(f"{root} is in a bare Git repository")
    prefix = root.relative_to(Path(repo.working_tree_dir).resolve()).as_posix()
    return repo, "" if prefix == "." else prefix


def _commit(repo, ref: str):
    import git

    try:
        return repo.commit(ref)
    except (git.BadName, git.BadObject, ValueError, git.GitCommandError):
        raise GitProblem(f"unknown Git ref {ref!r}: fetch it first, or name a branch, tag or commit") from None


def _is_shallow(repo) -> bool:
    return (Path(repo.common_dir) / "shallow").is_file()


def _side(commit, path: str, mode: str, max_bytes: int) -> tuple[bytes | None, int]:
    """One side of a change: None where it does not exist; empty bytes for a symbolic link or a
    submodule, which are never read (``rules.ownership`` refuses them by their mode)."""
    if not mode:
        return None, 0
    if mode not in (MODE_FILE, MODE_EXECUTABLE):
        return b"", 0
    return _blob(commit, path, max_bytes)


def _blob(commit, path: str, max_bytes: int) -> tuple[bytes | None, int]:
    """A file's bytes at a commit and its size; empty bytes when it is over ``max_bytes`` (never read)."""
    try:
        item = commit.tree / path
    except KeyError:
        return None, 0
    if item.type != "blob":
        return None, 0
    return (item.data_stream.read() if item.size <= max_bytes else b""), item.size


def _join(prefix: str, name: str) -> str:
    return str(PurePosixPath(prefix, name)) if prefix else name


def _relative(prefix: str, path: str) -> str:
    return path[len(prefix) + 1:] if prefix and path.startswith(prefix + "/") else path


def _first_line(text: str | None) -> str:
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip().removeprefix("fatal: ").removeprefix("error: ")
    return ""
