"""Per-article results kept between runs, keyed by content, and spread over worker processes."""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from citylinks.paths import ROOT, resolve

PARALLEL_MIN_JOBS = 400  # below this, starting worker processes costs more than it saves
BATCH = 2000  # articles looked up, computed and stored together


@lru_cache(maxsize=1)
def code_version() -> str:
    """Return a hash of the package's source: any change to the code invalidates cached results."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "citylinks").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def content_key(*parts: str) -> str:
    """Return a key for one article's inputs (its text, and whatever else the result depends on)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


class ResultCache:
    """A store of per-article results under `cache_dir`, one SQLite file per kind of result.

    The file's name carries a fingerprint of everything the results depend on besides the article
    itself (`config`: the lexicon's or gazetteer's hash, settings) and of the code, so a changed
    lexicon, gazetteer or code version starts a fresh file and the stale ones are removed.
    The cache is disposable: a missing, unwritable or damaged file only means recomputing.
    """

    def __init__(self, cache_dir: str | Path | None, name: str, *, config: str):
        self.name = name
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        if not cache_dir:
            return
        fingerprint = hashlib.sha256(f"{config}\n{code_version()}".encode()).hexdigest()[:16]
        folder = resolve(cache_dir)  # from the project root, wherever the notebook runs
        self.path = folder / f"{name}-{fingerprint}.sqlite"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob(f"{name}-*.sqlite"):
                if stale != self.path:
                    stale.unlink(missing_ok=True)
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error):
            self._db = None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB)")
            db.execute("SELECT count(*) FROM results LIMIT 1").fetchone()
        except sqlite3.DatabaseError:
            # A damaged file (a run killed while writing, a copied half file): start again.
            path.unlink(missing_ok=True)
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB)")
        # No waiting for the disk at each batch: a run killed mid-write still leaves a sound
        # file (SQLite's journal), and what only a machine crash could damage is disposable.
        db.execute("PRAGMA synchronous=OFF")
        return db

    def get_many(self, keys: Sequence[str]) -> dict[str, object]:
        """Return the cached results among `keys`."""
        if self._db is None or not keys:
            return {}
        found = {}
        try:
            for i in range(0, len(keys), 900):  # SQLite's limit on parameters per statement
                chunk = keys[i : i + 900]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(
                    f"SELECT key, value FROM results WHERE key IN ({marks})", chunk
                ):
                    found[key] = pickle.loads(blob)
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError):
            return {}
        return found

    def put_many(self, items: dict[str, object], *, pickled: bool = False) -> None:
        """Store results (silently skipped when the cache cannot be written); `pickled`: the
        values are pickled already."""
        if self._db is None or not items:
            return
        if pickled:
            rows = list(items.items())
        else:
            rows = [
                (k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL)) for k, v in items.items()
            ]
        try:
            with self._db:
                self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", rows)
        except sqlite3.Error:
            self._db = None

    @property
    def writable(self) -> bool:
        """Whether results are being stored."""
        return self._db is not None

    def close(self) -> None:
        """Close the file; results stored so far are kept."""
        if self._db is not None:
            self._db.close()
            self._db = None


@contextmanager
def few_full_collections():
    """Run a block without the garbage collector's full passes (young objects are still
    collected). Each full pass walks every live object: a stage gathering the rows of 100,000
    articles would spend seconds in them, to find next to nothing."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


_SHARED: list = [None]  # in a worker process: what every job's function receives first


def _share(value) -> None:
    _SHARED[0] = value


def _call(job):
    function, args = job
    return function(_SHARED[0], *args)


def _call_pickled(job) -> bytes:
    # Pickled here, in the worker, once: the caller stores these bytes in the cache as they are
    # and unpickles them once, where it would otherwise unpickle and pickle again.
    return pickle.dumps(_call(job), protocol=pickle.HIGHEST_PROTOCOL)


def map_articles(
    function: Callable,
    jobs: Iterable[tuple[str | None, tuple]],
    *,
    shared=None,
    cache: ResultCache | None = None,
    workers: int = 1,
    total: int = 0,
) -> Iterator[object]:
    """Yield `function(shared, *args)` for each `(key, args)` job, in order.

    Results found in `cache` under their key are reused; the others (and those whose key is None)
    are computed, in `workers` processes (0: one per core) when there are enough of them (`total`
    says how many jobs to expect), and stored. `shared` (a lexicon, a gazetteer) reaches each
    worker process once, not with every job.
    """
    pool = _Pool(workers or os.cpu_count() or 1, shared)
    try:
        yield from _one_ahead(
            _batches(jobs),
            start=lambda batch: _start_batch(function, batch, cache, pool, total),
            finish=lambda running: _finish_batch(running, cache),
        )
    finally:
        pool.shutdown()


def splice_rows(first, again, sizes, again_sizes, numbers: list[int]):
    """Every job's rows (`sizes` rows each, built in the frame builder `first`), those of the
    jobs `numbers` replaced by theirs from `again` (`again_sizes` rows each): the table of a
    stage whose corpus-wide rule had a few articles read again."""
    import numpy as np
    import pandas as pd

    table = first.frame()
    if not numbers:
        return table
    redone = again.frame()
    if len(table) and len(redone):
        redone = redone.astype(table.dtypes.to_dict())
    ends = np.cumsum(np.asarray(sizes, dtype=np.int64))
    again_ends = np.cumsum(np.asarray(again_sizes, dtype=np.int64))
    pieces, done = [], 0
    for k, i in enumerate(numbers):
        pieces.append(table.iloc[done : ends[i] - sizes[i]])
        pieces.append(redone.iloc[again_ends[k] - again_sizes[k] : again_ends[k]])
        done = ends[i]
    pieces.append(table.iloc[done:])
    return pd.concat(pieces, ignore_index=True)


def map_files(
    function: Callable,
    jobs: Iterable[tuple],
    *,
    key_of: Callable,
    shared=None,
    cache: ResultCache | None = None,
    workers: int = 1,
    total: int = 0,
) -> Iterator[object]:
    """Yield `function(shared, *work)` for each job's arguments, in order, where
    `key_of(*arguments)` returns `(key, work)`.

    As `map_articles`, for jobs whose key costs what the work itself needs (a file's content
    hash, which means reading it): the workers compute the key and look it up in `cache`
    themselves, so the bytes are read once, where they are used, and never cross a pipe.
    A key of None means: compute, do not store.
    """
    count = workers or os.cpu_count() or 1
    if count <= 1 or total < PARALLEL_MIN_JOBS:
        for batch in _batches(jobs):
            prepared = [key_of(*args) for args in batch]
            found = cache.get_many([k for k, _ in prepared if k]) if cache is not None else {}
            fresh, computed = {}, 0
            for key, work in prepared:
                if key is not None and key in found:
                    yield found[key]
                    continue
                result = function(shared, *work)
                computed += 1
                if key is not None:
                    fresh[key] = result
                yield result
            if cache is not None:
                cache.hits += len(batch) - computed
                cache.misses += computed
                cache.put_many(fresh)
        return
    reader = str(cache.path) if cache is not None and cache.writable else None
    pool = _Pool(count, (function, key_of, shared, reader))
    pool.executor = _start_pool(count, pool.shared)

    def start(batch: list) -> Iterator[list]:
        size = max(1, min(64, len(batch) // (count * 4)))
        chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
        return pool.executor.map(_keyed_chunk, chunks)

    try:
        yield from _one_ahead(
            _batches(jobs), start=start, finish=lambda running: _store_keyed(running, cache)
        )
    finally:
        pool.shutdown()


def _one_ahead(batches: Iterable[list], *, start: Callable, finish: Callable) -> Iterator[object]:
    # Each batch is started (computed in the workers) before the one before is finished (stored
    # and handed to the caller, who works on it meanwhile): the workers are never left idle
    # between batches, and no more than two batches are held at once.
    running = None
    for batch in batches:
        started = start(batch)
        if running is not None:
            yield from finish(running)
        running = started
    if running is not None:
        yield from finish(running)


def _store_keyed(chunks: Iterator[list], cache: ResultCache | None) -> Iterator[object]:
    for chunk in chunks:
        computed = sum(new for _key, _blob, new in chunk)
        if cache is not None:
            cache.hits += len(chunk) - computed
            cache.misses += computed
            fresh = {key: blob for key, blob, new in chunk if new and key is not None}
            cache.put_many(fresh, pickled=True)
        for _key, blob, _new in chunk:
            yield pickle.loads(blob)


_READERS: dict[str, sqlite3.Connection] = {}  # in a worker: its own connection to each cache


def _keyed_chunk(jobs: list[tuple]) -> list[tuple[str | None, bytes, bool]]:
    # In a worker: (key, pickled result, whether it was computed here) for each job.
    function, key_of, shared, reader = _SHARED[0]
    prepared = [key_of(*args) for args in jobs]
    found = _look_up(reader, [k for k, _ in prepared if k])
    done = []
    for key, work in prepared:
        blob = found.get(key) if key is not None else None
        if blob is not None:
            done.append((key, blob, False))
        else:
            result = function(shared, *work)
            done.append((key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), True))
    return done


def _look_up(path: str | None, keys: list[str]) -> dict[str, bytes]:
    # The stored (pickled) results among `keys`; any trouble reading only means computing.
    if path is None or not keys:
        return {}
    try:
        db = _READERS.get(path)
        if db is None:
            uri = f"{Path(path).resolve().as_uri()}?mode=ro"
            db = _READERS[path] = sqlite3.connect(uri, uri=True, timeout=30)
        marks = ",".join("?" * len(keys))
        query = f"SELECT key, value FROM results WHERE key IN ({marks})"
        return dict(db.execute(query, keys).fetchall())
    except sqlite3.Error:
        return {}


def _batches(jobs: Iterable) -> Iterator[list]:
    batch: list = []
    for job in jobs:
        batch.append(job)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _start_batch(function, batch, cache, pool: _Pool, total: int):
    keys = [key for key, _ in batch]
    found = cache.get_many([k for k in keys if k is not None]) if cache is not None else {}
    todo = [i for i, key in enumerate(keys) if key is None or key not in found]
    if cache is not None:
        cache.hits += len(batch) - len(todo)
        cache.misses += len(todo)
    results, pickled = pool.submit(
        function, [batch[i][1] for i in todo], total, pickled=cache is not None and cache.writable
    )
    return keys, found, todo, results, pickled


def _finish_batch(running, cache) -> Iterator[object]:
    keys, found, todo, results, pickled = running
    computed = dict(zip(todo, results, strict=True))
    if cache is not None:
        cache.put_many(
            {keys[i]: v for i, v in computed.items() if keys[i] is not None}, pickled=pickled
        )
    if pickled:
        computed = {i: pickle.loads(blob) for i, blob in computed.items()}
    for i, key in enumerate(keys):
        yield computed[i] if i in computed else found[key]


class _Pool:
    """Worker processes, started on first need (small jobs run in this process)."""

    def __init__(self, count: int, shared):
        self.count, self.shared = count, shared
        self.executor = None

    def submit(
        self, function, args_list: list[tuple], total: int, *, pickled: bool = False
    ) -> tuple[Iterator[object], bool]:
        """Start computing (in the workers) or plan to (here); results come in order, pickled
        when the second value says so (asked for with `pickled`, done only in workers)."""
        if not args_list:
            return iter(()), False
        if self.count <= 1 or len(args_list) < 2 or max(total, len(args_list)) < PARALLEL_MIN_JOBS:
            return (function(self.shared, *args) for args in args_list), False
        if self.executor is None:
            self.executor = _start_pool(self.count, self.shared)
        chunk = max(1, min(64, len(args_list) // (self.count * 4)))
        call = _call_pickled if pickled else _call
        return self.executor.map(call, [(function, a) for a in args_list], chunksize=chunk), pickled

    def shutdown(self) -> None:
        if self.executor is not None:
            self.executor.shutdown()
            self.executor = None


def _start_pool(count: int, shared):
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers receive `shared` with nothing to pickle; where there is no fork, it is
    # pickled once per worker.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    executor = ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=_share, initargs=(shared,)
    )
    # A forked worker shares the parent's memory until it writes to it, and the garbage
    # collector writes to every object it walks: frozen objects are left alone, so the workers
    # do not each end up with a copy of all the parent holds.
    gc.freeze()
    try:
        executor.submit(os.getpid).result()  # fork the workers now, while everything is frozen
    finally:
        gc.unfreeze()
    return executor
