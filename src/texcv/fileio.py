"""Writing files so that a reader sees either the old file or the complete new one, never a part."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from .errors import OutputError


def write_atomic(target: Path, data: bytes) -> None:
    """Replace `target` with `data` in one step. The data goes into a file without a name
    (O_TMPFILE), flushed to disk, that is named only once complete: a build killed at any moment,
    even by SIGKILL, leaves the old target and no temporary file (tests/test_containment.py), but
    in the instant between link and rename. Where the system cannot do that, a hidden .part file
    is written and renamed instead."""
    temp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.part")
    try:
        if not _write_unnamed(target.parent, data, temp):
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
            with os.fdopen(fd, "wb") as f:
                _write_synced(f.fileno(), data)
        os.replace(temp, target)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):  # a write to a descriptor names no file
            raise OutputError(exc.errno, exc.strerror or str(exc), str(target)) from None
        raise


def _write_synced(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)  # after a crash the name must not point at an empty or partial file


_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000


def _write_unnamed(folder: Path, data: bytes, name: Path) -> bool:
    """Write data to an unnamed file in folder, then link it as `name`; False where unsupported."""
    try:
        fd = os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o666)
    except AttributeError:  # not Linux
        return False
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL):  # a file system without O_TMPFILE
            return False
        raise
    try:
        _write_synced(fd, data)
        try:
            os.link(f"/proc/self/fd/{fd}", name)  # the way open(2) documents
            return True
        except OSError:  # refused on some kernels (EXDEV)
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)  # linkat(AT_EMPTY_PATH): root, or anyone from Linux 6.10
            return libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0
    finally:
        os.close(fd)
