#!/usr/bin/env bash
# Prints the gzipped size of the page's bundle (wasm + js + css) and fails above the 400 KB budget.
set -euo pipefail
dist="${1:-dist}"
limit=$((400 * 1024))
total=0
for f in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css; do
  [ -f "$f" ] || continue
  size=$(gzip -9 -c "$f" | wc -c)
  printf '  %-28s %8d bytes gzipped\n' "$(basename "$f")" "$size"
  total=$((total + size))
done
awk -v t="$total" 'BEGIN { printf "bundle: %d bytes gzipped (%.1f KB; budget 400 KB)\n", t, t / 1024 }'
[ "$total" -le "$limit" ] || { echo "bundle over budget" >&2; exit 1; }
