"""Writing files so that a reader, or a run killed midway, sees the old file or the new one,
never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError

#: Temporary files start with this, so a folder's leftovers from a killed run can be found.
TMP_PREFIX = ".summbot-tmp-"


def atomic_write(path: Path, data: str | bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    ``durable`` also flushes the file to disk before the rename (for files a user saves by
    hand; batch outputs skip it, since a lost file is simply redone). Raises ``OutputError``
    naming the path, and leaves no temporary file behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputError(
            f"{path}: cannot write the file ({error.strerror or error}); "
            "check the folder's permissions and free space."
        ) from None
