"""The bytecode pass over the Lambda package (`infra/stacks/bytecode.py`), on small zips.

The synthesised package itself is checked in test_infra_template.py; these pin the rules: stray
bytecode out, ours must compile, a dependency's unparsable file is left as it is, and the same
sources give the same zip (the CDK asset hash does not change without a change).
"""

from __future__ import annotations

import importlib.util
import marshal
import zipfile
from pathlib import Path

import pytest

from infra.stacks.bytecode import UNCHECKED_HASH_FLAGS, add_bytecode, pyc_path

SOURCES = {
    "app.py": b"from chalicelib import answer\n",
    "chalicelib/__init__.py": b"answer = 42\n",
    "vendored/py2.py": b"print 'hello'\n",
    "vendored/data.txt": b"not python\n",
    # Left by a local run: a module since deleted, and one compiled for another interpreter.
    "chalicelib/__pycache__/deleted.cpython-311.pyc": b"stale",
    "chalicelib/__pycache__/__init__.cpython-39.pyc": b"stale",
}


def package(tmp_path: Path, files: dict[str, bytes], name: str = "deployment.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for filename, data in files.items():
            zf.writestr(zipfile.ZipInfo(filename, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return path


def test_every_parsable_source_gets_unchecked_bytecode_and_stray_bytecode_goes(
    tmp_path: Path,
) -> None:
    path = package(tmp_path, SOURCES)
    assert add_bytecode(path) == 2
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert names == {
            "app.py",
            "chalicelib/__init__.py",
            "vendored/py2.py",
            "vendored/data.txt",
            pyc_path("app.py"),
            pyc_path("chalicelib/__init__.py"),
        }
        for source in ("app.py", "chalicelib/__init__.py"):
            pyc = zf.read(pyc_path(source))
            assert pyc[:4] == importlib.util.MAGIC_NUMBER
            assert pyc[4:8] == UNCHECKED_HASH_FLAGS
            assert pyc[8:16] == importlib.util.source_hash(SOURCES[source])
        assert zf.read("vendored/data.txt") == SOURCES["vendored/data.txt"]


def test_the_packaged_bytecode_is_what_python_imports(tmp_path: Path) -> None:
    path = package(tmp_path, SOURCES)
    add_bytecode(path)
    with zipfile.ZipFile(path) as zf:
        pyc = zf.read(pyc_path("chalicelib/__init__.py"))
    namespace: dict[str, object] = {}
    exec(marshal.loads(pyc[16:]), namespace)
    assert namespace["answer"] == 42


def test_our_own_code_that_does_not_compile_stops_the_synth(tmp_path: Path) -> None:
    path = package(tmp_path, {**SOURCES, "chalicelib/broken.py": b"def (:\n"})
    with pytest.raises(SyntaxError):
        add_bytecode(path)


def test_the_same_sources_give_the_same_package(tmp_path: Path) -> None:
    first = package(tmp_path, SOURCES, "first.zip")
    second = package(tmp_path, SOURCES, "second.zip")
    add_bytecode(first)
    add_bytecode(second)
    assert first.read_bytes() == second.read_bytes()
