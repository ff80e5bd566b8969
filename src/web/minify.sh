#!/bin/sh
# Trunk's post-build hook (Trunk.toml): in release builds, minifies the page's JavaScript in the
# staging directory with terser (installed by .ci/setup into .tools/). Trunk minifies the CSS and
# HTML itself but leaves the scripts as they are, and the wasm-bindgen glue with its comments and
# long names is about 2 KB of the 400 KB gzipped budget. Exports keep their names: the workers
# and the browser tests import `app.js` by them.
set -eu
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
terser="${TRUNK_SOURCE_DIR:-.}/.tools/node_modules/.bin/terser"
if [ ! -x "$terser" ]; then
  echo "minify.sh: terser is missing; run .ci/setup build" >&2
  exit 1
fi
for script in "$TRUNK_STAGING_DIR"/*.js; do
  "$terser" "$script" --module --compress --mangle --output "$script"
done
