"""pyarrow's view of Parquet files for the engine comparison (bench/engines/readBack.ts).

Usage: pyarrow_dump.py FILE...  ->  {"files": [{"path", "schema", "rows"} | {"path", "error"}]}
Like scripts/parquet_dump.py (decimals as exact plain strings, timestamps as ISO-8601 UTC with
milliseconds), but a file pyarrow cannot read, or a value JSON cannot hold (raw bytes, printed as
"0x<hex>"), is reported for that file instead of failing the whole dump.
"""
import datetime
import decimal
import json
import sys

import pyarrow.parquet as pq


def plain(value):
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f") if value != 0 else "0"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    return value


def describe(path):
    pf = pq.ParquetFile(path)
    schema = []
    for i in range(len(pf.schema)):
        col = pf.schema.column(i)
        schema.append({
            "name": col.name,
            "physical_type": col.physical_type,
            "logical_type": str(col.logical_type),
            "nullable": col.max_definition_level > 0,
        })
    rows = [{k: plain(v) for k, v in row.items()} for row in pf.read().to_pylist()]
    return {"path": path, "schema": schema, "rows": rows, "created_by": pf.metadata.created_by}


def main(paths):
    files = []
    for path in paths:
        try:
            files.append(describe(path))
        except Exception as e:  # reported per file: one engine's bad file must not hide the others
            files.append({"path": path, "error": f"{type(e).__name__}: {e}"})
    json.dump({"files": files}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
