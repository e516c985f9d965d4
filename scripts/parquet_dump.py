"""Dump Parquet files with pyarrow, an independent reader, as JSON: for the writer contract test
and the benchmark's engine comparison.

Usage: parquet_dump.py FILE...   (prints {"files": [{"path", "schema", "rows", "codecs", "created_by"} | {"path", "error"}]})
Schema entries carry the physical type, logical type, converted type and nullability of every
column; rows carry decimals as exact strings, timestamps as ISO-8601 UTC with milliseconds and raw
bytes as "0x<hex>". A file pyarrow cannot read is reported for that file, not for the whole dump.
"""
import datetime
import decimal
import json
import sys

import pyarrow.parquet as pq


def column_schema(pf):
    out = []
    for i in range(len(pf.schema)):
        col = pf.schema.column(i)
        out.append({
            "name": col.name,
            "physical_type": col.physical_type,
            "logical_type": str(col.logical_type),
            "converted_type": str(col.converted_type),
            "nullable": col.max_definition_level > 0,
        })
    return out


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
    rows = [{k: plain(v) for k, v in row.items()} for row in pf.read().to_pylist()]
    codecs = sorted({pf.metadata.row_group(g).column(c).compression
                     for g in range(pf.metadata.num_row_groups)
                     for c in range(pf.metadata.num_columns)})
    return {"path": path, "schema": column_schema(pf), "rows": rows, "codecs": codecs, "created_by": pf.metadata.created_by}


def main(paths):
    files = []
    for path in paths:
        try:
            files.append(describe(path))
        except Exception as e:  # reported per file: one bad file must not hide the others
            files.append({"path": path, "error": f"{type(e).__name__}: {e}"})
    json.dump({"files": files}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
