"""Flows by name: `lec/students` is the officer's own copy when there is one, else edubot's.

A flow's name is its path under a flows folder without `.yaml` (`lec/students`). Two folders
are searched, the officer's first (bundle.user_flows_dir(): filled by `edubot flows copy`),
then the shipped one (bundle.bundled_flows_dir()). A sub-flow (`run: lec/login`) of a flow in
either folder is looked up the same way, so a copied `lec/student_form` is the one that the
shipped `lec/students` runs, and a copied `lec/students` still finds the shipped `lec/login`.

A path that exists (`flows/lec/students.yaml`, `./my-flow.yaml`) is taken as it is; one that
does not but reads like a shipped flow's path (`flows/lec/students.yaml` typed in a folder that
has no flows/) is taken as that flow's name.

A copy starts with a comment line that records which shipped file it came from (edubot's
version and a hash of the file), so that `edubot doctor` can say when the shipped flow has
changed since: the copy may miss a fix.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml

from bot import __version__
from bot.bundle import bundled_flows_dir, user_flows_dir
from bot.errors import FlowError

COPY_MARK = "# edubot flows copy:"
_MARK_PATTERN = re.compile(r"^# edubot flows copy: (\S+) from edubot (\S+), sha256 ([0-9a-f]+)")


def flow_name(text: str) -> str | None:
    """`lec/students` from `lec/students`, `flows/lec/students.yaml` or `lec\\students.yaml`;
    None when `text` cannot be a flow's name (absolute, `..`, empty)."""
    posix = PurePosixPath(text.replace("\\", "/"))
    if PureWindowsPath(text).drive or posix.is_absolute() or ".." in posix.parts or not posix.parts:
        return None  # a path of its own (C:\\…, /…, ../…), never a flow's name
    parts = list(posix.parts)
    if parts[0] == "flows" and len(parts) > 1:
        parts = parts[1:]
    name = "/".join(parts)
    name = name.removesuffix(".yaml").removesuffix(".yml")
    return name or None


def flows_root(path: Path) -> Path:
    """The flows folder a flow file is in (the nearest folder named `flows`), else its own."""
    for parent in path.resolve().parents:
        if parent.name == "flows":
            return parent
    return path.resolve().parent


def catalogue_roots() -> tuple[Path, ...]:
    """The flows folders searched by name, the officer's first."""
    return (user_flows_dir(), bundled_flows_dir())


def find_by_name(name: str) -> Path | None:
    """The file of flow `name`: the officer's copy, else the shipped one; None if neither."""
    for root in catalogue_roots():
        candidate = root / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def resolve_flow(given: Path | str, *, strict: bool = False) -> Path:
    """The flow file meant by what the officer typed: an existing path, else a flow's name.

    Nothing found: the path as typed, so that the loader says the file does not exist; with
    `strict`, a FlowError naming the closest flows when it reads like a flow (the loader's way).
    """
    path = Path(given)
    if path.exists():
        return path
    name = flow_name(str(given))
    found = find_by_name(name) if name else None
    if found is not None:
        return found
    if strict and name and path.suffix in ("", ".yaml", ".yml"):
        raise unknown_flow(path)
    return path


def names_a_flow(text: str) -> bool:
    """`lec/students` is a flow's name; a file's path ends in `.yaml`."""
    return not text.lower().endswith((".yaml", ".yml")) and flow_name(text) is not None


def catalogue_name(path: Path) -> str | None:
    """`lec/students` for a flow file in one of the folders searched by name (the officer's or
    edubot's own), else None: what a scheduled run names, so that it finds the file where the
    edubot installed on the day keeps it (an upgrade moves edubot's own folder)."""
    resolved = path.resolve()
    for root in catalogue_roots():
        try:
            relative = resolved.relative_to(root.resolve())
        except ValueError:
            continue
        return relative.with_suffix("").as_posix()
    return None


def unknown_flow(given: Path | str) -> FlowError:
    """Neither a file nor a flow's name: say so with the names that come closest."""
    names = [e.name for e in entries()]
    close = difflib.get_close_matches(flow_name(str(given)) or str(given), names, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return FlowError(
        str(given),
        None,
        f"no flow file {given} here ({Path.cwd()}) and no flow of that name",
        f"{hint}`edubot flows list` shows the flows by name (e.g. lec/students); "
        "or give the path of a flow file",
    )


def subflow_candidates(flow_path: Path, root: Path, name: str) -> list[Path]:
    """Where `run: name` in the flow at `flow_path` (under flows folder `root`) may be, in order:
    beside the flow, in its own flows folder, then the catalogue's (the officer's copy, then
    edubot's own). A flow of the catalogue thus runs the officer's copy of a sub-flow; a flow
    of the officer's own, anywhere, may run edubot's `lec/login`.
    """
    roots = catalogue_roots()
    own = [] if _same_folder(root, roots) else [root / f"{name}.yaml"]
    return [flow_path.parent / f"{name}.yaml", *own, *(r / f"{name}.yaml" for r in roots)]


def _same_folder(root: Path, roots: tuple[Path, ...]) -> bool:
    try:
        here = root.resolve()
        return any(here == r.resolve() for r in roots)
    except OSError:
        return False


@dataclass(frozen=True)
class FlowEntry:
    """One flow of the catalogue, as `edubot flows list` and `edubot doctor` show it."""

    name: str
    path: Path  # the file that runs under this name
    description: str
    shipped: Path | None  # edubot's own file of this name, if any
    overridden: bool  # the officer's copy runs instead of the shipped one
    shipped_changed: bool  # the shipped file differs from the one the copy was made from
    copied_from_version: str | None


def describe(path: Path) -> str:
    """A flow's `description:` (its Thai words first), or '' when the file cannot be read."""
    try:
        data: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST_LOADER)
    except (OSError, yaml.YAMLError):
        return ""
    text = data.get("description", "") if isinstance(data, dict) else ""
    return " ".join(str(text).split())


def entries() -> list[FlowEntry]:
    """Every flow reachable by name, sorted by name."""
    user_root, shipped_root = catalogue_roots()
    shipped = _by_name(shipped_root)
    own = _by_name(user_root)
    listed = []
    for name in sorted(shipped.keys() | own.keys()):
        path = own.get(name) or shipped[name]
        mark = copy_mark(own[name]) if name in own else None
        shipped_path = shipped.get(name)
        changed = bool(mark and shipped_path is not None and mark[1] != file_digest(shipped_path))
        listed.append(
            FlowEntry(
                name=name,
                path=path,
                description=describe(path),
                shipped=shipped_path,
                overridden=name in own,
                shipped_changed=changed,
                copied_from_version=mark[0] if mark else None,
            )
        )
    return listed


def _by_name(root: Path) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {p.relative_to(root).with_suffix("").as_posix(): p for p in root.rglob("*.yaml")}


def file_digest(path: Path) -> str:
    """A short hash of a shipped flow, written into copies (16 hex digits is plenty here)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def copy_mark(path: Path) -> tuple[str, str] | None:
    """(edubot version, shipped file's hash) from a copy's first line; None for other files."""
    try:
        with path.open(encoding="utf-8") as handle:
            first = handle.readline()
    except OSError:
        return None
    found = _MARK_PATTERN.match(first)
    return (found.group(2), found.group(3)) if found else None


class UnknownFlow(LookupError):
    """No shipped flow of that name (the CLI says so with the list)."""


class AlreadyCopied(FileExistsError):
    """The officer already has a copy of that name (the CLI says how to replace it)."""


def copy_flow(name: str, *, overwrite: bool = False) -> Path:
    """Copy shipped flow `name` into the officer's flows folder; return the copy's path."""
    clean = flow_name(name)
    source = bundled_flows_dir() / f"{clean}.yaml" if clean else None
    if source is None or not source.is_file():
        raise UnknownFlow(name)
    target = user_flows_dir() / f"{clean}.yaml"
    if target.exists() and not overwrite:
        raise AlreadyCopied(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    mark = (
        f"{COPY_MARK} {clean} from edubot {__version__}, sha256 {file_digest(source)}"
        " — this copy runs instead of edubot's own; delete it to go back\n"
    )
    # newline="\n": the same bytes on Windows, so a copy compares equal to what it came from.
    target.write_text(mark + text, encoding="utf-8", newline="\n")
    return target


_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
