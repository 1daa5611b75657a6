/*
 * pg_eval.c — PostgreSQL full-text baseline for the fahras retrieval
 * evaluation: loads a collection, builds the index, runs the queries and
 * times them.  run.sh creates the throwaway cluster and calls this.
 *
 *   pg_eval --conninfo STR --task known_item|qa --data DIR --out DIR
 *           [--smoke] [--latency-queries N] [--quality-budget SECONDS]
 *
 * Index (one transaction, all timed as index_seconds):
 *   UNLOGGED staging table raw(docid, body) <- COPY FROM STDIN;
 *   docs(docid text, tsv tsvector) = to_tsvector('arabic', body) of raw;
 *   DROP raw; GIN index on docs.tsv; then VACUUM ANALYZE docs.
 *   Only docid and the tsvector are kept (no document text), like the
 *   contentless FTS5 index.
 * Query (prepared, the query text is parameter $1, never spliced into SQL):
 *   the tsquery is the OR (' | ') of the lexemes of to_tsvector('arabic', $1),
 *   each quoted as a tsquery literal; rank ts_rank_cd(tsv, q) (normalization 0),
 *   ORDER BY rank DESC, docid (docid only breaks ties, for a stable run file),
 *   LIMIT $2.  A query with no lexeme matches nothing.
 * Outputs OUT/postgres.TASK.run (TREC, top 100) and OUT/postgres.TASK.stats.
 *
 * Quality run: every query, unless --quality-budget S > 0 and, after the
 * first 2,000 queries, the whole set is projected to take longer than S
 * seconds: then it stops at 2,000 (quality_queries says how many ran).
 * Latency: top 10, single connection, over the first --latency-queries
 * queries (default all), after they were run once untimed (the quality run
 * is that warm-up pass; queries it did not cover are warmed separately).
 * peak_rss_kb: VmHWM of the server backend that did the indexing, read from
 * /proc/PID/status (counts the shared_buffers pages it touched); blank when
 * unreadable.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SMOKE_DOCS 2000
#define SMOKE_QUERIES 200
#define RUN_DEPTH 100
#define LATENCY_DEPTH 10
#define QUALITY_MIN 2000

static PGconn *conn;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("pg_eval: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    if (conn) PQfinish(conn);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void exec_ok(const char *sql)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        die("%s: %s", sql, PQerrorMessage(conn));
    PQclear(r);
}

static char *query1(const char *sql)  /* first value of a one-row result */
{
    PGresult *r = PQexec(conn, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
        die("%s: %s", sql, PQerrorMessage(conn));
    char *v = strdup(PQgetvalue(r, 0, 0));
    PQclear(r);
    return v;
}

/* Split a line (newline stripped) in place into at most max tab fields. */
static int split_tabs(char *line, char **f, int max)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') { *p = '\0'; f[n++] = p + 1; }
    return n;
}

static void chomp(char *s, ssize_t *len)
{
    while (*len > 0 && (s[*len - 1] == '\n' || s[*len - 1] == '\r')) s[--*len] = '\0';
}

/* ---- COPY buffer ---------------------------------------------------------- */
static char *cbuf;
static size_t clen, ccap;

static void cflush(void)
{
    if (clen && PQputCopyData(conn, cbuf, (int)clen) != 1)
        die("COPY: %s", PQerrorMessage(conn));
    clen = 0;
}

static void cput(const char *s, size_t n)  /* COPY text-format escaping */
{
    if (clen + 2 * n + 8 > ccap) {
        cflush();
        if (2 * n + 8 > ccap) {
            ccap = 2 * n + 8 + (1 << 20);
            cbuf = realloc(cbuf, ccap);
            if (!cbuf) die("out of memory");
        }
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\\': cbuf[clen++] = '\\'; cbuf[clen++] = '\\'; break;
        case '\t': cbuf[clen++] = '\\'; cbuf[clen++] = 't'; break;
        case '\n': cbuf[clen++] = '\\'; cbuf[clen++] = 'n'; break;
        case '\r': cbuf[clen++] = '\\'; cbuf[clen++] = 'r'; break;
        default: cbuf[clen++] = c;
        }
    }
}

static void craw(const char *s) { size_t n = strlen(s); memcpy(cbuf + clen, s, n); clen += n; }

/* ---- queries ---------------------------------------------------------------- */
typedef struct { char *qid, *text; } Query;

static const char *SEARCH_SQL =
    "SELECT d.docid, ts_rank_cd(d.tsv, qq.q) AS rank"
    " FROM docs AS d,"
    "  (SELECT string_agg('''' || replace(replace(l, '\\', '\\\\'), '''', '''''') || '''', ' | ')::tsquery AS q"
    "     FROM unnest(tsvector_to_array(to_tsvector('arabic', $1::text))) AS l) AS qq"
    " WHERE d.tsv @@ qq.q"
    " ORDER BY rank DESC, d.docid LIMIT $2::int";

static PGresult *search(const char *text, const char *k)
{
    const char *params[2] = { text, k };
    PGresult *r = PQexecPrepared(conn, "search", 2, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) die("search: %s", PQerrorMessage(conn));
    return r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, int n, int p)  /* nearest rank, v ascending */
{
    if (n <= 0) return 0.0 / 0.0;
    int i = (int)((long)p * n / 100 + ((long)p * n % 100 != 0)) - 1;
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return v[i];
}

static long vmhwm_kb(int pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) { kb = strtol(line + 6, NULL, 10); break; }
    fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    const char *conninfo = NULL, *task = NULL, *data = NULL, *out = NULL;
    int smoke = 0, latency_n = -1;
    double budget = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--smoke")) smoke = 1;
        else if (i + 1 < argc && !strcmp(a, "--conninfo")) conninfo = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--task")) task = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--data")) data = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--out")) out = argv[++i];
        else if (i + 1 < argc && !strcmp(a, "--latency-queries")) latency_n = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(a, "--quality-budget")) budget = atof(argv[++i]);
        else die("bad argument: %s", a);
    }
    if (!conninfo || !task || !data || !out) die("usage: see the header of pg_eval.c");
    int ki = !strcmp(task, "known_item");
    if (!ki && strcmp(task, "qa")) die("--task must be known_item or qa");

    char path[4096];
    /* ---- queries ---- */
    snprintf(path, sizeof path, "%s/%s", data,
             ki ? "news/known_item.dev.queries.tsv" : "qa_retrieval/dev.queries.tsv");
    FILE *f = fopen(path, "r");
    if (!f) die("%s: %s", path, strerror(errno));
    Query *qs = NULL;
    int nq = 0, capq = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        chomp(line, &len);
        if (!len) continue;
        if (smoke && nq >= SMOKE_QUERIES) break;
        char *fl[2];
        int nf = split_tabs(line, fl, 2);
        if (nq == capq) { capq = capq ? 2 * capq : 1024; qs = realloc(qs, capq * sizeof *qs); }
        qs[nq].qid = strdup(fl[0]);
        qs[nq].text = strdup(nf > 1 ? fl[1] : "");
        nq++;
    }
    fclose(f);
    if (latency_n < 0 || latency_n > nq) latency_n = nq;

    conn = PQconnectdb(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) die("connect: %s", PQerrorMessage(conn));
    int backend = PQbackendPID(conn);
    char *server_version = query1("SHOW server_version");

    /* ---- index ---- */
    snprintf(path, sizeof path, "%s/%s", data, ki ? "news/news.tsv" : "qa_retrieval/collection.tsv");
    f = fopen(path, "r");
    if (!f) die("%s: %s", path, strerror(errno));
    double t0 = now();
    exec_ok("BEGIN");
    exec_ok("CREATE UNLOGGED TABLE raw (docid text, body text)");
    PGresult *r = PQexec(conn, "COPY raw (docid, body) FROM STDIN");
    if (PQresultStatus(r) != PGRES_COPY_IN) die("COPY: %s", PQerrorMessage(conn));
    PQclear(r);
    ccap = 4 << 20;
    cbuf = malloc(ccap);
    long docs = 0;
    long long in_bytes = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        chomp(line, &len);
        if (!len) continue;
        if (ki && smoke && docs >= SMOKE_DOCS) break;
        char *fl[5];
        int nf = split_tabs(line, fl, 5);
        cput(fl[0], strlen(fl[0]));
        cbuf[clen++] = '\t';
        if (ki) {
            const char *body = nf > 4 ? fl[4] : "";
            size_t n = strlen(body);
            cput(body, n);
            in_bytes += n;
        } else {
            const char *title = nf > 1 ? fl[1] : "", *text = nf > 2 ? fl[2] : "";
            size_t a = strlen(title), b = strlen(text);
            cput(title, a);
            craw("\\n");  /* title, newline, text: as the FTS5 baseline indexes it */
            cput(text, b);
            in_bytes += a + 1 + b;
        }
        cbuf[clen++] = '\n';
        docs++;
    }
    fclose(f);
    cflush();
    if (PQputCopyEnd(conn, NULL) != 1) die("COPY end: %s", PQerrorMessage(conn));
    r = PQgetResult(conn);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die("COPY: %s", PQerrorMessage(conn));
    PQclear(r);
    while ((r = PQgetResult(conn))) PQclear(r);
    double t_copy = now();
    exec_ok("CREATE TABLE docs AS SELECT docid, to_tsvector('arabic', body) AS tsv FROM raw");
    exec_ok("DROP TABLE raw");
    double t_tsv = now();
    exec_ok("CREATE INDEX docs_tsv_gin ON docs USING gin (tsv)");
    exec_ok("COMMIT");
    double t_gin = now();
    exec_ok("VACUUM ANALYZE docs");
    double t1 = now();
    long rss = vmhwm_kb(backend);

    char *table_bytes = query1("SELECT pg_table_size('docs')");
    char *gin_bytes = query1("SELECT pg_total_relation_size('docs_tsv_gin')");
    char *index_bytes = query1("SELECT pg_total_relation_size('docs')");

    r = PQprepare(conn, "search", SEARCH_SQL, 2, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die("prepare: %s", PQerrorMessage(conn));
    PQclear(r);

    /* ---- quality run (top 100), also the warm-up pass ---- */
    snprintf(path, sizeof path, "%s/postgres.%s.run", out, task);
    FILE *run = fopen(path, "w");
    if (!run) die("%s: %s", path, strerror(errno));
    int quality_n = 0, empty = 0;
    double t2 = now();
    for (int i = 0; i < nq; i++) {
        if (budget > 0 && i == QUALITY_MIN && nq > QUALITY_MIN &&
            (now() - t2) / QUALITY_MIN * nq > budget)
            break;
        r = search(qs[i].text, "100");
        int n = PQntuples(r);
        if (!n) empty++;
        for (int j = 0; j < n; j++)
            fprintf(run, "%s Q0 %s %d %s postgres\n", qs[i].qid, PQgetvalue(r, j, 0), j + 1,
                    PQgetvalue(r, j, 1));
        PQclear(r);
        quality_n++;
    }
    double t3 = now();
    if (fclose(run)) die("%s: write failed", path);
    fprintf(stderr, "pg_eval: quality run: %d queries in %.1f s\n", quality_n, t3 - t2);

    /* warm any latency query the quality run did not cover */
    for (int i = quality_n; i < latency_n; i++) PQclear(search(qs[i].text, "10"));

    /* ---- latency (top 10) ---- */
    double *lat = malloc((latency_n + 1) * sizeof *lat), sum = 0;
    for (int i = 0; i < latency_n; i++) {
        double s = now();
        r = search(qs[i].text, "10");
        for (int j = 0; j < PQntuples(r); j++) (void)PQgetvalue(r, j, 0);
        PQclear(r);
        lat[i] = (now() - s) * 1000.0;
        sum += lat[i];
    }
    qsort(lat, latency_n, sizeof *lat, cmp_double);

    snprintf(path, sizeof path, "%s/postgres.%s.stats", out, task);
    FILE *st = fopen(path, "w");
    if (!st) die("%s: %s", path, strerror(errno));
    fprintf(st, "system=postgres\ntask=%s\nsmoke=%d\n", task, smoke);
    fprintf(st, "docs=%ld\ninput_bytes=%lld\ninput_mb=%.3f\n", docs, in_bytes, in_bytes / 1e6);
    fprintf(st, "index_seconds=%.3f\ncopy_seconds=%.3f\ntsvector_seconds=%.3f\n"
                "gin_seconds=%.3f\nvacuum_analyze_seconds=%.3f\nindex_mb_per_s=%.2f\n",
            t1 - t0, t_copy - t0, t_tsv - t_copy, t_gin - t_tsv, t1 - t_gin,
            in_bytes / 1e6 / (t1 - t0));
    fprintf(st, "index_bytes=%s\ntable_bytes=%s\ngin_bytes=%s\n", index_bytes, table_bytes, gin_bytes);
    fprintf(st, "queries=%d\nquality_queries=%d\nlatency_queries=%d\nqueries_without_hits=%d\n",
            nq, quality_n, latency_n, empty);
    fprintf(st, "run_seconds=%.3f\n", t3 - t2);
    fprintf(st, "latency_mean_ms=%.3f\nlatency_p50_ms=%.3f\nlatency_p99_ms=%.3f\n",
            latency_n ? sum / latency_n : 0.0 / 0.0, pct(lat, latency_n, 50), pct(lat, latency_n, 99));
    if (rss >= 0)
        fprintf(st, "peak_rss_kb=%ld\npeak_rss_of=server backend pid %d (VmHWM, includes shared_buffers pages it touched)\n",
                rss, backend);
    else
        fprintf(st, "peak_rss_kb=\npeak_rss_of=unmeasured (/proc/%d/status unreadable)\n", backend);
    fprintf(st, "server_version=%s\ntext_search_config=arabic\n", server_version);
    fprintf(st, "content=docid + tsvector only (no document text)\n");
    fprintf(st, "ranking=ts_rank_cd(tsv, OR of to_tsvector('arabic', query) lexemes), ties by docid\n");
    fprintf(st, "latency_depth=%d\nrun_depth=%d\n", LATENCY_DEPTH, RUN_DEPTH);
    if (fclose(st)) die("%s: write failed", path);
    fprintf(stderr, "postgres %s: %ld docs, %.1f MB in %.1f s; %d/%d queries, p50 %.1f ms, p99 %.1f ms\n",
            task, docs, in_bytes / 1e6, t1 - t0, quality_n, latency_n,
            pct(lat, latency_n, 50), pct(lat, latency_n, 99));
    PQfinish(conn);
    return 0;
}
