#!/usr/bin/env bash
# Score the production response headers with MDN's HTTP Observatory, entirely on this machine.
#
# The scanner only speaks to ports 80 and 443 of a host name, over verified HTTPS, so this
# script makes a throw-away CA and certificate for "localhost", runs the production server on
# 127.0.0.1:443 (TLS) and 127.0.0.1:80 (redirecting to HTTPS), installs the scanner's npm
# package into a temporary folder (its install scripts download lists from the internet, so
# they are skipped and an empty HSTS preload list stands in) and scans "/" and "/admin/login/".
# Needs root (low ports), openssl, node/npm and the database in DATABASE_URL, migrated.
#   sudo DATABASE_URL=postgres://postgres@127.0.0.1:5432/psc_portal scripts/observatory_scan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:=postgres://postgres@127.0.0.1:5432/psc_portal}"
VERSION=1.4.8
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=Local scan CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n" > "$work/ext.cnf"
openssl x509 -req -days 1 -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
  -CAcreateserial -extfile "$work/ext.cnf" -out "$work/server.pem" 2>/dev/null

export DEBUG=false ALLOWED_HOSTS=localhost DATABASE_URL WEB_CONCURRENCY=2 STATIC_ROOT="$work/static"
SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export SECRET_KEY
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
GUNICORN_BIND=127.0.0.1:443 .venv/bin/gunicorn -c gunicorn.conf.py \
  --certfile "$work/server.pem" --keyfile "$work/server.key" >"$work/https.log" 2>&1 &
pids+=($!)
GUNICORN_BIND=127.0.0.1:80 .venv/bin/gunicorn -c gunicorn.conf.py >"$work/http.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -sf --cacert "$work/ca.pem" https://localhost/healthz >/dev/null && break
  sleep 1
done

(cd "$work" && npm install --silent --ignore-scripts "@mdn/mdn-http-observatory@$VERSION" >/dev/null)
scanner="$work/node_modules/@mdn/mdn-http-observatory"
echo '{}' > "$scanner/conf/hsts-preload.json"
# The CLI scans "/" only; this runs the same scan with a path.
sed 's#retrieve(hostname);#retrieve(hostname, options);#; s#from "\.\./#from "./src/#g' \
  "$scanner/src/scanner/index.js" > "$scanner/scan-with-options.mjs"
cat > "$scanner/scan-path.mjs" <<'JS'
import { scan } from "./scan-with-options.mjs";
const result = await scan("localhost", { path: process.argv[2] });
console.log(`${process.argv[2]}: grade ${result.scan.grade}, score ${result.scan.score}, ` +
  `${result.scan.testsPassed}/${result.scan.testsQuantity} tests passed`);
for (const [name, test] of Object.entries(result.tests)) {
  console.log(`  ${test.pass ? "pass" : "FAIL"} ${name}: ${test.result} (${test.scoreModifier})`);
}
JS
for path in / /admin/login/; do
  NODE_EXTRA_CA_CERTS="$work/ca.pem" node "$scanner/scan-path.mjs" "$path"
done
