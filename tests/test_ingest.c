/*
 * test_ingest.c — the ingest readers (src/ingest.h).
 *
 *   golden     every fixture under tests/golden/ingest/ read into a text
 *              dump (one line per document or reject, then the status),
 *              compared with NAME.expected (formats, malformed records,
 *              BOM, CRLF, directory order, auto-detection)
 *   limits     a 40 MB line with a 1 MB cap (skipped with bounded memory,
 *              the next record delivered), oversized trec/tsv/txt records,
 *              and records of every size around small caps, so that records
 *              straddle the buffer's refills at many offsets
 *   callbacks  the stop value, in a file and in a directory walk
 *   bytes      NUL bytes, UTF-16 marks, empty input, every prefix of the
 *              fixtures, random bytes: no crash, the document invariants
 *   errors     missing paths, non-regular files, read errors, bad options
 *
 * Run from the repository root (tests/run.sh does): fixtures are found at
 * tests/golden/ingest/.  To rewrite the expected files after reviewing a
 * difference:  FH_INGEST_REGEN=1 build/tests/test_ingest
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest.h"

#define GDIR "tests/golden/ingest/"

/* ---- a growable text buffer ---- */

typedef struct str {
    char *p;
    size_t n, cap;
} str;

static void str_add(str *s, const char *p, size_t n)
{
    if (s->n + n + 1 > s->cap) {
        size_t nc = s->cap ? s->cap : 256;
        while (nc < s->n + n + 1)
            nc *= 2;
        s->p = realloc(s->p, nc);
        assert_non_null(s->p);
        s->cap = nc;
    }
    memcpy(s->p + s->n, p, n);
    s->n += n;
    s->p[s->n] = '\0';
}

static void str_printf(str *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void str_printf(str *s, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(k >= 0 && (size_t)k < sizeof tmp);
    str_add(s, tmp, (size_t)k);
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 if invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t k;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0)
            lo = 0xA0;
        if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0)
            lo = 0x90;
        if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < k)
        return 0;
    for (size_t i = 1; i < k; i++) {
        if (p[i] < lo || p[i] > hi)
            return 0;
        lo = 0x80, hi = 0xBF;
    }
    return k;
}

/* A field, quoted, on one line: \" \\ \n \r \t \0 \xHH (controls, bytes
 * that are not UTF-8); valid UTF-8 as is. */
static void str_quoted(str *s, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    str_add(s, "\"", 1);
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        size_t k = utf8_len(u + i, n - i);
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            str_add(s, e, 2);
        } else if (c == '\n')
            str_add(s, "\\n", 2);
        else if (c == '\r')
            str_add(s, "\\r", 2);
        else if (c == '\t')
            str_add(s, "\\t", 2);
        else if (c == 0)
            str_add(s, "\\0", 2);
        else if (c < 0x20 || c == 0x7F || k == 0)
            str_printf(s, "\\x%02X", c);
        else {
            str_add(s, p + i, k);
            i += k;
            continue;
        }
        i++;
    }
    str_add(s, "\"", 1);
}

/* ---- the callbacks: a dump of every event, and the invariants ---- */

typedef struct sink {
    str out;
    int ndocs, nrejects;
    int stop_at, stop_value; /* stop_at > 0: return stop_value at that doc */
    int quiet;               /* count and check only */
    int brief;               /* documents: file, line and id only */
} sink;

static void check_field(const char *p, size_t n)
{
    if (p) {
        assert_true(n > 0);
        assert_int_equal(p[n], '\0');
    } else
        assert_int_equal(n, 0);
}

static int on_doc(void *ctx, const fh_doc *d)
{
    sink *k = ctx;
    assert_non_null(d);
    assert_non_null(d->id);
    assert_true(d->id_len > 0);
    assert_true(d->title || d->body);
    assert_non_null(d->file);
    assert_true(d->line > 0);
    check_field(d->id, d->id_len);
    check_field(d->title, d->title_len);
    check_field(d->body, d->body_len);
    check_field(d->source, d->source_len);
    check_field(d->url, d->url_len);
    check_field(d->date, d->date_len);
    k->ndocs++;
    if (!k->quiet) {
        str_printf(&k->out, "doc %s:%lu id=", d->file, d->line);
        str_quoted(&k->out, d->id, d->id_len);
        const struct {
            const char *name, *p;
            size_t n;
        } f[] = {{"title", d->title, d->title_len},
                 {"body", d->body, d->body_len},
                 {"source", d->source, d->source_len},
                 {"url", d->url, d->url_len},
                 {"date", d->date, d->date_len}};
        for (size_t i = 0; i < sizeof f / sizeof f[0] && !k->brief; i++)
            if (f[i].p) {
                str_printf(&k->out, " %s=", f[i].name);
                str_quoted(&k->out, f[i].p, f[i].n);
            }
        str_add(&k->out, "\n", 1);
    }
    if (k->stop_at && k->ndocs == k->stop_at)
        return k->stop_value;
    return 0;
}

static void on_reject(void *ctx, const char *file, unsigned long line, const char *reason)
{
    sink *k = ctx;
    assert_non_null(file);
    assert_non_null(reason);
    assert_true(strlen(reason) > 0);
    k->nrejects++;
    if (!k->quiet)
        str_printf(&k->out, "reject %s:%lu: %s\n", file, line, reason);
}

static void sink_free(sink *k) { free(k->out.p); }

/* ---- streams over bytes ---- */

/* Read exactly these bytes as a stream called name: in memory, from an
 * exact-size heap copy (so AddressSanitizer sees any overread of it); a
 * temporary file for no bytes, which fmemopen does not take everywhere. */
static int ingest_bytes(const char *p, size_t n, const char *name, const fh_ingest_opts *o, sink *k)
{
    char *copy = malloc(n ? n : 1);
    assert_non_null(copy);
    if (n)
        memcpy(copy, p, n);
    FILE *f = n ? fmemopen(copy, n, "r") : tmpfile();
    assert_non_null(f);
    int rc = fh_ingest_stream(f, name, o, on_doc, on_reject, k);
    fclose(f);
    free(copy);
    return rc;
}

static int ingest_str(const char *s, const char *name, int format, sink *k)
{
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.format = format;
    return ingest_bytes(s, strlen(s), name, &o, k);
}

static char *read_whole(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    str s = {0};
    char tmp[4096];
    size_t got;
    while ((got = fread(tmp, 1, sizeof tmp, f)) > 0)
        str_add(&s, tmp, got);
    fclose(f);
    if (!s.p)
        str_add(&s, "", 0);
    *n = s.n;
    return s.p;
}

/* ================================================================== */
/* golden files                                                        */

typedef struct gcase {
    const char *name;  /* NAME.expected */
    const char *input; /* under tests/golden/ingest/ */
    int format;
    size_t max;
    const char *columns;
    const char *f_id, *f_title, *f_body, *f_date, *f_source, *f_url;
} gcase;

static const gcase golden[] = {
    {"jsonl", "jsonl.jsonl", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"jsonl_fields", "jsonl_fields.jsonl", FH_FMT_JSONL, 0, NULL, "doc_id", "headline", "article",
     "published", "outlet", "link"},
    {"tsv_header", "tsv_header.tsv", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"tsv_columns", "tsv_columns.tsv", FH_FMT_TSV, 0, "id, source ,-,Title,body", NULL, NULL, NULL,
     NULL, NULL, NULL},
    {"tsv_alias", "tsv_alias.tsv", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"tsv_badheader", "tsv_badheader.tsv", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"tsv_dupheader", "tsv_dupheader.tsv", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL},
    {"trec", "trec.trec", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"txt", "txt", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"txt_file", "txt/article.txt", FH_FMT_TXT, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"tree", "tree", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"tree_slash", "tree/a/", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"auto", "auto", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"bom_crlf", "bom_crlf", FH_FMT_AUTO, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
    {"limit_small", "jsonl.jsonl", FH_FMT_AUTO, 100, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

static void test_golden(void **state)
{
    const gcase *c = *state;
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.format = c->format;
    o.max_doc_bytes = c->max;
    o.columns = c->columns;
    o.field_id = c->f_id;
    o.field_title = c->f_title;
    o.field_body = c->f_body;
    o.field_date = c->f_date;
    o.field_source = c->f_source;
    o.field_url = c->f_url;
    char input[512], expected[512];
    snprintf(input, sizeof input, GDIR "%s", c->input);
    snprintf(expected, sizeof expected, GDIR "%s.expected", c->name);
    struct stat st;
    if (stat(input, &st) != 0)
        fail_msg("%s is missing: run the tests from the repository root", input);

    sink k = {0};
    int rc = fh_ingest_path(input, &o, on_doc, on_reject, &k);
    str_printf(&k.out, "status %d\n", rc);

    if (getenv("FH_INGEST_REGEN")) {
        FILE *f = fopen(expected, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(k.out.p, 1, k.out.n, f), k.out.n);
        assert_int_equal(fclose(f), 0);
        printf("wrote %s\n", expected);
        sink_free(&k);
        return;
    }
    size_t n = 0;
    char *want = read_whole(expected, &n);
    if (!want)
        fail_msg("%s is missing (write it with FH_INGEST_REGEN=1, then review it)", expected);
    if (n != k.out.n || memcmp(want, k.out.p, n) != 0) {
        /* show the first line that differs, and keep the whole output */
        size_t i = 0, line = 1, ls = 0;
        while (i < n && i < k.out.n && want[i] == k.out.p[i]) {
            if (want[i] == '\n')
                line++, ls = i + 1;
            i++;
        }
        const char *we = memchr(want + ls, '\n', n - ls);
        const char *ge = memchr(k.out.p + ls, '\n', k.out.n - ls);
        char actual[600];
        const char *tmp = getenv("TMPDIR");
        snprintf(actual, sizeof actual, "%s/ingest_%s.actual", tmp ? tmp : "/tmp", c->name);
        FILE *f = fopen(actual, "wb");
        if (f) {
            fwrite(k.out.p, 1, k.out.n, f);
            fclose(f);
        }
        print_error("%s differs at line %zu:\n  want: %.*s\n  got:  %.*s\n"
                    "(whole output in %s: diff it with the expected file)\n",
                    expected, line, we ? (int)(we - want - ls) : (int)(n - ls), want + ls,
                    ge ? (int)(ge - k.out.p - ls) : (int)(k.out.n - ls), k.out.p + ls, actual);
        free(want);
        sink_free(&k);
        fail();
    }
    free(want);
    sink_free(&k);
}

/* ================================================================== */
/* size limits                                                         */

static long max_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss;
}

static void put_n(FILE *f, char c, size_t n)
{
    char chunk[65536];
    memset(chunk, c, sizeof chunk);
    while (n) {
        size_t k = n < sizeof chunk ? n : sizeof chunk;
        assert_int_equal(fwrite(chunk, 1, k, f), k);
        n -= k;
    }
}

/* A 40 MB line under a 1 MB cap: rejected at its line, never held in
 * memory (the process's peak RSS grows far less than 40 MB), and the line
 * after it is delivered.  Runs first, so that the peak is its own. */
static void test_limit_40mb_line(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("{\"id\": \"before\", \"title\": \"t\"}\n", f);
    fputs("{\"id\": \"big\", \"title\": \"", f);
    put_n(f, 'x', (size_t)40 << 20);
    fputs("\"}\n", f);
    fputs("{\"id\": \"after\", \"title\": \"t\"}\n", f);
    rewind(f);

    long rss0 = max_rss_kb();
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.max_doc_bytes = (size_t)1 << 20;
    sink k = {0};
    assert_int_equal(fh_ingest_stream(f, "big.jsonl", &o, on_doc, on_reject, &k), FH_OK);
    long rss1 = max_rss_kb();
    fclose(f);
    assert_string_equal(k.out.p, "doc big.jsonl:1 id=\"before\" title=\"t\"\n"
                                 "reject big.jsonl:2: document larger than 1 MB\n"
                                 "doc big.jsonl:3 id=\"after\" title=\"t\"\n");
    if (rss0 > 0 && rss1 > 0 && rss1 - rss0 > 16 * 1024)
        fail_msg("peak RSS grew by %ld KB reading a 40 MB line under a 1 MB cap", rss1 - rss0);
    sink_free(&k);
}

/* Oversized trec records: closed, unclosed before the next DOC, unclosed
 * at the end; the good DOCs around them are delivered. */
static void test_limit_trec(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("<DOC><DOCNO>d1</DOCNO><TITLE>ok</TITLE></DOC>\n", f); /* line 1 */
    fputs("<DOC>\n<DOCNO>d2</DOCNO>\n<TEXT>", f);                /* lines 2-4 */
    for (int i = 0; i < 3000; i++) { /* 3000 lines of 1 KB: 4-3003; line numbers must follow */
        put_n(f, 'y', 1023);
        fputc('\n', f);
    }
    fputs("</TEXT>\n</DOC>\n", f);                               /* lines 3004-3005 */
    fputs("<DOC><DOCNO>d3</DOCNO><TITLE>ok</TITLE></DOC>\n", f); /* line 3006 */
    fputs("<DOC><DOCNO>d4</DOCNO><TEXT>", f);                    /* line 3007 */
    put_n(f, 'z', (size_t)5 << 20);
    fputs("\n<DOC><DOCNO>d5</DOCNO><TITLE>ok</TITLE></DOC>\n", f); /* line 3008 */
    fputs("<DOC><DOCNO>d6</DOCNO><TEXT>", f);                      /* line 3009 */
    put_n(f, 'w', (size_t)5 << 20);
    rewind(f);
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.max_doc_bytes = (size_t)1 << 20;
    sink k = {0};
    assert_int_equal(fh_ingest_stream(f, "big.trec", &o, on_doc, on_reject, &k), FH_OK);
    fclose(f);
    assert_string_equal(
        k.out.p,
        "doc big.trec:1 id=\"d1\" title=\"ok\"\n"
        "reject big.trec:2: document larger than 1 MB\n"
        "doc big.trec:3006 id=\"d3\" title=\"ok\"\n"
        "reject big.trec:3007: document larger than 1 MB; <DOC> not closed before the next <DOC>\n"
        "doc big.trec:3008 id=\"d5\" title=\"ok\"\n"
        "reject big.trec:3009: document larger than 1 MB; <DOC> not closed at the end of the "
        "file\n");
    sink_free(&k);
}

static void test_limit_tsv_txt(void **state)
{
    (void)state;
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.max_doc_bytes = (size_t)1 << 20;

    FILE *f = tmpfile();
    assert_non_null(f);
    fputs("id\ttitle\n", f);
    fputs("a\t", f);
    put_n(f, 'x', (size_t)3 << 20);
    fputs("\nb\tok\n", f);
    rewind(f);
    sink k = {0};
    assert_int_equal(fh_ingest_stream(f, "big.tsv", &o, on_doc, on_reject, &k), FH_OK);
    fclose(f);
    assert_string_equal(k.out.p, "reject big.tsv:2: document larger than 1 MB\n"
                                 "doc big.tsv:3 id=\"b\" title=\"ok\"\n");
    sink_free(&k);

    /* txt: exactly the cap is accepted (BOM not counted), one byte more is not */
    for (int extra = 0; extra <= 1; extra++) {
        f = tmpfile();
        assert_non_null(f);
        fputs("\xEF\xBB\xBFtitle\n", f);
        put_n(f, 'b', ((size_t)1 << 20) - 6 + (size_t)extra);
        rewind(f);
        sink t = {0};
        t.quiet = 1;
        assert_int_equal(fh_ingest_stream(f, "big.txt", &o, on_doc, on_reject, &t), FH_OK);
        fclose(f);
        assert_int_equal(t.ndocs, extra ? 0 : 1);
        assert_int_equal(t.nrejects, extra ? 1 : 0);
        sink_free(&t);
    }
    /* a header line larger than the cap: the file is skipped */
    f = tmpfile();
    assert_non_null(f);
    put_n(f, 'h', (size_t)2 << 20);
    fputs("\tid\nx\ty\n", f);
    rewind(f);
    sink h = {0};
    assert_int_equal(fh_ingest_stream(f, "big.tsv", &o, on_doc, on_reject, &h), FH_OK);
    fclose(f);
    assert_string_equal(h.out.p, "reject big.tsv:1: document larger than 1 MB (the header line; "
                                 "file skipped)\n");
    sink_free(&h);
}

/* ---- records of every size around small caps ---- */

typedef struct rng {
    uint64_t s;
} rng;

static uint32_t rnd(rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ull) >> 32);
}

/*
 * Thousands of records whose sizes spread around the cap, in one format,
 * with CRLF and LF line ends, blank lines and (trec) text and stray '<'
 * between records: the input is many times the buffer, so records cross
 * refills at every offset.  Each record of at most cap bytes must arrive
 * whole at its line; each larger one must be rejected at its line.
 */
static void check_sizes(int format, size_t cap, uint64_t seed)
{
    rng r = {seed};
    str in = {0}, want = {0};
    static char as[8192];
    memset(as, 'a', sizeof as);
    assert_true(cap + 100 < sizeof as);
    unsigned long line = 1;
    if (format == FH_FMT_TSV) {
        str_add(&in, "id\ttitle\n", 9);
        line++;
    }
    for (int i = 0; i < 3000; i++) {
        /* content length: record sizes spread around the cap (the trec
         * tags take ~50 bytes more than the jsonl ones, ~30 more than tsv) */
        size_t over = format == FH_FMT_TREC ? 90 : 40;
        size_t tlen = cap > over ? cap - over + rnd(&r) % 100 : 1 + rnd(&r) % 80;
        char id[32];
        snprintf(id, sizeof id, "r%d", i);
        str rec = {0};
        unsigned long nl = 0; /* line ends inside the record */
        if (format == FH_FMT_JSONL) {
            str_printf(&rec, "{\"id\":\"%s\",\"title\":\"", id);
            str_add(&rec, as, tlen);
            str_add(&rec, "\"}", 2);
        } else if (format == FH_FMT_TSV) {
            str_printf(&rec, "%s\t", id);
            str_add(&rec, as, tlen);
        } else {
            /* entities and trimmed line ends: decoding shrinks the record
             * in place, and line numbers must not depend on that */
            static const char *const pre[] = {"", "\n", "&amp;", "\n&#1575;", "<P>"};
            static const char *const post[] = {"", "\n", "\n\n", " \r\n", "&lt;\n\n"};
            const char *a = pre[rnd(&r) % 5], *b = post[rnd(&r) % 5];
            str_printf(&rec, "<DOC>\n<DOCNO>%s</DOCNO><TITLE>%s", id, a);
            nl += 1 + (a[0] == '\n');
            size_t at = rec.n;
            str_add(&rec, as, tlen);
            for (size_t k = rnd(&r) % 50; k < tlen; k += 1 + rnd(&r) % 100) {
                rec.p[at + k] = '\n';
                nl++;
            }
            str_printf(&rec, "x%s</TITLE></DOC>", b);
            for (const char *q = b; *q; q++)
                nl += *q == '\n';
        }
        if (rec.n <= cap)
            str_printf(&want, "doc %lu %s\n", line, id);
        else
            str_printf(&want, "reject %lu\n", line);
        str_add(&in, rec.p, rec.n);
        line += nl;
        free(rec.p);
        if (rnd(&r) % 3 == 0)
            str_add(&in, "\r\n", 2);
        else
            str_add(&in, "\n", 1);
        line++;
        if (rnd(&r) % 7 == 0) { /* a blank line, or text between docs */
            if (format == FH_FMT_TREC)
                str_add(&in, "junk < <D <DO </DO <DOCN>\n", 26);
            else
                str_add(&in, "\n", 1);
            line++;
        }
    }
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.format = format;
    o.max_doc_bytes = cap;
    str got = {0};
    sink d = {0};
    d.brief = 1;
    assert_int_equal(ingest_bytes(in.p, in.n, "sizes", &o, &d), FH_OK);
    /* reduce the dump to "doc LINE ID" / "reject LINE" */
    for (char *p = d.out.p; p && *p;) {
        char *e = strchr(p, '\n');
        assert_non_null(e);
        unsigned long ln;
        char idv[64];
        if (sscanf(p, "doc sizes:%lu id=\"%63[^\"]\"", &ln, idv) == 2)
            str_printf(&got, "doc %lu %s\n", ln, idv);
        else if (sscanf(p, "reject sizes:%lu:", &ln) == 1 && strstr(p, ": document larger than ") &&
                 strstr(p, ": document larger than ") < e)
            str_printf(&got, "reject %lu\n", ln);
        else
            fail_msg("unexpected event: %.*s", (int)(e - p), p);
        p = e + 1;
    }
    if (!got.p)
        str_add(&got, "", 0);
    if (cap > 100) /* both sides of the cap were exercised */
        assert_true(d.ndocs > 300 && d.nrejects > 300);
    if (strcmp(got.p, want.p) != 0) {
        size_t i = 0;
        while (got.p[i] && got.p[i] == want.p[i])
            i++;
        size_t ls = i;
        while (ls > 0 && want.p[ls - 1] != '\n')
            ls--;
        fail_msg("format %d, cap %zu: first difference:\n  want: %.60s\n  got:  %.60s", format, cap,
                 want.p + ls, got.p + ls);
    }
    free(in.p);
    free(want.p);
    free(got.p);
    sink_free(&d);
}

static void test_limit_boundaries(void **state)
{
    (void)state;
    const size_t caps[] = {60, 150, 257, 1000, 4099};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        check_sizes(FH_FMT_JSONL, caps[i], 1 + i);
        check_sizes(FH_FMT_TSV, caps[i], 100 + i);
        check_sizes(FH_FMT_TREC, caps[i], 200 + i);
    }
}

/* ================================================================== */
/* callbacks                                                           */

static void test_callback_stop(void **state)
{
    (void)state;
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    /* in a file: the value comes back, nothing after it is read */
    sink k = {0};
    k.stop_at = 2;
    k.stop_value = 7;
    k.quiet = 1;
    assert_int_equal(fh_ingest_path(GDIR "jsonl.jsonl", &o, on_doc, on_reject, &k), 7);
    assert_int_equal(k.ndocs, 2);
    assert_int_equal(k.nrejects, 0); /* the second document is on line 3 */
    /* in a directory walk */
    sink t = {0};
    t.stop_at = 3;
    t.stop_value = 1;
    t.quiet = 1;
    assert_int_equal(fh_ingest_path(GDIR "tree", &o, on_doc, on_reject, &t), 1);
    assert_int_equal(t.ndocs, 3);
    /* every format; a negative value is returned as is */
    const char *inputs[] = {GDIR "trec.trec", GDIR "tsv_header.tsv", GDIR "txt/article.txt"};
    for (size_t i = 0; i < 3; i++) {
        sink s = {0};
        s.stop_at = 1;
        s.stop_value = -99;
        s.quiet = 1;
        assert_int_equal(fh_ingest_path(inputs[i], &o, on_doc, on_reject, &s), -99);
        assert_int_equal(s.ndocs, 1);
    }
    /* no reject callback: problems are skipped silently */
    sink q = {0};
    q.quiet = 1;
    assert_int_equal(fh_ingest_path(GDIR "jsonl.jsonl", &o, on_doc, NULL, &q), FH_OK);
    assert_int_equal(q.nrejects, 0);
    assert_true(q.ndocs > 5);
}

/* ================================================================== */
/* bytes                                                               */

static void test_nul_bytes(void **state)
{
    (void)state;
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    /* tsv and txt: data */
    static const char tsv[] = "id\ttitle\tbody\nn1\tti\0tle\tbo\0dy\n";
    sink k = {0};
    o.format = FH_FMT_TSV;
    assert_int_equal(ingest_bytes(tsv, sizeof tsv - 1, "nul.tsv", &o, &k), FH_OK);
    assert_string_equal(k.out.p, "doc nul.tsv:2 id=\"n1\" title=\"ti\\0tle\" body=\"bo\\0dy\"\n");
    sink_free(&k);
    static const char txt[] = "\0title\0\nbo\0dy\0";
    sink t = {0};
    o.format = FH_FMT_TXT;
    assert_int_equal(ingest_bytes(txt, sizeof txt - 1, "nul.txt", &o, &t), FH_OK);
    assert_string_equal(t.out.p, "doc nul.txt:1 id=\"nul.txt\" title=\"\\0title\\0\" "
                                 "body=\"bo\\0dy\\0\"\n");
    sink_free(&t);
    /* trec: data */
    static const char trec[] = "<DOC><DOCNO>n</DOCNO><TEXT>a\0b</TEXT></DOC>";
    sink r = {0};
    o.format = FH_FMT_TREC;
    assert_int_equal(ingest_bytes(trec, sizeof trec - 1, "nul.trec", &o, &r), FH_OK);
    assert_string_equal(r.out.p, "doc nul.trec:1 id=\"n\" body=\"a\\0b\"\n");
    sink_free(&r);
    /* json: a raw NUL is invalid, in a string or outside; \u0000 is data */
    static const char js[] = "{\"id\":\"x\",\"title\":\"a\0b\"}\n{\"id\":\"y\",\0\"title\":\"c\"}\n"
                             "{\"id\":\"z\",\"title\":\"a\\u0000b\"}\n";
    sink j = {0};
    o.format = FH_FMT_JSONL;
    assert_int_equal(ingest_bytes(js, sizeof js - 1, "nul.jsonl", &o, &j), FH_OK);
    assert_string_equal(j.out.p,
                        "reject nul.jsonl:1: invalid JSON at byte 20: raw NUL byte in string\n"
                        "reject nul.jsonl:2: invalid JSON at byte 10: raw NUL byte\n"
                        "doc nul.jsonl:3 id=\"z\" title=\"a\\0b\"\n");
    sink_free(&j);
}

static void test_encodings(void **state)
{
    (void)state;
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    /* UTF-16 and UTF-32 with a BOM are decoded: {"id":"a","title":"كتاب"} */
    static const char le[] =
        "\xFF\xFE{\0\"\0i\0d\0\"\0:\0\"\0a\0\"\0,\0\"\0t\0i\0t\0l\0e\0\"\0:\0\"\0"
        "\x43\x06\x2A\x06\x27\x06\x28\x06\"\0}\0\n\0";
    static const char be[] =
        "\xFE\xFF\0{\0\"\0i\0d\0\"\0:\0\"\0a\0\"\0,\0\"\0t\0i\0t\0l\0e\0\"\0:\0\"\x06\x43"
        "\x06\x2A\x06\x27\x06\x28\0\"\0}\0\n";
    static const struct {
        const char *bytes;
        size_t n;
    } marks[] = {{le, sizeof le - 1}, {be, sizeof be - 1}};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        sink k = {0};
        assert_int_equal(ingest_bytes(marks[i].bytes, marks[i].n, "enc.jsonl", &o, &k), FH_OK);
        assert_string_equal(k.out.p, "doc enc.jsonl:1 id=\"a\" title=\"كتاب\"\n");
        sink_free(&k);
    }
    /* Windows-1256 and ISO-8859-6 without a mark: detected, converted.
     * "كتاب الولايات، مدرسة؟" in each */
    static const struct {
        const char *bytes, *name;
    } pages[] = {
        {"id\ttitle\nw\t\xDF\xCA\xC7\xC8 \xC7\xE1\xE6\xE1\xC7\xED\xC7\xCA\xA1 \xE3\xCF\xD1\xD3\xC9\xBF\n",
         "windows-1256"},
        {"id\ttitle\nw\t\xE3\xCA\xC7\xC8 \xC7\xE4\xE8\xE4\xC7\xEA\xC7\xCA\xAC \xE5\xCF\xD1\xD3\xC9\xBF\n",
         "iso-8859-6"},
    };
    for (size_t i = 0; i < 2; i++) {
        sink k = {0};
        assert_int_equal(ingest_bytes(pages[i].bytes, strlen(pages[i].bytes), "p.tsv", &o, &k),
                         FH_OK);
        assert_string_equal(k.out.p, "doc p.tsv:2 id=\"w\" title=\"كتاب الولايات، مدرسة؟\"\n");
        sink_free(&k);
        /* and named: the same */
        fh_ingest_opts on = o;
        on.encoding = pages[i].name;
        sink k2 = {0};
        assert_int_equal(ingest_bytes(pages[i].bytes, strlen(pages[i].bytes), "p.tsv", &on, &k2),
                         FH_OK);
        assert_string_equal(k2.out.p, "doc p.tsv:2 id=\"w\" title=\"كتاب الولايات، مدرسة؟\"\n");
        sink_free(&k2);
    }
    /* undecodable: 0xA1 is not defined in ISO-8859-6: U+FFFD, reported with
     * its line */
    {
        fh_ingest_opts on = o;
        on.encoding = "ISO-8859-6";
        const char *in = "id\ttitle\nx\t\xC7\xA1\xC8\n";
        sink k = {0};
        assert_int_equal(ingest_bytes(in, strlen(in), "u.tsv", &on, &k), FH_OK);
        assert_string_equal(k.out.p, "reject u.tsv:2: undecodable ISO-8859-6 bytes (0xA1): "
                                     "replaced by U+FFFD, not indexed\n"
                                     "doc u.tsv:2 id=\"x\" title=\"ا\xEF\xBF\xBDب\"\n");
        sink_free(&k);
    }
    /* a truncated UTF-16 file: the cut character is reported */
    {
        sink k = {0};
        assert_int_equal(ingest_bytes("\xFF\xFE{\0}\0\n\0\x43", 9, "t.jsonl", &o, &k), FH_OK);
        /* (the decoder reads ahead: its report comes first) */
        assert_string_equal(k.out.p, "reject t.jsonl:2: undecodable UTF-16LE bytes at the end of "
                                     "the input, inside a character (0x43): dropped\n"
                                     "reject t.jsonl:1: no title or body\n");
        sink_free(&k);
    }
    /* an unknown encoding name is an option error */
    {
        fh_ingest_opts on = o;
        on.encoding = "no-such-encoding";
        char err[128];
        assert_int_equal(fh_ingest_opts_check(&on, err, sizeof err), FH_EINVAL);
        assert_string_equal(err, "unknown encoding 'no-such-encoding' (see iconv --list)");
    }
    /* invalid UTF-8 in UTF-8 text is passed through (too few bytes to be a
     * code page) */
    sink k = {0};
    assert_int_equal(
        ingest_str("{\"id\":\"i\",\"title\":\"a\xFF\xC3(b\"}\n", "bad.jsonl", FH_FMT_AUTO, &k),
        FH_OK);
    assert_string_equal(k.out.p, "doc bad.jsonl:1 id=\"i\" title=\"a\\xFF\\xC3(b\"\n");
    sink_free(&k);
    /* ... and so is a UTF-8 Arabic text with more stray bytes than that */
    sink k3 = {0};
    assert_int_equal(ingest_str("{\"id\":\"j\",\"title\":\"النفط \xFF\xFE\xFF\xFE والغاز\"}\n",
                                "mix.jsonl", FH_FMT_AUTO, &k3),
                     FH_OK);
    assert_string_equal(k3.out.p,
                        "doc mix.jsonl:1 id=\"j\" title=\"النفط \\xFF\\xFE\\xFF\\xFE والغاز\"\n");
    sink_free(&k3);
}

static void test_empty_input(void **state)
{
    (void)state;
    const int formats[] = {FH_FMT_AUTO, FH_FMT_JSONL, FH_FMT_TSV, FH_FMT_TREC, FH_FMT_TXT};
    const char *inputs[] = {"", "\xEF\xBB\xBF", "\n\n", "\r\n"};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 4; j++) {
            sink k = {0};
            assert_int_equal(ingest_str(inputs[j], "empty", formats[i], &k), FH_OK);
            assert_int_equal(k.ndocs, 0);
            if (formats[i] == FH_FMT_TXT || formats[i] == FH_FMT_AUTO) /* auto: sniffed txt */
                assert_string_equal(k.out.p, "reject empty:1: empty file\n");
            else
                assert_int_equal(k.nrejects, 0);
            sink_free(&k);
        }
}

/* Every prefix of the fixtures, in every format, under two caps: no crash,
 * and every document keeps the invariants (checked in on_doc). */
static void test_prefixes(void **state)
{
    (void)state;
    const char *files[] = {"jsonl.jsonl", "trec.trec", "tsv_header.tsv", "txt/article.txt",
                           "bom_crlf/c.trec"};
    const int formats[] = {FH_FMT_JSONL, FH_FMT_TSV, FH_FMT_TREC, FH_FMT_TXT};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, GDIR "%s", files[i]);
        size_t n = 0;
        char *data = read_whole(path, &n);
        assert_non_null(data);
        for (size_t len = 0; len <= n; len++)
            for (size_t fi = 0; fi < 4; fi++)
                for (int cap = 0; cap < 2; cap++) {
                    fh_ingest_opts o;
                    fh_ingest_opts_default(&o);
                    o.format = formats[fi];
                    o.max_doc_bytes = cap ? 48 : 1000;
                    sink k = {0};
                    k.quiet = 1;
                    int rc = ingest_bytes(data, len, files[i], &o, &k);
                    assert_int_equal(rc, FH_OK);
                    sink_free(&k);
                }
        free(data);
    }
}

/* Random byte soup made of the formats' own pieces. */
static void test_random_bytes(void **state)
{
    (void)state;
    static const char *const pieces[] = {"<DOC>",     "</DOC>",    "<doc ",    "</doc >",
                                         "<DOCNO>",   "</DOCNO>",  "<TITLE>",  "</TITLE>",
                                         "<TEXT>",    "</TEXT>",   "<",        ">",
                                         "&amp;",     "&#x",       "&#",       ";",
                                         "<![CDATA[", "]]>",       "<!--",     "-->",
                                         "{",         "}",         "[",        "]",
                                         "\"",        "\\",        "\\u",      "\\ud800",
                                         "\\udc00",   "d83d",      ":",        ",",
                                         "\"id\"",    "\"title\"", "\"body\"", "null",
                                         "1e5",       "-",         "\t",       "\n",
                                         "\r\n",      "\r",        " ",        "\xEF\xBB\xBF",
                                         "\xFF",      "\0",        "a",        "عربي",
                                         "id",        "title",     "body",     "\xC3"};
    const size_t np = sizeof pieces / sizeof pieces[0];
    rng r = {12345};
    str s = {0};
    for (int round = 0; round < 1500; round++) {
        s.n = 0;
        size_t count = rnd(&r) % 200;
        for (size_t i = 0; i < count; i++) {
            const char *p = pieces[rnd(&r) % np];
            str_add(&s, p, *p ? strlen(p) : 1);
        }
        fh_ingest_opts o;
        fh_ingest_opts_default(&o);
        o.format = (int)(rnd(&r) % 5);
        o.max_doc_bytes = rnd(&r) % 2 ? 16 + rnd(&r) % 200 : 0;
        sink k = {0};
        k.quiet = 1;
        assert_int_equal(ingest_bytes(s.p ? s.p : "", s.n, "random", &o, &k), FH_OK);
        sink_free(&k);
    }
    free(s.p);
}

/* ================================================================== */
/* JSON details                                                        */

static void test_json_escapes(void **state)
{
    (void)state;
    sink k = {0};
    assert_int_equal(
        ingest_str("{\"id\":\"e\",\"title\":\"\\u00e9\\u0041\\uD83D\\uDE00|\\ud83d\\u0041|"
                   "\\ude00\\ud83d|\\ud83d\\\\|\\b\\f\\r\"}\n"
                   "{\"id\":\"\\u0041\\\"\",\"ti\\u0074le\":\"key with an escape\"}\n",
                   "esc.jsonl", FH_FMT_AUTO, &k),
        FH_OK);
    /* é A 😀 | lone high + A | lone low + lone high | lone high + \\ | controls */
    assert_string_equal(k.out.p,
                        "doc esc.jsonl:1 id=\"e\" title=\"éA😀|�A|��|�\\\\|\\x08\\x0C\\r\"\n"
                        "doc esc.jsonl:2 id=\"A\\\"\" title=\"key with an escape\"\n");
    sink_free(&k);
}

/* Nesting: 256 levels in all are read, 257 are rejected, and a line of
 * 100,000 '[' costs no more stack than that. */
static void test_json_depth(void **state)
{
    (void)state;
    const size_t depths[] = {255, 256, 100000};
    const char *want[] = {"doc deep.jsonl:1 id=\"d\" title=\"t\"\n",
                          "reject deep.jsonl:1: invalid JSON at byte 281: nested more than 256 "
                          "levels deep\n",
                          "reject deep.jsonl:1: invalid JSON at byte 281: nested more than 256 "
                          "levels deep\n"};
    for (size_t i = 0; i < 3; i++) {
        str s = {0};
        const char *head = "{\"id\":\"d\",\"title\":\"t\",\"x\":";
        str_add(&s, head, strlen(head)); /* 26 bytes */
        for (size_t d = 0; d < depths[i]; d++)
            str_add(&s, "[", 1);
        for (size_t d = 0; d < depths[i]; d++)
            str_add(&s, "]", 1);
        str_add(&s, "}\n", 2);
        fh_ingest_opts o;
        fh_ingest_opts_default(&o);
        sink k = {0};
        assert_int_equal(ingest_bytes(s.p, s.n, "deep.jsonl", &o, &k), FH_OK);
        assert_string_equal(k.out.p, want[i]);
        sink_free(&k);
        free(s.p);
    }
}

/* Line numbers in trec messages count the input as written, whatever the
 * decoding of the fields before has done to the buffer. */
static void test_trec_lines(void **state)
{
    (void)state;
    sink k = {0};
    assert_int_equal(ingest_str("<DOC>\n<DOCNO>x</DOCNO>\n<TEXT>&amp;&amp;&amp;\n\n\n&amp;</TEXT>\n"
                                "<TITLE>never closed\n</DOC>\n"
                                "<DOC><DOCNO>y</DOCNO><TEXT>&#1575;\n\n</TEXT></DOC>\n",
                                "lines.trec", FH_FMT_AUTO, &k),
                     FH_OK);
    assert_string_equal(k.out.p, "reject lines.trec:1: <TITLE> at line 7 not closed\n"
                                 "doc lines.trec:9 id=\"y\" body=\"ا\"\n");
    sink_free(&k);
}

/* ================================================================== */
/* paths and errors                                                    */

static void test_stdin(void **state)
{
    (void)state;
    assert_non_null(freopen(GDIR "jsonl_fields.jsonl", "r", stdin));
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.field_id = "doc_id";
    o.field_title = "headline";
    sink k = {0};
    assert_int_equal(fh_ingest_path("-", &o, on_doc, on_reject, &k), FH_OK);
    /* sniffed as jsonl; the third line has "article" only: not a body here */
    assert_string_equal(k.out.p, "doc <stdin>:1 id=\"f1\" title=\"عنوان\" body=\"nor this\"\n"
                                 "doc <stdin>:2 id=\"7\" title=\"body and text are not read when "
                                 "field_body is set\" body=\"ignored\"\n"
                                 "reject <stdin>:3: no title or body\n");
    sink_free(&k);
    /* a txt document from a stream is named after the stream */
    sink t = {0};
    assert_int_equal(ingest_str("title\nbody\n", NULL, FH_FMT_TXT, &t), FH_OK);
    assert_string_equal(t.out.p, "doc <stream>:1 id=\"<stream>\" title=\"title\" body=\"body\"\n");
    sink_free(&t);
}

static void test_io_errors(void **state)
{
    (void)state;
    sink k = {0};
    assert_int_equal(fh_ingest_path(GDIR "no/such/file", NULL, on_doc, on_reject, &k), FH_EIO);
    assert_string_equal(k.out.p,
                        "reject " GDIR "no/such/file:0: cannot open: No such file or directory\n");
    sink_free(&k);

    sink d = {0};
    assert_int_equal(fh_ingest_path("/dev/null", NULL, on_doc, on_reject, &d), FH_EIO);
    assert_string_equal(d.out.p, "reject /dev/null:0: not a regular file\n");
    sink_free(&d);

    /* a stream that cannot be read (a directory opened as a file) */
    FILE *f = fopen(GDIR "tree", "r");
    assert_non_null(f);
    sink e = {0};
    assert_int_equal(fh_ingest_stream(f, "dir.jsonl", NULL, on_doc, on_reject, &e), FH_EIO);
    fclose(f);
    assert_string_equal(e.out.p, "reject dir.jsonl:0: read error: Is a directory\n");
    sink_free(&e);

    /* a directory with special entries: each reported, the rest read */
    char dir[] = "/tmp/fh_ingest_XXXXXX";
    assert_non_null(mkdtemp(dir));
    sink none = {0};
    assert_int_equal(fh_ingest_path(dir, NULL, on_doc, on_reject, &none), FH_OK);
    assert_int_equal(none.ndocs + none.nrejects, 0);
    char p[4][300];
    snprintf(p[0], sizeof p[0], "%s/a.txt", dir);
    snprintf(p[1], sizeof p[1], "%s/fifo", dir);
    snprintf(p[2], sizeof p[2], "%s/loop", dir);
    snprintf(p[3], sizeof p[3], "%s/zz_dangling", dir);
    FILE *a = fopen(p[0], "w");
    assert_non_null(a);
    fputs("title\n", a);
    fclose(a);
    assert_int_equal(mkfifo(p[1], 0600), 0);
    assert_int_equal(symlink(".", p[2]), 0);
    assert_int_equal(symlink("nowhere", p[3]), 0);
    char link[300];
    snprintf(link, sizeof link, "%s/b_link.txt", dir);
    assert_int_equal(symlink("a.txt", link), 0);
    sink s = {0};
    assert_int_equal(fh_ingest_path(dir, NULL, on_doc, on_reject, &s), FH_EIO);
    str want = {0};
    str_printf(&want, "doc %s:1 id=\"a.txt\" title=\"title\"\n", p[0]);
    str_printf(&want, "doc %s:1 id=\"b_link.txt\" title=\"title\"\n", link);
    str_printf(&want, "reject %s:0: not a regular file\n", p[1]);
    str_printf(&want, "reject %s:0: symbolic link to a directory, not followed\n", p[2]);
    str_printf(&want, "reject %s:0: cannot open: No such file or directory\n", p[3]);
    assert_string_equal(s.out.p, want.p);
    free(want.p);
    sink_free(&s);
    unlink(link);
    for (int i = 3; i >= 0; i--)
        unlink(p[i]);
    rmdir(dir);
}

/* ================================================================== */
/* options                                                             */

static void expect_opts_error(const fh_ingest_opts *o, const char *must)
{
    char err[256];
    memset(err, 'X', sizeof err);
    assert_int_equal(fh_ingest_opts_check(o, err, sizeof err), FH_EINVAL);
    assert_non_null(memchr(err, '\0', sizeof err));
    if (!strstr(err, must))
        fail_msg("message \"%s\" does not say \"%s\"", err, must);
    /* a read with those options: FH_EINVAL, reported, nothing read */
    sink k = {0};
    assert_int_equal(fh_ingest_path(GDIR "jsonl.jsonl", o, on_doc, on_reject, &k), FH_EINVAL);
    assert_int_equal(k.ndocs, 0);
    assert_int_equal(k.nrejects, 1);
    assert_non_null(strstr(k.out.p, must));
    sink_free(&k);
}

static void test_options(void **state)
{
    (void)state;
    fh_ingest_opts o;
    memset(&o, 0x55, sizeof o);
    fh_ingest_opts_default(&o);
    assert_int_equal(o.format, FH_FMT_AUTO);
    assert_int_equal(o.max_doc_bytes, (size_t)16 << 20);
    assert_null(o.columns);
    assert_null(o.field_id);
    assert_null(o.field_title);
    assert_null(o.field_body);
    assert_null(o.field_date);
    assert_null(o.field_source);
    assert_null(o.field_url);
    fh_ingest_opts_default(NULL);

    char err[128];
    assert_int_equal(fh_ingest_opts_check(&o, err, sizeof err), FH_OK);
    assert_string_equal(err, "");
    assert_int_equal(fh_ingest_opts_check(NULL, NULL, 0), FH_OK);
    fh_ingest_opts zero;
    memset(&zero, 0, sizeof zero); /* zero means the defaults */
    assert_int_equal(fh_ingest_opts_check(&zero, err, sizeof err), FH_OK);

    fh_ingest_opts b = o;
    b.format = 9;
    expect_opts_error(&b, "unknown format 9");
    b = o;
    b.max_doc_bytes = FH_INGEST_MAX_DOC_LIMIT + 1;
    expect_opts_error(&b, "above the limit");
    b = o;
    b.columns = "id,source,date";
    expect_opts_error(&b, "no title or body column");
    b = o;
    b.columns = "id,title, TITLE";
    expect_opts_error(&b, "column 'TITLE' named twice");
    b = o;
    b.field_title = "";
    expect_opts_error(&b, "empty name for field 'title'");
    b = o;
    b.columns = "id,text,content,body";
    assert_int_equal(fh_ingest_opts_check(&b, NULL, 0), FH_OK);
    b.max_doc_bytes = FH_INGEST_MAX_DOC_LIMIT;
    assert_int_equal(fh_ingest_opts_check(&b, err, sizeof err), FH_OK);

    /* a small message buffer: cut, NUL-terminated inside it */
    char small[8];
    memset(small, 'X', sizeof small);
    b = o;
    b.format = -1;
    assert_int_equal(fh_ingest_opts_check(&b, small, 5), FH_EINVAL);
    assert_non_null(memchr(small, '\0', 5));
    assert_int_equal(small[5], 'X');

    /* NULL arguments */
    sink k = {0};
    assert_int_equal(fh_ingest_path(NULL, NULL, on_doc, on_reject, &k), FH_EINVAL);
    assert_int_equal(fh_ingest_path(GDIR "jsonl.jsonl", NULL, NULL, on_reject, &k), FH_EINVAL);
    assert_int_equal(fh_ingest_stream(NULL, "x", NULL, on_doc, on_reject, &k), FH_EINVAL);
    assert_int_equal(fh_ingest_stream(stdin, "x", NULL, NULL, on_reject, &k), FH_EINVAL);
    assert_int_equal(k.nrejects + k.ndocs, 0);
}

/* ================================================================== */

int main(void)
{
    /* the 40 MB test first (it measures the peak RSS), then one test per
     * golden case (named after it), then the rest */
    const struct CMUnitTest rest[] = {
        cmocka_unit_test(test_limit_trec),
        cmocka_unit_test(test_limit_tsv_txt),
        cmocka_unit_test(test_limit_boundaries),
        cmocka_unit_test(test_callback_stop),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_json_depth),
        cmocka_unit_test(test_trec_lines),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_options),
    };
    enum { NG = sizeof golden / sizeof golden[0], NR = sizeof rest / sizeof rest[0] };
    static struct CMUnitTest tests[1 + NG + NR];
    size_t n = 0;
    const struct CMUnitTest first = cmocka_unit_test(test_limit_40mb_line);
    tests[n++] = first;
    for (size_t i = 0; i < NG; i++) {
        struct CMUnitTest t = cmocka_unit_test_prestate(test_golden, (void *)&golden[i]);
        t.name = golden[i].name;
        tests[n++] = t;
    }
    for (size_t i = 0; i < NR; i++)
        tests[n++] = rest[i];
    return _cmocka_run_group_tests("ingest", tests, n, NULL, NULL);
}
