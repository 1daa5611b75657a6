#!/usr/bin/env python3
"""SQLite FTS5 for the fahras retrieval evaluation (called by run.sh, and by
fts5_fahras/run.sh with the fahras tokenizer).

    fts5_eval.py --task known_item|qa --data DIR --db FILE --out DIR [--smoke]
                 [--system NAME --tokenize 'fahras' --extension build/fahras_sqlite.so]

--extension: a loadable SQLite extension registered (sqlite3_auto_extension,
through ctypes: Debian's Python cannot load extensions itself) on every
connection; its tokenizer then splits the queries too (fahras_tokens).

Index: a contentless FTS5 table (content='') with one column holding the
indexed text, tokenize='unicode61 remove_diacritics 2', built in one
transaction, merged with the 'optimize' command and VACUUMed (so the file
holds no pages freed by the merge; all three steps are timed as indexing and
reported apart too); a small ordinary
table maps the FTS5 rowid to the collection's docid.  Ranking: ORDER BY
bm25(fts) (k1=1.2, b=0.75, FTS5's built-in).  The run file's score is
-bm25 so that it descends with rank.

Queries are free text.  They are tokenized here with the same character
classes as unicode61 (letters L*, numbers N*, private use Co; everything
else separates), and each token is double-quoted and OR-ed:
"t1" OR "t2" ...; nothing of FTS5's query syntax can get through.  A query
with no token retrieves nothing.

Writes OUT/fts5.TASK.run (TREC, top 100) and OUT/fts5.TASK.stats.
"""
import argparse
import ctypes
import os
import resource
import sqlite3
import sys
import time
import unicodedata

SYSTEM = "fts5"
TOKENIZE = "unicode61 remove_diacritics 2"
SMOKE_DOCS = 2000      # known_item only; qa indexes every passage
SMOKE_QUERIES = 200
RUN_DEPTH = 100
LATENCY_DEPTH = 10


def read_tsv(path):
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if line:
                yield line.split("\t")


def docs(task, data, smoke):
    """Yield (docid, text) in file order."""
    if task == "known_item":
        for n, cols in enumerate(read_tsv(os.path.join(data, "news", "news.tsv"))):
            if smoke and n >= SMOKE_DOCS:
                break
            yield cols[0], cols[4] if len(cols) > 4 else ""
    else:
        for cols in read_tsv(os.path.join(data, "qa_retrieval", "collection.tsv")):
            title = cols[1] if len(cols) > 1 else ""
            text = cols[2] if len(cols) > 2 else ""
            yield cols[0], title + "\n" + text


def queries(task, data, smoke):
    name = ("news/known_item.dev.queries.tsv" if task == "known_item"
            else "qa_retrieval/dev.queries.tsv")
    out = []
    for cols in read_tsv(os.path.join(data, name)):
        out.append((cols[0], cols[1] if len(cols) > 1 else ""))
        if smoke and len(out) >= SMOKE_QUERIES:
            break
    return out


_tokchar = {}


def is_tokchar(ch):
    v = _tokchar.get(ch)
    if v is None:
        cat = unicodedata.category(ch)
        v = _tokchar[ch] = cat[0] in "LN" or cat == "Co"
    return v


def match_expr(text):
    """Free text -> '"t1" OR "t2" ...' (None when there is no token)."""
    toks, cur = [], []
    for ch in text:
        if is_tokchar(ch):
            cur.append(ch)
        elif cur:
            toks.append("".join(cur))
            cur = []
    if cur:
        toks.append("".join(cur))
    if not toks:
        return None
    # Token characters never include '"', but escape anyway (FTS5 doubles it).
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in toks)


SEARCH_SQL = (
    "SELECT m.docid, r.s FROM "
    "(SELECT rowid AS id, bm25(fts) AS s FROM fts WHERE fts MATCH ? "
    " ORDER BY bm25(fts) LIMIT ?) AS r "
    "JOIN docmap AS m ON m.rowid = r.id ORDER BY r.s")


def fahras_match_expr(con):
    """Free text -> '"t1" OR "t2" ...', split by the fahras tokenizer itself
    (each token as written, quoted; the tokenizer makes it a stem)."""
    def expr(text):
        toks = [r[0] for r in con.execute("SELECT token FROM fahras_tokens(?)", (text,))]
        if not toks:
            return None
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in toks)
    return expr


def load_extension(path):
    """Register the extension at PATH on every connection opened from now on."""
    ext = ctypes.CDLL(os.path.abspath(path))
    entry = None
    for name in ("sqlite3_fahrassqlite_init", "sqlite3_extension_init"):
        entry = getattr(ext, name, None)
        if entry is not None:
            break
    if entry is None:
        sys.exit("fts5_eval.py: %s has no SQLite entry point" % path)
    lib = ctypes.CDLL("libsqlite3.so.0")  # the one Python's sqlite3 module uses
    if lib.sqlite3_auto_extension(ctypes.cast(entry, ctypes.c_void_p)) != 0:
        sys.exit("fts5_eval.py: sqlite3_auto_extension failed for %s" % path)


_match_expr = match_expr


def search(con, text, k):
    expr = _match_expr(text)
    if expr is None:
        return []
    return con.execute(SEARCH_SQL, (expr, k)).fetchall()


def pct(sorted_vals, p):
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return float("nan")
    i = max(0, min(len(sorted_vals) - 1, int(-(-p * len(sorted_vals) // 100)) - 1))
    return sorted_vals[i]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--task", required=True, choices=["known_item", "qa"])
    ap.add_argument("--data", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--system", default=SYSTEM)
    ap.add_argument("--tokenize", default=TOKENIZE)
    ap.add_argument("--extension")
    a = ap.parse_args()
    if a.extension:
        load_extension(a.extension)

    qs = queries(a.task, a.data, a.smoke)
    # Build and query a file of this process's own and move it to --db only at
    # the end: another run of the same task may be going on (SQLite returns
    # nothing from a database file unlinked under it).
    clean_stale(a.db)
    db = "%s.%d.tmp" % (a.db, os.getpid())
    try:
        run_all(a, qs, db)
        os.replace(db, a.db)
    finally:
        for f in (db, db + "-journal"):
            if os.path.exists(f):
                os.remove(f)


def clean_stale(final):
    """Remove FINAL.PID.tmp files (and journals) of runs no longer alive."""
    d, base = os.path.split(final)
    for name in os.listdir(d or "."):
        rest = name[len(base) + 1:] if name.startswith(base + ".") else ""
        pid = rest.split(".", 1)[0]
        if not pid.isdigit() or not rest[len(pid):] in (".tmp", ".tmp-journal"):
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            os.remove(os.path.join(d, name))
        except PermissionError:
            pass


def run_all(a, qs, db):
    # ---- index ------------------------------------------------------------
    t0 = time.perf_counter()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(body, content='', "
                "tokenize='%s')" % a.tokenize)
    if a.extension:
        global _match_expr
        _match_expr = fahras_match_expr(con)
    con.execute("CREATE TABLE docmap(rowid INTEGER PRIMARY KEY, docid TEXT NOT NULL)")
    stat = {"docs": 0, "bytes": 0}

    def rows():
        for i, (docid, text) in enumerate(docs(a.task, a.data, a.smoke), 1):
            stat["docs"] = i
            stat["bytes"] += len(text.encode("utf-8"))
            ids.append((i, docid))
            yield i, text

    ids = []
    con.execute("BEGIN")
    con.executemany("INSERT INTO fts(rowid, body) VALUES (?, ?)", rows())
    con.executemany("INSERT INTO docmap(rowid, docid) VALUES (?, ?)", ids)
    con.execute("COMMIT")
    t1 = time.perf_counter()
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    t1b = time.perf_counter()
    con.execute("VACUUM")   # drop the pages the merge freed: the file is the index
    t2 = time.perf_counter()
    peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    del ids
    index_bytes = os.path.getsize(db)
    try:
        fts_bytes = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'fts%'").fetchone()[0]
        map_bytes = con.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'docmap'").fetchone()[0]
    except sqlite3.Error:
        fts_bytes = map_bytes = ""

    # ---- run (top 100; also the warm-up pass) ------------------------------
    run_path = os.path.join(a.out, "%s.%s.run" % (a.system, a.task))
    t3 = time.perf_counter()
    empty = 0
    with open(run_path, "w", encoding="utf-8") as out:
        for qid, text in qs:
            hits = search(con, text, RUN_DEPTH)
            if not hits:
                empty += 1
            for rank, (docid, s) in enumerate(hits, 1):
                out.write("%s Q0 %s %d %.6f %s\n" % (qid, docid, rank, -s, a.system))
    t4 = time.perf_counter()

    # ---- latency (top 10, warmed, single thread) ---------------------------
    lat = []
    for qid, text in qs:
        s0 = time.perf_counter()
        search(con, text, LATENCY_DEPTH)
        lat.append((time.perf_counter() - s0) * 1000.0)
    con.close()
    lat.sort()

    st = [
        ("system", a.system), ("task", a.task), ("smoke", int(a.smoke)),
        ("docs", stat["docs"]), ("input_bytes", stat["bytes"]),
        ("input_mb", "%.3f" % (stat["bytes"] / 1e6)),
        ("index_seconds", "%.3f" % (t2 - t0)),
        ("insert_seconds", "%.3f" % (t1 - t0)),
        ("optimize_seconds", "%.3f" % (t1b - t1)),
        ("vacuum_seconds", "%.3f" % (t2 - t1b)),
        ("index_mb_per_s", "%.2f" % (stat["bytes"] / 1e6 / (t2 - t0))),
        ("index_bytes", index_bytes), ("fts_bytes", fts_bytes), ("docmap_bytes", map_bytes),
        ("queries", len(qs)), ("quality_queries", len(qs)), ("latency_queries", len(lat)),
        ("queries_without_hits", empty),
        ("run_seconds", "%.3f" % (t4 - t3)),
        ("latency_mean_ms", "%.3f" % (sum(lat) / len(lat) if lat else float("nan"))),
        ("latency_p50_ms", "%.3f" % pct(lat, 50)),
        ("latency_p99_ms", "%.3f" % pct(lat, 99)),
        ("peak_rss_kb", peak_rss_kb),
        ("peak_rss_of", "indexing python3 process (ru_maxrss)"),
        ("sqlite_version", sqlite3.sqlite_version),
        ("tokenize", a.tokenize), ("content", "contentless (content=''), docid map table"),
        ("ranking", "bm25(fts) k1=1.2 b=0.75; OR of quoted query tokens"),
        ("latency_depth", LATENCY_DEPTH), ("run_depth", RUN_DEPTH),
    ]
    with open(os.path.join(a.out, "%s.%s.stats" % (a.system, a.task)), "w") as f:
        for k, v in st:
            f.write("%s=%s\n" % (k, v))
    print("%s %s: %d docs, %.1f MB in %.1f s; %d queries, p50 %.1f ms, p99 %.1f ms"
          % (a.system, a.task, stat["docs"], stat["bytes"] / 1e6, t2 - t0, len(qs),
             pct(lat, 50), pct(lat, 99)), file=sys.stderr)


if __name__ == "__main__":
    main()
