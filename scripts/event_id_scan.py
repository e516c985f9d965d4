"""Scan a landing zone with pyarrow, an independent reader, for event_ids that landed more than once.

Usage: event_id_scan.py BUCKET [PREFIX]   (default prefix landing/chargebacks/)
Reads S3 itself (pyarrow's own S3 client, not the project's code) at AWS_ENDPOINT_URL when set, with
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION, and only the event_id column of every
*.parquet object under the prefix. Prints {"files", "rows", "distinct", "duplicated" (how many event_ids), "duplicates": [{"event_id",
"count", "files"}]}, duplicates capped at 20.
"""
import collections
import json
import os
import sys
import urllib.parse

import pyarrow.fs as pafs
import pyarrow.parquet as pq


def s3():
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    kwargs = {
        "region": os.environ.get("AWS_REGION", "us-east-1"),
        "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
        "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
    }
    if endpoint:
        url = urllib.parse.urlparse(endpoint)
        kwargs.update(endpoint_override=url.netloc, scheme=url.scheme or "http", force_virtual_addressing=False)
    return pafs.S3FileSystem(**{k: v for k, v in kwargs.items() if v is not None})


def main():
    bucket = sys.argv[1]
    prefix = sys.argv[2] if len(sys.argv) > 2 else "landing/chargebacks/"
    fs = s3()
    infos = fs.get_file_info(pafs.FileSelector(f"{bucket}/{prefix.rstrip('/')}", recursive=True, allow_not_found=True))
    files = sorted(i.path for i in infos if i.type == pafs.FileType.File and i.path.endswith(".parquet"))
    where = collections.defaultdict(list)
    rows = 0
    for path in files:
        ids = pq.read_table(path, columns=["event_id"], filesystem=fs).column("event_id").to_pylist()
        rows += len(ids)
        for event_id in ids:
            where[event_id].append(path)
    duplicates = [
        {"event_id": e, "count": len(paths), "files": sorted(set(paths))}
        for e, paths in sorted(where.items())
        if len(paths) > 1
    ]
    json.dump({"files": len(files), "rows": rows, "distinct": len(where), "duplicates": duplicates[:20],
               "duplicated": len(duplicates)}, sys.stdout)


if __name__ == "__main__":
    main()
