/*
 * ingest_harness.h — the body of the ingest-reader harnesses
 * (fuzz_jsonl.c, fuzz_tsv.c, fuzz_trec.c, fuzz_txt.c): each names its
 * format and adds the checks of its own format's rules.
 *
 * Input: 2 control bytes, then the file's bytes.
 *   byte 0  bits 0-2  the record cap (max_doc_bytes), from caps[] below
 *           bits 3-5  the file is the data repeated 1..8 times: a small
 *                     input crosses the read buffer's end (cap + 4 KB) at
 *                     every offset
 *           bit 6     the format's alternative options (fz_spec.alt)
 *           bit 7     FH_FMT_AUTO with a name without extension (sniffing)
 *   byte 1  < 16: the document callback stops at document byte 1 + 1
 *
 * Invariants for every format (ingest.h, sections 2, 3, 5): a delivered
 * document has an id and a title or a body; a field is NULL exactly when its
 * length is 0 and is followed by a NUL; no field outgrows the record cap;
 * file is the name given; lines are in order and inside the file; rejects
 * name the file and a reason; the read returns FH_OK, or the callback's
 * value when it stopped.  When the file is its data repeated and the
 * format's records are lines (fz_spec.periodic), each copy gives the same
 * documents and rejects as the first, lines shifted: where the buffer is
 * cut does not change what is read.
 */
#ifndef FH_FUZZ_INGEST_HARNESS_H
#define FH_FUZZ_INGEST_HARNESS_H

#include <string.h>

#include "fuzz.h"
#include "ingest.h"

typedef struct fz_spec {
    int format;   /* enum fh_format */
    const char *name; /* the file name given (its extension is the format's) */
    /* the format's other options (byte 0 bit 6), or NULL */
    void (*alt)(fh_ingest_opts *o);
    /* 1 if, with these options, every record is a line and stands alone */
    int (*periodic)(const fh_ingest_opts *o);
    /* the format's own checks of a delivered document, or NULL */
    void (*check)(const fh_doc *d, const fh_ingest_opts *o);
    int one_record; /* a file is one record: one document or one reject */
} fz_spec;

/* what a document or a reject was, for comparing copies */
typedef struct fz_rec {
    unsigned long line;
    uint64_t h;
} fz_rec;

typedef struct fz_run {
    const fz_spec *spec;
    const fh_ingest_opts *o;
    const char *name;
    size_t limit;
    unsigned long lines; /* lines in the file: '\n' count + 1 */
    unsigned long last_line;
    size_t ndocs, stop_at;
    int fixed; /* the format was given: its own checks apply */
    fz_rec *docs, *rejs;
    size_t nrej, capd, capr;
    size_t nrej0; /* rejects of the file itself (line 0) */
    size_t nnote; /* notes of undecodable bytes (not rejects) */
} fz_run;

static void fz_push(fz_rec **v, size_t *n, size_t *cap, unsigned long line, uint64_t h)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = realloc(*v, *cap * sizeof **v);
        FZ_CHECK(*v != NULL);
    }
    (*v)[*n].line = line;
    (*v)[*n].h = h;
    (*n)++;
}

static uint64_t fz_field(uint64_t h, const char *p, size_t n, size_t limit)
{
    FZ_CHECK((p == NULL) == (n == 0));
    if (p) {
        FZ_CHECK(p[n] == '\0');
        FZ_CHECK(n <= limit);
    }
    h = fz_hash(h, &n, sizeof n);
    return p ? fz_hash(h, p, n) : h;
}

static int fz_on_doc(void *ctx, const fh_doc *d)
{
    fz_run *r = ctx;
    FZ_CHECK(d->id && d->id_len > 0 && d->id[d->id_len] == '\0');
    FZ_CHECK(d->title_len > 0 || d->body_len > 0);
    FZ_CHECK(d->file && strcmp(d->file, r->name) == 0);
    FZ_CHECK(d->line >= 1 && d->line <= r->lines && d->line >= r->last_line);
    r->last_line = d->line;
    uint64_t h = FZ_HASH0;
    /* an id made from the line ("NAME:LINE") differs from copy to copy */
    size_t nl = strlen(r->name);
    if (!(d->id_len > nl && memcmp(d->id, r->name, nl) == 0 && d->id[nl] == ':'))
        h = fz_hash(h, d->id, d->id_len);
    h = fz_field(h, d->title, d->title_len, r->limit);
    h = fz_field(h, d->body, d->body_len, r->limit);
    h = fz_field(h, d->source, d->source_len, r->limit);
    h = fz_field(h, d->url, d->url_len, r->limit);
    h = fz_field(h, d->date, d->date_len, r->limit);
    if (r->fixed && r->spec->check)
        r->spec->check(d, r->o);
    fz_push(&r->docs, &r->ndocs, &r->capd, d->line, h);
    if (r->stop_at && r->ndocs == r->stop_at)
        return 7;
    return 0;
}

static void fz_on_reject(void *ctx, const char *file, unsigned long line, const char *reason)
{
    fz_run *r = ctx;
    FZ_CHECK(file && strcmp(file, r->name) == 0);
    FZ_CHECK(line <= r->lines);
    FZ_CHECK(reason && reason[0] && strlen(reason) < 512);
    if (fh_ingest_is_note(reason))
        r->nnote++; /* bytes replaced inside a record still delivered */
    else if (line == 0)
        r->nrej0++;
    else
        fz_push(&r->rejs, &r->nrej, &r->capr, line, fz_hash(FZ_HASH0, reason, strlen(reason)));
}

/* Records of copy k (lines [k*L+1, (k+1)*L]) equal those of copy 0. */
static void fz_check_copies(const fz_rec *v, size_t n, unsigned long per, size_t copies)
{
    FZ_CHECK(n % copies == 0);
    size_t m = n / copies;
    for (size_t i = 0; i < n; i++) {
        size_t k = i / m;
        const fz_rec *a = &v[i % m], *b = &v[i];
        FZ_CHECK(a->line <= per);
        FZ_CHECK(b->line == a->line + k * per && b->h == a->h);
    }
}

/* the record caps byte 0 chooses from; 0 is the default (16 MiB) */
static const size_t fz_caps[8] = {0, 1, 8, 40, 100, 300, 1000, 5000};

static int fz_ingest(const fz_spec *spec, const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    unsigned b0 = fz_byte(&in), b1 = fz_byte(&in);
    fh_ingest_opts o;
    fh_ingest_opts_default(&o);
    o.format = spec->format;
    o.max_doc_bytes = fz_caps[b0 & 7];
    if ((b0 & 0x40) && spec->alt)
        spec->alt(&o);
    const char *name = spec->name;
    if (b0 & 0x80) {
        o.format = FH_FMT_AUTO;
        name = "stream";
    }
    FZ_CHECK(fh_ingest_opts_check(&o, NULL, 0) == FH_OK);
    size_t copies = 1 + ((b0 >> 3) & 7);

    size_t len = in.n * copies;
    char *file = malloc(len ? len : 1);
    FZ_CHECK(file != NULL);
    for (size_t k = 0; k < copies; k++)
        memcpy(file + k * in.n, in.p, in.n);
    unsigned long per = 0;
    for (size_t i = 0; i < in.n; i++)
        per += in.p[i] == '\n';

    fz_run r;
    memset(&r, 0, sizeof r);
    r.spec = spec;
    r.o = &o;
    r.name = name;
    r.limit = o.max_doc_bytes ? o.max_doc_bytes : FH_INGEST_DEFAULT_MAX_DOC;
    r.lines = per * copies + 1;
    r.fixed = o.format != FH_FMT_AUTO;
    if (b1 < 16)
        r.stop_at = b1 + 1;

    FILE *f = fmemopen(file, len, "r");
    FZ_CHECK(f != NULL);
    int rc = fh_ingest_stream(f, name, &o, fz_on_doc, fz_on_reject, &r);
    fclose(f);
    if (r.stop_at && r.ndocs == r.stop_at)
        FZ_CHECK(rc == 7);
    else
        FZ_CHECK(rc == FH_OK);

    if (r.fixed && spec->one_record)
        FZ_CHECK(r.ndocs + r.nrej + r.nrej0 == 1);
    /* whole lines, no byte order mark to skip in the first copy only */
    /* (not when the input starts with a byte order mark, which only the first
     * copy has at the start, nor when bytes were undecodable: an encoding is
     * guessed from the whole input's first bytes) */
    int bom = (in.n >= 3 && memcmp(in.p, "\xEF\xBB\xBF", 3) == 0) ||
              (in.n >= 2 && (memcmp(in.p, "\xFF\xFE", 2) == 0 || memcmp(in.p, "\xFE\xFF", 2) == 0)) ||
              (in.n >= 4 && memcmp(in.p, "\0\0\xFE\xFF", 4) == 0);
    if (copies > 1 && r.fixed && !r.stop_at && spec->periodic && spec->periodic(&o) &&
        in.n > 0 && in.p[in.n - 1] == '\n' && !bom && !r.nnote) {
        fz_check_copies(r.docs, r.ndocs, per, copies);
        fz_check_copies(r.rejs, r.nrej, per, copies);
    }
    free(r.docs);
    free(r.rejs);
    free(file);
    return 0;
}

/* 1 if none of s[0..n) is in set */
static inline int fz_none_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] && strchr(set, s[i]))
            return 0;
    return 1;
}

/* 1 if s[0..n) (n > 0) neither starts nor ends with a byte of set */
static inline int fz_trimmed(const char *s, size_t n, const char *set)
{
    return !n || (!(s[0] && strchr(set, s[0])) && !(s[n - 1] && strchr(set, s[n - 1])));
}

#endif
