#!/bin/sh
# Load test of a real server, driven from separate processes (wrk, curl).
#
#   ./bench/load.sh            # needs wrk and curl (apt-get install wrk curl)
#
# 1. Issues 1,000 copies of the operations plan in one API request and
#    prints the request's wall time.
# 2. Reads one recipient's copy page (/copies/ID/read, signed in with a
#    session cookie) with wrk for DURATION seconds and prints wrk's latency
#    distribution. Every read decrypts and renders the copy and appends a
#    ledger entry in its own transaction, as in production.
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
CONNS=${CONNS:-16}
PORT=${PORT:-18181}
BASE=http://127.0.0.1:$PORT
for t in wrk curl; do
	command -v $t >/dev/null || { echo "load.sh needs $t: apt-get install $t" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
export TELLTALE_DATA="$work/data"
go build -o "$work/telltale" ./cmd/telltale
tt="$work/telltale"
$tt init >/dev/null
echo "owner password 1" | $tt user add "Olga Owner" --email olga@example.org --role owner --password-stdin >/dev/null
echo "reader password 1" | $tt user add "Dana Ortiz" --email dana@example.org --role recipient --password-stdin >/dev/null
token=$($tt user token --email olga@example.org)
$tt serve --addr 127.0.0.1:$PORT >"$work/serve.log" 2>&1 &
server=$!
until curl -fs $BASE/readyz >/dev/null 2>&1; do sleep 0.2; done

api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
api -X POST $BASE/api/v1/documents -d "{\"name\":\"plan\",\"source\":$(python3 -c 'import json,sys;print(json.dumps(open("samples/operations-plan.md").read()))')}" >/dev/null
api -X POST $BASE/api/v1/recipients -d '{"name":"Dana Ortiz","email":"dana@example.org"}' >/dev/null
emails='"dana@example.org"'
i=1
while [ $i -lt 1000 ]; do
	api -X POST $BASE/api/v1/recipients -d "{\"name\":\"Recipient $i\",\"email\":\"r$i@example.org\"}" >/dev/null
	emails="$emails,\"r$i@example.org\""
	i=$((i+1))
done
echo "== issuing 1,000 copies (html, txt) in one request"
api -o "$work/issued.json" -w 'status %{http_code}, %{time_total} s\n' -X POST $BASE/api/v1/documents/plan/issue -d "{\"to\":[$emails],\"formats\":[\"html\",\"txt\"]}"
copy=$(python3 -c 'import json,sys;print([c["id"] for c in json.load(open(sys.argv[1])) if c["recipient"]=="dana@example.org"][0])' "$work/issued.json")

curl -fsS -c "$work/jar" -o /dev/null -d 'email=dana@example.org&password=reader password 1' $BASE/login
cookie=$(awk '$6=="telltale_session"{print $7}' "$work/jar")
echo "== wrk: GET /copies/$copy/read as the recipient, $CONNS connections, ${DURATION}s"
wrk -t2 -c$CONNS -d${DURATION}s --latency -H "Cookie: telltale_session=$cookie" $BASE/copies/$copy/read
echo "== ledger after the run"
kill $server; wait $server 2>/dev/null || true
$tt ledger verify
