"""Bytecode in the Lambda package: a cold start imports compiled modules instead of compiling them.

Lambda's code directory is read-only, so Python cannot write the `.pyc` files it compiles: every
cold start would compile every module it imports (ours and the dependencies'). Chalice zips
whatever `__pycache__` happens to lie in `chalicelib/` (stale files of deleted modules included)
with every entry dated 1980-01-01, which no timestamp-checked `.pyc` matches, so those are
recompiled too.

`CompiledChalice` packages the app as Chalice does, then rewrites `deployment.zip`: every stray
`.pyc` out, and beside each `.py` its bytecode for the interpreter that packaged it (Chalice picks
the Lambda runtime from that same interpreter), validated by source hash without checking it
(PEP 552 "unchecked"): the package never changes once built, so the import reads no source at
all. The rewrite is deterministic (same sources, same zip, same asset hash), and it runs before
the construct stages the zip as a CDK asset.
"""

from __future__ import annotations

import fcntl
import importlib.util
import marshal
import os
import sys
import zipfile
from pathlib import Path

from chalice.cdk import Chalice

# PEP 552 flags: bit 0 "hash-based", bit 1 "check the source": hash-based and unchecked.
UNCHECKED_HASH_FLAGS = (0b01).to_bytes(4, "little")
# Chalice dates every entry 1980-01-01; the bytecode keeps the same date.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# Our own code must compile; a dependency may ship files no interpreter of this version parses
# (Python 2 leftovers, templates), which nothing imports and which stay without bytecode.
OWN_CODE = ("app.py", "chalicelib/")
KEEP_CACHED = 3


class CompiledChalice(Chalice):
    """`chalice.cdk.Chalice` whose deployment package carries bytecode.

    Packaging holds a lock on the checkout's `.chalice/deployments` (Chalice's cache of built
    packages, keyed by the sources): two synths at once (parallel test workers) would otherwise
    both write the same cached zip, and one would read it half written. The cache is keyed by
    the sources, so every change adds a 30 MB zip: all but the newest `KEEP_CACHED` go."""

    def _package_app(self) -> None:
        cache = Path(self.source_dir) / ".chalice" / "deployments"
        cache.mkdir(parents=True, exist_ok=True)
        with (cache / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            super()._package_app()
            cached = sorted(cache.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in cached[KEEP_CACHED:]:
                old.unlink(missing_ok=True)
        add_bytecode(Path(self._sam_package_dir) / "deployment.zip")


def pyc_path(source: str) -> str:
    """Where the import system looks for a source file's bytecode (this interpreter's tag)."""
    directory, _, name = source.rpartition("/")
    cached = f"__pycache__/{name[:-3]}.{sys.implementation.cache_tag}.pyc"
    return f"{directory}/{cached}" if directory else cached


def pyc_source(pyc: str) -> str:
    """The source a `__pycache__` entry is the bytecode of (the inverse of `pyc_path`)."""
    directory, _, name = pyc.rpartition("__pycache__/")
    return f"{directory}{name.split('.', 1)[0]}.py"


def bytecode(source: bytes, filename: str) -> bytes:
    code = compile(source, filename, "exec", dont_inherit=True)
    return (
        importlib.util.MAGIC_NUMBER
        + UNCHECKED_HASH_FLAGS
        + importlib.util.source_hash(source)
        + marshal.dumps(code)
    )


def add_bytecode(package: Path) -> int:
    """Rewrite the zip at `package` with bytecode beside every source; returns how many."""
    rewritten = package.with_suffix(".compiled.zip")
    compiled = 0
    with (
        zipfile.ZipFile(package) as original,
        zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in original.infolist():
            if info.filename.endswith(".pyc") or "/__pycache__/" in f"/{info.filename}":
                continue
            data = original.read(info)
            out.writestr(info, data)
            if not info.filename.endswith(".py"):
                continue
            try:
                pyc = bytecode(data, info.filename)
            except (SyntaxError, ValueError):
                if info.filename.startswith(OWN_CODE):
                    raise
                continue
            entry = zipfile.ZipInfo(pyc_path(info.filename), date_time=ZIP_EPOCH)
            entry.external_attr = info.external_attr
            entry.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(entry, pyc)
            compiled += 1
    os.replace(rewritten, package)
    return compiled
