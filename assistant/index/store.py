"""Where built indexes live: folders on this machine, or collections in a Chroma server.

Both keep every build apart and switch readers over in one atomic step, so nobody ever reads half
an index:

* ``LocalStore`` (``ASSISTANT_CHROMA_URL`` empty): ``index/builds/<id>/`` holds a persistent Chroma
  store and ``manifest.json``; ``index/CURRENT`` names the serving build and is replaced atomically.
* ``ServerStore`` (``ASSISTANT_CHROMA_URL`` set): each build is a collection ``<name>__<id>``; the
  collection ``<name>__current`` carries the serving build id and its manifest in its metadata.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from assistant.errors import StoreUnreachable
from assistant.settings import Settings


class Store(Protocol):
    """Builds of the index: read the current one, write a new one, publish it, clean up."""

    def current(self) -> tuple[str, dict[str, Any]] | None:
        """(build id, manifest) of the serving build, or None when there is none."""

    def stamp(self) -> Any:
        """Something cheap to read that changes whenever ``current`` may have, or None when only
        ``current`` can tell (readers then ask it each question)."""

    def begin(self, build_id: str) -> Any:
        """A new, empty collection to fill for ``build_id``."""

    def publish(self, build_id: str, manifest: dict[str, Any]) -> None:
        """Make ``build_id`` the serving build, atomically."""

    def discard(self, build_id: str) -> None:
        """Remove an unfinished build."""

    def open(self, build_id: str) -> Any:
        """The collection of a published build."""

    def prune(self, keep: set[str]) -> None:
        """Remove every build not in ``keep`` (finished or abandoned)."""


def local_client(path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (created if needed), held for the block: one writer at a time, across
    processes, on every operating system (filelock, not fcntl, which Windows lacks)."""
    from filelock import FileLock

    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(path):
        yield


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step: readers see the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:  # a full disk: no half-written file left behind beside the real one
        tmp.unlink(missing_ok=True)
        raise


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """A file's identity and version: ``write_atomic`` replaces a file by another (a new inode), so a
    publish always changes it. None when there is no such file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class LocalStore:
    def __init__(self, index_dir: Path, collection: str) -> None:
        self.root, self.name = index_dir, collection
        self.builds = index_dir / "builds"

    def stamp(self) -> Any:
        return file_stamp(self.root / "CURRENT")

    def current(self) -> tuple[str, dict[str, Any]] | None:
        try:
            build_id = (self.root / "CURRENT").read_text(encoding="utf-8").strip()
            manifest = json.loads((self.builds / build_id / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return build_id, manifest

    def begin(self, build_id: str) -> Any:
        partial = self.builds / f"{build_id}.partial"
        partial.mkdir(parents=True)
        client = local_client(partial / "chroma")
        return client.get_or_create_collection(self.name, embedding_function=None, metadata={"hnsw:space": "cosine"})

    def publish(self, build_id: str, manifest: dict[str, Any]) -> None:
        partial = self.builds / f"{build_id}.partial"
        write_atomic(partial / "manifest.json", json.dumps(manifest, indent=2))
        os.replace(partial, self.builds / build_id)
        write_atomic(self.root / "CURRENT", build_id + "\n")

    def discard(self, build_id: str) -> None:
        shutil.rmtree(self.builds / f"{build_id}.partial", ignore_errors=True)

    def open(self, build_id: str) -> Any:
        return local_client(self.builds / build_id / "chroma").get_collection(self.name)

    def prune(self, keep: set[str]) -> None:
        for child in self.builds.iterdir() if self.builds.is_dir() else []:
            if child.name not in keep:
                shutil.rmtree(child, ignore_errors=True)


class ServerStore:
    def __init__(self, url: str, collection: str) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.url, self.name = url, collection
        parsed = urlparse(url if "://" in url else f"http://{url}")
        https = parsed.scheme == "https"
        try:
            self.client = chromadb.HttpClient(
                host=parsed.hostname or "localhost",
                port=parsed.port or (443 if https else 8000),
                ssl=https,
                settings=ChromaSettings(anonymized_telemetry=False),
            )
            self.client.heartbeat()
        except Exception as e:
            raise StoreUnreachable(url) from e

    @property
    def pointer(self) -> str:
        return f"{self.name}__current"

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if is_connection_error(e):
                raise StoreUnreachable(self.url) from e
            raise

    def stamp(self) -> Any:
        return None  # the pointer is a collection's metadata: only asking the server tells

    def current(self) -> tuple[str, dict[str, Any]] | None:
        try:
            meta = self._call(self.client.get_collection, self.pointer).metadata or {}
        except StoreUnreachable:
            raise
        except Exception:
            return None
        if "build" not in meta:
            return None
        return str(meta["build"]), json.loads(str(meta.get("manifest", "{}")))

    def begin(self, build_id: str) -> Any:
        return self._call(self.client.create_collection, f"{self.name}__{build_id}", embedding_function=None,
                          metadata={"hnsw:space": "cosine"})

    def publish(self, build_id: str, manifest: dict[str, Any]) -> None:
        pointer = self._call(self.client.get_or_create_collection, self.pointer, embedding_function=None)
        self._call(pointer.modify, metadata={"build": build_id, "manifest": json.dumps(manifest)})

    def discard(self, build_id: str) -> None:
        try:
            self._call(self.client.delete_collection, f"{self.name}__{build_id}")
        except StoreUnreachable:
            raise
        except Exception:
            return

    def open(self, build_id: str) -> Any:
        return self._call(self.client.get_collection, f"{self.name}__{build_id}")

    def prune(self, keep: set[str]) -> None:
        prefix = f"{self.name}__"
        for col in self._call(self.client.list_collections):
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix) and name != self.pointer and name[len(prefix):] not in keep:
                self.discard(name[len(prefix):])


def is_connection_error(e: BaseException) -> bool:
    text = f"{type(e).__name__} {e}".lower()
    return any(word in text for word in ("connect", "timeout", "timed out", "unreachable", "refused",
                                         "remoteprotocol", "network"))


def open_store(settings: Settings) -> Store:
    """The store the settings ask for. Raises StoreUnreachable when a server URL does not answer."""
    if settings.chroma_url:
        return ServerStore(settings.chroma_url, settings.collection)
    return LocalStore(settings.index_dir, settings.collection)
