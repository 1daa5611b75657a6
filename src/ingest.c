/*
 * ingest.c — the ingest readers (the manual is ingest.h).
 *
 * One read (fh_ingest_path / fh_ingest_stream) owns one buffer, reused by
 * every file it reads.  The readers take their bytes from rd_fill(), which
 * keeps the buffer below the record cap plus FH_INGEST_SLACK:
 *
 *   rd_fill      refill (compact, grow up to the cap, fread)
 *   rd_line      jsonl, tsv: the next line, or "too long" after skipping it
 *   read_txt     the whole file, if it fits under the cap
 *   read_trec    a tag scanner: <DOC ... </DOC> spans, skipped if too large
 *
 * Records are decoded in place (JSON and XML escapes never make text
 * longer), so a document's fields point into the buffer: no copy, no
 * allocation per document.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode.h"
#include "ingest.h"

/* The document fields, in a fixed order. */
enum { F_ID, F_TITLE, F_BODY, F_SOURCE, F_URL, F_DATE, F_N };

static const char *const field_label[F_N] = {"id", "title", "body", "source", "url", "date"};

/* JSON nesting cap: real records nest a few levels; the cap bounds the
 * scanner's recursion, hence its stack use, whatever the input. */
#define JSON_MAX_DEPTH 256

/* Spaces allowed between "</DOC" and its '>': more is not a tag.  Bounds
 * what the trec scanner keeps unread at the end of the buffer. */
#define TAG_SPACE_MAX 16

typedef struct span {
    char *p;
    size_t n;
} span;

/* One read: options, callbacks, the buffer; and the file being read. */
typedef struct ing {
    fh_ingest_opts o;
    size_t limit;              /* the record cap, in bytes */
    const char *names[F_N][3]; /* accepted names per field, best first */
    signed char *cols;         /* opts.columns: field per column, or -1 */
    size_t ncols;
    fh_doc_fn doc_fn;
    fh_reject_fn rej_fn;
    void *ctx;
    int status; /* FH_EIO once a file failed, else FH_OK */
    fh_decoder *dec; /* the bytes of every file come through it */
    char *buf;  /* [pos, len) unread; cap > len always */
    size_t cap, cap_max;
    /* the current file */
    FILE *f;
    const char *file, *idbase;
    size_t pos, len;
    int eof;
    int err_no; /* errno of the last read error */
    unsigned long line;
    char *idbuf; /* "NAME:LINE" ids */
    size_t idcap;
    char reason[512];
} ing;

/* ------------------------------------------------------------------ */
/* small helpers                                                       */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* s[0..n) equals the lower-case ASCII word w, without case. */
static int ieq(const char *s, size_t n, const char *w)
{
    size_t i = 0;
    for (; i < n && w[i]; i++)
        if (lower((unsigned char)s[i]) != w[i])
            return 0;
    return i == n && !w[i];
}

static span trim(char *p, size_t n)
{
    while (n && is_space((unsigned char)p[0]))
        p++, n--;
    while (n && is_space((unsigned char)p[n - 1]))
        n--;
    return (span){p, n};
}

/* Write code point u as UTF-8; returns the byte count (1..4). */
static size_t utf8_put(char *w, uint32_t u)
{
    if (u < 0x80) {
        w[0] = (char)u;
        return 1;
    }
    if (u < 0x800) {
        w[0] = (char)(0xC0 | (u >> 6));
        w[1] = (char)(0x80 | (u & 0x3F));
        return 2;
    }
    if (u < 0x10000) {
        w[0] = (char)(0xE0 | (u >> 12));
        w[1] = (char)(0x80 | ((u >> 6) & 0x3F));
        w[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (u >> 18));
    w[1] = (char)(0x80 | ((u >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((u >> 6) & 0x3F));
    w[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

/* "16 MB", "512 KB" or "1000 bytes" (MB = 2^20 bytes). */
static void fmt_size(size_t v, char *out, size_t cap)
{
    if (v >= ((size_t)1 << 20) && v % ((size_t)1 << 20) == 0)
        snprintf(out, cap, "%zu MB", v >> 20);
    else if (v >= 1024 && v % 1024 == 0)
        snprintf(out, cap, "%zu KB", v >> 10);
    else
        snprintf(out, cap, "%zu bytes", v);
}

static void seterr(char *err, size_t errlen, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static void reject(ing *g, unsigned long line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void reject(ing *g, unsigned long line, const char *fmt, ...)
{
    if (!g->rej_fn)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->reason, sizeof g->reason, fmt, ap);
    va_end(ap);
    g->rej_fn(g->ctx, g->file, line, g->reason);
}

static void reject_too_large(ing *g, unsigned long line, const char *more)
{
    char size[32];
    fmt_size(g->limit, size, sizeof size);
    reject(g, line, "document larger than %s%s", size, more);
}

/* ------------------------------------------------------------------ */
/* field names                                                         */

/* The field that name[0..n) stands for (-1: none), and its rank among that
 * field's names (0 best). */
static int field_of(const ing *g, const char *name, size_t n, int nocase, int *rank)
{
    for (int f = 0; f < F_N; f++)
        for (int r = 0; r < 3 && g->names[f][r]; r++) {
            const char *w = g->names[f][r];
            size_t wn = strlen(w);
            if (wn != n)
                continue;
            int same = 1;
            for (size_t i = 0; i < n && same; i++)
                same = nocase ? lower((unsigned char)name[i]) == lower((unsigned char)w[i])
                              : name[i] == w[i];
            if (same) {
                *rank = r;
                return f;
            }
        }
    return -1;
}

/*
 * Columns from a tsv header (sep '\t') or opts.columns (sep ','): the field
 * of each column, or -1 for a column to ignore.  The best-ranked name of a
 * field wins (body over text over content).  Returns FH_OK, FH_EINVAL (a
 * name given twice, no title or body column: message in err), FH_ENOMEM.
 * One byte per column, so a header costs at most its own length.
 */
static int parse_columns(const ing *g, const char *s, size_t n, char sep, signed char **out,
                         size_t *nout, char *err, size_t errlen)
{
    *out = NULL;
    *nout = 0;
    size_t nc = 1;
    for (const char *q = s; (q = memchr(q, sep, (size_t)(s + n - q))) != NULL; q++)
        nc++;
    signed char *col = malloc(nc);
    if (!col)
        return FH_ENOMEM;
    size_t best[F_N];
    int best_rank[F_N];
    for (int f = 0; f < F_N; f++)
        best_rank[f] = 99, best[f] = 0;
    const char *q = s, *end = s + n;
    for (size_t k = 0; k < nc; k++) {
        const char *e = memchr(q, sep, (size_t)(end - q));
        if (!e)
            e = end;
        span nm = trim((char *)q, (size_t)(e - q));
        int rank = 0, f = field_of(g, nm.p, nm.n, 1, &rank);
        col[k] = (signed char)f;
        if (f >= 0) {
            if (rank == best_rank[f]) {
                seterr(err, errlen, "column '%.*s' named twice", (int)(nm.n > 64 ? 64 : nm.n),
                       nm.p);
                free(col);
                return FH_EINVAL;
            }
            if (rank < best_rank[f])
                best_rank[f] = rank, best[f] = k;
        }
        q = e + 1;
    }
    for (size_t k = 0; k < nc; k++)
        if (col[k] >= 0 && best[col[k]] != k)
            col[k] = -1; /* a lesser alias: "text" when there is a "body" */
    if (best_rank[F_TITLE] == 99 && best_rank[F_BODY] == 99) {
        const char *const *b = g->names[F_BODY];
        seterr(err, errlen, "no title or body column (looked for %s, %s%s%s%s%s)",
               g->names[F_TITLE][0], b[0], b[1] ? ", " : "", b[1] ? b[1] : "", b[2] ? ", " : "",
               b[2] ? b[2] : "");
        free(col);
        return FH_EINVAL;
    }
    *out = col;
    *nout = nc;
    return FH_OK;
}

/* ------------------------------------------------------------------ */
/* options                                                             */

/* The cap's default and its reason: FH_INGEST_DEFAULT_MAX_DOC in ingest.h. */
void fh_ingest_opts_default(fh_ingest_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->format = FH_FMT_AUTO;
    o->max_doc_bytes = FH_INGEST_DEFAULT_MAX_DOC;
}

static void ing_free(ing *g)
{
    free(g->cols);
    free(g->buf);
    free(g->idbuf);
    fh_dec_free(g->dec);
}

/* Set up a read from the options; all-or-nothing (ing_free is safe after
 * a failure). */
static int ing_init(ing *g, const fh_ingest_opts *o, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    if (o)
        g->o = *o;
    else
        fh_ingest_opts_default(&g->o);
    if (g->o.format < FH_FMT_AUTO || g->o.format > FH_FMT_TREC) {
        seterr(err, errlen, "unknown format %d", g->o.format);
        return FH_EINVAL;
    }
    g->limit = g->o.max_doc_bytes ? g->o.max_doc_bytes : FH_INGEST_DEFAULT_MAX_DOC;
    if (g->limit > FH_INGEST_MAX_DOC_LIMIT) {
        seterr(err, errlen, "max_doc_bytes %zu is above the limit of %zu", g->limit,
               (size_t)FH_INGEST_MAX_DOC_LIMIT);
        return FH_EINVAL;
    }
    g->cap_max = g->limit + FH_INGEST_SLACK;
    if (fh_dec_check(g->o.encoding, err, errlen) != 0)
        return FH_EINVAL;
    const char *given[F_N] = {g->o.field_id,     g->o.field_title, g->o.field_body,
                              g->o.field_source, g->o.field_url,   g->o.field_date};
    for (int f = 0; f < F_N; f++) {
        if (given[f] && !given[f][0]) {
            seterr(err, errlen, "empty name for field '%s'", field_label[f]);
            return FH_EINVAL;
        }
        g->names[f][0] = given[f] ? given[f] : field_label[f];
    }
    if (!given[F_BODY]) {
        g->names[F_BODY][1] = "text";
        g->names[F_BODY][2] = "content";
    }
    if (g->o.columns) {
        char e[200];
        int rc = parse_columns(g, g->o.columns, strlen(g->o.columns), ',', &g->cols, &g->ncols, e,
                               sizeof e);
        if (rc == FH_EINVAL)
            seterr(err, errlen, "columns '%s': %s", g->o.columns, e);
        if (rc != FH_OK)
            return rc;
    }
    return FH_OK;
}

int fh_ingest_opts_check(const fh_ingest_opts *o, char *err, size_t errlen)
{
    if (err && errlen > 0)
        err[0] = '\0';
    ing g;
    int rc = ing_init(&g, o, err, errlen);
    ing_free(&g);
    return rc;
}

/* ------------------------------------------------------------------ */
/* the buffer                                                          */

/*
 * Keep the unread bytes, make room, read more.  Returns 1 (bytes were
 * added), 0 (end of file), FH_EIO (errno in err_no), FH_ENOMEM.  The
 * buffer grows (doubling, up to cap_max) only when the unread bytes fill
 * it; every caller calls with fewer than limit + 2 unread bytes, so there
 * is always room.
 *
 * This is the one place bytes enter: through the decoder (decode.h), so
 * every reader sees UTF-8.  The buffer keeps room for a whole character
 * (the decoder needs 8 bytes to make progress).
 */
static int rd_fill(ing *g)
{
    if (g->eof)
        return 0;
    if (g->pos > 0) {
        memmove(g->buf, g->buf + g->pos, g->len - g->pos);
        g->len -= g->pos;
        g->pos = 0;
    }
    if (g->len + 8 >= g->cap) {
        if (g->cap >= g->cap_max)
            return FH_ENOMEM; /* not reached: see above */
        size_t nc = g->cap * 2 < g->cap_max ? g->cap * 2 : g->cap_max;
        char *nb = realloc(g->buf, nc);
        if (!nb)
            return FH_ENOMEM;
        g->buf = nb;
        g->cap = nc;
    }
    long got = fh_dec_read(g->dec, g->buf + g->len, g->cap - 1 - g->len, &g->err_no);
    if (got < 0)
        return FH_EIO;
    if (got == 0)
        g->eof = 1;
    g->len += (size_t)got;
    return got > 0 ? 1 : 0;
}

/* A failed rd_fill: report it; FH_OK to go on with the next file, or
 * FH_ENOMEM to stop. */
static int rd_failed(ing *g, int rc)
{
    if (rc == FH_EIO) {
        reject(g, g->line, "read error: %s", strerror(g->err_no ? g->err_no : EIO));
        g->status = FH_EIO;
        return FH_OK;
    }
    reject(g, g->line, "out of memory");
    return FH_ENOMEM;
}

/* Skip n unread bytes, counting their line ends. */
static void rd_skip(ing *g, size_t n)
{
    const char *p = g->buf + g->pos, *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
        p++, g->line++;
    g->pos += n;
}

enum { LN_END = 0, LN_OK = 1, LN_LONG = 2 };

/*
 * The next line, without its "\n" or "\r\n", in [*p, *p + *n); *unended is
 * 1 if it is the last line of a file that does not end with a line end.
 * g->line becomes its number.  Returns LN_OK, LN_END, LN_LONG (the line is
 * longer than the cap: it was skipped to its end with bounded memory), or a
 * negative status from rd_fill.  *p is valid until the next call.
 */
static int rd_line(ing *g, char **p, size_t *n, int *unended)
{
    size_t scan = 0; /* bytes after pos known to hold no '\n' */
    for (;;) {
        char *s = g->buf + g->pos;
        size_t avail = g->len - g->pos;
        char *nl = scan < avail ? memchr(s + scan, '\n', avail - scan) : NULL;
        if (nl || (g->eof && avail > 0)) {
            size_t k = nl ? (size_t)(nl - s) : avail;
            g->pos += nl ? k + 1 : k;
            g->line++;
            *unended = !nl;
            if (k > 0 && s[k - 1] == '\r')
                k--;
            if (k > g->limit)
                return LN_LONG;
            *p = s;
            *n = k;
            return LN_OK;
        }
        if (g->eof)
            return LN_END;
        if (avail > g->limit + 1) { /* no line end within the cap (+ a CR) */
            g->line++;
            for (;;) {
                g->pos = g->len;
                int rc = rd_fill(g);
                if (rc < 0)
                    return rc;
                if (rc == 0)
                    return LN_LONG;
                nl = memchr(g->buf + g->pos, '\n', g->len - g->pos);
                if (nl) {
                    g->pos = (size_t)(nl - g->buf) + 1;
                    return LN_LONG;
                }
            }
        }
        scan = avail;
        int rc = rd_fill(g);
        if (rc < 0)
            return rc;
    }
}

/* ------------------------------------------------------------------ */
/* delivering a document                                               */

/*
 * Check and hand over one record's fields.  f[F_ID] empty: id is idtext if
 * given, else "NAME:LINE".  Empty fields become NULL; the others get a NUL
 * after them (every field's next byte is in the buffer and no longer
 * needed).  Returns FH_OK, or the callback's non-zero value.
 */
static int deliver(ing *g, span *f, unsigned long line, const char *idtext)
{
    if (!f[F_TITLE].n && !f[F_BODY].n) {
        reject(g, line, "no title or body");
        return FH_OK;
    }
    const char *id = NULL;
    size_t id_len = 0;
    if (f[F_ID].n) {
        id = f[F_ID].p;
        id_len = f[F_ID].n;
    } else if (idtext) {
        id = idtext;
        id_len = strlen(idtext);
    } else {
        size_t need = strlen(g->idbase) + 24;
        if (need > g->idcap) {
            char *nb = realloc(g->idbuf, need);
            if (!nb) {
                reject(g, line, "out of memory");
                return FH_ENOMEM;
            }
            g->idbuf = nb;
            g->idcap = need;
        }
        int k = snprintf(g->idbuf, g->idcap, "%s:%lu", g->idbase, line);
        id = g->idbuf;
        id_len = k > 0 ? (size_t)k : 0;
    }
    const char *v[F_N];
    size_t vn[F_N];
    for (int i = 0; i < F_N; i++) {
        v[i] = f[i].n ? f[i].p : NULL;
        vn[i] = f[i].n;
        if (f[i].n)
            f[i].p[f[i].n] = '\0';
    }
    fh_doc d;
    d.id = id;
    d.id_len = id_len;
    d.title = v[F_TITLE];
    d.title_len = vn[F_TITLE];
    d.body = v[F_BODY];
    d.body_len = vn[F_BODY];
    d.source = v[F_SOURCE];
    d.source_len = vn[F_SOURCE];
    d.url = v[F_URL];
    d.url_len = vn[F_URL];
    d.date = v[F_DATE];
    d.date_len = vn[F_DATE];
    d.file = g->file;
    d.line = line;
    return g->doc_fn(g->ctx, &d);
}

/* ------------------------------------------------------------------ */
/* txt                                                                 */

static int read_txt(ing *g)
{
    for (;;) {
        if (g->len - g->pos > g->limit) {
            reject_too_large(g, 1, "");
            return FH_OK; /* the rest of the file is not read */
        }
        if (g->eof)
            break;
        int rc = rd_fill(g);
        if (rc < 0)
            return rd_failed(g, rc);
    }
    char *s = g->buf + g->pos, *end = g->buf + g->len;
    span f[F_N];
    memset(f, 0, sizeof f);
    for (char *ls = s; ls < end;) {
        char *nl = memchr(ls, '\n', (size_t)(end - ls));
        char *le = nl ? nl : end;
        span t = trim(ls, (size_t)(le - ls));
        if (t.n) {
            f[F_TITLE] = t;
            if (nl)
                f[F_BODY] = trim(nl + 1, (size_t)(end - nl - 1));
            break;
        }
        ls = le + (nl != NULL);
    }
    g->pos = g->len;
    if (!f[F_TITLE].n) {
        reject(g, 1, "empty file");
        return FH_OK;
    }
    return deliver(g, f, 1, g->idbase);
}

/* ------------------------------------------------------------------ */
/* JSON: a small validating scanner that decodes strings in place       */

enum { JV_STRING, JV_NUMBER, JV_OBJECT, JV_ARRAY, JV_TRUE, JV_FALSE, JV_NULL };

static const char *const jv_name[] = {"a string", "a number", "an object", "an array",
                                      "true",     "false",    "null"};

typedef struct js {
    char *s;
    size_t n, i;
    const char *err; /* first error: what, where, and whether the input ran out */
    size_t err_at;
    int err_end;
    char msg[64];
} js;

static int js_fail(js *j, size_t at, const char *what, int at_end)
{
    if (!j->err) {
        j->err = what;
        j->err_at = at;
        j->err_end = at_end;
    }
    return -1;
}

static int js_unexpected(js *j, const char *expected)
{
    if (j->i >= j->n)
        return js_fail(j, j->n, "unexpected end of line", 1);
    unsigned c = (unsigned char)j->s[j->i];
    if (c == 0)
        return js_fail(j, j->i, "raw NUL byte", 0);
    if (expected)
        snprintf(j->msg, sizeof j->msg, "expected %s", expected);
    else if (c > 0x20 && c < 0x7F)
        snprintf(j->msg, sizeof j->msg, "unexpected character '%c'", (char)c);
    else
        snprintf(j->msg, sizeof j->msg, "unexpected byte 0x%02X", c);
    return js_fail(j, j->i, j->msg, 0);
}

static void js_ws(js *j)
{
    while (j->i < j->n) {
        char c = j->s[j->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        j->i++;
    }
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* 4 hex digits at p (end: the input's end): 1 and the value, 0 not hex,
 * -1 the input ends first. */
static int hex4(const char *p, const char *end, uint32_t *u)
{
    uint32_t v = 0;
    for (int k = 0; k < 4; k++) {
        if (p + k >= end)
            return -1;
        int h = hexval((unsigned char)p[k]);
        if (h < 0)
            return 0;
        v = v << 4 | (uint32_t)h;
    }
    *u = v;
    return 1;
}

/* The string at s[i] == '"', decoded in place (it only shrinks). */
static int js_string(js *j, char **out, size_t *outlen)
{
    char *s = j->s, *r = s + j->i + 1, *end = s + j->n, *w = r, *start = r;
    size_t quote = j->i;
    for (;;) {
        while (r < end && *r != '"' && *r != '\\' && (unsigned char)*r >= 0x20)
            *w++ = *r++;
        if (r >= end)
            return js_fail(j, quote, "unterminated string", 1);
        unsigned c = (unsigned char)*r;
        if (c == '"')
            break;
        if (c < 0x20) {
            if (c == 0)
                return js_fail(j, (size_t)(r - s), "raw NUL byte in string", 0);
            snprintf(j->msg, sizeof j->msg, "unescaped control character 0x%02X in string", c);
            return js_fail(j, (size_t)(r - s), j->msg, 0);
        }
        /* a backslash */
        if (r + 1 >= end)
            return js_fail(j, quote, "unterminated string", 1);
        char e = r[1];
        const char *simple = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *hit = e ? strchr(simple, e) : NULL;
        if (hit) {
            *w++ = to[hit - simple];
            r += 2;
            continue;
        }
        if (e != 'u') {
            if (e > 0x20 && e < 0x7F)
                snprintf(j->msg, sizeof j->msg, "bad escape '\\%c'", e);
            else
                snprintf(j->msg, sizeof j->msg, "bad escape: '\\' then byte 0x%02X",
                         (unsigned char)e);
            return js_fail(j, (size_t)(r - s), j->msg, 0);
        }
        uint32_t u = 0, lo = 0;
        int h = hex4(r + 2, end, &u);
        if (h < 0)
            return js_fail(j, quote, "unterminated string", 1);
        if (h == 0)
            return js_fail(j, (size_t)(r - s), "bad \\u escape (4 hex digits expected)", 0);
        r += 6;
        if (u >= 0xD800 && u <= 0xDBFF) {
            if (end - r >= 6 && r[0] == '\\' && r[1] == 'u' && hex4(r + 2, end, &lo) == 1 &&
                lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                r += 6;
            } else
                u = 0xFFFD; /* a lone high surrogate */
        } else if (u >= 0xDC00 && u <= 0xDFFF)
            u = 0xFFFD; /* a lone low surrogate */
        w += utf8_put(w, u);
    }
    *out = start;
    *outlen = (size_t)(w - start);
    j->i = (size_t)(r - s) + 1;
    return 0;
}

static int js_digits(js *j)
{
    size_t at = j->i;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
        j->i++;
    if (j->i > at)
        return 0;
    if (j->i >= j->n)
        return js_fail(j, j->n, "unexpected end of line", 1);
    return js_fail(j, j->i, "bad number", 0);
}

static int js_number(js *j)
{
    if (j->s[j->i] == '-')
        j->i++;
    if (j->i < j->n && j->s[j->i] == '0') {
        j->i++;
        if (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
            return js_fail(j, j->i - 1, "bad number (a leading zero)", 0);
    } else if (js_digits(j))
        return -1;
    if (j->i < j->n && j->s[j->i] == '.') {
        j->i++;
        if (js_digits(j))
            return -1;
    }
    if (j->i < j->n && (j->s[j->i] == 'e' || j->s[j->i] == 'E')) {
        j->i++;
        if (j->i < j->n && (j->s[j->i] == '+' || j->s[j->i] == '-'))
            j->i++;
        if (js_digits(j))
            return -1;
    }
    return 0;
}

static int js_literal(js *j, const char *word)
{
    for (size_t k = 0; word[k]; k++, j->i++) {
        if (j->i >= j->n)
            return js_fail(j, j->n, "unexpected end of line", 1);
        if (j->s[j->i] != word[k])
            return js_unexpected(j, NULL);
    }
    return 0;
}

/* One value at s[i] (after spaces); its type, and for a string or a
 * number its (decoded) text.  depth: containers already open. */
static int js_value(js *j, int depth, int *type, char **p, size_t *len)
{
    js_ws(j);
    if (j->i >= j->n)
        return js_unexpected(j, NULL);
    char c = j->s[j->i];
    *p = NULL;
    *len = 0;
    if (c == '"') {
        *type = JV_STRING;
        return js_string(j, p, len);
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        size_t at = j->i;
        *type = JV_NUMBER;
        if (js_number(j))
            return -1;
        *p = j->s + at;
        *len = j->i - at;
        return 0;
    }
    if (c == 't')
        return *type = JV_TRUE, js_literal(j, "true");
    if (c == 'f')
        return *type = JV_FALSE, js_literal(j, "false");
    if (c == 'n')
        return *type = JV_NULL, js_literal(j, "null");
    if (c != '{' && c != '[')
        return js_unexpected(j, NULL);
    if (depth >= JSON_MAX_DEPTH)
        return js_fail(j, j->i, "nested more than 256 levels deep", 0);
    int obj = c == '{';
    char close = obj ? '}' : ']';
    *type = obj ? JV_OBJECT : JV_ARRAY;
    j->i++;
    js_ws(j);
    if (j->i < j->n && j->s[j->i] == close) {
        j->i++;
        return 0;
    }
    for (;;) {
        int t;
        char *q;
        size_t ql;
        if (obj) {
            js_ws(j);
            if (j->i >= j->n || j->s[j->i] != '"')
                return js_unexpected(j, "'\"' (a member name)");
            if (js_string(j, &q, &ql))
                return -1;
            js_ws(j);
            if (j->i >= j->n || j->s[j->i] != ':')
                return js_unexpected(j, "':' after the member name");
            j->i++;
        }
        if (js_value(j, depth + 1, &t, &q, &ql))
            return -1;
        js_ws(j);
        if (j->i < j->n && j->s[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->i < j->n && j->s[j->i] == close) {
            j->i++;
            return 0;
        }
        return js_unexpected(j, obj ? "',' or '}'" : "',' or ']'");
    }
}

/* One jsonl line (not blank).  Each known member fills the slot of its
 * field and name rank (last one wins; null empties it); then each field
 * takes its best-ranked non-empty slot, so "body" beats "text" whatever
 * their order, and a "body": null leaves "text" in charge. */
static int jsonl_record(ing *g, char *s, size_t n, int unended)
{
    js j;
    memset(&j, 0, sizeof j);
    j.s = s;
    j.n = n;
    span slot[F_N][3];
    int stype[F_N][3]; /* JV_* of the value in the slot; JV_NULL: none */
    memset(slot, 0, sizeof slot);
    for (int i = 0; i < F_N; i++)
        for (int r = 0; r < 3; r++)
            stype[i][r] = JV_NULL;
    int type = JV_NULL;
    js_ws(&j);
    if (s[j.i] != '{') {
        char *q;
        size_t ql;
        js_value(&j, 0, &type, &q, &ql);
    } else {
        type = JV_OBJECT;
        j.i++;
        js_ws(&j);
        if (j.i < n && s[j.i] == '}')
            j.i++;
        else
            for (;;) {
                char *key, *v;
                size_t keylen, vlen;
                int t;
                js_ws(&j);
                if (j.i >= n || s[j.i] != '"') {
                    js_unexpected(&j, "'\"' (a member name)");
                    break;
                }
                if (js_string(&j, &key, &keylen))
                    break;
                js_ws(&j);
                if (j.i >= n || s[j.i] != ':') {
                    js_unexpected(&j, "':' after the member name");
                    break;
                }
                j.i++;
                int r = 0, fi = field_of(g, key, keylen, 0, &r);
                if (js_value(&j, 1, &t, &v, &vlen))
                    break;
                if (fi >= 0) {
                    slot[fi][r] = (span){v, vlen};
                    stype[fi][r] = t;
                }
                js_ws(&j);
                if (j.i < n && s[j.i] == ',') {
                    j.i++;
                    continue;
                }
                if (j.i < n && s[j.i] == '}') {
                    j.i++;
                    break;
                }
                js_unexpected(&j, "',' or '}'");
                break;
            }
    }
    if (!j.err) {
        js_ws(&j);
        if (j.i < n)
            js_fail(&j, j.i, "data after the end of the value", 0);
    }
    if (j.err) {
        reject(g, g->line, "invalid JSON at byte %zu: %s%s", j.err_at, j.err,
               j.err_end && unended ? " (truncated last line)" : "");
        return FH_OK;
    }
    if (type != JV_OBJECT) {
        reject(g, g->line, "not a JSON object (%s)", jv_name[type]);
        return FH_OK;
    }
    span f[F_N];
    memset(f, 0, sizeof f);
    for (int i = 0; i < F_N; i++)
        for (int r = 0; r < 3 && g->names[i][r]; r++) {
            int t = stype[i][r];
            if (t == JV_NULL || ((t == JV_STRING || t == JV_NUMBER) && slot[i][r].n == 0))
                continue;
            if (t != JV_STRING && t != JV_NUMBER) {
                reject(g, g->line, "field \"%s\" is %s, not a string", g->names[i][r], jv_name[t]);
                return FH_OK;
            }
            f[i] = slot[i][r];
            break;
        }
    return deliver(g, f, g->line, NULL);
}

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

static int read_jsonl(ing *g)
{
    for (;;) {
        char *s;
        size_t n;
        int unended, rc = rd_line(g, &s, &n, &unended);
        if (rc < 0)
            return rd_failed(g, rc);
        if (rc == LN_END)
            return FH_OK;
        if (rc == LN_LONG) {
            reject_too_large(g, g->line, "");
            continue;
        }
        if (is_blank(s, n))
            continue;
        rc = jsonl_record(g, s, n, unended);
        if (rc)
            return rc;
    }
}

/* ------------------------------------------------------------------ */
/* tsv                                                                 */

static int read_tsv(ing *g)
{
    signed char *own = NULL, *cols = g->cols;
    size_t ncols = g->ncols;
    int rc = FH_OK;
    for (;;) {
        char *s;
        size_t n;
        int unended;
        rc = rd_line(g, &s, &n, &unended);
        if (rc < 0) {
            rc = rd_failed(g, rc);
            break;
        }
        if (rc == LN_END) {
            rc = FH_OK;
            break;
        }
        if (rc == LN_LONG) {
            rc = FH_OK;
            if (!cols) {
                reject_too_large(g, g->line, " (the header line; file skipped)");
                break;
            }
            reject_too_large(g, g->line, "");
            continue;
        }
        if (n == 0)
            continue;
        if (!cols) { /* the header */
            char e[200];
            rc = parse_columns(g, s, n, '\t', &own, &ncols, e, sizeof e);
            if (rc == FH_ENOMEM) {
                reject(g, g->line, "out of memory");
                break;
            }
            if (rc == FH_EINVAL) {
                reject(g, g->line, "header line: %s; file skipped", e);
                rc = FH_OK;
                break;
            }
            cols = own;
            continue;
        }
        span f[F_N];
        memset(f, 0, sizeof f);
        size_t k = 0;
        char *q = s, *end = s + n;
        for (;;) {
            char *t = memchr(q, '\t', (size_t)(end - q));
            char *fe = t ? t : end;
            if (k < ncols && cols[k] >= 0)
                f[cols[k]] = (span){q, (size_t)(fe - q)};
            k++;
            if (!t)
                break;
            q = t + 1;
        }
        if (k != ncols) {
            reject(g, g->line, "expected %zu fields, found %zu", ncols, k);
            continue;
        }
        rc = deliver(g, f, g->line, NULL);
        if (rc)
            break;
    }
    free(own);
    return rc;
}

/* ------------------------------------------------------------------ */
/* trec                                                                */

enum { TAG_NONE, TAG_OPEN, TAG_CLOSE };

/*
 * Find the next "<DOC" tag (followed by a space or '>') or "</DOC>" tag
 * (spaces allowed before '>') in p[from..n), without case.  Returns its
 * offset and sets *kind (for a close tag *end is just past its '>').  With
 * none, *kind is TAG_NONE and the offset returned is where scanning must
 * resume: n, or a '<' that needs more bytes to be told apart (not at eof).
 */
static size_t find_doc_tag(const char *p, size_t n, size_t from, int eof, int *kind, size_t *end)
{
    size_t i = from;
    *kind = TAG_NONE;
    while (i < n) {
        const char *lt = memchr(p + i, '<', n - i);
        if (!lt)
            break;
        size_t k = (size_t)(lt - p);
        i = k + 1;
        if (n - k < 6 && !eof)
            return k; /* "</doc" and one more byte */
        int close = n - k > 1 && p[k + 1] == '/';
        size_t a = k + 1 + (size_t)close;
        if (n - a < 4 || !ieq(p + a, 3, "doc"))
            continue;
        a += 3;
        if (!close) {
            if (p[a] == '>' || is_space((unsigned char)p[a])) {
                *kind = TAG_OPEN;
                return k;
            }
            continue;
        }
        size_t lim = a + TAG_SPACE_MAX;
        while (a < n && a < lim && is_space((unsigned char)p[a]))
            a++;
        if (a >= n) {
            if (!eof)
                return k;
            continue;
        }
        if (p[a] == '>') {
            *kind = TAG_CLOSE;
            *end = a + 1;
            return k;
        }
    }
    return n;
}

/* Just past the '>' that ends the tag whose name ends at p[i], quotes
 * respected; 0 if there is none before n. */
static size_t tag_end(const char *p, size_t i, size_t n)
{
    char quote = 0;
    for (; i < n; i++) {
        char c = p[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'')
            quote = c;
        else if (c == '>')
            return i + 1;
    }
    return 0;
}

/* At r[0] == '&': decode one entity into *w (never more bytes than it
 * takes); an unknown one is kept as written.  Returns the bytes taken. */
static size_t xml_entity(const char *r, const char *end, char **w)
{
    static const struct {
        const char *name;
        size_t len;
        char c;
    } named[] = {{"&amp;", 5, '&'},
                 {"&lt;", 4, '<'},
                 {"&gt;", 4, '>'},
                 {"&quot;", 6, '"'},
                 {"&apos;", 6, '\''}};
    size_t m = (size_t)(end - r);
    for (size_t k = 0; k < sizeof named / sizeof named[0]; k++)
        if (m >= named[k].len && memcmp(r, named[k].name, named[k].len) == 0) {
            *(*w)++ = named[k].c;
            return named[k].len;
        }
    if (m >= 4 && r[1] == '#') {
        int hex = r[2] == 'x' || r[2] == 'X';
        size_t i = hex ? 3 : 2, nd = 0;
        uint32_t v = 0;
        for (; i < m; i++, nd++) {
            int d =
                hex ? hexval((unsigned char)r[i]) : (r[i] >= '0' && r[i] <= '9' ? r[i] - '0' : -1);
            if (d < 0)
                break;
            if (v <= 0x10FFFF)
                v = v * (hex ? 16u : 10u) + (uint32_t)d; /* saturates above U+10FFFF */
        }
        if (nd > 0 && i < m && r[i] == ';') {
            if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
                v = 0xFFFD;
            *w += utf8_put(*w, v); /* "&#0;" is 4 bytes: no reference grows */
            return i + 1;
        }
    }
    *(*w)++ = '&';
    return 1;
}

/* Element content, decoded in place: entities, inner markup to one space,
 * CDATA verbatim, comments removed.  Returns the new length. */
static size_t xml_text(char *s, size_t n, int markup)
{
    char *r = s, *end = s + n, *w = s;
    while (r < end) {
        char c = *r;
        if (c == '&') {
            r += xml_entity(r, end, &w);
            continue;
        }
        if (c == '<' && markup && end - r >= 2) {
            char d = r[1];
            if (end - r >= 9 && memcmp(r, "<![CDATA[", 9) == 0) {
                char *cs = r + 9, *ce = cs;
                while (ce + 2 < end && memcmp(ce, "]]>", 3) != 0)
                    ce++;
                int closed = ce + 2 < end;
                if (!closed)
                    ce = end;
                memmove(w, cs, (size_t)(ce - cs));
                w += ce - cs;
                r = closed ? ce + 3 : end;
                continue;
            }
            if (end - r >= 4 && memcmp(r, "<!--", 4) == 0) {
                char *ce = r + 4;
                while (ce + 2 < end && memcmp(ce, "-->", 3) != 0)
                    ce++;
                r = ce + 2 < end ? ce + 3 : end;
                continue;
            }
            if (is_alpha((unsigned char)d) || d == '/' || d == '!' || d == '?') {
                char *gt = memchr(r, '>', (size_t)(end - r));
                if (gt) {
                    r = gt + 1;
                    if (w > s && !is_space((unsigned char)w[-1]))
                        *w++ = ' ';
                    continue;
                }
            }
        }
        *w++ = *r++;
    }
    return (size_t)(w - s);
}

/* The value of attribute name (lower case) in the tag text p[0..n). */
static int tag_attr(char *p, size_t n, const char *name, span *out)
{
    size_t nl = strlen(name), i = 0;
    while (i < n) {
        while (i < n && !is_alpha((unsigned char)p[i]))
            i++;
        size_t a = i;
        while (i < n && (is_alpha((unsigned char)p[i]) || p[i] == '_' || p[i] == '-' ||
                         p[i] == ':' || (p[i] >= '0' && p[i] <= '9')))
            i++;
        size_t an = i - a;
        while (i < n && is_space((unsigned char)p[i]))
            i++;
        if (i >= n || p[i] != '=')
            continue;
        i++;
        while (i < n && is_space((unsigned char)p[i]))
            i++;
        size_t vs, ve;
        if (i < n && (p[i] == '"' || p[i] == '\'')) {
            char q = p[i++];
            vs = i;
            while (i < n && p[i] != q)
                i++;
            ve = i;
            if (i < n)
                i++;
        } else {
            vs = i;
            while (i < n && !is_space((unsigned char)p[i]) && p[i] != '>')
                i++;
            ve = i;
        }
        if (an == nl && ieq(p + a, an, name)) {
            *out = trim(p + vs, xml_text(p + vs, ve - vs, 0));
            return 1;
        }
    }
    return 0;
}

static int trec_field(const char *name, size_t n)
{
    if (ieq(name, n, "docno"))
        return F_ID;
    if (ieq(name, n, "title") || ieq(name, n, "headline"))
        return F_TITLE;
    if (ieq(name, n, "text"))
        return F_BODY;
    if (ieq(name, n, "src"))
        return F_SOURCE;
    if (ieq(name, n, "time"))
        return F_DATE;
    if (ieq(name, n, "url"))
        return F_URL;
    return -1;
}

static unsigned long count_lines(const char *p, size_t n)
{
    unsigned long k = 0;
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
        p++, k++;
    return k;
}

/*
 * One record: "<DOC" at p[0] ... the '<' of its "</DOC" at p[cstart].  The
 * elements are all found first, on the record as written (so that line
 * numbers in messages are right), then decoded in place.
 */
static int trec_record(ing *g, char *p, size_t cstart, unsigned long line)
{
    size_t oe = tag_end(p, 4, cstart);
    if (!oe) {
        reject(g, line, "<DOC> tag not closed by '>'");
        return FH_OK;
    }
    size_t from[F_N], to[F_N]; /* each element's content, if seen */
    int seen[F_N] = {0};
    size_t i = oe;
    for (;;) {
        char *lt = memchr(p + i, '<', cstart - i);
        if (!lt)
            break;
        size_t k = (size_t)(lt - p), a = k + 1, e = a;
        i = a;
        while (e < cstart && (is_alpha((unsigned char)p[e]) || (p[e] >= '0' && p[e] <= '9') ||
                              p[e] == '_' || p[e] == '-' || p[e] == ':' || p[e] == '.'))
            e++;
        int fi = trec_field(p + a, e - a);
        if (fi < 0 || seen[fi] || e >= cstart ||
            !(p[e] == '>' || p[e] == '/' || is_space((unsigned char)p[e])))
            continue;
        seen[fi] = 1;
        size_t te = tag_end(p, e, cstart), nl = e - a;
        if (!te) {
            reject(g, line, "<%.*s> tag at line %lu not closed by '>'", (int)nl, p + a,
                   line + count_lines(p, k));
            return FH_OK;
        }
        from[fi] = to[fi] = te;
        if (p[te - 2] == '/') { /* <TITLE/>: empty */
            i = te;
            continue;
        }
        /* the close tag: "</" name, spaces, '>' */
        size_t c = te, ce = 0;
        for (char *q; !ce && (q = memchr(p + c, '<', cstart - c)) != NULL;) {
            c = (size_t)(q - p);
            size_t b = c + 2 + nl;
            if (b < cstart && p[c + 1] == '/') {
                int same = 1;
                for (size_t x = 0; x < nl && same; x++)
                    same = lower((unsigned char)p[c + 2 + x]) == lower((unsigned char)p[a + x]);
                while (same && b < cstart && is_space((unsigned char)p[b]))
                    b++;
                if (same && b < cstart && p[b] == '>')
                    ce = b + 1;
            }
            if (!ce)
                c++;
        }
        if (!ce) {
            reject(g, line, "<%.*s> at line %lu not closed", (int)nl, p + a,
                   line + count_lines(p, k));
            return FH_OK;
        }
        to[fi] = c;
        i = ce;
    }
    span f[F_N];
    memset(f, 0, sizeof f);
    for (int fi = 0; fi < F_N; fi++)
        if (seen[fi])
            f[fi] = trim(p + from[fi], xml_text(p + from[fi], to[fi] - from[fi], 1));
    if (!f[F_ID].n) /* Gigaword style: <DOC id="..."> */
        tag_attr(p + 4, oe - 5, "id", &f[F_ID]);
    if (!f[F_ID].n) {
        reject(g, line, "<DOC> without <DOCNO>");
        return FH_OK;
    }
    return deliver(g, f, line, NULL);
}

static int read_trec(ing *g)
{
    enum { OUT, IN, SKIP } st = OUT;
    size_t scan = 0; /* offset after pos up to which no tag starts */
    unsigned long start = 0;
    g->line = 1;
    for (;;) {
        char *p = g->buf + g->pos;
        size_t n = g->len - g->pos, end = 0;
        int kind;
        size_t k = find_doc_tag(p, n, scan, g->eof, &kind, &end);
        if (kind == TAG_OPEN && st == IN)
            reject(g, start, "<DOC> not closed before the next <DOC> (line %lu)",
                   g->line + count_lines(p, k));
        else if (kind == TAG_OPEN && st == SKIP)
            reject_too_large(g, start, "; <DOC> not closed before the next <DOC>");
        if (kind == TAG_OPEN) {
            rd_skip(g, k);
            st = IN;
            start = g->line;
            scan = 5;
            continue;
        }
        if (kind == TAG_CLOSE) {
            int rc = FH_OK;
            /* count the line ends first: decoding rewrites the record */
            unsigned long nl = count_lines(p, end);
            if (st == IN && end > g->limit)
                reject_too_large(g, start, "");
            else if (st == IN)
                rc = trec_record(g, p, k, start);
            else if (st == SKIP)
                reject_too_large(g, start, "");
            /* OUT: a stray </DOC>, ignored like all text outside DOCs */
            g->pos += end;
            g->line += nl;
            st = OUT;
            scan = 0;
            if (rc)
                return rc;
            continue;
        }
        /* no tag in [scan, k) */
        if (st == IN) {
            scan = k;
            if (n > g->limit) {
                st = SKIP;
                rd_skip(g, k);
                scan = 0;
            }
        } else {
            rd_skip(g, k);
            scan = 0;
        }
        if (g->eof) {
            if (st == IN)
                reject(g, start, "<DOC> not closed at the end of the file");
            else if (st == SKIP)
                reject_too_large(g, start, "; <DOC> not closed at the end of the file");
            return FH_OK;
        }
        int rc = rd_fill(g);
        if (rc < 0)
            return rd_failed(g, rc);
    }
}

/* ------------------------------------------------------------------ */
/* formats, encodings                                                  */

static int by_extension(const char *name)
{
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return FH_FMT_AUTO;
    const char *x = dot + 1;
    size_t n = strlen(x);
    if (ieq(x, n, "txt"))
        return FH_FMT_TXT;
    if (ieq(x, n, "jsonl") || ieq(x, n, "json") || ieq(x, n, "ndjson"))
        return FH_FMT_JSONL;
    if (ieq(x, n, "tsv"))
        return FH_FMT_TSV;
    if (ieq(x, n, "trec") || ieq(x, n, "xml") || ieq(x, n, "sgml"))
        return FH_FMT_TREC;
    return FH_FMT_AUTO;
}

static int sniff(const char *s, size_t n)
{
    size_t i = 0;
    for (;;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (i >= n)
            break;
        if (s[i] == '{')
            return FH_FMT_JSONL;
        if (s[i] != '<')
            break;
        if (n - i >= 2 && (s[i + 1] == '?' || s[i + 1] == '!')) { /* prologue */
            const char *gt = memchr(s + i, '>', n - i);
            if (!gt)
                break;
            i = (size_t)(gt - s) + 1;
            continue;
        }
        if (n - i >= 5 && ieq(s + i + 1, 3, "doc") &&
            (s[i + 4] == '>' || is_space((unsigned char)s[i + 4])))
            return FH_FMT_TREC;
        break;
    }
    const char *nl = memchr(s, '\n', n);
    if (memchr(s, '\t', nl ? (size_t)(nl - s) : n))
        return FH_FMT_TSV;
    return FH_FMT_TXT;
}

/* The decoder's problems are the file's. */
static void on_dec_warn(void *ctx, unsigned long line, const char *msg)
{
    reject((ing *)ctx, line, "%s", msg);
}

/* Read one open stream.  Returns FH_OK (problems reported; FH_EIO noted in
 * g->status), the callback's stop value, or FH_ENOMEM. */
static int read_stream(ing *g, FILE *f, const char *file, const char *idbase)
{
    g->f = f;
    g->file = file;
    g->idbase = idbase;
    g->pos = g->len = 0;
    g->eof = 0;
    g->err_no = 0;
    g->line = 0;
    if (!g->buf) {
        g->cap = g->cap_max < FH_INGEST_CHUNK ? g->cap_max : FH_INGEST_CHUNK;
        g->buf = malloc(g->cap);
        if (!g->buf) {
            reject(g, 0, "out of memory");
            return FH_ENOMEM;
        }
    }
    if (!g->dec && !(g->dec = fh_dec_new())) {
        reject(g, 0, "out of memory");
        return FH_ENOMEM;
    }
    const char *enc;
    int rc0 = fh_dec_start(g->dec, f, g->o.encoding, on_dec_warn, g, &enc, &g->err_no);
    if (rc0 == FH_EINVAL) {
        reject(g, 0, "cannot decode %s input here (iconv)", enc);
        return FH_OK;
    }
    if (rc0 < 0)
        return rd_failed(g, rc0);
    while (g->len < 4 && !g->eof) {
        int rc = rd_fill(g);
        if (rc < 0)
            return rd_failed(g, rc);
    }
    if (g->len >= 3 && memcmp(g->buf, "\xEF\xBB\xBF", 3) == 0)
        g->pos = 3;
    int fmt = g->o.format;
    if (fmt == FH_FMT_AUTO)
        fmt = by_extension(file);
    if (fmt == FH_FMT_AUTO)
        fmt = sniff(g->buf + g->pos, g->len - g->pos);
    switch (fmt) {
    case FH_FMT_TXT:
        return read_txt(g);
    case FH_FMT_JSONL:
        return read_jsonl(g);
    case FH_FMT_TSV:
        return read_tsv(g);
    default:
        return read_trec(g);
    }
}

/* ------------------------------------------------------------------ */
/* paths                                                               */

static int read_file(ing *g, const char *path, const char *idbase)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        g->file = path;
        reject(g, 0, "cannot open: %s", strerror(errno));
        g->status = FH_EIO;
        return FH_OK;
    }
    int rc = read_stream(g, f, path, idbase);
    fclose(f);
    return rc;
}

/* a "/" b, without doubling a '/' that ends a. */
static char *join(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int slash = na > 0 && a[na - 1] != '/';
    char *s = malloc(na + (size_t)slash + nb + 1);
    if (!s)
        return NULL;
    memcpy(s, a, na);
    if (slash)
        s[na] = '/';
    memcpy(s + na + slash, b, nb + 1);
    return s;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* Walk directory dir; rel is its path relative to the directory given
 * ("" at the top). */
static int walk_dir(ing *g, const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    if (!d) {
        g->file = dir;
        reject(g, 0, "cannot open directory: %s", strerror(errno));
        g->status = FH_EIO;
        return FH_OK;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = FH_OK;
    for (;;) {
        errno = 0;
        struct dirent *e = readdir(d);
        if (!e) {
            if (errno) {
                g->file = dir;
                reject(g, 0, "cannot read directory: %s", strerror(errno));
                g->status = FH_EIO;
            }
            break;
        }
        if (e->d_name[0] == '.') /* ".", "..", hidden files */
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = FH_ENOMEM;
                break;
            }
            names = nn;
            cap = nc;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = FH_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == FH_OK && n > 1)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == FH_OK; i++) {
        char *path = join(dir, names[i]);
        char *r = rel[0] ? join(rel, names[i]) : strdup(names[i]);
        struct stat st;
        int link = 0;
        if (!path || !r)
            rc = FH_ENOMEM;
        else if (lstat(path, &st) != 0 ||
                 ((link = S_ISLNK(st.st_mode)) != 0 && stat(path, &st) != 0)) {
            g->file = path;
            reject(g, 0, "cannot open: %s", strerror(errno));
            g->status = FH_EIO;
        } else if (S_ISDIR(st.st_mode) && link) {
            g->file = path;
            reject(g, 0, "symbolic link to a directory, not followed");
        } else if (S_ISDIR(st.st_mode))
            rc = walk_dir(g, path, r);
        else if (S_ISREG(st.st_mode))
            rc = read_file(g, path, r);
        else {
            g->file = path;
            reject(g, 0, "not a regular file");
            g->status = FH_EIO;
        }
        free(path);
        free(r);
    }
    if (rc == FH_ENOMEM) {
        g->file = dir;
        reject(g, 0, "out of memory");
    }
    free_names(names, n);
    return rc;
}

/* Set up a read of `file`: options checked (a bad one is reported to the
 * reject callback), callbacks in place.  Returns FH_OK or the status. */
static int ing_start(ing *g, const fh_ingest_opts *o, const char *file, fh_doc_fn doc_fn,
                     fh_reject_fn reject_fn, void *ctx)
{
    char err[256];
    int rc = ing_init(g, o, err, sizeof err);
    g->doc_fn = doc_fn;
    g->rej_fn = reject_fn;
    g->ctx = ctx;
    g->file = file;
    if (rc == FH_EINVAL)
        reject(g, 0, "bad options: %s", err);
    else if (rc == FH_ENOMEM)
        reject(g, 0, "out of memory");
    return rc;
}

int fh_ingest_path(const char *path, const fh_ingest_opts *o, fh_doc_fn doc_fn,
                   fh_reject_fn reject_fn, void *ctx)
{
    if (!path || !doc_fn)
        return FH_EINVAL;
    ing g;
    int rc = ing_start(&g, o, path, doc_fn, reject_fn, ctx);
    if (rc == FH_OK) {
        struct stat st;
        if (strcmp(path, "-") == 0)
            rc = read_stream(&g, stdin, "<stdin>", "<stdin>");
        else if (stat(path, &st) != 0) {
            reject(&g, 0, "cannot open: %s", strerror(errno));
            rc = FH_EIO;
        } else if (S_ISDIR(st.st_mode))
            rc = walk_dir(&g, path, "");
        else if (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))
            rc = read_file(&g, path, path);
        else {
            reject(&g, 0, "not a regular file");
            rc = FH_EIO;
        }
    }
    if (rc == FH_OK)
        rc = g.status;
    ing_free(&g);
    return rc;
}

int fh_ingest_stream(FILE *f, const char *name, const fh_ingest_opts *o, fh_doc_fn doc_fn,
                     fh_reject_fn reject_fn, void *ctx)
{
    if (!f || !doc_fn)
        return FH_EINVAL;
    if (!name)
        name = "<stream>";
    ing g;
    int rc = ing_start(&g, o, name, doc_fn, reject_fn, ctx);
    if (rc == FH_OK)
        rc = read_stream(&g, f, name, name);
    if (rc == FH_OK)
        rc = g.status;
    ing_free(&g);
    return rc;
}
