#!/bin/sh
# Load test of a real server, driven from separate processes (wrk, curl).
#
#   ./bench/load.sh            # needs wrk and curl (apt-get install wrk curl)
#
#   DATABASE=postgres://postgres@127.0.0.1:5432/postgres INSTANCES=2 ./bench/load.sh
#                              # also psql (postgresql-client)
#
# 1. Issues 1,000 copies of the operations plan in one API request and
#    prints the request's wall time.
# 2. Reads one recipient's copy page (/copies/ID/read, signed in with a
#    session cookie) with wrk for DURATION seconds and prints wrk's latency
#    distribution. Every read decrypts and renders the copy and appends a
#    ledger entry in its own transaction, as in production.
# 3. With BULK=N (e.g. BULK=10000), N more recipients are registered and,
#    two seconds into the wrk run, one API request issues them N copies:
#    the latency distribution then shows what readers wait for while a
#    bulk issue runs (wrk's timeout is 30 s, so stalled requests count
#    instead of vanishing). Keep DURATION longer than the issue.
#
# By default one server runs on the embedded SQLite store. With DATABASE
# (a PostgreSQL server's URL) the script creates a throwaway database
# there (dropped at exit), starts INSTANCES servers on it (default 1) on
# ports PORT, PORT+1, …, sharing one data directory's keys, signs in on the
# first and reads through all of them: one wrk process per instance, the
# CONNS connections split between them, all at once. The requests/s of the
# wrk processes add up to the total.
set -eu
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
CONNS=${CONNS:-16}
PORT=${PORT:-18181}
INSTANCES=${INSTANCES:-1}
BULK=${BULK:-0}
DATABASE=${DATABASE:-}
BASE=http://127.0.0.1:$PORT
need="wrk curl"
[ -n "$DATABASE" ] && need="$need psql"
for t in $need; do
	command -v $t >/dev/null || { echo "load.sh needs $t: apt-get install $t" >&2; exit 2; }
done
if [ -z "$DATABASE" ] && [ "$INSTANCES" != 1 ]; then
	echo "load.sh: INSTANCES=$INSTANCES needs DATABASE (instances share a PostgreSQL database)" >&2
	exit 2
fi
work=$(mktemp -d)
servers=""
dbname=""
cleanup() {
	for p in $servers; do kill $p 2>/dev/null || true; done
	for p in $servers; do wait $p 2>/dev/null || true; done
	if [ -n "$dbname" ]; then psql -q "$DATABASE" -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
export TELLTALE_DATA="$work/data"
if [ -n "$DATABASE" ]; then
	dbname=telltale_load_$$
	psql -q "$DATABASE" -c "CREATE DATABASE $dbname" >/dev/null
	TELLTALE_DATABASE=$(python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$DATABASE" "$dbname")
	export TELLTALE_DATABASE
	echo "== database: $dbname on $(echo "$DATABASE" | sed 's#//[^@/]*@#//#'), $INSTANCES instance(s)"
else
	echo "== database: embedded SQLite in the data directory"
fi
go build -o "$work/telltale" ./cmd/telltale
tt="$work/telltale"
$tt init >/dev/null
echo "owner password 1" | $tt user add "Olga Owner" --email olga@example.org --role owner --password-stdin >/dev/null
echo "reader password 1" | $tt user add "Dana Ortiz" --email dana@example.org --role recipient --password-stdin >/dev/null
token=$($tt user token --email olga@example.org)
i=0
while [ $i -lt "$INSTANCES" ]; do
	$tt serve --monitor-every 0 --addr 127.0.0.1:$((PORT + i)) >"$work/serve$i.log" 2>&1 &
	servers="$servers $!"
	i=$((i + 1))
done
i=0
while [ $i -lt "$INSTANCES" ]; do
	until curl -fs http://127.0.0.1:$((PORT + i))/readyz >/dev/null 2>&1; do sleep 0.2; done
	i=$((i + 1))
done

api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
api -X POST $BASE/api/v1/documents -d "{\"name\":\"plan\",\"source\":$(python3 -c 'import json,sys;print(json.dumps(open("samples/operations-plan.md").read()))')}" >/dev/null
# 1,000 recipients in one CSV import.
{
	echo "Dana Ortiz,dana@example.org"
	i=1
	while [ $i -lt 1000 ]; do echo "Recipient $i,r$i@example.org"; i=$((i+1)); done
} >"$work/recipients.csv"
curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$work/recipients.csv" $BASE/api/v1/recipients/import >/dev/null
emails='"dana@example.org"'
i=1
while [ $i -lt 1000 ]; do emails="$emails,\"r$i@example.org\""; i=$((i+1)); done
echo "== issuing 1,000 copies (html, txt) in one request"
api -o "$work/issued.json" -w 'status %{http_code}, %{time_total} s\n' -X POST $BASE/api/v1/documents/plan/issue -d "{\"to\":[$emails],\"formats\":[\"html\",\"txt\"]}"
copy=$(python3 -c 'import json,sys;print([c["id"] for c in json.load(open(sys.argv[1])) if c["recipient"]=="dana@example.org"][0])' "$work/issued.json")

if [ "$BULK" -gt 0 ]; then
	python3 -c 'import sys
for i in range(int(sys.argv[1])): print(f"Bulk {i},bulk{i}@example.org")' "$BULK" >"$work/bulk.csv"
	curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary @"$work/bulk.csv" $BASE/api/v1/recipients/import >/dev/null
	python3 -c 'import json,sys
print(json.dumps({"to": [f"bulk{i}@example.org" for i in range(int(sys.argv[1]))], "formats": ["html", "txt"]}))' "$BULK" >"$work/bulk.json"
fi
bulk() {
	sleep 2
	api -o /dev/null -w "== bulk issue of $BULK copies during the run: status %{http_code}, %{time_total} s\n" -X POST $BASE/api/v1/documents/plan/issue -d @"$work/bulk.json"
}

# One sign-in: the session lives in the database, so every instance
# accepts its cookie.
curl -fsS -c "$work/jar" -o /dev/null -d 'email=dana@example.org&password=reader password 1' $BASE/login
cookie=$(awk '$6=="telltale_session"{print $7}' "$work/jar")
before=$($tt ledger show --action copy.open | grep -c '^#' || true)
if [ "$INSTANCES" = 1 ]; then
	echo "== wrk: GET /copies/$copy/read as the recipient, $CONNS connections, ${DURATION}s"
	bulkpid=""
	if [ "$BULK" -gt 0 ]; then bulk & bulkpid=$!; fi
	wrk -t2 -c$CONNS -d${DURATION}s --timeout 30s --latency -H "Cookie: telltale_session=$cookie" $BASE/copies/$copy/read
else
	per=$((CONNS / INSTANCES))
	echo "== wrk × $INSTANCES: GET /copies/$copy/read as the recipient, $per connections per instance ($CONNS in all), ${DURATION}s"
	pids=""
	i=0
	while [ $i -lt "$INSTANCES" ]; do
		wrk -t1 -c$per -d${DURATION}s --timeout 30s --latency -H "Cookie: telltale_session=$cookie" http://127.0.0.1:$((PORT + i))/copies/$copy/read >"$work/wrk$i.txt" 2>&1 &
		pids="$pids $!"
		i=$((i + 1))
	done
	if [ "$BULK" -gt 0 ]; then bulk; fi
	for p in $pids; do wait $p; done
	i=0
	while [ $i -lt "$INSTANCES" ]; do
		echo "-- instance $i (port $((PORT + i)))"
		cat "$work/wrk$i.txt"
		i=$((i + 1))
	done
	awk '/^Requests\/sec/ {s += $2} END {printf "== total: %.0f requests/s\n", s}' "$work"/wrk*.txt
fi
if [ -n "${bulkpid:-}" ]; then wait $bulkpid; fi
after=$($tt ledger show --action copy.open | grep -c '^#' || true)
echo "== copy.open entries recorded during the run: $((after - before))"
echo "== ledger after the run"
for p in $servers; do kill $p 2>/dev/null || true; done
for p in $servers; do wait $p 2>/dev/null || true; done
servers=""
$tt ledger verify
