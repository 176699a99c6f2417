#!/bin/sh
# Scale benchmark (issue 17): many recipients and documents on one store,
# reads under a bulk issue, a monitor check and a trace against a version
# with tens of thousands of copies. Not part of the test suite.
#
#   ./bench/scale.sh                       # RECIPIENTS=50000 DOCS=20
#   RECIPIENTS=50000 DOCS=3 ./bench/scale.sh
#   DATABASE=postgres://postgres@127.0.0.1:5432/postgres ./bench/scale.sh
#
# Needs wrk, curl and python3 (and psql with DATABASE).
#
# 1. Starts a server, registers RECIPIENTS recipients (one CSV import)
#    and adds DOCS documents (the samples, then testdata/corpus/dev) as an
#    owner, through the API.
# 2. Issues every document but the last to every recipient, 10,000 copies
#    a request, timing each.
# 3. Reads one copy page with wrk (8 connections, 30 s timeout) while the
#    last document is issued to every recipient: the latency distribution
#    shows what readers wait for during bulk work.
# 4. Stops the server; traces a verbatim leak of one copy of the last
#    document (all its RECIPIENTS copies are candidates) and checks one
#    article against every document (monitor check), timing both with
#    their peak memory.
# 5. Prints the database size, the bytes per copy, and the size projected
#    to 1,000 documents issued to RECIPIENTS recipients (linear: each copy
#    costs its row, its ledger entry and their index entries).
set -eu
cd "$(dirname "$0")/.."
RECIPIENTS=${RECIPIENTS:-50000}
DOCS=${DOCS:-20}
PORT=${PORT:-18282}
DATABASE=${DATABASE:-}
BASE=http://127.0.0.1:$PORT
need="wrk curl python3"
[ -n "$DATABASE" ] && need="$need psql"
for t in $need; do
	command -v $t >/dev/null || { echo "scale.sh needs $t: apt-get install $t" >&2; exit 2; }
done
work=$(mktemp -d)
server=""
dbname=""
cleanup() {
	[ -n "$server" ] && { kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; }
	if [ -n "$dbname" ]; then psql -q "$DATABASE" -c "DROP DATABASE IF EXISTS $dbname WITH (FORCE)" >/dev/null 2>&1 || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
export TELLTALE_DATA="$work/data"
if [ -n "$DATABASE" ]; then
	dbname=telltale_scale_$$
	psql -q "$DATABASE" -c "CREATE DATABASE $dbname" >/dev/null
	TELLTALE_DATABASE=$(python3 -c 'import sys,urllib.parse as u;p=u.urlsplit(sys.argv[1]);print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$DATABASE" "$dbname")
	export TELLTALE_DATABASE
	store="PostgreSQL ($dbname)"
else
	store="embedded SQLite"
fi
echo "== scale: $RECIPIENTS recipients, $DOCS documents, $store, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
go build -o "$work/telltale" ./cmd/telltale
tt="$work/telltale"
timed() { # label, command...: wall time and peak memory of a command
	label=$1
	shift
	/usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, peak %M kB" "$@" >"$work/out" 2>"$work/time" || { cat "$work/out" "$work/time" >&2; exit 1; }
	tail -1 "$work/time"
}
dbsize() {
	if [ -n "$DATABASE" ]; then
		psql -tA "$TELLTALE_DATABASE" -c "SELECT pg_database_size(current_database())"
	else
		du -cb "$work/data"/telltale.db* | tail -1 | cut -f1
	fi
}
$tt init >/dev/null
echo "owner password 1" | $tt user add "Olga Owner" --email olga@example.org --role owner --password-stdin >/dev/null
echo "reader password 1" | $tt user add "Reader" --email r000000@example.org --role recipient --password-stdin >/dev/null
token=$($tt user token --email olga@example.org)
$tt serve --monitor-every 0 --addr 127.0.0.1:$PORT >"$work/serve.log" 2>&1 &
server=$!
until curl -fs $BASE/readyz >/dev/null 2>&1; do sleep 0.2; done
api() { curl -fsS -H "Authorization: Bearer $token" "$@"; }
python3 -c 'import sys
print("name,email,unit")
for i in range(int(sys.argv[1])): print(f"Recipient {i:06d},r{i:06d}@example.org,Unit {i % 50}")' "$RECIPIENTS" >"$work/recipients.csv"
python3 - "$RECIPIENTS" "$work" <<'PY'
import json, sys
n, work = int(sys.argv[1]), sys.argv[2]
for k, start in enumerate(range(0, n, 10000)):
    to = [f"r{i:06d}@example.org" for i in range(start, min(n, start + 10000))]
    json.dump({"to": to, "formats": ["html", "txt"]}, open(f"{work}/bulk{k:03d}.json", "w"))
PY
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(now)"; }
t0=$(now)
api -o /dev/null -H 'Content-Type: text/csv' --data-binary @"$work/recipients.csv" $BASE/api/v1/recipients/import
echo "import $RECIPIENTS recipients (API): $(since $t0) s"
i=0
for f in samples/*.md testdata/corpus/dev/*.md; do
	[ $i -ge "$DOCS" ] && break
	python3 -c 'import json,sys;print(json.dumps({"name": sys.argv[2], "source": open(sys.argv[1]).read()}))' "$f" "doc$i" >"$work/doc.json"
	api -o /dev/null -H 'Content-Type: application/json' -X POST $BASE/api/v1/documents -d @"$work/doc.json"
	i=$((i + 1))
done
DOCS=$i
empty=$(dbsize)
last=$((DOCS - 1))
issue() { # document: issued to every recipient, 10,000 a request
	for f in "$work"/bulk*.json; do
		api -o /dev/null -H 'Content-Type: application/json' -X POST $BASE/api/v1/documents/$1/issue -d @"$f"
	done
}
i=0
while [ $i -lt $last ]; do
	t0=$(now)
	issue doc$i
	echo "issue doc$i to $RECIPIENTS (API, 10,000 a request): $(since $t0) s"
	i=$((i + 1))
done
echo "server memory after issuing: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status) peak"

curl -fsS -c "$work/jar" -o /dev/null -d 'email=r000000@example.org&password=reader password 1' $BASE/login
cookie=$(awk '$6=="telltale_session"{print $7}' "$work/jar")
# The copy read during the run: the reader's copy of doc0 (issued above).
copy=$($tt doc show doc0 2>/dev/null | awk '/r000000@example.org/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) {print $i; exit}}' || true)
[ -n "$copy" ] || copy=1
bulk() {
	sleep 2
	t0=$(now)
	issue doc$last
	echo "== API issue of doc$last to $RECIPIENTS during the reads: $(since $t0) s"
}
duration=$((RECIPIENTS / 1000 + 10))
echo "== reads of /copies/$copy/read, 8 connections, ${duration} s, while doc$last is issued to everyone"
bulk &
bulkpid=$!
wrk -t2 -c8 -d${duration}s --timeout 30s --latency -H "Cookie: telltale_session=$cookie" $BASE/copies/$copy/read | grep -E 'Latency|50%|90%|99%|Requests/sec|Socket errors|Non-2xx'
wait $bulkpid
echo "server memory: $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status) peak"
kill $server
wait $server 2>/dev/null || true
server=""

# A leak: one copy of the last document, verbatim.
id=$($tt doc show doc$last 2>/dev/null | awk '/r000005@example.org/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) {print $i; exit}}' || true)
if [ -n "$id" ]; then
	$tt copy open "$id" --format txt --out "$work/leak.txt"
	timed "trace a verbatim copy against $RECIPIENTS copies" $tt trace "$work/leak.txt"
	head -1 "$work/out"
fi
timed "monitor check of one article against $DOCS documents" $tt monitor check testdata/articles/operations-plan-strong-syndicated.html
head -1 "$work/out"
full=$(dbsize)
copies=$((RECIPIENTS * DOCS))
python3 - "$empty" "$full" "$copies" "$RECIPIENTS" <<'EOF'
import sys
empty, full, copies, n = map(int, sys.argv[1:])
per = (full - empty) / copies
print(f"== database: {full / 1e6:.1f} MB for {copies} copies ({per:.0f} bytes a copy after the documents and recipients)")
print(f"== projected to 1,000 documents × {n} recipients: {(empty + per * 1000 * n) / 1e9:.1f} GB (linear in the copies)")
EOF
