#!/usr/bin/env bash
# Rebuild static/vendor/ from the pinned npm packages. Node/npm are needed only
# to run this script; the output is committed and nothing at runtime uses Node.
#
# nhsuk-frontend is pinned to the release that nhsuk-frontend-jinja (see
# requirements.txt) ports: bump both together, using the compatibility table
# in nhsuk-frontend-jinja's README.
#
# Running it twice gives byte-identical files.
set -euo pipefail

NHSUK_FRONTEND_VERSION=10.6.1
NHSUK_FRONTEND_INTEGRITY=sha512-PZorqQZjZx/A26yJoskCL9z0ib6AtkAyF0o4K/RHr8zRrJyXrUOCnMbjy0VNXsGO4tfTNMwqlkwATKs4a0xayw==
AXE_CORE_VERSION=4.14.1
AXE_CORE_INTEGRITY=sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
SASS_VERSION=1.108.2

# Where the CSS finds its images once Django serves static/vendor/.
ASSETS_URL=/static/vendor/nhsuk-frontend/assets/

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
nhsuk_out=$repo_root/static/vendor/nhsuk-frontend
axe_out=$repo_root/static/vendor/axe-core

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

npm_q() { npm --no-audit --no-fund --loglevel=error "$@"; }

fetch() { # name version integrity -> unpacks into $work/<name>
  local name=$1 version=$2 integrity=$3 got
  got=$(npm_q pack --json "$name@$version" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].integrity))')
  if [[ $got != "$integrity" ]]; then
    echo "$name@$version: integrity $got, expected $integrity" >&2
    exit 1
  fi
  mkdir "$name"
  tar -xzf "$name-$version.tgz" -C "$name" --strip-components=1
}

fetch nhsuk-frontend "$NHSUK_FRONTEND_VERSION" "$NHSUK_FRONTEND_INTEGRITY"
fetch axe-core "$AXE_CORE_VERSION" "$AXE_CORE_INTEGRITY"

mkdir sass-build
(
  cd sass-build
  npm_q init -y >/dev/null
  npm_q install --ignore-scripts --save-exact "sass@$SASS_VERSION" >/dev/null
)

dist=$work/nhsuk-frontend/dist/nhsuk
cat >entry.scss <<SCSS
@use "nhsuk" with (
  \$nhsuk-assets-path: "$ASSETS_URL"
);
SCSS
# The stock compiled CSS hard-codes /assets/; rebuild it from the Sass sources
# with the asset path setting instead of editing the output.
"$work/sass-build/node_modules/.bin/sass" \
  --no-source-map --style=compressed --quiet-deps \
  --load-path="$(dirname "$dist")" \
  entry.scss nhsuk-frontend.min.css

if grep -q 'url(/assets/' nhsuk-frontend.min.css; then
  echo "compiled CSS still points at /assets/" >&2
  exit 1
fi

published() { # name version -> ISO date the registry published it
  npm_q view "$1" time --json | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]].slice(0,10)))' "$2"
}

rm -rf "$nhsuk_out" "$axe_out"
mkdir -p "$nhsuk_out" "$axe_out"

cp nhsuk-frontend.min.css "$nhsuk_out/"
# An ES module exporting initAll(); it names its .map, so that ships too.
cp "$dist/nhsuk-frontend.min.js" "$dist/nhsuk-frontend.min.js.map" "$nhsuk_out/"
cp -R "$dist/assets" "$nhsuk_out/assets"

# The npm tarball ships no LICENSE file; this is the upstream repository's.
cat >"$nhsuk_out/LICENSE" <<'EOF'
MIT License

Copyright (c) 2019 NHS.UK

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF

cp axe-core/axe.min.js axe-core/LICENSE axe-core/LICENSE-3RD-PARTY.txt "$axe_out/"

# Release dates rather than today's date, so a rerun changes nothing.
cat >"$nhsuk_out/VERSION" <<EOF
Built by scripts/vendor_frontend.sh; do not edit these files by hand.
nhsuk-frontend $NHSUK_FRONTEND_VERSION (published $(published nhsuk-frontend "$NHSUK_FRONTEND_VERSION")) MIT
axe-core $AXE_CORE_VERSION (published $(published axe-core "$AXE_CORE_VERSION")) MPL-2.0, in ../axe-core/
sass $SASS_VERSION (published $(published sass "$SASS_VERSION")) compiled nhsuk-frontend.min.css with \$nhsuk-assets-path: "$ASSETS_URL"
EOF

echo "Vendored nhsuk-frontend $NHSUK_FRONTEND_VERSION and axe-core $AXE_CORE_VERSION into static/vendor/"
