"""Leases: a job's claim on each model it works on, so that two jobs on one store never train the
same model twice (the second job skips it: "training in job X").

    <store>/jobs/leases/<model>.json    the claim: {"model", "job", "acquired"}
    <store>/jobs/<job>/heartbeat.json   the job is alive: {"renewed", "timeout_s", "host", "pid",
                                        "pid_space"}

A job writes its heartbeat, then claims each model before preparing it, and releases the claim
when the model ends (published, failed, cancelled) or the job does. While it runs it renews its
heartbeat every `RENEW_EVERY_S`: one write per job, however many models it holds. A claim is
stale, and the next job takes it over, when its job's heartbeat is older than its `timeout_s`
(the job died), is gone, or names a process on this machine that no longer runs (a killed
driver: taken over at once, so running the same command again resumes). "This machine" is the
same host name *and* the same PID namespace (`pid_space`: the kernel's boot id and the namespace's
inode), so that two containers sharing a host name never judge each other's live driver by a
PID that only exists in the other.

A claim is created atomically: with O_EXCL on a local store; on an object store with fsspec's
exclusive create (`open(mode="xb")`, a conditional put: If-None-Match on S3 with s3fs 2025.7+,
if_generation_match on GCS, Azure's overwrite=False). A stale claim is taken over, and a claim
released, only as the version that was judged: on S3 by a conditional overwrite or delete
(If-Match on the ETag that was read, S3's conditional writes since 2024-11, which moto's server
answers with 412 as S3 does), so of two jobs taking over one stale claim only one wins, and a job
that was judged dead cannot delete the claim of the job that took over. On a local store every
lease change runs under a file lock. Limitations: another object store takes over by
delete-then-create (two jobs starting within the same second may then both claim a model), and a
filesystem without exclusive create falls back to check-then-write.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import threading
import time
from collections.abc import Iterator

from pydantic import BaseModel, ValidationError

from murmur.core.clock import utc_stamp
from murmur.core.errors import StoreError
from murmur.core.paths import file_lock
from murmur.core.store import Store
from murmur.jobs.state import LEASES_DIR

log = logging.getLogger(__name__)

LEASE_TIMEOUT_S = 120.0  # a heartbeat this old means its job died
RENEW_EVERY_S = 20.0  # well inside the timeout: a slow store write or two never loses a lease


class Claim(BaseModel):
    """One model's claim: which job holds it, since when (a murmur.core.clock stamp)."""

    model: str
    job: str
    acquired: str


def pid_space() -> str:
    """Which PID namespace this process lives in: `<boot id>:<pid namespace inode>` (Linux;
    "" where /proc does not say). Two processes see each other's PIDs only when equal."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            boot = f.read().strip()
        return f"{boot}:{os.stat('/proc/self/ns/pid').st_ino}"
    except OSError:
        return ""


class Heartbeat(BaseModel):
    """A job's sign of life: `renewed` is the holder's time.time() at its last renewal."""

    job: str
    renewed: float
    timeout_s: float
    host: str
    pid: int
    pid_space: str = ""  # murmur before it wrote none: then the host name alone decides

    def alive(self, now: float) -> bool:
        """Renewed within its timeout, and (where its PID means something here: the same host
        and PID namespace) its process still runs."""
        if now - self.renewed > self.timeout_s:
            return False
        if self.host != socket.gethostname():
            return True
        if self.pid_space and self.pid_space != pid_space():
            return True  # another container of the same name: its PID is not ours to check
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:  # it exists, owned by someone else
            return True
        return True


class Leases:
    """One job's leases in `store`. Raises StoreError where the store cannot be written."""

    def __init__(self, store: Store, job_id: str, timeout_s: float = LEASE_TIMEOUT_S) -> None:
        self.store = store
        self.job_id = job_id
        self.timeout_s = timeout_s
        self.dir = store.path("jobs", LEASES_DIR)
        self.held: set[str] = set()
        self._fallback_told = False

    def path(self, model: str) -> str:
        return f"{self.dir}/{model}.json"

    def heartbeat_path(self, job_id: str) -> str:
        return self.store.path("jobs", job_id, "heartbeat.json")

    # ---- the job's heartbeat -----------------------------------------------------------------
    def renew(self) -> None:
        """Write this job's heartbeat (all its claims stay live for another `timeout_s`)."""
        beat = Heartbeat(
            job=self.job_id,
            renewed=time.time(),
            timeout_s=self.timeout_s,
            host=socket.gethostname(),
            pid=os.getpid(),
            pid_space=pid_space(),
        )
        self.store.write_json(self.heartbeat_path(self.job_id), beat.model_dump())

    def holder_alive(self, job_id: str) -> bool:
        try:
            beat = Heartbeat.model_validate(self.store.read_json(self.heartbeat_path(job_id)))
        except (FileNotFoundError, StoreError, ValidationError):
            return False
        return beat.alive(time.time())

    @contextlib.contextmanager
    def kept(self, every_s: float = RENEW_EVERY_S) -> Iterator[Leases]:
        """The heartbeat written now and renewed every `every_s` on a thread; on exit, every claim
        still held and the heartbeat are removed."""
        self.renew()
        done = threading.Event()

        def beat() -> None:
            while not done.wait(every_s):
                try:
                    self.renew()
                except Exception:  # a store hiccup: the next beat tries again
                    log.warning("job %s: renewing its leases failed", self.job_id, exc_info=True)

        thread = threading.Thread(target=beat, name="murmur-leases", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            done.set()
            thread.join()
            self.release_all()

    # ---- claims ------------------------------------------------------------------------------
    def claim(self, model: str) -> str | None:
        """Claim `model` for this job: None once it is ours, else the id of the live job that
        holds it. A stale claim (its job dead) is taken over; so is this job's own."""
        with self._guard():
            for _ in range(3):
                if self._create(model):
                    self.held.add(model)
                    return None
                found = self._read_tagged(model)
                if found is None:  # released meanwhile (or unreadable): create it again
                    continue
                holder, tag = found
                if holder is not None and holder != self.job_id and self.holder_alive(holder):
                    return holder
                log.info("%s: taking over the lease of job %s (not running)", model, holder or "?")
                if self._take_over(model, tag):
                    self.held.add(model)
                    return None
            return self._read(model) or "another job"  # an object store's race: it won

    def release(self, model: str) -> None:
        """Give `model` back (it is published, failed or cancelled): another job may take it."""
        if model not in self.held:
            return
        self.held.discard(model)
        with self._guard():
            found = self._read_tagged(model)
            if found is not None and found[0] == self.job_id:
                self._remove(model, found[1])

    def release_all(self) -> None:
        for model in sorted(self.held):
            self.release(model)
        with contextlib.suppress(FileNotFoundError):
            self.store.fs.rm(self.heartbeat_path(self.job_id))

    # ---- files -------------------------------------------------------------------------------
    def _guard(self) -> contextlib.AbstractContextManager[object]:
        """On a local store, a file lock around every lease change; elsewhere nothing."""
        if not self.store.is_local:
            return contextlib.nullcontext()
        return file_lock(f"{self.dir}/.lock")

    def _create(self, model: str) -> bool:
        """Create the claim file if there is none: True when this call created it."""
        claim = Claim(model=model, job=self.job_id, acquired=utc_stamp())
        data = claim.model_dump_json().encode()
        path = self.path(model)
        if self.store.is_local:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                return False
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            return True
        try:
            with self.store.fs.open(path, "xb") as f:
                f.write(data)
            return True
        except FileExistsError:
            return False
        except (ValueError, NotImplementedError):  # no exclusive create: see the docstring
            if not self._fallback_told:
                log.warning("%s has no exclusive create: leases are check-then-write", self.dir)
                self._fallback_told = True
            if self.store.exists(path):
                return False
            self.store.write_json(path, claim.model_dump())
            return True

    def _read(self, model: str) -> str | None:
        """The job holding `model`'s claim; None when there is none or it cannot be read."""
        try:
            return Claim.model_validate(self.store.read_json(self.path(model))).job
        except (FileNotFoundError, StoreError, ValidationError):
            return None

    @property
    def _conditional(self) -> bool:
        """True where writes can be made conditional on an ETag (S3 through s3fs)."""
        return not self.store.is_local and "s3" in _protocols(self.store.fs)

    def _read_tagged(self, model: str) -> tuple[str | None, str | None] | None:
        """(the holder's job id, the claim's ETag) of `model`'s claim; None when there is none.
        The job id is None for a damaged claim (stale by definition); the tag is None where
        writes cannot be conditional. On S3 the body is read under If-Match on the ETag that
        the same open found (s3fs's S3File), so the two belong together."""
        path = self.path(model)
        if not self._conditional:
            return (self._read(model), None) if self.store.exists(path) else None
        fs = self.store.fs
        fs.invalidate_cache(path)  # an ETag from an old listing would fail the read's If-Match
        try:
            with fs.open(path, "rb") as f:
                tag, body = f.details.get("ETag"), f.read()
        except FileNotFoundError:
            return None
        except OSError as e:  # replaced between the HEAD and the GET: read it again next time
            log.info("%s: the claim changed while read (%s)", model, e)
            return None
        try:
            return Claim.model_validate_json(body).job, tag
        except ValidationError:
            return None, tag

    def _take_over(self, model: str, tag: str | None) -> bool:
        """Replace the stale claim `tag` names with this job's: True when this call did. On S3
        one conditional put (If-Match): a claim changed since it was judged answers 412 and the
        other taker won; elsewhere under the local file lock, or delete-then-create."""
        path = self.path(model)
        claim = Claim(model=model, job=self.job_id, acquired=utc_stamp())
        if tag is None or not self._conditional:
            if self.store.is_local:  # under the file lock: nobody else changes it meanwhile
                self.store.write_json(path, claim.model_dump())
                return True
            self._remove(model)
            return self._create(model)
        try:
            self.store.fs.pipe_file(path, claim.model_dump_json().encode(), IfMatch=tag)
        except FileNotFoundError:  # released meanwhile: the next round creates it
            return False
        except OSError as e:
            if not _precondition_failed(e):
                raise StoreError(f"cannot take over the lease {path}: {e}") from e
            log.info("%s: another job took over the lease first", model)
            return False
        return True

    def _remove(self, model: str, tag: str | None = None) -> None:
        """Delete `model`'s claim; given its ETag (S3), only that version of it."""
        path = self.path(model)
        if tag is not None and self._conditional:
            fs = self.store.fs
            bucket, key, _ = fs.split_path(path)
            try:
                fs.call_s3("delete_object", Bucket=bucket, Key=key, IfMatch=tag)
            except FileNotFoundError:
                pass
            except OSError as e:
                if not _precondition_failed(e):
                    raise
                log.info("%s: the lease was taken over by another job; left to it", model)
            fs.invalidate_cache(path)
            return
        with contextlib.suppress(FileNotFoundError):
            self.store.fs.rm(path)


def _protocols(fs: object) -> tuple[str, ...]:
    protocol = getattr(fs, "protocol", ())
    return protocol if isinstance(protocol, tuple) else (str(protocol),)


def _precondition_failed(error: OSError) -> bool:
    """True for S3's 412 PreconditionFailed (s3fs raises it as an OSError of errno EINVAL,
    s3fs/errors.py; a failed If-None-Match is its FileExistsError instead)."""
    return "PreconditionFailed" in str(error) or "412" in str(error) or error.errno == errno.EINVAL
