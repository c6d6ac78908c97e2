"""The import page's preview (web/console/import_csv.ts, run in node after esbuild compiles it)
reads a file as the API does (customers/domain/import_csv.py): the same rows, numbered the
same, so a row the report refuses is the row of that number in the preview. A review found a
blank line, a quote inside a cell and a lone CR each read apart."""

from __future__ import annotations

import json
from pathlib import Path

from chalicelib.customers.domain.import_csv import parse_csv
from tests.node_ts import NEEDS_NODE, run_ts

pytestmark = NEEDS_NODE

FILES = {
    "blank line": "name,email\nAda,a@x.com\n\nBob,b@x.com\n",
    "leading blank": "\nname,email\nAda,a@x.com\n",
    "crlf": "name,email\r\nAda,a@x.com\r\n\r\nBob,b@x.com\r\n",
    "lone cr": "name,email\rAda,a@x.com\rBob,b@x.com\r",
    "quote inside": 'name,note\nAda,12" pizza\nBob,ok\n',
    "quoted lines": 'name,note\n"Ada","two\nlines"\nBob,ok\n',
    "semicolons": "name;email\nAda;a@x.com\n;\nBob;b@x.com\n",
}


def preview(tmp_path: Path) -> dict[str, list[dict]]:
    files = f"Object.entries({json.dumps(FILES)})"
    reads = f"Object.fromEntries({files}.map(([k, v]) => [k, C.readCsv(v, 50)]))"
    return run_ts(tmp_path, "web/console/import_csv.ts", "C", {"files": reads})["files"]


def test_the_preview_reads_each_file_as_the_api_does(tmp_path):
    shown = preview(tmp_path)
    for name, text in FILES.items():
        table = parse_csv(text)
        api = [(n, list(cells[: len(table.header)])) for n, cells in table.rows]
        page = [(r["n"], r["cells"][: len(table.header)]) for r in shown[name][1:]]
        assert page == api, name
