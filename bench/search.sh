#!/usr/bin/env bash
# bench/search.sh — search-engine speed and size: indexing throughput, index
# size, query latency and indexing memory of every available retrieval system
# on the known-item task (news bodies, title queries), same machine, same run.
#
#   bench/search.sh [--smoke] [--runs N] [--systems "fahras lucene fts5 postgres"]
#
# Each system S with an eval/retrieval/S/run.sh (the contract is in
# eval/retrieval/run.sh) is run N times in turn (default 3, never in parallel):
#   eval/retrieval/S/run.sh --task known_item --out DIR [--smoke]
# and the table gives, per system, the median and min-max over the runs of
#   index MB/s     input_mb / index_seconds (UTF-8 MB of body text; the
#                  system's index_seconds, which for Lucene excludes the final
#                  forceMerge(1), reported by it as merge_seconds)
#   docs/s         docs / index_seconds
#   index MB       index_bytes / 1e6: the index on disk without stored text
#                  (fahras: the pages of its term rows and postings chunks,
#                  from SQLite's dbstat, as `fahras stats` reports them)
#   latency ms     mean, p50 and p99 of a timed top-10 pass over every query
#                  (single thread, after an untimed pass)
#   peak RSS MB    peak_rss_kb * 1024 / 1e6 of the indexing process
#   fahras/system  median index MB/s of fahras / of the system (>1: fahras
#                  indexes faster) and median p50 latency of fahras / of the
#                  system (<1: fahras answers faster), median index MB of
#                  fahras / of the system; "—" without a fahras row
# --smoke: one run on the smoke slice (first 2,000 docs, 200 queries) unless
# --runs is given; it checks that the harness works, not speed.
# Per-run stats and logs are kept in build/bench/search/ (smoke: .../smoke/).
#
# Data: $FAHRAS_DATA or ../shared/data beside the repository; prints SKIP and
# exits 0 when news/ is missing.  The machine is shared: run nothing heavy
# beside it, and read the load average printed with the machine line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

smoke=0 runs="" systems="fahras lucene fts5 postgres"
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --runs) runs=${2?--runs needs a number}; shift ;;
        --runs=*) runs=${1#--runs=} ;;
        --systems) systems=${2?--systems needs a list}; shift ;;
        --systems=*) systems=${1#--systems=} ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "usage: bench/search.sh [--smoke] [--runs N] [--systems LIST]" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$runs" ] || runs=$([ "$smoke" = 1 ] && echo 1 || echo 3)
case "$runs" in ''|*[!0-9]*|0) echo "bench/search.sh: --runs needs a positive number" >&2; exit 2 ;; esac

if [ -n "${FAHRAS_DATA:-}" ]; then
    DATA=$FAHRAS_DATA; shown=$FAHRAS_DATA
else
    DATA="$ROOT/../shared/data"; shown="../shared/data"
fi
for f in news/news.tsv news/known_item.dev.queries.tsv; do
    if [ ! -f "$DATA/$f" ]; then
        echo "SKIP: $shown/$f not found"
        exit 0
    fi
done

OUT="$ROOT/build/bench/search"
[ "$smoke" = 1 ] && OUT="$OUT/smoke"
mkdir -p "$OUT"
smoke_arg=()
[ "$smoke" = 1 ] && smoke_arg=(--smoke)

echo "Machine: $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1)," \
     "$(date -u +%Y-%m-%d); load average at start: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
echo "Task: known-item, news bodies$([ "$smoke" = 1 ] && echo ' (smoke slice: first 2,000 docs, 200 queries)' ||
     echo ' (72,716 docs), 10,000 title queries'); $runs run(s) per system, median (min-max)"
echo

done_systems=() notes=()
for s in $systems; do
    script="$ROOT/eval/retrieval/$s/run.sh"
    if [ ! -f "$script" ]; then
        notes+=("$s: skipped (eval/retrieval/$s/run.sh not found)")
        continue
    fi
    rm -f "$OUT/$s".*.stats "$OUT/$s".*.log
    ok=1
    for i in $(seq 1 "$runs"); do
        echo "bench/search.sh: $s run $i/$runs ..." >&2
        dir="$OUT/run$i"
        mkdir -p "$dir"
        rm -f "$dir/$s.known_item.stats" "$dir/$s.known_item.run"
        rc=0
        bash "$script" --task known_item --out "$dir" "${smoke_arg[@]+"${smoke_arg[@]}"}" \
            > "$OUT/$s.$i.log" 2>&1 || rc=$?
        if [ "$rc" != 0 ]; then
            notes+=("$s: FAILED in run $i (exit $rc; see ${OUT#"$ROOT"/}/$s.$i.log: $(tail -n 1 "$OUT/$s.$i.log"))")
            ok=0; break
        fi
        if [ ! -f "$dir/$s.known_item.stats" ]; then
            why=$(grep -m1 '^SKIP' "$OUT/$s.$i.log" || true)
            notes+=("$s: skipped (${why:-no stats written; see ${OUT#"$ROOT"/}/$s.$i.log})")
            ok=0; break
        fi
        mv "$dir/$s.known_item.stats" "$OUT/$s.$i.stats"
        rm -f "$dir/$s.known_item.run"
    done
    rmdir "$OUT"/run* 2>/dev/null || true
    [ "$ok" = 1 ] && done_systems+=("$s")
done

python3 - "$OUT" "$runs" "${done_systems[@]+"${done_systems[@]}"}" <<'EOF'
import sys

out, runs, systems = sys.argv[1], int(sys.argv[2]), sys.argv[3:]


def load(path):
    kv = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            k, sep, v = line.rstrip("\n").partition("=")
            if sep:
                kv[k] = v
    return kv


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


COLS = [  # header, function of a stats dict, decimals
    ("index MB/s", lambda s: float(s["input_mb"]) / float(s["index_seconds"]), 1),
    ("docs/s", lambda s: float(s["docs"]) / float(s["index_seconds"]), 0),
    ("index MB", lambda s: float(s["index_bytes"]) / 1e6, 1),
    ("latency mean ms", lambda s: float(s["latency_mean_ms"]), 3),
    ("p50 ms", lambda s: float(s["latency_p50_ms"]), 3),
    ("p99 ms", lambda s: float(s["latency_p99_ms"]), 3),
    ("peak RSS MB", lambda s: float(s["peak_rss_kb"]) * 1024 / 1e6, 0),
]

med = {}
cells = {}
for name in systems:
    stats = [load(f"{out}/{name}.{i}.stats") for i in range(1, runs + 1)]
    row = []
    for header, fn, dec in COLS:
        try:
            vals = [fn(s) for s in stats]
        except (KeyError, ValueError, ZeroDivisionError):
            row.append("?")
            continue
        m = median(vals)
        med[(name, header)] = m
        cell = f"{m:,.{dec}f}"
        if len(vals) > 1:
            cell += f" ({min(vals):,.{dec}f}-{max(vals):,.{dec}f})"
        row.append(cell)
    cells[name] = row

print("| system | " + " | ".join(h for h, _, _ in COLS) + " | fahras/system |")
print("|---|" + "---|" * (len(COLS) + 1))
for name in systems:
    ratio = "—"
    if "fahras" in systems and name != "fahras":
        try:
            idx = med[("fahras", "index MB/s")] / med[(name, "index MB/s")]
            p50 = med[("fahras", "p50 ms")] / med[(name, "p50 ms")]
            size = med[("fahras", "index MB")] / med[(name, "index MB")]
            ratio = f"index {idx:.2f}x, p50 {p50:.2f}x, size {size:.2f}x"
        except (KeyError, ZeroDivisionError):
            ratio = "?"
    print(f"| {name} | " + " | ".join(cells[name]) + f" | {ratio} |")
EOF
for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
echo
echo "Per-run stats and logs: ${OUT#"$ROOT"/}/"
