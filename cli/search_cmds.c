/*
 * search_cmds.c — the index commands of the fahras tool: index, search,
 * show, delete, stats, check, optimize.  Thin shells over the library's
 * fh_index_* / fh_search and the ingest readers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../include/fahras.h"
#include "../src/ingest.h"
#include "../src/utf8.h"
#include "cli.h"

#define DEFAULT_DB "fahras.db"
#define MERGE_SEGMENTS 16

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A JSON string of n bytes: escapes, control characters as \uXXXX, and
 * invalid UTF-8 (stored text is kept as it came) as U+FFFD, so every line
 * parses.  Shared by every command that prints JSON. */
void cli_json_str(FILE *o, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', o);
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) {
            if (c == '"' || c == '\\')
                fprintf(o, "\\%c", c);
            else if (c < 0x20 || c == 0x7F)
                fprintf(o, "\\u%04x", c);
            else
                fputc((int)c, o);
            i++;
            continue;
        }
        size_t adv;
        if (fh_utf8_next(p + i, n - i, &adv) == FH_UTF8_INVALID)
            fputs("\xEF\xBF\xBD", o);
        else
            fwrite(p + i, 1, adv, o);
        i += adv;
    }
    fputc('"', o);
}

static void json_str(FILE *o, const char *s) { cli_json_str(o, s, strlen(s)); }

/* Take the value of an option: "--opt VALUE" or "--opt=VALUE". */
static const char *optval(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (!strcmp(argv[*i], name)) {
        if (*i + 1 < argc)
            return argv[++*i];
        fprintf(stderr, "fahras: %s needs a value\n", name);
        exit(CLI_USAGE);
    }
    return NULL;
}

/* Ranking options from the environment, for experiments (documented in
 * fahras search --help): FAHRAS_K1, FAHRAS_B, FAHRAS_TITLE_WEIGHT,
 * FAHRAS_EXACT_WEIGHT. */
static void env_opts(fh_index_options *o)
{
    const char *v;
    if ((v = getenv("FAHRAS_K1")))
        o->k1 = atof(v);
    if ((v = getenv("FAHRAS_B")))
        o->b = atof(v);
    if ((v = getenv("FAHRAS_TITLE_WEIGHT")))
        o->title_weight = atof(v);
    if ((v = getenv("FAHRAS_EXACT_WEIGHT")))
        o->exact_weight = atof(v);
}

/* How long a writer waits for another one: FAHRAS_BUSY_TIMEOUT (ms), or
 * fahras index --busy-timeout. */
static int busy_timeout_env(fh_index_options *o)
{
    const char *v = getenv("FAHRAS_BUSY_TIMEOUT");
    if (!v)
        return 0;
    char *end;
    long ms = strtol(v, &end, 10);
    if (end == v || *end || ms < 0 || ms > 86400000L) {
        fprintf(stderr, "fahras: FAHRAS_BUSY_TIMEOUT must be milliseconds (0..86400000), not '%s'\n",
                v);
        return -1;
    }
    o->busy_timeout_ms = (int)ms;
    return 0;
}

static fh_index *open_index(const char *cmd, const char *db, int readonly)
{
    fh_index_options o = fh_index_options_default();
    o.readonly = readonly;
    env_opts(&o);
    if (busy_timeout_env(&o) != 0)
        return NULL;
    fh_index *ix;
    char err[512];
    /* only `fahras index` creates an index */
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "fahras %s: no index at '%s' (make one with: fahras index --db %s FILES)\n",
                cmd, db, db);
        return NULL;
    }
    if (fh_index_open(db, &o, &ix, err, sizeof err) != FH_OK) {
        fprintf(stderr, "fahras %s: %s\n", cmd, err);
        return NULL;
    }
    return ix;
}

/* ------------------------------------------------------------------ */
/* fahras index                                                        */
/* ------------------------------------------------------------------ */

typedef struct ingest_ctx {
    fh_index *ix;
    unsigned long added, replaced, unchanged, rejected, undecodable;
    double t0, last;
    size_t bytes, total_bytes;
    int tty, failed;
    FILE *log; /* --log: a line per committed batch */
    unsigned long committed; /* documents in committed batches */
} ingest_ctx;

/* on_commit: "DOCS<TAB>LAST_ID" per committed batch, flushed at once, so a
 * killed run leaves the list of what it committed. */
static void log_commit(void *ctx, size_t docs, const char *last_id)
{
    ingest_ctx *c = ctx;
    c->committed += docs;
    if (c->log && docs > 0) {
        fprintf(c->log, "%zu\t%s\n", docs, last_id);
        fflush(c->log);
    }
}

static void progress(ingest_ctx *c, int final)
{
    if (!c->tty)
        return;
    double t = now(), el = t - c->t0;
    if (!final && t - c->last < 0.2)
        return;
    c->last = t;
    unsigned long docs = c->added + c->replaced + c->unchanged;
    double mbs = el > 0 ? c->bytes / 1e6 / el : 0;
    fprintf(stderr, "\r%lu docs, %.0f docs/s, %.1f MB/s", docs, el > 0 ? docs / el : 0, mbs);
    if (c->total_bytes && c->bytes < c->total_bytes && mbs > 0)
        fprintf(stderr, ", %.0f%%, ETA %.0f s   ", 100.0 * c->bytes / c->total_bytes,
                (c->total_bytes - c->bytes) / 1e6 / mbs);
    else
        fprintf(stderr, "          ");
    if (final)
        fputc('\n', stderr);
}

static int on_doc(void *ctx, const fh_doc *d)
{
    ingest_ctx *c = ctx;
    fh_doc_in in = {d->id, d->title, d->body, d->source, d->url, d->date,
                    d->id_len, d->title_len, d->body_len, d->source_len, d->url_len, d->date_len};
    int r = fh_index_add(c->ix, &in);
    c->bytes += d->title_len + d->body_len;
    if (r == FH_ADDED)
        c->added++;
    else if (r == FH_REPLACED)
        c->replaced++;
    else if (r == FH_UNCHANGED)
        c->unchanged++;
    else if (r == FH_EINVAL) {
        c->rejected++;
        fprintf(stderr, "%sfahras index: %s:%lu: %s\n", c->tty ? "\r" : "", d->file, d->line,
                fh_index_errmsg(c->ix));
    } else {
        fprintf(stderr, "%sfahras index: %s:%lu: %s\n", c->tty ? "\r" : "", d->file, d->line,
                fh_index_errmsg(c->ix));
        c->failed = 1;
        return 1; /* the index itself failed: stop */
    }
    progress(c, 0);
    return 0;
}

static void on_reject(void *ctx, const char *file, unsigned long line, const char *reason)
{
    ingest_ctx *c = ctx;
    if (fh_ingest_is_note(reason))
        c->undecodable++; /* bytes replaced inside a record that is indexed */
    else
        c->rejected++;
    if (line)
        fprintf(stderr, "%sfahras index: %s:%lu: %s\n", c->tty ? "\r" : "", file, line, reason);
    else
        fprintf(stderr, "%sfahras index: %s: %s\n", c->tty ? "\r" : "", file, reason);
}

static size_t path_bytes(const char *p)
{
    struct stat sb;
    if (strcmp(p, "-") && stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
        return (size_t)sb.st_size;
    return 0;
}

static const char *INDEX_HELP =
    "usage: fahras index [--db FILE] [--format auto|txt|jsonl|tsv|trec] [OPTIONS] PATH... | -\n"
    "\n"
    "Adds documents to the index (default fahras.db; created if needed).  A PATH\n"
    "may be a file or a directory (read recursively, in name order); - reads\n"
    "standard input.  Formats: txt (one article a file: first line the title),\n"
    "jsonl (id, title, body|text|content, date, source, url), tsv (a header line\n"
    "naming columns among id, title, body, source, date, url), trec (<DOC> records:\n"
    "DOCNO, TITLE, TEXT, SRC, TIME, URL); auto guesses from the name and content.\n"
    "A document whose id is indexed already replaces it if its content changed,\n"
    "and is skipped if not, so re-running an ingest is safe.  Documents are\n"
    "committed in batches; an interrupted run keeps every batch it reported.\n"
    "\n"
    "Options:\n"
    "  --columns LIST        TSV columns when the file has no header (id,title,body)\n"
    "  --field-id NAME, --field-title NAME, --field-body NAME, --field-date NAME,\n"
    "  --field-source NAME, --field-url NAME     JSON field names\n"
    "  --max-doc-bytes N     reject larger records (default 16 MiB)\n"
    "  --max-token N         a new index cuts longer tokens (bytes of the normalized\n"
    "                        form) into pieces: 16..240, default 240; kept in the index\n"
    "  --batch N             documents per transaction (default 10000)\n"
    "  --batch-mb N          ... or fewer: a batch commits once it holds N MiB of\n"
    "                        text (default 32; bounds the memory a batch takes)\n"
    "  --encoding NAME       input encoding: auto (default: UTF-8, UTF-16/32 with a\n"
    "                        BOM, else Windows-1256 or ISO-8859-6 told by the bytes),\n"
    "                        or utf-8, windows-1256, iso-8859-6, utf-16le, ... (iconv)\n"
    "  --log FILE            append a line per committed batch: DOCS<TAB>LAST_ID\n"
    "  --busy-timeout MS     wait this long for another writer (default 10000, or\n"
    "                        FAHRAS_BUSY_TIMEOUT), then fail with status 3\n"
    "  --optimize            merge the index into one segment at the end (done anyway\n"
    "                        when the index has more than 16 segments)\n"
    "Prints a progress line on a terminal and a summary; each rejected record is\n"
    "reported as FILE:LINE: REASON.  Exit: 0 ok, 1 some records rejected, 2 usage,\n"
    "3 the index could not be written (the disk is full, another writer held it past\n"
    "the timeout, ...: the batch in flight is rolled back, committed ones are kept).\n";

int cmd_index(int argc, char **argv)
{
    const char *db = DEFAULT_DB, *v;
    fh_ingest_opts io;
    fh_ingest_opts_default(&io);
    int optimize = 0;
    size_t batch = 0, batch_mb = 0;
    unsigned long long max_token = 0;
    const char *logpath = NULL;
    long busy_ms = -1;
    const char **paths = calloc((size_t)argc, sizeof *paths);
    int np = 0;
    if (!paths)
        return CLI_IO;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(INDEX_HELP, stdout);
            free(paths);
            return CLI_OK;
        } else if ((v = optval(argc, argv, &i, "--db")))
            db = v;
        else if ((v = optval(argc, argv, &i, "--format"))) {
            if (!strcmp(v, "auto"))
                io.format = FH_FMT_AUTO;
            else if (!strcmp(v, "txt"))
                io.format = FH_FMT_TXT;
            else if (!strcmp(v, "jsonl"))
                io.format = FH_FMT_JSONL;
            else if (!strcmp(v, "tsv"))
                io.format = FH_FMT_TSV;
            else if (!strcmp(v, "trec"))
                io.format = FH_FMT_TREC;
            else {
                fprintf(stderr, "fahras index: unknown format '%s' (auto, txt, jsonl, tsv, trec)\n",
                        v);
                free(paths);
                return CLI_USAGE;
            }
        } else if ((v = optval(argc, argv, &i, "--columns")))
            io.columns = v;
        else if ((v = optval(argc, argv, &i, "--field-id")))
            io.field_id = v;
        else if ((v = optval(argc, argv, &i, "--field-title")))
            io.field_title = v;
        else if ((v = optval(argc, argv, &i, "--field-body")))
            io.field_body = v;
        else if ((v = optval(argc, argv, &i, "--field-date")))
            io.field_date = v;
        else if ((v = optval(argc, argv, &i, "--field-source")))
            io.field_source = v;
        else if ((v = optval(argc, argv, &i, "--field-url")))
            io.field_url = v;
        else if ((v = optval(argc, argv, &i, "--max-doc-bytes")))
            io.max_doc_bytes = (size_t)strtoull(v, NULL, 10);
        else if ((v = optval(argc, argv, &i, "--max-token"))) {
            char *end;
            max_token = strtoull(v, &end, 10);
            if (end == v || *end || max_token < FH_MIN_TOKEN || max_token > FH_MAX_TOKEN) {
                fprintf(stderr, "fahras index: --max-token '%s': give a number of bytes, %d..%d\n",
                        v, FH_MIN_TOKEN, FH_MAX_TOKEN);
                free(paths);
                return CLI_USAGE;
            }
        } else if ((v = optval(argc, argv, &i, "--batch")))
            batch = (size_t)strtoull(v, NULL, 10);
        else if ((v = optval(argc, argv, &i, "--batch-mb")))
            batch_mb = (size_t)strtoull(v, NULL, 10);
        else if ((v = optval(argc, argv, &i, "--encoding")))
            io.encoding = v;
        else if ((v = optval(argc, argv, &i, "--log")))
            logpath = v;
        else if ((v = optval(argc, argv, &i, "--busy-timeout"))) {
            char *end;
            busy_ms = strtol(v, &end, 10);
            if (end == v || *end || busy_ms < 0 || busy_ms > 86400000L) {
                fprintf(stderr, "fahras index: --busy-timeout takes milliseconds, not '%s'\n", v);
                free(paths);
                return CLI_USAGE;
            }
        }
        else if (!strcmp(a, "--optimize"))
            optimize = 1;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "fahras index: unknown option '%s' (see fahras index --help)\n", a);
            free(paths);
            return CLI_USAGE;
        } else
            paths[np++] = a;
    }
    char err[256];
    if (fh_ingest_opts_check(&io, err, sizeof err) != FH_OK) {
        fprintf(stderr, "fahras index: %s\n", err);
        free(paths);
        return CLI_USAGE;
    }
    if (np == 0) {
        fprintf(stderr, "fahras index: no input: give files, directories, or - for stdin\n");
        free(paths);
        return CLI_USAGE;
    }
    fh_index_options o = fh_index_options_default();
    if (batch)
        o.batch_docs = batch;
    o.max_token = (size_t)max_token;
    if (batch_mb)
        o.batch_bytes = batch_mb << 20;
    if (busy_timeout_env(&o) != 0) {
        free(paths);
        return CLI_USAGE;
    }
    if (busy_ms >= 0)
        o.busy_timeout_ms = (int)busy_ms;
    ingest_ctx c;
    memset(&c, 0, sizeof c);
    if (logpath && !(c.log = fopen(logpath, "a"))) {
        fprintf(stderr, "fahras index: cannot open --log '%s': %s\n", logpath, strerror(errno));
        free(paths);
        return CLI_IO;
    }
    o.on_commit = log_commit;
    o.commit_ctx = &c;
    fh_index *ix;
    if (fh_index_open(db, &o, &ix, err, sizeof err) != FH_OK) {
        fprintf(stderr, "fahras index: %s\n", err);
        if (c.log)
            fclose(c.log);
        free(paths);
        return CLI_IO;
    }
    c.ix = ix;
    c.tty = isatty(2);
    c.t0 = now();
    for (int k = 0; k < np; k++)
        c.total_bytes += path_bytes(paths[k]);
    for (int k = 0; k < np && !c.failed; k++)
        fh_ingest_path(paths[k], &io, on_doc, on_reject, &c);
    int rc = c.failed ? CLI_IO : FH_OK;
    if (fh_index_commit(ix) != FH_OK) {
        fprintf(stderr, "fahras index: %s\n", fh_index_errmsg(ix));
        rc = CLI_IO;
    }
    /* merge policy: every batch adds a segment; once there are more than
     * MERGE_SEGMENTS, merge them all into one (a search reads each term
     * once per segment, so many segments cost latency), or on request */
    fh_index_stats ist;
    if (rc == FH_OK && !optimize && fh_index_stats_get(ix, &ist) == FH_OK &&
        ist.segments > MERGE_SEGMENTS) {
        fprintf(stderr, "%sfahras index: %lld segments: merging them into one\n",
                c.tty ? "\r" : "", ist.segments);
        optimize = 1;
    }
    if (rc == FH_OK && optimize && fh_index_optimize(ix) != FH_OK) {
        fprintf(stderr, "fahras index: optimize: %s\n", fh_index_errmsg(ix));
        rc = CLI_IO;
    }
    progress(&c, 1);
    double el = now() - c.t0;
    if (rc != FH_OK)
        fprintf(stderr, "fahras index: stopped; %lu documents were committed before\n",
                c.committed);
    char undec[64] = "";
    if (c.undecodable)
        snprintf(undec, sizeof undec, ", %lu notes of undecodable bytes", c.undecodable);
    fprintf(stderr,
            "fahras index: %lu added, %lu replaced, %lu unchanged, %lu rejected%s in %.1f s "
            "(%.1f MB/s) -> %s\n",
            c.added, c.replaced, c.unchanged, c.rejected, undec, el,
            el > 0 ? c.bytes / 1e6 / el : 0, db);
    fh_index_close(ix);
    if (c.log)
        fclose(c.log);
    free(paths);
    if (rc != FH_OK)
        return CLI_IO;
    /* undecodable bytes are a problem of the input, as a rejected record is */
    return c.rejected || c.undecodable ? CLI_BADINPUT : CLI_OK;
}

/* ------------------------------------------------------------------ */
/* fahras search                                                       */
/* ------------------------------------------------------------------ */

typedef struct search_ctx {
    int json, color, trec;
    const char *qid;
} search_ctx;

static void print_snippet(FILE *o, const fh_hit *h, int color)
{
    const char *on = color ? "\x1b[1;33m" : "**", *off = color ? "\x1b[0m" : "**";
    size_t at = 0;
    for (size_t k = 0; k < h->nspans; k++) {
        fwrite(h->snippet + at, 1, h->spans[k].start - at, o);
        fputs(on, o);
        fwrite(h->snippet + h->spans[k].start, 1, h->spans[k].end - h->spans[k].start, o);
        fputs(off, o);
        at = h->spans[k].end;
    }
    fputs(h->snippet + at, o);
}

static int on_hit(void *ctx, const fh_hit *h)
{
    search_ctx *c = ctx;
    if (c->trec) {
        printf("%s Q0 %s %zu %.4f fahras\n", c->qid, h->ext_id, h->rank, h->score);
        return 0;
    }
    if (c->json) {
        printf("{\"rank\":%zu,\"id\":", h->rank);
        json_str(stdout, h->ext_id);
        printf(",\"score\":%.4f,\"title\":", h->score);
        json_str(stdout, h->title);
        printf(",\"source\":");
        json_str(stdout, h->source);
        printf(",\"date\":");
        json_str(stdout, h->date);
        printf(",\"url\":");
        json_str(stdout, h->url);
        printf(",\"snippet\":");
        json_str(stdout, h->snippet);
        printf(",\"highlights\":[");
        for (size_t k = 0; k < h->nspans; k++)
            printf("%s[%zu,%zu]", k ? "," : "", h->spans[k].start, h->spans[k].end);
        printf("]}\n");
        return 0;
    }
    const char *b = c->color ? "\x1b[1m" : "", *e = c->color ? "\x1b[0m" : "";
    printf("%zu. %s%s%s\n   %s%s%s%s  score %.2f  [%s]\n   ", h->rank, b, h->title, e, h->source,
           *h->source && *h->date ? ", " : "", h->date, (*h->source || *h->date) ? " " : "",
           h->score, h->ext_id);
    print_snippet(stdout, h, c->color);
    printf("\n\n");
    return 0;
}

static const char *SEARCH_HELP =
    "usage: fahras search [--db FILE] [--limit N] [--offset N] [--json] [--since DATE]\n"
    "                     [--until DATE] [--no-snippets] [--exhaustive] QUERY\n"
    "       fahras search [--db FILE] [--limit N] [--exhaustive] --batch FILE --trec\n"
    "\n"
    "Searches the index, best first: title, source, date, score and a snippet\n"
    "whose matching words are highlighted (in colour on a terminal, **like this**\n"
    "otherwise).  --json prints one JSON object per hit (rank, id, score, title,\n"
    "source, date, url, snippet, highlights: [start, end) byte spans in the\n"
    "snippet).  --batch FILE --trec reads qid<TAB>query lines and prints TREC run\n"
    "lines: qid Q0 docid rank score fahras (--trec with one QUERY: qid 1);\n"
    "--warmup runs the batch once untimed first, --latency FILE writes the\n"
    "per-query latency (mean, p50, p99 in ms).\n"
    "--exhaustive scores every document that has a query word instead of pruning\n"
    "(the same hits, slower: to compare).\n"
    "\n"
    "Query language: words (any of them, ranked; clitics and spelling variants\n"
    "match: والكتاب finds كتاب; a word no document has is searched for as its\n"
    "best-known spelling too, صرطان as سرطان, بحرالميت as بحر الميت, with a\n"
    "note), =word (exactly this word), \"a phrase\",\n"
    "-word or -\"phrase\" (exclude), prefix* , a OR b, title:word, source:NAME,\n"
    "date:2014-10..2014-12 (also date:2014, date:..2015-06).  Exit: 0 ok (even\n"
    "with no hits), 1 a bad query (the message says why), 2 usage, 3 I/O.\n";

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A batch query's hits, kept while it is timed and printed after: the
 * latency is the search's (and this copy's), not the printing's. */
typedef struct trec_hits {
    char *ids; /* the external ids, NUL-terminated, one after another */
    size_t nids, capids;
    struct trec_hit {
        size_t id; /* offset in ids */
        size_t rank;
        double score;
    } *v;
    size_t n, cap;
    int oom;
} trec_hits;

static int on_trec_hit(void *ctx, const fh_hit *h)
{
    trec_hits *t = ctx;
    size_t l = strlen(h->ext_id) + 1;
    if (t->nids + l > t->capids) {
        size_t cap = t->capids ? t->capids : 1024;
        while (t->nids + l > cap)
            cap *= 2;
        char *nb = realloc(t->ids, cap);
        if (!nb) {
            t->oom = 1;
            return 1;
        }
        t->ids = nb;
        t->capids = cap;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        struct trec_hit *nv = realloc(t->v, cap * sizeof *nv);
        if (!nv) {
            t->oom = 1;
            return 1;
        }
        t->v = nv;
        t->cap = cap;
    }
    memcpy(t->ids + t->nids, h->ext_id, l);
    t->v[t->n].id = t->nids;
    t->v[t->n].rank = h->rank;
    t->v[t->n].score = h->score;
    t->n++;
    t->nids += l;
    return 0;
}

/* Run every qid<TAB>query line of a file; with warmup, once untimed first
 * (the postings cache fills, as a long-running server's would); with
 * latency, the time of each search (fh_search and the copy of its hits,
 * not their printing: see trec_hits) is measured and summarized into that
 * file as key=value lines. */
static int run_batch(fh_index *ix, const char *batch, const fh_search_options *so0, int warmup,
                     const char *latency)
{
    fh_search_options so = *so0;
    so.snippets = 0;
    FILE *f = strcmp(batch, "-") ? fopen(batch, "r") : stdin;
    if (!f) {
        fprintf(stderr, "fahras search: cannot read '%s': %s\n", batch, strerror(errno));
        return CLI_IO;
    }
    /* read all queries first: bounded by the file (a query is <= 16 KB) */
    char **qid = NULL, **qtext = NULL;
    size_t nq = 0, capq = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long ln = 0;
    int rc = CLI_OK;
    while ((len = getline(&line, &cap, f)) >= 0) {
        ln++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) {
            if (len > 0) {
                fprintf(stderr, "fahras search: %s:%lu: expected qid<TAB>query\n", batch, ln);
                rc = CLI_BADINPUT;
            }
            continue;
        }
        *tab = '\0';
        if (nq == capq) {
            capq = capq ? capq * 2 : 1024;
            char **a = realloc(qid, capq * sizeof *a), **b2;
            if (!a)
                break;
            qid = a;
            b2 = realloc(qtext, capq * sizeof *b2);
            if (!b2)
                break;
            qtext = b2;
        }
        qid[nq] = strdup(line);
        qtext[nq] = strdup(tab + 1);
        if (!qid[nq] || !qtext[nq])
            break;
        nq++;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    double *ms = malloc((nq ? nq : 1) * sizeof *ms);
    if (!ms)
        rc = CLI_IO;
    trec_hits th;
    memset(&th, 0, sizeof th);
    for (int pass = warmup ? 0 : 1; ms && pass < 2 && !th.oom; pass++) {
        for (size_t k = 0; k < nq && !th.oom; k++) {
            struct timespec t0, t1;
            th.n = th.nids = 0;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            long n = fh_search(ix, qtext[k], &so, on_trec_hit, &th);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            ms[k] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
            if (pass == 0)
                continue; /* the warm-up prints nothing */
            if (n < 0) {
                fprintf(stderr, "fahras search: %s: query %s: %s\n", batch, qid[k],
                        fh_index_errmsg(ix));
                rc = CLI_BADINPUT;
            }
            for (size_t i = 0; i < th.n; i++)
                printf("%s Q0 %s %zu %.4f fahras\n", qid[k], th.ids + th.v[i].id, th.v[i].rank,
                       th.v[i].score);
        }
    }
    if (th.oom) {
        fprintf(stderr, "fahras search: out of memory\n");
        rc = CLI_IO;
    }
    free(th.ids);
    free(th.v);
    if (ms && latency && nq) {
        double sum = 0;
        for (size_t k = 0; k < nq; k++)
            sum += ms[k];
        qsort(ms, nq, sizeof *ms, cmp_double);
        FILE *o = fopen(latency, "w");
        if (!o) {
            fprintf(stderr, "fahras search: cannot write '%s': %s\n", latency, strerror(errno));
            rc = CLI_IO;
        } else {
            fprintf(o, "latency_queries=%zu\nlatency_mean_ms=%.4f\nlatency_p50_ms=%.4f\n"
                       "latency_p99_ms=%.4f\n",
                    nq, sum / nq, ms[nq / 2], ms[(size_t)(nq * 0.99) < nq ? (size_t)(nq * 0.99) : nq - 1]);
            fclose(o);
        }
    }
    for (size_t k = 0; k < nq; k++) {
        free(qid[k]);
        free(qtext[k]);
    }
    free(qid);
    free(qtext);
    free(ms);
    return rc;
}

int cmd_search(int argc, char **argv)
{
    const char *db = DEFAULT_DB, *v, *batch = NULL, *query = NULL, *latency = NULL;
    int warmup = 0;
    fh_search_options so = fh_search_options_default();
    search_ctx c = {0, 0, 0, NULL};
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(SEARCH_HELP, stdout);
            return CLI_OK;
        } else if ((v = optval(argc, argv, &i, "--db")))
            db = v;
        else if ((v = optval(argc, argv, &i, "--limit")))
            so.limit = (size_t)strtoull(v, NULL, 10);
        else if ((v = optval(argc, argv, &i, "--offset")))
            so.offset = (size_t)strtoull(v, NULL, 10);
        else if ((v = optval(argc, argv, &i, "--since")))
            so.since = v;
        else if ((v = optval(argc, argv, &i, "--until")))
            so.until = v;
        else if ((v = optval(argc, argv, &i, "--batch")))
            batch = v;
        else if ((v = optval(argc, argv, &i, "--latency")))
            latency = v;
        else if (!strcmp(a, "--warmup"))
            warmup = 1;
        else if (!strcmp(a, "--json"))
            c.json = 1;
        else if (!strcmp(a, "--trec"))
            c.trec = 1;
        else if (!strcmp(a, "--no-snippets"))
            so.snippets = 0;
        else if (!strcmp(a, "--exhaustive"))
            so.exhaustive = 1;
        else if (a[0] == '-' && a[1] == '-' && !query) {
            fprintf(stderr, "fahras search: unknown option '%s' (see fahras search --help)\n", a);
            return CLI_USAGE;
        } else if (!query)
            query = a;
        else {
            fprintf(stderr, "fahras search: more than one QUERY argument; quote the query\n");
            return CLI_USAGE;
        }
    }
    if (!batch && !query) {
        fprintf(stderr, "fahras search: no query (see fahras search --help)\n");
        return CLI_USAGE;
    }
    if (batch && !c.trec) {
        fprintf(stderr, "fahras search: --batch writes TREC runs: add --trec\n");
        return CLI_USAGE;
    }
    fh_index *ix = open_index("search", db, 1);
    if (!ix)
        return CLI_IO;
    c.color = !c.json && !c.trec && isatty(1);
    if (c.trec)
        so.ids_only = 1; /* a TREC line is the id and the score: no row read */
    int rc = CLI_OK;
    if (!batch) {
        c.qid = "1"; /* --trec with one query: topic 1, as TREC numbers them */
        long n = fh_search(ix, query, &so, on_hit, &c);
        if (n >= 0 && *fh_search_notice(ix))
            fprintf(stderr, "fahras search: note: %s\n", fh_search_notice(ix));
        if (n < 0) {
            fprintf(stderr, "fahras search: %s\n", fh_index_errmsg(ix));
            rc = n == FH_EINVAL ? CLI_BADINPUT : CLI_IO;
        } else if (n == 0 && !c.json)
            fprintf(stderr, "fahras search: no document matches\n");
    } else {
        rc = run_batch(ix, batch, &so, warmup, latency);
    }
    fh_index_close(ix);
    if (fflush(stdout) != 0)
        return CLI_IO;
    return rc;
}

/* ------------------------------------------------------------------ */
/* show, delete, stats, check, optimize                                */
/* ------------------------------------------------------------------ */

static int simple_args(int argc, char **argv, const char **db, const char **arg, int *json,
                       const char *help)
{
    const char *v;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(help, stdout);
            exit(CLI_OK);
        } else if ((v = optval(argc, argv, &i, "--db")))
            *db = v;
        else if (json && !strcmp(argv[i], "--json"))
            *json = 1;
        else if (argv[i][0] == '-' && argv[i][1] == '-') {
            fprintf(stderr, "fahras %s: unknown option '%s'\n", argv[1], argv[i]);
            return CLI_USAGE;
        } else if (arg && !*arg)
            *arg = argv[i];
        else {
            fprintf(stderr, "fahras %s: unexpected argument '%s'\n", argv[1], argv[i]);
            return CLI_USAGE;
        }
    }
    if (arg && !*arg) {
        fprintf(stderr, "fahras %s: which document? give its id\n", argv[1]);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cmd_show(int argc, char **argv)
{
    const char *db = DEFAULT_DB, *id = NULL;
    int rc = simple_args(argc, argv, &db, &id, NULL,
                         "usage: fahras show [--db FILE] ID\n\nPrints the stored document.\n");
    if (rc)
        return rc;
    fh_index *ix = open_index("show", db, 1);
    if (!ix)
        return CLI_IO;
    /* an exact id query: the library finds it by id */
    fh_doc_view d;
    int st = fh_index_get(ix, id, &d);
    if (st == 0) {
        fprintf(stderr, "fahras show: no document with id '%s'\n", id);
        fh_index_close(ix);
        return CLI_BADINPUT;
    }
    if (st < 0) {
        fprintf(stderr, "fahras show: %s\n", fh_index_errmsg(ix));
        fh_index_close(ix);
        return CLI_IO;
    }
    printf("id: %s\ntitle: %s\nsource: %s\ndate: %s\nurl: %s\n\n%s\n", d.ext_id, d.title, d.source,
           d.date, d.url, d.body);
    fh_index_close(ix);
    return CLI_OK;
}

int cmd_delete(int argc, char **argv)
{
    const char *db = DEFAULT_DB, *id = NULL;
    int rc = simple_args(argc, argv, &db, &id, NULL,
                         "usage: fahras delete [--db FILE] ID\n\nRemoves a document.\n");
    if (rc)
        return rc;
    fh_index *ix = open_index("delete", db, 0);
    if (!ix)
        return CLI_IO;
    int st = fh_index_delete(ix, id);
    if (st < 0) {
        fprintf(stderr, "fahras delete: %s\n", fh_index_errmsg(ix));
        fh_index_close(ix);
        return CLI_IO;
    }
    if (st == 0)
        fprintf(stderr, "fahras delete: no document with id '%s'\n", id);
    fh_index_close(ix);
    return st ? CLI_OK : CLI_BADINPUT;
}

int cmd_stats(int argc, char **argv)
{
    const char *db = DEFAULT_DB;
    int json = 0;
    int rc = simple_args(argc, argv, &db, NULL, &json,
                         "usage: fahras stats [--db FILE] [--json]\n\nDocuments, terms, "
                         "segments and bytes of the index.\n");
    if (rc)
        return rc;
    fh_index *ix = open_index("stats", db, 1);
    if (!ix)
        return CLI_IO;
    fh_index_stats s;
    if (fh_index_stats_get(ix, &s) != FH_OK) {
        fprintf(stderr, "fahras stats: %s\n", fh_index_errmsg(ix));
        fh_index_close(ix);
        return CLI_IO;
    }
    if (json)
        printf("{\"documents\":%lld,\"deleted\":%lld,\"terms\":%lld,\"segments\":%lld,"
               "\"bytes\":%lld,\"index_bytes\":%lld,\"encoded_postings_bytes\":%lld,"
               "\"text_bytes\":%lld}\n",
               s.documents, s.deleted, s.terms, s.segments, s.file_bytes, s.index_bytes,
               s.postings_bytes, s.text_bytes);
    else
        printf("documents %lld\ndeleted (until optimize) %lld\nterms %lld\nsegments %lld\n"
               "bytes %lld (index on disk %lld, of it encoded postings %lld; text %lld)\n",
               s.documents, s.deleted, s.terms, s.segments, s.file_bytes, s.index_bytes,
               s.postings_bytes, s.text_bytes);
    fh_index_close(ix);
    return CLI_OK;
}

int cmd_check(int argc, char **argv)
{
    const char *db = DEFAULT_DB;
    int rc = simple_args(argc, argv, &db, NULL, NULL,
                         "usage: fahras check [--db FILE]\n\nVerifies that the index matches "
                         "the documents.\nExit: 0 consistent, 1 a problem (printed), 3 I/O.\n");
    if (rc)
        return rc;
    fh_index *ix = open_index("check", db, 1);
    if (!ix)
        return CLI_IO;
    int st = fh_index_check(ix);
    if (st == FH_OK)
        printf("ok\n");
    else
        fprintf(stderr, "fahras check: %s\n", fh_index_errmsg(ix));
    fh_index_close(ix);
    return st == FH_OK ? CLI_OK : st == FH_EINVAL ? CLI_BADINPUT : CLI_IO;
}

int cmd_optimize(int argc, char **argv)
{
    const char *db = DEFAULT_DB;
    int rc = simple_args(argc, argv, &db, NULL, NULL,
                         "usage: fahras optimize [--db FILE]\n\nMerges all segments into one "
                         "and drops deleted documents' postings.\n");
    if (rc)
        return rc;
    fh_index *ix = open_index("optimize", db, 0);
    if (!ix)
        return CLI_IO;
    int st = fh_index_optimize(ix);
    if (st != FH_OK)
        fprintf(stderr, "fahras optimize: %s\n", fh_index_errmsg(ix));
    fh_index_close(ix);
    return st == FH_OK ? CLI_OK : CLI_IO;
}
