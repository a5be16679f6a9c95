"""python -m benchmarks: run every benchmark in turn."""

import importlib
import sys

for name in ("extract_bench", "ingest_bench"):
    print(f"\n=== benchmarks.{name} ===", flush=True)
    mod = importlib.import_module(f"benchmarks.{name}")
    rc = mod.main([])
    if rc:
        sys.exit(rc)
