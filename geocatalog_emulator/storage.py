"""Embedded storage: JSON documents in SQLite plus a files directory for blobs.

Every resource is a document of a ``kind`` (collection, item, operation, ...) under a
``parent`` (an item's collection, a run's ingestion, "" for top-level resources). Documents keep
their insertion order (``seq``), which gives stable paging.

Kinds in use (kind: parent -> id):
  collection: "" -> collection id             item: collection id -> item id
  render_option / mosaic / queryable: collection id -> its id or name
  collection_setting: collection id -> "tile-settings" | "partition-type"
  operation: "" -> operation id               search (registered mosaic search): "" -> search id
  ingestion_source: "" -> source id           ingestion: collection id -> ingestion id
  run: "<collection id>/<ingestion id>" -> run id
  sas_revocation: "" -> "all" (tokens issued before its time are refused)
  static_image: collection id -> image id
 Each thread has its own connection;
writes are serialized by one lock, so concurrent requests never interleave a read-modify-write.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Dict, Generator, Iterator, List, Optional, Sequence, Tuple

from . import item_index

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    parent TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (kind, parent, id)
);
CREATE INDEX IF NOT EXISTS docs_by_parent ON docs (kind, parent, seq);
"""


def _segments(name: str) -> List[str]:
    return name.replace("\\", "/").split("/")


def _safe_segment(segment: str) -> bool:
    return segment not in ("", ".", "..") and "\x00" not in segment and "/" not in segment and "\\" not in segment


class _Taken(Exception):
    def __init__(self, id: str) -> None:
        super().__init__(id)
        self.id = id


class Store:
    """Documents and blob files under one data directory (created if missing)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.blobs = self.root / "blobs"
        self.blobs.mkdir(exist_ok=True)
        self._path = self.root / "geocatalog.sqlite3"
        self._local = threading.local()
        self.write_lock = threading.RLock()
        with self._connect() as db:
            db.executescript(SCHEMA)
            db.executescript(item_index.SCHEMA)
            db.execute("PRAGMA journal_mode=WAL")
        self._index_missing()

    # -- the item search index (see item_index.py) ------------------------------------------

    @staticmethod
    def _index(db: sqlite3.Connection, kind: str, parent: str, seq: int, doc: Any) -> None:
        if kind != "item":
            return
        row, box = item_index.index_row({**doc, "collection": parent} if isinstance(doc, dict) else {})
        db.execute(
            "INSERT OR REPLACE INTO item_index (seq, collection, id, start, end, dt) VALUES (?, ?, ?, ?, ?, ?)",
            (seq, *row),
        )
        db.execute("DELETE FROM item_rtree WHERE seq=?", (seq,))
        if box is not None:
            db.execute("INSERT INTO item_rtree (seq, west, east, south, north) VALUES (?, ?, ?, ?, ?)", (seq, *box))

    @staticmethod
    def _unindex(db: sqlite3.Connection, where: str, args: Sequence[Any]) -> None:
        """Drop the index rows of the item documents ``where`` selects (before they are deleted)."""
        selected = f"SELECT seq FROM docs WHERE kind='item' AND {where}"
        db.execute(f"DELETE FROM item_index WHERE seq IN ({selected})", args)
        db.execute(f"DELETE FROM item_rtree WHERE seq IN ({selected})", args)

    def _index_missing(self) -> None:
        """Index items stored by an emulator that had no index (a data folder from an older version)."""
        with self.transaction() as db:
            missing = db.execute(
                "SELECT seq, parent, body FROM docs WHERE kind='item' AND seq NOT IN (SELECT seq FROM item_index)"
            ).fetchall()
            for seq, parent, body in missing:
                self._index(db, "item", parent, seq, json.loads(body))

    def rows(self, sql: str, args: Sequence[Any] = ()) -> Generator[Tuple[Any, ...], None, None]:
        """The rows of a read-only query (searches build theirs over ``docs`` and the item index)."""
        yield from self._connect().execute(sql, args)

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self._path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA busy_timeout=30000")
            self._local.db = db
        return db

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of writes (and the reads it depends on)."""
        with self.write_lock:
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- documents -----------------------------------------------------------------

    def get(self, kind: str, parent: str, id: str) -> Optional[Dict[str, Any]]:
        row = (
            self._connect()
            .execute("SELECT body FROM docs WHERE kind=? AND parent=? AND id=?", (kind, parent, id))
            .fetchone()
        )
        return json.loads(row[0]) if row else None

    def insert(self, kind: str, parent: str, id: str, doc: Any) -> bool:
        """Add a document; False (and nothing written) if one with that id exists."""
        with self.transaction() as db:
            try:
                cursor = db.execute(
                    "INSERT INTO docs (kind, parent, id, body) VALUES (?, ?, ?, ?)", (kind, parent, id, json.dumps(doc))
                )
            except sqlite3.IntegrityError:
                return False
            self._index(db, kind, parent, int(cursor.lastrowid or 0), doc)
        return True

    def insert_many(self, kind: str, parent: str, docs: Sequence[Tuple[str, Any]]) -> Optional[str]:
        """Add ``(id, document)`` pairs in one transaction (one commit, not one per document): all or
        none. Returns None, or an id that exists already (and then nothing is written)."""
        try:
            with self.transaction() as db:
                for id, doc in docs:
                    try:
                        cursor = db.execute(
                            "INSERT INTO docs (kind, parent, id, body) VALUES (?, ?, ?, ?)",
                            (kind, parent, id, json.dumps(doc)),
                        )
                    except sqlite3.IntegrityError:
                        raise _Taken(id) from None  # rolls the transaction back
                    self._index(db, kind, parent, int(cursor.lastrowid or 0), doc)
        except _Taken as taken:
            return taken.id
        return None

    def put(self, kind: str, parent: str, id: str, doc: Any) -> bool:
        """Insert or replace (keeping the original position); True if it was created."""
        with self.transaction() as db:
            updated = db.execute(
                "UPDATE docs SET body=? WHERE kind=? AND parent=? AND id=?", (json.dumps(doc), kind, parent, id)
            ).rowcount
            if not updated:
                db.execute(
                    "INSERT INTO docs (kind, parent, id, body) VALUES (?, ?, ?, ?)", (kind, parent, id, json.dumps(doc))
                )
            if kind == "item":
                row = db.execute(
                    "SELECT seq FROM docs WHERE kind=? AND parent=? AND id=?", (kind, parent, id)
                ).fetchone()
                self._index(db, kind, parent, int(row[0]), doc)
        return not updated

    def delete(self, kind: str, parent: str, id: str) -> bool:
        with self.transaction() as db:
            if kind == "item":
                self._unindex(db, "parent=? AND id=?", (parent, id))
            return db.execute("DELETE FROM docs WHERE kind=? AND parent=? AND id=?", (kind, parent, id)).rowcount > 0

    def delete_children(self, kind: str, parent: str) -> int:
        with self.transaction() as db:
            if kind == "item":
                self._unindex(db, "parent=?", (parent,))
            return db.execute("DELETE FROM docs WHERE kind=? AND parent=?", (kind, parent)).rowcount

    def list(
        self, kind: str, parent: Optional[str] = None, *, after: int = 0, limit: Optional[int] = None
    ) -> List[Tuple[int, Dict[str, Any]]]:
        """``(seq, document)`` pairs in insertion order; ``after`` a seq, for paging. ``parent=None``: any."""
        sql = "SELECT seq, body FROM docs WHERE kind=? AND seq>?"
        args: List[Any] = [kind, after]
        if parent is not None:
            sql += " AND parent=?"
            args.append(parent)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [(seq, json.loads(body)) for seq, body in self._connect().execute(sql, args)]

    def count(self, kind: str, parent: Optional[str] = None) -> int:
        if parent is None:
            row = self._connect().execute("SELECT COUNT(*) FROM docs WHERE kind=?", (kind,)).fetchone()
        else:
            row = (
                self._connect()
                .execute("SELECT COUNT(*) FROM docs WHERE kind=? AND parent=?", (kind, parent))
                .fetchone()
            )
        return int(row[0])

    # -- blobs ---------------------------------------------------------------------

    def blob_path(self, container: str, name: str) -> Path:
        """Where a blob lives on disk (``name`` "": the container's folder).

        Names arrive percent-decoded; any segment that is empty, ``.`` or ``..`` (split at ``/``
        and ``\\``), a NUL, or a resolved path outside the container's folder (a symbolic link)
        is refused, so a token for one container never reaches another.

        :raises ValueError: for a container or name that would leave the container.
        """
        if not _safe_segment(container) or (name and not all(_safe_segment(s) for s in _segments(name))):
            raise ValueError(f"invalid blob name {container}/{name}")
        root = (self.blobs / container).resolve()
        path = (root / name).resolve() if name else root
        if (path != root and root not in path.parents) or self.blobs.resolve() not in root.parents:
            raise ValueError(f"invalid blob name {container}/{name}")
        return path

    def write_blob(self, container: str, name: str, data: bytes) -> Path:
        """Write a blob atomically (temporary file, then rename)."""
        path = self.blob_path(container, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{threading.get_ident()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
