/*
 * index.c — the index file: schema, ingest in batches (one batch = one
 * segment = one transaction), deletion, merging, statistics, checking, and
 * the reader's per-document data and postings cache.  See index.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"
#include "wordtab.h"

#define SCHEMA_VERSION "5" /* 2: postings heads with the one-body-mention bit;
                              3: long postings in the chunks table;
                              4: bit-packed blocks, positions after the heads,
                                 df in the row's bytes, no bounds columns;
                              5: a postings row per block of up to 256
                                 terms, front-coded keys */
/* Postings up to this many bytes stay in their postings row; longer ones go
 * to the segment's chunk stream.  A row's own bytes cost little (the term
 * rows are packed in key order), while a long postings blob inline would
 * spill to overflow pages whose unused tails were a fifth of the postings
 * on disk. */
#define INLINE_MAX 64
/* Decoded postings kept per reader: enough for the working set of a query
 * batch (the 10,000 dev titles touch ~25,000 terms), small next to the
 * machine: the default of fh_index_options.cache_bytes (eviction: see
 * fh_cached). */
#ifndef CACHE_LIMIT
#define CACHE_LIMIT ((size_t)512 << 20) /* bytes of decoded lists kept */
#endif

/* The body is the docs row's last column: a row longer than a page spills
 * its tail to overflow pages, and every column after the body was read by
 * walking that chain (a hit's source, url and date; title_len and body_len
 * at load).  An index made with the body fourth reads the same, by column
 * names, only slower. */
static const char *SCHEMA =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " ext_id TEXT NOT NULL UNIQUE,"
    " title TEXT, source TEXT, url TEXT, date TEXT, hash INTEGER NOT NULL,"
    " title_len INTEGER NOT NULL, body_len INTEGER NOT NULL, body TEXT);"
    "CREATE TABLE IF NOT EXISTS segments(id INTEGER PRIMARY KEY, ndocs INTEGER NOT NULL,"
    " bytes INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS postings(term BLOB NOT NULL, seg INTEGER NOT NULL,"
    " data BLOB NOT NULL, PRIMARY KEY(seg, term)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS chunks(id INTEGER PRIMARY KEY, data BLOB NOT NULL);";

void fh_index_seterr(fh_index *ix, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ix->err, sizeof ix->err, fmt, ap);
    va_end(ap);
}

const char *fh_index_errmsg(const fh_index *ix) { return ix ? ix->err : "no index"; }

fh_index_options fh_index_options_default(void)
{
    fh_index_options o;
    o.k1 = 1.2;
    o.b = 0.75;
    o.title_weight = 2.0;
    o.exact_weight = 0.3;
    o.readonly = 0;
    o.batch_docs = 10000;
    o.busy_timeout_ms = 10000;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o.ingest_threads = ncpu > 1 ? 1 : 0;
    o.batch_bytes = (size_t)32 << 20;
    o.max_doc_bytes = (size_t)16 << 20;
    o.max_token = 0;
    o.cache_bytes = CACHE_LIMIT;
    o.on_commit = NULL;
    o.commit_ctx = NULL;
    return o;
}

size_t fh_varint_put(unsigned char *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

int fh_varint_get(const unsigned char **pp, const unsigned char *end, uint64_t *v)
{
    const unsigned char *p = *pp;
    uint64_t r = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end)
            return 0;
        unsigned c = *p++;
        r |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *pp = p;
            *v = r;
            return 1;
        }
    }
    return 0;
}

/*
 * Terms as stored: each Arabic code point U+0600..U+066F of the UTF-8 (two
 * bytes) becomes one byte 0x81..0xF0, ASCII stays, and any other byte b is
 * escaped as 0x80 b (b < 0xD8) or 0xF1 b: half the bytes of an Arabic key,
 * in the same order, a word's prefix packed a prefix of the word packed.
 */
size_t fh_term_pack(unsigned char *out, const char *key, size_t len)
{
    const unsigned char *s = (const unsigned char *)key;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = s[i];
        if (c < 0x80) {
            out[n++] = (unsigned char)c;
            continue;
        }
        if ((c == 0xD8 || c == 0xD9) && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
            unsigned cp = (c & 0x1F) << 6 | (s[i + 1] & 0x3F);
            if (cp <= 0x66F) {
                out[n++] = (unsigned char)(0x81 + (cp - 0x600));
                i++;
                continue;
            }
        }
        out[n++] = c < 0xD8 ? 0x80 : 0xF1;
        out[n++] = (unsigned char)c;
    }
    return n;
}

size_t fh_term_unpack(char *out, const unsigned char *p, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if ((c == 0x80 || c == 0xF1) && i + 1 < len)
            out[n++] = (char)p[++i];
        else if (c > 0x80 && c < 0xF1) {
            unsigned cp = 0x600 + (c - 0x81);
            out[n++] = (char)(0xC0 | cp >> 6);
            out[n++] = (char)(0x80 | (cp & 0x3F));
        } else
            out[n++] = (char)c; /* not made by fh_term_pack: as it is */
    }
    return n;
}

/*
 * One posting's head: the id gap, then the tfs in title and body.  Most
 * postings are one mention in the body: the gap's low bit says so and the
 * two tfs are left out (varint(gap << 1 | 1)); otherwise varint(gap << 1),
 * varint(tf_title), varint(tf_body).
 */
static size_t put_head(unsigned char *p, uint64_t gap, uint64_t tt, uint64_t tb)
{
    if (tt == 0 && tb == 1)
        return fh_varint_put(p, gap << 1 | 1);
    size_t n = fh_varint_put(p, gap << 1);
    n += fh_varint_put(p + n, tt);
    return n + fh_varint_put(p + n, tb);
}

static int get_head(const unsigned char **p, const unsigned char *end, uint64_t *gap, uint64_t *tt,
                    uint64_t *tb)
{
    uint64_t v;
    if (!fh_varint_get(p, end, &v))
        return 0;
    *gap = v >> 1;
    if (v & 1) {
        *tt = 0;
        *tb = 1;
        return 1;
    }
    return fh_varint_get(p, end, tt) && fh_varint_get(p, end, tb);
}

/* ------------------------------------------------------------------ */
/* The postings row codec (format 4)                                   */
/* ------------------------------------------------------------------ */

/*
 * A postings row holds df postings in increasing id order, in three parts:
 *  - each run of FH_BLOCK postings: three groups (below) of FH_BLOCK values:
 *    the id gaps less one (the row's first gap, from 0, as it is), the tfs
 *    in title, the tfs in body;
 *  - the last df % FH_BLOCK postings: when TAIL_GROUP or more, a group of
 *    their gaps, a group of flags (1: not one mention in the body), then for
 *    each flagged posting varint(tf_title), varint(tf_body); when fewer,
 *    heads (put_head);
 *  - in the stem space, the positions: for each posting tf_title + tf_body
 *    values, its first position as it is and each next one less its
 *    predecessor less one; in groups of FH_BLOCK, the last ones a group if
 *    TAIL_GROUP or more, else varints.
 * The builder keeps a batch's postings in a simpler form (heads, each
 * followed in the stem space by its varint position deltas) that it can
 * append to; write_segment encodes them as above.
 */
#define FH_BLOCK 128

static unsigned bit_width(uint32_t v)
{
    unsigned w = 0;
    while (v) {
        w++;
        v >>= 1;
    }
    return w;
}

/*
 * A group of m <= FH_BLOCK values, patched frame of reference: a byte
 * w (0..32) | 0x40 if there are exceptions, then their number e (a byte),
 * the low w bits of each value packed low bits first (m w bits, the last
 * byte padded), then the e values of w bits or more, each as its index (a
 * byte) and the varint of its bits above the w low ones.  w is the
 * cheapest, so a few large values do not widen the rest.  Bytes written
 * (at most 2 + 5 m).
 */
static size_t pack_group(unsigned char *p, const uint32_t *v, uint32_t m)
{
    uint32_t cnt[33] = {0};
    for (uint32_t i = 0; i < m; i++)
        cnt[bit_width(v[i])]++;
    unsigned top = 32, best = 32;
    while (top && !cnt[top])
        top--;
    size_t bestc = (size_t)-1;
    for (unsigned w = 0; w <= top; w++) { /* wider than the widest costs more */
        size_t c = ((size_t)m * w + 7) / 8, e = 0;
        for (unsigned x = w + 1; x <= top; x++) {
            c += cnt[x] * (1 + (x - w + 6) / 7);
            e += cnt[x];
        }
        c += e > 0;
        if (c < bestc) {
            bestc = c;
            best = w;
        }
    }
    unsigned w = best, e = 0;
    for (uint32_t i = 0; i < m; i++)
        e += w < 32 && v[i] >> w;
    p[0] = (unsigned char)(w | (e ? 0x40 : 0));
    size_t n = 1;
    if (e)
        p[n++] = (unsigned char)e;
    uint64_t acc = 0, mask = ((uint64_t)1 << w) - 1;
    unsigned bits = 0;
    for (uint32_t i = 0; w && i < m; i++) {
        acc |= ((uint64_t)v[i] & mask) << bits;
        bits += w;
        while (bits >= 8) {
            p[n++] = (unsigned char)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    if (bits)
        p[n++] = (unsigned char)acc;
    for (uint32_t i = 0; e && i < m; i++)
        if (w < 32 && v[i] >> w) {
            p[n++] = (unsigned char)i;
            n += fh_varint_put(p + n, v[i] >> w);
        }
    return n;
}

static int unpack_group(const unsigned char **pp, const unsigned char *end, uint32_t *v, uint32_t m)
{
    const unsigned char *p = *pp;
    if (p >= end || (p[0] & 0x3F) > 32 || (p[0] & 0x80))
        return 0;
    unsigned w = p[0] & 0x3F, e = 0;
    if (*p++ & 0x40) {
        if (p >= end || *p == 0)
            return 0;
        e = *p++;
    }
    if ((size_t)(end - p) < ((size_t)m * w + 7) / 8)
        return 0;
    if (!w) {
        memset(v, 0, m * sizeof *v);
    } else {
        uint64_t acc = 0, mask = ((uint64_t)1 << w) - 1;
        unsigned bits = 0;
        for (uint32_t i = 0; i < m; i++) {
            while (bits < w) {
                acc |= (uint64_t)*p++ << bits;
                bits += 8;
            }
            v[i] = (uint32_t)(acc & mask);
            acc >>= w;
            bits -= w;
        }
    }
    for (unsigned k = 0; k < e; k++) {
        uint64_t hi;
        if (p >= end || *p >= m)
            return 0;
        unsigned i = *p++;
        if (!fh_varint_get(&p, end, &hi) || hi > (UINT32_MAX >> w))
            return 0;
        v[i] |= (uint32_t)hi << w;
    }
    *pp = p;
    return 1;
}

/* A row's tail of fewer values than this is varints, not a group. */
#define TAIL_GROUP 16

/* Bytes that row_encode may write for df postings with npos positions. */
static size_t row_bound(uint64_t df, uint64_t npos)
{
    return (size_t)(df * 15 + npos * 5 + 6 * (df / FH_BLOCK) + 2 * (npos / FH_BLOCK) + 16);
}

/* Encode a row (doc ids increasing; stem: pos holds each posting's
 * tt + tb positions, increasing, back to back); bytes written. */
static size_t row_encode(unsigned char *out, const uint32_t *doc, const uint32_t *tt,
                         const uint32_t *tb, uint32_t df, const uint32_t *pos, int stem)
{
    size_t n = 0;
    uint32_t v[FH_BLOCK], prev = 0, k = 0;
    for (; k + FH_BLOCK <= df; k += FH_BLOCK) {
        for (uint32_t i = 0; i < FH_BLOCK; i++) {
            v[i] = doc[k + i] - prev - (k + i > 0);
            prev = doc[k + i];
        }
        n += pack_group(out + n, v, FH_BLOCK);
        n += pack_group(out + n, tt + k, FH_BLOCK);
        n += pack_group(out + n, tb + k, FH_BLOCK);
    }
    if (df - k >= TAIL_GROUP) { /* gaps, then which are not one mention in the body */
        uint32_t m = df - k, f[FH_BLOCK];
        for (uint32_t i = 0; i < m; i++) {
            v[i] = doc[k + i] - prev - (k + i > 0);
            prev = doc[k + i];
            f[i] = !(tt[k + i] == 0 && tb[k + i] == 1);
        }
        n += pack_group(out + n, v, m);
        n += pack_group(out + n, f, m);
        for (uint32_t i = 0; i < m; i++)
            if (f[i]) {
                n += fh_varint_put(out + n, tt[k + i]);
                n += fh_varint_put(out + n, tb[k + i]);
            }
        k = df;
    }
    for (; k < df; k++) {
        n += put_head(out + n, doc[k] - prev, tt[k], tb[k]);
        prev = doc[k];
    }
    if (!stem)
        return n;
    uint32_t m = 0;
    const uint32_t *q = pos;
    for (k = 0; k < df; k++) {
        uint64_t np = (uint64_t)tt[k] + tb[k];
        for (uint64_t j = 0; j < np; j++, q++) {
            v[m++] = j ? *q - q[-1] - 1 : *q;
            if (m == FH_BLOCK) {
                n += pack_group(out + n, v, FH_BLOCK);
                m = 0;
            }
        }
    }
    if (m >= TAIL_GROUP)
        return n + pack_group(out + n, v, m);
    for (uint32_t i = 0; i < m; i++)
        n += fh_varint_put(out + n, v[i]);
    return n;
}

/* A row decoded: df postings, and in the stem space their positions. */
typedef struct fh_rowdec {
    uint32_t df;
    uint32_t *doc, *tt, *tb, *pos;
    uint64_t npos;
    size_t cap, poscap;
} fh_rowdec;

static void rowdec_free(fh_rowdec *r)
{
    if (!r)
        return;
    free(r->doc);
    free(r->tt);
    free(r->tb);
    free(r->pos);
    free(r);
}

static int rowdec_reserve(fh_rowdec *r, size_t df, size_t npos)
{
    if (df > r->cap) {
        size_t nc = r->cap ? r->cap : 256;
        while (nc < df)
            nc *= 2;
        uint32_t *a = realloc(r->doc, nc * sizeof *a);
        if (a)
            r->doc = a;
        uint32_t *b = a ? realloc(r->tt, nc * sizeof *b) : NULL;
        if (b)
            r->tt = b;
        uint32_t *c = b ? realloc(r->tb, nc * sizeof *c) : NULL;
        if (!c)
            return FH_ENOMEM;
        r->tb = c;
        r->cap = nc;
    }
    if (npos > r->poscap) {
        size_t nc = r->poscap ? r->poscap : 1024;
        while (nc < npos)
            nc *= 2;
        uint32_t *a = realloc(r->pos, nc * sizeof *a);
        if (!a)
            return FH_ENOMEM;
        r->pos = a;
        r->poscap = nc;
    }
    return FH_OK;
}

/*
 * Decode a row of df postings.  fmt4: the row format above; otherwise the
 * builder's own: heads, each followed in the stem space by its tt + tb
 * varint position deltas.  FH_EINVAL: the bytes are not df postings
 * (ids not increasing, too few or too many bytes).
 */
static int row_decode(fh_rowdec *r, const unsigned char *p, size_t n, uint32_t df, int stem,
                      int fmt4)
{
    const unsigned char *end = p + n;
    if (rowdec_reserve(r, df, 0) != FH_OK)
        return FH_ENOMEM;
    r->df = df;
    r->npos = 0;
    uint64_t prev = 0, npos = 0;
    uint32_t k = 0;
    for (; fmt4 && k + FH_BLOCK <= df; k += FH_BLOCK) {
        if (!unpack_group(&p, end, r->doc + k, FH_BLOCK) ||
            !unpack_group(&p, end, r->tt + k, FH_BLOCK) ||
            !unpack_group(&p, end, r->tb + k, FH_BLOCK))
            return FH_EINVAL;
        for (uint32_t i = 0; i < FH_BLOCK; i++) {
            prev += (uint64_t)r->doc[k + i] + (k + i > 0);
            if (prev > UINT32_MAX)
                return FH_EINVAL;
            r->doc[k + i] = (uint32_t)prev;
            npos += (uint64_t)r->tt[k + i] + r->tb[k + i];
        }
    }
    if (fmt4 && df - k >= TAIL_GROUP) {
        uint32_t m = df - k;
        if (!unpack_group(&p, end, r->doc + k, m) || !unpack_group(&p, end, r->tt + k, m))
            return FH_EINVAL;
        for (uint32_t i = k; i < df; i++) {
            prev += (uint64_t)r->doc[i] + (i > 0);
            if (prev > UINT32_MAX)
                return FH_EINVAL;
            r->doc[i] = (uint32_t)prev;
            uint64_t a = 0, b = 1;
            if (r->tt[i] > 1 ||
                (r->tt[i] && (!fh_varint_get(&p, end, &a) || !fh_varint_get(&p, end, &b))) ||
                a > UINT32_MAX || b > UINT32_MAX)
                return FH_EINVAL;
            r->tt[i] = (uint32_t)a;
            r->tb[i] = (uint32_t)b;
            npos += a + b;
        }
        k = df;
    }
    for (; k < df; k++) {
        uint64_t d, a, b;
        if (!get_head(&p, end, &d, &a, &b) || (k > 0 && d == 0) || a > UINT32_MAX ||
            b > UINT32_MAX || (prev += d) > UINT32_MAX)
            return FH_EINVAL;
        r->doc[k] = (uint32_t)prev;
        r->tt[k] = (uint32_t)a;
        r->tb[k] = (uint32_t)b;
        if (stem && !fmt4) { /* the builder's positions, after each head */
            if (rowdec_reserve(r, df, npos + a + b) != FH_OK)
                return FH_ENOMEM;
            uint64_t pp = 0;
            for (uint64_t j = 0; j < a + b; j++) {
                uint64_t dv;
                if (!fh_varint_get(&p, end, &dv))
                    return FH_EINVAL;
                pp += dv;
                r->pos[npos++] = (uint32_t)pp;
            }
        } else
            npos += a + b;
    }
    if (stem && fmt4) {
        if (npos > (uint64_t)(end - p) * FH_BLOCK) /* each byte holds 128 values at most */
            return FH_EINVAL;
        if ((size_t)npos != npos || rowdec_reserve(r, df, npos) != FH_OK)
            return FH_ENOMEM;
        uint64_t j = 0;
        for (; j + FH_BLOCK <= npos; j += FH_BLOCK)
            if (!unpack_group(&p, end, r->pos + j, FH_BLOCK))
                return FH_EINVAL;
        if (npos - j >= TAIL_GROUP) {
            if (!unpack_group(&p, end, r->pos + j, (uint32_t)(npos - j)))
                return FH_EINVAL;
            j = npos;
        }
        for (; j < npos; j++) {
            uint64_t dv;
            if (!fh_varint_get(&p, end, &dv) || dv > UINT32_MAX)
                return FH_EINVAL;
            r->pos[j] = (uint32_t)dv;
        }
        /* deltas to positions, each posting's first as it is */
        uint32_t *q = r->pos;
        for (k = 0; k < df; k++) {
            uint64_t np = (uint64_t)r->tt[k] + r->tb[k];
            for (uint64_t i = 1; i < np; i++)
                q[i] += q[i - 1] + 1;
            q += np;
        }
    }
    r->npos = stem ? npos : 0;
    return p == end ? FH_OK : FH_EINVAL;
}

/* ------------------------------------------------------------------ */
/* The segment builder: term -> growing postings buffer                */
/* ------------------------------------------------------------------ */

/* One term of the batch: 48 bytes, its key inline when it is short (most
 * are), so a look-up touches one slot and one entry. */
#define KEY_INLINE 16
typedef struct bterm {
    union {
        char s[KEY_INLINE]; /* len <= KEY_INLINE */
        char *p;
    } key; /* space byte + UTF-8 */
    uint32_t len;
    uint32_t df, last;
    unsigned char *buf;
    uint32_t n, cap; /* a term's postings in one batch stay under 4 GB */
} bterm;

/* A hash table slot: the key's hash beside the entry, so that probing
 * compares hashes without reading the entries. */
typedef struct bslot {
    uint32_t hash, idx; /* idx: 1 + index into t, 0 empty */
} bslot;

typedef struct fh_builder {
    bterm *t;
    bslot *slot;
    uint32_t mask, nt, capt;
    uint32_t ndocs;
    size_t bytes;
} fh_builder;

static const char *bterm_key(const bterm *t) { return t->len <= KEY_INLINE ? t->key.s : t->key.p; }

/* per-document term occurrences */
typedef struct dterm {
    uint32_t key;  /* offset of the key (space byte + UTF-8) in docacc.keys */
    uint32_t len, hash, tt, tb, npos;
    uint32_t pos0, posl; /* first and last of its positions in the doc's pool */
} dterm;

typedef struct docacc {
    char *keys; /* the document's distinct keys, back to back */
    size_t nkeys, capkeys;
    dterm *t;
    uint32_t *slot;
    uint32_t mask, n, cap;
    uint32_t *pos; /* positions of stem-space terms, chained per term */
    uint32_t *next;
    uint32_t npos, cappos;
    uint32_t title_tokens, body_tokens;
} docacc;

/* One document's tokens as the analyzer gave them (the stem, then the
 * normalized form unless it is the same bytes), recorded on the caller's
 * thread and made into terms (docacc_fill) by the builder, on its own
 * thread when there is one: the caller's thread copies bytes, the hashing
 * and counting happen beside it.  Token i is at position i in the title
 * (i < title_tokens), else i + FH_FIELD_GAP. */
typedef struct dtok {
    uint32_t off;      /* its bytes in doctoks.b */
    uint16_t sl, nl;   /* stem and norm bytes; nl == NORM_SAME: norm is the stem */
} dtok;
#define NORM_SAME 0xFFFFu

typedef struct doctoks {
    char *b;
    size_t nb, capb;
    dtok *t;
    uint32_t n, cap;
    uint32_t title_tokens, body_tokens;
    int in_title, oom;
} doctoks;

/* Room for need bytes in *p (capacity *cap, doubled from 16 KB as needed):
 * FH_OK or FH_ENOMEM (then *p is as it was). */
static int grow_bytes(char **p, size_t *cap, size_t need)
{
    if (need <= *cap)
        return FH_OK;
    size_t nc = *cap ? *cap * 2 : 16384;
    while (nc < need)
        nc *= 2;
    char *np = realloc(*p, nc);
    if (!np)
        return FH_ENOMEM;
    *p = np;
    *cap = nc;
    return FH_OK;
}

static void doctoks_free(doctoks *k)
{
    free(k->b);
    free(k->t);
    memset(k, 0, sizeof *k);
}

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void builder_free(fh_builder *b)
{
    if (!b)
        return;
    for (uint32_t i = 0; i < b->nt; i++) {
        if (b->t[i].len > KEY_INLINE)
            free(b->t[i].key.p);
        free(b->t[i].buf);
    }
    free(b->t);
    free(b->slot);
    free(b);
}

static fh_builder *builder_new(void)
{
    fh_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->mask = (1u << 16) - 1;
    b->slot = calloc((size_t)b->mask + 1, sizeof *b->slot);
    if (!b->slot) {
        builder_free(b);
        return NULL;
    }
    return b;
}

static int builder_grow(fh_builder *b)
{
    uint32_t nm = b->mask * 2 + 1;
    bslot *ns = calloc((size_t)nm + 1, sizeof *ns);
    if (!ns)
        return FH_ENOMEM;
    for (uint32_t i = 0; i <= b->mask; i++) {
        if (!b->slot[i].idx)
            continue;
        uint32_t h = b->slot[i].hash & nm;
        while (ns[h].idx)
            h = (h + 1) & nm;
        ns[h] = b->slot[i];
    }
    free(b->slot);
    b->slot = ns;
    b->mask = nm;
    return FH_OK;
}

/* Hint that the slot of a key with hash hv is about to be read. */
static void builder_prefetch(const fh_builder *b, uint32_t hv)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(&b->slot[hv & b->mask]);
#else
    (void)b;
    (void)hv;
#endif
}

/* The batch's entry for key (hash hv = hash_bytes(key, len)), added if new. */
static bterm *builder_term(fh_builder *b, const char *key, uint32_t len, uint32_t hv)
{
    uint32_t h = hv & b->mask;
    while (b->slot[h].idx) {
        if (b->slot[h].hash == hv) {
            bterm *t = &b->t[b->slot[h].idx - 1];
            if (t->len == len && memcmp(bterm_key(t), key, len) == 0)
                return t;
        }
        h = (h + 1) & b->mask;
    }
    if (b->nt == b->capt) {
        uint32_t nc = b->capt ? b->capt * 2 : 4096;
        bterm *nt = realloc(b->t, nc * sizeof *nt);
        if (!nt)
            return NULL;
        b->t = nt;
        b->capt = nc;
    }
    bterm *t = &b->t[b->nt];
    memset(t, 0, sizeof *t);
    if (len <= KEY_INLINE)
        memcpy(t->key.s, key, len);
    else {
        if (!(t->key.p = malloc(len)))
            return NULL;
        memcpy(t->key.p, key, len);
    }
    t->len = len;
    b->slot[h].hash = hv;
    b->slot[h].idx = ++b->nt;
    if (b->nt * 2 > b->mask && builder_grow(b) != FH_OK)
        return NULL;
    return &b->t[b->nt - 1];
}

static int bterm_reserve(bterm *t, size_t more)
{
    if (t->n + more <= t->cap)
        return FH_OK;
    size_t nc = t->cap ? (size_t)t->cap * 2 : 32;
    while (nc < t->n + more)
        nc *= 2;
    if (nc > UINT32_MAX) /* a batch is bounded long before this */
        return FH_ENOMEM;
    unsigned char *nb = realloc(t->buf, nc);
    if (!nb)
        return FH_ENOMEM;
    t->buf = nb;
    t->cap = (uint32_t)nc;
    return FH_OK;
}

/* ---- per-document accumulation, fed by the analyzer ---- */

static void docacc_free(docacc *d)
{
    free(d->keys);
    free(d->t);
    free(d->slot);
    free(d->pos);
    free(d->next);
    memset(d, 0, sizeof *d);
}

/* The document's entry for (space, s): its index in d->t, or -1 (no memory). */
static long docacc_term(docacc *d, char space, const char *s, size_t n)
{
    uint32_t len = (uint32_t)n + 1;
    /* the word hash (8 bytes a step), the space mixed in; the builder's
     * table takes the same hash (builder_add_doc) */
    uint32_t hv = fh_wordhash(s, n) ^ (uint32_t)(unsigned char)space * 0x9E3779B1u;
    if (!d->slot) {
        d->mask = 1023;
        d->slot = calloc((size_t)d->mask + 1, sizeof *d->slot);
        if (!d->slot)
            return -1;
    }
    if (d->n * 2 >= d->mask) { /* grow and rehash */
        uint32_t nm = d->mask * 2 + 1;
        uint32_t *ns = calloc((size_t)nm + 1, sizeof *ns);
        if (!ns)
            return -1;
        for (uint32_t i = 0; i < d->n; i++) {
            uint32_t h = d->t[i].hash & nm;
            while (ns[h])
                h = (h + 1) & nm;
            ns[h] = i + 1;
        }
        free(d->slot);
        d->slot = ns;
        d->mask = nm;
    }
    uint32_t h = hv & d->mask;
    while (d->slot[h]) {
        uint32_t k = d->slot[h] - 1;
        const dterm *t = &d->t[k];
        if (t->hash == hv && t->len == len && d->keys[t->key] == space &&
            fh_keyeq((const unsigned char *)d->keys + t->key + 1, s, n))
            return k;
        h = (h + 1) & d->mask;
    }
    if (d->n == d->cap) {
        uint32_t nc = d->cap ? d->cap * 2 : 256;
        dterm *nt = realloc(d->t, nc * sizeof *nt);
        if (!nt)
            return -1;
        d->t = nt;
        d->cap = nc;
    }
    if (grow_bytes(&d->keys, &d->capkeys, d->nkeys + len) != FH_OK)
        return -1;
    dterm *t = &d->t[d->n];
    t->key = (uint32_t)d->nkeys;
    d->keys[d->nkeys] = space;
    memcpy(d->keys + d->nkeys + 1, s, n);
    d->nkeys += len;
    t->len = len;
    t->hash = hv;
    t->tt = t->tb = t->npos = 0;
    t->pos0 = t->posl = UINT32_MAX;
    d->slot[h] = ++d->n;
    return (long)(d->n - 1);
}

/* Forget the document, keep the memory for the next one. */
static void docacc_reset(docacc *d)
{
    if (d->slot && d->n) {
        if (d->n < (d->mask + 1) / 8) {
            for (uint32_t i = 0; i < d->n; i++) { /* clear just the used slots */
                uint32_t h = d->t[i].hash & d->mask;
                while (d->slot[h] != i + 1)
                    h = (h + 1) & d->mask;
                d->slot[h] = 0;
            }
        } else
            memset(d->slot, 0, ((size_t)d->mask + 1) * sizeof *d->slot);
    }
    d->n = 0;
    d->nkeys = 0;
    d->npos = 0;
    d->title_tokens = d->body_tokens = 0;
}

static int add_pos(docacc *d, dterm *t, uint32_t pos)
{
    if (d->npos == d->cappos) {
        uint32_t nc = d->cappos ? d->cappos * 2 : 4096;
        uint32_t *np = realloc(d->pos, nc * sizeof *np), *nn;
        if (!np)
            return FH_ENOMEM;
        d->pos = np;
        nn = realloc(d->next, nc * sizeof *nn);
        if (!nn)
            return FH_ENOMEM;
        d->next = nn;
        d->cappos = nc;
    }
    /* positions of one term form a list, appended in increasing order:
     * pos0 is its head, posl its tail */
    d->pos[d->npos] = pos;
    d->next[d->npos] = UINT32_MAX;
    if (t->pos0 == UINT32_MAX)
        t->pos0 = d->npos;
    else
        d->next[t->posl] = d->npos;
    t->posl = d->npos;
    d->npos++;
    t->npos++;
    return FH_OK;
}

/* The document's terms (d, reset first) from its recorded tokens. */
static int docacc_fill(docacc *d, const doctoks *k)
{
    docacc_reset(d);
    d->title_tokens = k->title_tokens;
    d->body_tokens = k->body_tokens;
    for (uint32_t i = 0; i < k->n; i++) {
        const dtok *t = &k->t[i];
        const char *stem = k->b + t->off;
        int in_title = i < k->title_tokens;
        uint32_t pos = in_title ? i : i + FH_FIELD_GAP;
        long si = docacc_term(d, FH_SPACE_STEM, stem, t->sl);
        long wi = si < 0                 ? -1
                  : t->nl == NORM_SAME ? docacc_term(d, FH_SPACE_WORD, stem, t->sl)
                                       : docacc_term(d, FH_SPACE_WORD, stem + t->sl, t->nl);
        if (si < 0 || wi < 0)
            return FH_ENOMEM;
        dterm *st = &d->t[si], *wt = &d->t[wi]; /* both after any growth */
        if (in_title) {
            st->tt++;
            wt->tt++;
        } else {
            st->tb++;
            wt->tb++;
        }
        if (add_pos(d, st, pos) != FH_OK)
            return FH_ENOMEM;
    }
    return FH_OK;
}

static int on_doc_token(void *ctx, const fh_token *tok)
{
    doctoks *k = ctx;
    size_t sl = tok->stem_len, nl = tok->norm_len;
    int same = nl == sl && memcmp(tok->norm, tok->stem, sl) == 0;
    size_t need = sl + (same ? 0 : nl);
    if (sl > 0xFFFE || nl > 0xFFFE || k->nb + need > UINT32_MAX) {
        k->oom = 1;
        return 1;
    }
    if (k->n == k->cap) {
        uint32_t nc = k->cap ? k->cap * 2 : 1024;
        dtok *nt = realloc(k->t, nc * sizeof *nt);
        if (!nt) {
            k->oom = 1;
            return 1;
        }
        k->t = nt;
        k->cap = nc;
    }
    if (grow_bytes(&k->b, &k->capb, k->nb + need) != FH_OK) {
        k->oom = 1;
        return 1;
    }
    dtok *t = &k->t[k->n++];
    t->off = (uint32_t)k->nb;
    t->sl = (uint16_t)sl;
    t->nl = same ? NORM_SAME : (uint16_t)nl;
    memcpy(k->b + k->nb, tok->stem, sl);
    if (!same)
        memcpy(k->b + k->nb + sl, tok->norm, nl);
    k->nb += need;
    if (k->in_title)
        k->title_tokens++;
    else
        k->body_tokens++;
    return 0;
}

/* Append the accumulated document (internal id `id`) to the builder. */
static int builder_add_doc(fh_builder *b, const docacc *d, uint32_t id)
{
    /* the document's keys hash as the batch's do (docacc_term) */
    enum { AHEAD = 8 };
    for (uint32_t i = 0; i < d->n && i < AHEAD; i++)
        builder_prefetch(b, d->t[i].hash);
    for (uint32_t i = 0; i < d->n; i++) {
        const dterm *dt = &d->t[i];
        const char *key = d->keys + dt->key;
        if (i + AHEAD < d->n)
            builder_prefetch(b, d->t[i + AHEAD].hash);
        bterm *t = builder_term(b, key, dt->len, dt->hash);
        if (!t)
            return FH_ENOMEM;
        size_t need = 3 * 10 + (size_t)dt->npos * 5;
        if (bterm_reserve(t, need) != FH_OK)
            return FH_ENOMEM;
        size_t n0 = t->n;
        t->n += put_head(t->buf + t->n, id - t->last, dt->tt, dt->tb);
        if (key[0] == FH_SPACE_STEM) {
            uint32_t prev = 0;
            for (uint32_t k = dt->pos0; k != UINT32_MAX; k = d->next[k]) {
                t->n += fh_varint_put(t->buf + t->n, d->pos[k] - prev);
                prev = d->pos[k];
            }
        }
        b->bytes += t->n - n0;
        t->last = id;
        t->df++;
    }
    b->ndocs++;
    return FH_OK;
}

/* ------------------------------------------------------------------ */
/* The builder thread: appends analyzed documents to the batch          */
/* ------------------------------------------------------------------ */

/*
 * With fh_index_options.ingest_threads, the caller's thread analyzes a
 * document and stores its row (SQLite), then hands the analysis and the
 * document's id to this thread, which appends it to the batch's postings
 * while the caller goes on with the next document.  Documents reach the
 * builder in the order they were added (a FIFO ring), so the postings are
 * the same as without the thread.  A commit waits for the ring to drain.
 */
#define RING 16 /* documents analyzed but not yet in the builder */

typedef struct fh_ingest {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    doctoks tok[RING];   /* the documents' tokens, recorded by the caller */
    docacc acc;          /* this thread's: the terms of the one being built */
    uint32_t id[RING];
    fh_builder *bld[RING];
    unsigned head, tail; /* slots [tail, head) are queued; head - tail <= RING */
    int status;          /* the first builder error since the last drain */
    int stop;
} fh_ingest;

static void *ingest_main(void *arg)
{
    fh_ingest *g = arg;
    pthread_mutex_lock(&g->mu);
    for (;;) {
        while (g->tail == g->head && !g->stop)
            pthread_cond_wait(&g->work, &g->mu);
        if (g->tail == g->head)
            break;
        unsigned k = g->tail % RING;
        int ok = g->status == FH_OK;
        pthread_mutex_unlock(&g->mu);
        int st = ok ? docacc_fill(&g->acc, &g->tok[k]) : FH_OK;
        if (ok && st == FH_OK)
            st = builder_add_doc(g->bld[k], &g->acc, g->id[k]);
        pthread_mutex_lock(&g->mu);
        if (st != FH_OK && g->status == FH_OK)
            g->status = st;
        g->tail++;
        pthread_cond_signal(&g->done);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* Start the thread; NULL (then documents are built on the caller's thread)
 * if it cannot be had. */
static fh_ingest *ingest_start(void)
{
    fh_ingest *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    int m = pthread_mutex_init(&g->mu, NULL) == 0;
    int w = m && pthread_cond_init(&g->work, NULL) == 0;
    int d = w && pthread_cond_init(&g->done, NULL) == 0;
    if (d && pthread_create(&g->th, NULL, ingest_main, g) == 0)
        return g;
    if (d)
        pthread_cond_destroy(&g->done);
    if (w)
        pthread_cond_destroy(&g->work);
    if (m)
        pthread_mutex_destroy(&g->mu);
    free(g);
    return NULL;
}

/* Wait until every queued document is in the builder; the first builder
 * error since the last drain, or FH_OK. */
static int ingest_drain(fh_ingest *g)
{
    if (!g)
        return FH_OK;
    pthread_mutex_lock(&g->mu);
    while (g->tail != g->head)
        pthread_cond_wait(&g->done, &g->mu);
    int st = g->status;
    g->status = FH_OK;
    pthread_mutex_unlock(&g->mu);
    return st;
}

/* A free slot for the next document (waits while the ring is full). */
static unsigned ingest_slot(fh_ingest *g)
{
    pthread_mutex_lock(&g->mu);
    while (g->head - g->tail == RING)
        pthread_cond_wait(&g->done, &g->mu);
    unsigned k = g->head % RING;
    pthread_mutex_unlock(&g->mu);
    return k;
}

static void ingest_push(fh_ingest *g, unsigned k, fh_builder *b, uint32_t id)
{
    pthread_mutex_lock(&g->mu);
    g->bld[k] = b;
    g->id[k] = id;
    g->head++;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->mu);
}

static void ingest_stop(fh_ingest *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->mu);
    g->stop = 1;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->th, NULL);
    pthread_cond_destroy(&g->work);
    pthread_cond_destroy(&g->done);
    pthread_mutex_destroy(&g->mu);
    for (int i = 0; i < RING; i++)
        doctoks_free(&g->tok[i]);
    docacc_free(&g->acc);
    free(g);
}

/* ------------------------------------------------------------------ */
/* Opening and closing                                                 */
/* ------------------------------------------------------------------ */

static int sqlerr(fh_index *ix, const char *what)
{
    int c = sqlite3_errcode(ix->db), se = sqlite3_system_errno(ix->db);
    if (c == SQLITE_FULL || se == ENOSPC)
        fh_index_seterr(ix, "%s: the disk is full", what);
    else if (se == EFBIG)
        fh_index_seterr(ix, "%s: the file size limit is reached", what);
    else if (c == SQLITE_BUSY)
        fh_index_seterr(ix, "%s: another process is writing to this index (waited %d ms)", what,
                        ix->opt.busy_timeout_ms);
    else
        fh_index_seterr(ix, "%s: %s", what, sqlite3_errmsg(ix->db));
    return c == SQLITE_NOMEM ? FH_ENOMEM : FH_EIO;
}

static int prep(fh_index *ix, sqlite3_stmt **st, const char *sql)
{
    if (*st)
        return FH_OK;
    if (sqlite3_prepare_v2(ix->db, sql, -1, st, NULL) != SQLITE_OK)
        return sqlerr(ix, "preparing a statement");
    return FH_OK;
}

static void cache_clear(fh_index *ix);
static long long scalar(fh_index *ix, const char *sql);

/* A writer's connection settings, and the schema of a new index, created in
 * one transaction (a kill leaves no half-made schema).  An existing index is
 * only read here: opening takes no write lock, so a second writer opens and
 * then waits (busy_timeout_ms) at its first write. */
static int setup(fh_index *ix, const char *path)
{
    char *e = NULL;
    sqlite3_stmt *q = NULL;
    int have = 0;
    /* a new file's pages are 8 KB (the size can only be set before its
     * first table, and before WAL mode): a term block fills a quarter of a
     * page, where 4 KB pages left a tenth of the term rows' pages unused */
    if (sqlite3_exec(ix->db, "PRAGMA page_size=8192; PRAGMA journal_mode=WAL;"
                             " PRAGMA synchronous=NORMAL;"
                             " PRAGMA cache_size=-131072;",
                     NULL, NULL, &e) != SQLITE_OK)
        goto fail;
    if (sqlite3_prepare_v2(ix->db, "SELECT 1 FROM sqlite_master WHERE name = 'meta'", -1, &q,
                           NULL) != SQLITE_OK)
        goto fail;
    have = sqlite3_step(q) == SQLITE_ROW;
    sqlite3_finalize(q);
    if (have)
        return FH_OK;
    /* a chunk row fills one page: its blob plus the cell and record headers
     * (at most 40 bytes with a 6-byte rowid) stay within the largest payload
     * SQLite keeps on a table leaf page (usable - 35) */
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', '" SCHEMA_VERSION
             "'), ('chunk_bytes', %lld); COMMIT",
             scalar(ix, "PRAGMA page_size") - 40);
    if (sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, &e) != SQLITE_OK)
        goto fail;
    if (sqlite3_exec(ix->db, SCHEMA, NULL, NULL, &e) != SQLITE_OK ||
        sqlite3_exec(ix->db, sql, NULL, NULL, &e) != SQLITE_OK) {
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
        goto fail;
    }
    return FH_OK;
fail:
    if (sqlite3_errcode(ix->db) == SQLITE_FULL)
        fh_index_seterr(ix, "cannot set up index '%s': the disk is full", path);
    else
        fh_index_seterr(ix, "cannot set up index '%s': %s", path,
                        e ? e : sqlite3_errmsg(ix->db));
    sqlite3_free(e);
    return FH_EIO;
}

int fh_index_open(const char *path, const fh_index_options *opt, fh_index **out, char *err,
                  size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out || !path) {
        if (err && errlen)
            snprintf(err, errlen, "no index path given");
        return FH_EINVAL;
    }
    *out = NULL;
    fh_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return FH_ENOMEM;
    ix->opt = opt ? *opt : fh_index_options_default();
    if (ix->opt.batch_docs == 0)
        ix->opt.batch_docs = 2000;
    if (ix->opt.batch_bytes == 0)
        ix->opt.batch_bytes = fh_index_options_default().batch_bytes;
    if (ix->opt.max_doc_bytes == 0)
        ix->opt.max_doc_bytes = fh_index_options_default().max_doc_bytes;
    if (ix->opt.cache_bytes == 0)
        ix->opt.cache_bytes = CACHE_LIMIT;
    int st;
    int flags = ix->opt.readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &ix->db, flags, NULL) != SQLITE_OK) {
        fh_index_seterr(ix, "cannot open index '%s': %s", path,
                        ix->db ? sqlite3_errmsg(ix->db) : "out of memory");
        st = FH_EIO;
        goto fail;
    }
    sqlite3_busy_timeout(ix->db, ix->opt.busy_timeout_ms);
    /* is it ours, and of this version?  Asked before anything is written,
     * so that an older file is left as it is */
    char schema[16] = "";
    {
        sqlite3_stmt *q = NULL;
        if (sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key='schema'", -1, &q,
                               NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            snprintf(schema, sizeof schema, "%s", (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
    }
    if (schema[0] && strcmp(schema, SCHEMA_VERSION) != 0) {
        if (!strcmp(schema, "1") || !strcmp(schema, "2") || !strcmp(schema, "3") ||
            !strcmp(schema, "4"))
            fh_index_seterr(ix,
                            "'%s' was made by an older fahras (index format %s, this one reads "
                            "%s): index the documents again into a new file",
                            path, schema, SCHEMA_VERSION);
        else
            fh_index_seterr(ix, "'%s' was made by another version of fahras (index format %s)",
                            path, schema);
        st = FH_EINVAL;
        goto fail;
    }
    if (!ix->opt.readonly && (st = setup(ix, path)) != FH_OK)
        goto fail;
    if (strcmp(schema, SCHEMA_VERSION) != 0) {
        sqlite3_stmt *q = NULL;
        int ok = sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key='schema'", -1, &q,
                                    NULL) == SQLITE_OK &&
                 sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) &&
                 strcmp((const char *)sqlite3_column_text(q, 0), SCHEMA_VERSION) == 0;
        sqlite3_finalize(q);
        if (!ok) {
            fh_index_seterr(ix, "'%s' is not a fahras index", path);
            st = FH_EINVAL;
            goto fail;
        }
    }
    /* the analyzer's token cap: the index's own; a new index takes the one
     * asked for (an index made before the cap was kept in meta has 240) */
    if (!schema[0] && !ix->opt.readonly) {
        char sql[96];
        snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO meta(key, value) VALUES('max_token', %zu)",
                 ix->opt.max_token ? ix->opt.max_token : (size_t)FH_MAX_TOKEN);
        if (ix->opt.max_token && (ix->opt.max_token < FH_MIN_TOKEN || ix->opt.max_token > FH_MAX_TOKEN)) {
            fh_index_seterr(ix, "max_token %zu: the cap is %d..%d bytes", ix->opt.max_token,
                            FH_MIN_TOKEN, FH_MAX_TOKEN);
            st = FH_EINVAL;
            goto fail;
        }
        if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
            fh_index_seterr(ix, "cannot set up index '%s': %s", path, sqlite3_errmsg(ix->db));
            st = FH_EIO;
            goto fail;
        }
    }
    {
        long long mt = scalar(ix, "SELECT value FROM meta WHERE key='max_token'");
        if (mt <= 0) /* no row: made before the cap was kept */
            mt = FH_MAX_TOKEN;
        if (mt < FH_MIN_TOKEN || mt > FH_MAX_TOKEN) {
            fh_index_seterr(ix, "'%s': the index is damaged (no valid max_token)", path);
            st = FH_EINVAL;
            goto fail;
        }
        if (ix->opt.max_token && ix->opt.max_token != (size_t)mt) {
            fh_index_seterr(ix, "'%s' was made with max_token %lld: another cap needs a new index",
                            path, mt);
            st = FH_EINVAL;
            goto fail;
        }
        fh_options ao = fh_options_default();
        ao.max_token = (unsigned)mt;
        if ((st = fh_analyzer_new(&ao, &ix->an)) != FH_OK)
            goto fail;
    }
    ix->chunk_bytes = scalar(ix, "SELECT value FROM meta WHERE key='chunk_bytes'");
    ix->page_size = scalar(ix, "PRAGMA page_size");
    if (ix->chunk_bytes < 256 || ix->chunk_bytes > 65536) {
        fh_index_seterr(ix, "'%s': the index is damaged (no valid chunk size)", path);
        st = FH_EINVAL;
        goto fail;
    }
    *out = ix;
    return FH_OK;
fail:
    if (err && errlen)
        snprintf(err, errlen, "%s", ix->err[0] ? ix->err : fh_strerror(st));
    fh_index_close(ix);
    return st;
}

static void reader_free(fh_index *ix)
{
    free(ix->knorm);
    ix->knorm = NULL;
    free(ix->ext_ids);
    ix->ext_ids = NULL;
    free(ix->ext_off);
    ix->ext_off = NULL;
    free(ix->segs);
    ix->segs = NULL;
    ix->nsegs = 0;
    free(ix->meta);
    ix->meta = NULL;
    ix->nmeta = 0;
    for (uint16_t i = 0; i < ix->nsources; i++)
        free(ix->sources[i]);
    free(ix->sources);
    ix->sources = NULL;
    ix->nsources = 0;
    ix->loaded = 0;
}

int fh_index_close(fh_index *ix)
{
    if (!ix)
        return FH_OK;
    int st = FH_OK;
    if (ix->in_tx)
        st = fh_index_commit(ix);
    sqlite3_stmt *sts[] = {ix->st_find, ix->st_insdoc, ix->st_deldoc,   ix->st_insseg,
                           ix->st_inspost, ix->st_post, ix->st_doc,  ix->st_prefix,
                           ix->st_get,  ix->st_inschunk, ix->st_chunk, ix->st_doc_nobody,
                           ix->st_begin, ix->st_commit};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    cache_clear(ix);
    reader_free(ix);
    free(ix->scratch);
    free(ix->win);
    rowdec_free(ix->rd);
    ingest_stop(ix->ing);
    builder_free(ix->bld);
    if (ix->toks) {
        doctoks_free(ix->toks);
        free(ix->toks);
    }
    if (ix->acc) {
        docacc_free(ix->acc);
        free(ix->acc);
    }
    if (ix->db)
        sqlite3_close(ix->db);
    free(ix->last_id);
    fh_analyzer_free(ix->an);
    free(ix);
    return st;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static uint64_t content_hash(const fh_doc_in *d)
{
    uint64_t h = 1469598103934665603ull;
    const char *f[] = {d->title, d->body, d->source, d->url, d->date};
    size_t n[] = {d->title_len, d->body_len, d->source_len, d->url_len, d->date_len};
    for (int k = 0; k < 5; k++) {
        for (size_t i = 0; f[k] && i < n[k]; i++)
            h = (h ^ (unsigned char)f[k][i]) * 1099511628211ull;
        h = (h ^ 0xFF) * 1099511628211ull; /* field separator */
    }
    return h;
}

static int begin(fh_index *ix)
{
    if (ix->in_tx)
        return FH_OK;
    if (sqlite3_exec(ix->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        int c = sqlite3_errcode(ix->db);
        if (c == SQLITE_BUSY)
            fh_index_seterr(ix, "another process is writing to this index (waited %d ms)",
                            ix->opt.busy_timeout_ms);
        else
            sqlerr(ix, "starting a batch");
        return FH_EIO;
    }
    ix->in_tx = 1;
    ix->batch_n = 0;
    ix->batch_text = 0;
    if (ix->last_id)
        ix->last_id[0] = '\0';
    if (!ix->bld && !(ix->bld = builder_new()))
        return FH_ENOMEM;
    return FH_OK;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s, size_t n)
{
    if (s)
        sqlite3_bind_text(st, i, s, (int)n, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

/* Term order, as SQLite compares BLOBs: rows inserted in key order append
 * to the tree, which fills its pages. */
static int cmp_term(const void *x, const void *y)
{
    const bterm *a = *(const bterm *const *)x, *b = *(const bterm *const *)y;
    int c = memcmp(bterm_key(a), bterm_key(b), a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/*
 * Term blocks (format 5).  A segment's terms are stored in key order, up to
 * BLOCK_TERMS of them in one postings row, keyed (seg, its first term); the
 * row's data:
 *   varint base     the chunk-stream offset of the block's first chunked row
 *   per term        varint shared, varint n, then n bytes: the packed key,
 *                   front-coded (the first shared bytes are the previous
 *                   key's; 0 for the block's first term, whose key is the
 *                   row's term)
 *                   varint v: v even, the term's row (df, postings) follows,
 *                   v / 2 bytes; v odd, the row is v / 2 bytes (more than
 *                   INLINE_MAX) of the chunk stream, right after the block's
 *                   previous chunked row (at base for the first)
 * A row per term cost about 9 bytes of SQLite cell and record headers and
 * its whole key (481,629 rows for news.tsv: 12.7 MB of the 62.7); a block
 * shares both.  A block stays within the payload SQLite keeps on an index
 * leaf page (block_max), so a look-up reads one page.
 */
#define BLOCK_TERMS 256
#define KEY_MAX (2 * (FH_MAX_TOKEN + 8)) /* a packed key: 2 bytes a byte at most */

/* A segment being written: its chunk stream, whose full rows go out as they
 * fill, and its term block being filled. */
typedef struct chunkw {
    unsigned char *buf;
    size_t n;
    uint64_t off;       /* stream offset of buf[0] */
    sqlite3_int64 seg;
    unsigned char *blk; /* the block's row data, bn bytes */
    size_t bn, blk_max;
    uint32_t bcount;    /* its terms */
    unsigned char first[KEY_MAX], prev[KEY_MAX];
    size_t fn, pn;
} chunkw;

static int chunkw_init(fh_index *ix, chunkw *w, sqlite3_int64 seg)
{
    memset(w, 0, sizeof *w);
    w->seg = seg;
    /* the largest payload an index-tree cell keeps on a page of usable size
     * U is (U - 12) * 64 / 255 - 23 (SQLite's file format); less the record
     * header and the seg column */
    long long ps = ix->page_size;
    long long local = ps >= 512 ? (ps - 12) * 64 / 255 - 23 : 489;
    w->blk_max = local > 200 ? (size_t)local - 24 : 176;
    w->buf = malloc((size_t)ix->chunk_bytes);
    w->blk = malloc(w->blk_max + 2 * KEY_MAX + INLINE_MAX + 64);
    if (!w->buf || !w->blk) {
        free(w->buf);
        free(w->blk);
        memset(w, 0, sizeof *w);
        return FH_ENOMEM;
    }
    return FH_OK;
}

static void chunkw_free(chunkw *w)
{
    free(w->buf);
    free(w->blk);
    w->buf = w->blk = NULL;
}

static int chunk_flush(fh_index *ix, chunkw *w)
{
    if (!w->n)
        return FH_OK;
    int st = prep(ix, &ix->st_inschunk, "INSERT INTO chunks(id, data) VALUES(?, ?)");
    if (st)
        return st;
    sqlite3_bind_int64(ix->st_inschunk, 1,
                       (w->seg << 32) + (sqlite3_int64)(w->off / (uint64_t)ix->chunk_bytes));
    sqlite3_bind_blob(ix->st_inschunk, 2, w->buf, (int)w->n, SQLITE_STATIC);
    int rc = sqlite3_step(ix->st_inschunk);
    sqlite3_reset(ix->st_inschunk);
    if (rc != SQLITE_DONE)
        return sqlerr(ix, "writing postings");
    w->off += w->n;
    w->n = 0;
    return FH_OK;
}

static int chunk_put(fh_index *ix, chunkw *w, const unsigned char *p, size_t n)
{
    size_t cb = (size_t)ix->chunk_bytes;
    while (n) {
        size_t k = cb - w->n < n ? cb - w->n : n;
        memcpy(w->buf + w->n, p, k);
        w->n += k;
        p += k;
        n -= k;
        int st;
        if (w->n == cb && (st = chunk_flush(ix, w)) != FH_OK)
            return st;
    }
    return FH_OK;
}

/* Write the block being filled as a postings row (st_inspost prepared). */
static int block_flush(fh_index *ix, chunkw *w, const char *what)
{
    if (!w->bcount)
        return FH_OK;
    sqlite3_stmt *s = ix->st_inspost;
    sqlite3_bind_blob(s, 1, w->first, (int)w->fn, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, w->seg);
    sqlite3_bind_blob(s, 3, w->blk, (int)w->bn, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sqlerr(ix, what);
    w->bcount = 0;
    w->bn = 0;
    return FH_OK;
}

/* Add a term (packed key, kn bytes; its row, rn bytes) to the segment: to
 * the block being filled, after writing that block out when it is full;
 * a row longer than INLINE_MAX goes to the chunk stream. */
static int block_add(fh_index *ix, chunkw *w, const unsigned char *key, size_t kn,
                     const unsigned char *row, size_t rn, const char *what)
{
    int st;
    if (kn == 0 || kn > KEY_MAX) {
        fh_index_seterr(ix, "internal error: a term of %zu bytes", kn);
        return FH_EINVAL;
    }
    if (rn > INLINE_MAX && w->off + w->n + rn > UINT32_MAX) {
        /* chunk offsets are 32-bit */
        fh_index_seterr(ix, "a segment's postings would exceed 4 GB: index in smaller batches");
        return FH_ERANGE;
    }
    size_t sh = 0;
    while (w->bcount && sh < kn && sh < w->pn && key[sh] == w->prev[sh])
        sh++;
    unsigned char tmp[10];
    size_t need = fh_varint_put(tmp, sh) + fh_varint_put(tmp, kn - sh) + (kn - sh) +
                  fh_varint_put(tmp, (uint64_t)rn << 1) + (rn <= INLINE_MAX ? rn : 0);
    if (w->bcount && (w->bcount == BLOCK_TERMS || w->bn + need + w->fn > w->blk_max)) {
        if ((st = block_flush(ix, w, what)) != FH_OK)
            return st;
        sh = 0;
    }
    if (!w->bcount) {
        w->bn = fh_varint_put(w->blk, w->off + w->n); /* base */
        memcpy(w->first, key, kn);
        w->fn = kn;
    }
    w->bn += fh_varint_put(w->blk + w->bn, sh);
    w->bn += fh_varint_put(w->blk + w->bn, kn - sh);
    memcpy(w->blk + w->bn, key + sh, kn - sh);
    w->bn += kn - sh;
    if (rn <= INLINE_MAX) {
        w->bn += fh_varint_put(w->blk + w->bn, (uint64_t)rn << 1);
        memcpy(w->blk + w->bn, row, rn);
        w->bn += rn;
    } else {
        w->bn += fh_varint_put(w->blk + w->bn, (uint64_t)rn << 1 | 1);
        if ((st = chunk_put(ix, w, row, rn)) != FH_OK)
            return st;
    }
    memcpy(w->prev, key, kn);
    w->pn = kn;
    w->bcount++;
    return FH_OK;
}

/* The end of a segment's terms: the last block, the chunk stream's tail. */
static int segment_finish(fh_index *ix, chunkw *w, const char *what)
{
    int st = block_flush(ix, w, what);
    return st == FH_OK ? chunk_flush(ix, w) : st;
}

/* Scratch of the row writer: the term's postings decoded from the
 * builder's varints, the row encoded, the key packed; bytes counts the
 * encoded rows written. */
typedef struct rowenc {
    fh_rowdec *rd;
    unsigned char *enc, *key;
    size_t enccap, keycap, bytes;
} rowenc;

static void rowenc_free(rowenc *e)
{
    rowdec_free(e->rd);
    free(e->enc);
    free(e->key);
    memset(e, 0, sizeof *e);
}

/* Encode one term's row (key, t: the builder's format) into e: the packed
 * key in e->key (*kn bytes), the row (df, then the postings) in e->enc
 * (*en bytes).  Touches nothing but e: the segment writer's helper thread
 * calls it too. */
static int encode_term(rowenc *e, const char *key, const bterm *t, size_t *kn, size_t *en)
{
    int st;
    int stem = t->len > 0 && key[0] == FH_SPACE_STEM;
    if (!e->rd && !(e->rd = calloc(1, sizeof *e->rd)))
        return FH_ENOMEM;
    if ((st = row_decode(e->rd, t->buf, t->n, t->df, stem, 0)) != FH_OK)
        return st;
    if (2 * (size_t)t->len > e->keycap) {
        unsigned char *nk = realloc(e->key, 2 * (size_t)t->len);
        if (!nk)
            return FH_ENOMEM;
        e->key = nk;
        e->keycap = 2 * (size_t)t->len;
    }
    *kn = fh_term_pack(e->key, key, t->len);
    size_t need = 10 + row_bound(t->df, e->rd->npos);
    if (need > e->enccap) {
        unsigned char *ne = realloc(e->enc, need);
        if (!ne)
            return FH_ENOMEM;
        e->enc = ne;
        e->enccap = need;
    }
    *en = fh_varint_put(e->enc, t->df);
    *en += row_encode(e->enc + *en, e->rd->doc, e->rd->tt, e->rd->tb, t->df, e->rd->pos, stem);
    return FH_OK;
}

static int encode_failed(fh_index *ix, int st)
{
    if (st == FH_EINVAL) /* the builder or the merge wrote them: cannot be */
        fh_index_seterr(ix, "internal error: a segment's postings do not decode");
    return st;
}

/* Write one term's postings row (key, t: the builder's format) into w's
 * segment (st_inspost prepared): the row (df, then the packed postings)
 * goes into the term block being filled (block_add).  Used by the batch
 * writer and by the merge, which both write terms in key order. */
static int put_term(fh_index *ix, chunkw *w, rowenc *e, const char *key, const bterm *t,
                    const char *what)
{
    size_t kn, en;
    int st = encode_term(e, key, t, &kn, &en);
    if (st != FH_OK)
        return encode_failed(ix, st);
    if ((st = block_add(ix, w, e->key, kn, e->enc, en, what)) != FH_OK)
        return st;
    e->bytes += en;
    return FH_OK;
}

/*
 * The segment writer's helper: with a second thread allowed (ingest
 * threads), a large batch's terms are sorted in two halves at once, and
 * the rows of the later terms are encoded into memory on the helper
 * thread while this one encodes and writes the earlier ones; then those
 * rows are written.  The segment is the same either way.
 */
#define SPLIT_MIN 4096 /* terms: smaller batches are written on one thread */

typedef struct segjob {
    bterm **ord;
    uint32_t from, to; /* sort: ord[from..to); encode: the terms from..to */
    char *out;          /* encoded: per term varint kn, key, varint en, row */
    size_t n, cap;
    int st;
} segjob;

static void *sort_main(void *arg)
{
    segjob *j = arg;
    qsort(j->ord + j->from, j->to - j->from, sizeof *j->ord, cmp_term);
    return NULL;
}

static void *encode_main(void *arg)
{
    segjob *j = arg;
    rowenc e;
    memset(&e, 0, sizeof e);
    j->st = FH_OK;
    for (uint32_t i = j->from; j->st == FH_OK && i < j->to; i++) {
        size_t kn, en;
        if ((j->st = encode_term(&e, bterm_key(j->ord[i]), j->ord[i], &kn, &en)) != FH_OK)
            break;
        if ((j->st = grow_bytes(&j->out, &j->cap, j->n + 20 + kn + en)) != FH_OK)
            break;
        unsigned char *o = (unsigned char *)j->out;
        j->n += fh_varint_put(o + j->n, kn);
        memcpy(o + j->n, e.key, kn);
        j->n += kn;
        j->n += fh_varint_put(o + j->n, en);
        memcpy(o + j->n, e.enc, en);
        j->n += en;
    }
    rowenc_free(&e);
    return NULL;
}

/* Sort ord[0..n) in term order, the halves on two threads when allowed. */
static int sort_terms(fh_index *ix, bterm **ord, uint32_t n)
{
    pthread_t th;
    uint32_t h = n / 2;
    segjob j = {ord, h, n, NULL, 0, 0, FH_OK};
    if (ix->opt.ingest_threads <= 0 || n < SPLIT_MIN || pthread_create(&th, NULL, sort_main, &j)) {
        qsort(ord, n, sizeof *ord, cmp_term);
        return FH_OK;
    }
    qsort(ord, h, sizeof *ord, cmp_term);
    pthread_join(th, NULL);
    bterm **m = malloc((size_t)n * sizeof *m);
    if (!m)
        return FH_ENOMEM;
    uint32_t a = 0, b = h, k = 0;
    while (a < h && b < n)
        m[k++] = cmp_term(&ord[b], &ord[a]) < 0 ? ord[b++] : ord[a++];
    while (a < h)
        m[k++] = ord[a++];
    while (b < n)
        m[k++] = ord[b++];
    memcpy(ord, m, (size_t)n * sizeof *m);
    free(m);
    return FH_OK;
}

/* Write the terms ord[0..n) in order: the later ones encoded on a helper
 * thread when allowed (the cut where half the builder's bytes are behind). */
static int write_terms(fh_index *ix, chunkw *w, rowenc *e, bterm **ord, uint32_t n)
{
    int st = FH_OK;
    uint64_t total = 0, half = 0;
    uint32_t cut = n;
    pthread_t th;
    int threaded = 0;
    segjob j;
    memset(&j, 0, sizeof j);
    if (ix->opt.ingest_threads > 0 && n >= SPLIT_MIN) {
        for (uint32_t i = 0; i < n; i++)
            total += ord[i]->n;
        for (cut = 0; cut < n && half < total / 2; cut++)
            half += ord[cut]->n;
        j.ord = ord;
        j.from = cut;
        j.to = n;
        threaded = cut < n && pthread_create(&th, NULL, encode_main, &j) == 0;
        if (!threaded)
            cut = n;
    }
    for (uint32_t i = 0; st == FH_OK && i < cut; i++)
        st = put_term(ix, w, e, bterm_key(ord[i]), ord[i], "writing postings");
    if (!threaded)
        return st;
    pthread_join(th, NULL);
    if (st == FH_OK && j.st != FH_OK)
        st = encode_failed(ix, j.st);
    const unsigned char *p = (const unsigned char *)j.out, *end = p + j.n;
    for (uint32_t i = cut; st == FH_OK && i < n; i++) {
        uint64_t kn, en;
        if (!fh_varint_get(&p, end, &kn) || kn > (uint64_t)(end - p)) {
            st = encode_failed(ix, FH_EINVAL);
            break;
        }
        const unsigned char *key = p;
        p += kn;
        if (!fh_varint_get(&p, end, &en) || en > (uint64_t)(end - p)) {
            st = encode_failed(ix, FH_EINVAL);
            break;
        }
        st = block_add(ix, w, key, (size_t)kn, p, (size_t)en, "writing postings");
        p += en;
        e->bytes += en;
    }
    free(j.out);
    return st;
}

/* Write the builder's postings as a new segment: a postings row per term,
 * in key order. */
static int write_segment(fh_index *ix)
{
    fh_builder *b = ix->bld;
    if (!b || b->nt == 0)
        return FH_OK;
    int st;
    if ((st = prep(ix, &ix->st_insseg, "INSERT INTO segments(ndocs, bytes) VALUES(?, ?)")) ||
        (st = prep(ix, &ix->st_inspost,
                   "INSERT INTO postings(term, seg, data) VALUES(?, ?, ?)")))
        return st;
    sqlite3_bind_int64(ix->st_insseg, 1, b->ndocs);
    sqlite3_bind_int64(ix->st_insseg, 2, (sqlite3_int64)b->bytes);
    if (sqlite3_step(ix->st_insseg) != SQLITE_DONE) {
        sqlite3_reset(ix->st_insseg);
        return sqlerr(ix, "writing a segment");
    }
    sqlite3_reset(ix->st_insseg);
    chunkw w;
    bterm **ord = malloc((size_t)b->nt * sizeof *ord);
    if (!ord || chunkw_init(ix, &w, sqlite3_last_insert_rowid(ix->db)) != FH_OK) {
        free(ord);
        fh_index_seterr(ix, "out of memory writing a segment");
        return FH_ENOMEM;
    }
    for (uint32_t i = 0; i < b->nt; i++)
        ord[i] = &b->t[i];
    rowenc e;
    memset(&e, 0, sizeof e);
    st = sort_terms(ix, ord, b->nt);
    if (st == FH_OK)
        st = write_terms(ix, &w, &e, ord, b->nt);
    size_t bytes = e.bytes;
    rowenc_free(&e);
    if (st == FH_OK)
        st = segment_finish(ix, &w, "writing postings");
    if (st == FH_OK) { /* the segment's size as written */
        char sql[96];
        snprintf(sql, sizeof sql, "UPDATE segments SET bytes = %zu WHERE id = %lld", bytes,
                 (long long)w.seg);
        if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            st = sqlerr(ix, "writing a segment");
    }
    if (st == FH_ENOMEM)
        fh_index_seterr(ix, "out of memory writing a segment");
    free(ord);
    chunkw_free(&w);
    if (st != FH_OK)
        return st;
    builder_free(ix->bld);
    ix->bld = NULL;
    return FH_OK;
}

/* End the batch in flight: roll it back after a failed write (st < 0:
 * the message gains how much was lost), or commit it and report it. */
static int end_batch(fh_index *ix, int st)
{
    /* the builder thread lets go of the builder before it is written or
     * freed (after a failed write it may still hold documents) */
    int dst = ingest_drain(ix->ing);
    if (st == FH_OK && dst != FH_OK) {
        fh_index_seterr(ix, "out of memory indexing a document");
        st = dst;
    }
    if (st == FH_OK && sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = sqlerr(ix, "committing a batch");
    if (st != FH_OK) {
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
        size_t n = strlen(ix->err);
        snprintf(ix->err + n, sizeof ix->err - n,
                 "; the batch in flight (%zu documents) was rolled back, the batches committed"
                 " before are intact",
                 ix->batch_n);
    }
    ix->in_tx = 0;
    builder_free(ix->bld);
    ix->bld = NULL;
    ix->loaded = 0; /* statistics changed */
    if (st == FH_OK && ix->opt.on_commit)
        ix->opt.on_commit(ix->opt.commit_ctx, ix->batch_n, ix->last_id ? ix->last_id : "");
    return st;
}

int fh_index_commit(fh_index *ix)
{
    if (!ix)
        return FH_EINVAL;
    if (!ix->in_tx)
        return FH_OK;
    /* the builder thread's documents first: the segment must hold them */
    int st = ingest_drain(ix->ing);
    if (st != FH_OK)
        fh_index_seterr(ix, "out of memory indexing a document");
    else
        st = write_segment(ix);
    return end_batch(ix, st);
}

/* Remember the batch's last document, for on_commit. */
static int note_last(fh_index *ix, const char *id, size_t n)
{
    if (n + 1 > ix->last_id_cap) {
        size_t nc = n + 1 < 64 ? 64 : 2 * (n + 1);
        char *p = realloc(ix->last_id, nc);
        if (!p)
            return FH_ENOMEM;
        ix->last_id = p;
        ix->last_id_cap = nc;
    }
    memcpy(ix->last_id, id, n);
    ix->last_id[n] = '\0';
    return FH_OK;
}

static int add_doc(fh_index *ix, const fh_doc_in *d);

int fh_index_add(fh_index *ix, const fh_doc_in *d)
{
    if (!ix || !d || !d->ext_id || d->ext_id_len == 0) {
        if (ix)
            fh_index_seterr(ix, "a document needs an id");
        return FH_EINVAL;
    }
    if (!d->title_len && !d->body_len) {
        fh_index_seterr(ix, "document '%.*s' has neither title nor body", (int)d->ext_id_len,
                        d->ext_id);
        return FH_EINVAL;
    }
    if (d->title_len > ix->opt.max_doc_bytes ||
        d->body_len > ix->opt.max_doc_bytes - d->title_len) {
        fh_index_seterr(ix, "document '%.*s' is larger than the limit of %zu bytes (max_doc_bytes)",
                        (int)(d->ext_id_len < 200 ? d->ext_id_len : 200), d->ext_id,
                        ix->opt.max_doc_bytes);
        return FH_EINVAL;
    }
    int st = add_doc(ix, d);
    if (st < 0 && ix->in_tx) /* a write failed: the batch is lost, say so */
        return end_batch(ix, st);
    if (st >= 0 && st != FH_UNCHANGED) {
        ix->batch_text += d->title_len + d->body_len;
        if (++ix->batch_n >= ix->opt.batch_docs || ix->batch_text >= ix->opt.batch_bytes) {
            int c = fh_index_commit(ix);
            if (c != FH_OK)
                return c;
        }
    }
    return st;
}

/* The work of fh_index_add once the document is known to be acceptable. */
static int add_doc(fh_index *ix, const fh_doc_in *d)
{
    int st;
    if ((st = begin(ix)) != FH_OK)
        return st;
    if ((st = prep(ix, &ix->st_find, "SELECT id, hash FROM docs WHERE ext_id = ?")) ||
        (st = prep(ix, &ix->st_insdoc,
                   "INSERT INTO docs(ext_id, title, body, source, url, date, hash, title_len,"
                   " body_len) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)")) ||
        (st = prep(ix, &ix->st_deldoc, "DELETE FROM docs WHERE id = ?")))
        return st;
    uint64_t h = content_hash(d);
    int result = FH_ADDED;
    sqlite3_bind_text(ix->st_find, 1, d->ext_id, (int)d->ext_id_len, SQLITE_TRANSIENT);
    int rc = sqlite3_step(ix->st_find);
    if (rc == SQLITE_ROW) {
        sqlite3_int64 old = sqlite3_column_int64(ix->st_find, 0);
        uint64_t oh = (uint64_t)sqlite3_column_int64(ix->st_find, 1);
        sqlite3_reset(ix->st_find);
        if (oh == h)
            return FH_UNCHANGED;
        sqlite3_bind_int64(ix->st_deldoc, 1, old);
        rc = sqlite3_step(ix->st_deldoc);
        sqlite3_reset(ix->st_deldoc);
        if (rc != SQLITE_DONE)
            return sqlerr(ix, "replacing a document");
        result = FH_REPLACED;
    } else {
        sqlite3_reset(ix->st_find);
        if (rc != SQLITE_DONE)
            return sqlerr(ix, "looking up a document");
    }

    /* analyze: title tokens first, then body; the tokens are recorded
     * (their memory reused from one document to the next) and the builder
     * makes them terms, on its thread if there is one */
    if (ix->opt.ingest_threads > 0 && !ix->ing && !ix->ing_failed &&
        !(ix->ing = ingest_start()))
        ix->ing_failed = 1; /* build on this thread */
    unsigned slot = ix->ing ? ingest_slot(ix->ing) : 0;
    doctoks *tk = ix->ing ? &ix->ing->tok[slot] : ix->toks;
    if (!tk && !(tk = ix->toks = calloc(1, sizeof *tk))) {
        fh_index_seterr(ix, "out of memory analyzing a document");
        return FH_ENOMEM;
    }
    tk->n = 0;
    tk->nb = 0;
    tk->title_tokens = tk->body_tokens = 0;
    tk->oom = 0;
    tk->in_title = 1;
    if (d->title)
        fh_analyze(ix->an, d->title, d->title_len, on_doc_token, tk);
    tk->in_title = 0;
    if (d->body && !tk->oom)
        fh_analyze(ix->an, d->body, d->body_len, on_doc_token, tk);
    if (tk->oom) {
        fh_index_seterr(ix, "out of memory analyzing a document");
        return FH_ENOMEM;
    }

    sqlite3_stmt *s = ix->st_insdoc;
    bind_text(s, 1, d->ext_id, d->ext_id_len);
    bind_text(s, 2, d->title, d->title_len);
    bind_text(s, 3, d->body, d->body_len);
    bind_text(s, 4, d->source, d->source_len);
    bind_text(s, 5, d->url, d->url_len);
    bind_text(s, 6, d->date, d->date_len);
    sqlite3_bind_int64(s, 7, (sqlite3_int64)h);
    sqlite3_bind_int64(s, 8, tk->title_tokens);
    sqlite3_bind_int64(s, 9, tk->body_tokens);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return sqlerr(ix, "storing a document");
    sqlite3_int64 id = sqlite3_last_insert_rowid(ix->db);
    if (id > (sqlite3_int64)UINT32_MAX - 1) {
        fh_index_seterr(ix, "too many documents ever added (4 billion)");
        return FH_ERANGE;
    }
    if (ix->ing)
        ingest_push(ix->ing, slot, ix->bld, (uint32_t)id);
    else if (!ix->acc && !(ix->acc = calloc(1, sizeof *ix->acc)))
        st = FH_ENOMEM;
    else if ((st = docacc_fill(ix->acc, tk)) == FH_OK)
        st = builder_add_doc(ix->bld, ix->acc, (uint32_t)id);
    if (st != FH_OK) {
        fh_index_seterr(ix, "out of memory indexing a document");
        return st;
    }
    if ((st = note_last(ix, d->ext_id, d->ext_id_len)) != FH_OK) {
        fh_index_seterr(ix, "out of memory indexing a document");
        return st;
    }
    return result;
}

int fh_index_delete(fh_index *ix, const char *ext_id)
{
    if (!ix || !ext_id)
        return FH_EINVAL;
    int st;
    if ((st = begin(ix)) != FH_OK)
        return st;
    /* a failure rolls back the whole transaction (the batch in flight, if
     * documents were added before: end_batch says how many) */
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(ix->db, "DELETE FROM docs WHERE ext_id = ?", -1, &q, NULL) != SQLITE_OK)
        return end_batch(ix, sqlerr(ix, "deleting"));
    sqlite3_bind_text(q, 1, ext_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) {
        st = sqlerr(ix, "deleting");
        sqlite3_finalize(q);
        return end_batch(ix, st);
    }
    sqlite3_finalize(q);
    int n = sqlite3_changes(ix->db);
    if ((st = fh_index_commit(ix)) != FH_OK)
        return st;
    return n > 0;
}

/* ------------------------------------------------------------------ */
/* Reading: per-document data, postings, cache                         */
/* ------------------------------------------------------------------ */

struct fh_cached {
    /* the cache's list, newest first, evicted from the back with a second
     * chance (CLOCK): a list used since it was made or last passed over
     * (ref) goes back to the front instead.  A hit only sets ref: moving
     * the list to the front on every look-up wrote to two other lists'
     * nodes, cache misses a query's thirty look-ups paid in turn */
    fh_cached *prev, *next;
    fh_cached *hnext; /* hash chain */
    uint32_t hash, len;
    unsigned char ref;
    uint64_t epoch; /* the last search (fh_index.cache_epoch) that used it */
    size_t bytes;
    fh_plist pl;
    char term[];
};

#define CACHE_BUCKETS 65536
static fh_cached **cache_tab(fh_index *ix);

static void plist_free(fh_plist *p)
{
    free(p->doc);
    free(p->tt);
    free(p->tb);
    free(p->pos_off);
    free(p->pos);
    free(p->ratio);
    free(p->wmax);
    free(p->wbeg);
    free(p->skip);
}

/* The LRU list's sentinel is ix->cache; the hash buckets are ix->buckets. */
static fh_cached **cache_tab(fh_index *ix)
{
    if (!ix->cache) {
        fh_cached *head = calloc(1, sizeof *head);
        fh_cached **b = calloc(CACHE_BUCKETS, sizeof *b);
        if (!head || !b) {
            free(head);
            free(b);
            return NULL;
        }
        head->prev = head->next = head;
        ix->cache = head;
        ix->buckets = b;
    }
    return ix->buckets;
}

static void cache_clear(fh_index *ix)
{
    if (!ix->cache)
        return;
    fh_cached *head = ix->cache;
    for (fh_cached *c = head->next; c != head;) {
        fh_cached *n = c->next;
        plist_free(&c->pl);
        free(c);
        c = n;
    }
    free(head);
    free(ix->buckets);
    ix->cache = NULL;
    ix->buckets = NULL;
    ix->cache_bytes = 0;
    memset(ix->memo, 0, sizeof ix->memo);
}

static void cache_unlink(fh_index *ix, fh_cached *c)
{
    c->prev->next = c->next;
    c->next->prev = c->prev;
    fh_cached **b = &cache_tab(ix)[c->hash & (CACHE_BUCKETS - 1)];
    while (*b && *b != c)
        b = &(*b)->hnext;
    if (*b)
        *b = c->hnext;
}

int fh_index_load(fh_index *ix)
{
    if (ix->loaded)
        return FH_OK;
    reader_free(ix);
    cache_clear(ix); /* postings may have changed */
    sqlite3_stmt *q = NULL;
    int st = FH_OK;
    if (sqlite3_prepare_v2(ix->db, "SELECT coalesce(max(id), 0) FROM docs", -1, &q, NULL) !=
            SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sqlerr(ix, "reading the index");
    }
    sqlite3_int64 maxid = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    /* ids of deleted documents may exceed max(id) of the live ones: use the
     * rowid sequence's high-water mark from the postings instead, cheaply
     * bounded by max(id) + what segments hold; postings beyond nmeta are
     * treated as deleted */
    ix->nmeta = (uint32_t)maxid + 1;
    ix->meta = calloc(ix->nmeta, sizeof *ix->meta);
    if (!ix->meta) {
        fh_index_seterr(ix, "out of memory loading the index");
        return FH_ENOMEM;
    }
    for (uint32_t i = 0; i < ix->nmeta; i++)
        ix->meta[i].tl = -1;
    /* the external ids: a hit's id without reading its row (ids_only) */
    size_t ext_n = 1, ext_cap = 4096;
    ix->ext_off = calloc(ix->nmeta, sizeof *ix->ext_off);
    ix->ext_ids = malloc(ext_cap);
    if (!ix->ext_off || !ix->ext_ids) {
        fh_index_seterr(ix, "out of memory loading the index");
        return FH_ENOMEM;
    }
    ix->ext_ids[0] = '\0'; /* offset 0: the empty id of an absent document */
    if (sqlite3_prepare_v2(ix->db, "SELECT id, title_len, body_len, source, date, ext_id FROM docs",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlerr(ix, "reading the index");
    double stl = 0, sbl = 0;
    uint64_t live = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(q, 0);
        if (id < 0 || id >= ix->nmeta)
            continue;
        const char *ext = (const char *)sqlite3_column_text(q, 5);
        size_t el = ext ? (size_t)sqlite3_column_bytes(q, 5) + 1 : 0;
        if (el > 1) {
            if (ext_n + el > UINT32_MAX) {
                st = FH_ENOMEM; /* 4 GB of ids */
                break;
            }
            if (ext_n + el > ext_cap) {
                while (ext_n + el > ext_cap)
                    ext_cap *= 2;
                char *nb = realloc(ix->ext_ids, ext_cap);
                if (!nb) {
                    st = FH_ENOMEM;
                    break;
                }
                ix->ext_ids = nb;
            }
            memcpy(ix->ext_ids + ext_n, ext, el);
            ix->ext_off[id] = (uint32_t)ext_n;
            ext_n += el;
        }
        fh_docmeta *m = &ix->meta[id];
        m->tl = (float)sqlite3_column_int64(q, 1);
        m->bl = (float)sqlite3_column_int64(q, 2);
        stl += m->tl;
        sbl += m->bl;
        live++;
        const char *src = (const char *)sqlite3_column_text(q, 3);
        m->source = 0;
        if (src) {
            uint16_t k;
            for (k = 0; k < ix->nsources; k++)
                if (!strcmp(ix->sources[k], src))
                    break;
            if (k == ix->nsources && ix->nsources < 65535) {
                char **ns = realloc(ix->sources, ((size_t)ix->nsources + 1) * sizeof *ns);
                char *dup = ns ? strdup(src) : NULL;
                if (!ns || !dup) {
                    free(dup);
                    if (ns)
                        ix->sources = ns;
                    st = FH_ENOMEM;
                    break;
                }
                ix->sources = ns;
                ix->sources[ix->nsources++] = dup;
            }
            m->source = (uint16_t)(k + 1); /* 0: none */
        }
        const char *dt = (const char *)sqlite3_column_text(q, 4);
        m->date = 0;
        if (dt) {
            unsigned y = 0, mo = 1, da = 1;
            if (sscanf(dt, "%4u-%2u-%2u", &y, &mo, &da) >= 1 && y > 0)
                m->date = y * 10000 + mo * 100 + da;
        }
    }
    sqlite3_finalize(q);
    if (st == FH_OK && rc != SQLITE_DONE)
        return sqlerr(ix, "reading the index");
    if (st != FH_OK) {
        fh_index_seterr(ix, "out of memory loading the index");
        return st;
    }
    /* the segments, in order (a document's id grows with its segment) */
    free(ix->segs);
    ix->segs = NULL;
    ix->nsegs = 0;
    if (sqlite3_prepare_v2(ix->db, "SELECT id FROM segments ORDER BY id", -1, &q, NULL) !=
        SQLITE_OK)
        return sqlerr(ix, "reading the index");
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t *ns = realloc(ix->segs, ((size_t)ix->nsegs + 1) * sizeof *ns);
        if (!ns) {
            sqlite3_finalize(q);
            return FH_ENOMEM;
        }
        ix->segs = ns;
        ix->segs[ix->nsegs++] = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    ix->live = live;
    ix->avg_tl = live ? stl / live : 0;
    ix->avg_bl = live ? sbl / live : 0;
    /* each document's BM25 length normalization k1 (1 - b + b dl/avgdl),
     * with dl counting title tokens title_weight times */
    ix->knorm = malloc((size_t)ix->nmeta * sizeof *ix->knorm);
    if (!ix->knorm)
        return FH_ENOMEM;
    double avg = ix->opt.title_weight * ix->avg_tl + ix->avg_bl;
    if (avg <= 0)
        avg = 1;
    for (uint32_t i = 0; i < ix->nmeta; i++) {
        double dl = ix->opt.title_weight * ix->meta[i].tl + ix->meta[i].bl;
        /* -1 marks a deleted id: the query loop reads one array, not two */
        ix->knorm[i] = ix->meta[i].tl < 0
                           ? -1.0f
                           : (float)(ix->opt.k1 * (1 - ix->opt.b + ix->opt.b * dl / avg));
    }
    ix->loaded = 1;
    return FH_OK;
}

int fh_index_read_begin(fh_index *ix)
{
    if (!sqlite3_get_autocommit(ix->db))
        return 0;
    if (!ix->mapped) {
        /* a handle that searches reads its hits' rows, and a list missing
         * from the postings cache its term block and chunks, straight from
         * the mapped file (the first GB of it; the rest through SQLite's
         * page cache) instead of a read() of each page into that cache
         * (readers had SQLite's default 2 MB of it).  Not at open: a handle
         * that only ingests would count the file's pages it touches in its
         * resident memory.  Where mapping is not available SQLite reads as
         * before. */
        sqlite3_exec(ix->db, "PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
        ix->mapped = 1;
    }
    if (!ix->st_begin && sqlite3_prepare_v2(ix->db, "BEGIN", -1, &ix->st_begin, NULL) != SQLITE_OK)
        return 0;
    if (!ix->st_commit &&
        sqlite3_prepare_v2(ix->db, "COMMIT", -1, &ix->st_commit, NULL) != SQLITE_OK)
        return 0;
    int rc = sqlite3_step(ix->st_begin);
    sqlite3_reset(ix->st_begin);
    return rc == SQLITE_DONE;
}

void fh_index_read_end(fh_index *ix, int began)
{
    if (!began)
        return;
    /* a read-only transaction: COMMIT only releases the snapshot */
    if (sqlite3_step(ix->st_commit) != SQLITE_DONE)
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_reset(ix->st_commit);
}

int fh_index_refresh(fh_index *ix)
{
    if (!ix)
        return FH_EINVAL;
    ix->loaded = 0;
    return fh_index_load(ix);
}

/* A term block being read (the layout is at block_add). */
typedef struct blkcur {
    const unsigned char *p, *end;
    uint64_t off;              /* stream offset of the next chunked row     */
    unsigned char key[KEY_MAX]; /* the current term, packed, kn bytes        */
    size_t kn;
    uint32_t count;            /* terms read                                */
    const unsigned char *data; /* its row: inline here, or NULL: chunked at */
    uint64_t coff;             /* this stream offset                        */
    size_t n;                  /* the row's bytes                           */
} blkcur;

static int blk_begin(blkcur *c, const unsigned char *p, size_t n)
{
    uint64_t v;
    c->p = p;
    c->end = p + n;
    c->kn = 0;
    c->count = 0;
    if (!p || !fh_varint_get(&c->p, c->end, &v) || v > UINT32_MAX)
        return FH_EINVAL;
    c->off = v;
    return FH_OK;
}

/* Step to the block's next term: 1, or 0 at its end, or FH_EINVAL when the
 * bytes are not a block (keys out of order included). */
static int blk_next(blkcur *c)
{
    if (c->p == c->end)
        return c->count ? 0 : FH_EINVAL; /* a block holds a term at least */
    uint64_t sh, sn, v;
    if (!fh_varint_get(&c->p, c->end, &sh) || !fh_varint_get(&c->p, c->end, &sn) ||
        sh > c->kn || (c->count == 0 && sh != 0) || sn == 0 || sn > KEY_MAX - sh ||
        sn > (size_t)(c->end - c->p))
        return FH_EINVAL;
    if (c->count) { /* keys increase: the new bytes sort after the old ones */
        size_t old = c->kn - sh, m = sn < old ? sn : old;
        int cmp = memcmp(c->p, c->key + sh, m);
        if (cmp < 0 || (cmp == 0 && sn <= old))
            return FH_EINVAL;
    }
    memcpy(c->key + sh, c->p, sn);
    c->kn = sh + sn;
    c->p += sn;
    if (!fh_varint_get(&c->p, c->end, &v))
        return FH_EINVAL;
    c->n = (size_t)(v >> 1);
    if (v & 1) {
        if (c->n <= INLINE_MAX || v >> 1 > UINT32_MAX || c->off + c->n > UINT32_MAX)
            return FH_EINVAL;
        c->data = NULL;
        c->coff = c->off;
        c->off += c->n;
    } else {
        if (c->n > (size_t)(c->end - c->p))
            return FH_EINVAL;
        c->data = c->p;
        c->p += c->n;
    }
    c->count++;
    return 1;
}

/*
 * The len bytes at stream offset off of segment seg's chunk stream,
 * gathered from its chunk rows into *buf (grown as needed, owned by the
 * caller).  FH_EINVAL: the chunks are damaged.
 */
static int chunk_read(fh_index *ix, sqlite3_int64 seg, uint64_t off, uint64_t len,
                      const unsigned char **p, size_t *n, unsigned char **buf, size_t *cap)
{
    uint64_t cb = (uint64_t)ix->chunk_bytes;
    if (len <= INLINE_MAX)
        return FH_EINVAL;
    if (len > *cap) {
        unsigned char *nb = realloc(*buf, len);
        if (!nb)
            return FH_ENOMEM;
        *buf = nb;
        *cap = len;
    }
    int st = prep(ix, &ix->st_chunk, "SELECT id, data FROM chunks WHERE id BETWEEN ? AND ?");
    if (st)
        return st;
    sqlite3_int64 k0 = (seg << 32) + (sqlite3_int64)(off / cb);
    sqlite3_int64 k1 = (seg << 32) + (sqlite3_int64)((off + len - 1) / cb);
    sqlite3_bind_int64(ix->st_chunk, 1, k0);
    sqlite3_bind_int64(ix->st_chunk, 2, k1);
    size_t got = 0;
    sqlite3_int64 want = k0;
    int rc;
    while ((rc = sqlite3_step(ix->st_chunk)) == SQLITE_ROW) {
        const unsigned char *c = sqlite3_column_blob(ix->st_chunk, 1);
        uint64_t cn = (uint64_t)sqlite3_column_bytes(ix->st_chunk, 1);
        uint64_t from = want == k0 ? off % cb : 0;
        if (sqlite3_column_int64(ix->st_chunk, 0) != want++ || (want <= k1 && cn != cb) ||
            from >= cn)
            break;
        uint64_t k = cn - from < len - got ? cn - from : len - got;
        memcpy(*buf + got, c + from, k);
        got += k;
    }
    sqlite3_reset(ix->st_chunk);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return sqlerr(ix, "reading postings");
    if (got != len)
        return FH_EINVAL;
    *p = *buf;
    *n = len;
    return FH_OK;
}

/* The row of the block's current term (segment seg): inline, or read from
 * the chunk stream into *buf. */
static int blk_data(fh_index *ix, sqlite3_int64 seg, const blkcur *c, const unsigned char **p,
                    size_t *n, unsigned char **buf, size_t *cap)
{
    if (c->data) {
        *p = c->data;
        *n = c->n;
        return FH_OK;
    }
    return chunk_read(ix, seg, c->coff, c->n, p, n, buf, cap);
}

/*
 * Every term of a set of segments in key order, a cursor per segment (its
 * blocks in key order): the merge, the statistics and the check read the
 * index through it.  Each block's first term must be its row's key, and
 * keys must increase across the blocks of a segment; FH_EINVAL otherwise,
 * with the message set.
 */
typedef struct segcur {
    sqlite3_stmt *q; /* the segment's blocks: term, data */
    sqlite3_int64 seg;
    blkcur b;
    int live;        /* b holds a term */
} segcur;

typedef struct termiter {
    segcur *c;
    uint32_t n;
    uint64_t blocks;
} termiter;

static void termiter_close(termiter *it)
{
    for (uint32_t i = 0; i < it->n; i++)
        sqlite3_finalize(it->c[i].q);
    free(it->c);
    it->c = NULL;
    it->n = 0;
}

static int blk_damaged(fh_index *ix, const segcur *c)
{
    char term[2 * KEY_MAX];
    size_t tl = c->b.count ? fh_term_unpack(term, c->b.key, c->b.kn) : 0;
    if (tl > 1)
        fh_index_seterr(ix, "segment %lld: the block of terms after '%.*s' is damaged",
                        (long long)c->seg, (int)tl - 1, term + 1);
    else
        fh_index_seterr(ix, "segment %lld: a block of terms is damaged", (long long)c->seg);
    return FH_EINVAL;
}

/* Step segment cursor c to its next term (c->live 0 at its end). */
static int segcur_next(fh_index *ix, termiter *it, segcur *c)
{
    int r;
    if (c->live && (r = blk_next(&c->b)) != 0) {
        if (r < 0)
            return blk_damaged(ix, c);
        return FH_OK;
    }
    unsigned char last[KEY_MAX];
    size_t ln = c->live ? c->b.kn : 0;
    if (ln)
        memcpy(last, c->b.key, ln);
    int rc = sqlite3_step(c->q);
    if (rc == SQLITE_DONE) {
        c->live = 0;
        return FH_OK;
    }
    if (rc != SQLITE_ROW)
        return sqlerr(ix, "reading postings");
    it->blocks++;
    const unsigned char *k = sqlite3_column_blob(c->q, 0);
    size_t kn = (size_t)sqlite3_column_bytes(c->q, 0);
    if (sqlite3_column_type(c->q, 1) != SQLITE_BLOB ||
        blk_begin(&c->b, sqlite3_column_blob(c->q, 1), (size_t)sqlite3_column_bytes(c->q, 1)) !=
            FH_OK ||
        blk_next(&c->b) != 1 || c->b.kn != kn || memcmp(c->b.key, k, kn) != 0) {
        c->b.count = 0;
        if (ln) { /* name the last good term */
            memcpy(c->b.key, last, ln);
            c->b.kn = ln;
            c->b.count = 1;
        }
        return blk_damaged(ix, c);
    }
    if (ln) { /* the block's first key follows the last block's last */
        int cmp = memcmp(last, c->b.key, ln < c->b.kn ? ln : c->b.kn);
        if (cmp > 0 || (cmp == 0 && ln >= c->b.kn))
            return blk_damaged(ix, c);
    }
    c->live = 1;
    return FH_OK;
}

/* Open cursors on every segment with postings and an id below `below`. */
static int termiter_open(fh_index *ix, termiter *it, sqlite3_int64 below)
{
    memset(it, 0, sizeof *it);
    sqlite3_stmt *q = NULL;
    int st = FH_OK, rc;
    uint32_t cap = 0;
    if (sqlite3_prepare_v2(ix->db, "SELECT DISTINCT seg FROM postings WHERE seg < ? ORDER BY seg",
                           -1, &q, NULL) != SQLITE_OK)
        return sqlerr(ix, "reading postings");
    sqlite3_bind_int64(q, 1, below);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (it->n == cap) {
            uint32_t nc = cap ? 2 * cap : 8;
            segcur *c = realloc(it->c, nc * sizeof *c);
            if (!c) {
                st = FH_ENOMEM;
                break;
            }
            it->c = c;
            cap = nc;
        }
        segcur *c = &it->c[it->n];
        memset(c, 0, sizeof *c);
        c->seg = sqlite3_column_int64(q, 0);
        if (sqlite3_prepare_v2(ix->db,
                               "SELECT term, data FROM postings WHERE seg = ? ORDER BY term", -1,
                               &c->q, NULL) != SQLITE_OK) {
            st = sqlerr(ix, "reading postings");
            break;
        }
        it->n++;
        sqlite3_bind_int64(c->q, 1, c->seg);
    }
    if (st == FH_OK && rc != SQLITE_DONE)
        st = sqlerr(ix, "reading postings");
    sqlite3_finalize(q);
    for (uint32_t i = 0; st == FH_OK && i < it->n; i++)
        st = segcur_next(ix, it, &it->c[i]);
    if (st != FH_OK)
        termiter_close(it);
    return st;
}

/* The cursor holding the smallest term (the oldest segment first among
 * equal terms), or NULL when every cursor is done.  Segments are few (a
 * batch makes one, a merge makes one of all): a scan finds it. */
static segcur *termiter_min(termiter *it)
{
    segcur *m = NULL;
    for (uint32_t i = 0; i < it->n; i++) {
        segcur *c = &it->c[i];
        if (!c->live)
            continue;
        if (!m) {
            m = c;
            continue;
        }
        size_t k = c->b.kn < m->b.kn ? c->b.kn : m->b.kn;
        int cmp = memcmp(c->b.key, m->b.key, k);
        if (cmp < 0 || (cmp == 0 && c->b.kn < m->b.kn))
            m = c;
    }
    return m;
}

/* A row's bytes begin with its df: read it, step past it. */
static int row_df(const unsigned char **p, size_t *n, uint32_t *df)
{
    const unsigned char *q = *p;
    uint64_t v;
    if (!fh_varint_get(&q, *p + *n, &v) || v > UINT32_MAX)
        return FH_EINVAL;
    *n -= (size_t)(q - *p);
    *p = q;
    *df = (uint32_t)v;
    return FH_OK;
}

/* Append one segment's postings row to the decoded list; the bounds
 * (max_tt .. min_bl) from its postings and the live documents' lengths. */
static int decode_append(fh_index *ix, fh_plist *pl, const unsigned char *p, size_t n, int stem,
                         uint32_t df)
{
    if (!ix->rd && !(ix->rd = calloc(1, sizeof *ix->rd)))
        return FH_ENOMEM;
    fh_rowdec *r = ix->rd;
    int st = row_decode(r, p, n, df, stem, 1);
    if (st != FH_OK)
        return st;
    uint32_t cap = pl->n + df;
    uint32_t *doc = realloc(pl->doc, cap * sizeof *doc);
    if (!doc)
        return FH_ENOMEM;
    pl->doc = doc;
    uint16_t *tt = realloc(pl->tt, cap * sizeof *tt);
    if (!tt)
        return FH_ENOMEM;
    pl->tt = tt;
    uint16_t *tb = realloc(pl->tb, cap * sizeof *tb);
    if (!tb)
        return FH_ENOMEM;
    pl->tb = tb;
    uint32_t npos = pl->pos_off && pl->n ? pl->pos_off[pl->n] : 0;
    if (stem) {
        uint32_t *po = realloc(pl->pos_off, (cap + 1) * sizeof *po);
        if (!po)
            return FH_ENOMEM;
        pl->pos_off = po;
        if (r->npos > UINT32_MAX - npos)
            return FH_EINVAL;
        uint32_t *pv = realloc(pl->pos, ((size_t)npos + r->npos + 1) * sizeof *pv);
        if (!pv)
            return FH_ENOMEM;
        pl->pos = pv;
        memcpy(pv + npos, r->pos, (size_t)r->npos * sizeof *pv);
    }
    memcpy(pl->doc + pl->n, r->doc, (size_t)df * sizeof *r->doc);
    for (uint32_t k = 0; k < df; k++) {
        uint32_t a = r->tt[k], b = r->tb[k], id = r->doc[k];
        if (a > pl->max_tt)
            pl->max_tt = a;
        if (b > pl->max_tb)
            pl->max_tb = b;
        if (id < ix->nmeta && ix->meta[id].tl >= 0) {
            if ((uint32_t)ix->meta[id].tl < pl->min_tl)
                pl->min_tl = (uint32_t)ix->meta[id].tl;
            if ((uint32_t)ix->meta[id].bl < pl->min_bl)
                pl->min_bl = (uint32_t)ix->meta[id].bl;
        }
        pl->tt[pl->n + k] = (uint16_t)(a > 65535 ? 65535 : a);
        pl->tb[pl->n + k] = (uint16_t)(b > 65535 ? 65535 : b);
        if (stem) {
            pl->pos_off[pl->n + k] = npos;
            npos += a + b;
        }
    }
    pl->n += df;
    if (stem)
        pl->pos_off[pl->n] = npos;
    return FH_OK;
}

const fh_plist *fh_index_postings(fh_index *ix, const char *term, size_t len, int *status)
{
    *status = FH_OK;
    uint32_t h = hash_bytes(term, len);
    fh_cached **tab = cache_tab(ix);
    if (!tab) {
        *status = FH_ENOMEM;
        return NULL;
    }
    struct fh_memo *m = &ix->memo[h % (sizeof ix->memo / sizeof ix->memo[0])];
    if (m->c && m->epoch == ix->cache_epoch && m->hash == h && m->len == len &&
        memcmp(m->c->term, term, len) == 0) /* kept for this search: not evicted */
        return m->c->pl.n ? &m->c->pl : NULL;
    for (fh_cached *c = tab[h & (CACHE_BUCKETS - 1)]; c; c = c->hnext)
        if (c->hash == h && c->len == len && memcmp(c->term, term, len) == 0) {
            c->ref = 1;
            c->epoch = ix->cache_epoch;
            *m = (struct fh_memo){ix->cache_epoch, h, (uint32_t)len, c};
            return c->pl.n ? &c->pl : NULL;
        }
    /* the block that would hold the term: the last one from the term down */
    if (prep(ix, &ix->st_post,
             "SELECT term, data FROM postings WHERE seg = ? AND term <= ?"
             " ORDER BY term DESC LIMIT 1") != FH_OK) {
        *status = FH_EIO;
        return NULL;
    }
    fh_cached *c = calloc(1, sizeof *c + len);
    unsigned char kb[512], *key = 2 * len <= sizeof kb ? kb : malloc(2 * len);
    if (!c || !key) {
        free(c);
        if (key != kb)
            free(key);
        *status = FH_ENOMEM;
        return NULL;
    }
    size_t kn = fh_term_pack(key, term, len);
    memcpy(c->term, term, len);
    c->len = (uint32_t)len;
    c->hash = h;
    c->pl.min_tl = c->pl.min_bl = UINT32_MAX;
    int rc = SQLITE_DONE, st = FH_OK;
    for (uint32_t sg = 0; st == FH_OK && sg < ix->nsegs; sg++) {
        sqlite3_bind_int64(ix->st_post, 1, ix->segs[sg]);
        sqlite3_bind_blob(ix->st_post, 2, key, (int)kn, SQLITE_STATIC);
        if ((rc = sqlite3_step(ix->st_post)) == SQLITE_ROW) {
            blkcur b;
            int r = 0;
            if (sqlite3_column_type(ix->st_post, 1) != SQLITE_BLOB ||
                blk_begin(&b, sqlite3_column_blob(ix->st_post, 1),
                          (size_t)sqlite3_column_bytes(ix->st_post, 1)) != FH_OK)
                st = FH_EINVAL;
            while (st == FH_OK && (r = blk_next(&b)) == 1) {
                int cmp = memcmp(b.key, key, b.kn < kn ? b.kn : kn);
                if (cmp == 0)
                    cmp = (b.kn > kn) - (b.kn < kn);
                if (cmp > 0)
                    break; /* not in this segment */
                if (cmp < 0)
                    continue;
                const unsigned char *data;
                size_t n;
                uint32_t df;
                if ((st = blk_data(ix, ix->segs[sg], &b, &data, &n, &ix->scratch,
                                   &ix->scratch_cap)) != FH_OK ||
                    (st = row_df(&data, &n, &df)) != FH_OK)
                    break;
                c->pl.df += df;
                /* the stem space carries positions */
                st = decode_append(ix, &c->pl, data, n, term[0] == FH_SPACE_STEM, df);
                break;
            }
            if (st == FH_OK && r < 0)
                st = FH_EINVAL;
        }
        sqlite3_reset(ix->st_post);
        if (st == FH_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
            st = sqlerr(ix, "reading postings");
    }
    if (key != kb)
        free(key);
    if (st == FH_EINVAL)
        fh_index_seterr(ix, "the index is damaged: bad postings for a term (run fahras check)");
    if (st != FH_OK) {
        plist_free(&c->pl);
        free(c);
        *status = st;
        return NULL;
    }
    if (c->pl.n >= 2 * FH_SKIP && (c->pl.skip = malloc(((size_t)c->pl.n / FH_SKIP + 1) * 4)))
        for (uint32_t i = 0; i * FH_SKIP < c->pl.n; i++)
            c->pl.skip[i] = c->pl.doc[(size_t)i * FH_SKIP];
    c->bytes = sizeof *c + len + (size_t)c->pl.n * 12 /* doc, tt, tb, ratio */ +
               (c->pl.skip ? ((size_t)c->pl.n / FH_SKIP + 1) * 4 : 0) +
               (c->pl.pos_off ? (size_t)c->pl.n * 4 : 0) +
               (c->pl.pos_off ? (size_t)c->pl.pos_off[c->pl.n] * 4 : 0);
    /* the query side's bounds and starts per window (search.c), made later */
    size_t nw = ((size_t)ix->nmeta + MAXSCORE_WINDOW - 1) / MAXSCORE_WINDOW;
    c->bytes += nw * 4 + (c->pl.n > nw ? (nw + 1) * 4 : 0);
    /* insert at the front; evict from the back */
    c->hnext = tab[h & (CACHE_BUCKETS - 1)];
    tab[h & (CACHE_BUCKETS - 1)] = c;
    c->next = ix->cache->next;
    c->prev = ix->cache;
    ix->cache->next->prev = c;
    ix->cache->next = c;
    ix->cache_bytes += c->bytes;
    c->epoch = ix->cache_epoch;
    *m = (struct fh_memo){ix->cache_epoch, h, (uint32_t)len, c};
    /* each older list once, from the back: one the search in progress holds
     * stays where it is (the cache may exceed its limit by what one search
     * needs); one used since it was last passed over goes to the front (in
     * front of c, so it is not visited again), the others are evicted */
    for (fh_cached *old = ix->cache->prev; ix->cache_bytes > ix->opt.cache_bytes && old != c;) {
        fh_cached *prev = old->prev;
        if (old->epoch == ix->cache_epoch) {
            old = prev;
            continue;
        }
        if (old->ref) {
            old->ref = 0;
            old->prev->next = old->next;
            old->next->prev = old->prev;
            old->next = ix->cache->next;
            old->prev = ix->cache;
            ix->cache->next->prev = old;
            ix->cache->next = old;
            old = prev;
            continue;
        }
        cache_unlink(ix, old);
        ix->cache_bytes -= old->bytes;
        plist_free(&old->pl);
        free(old);
        old = prev;
    }
    return c->pl.n ? &c->pl : NULL;
}

static int cmp_packed(const void *x, const void *y)
{
    const unsigned char *a = *(const unsigned char *const *)x, *b = *(const unsigned char *const *)y;
    /* each key is stored after its length byte */
    int c = memcmp(a + 1, b + 1, a[0] < b[0] ? a[0] : b[0]);
    return c ? c : (a[0] > b[0]) - (a[0] < b[0]);
}

int fh_index_terms(fh_index *ix, const char *prefix, size_t len, size_t max,
                   int (*fn)(void *ctx, const char *term, size_t len), void *ctx)
{
    unsigned char lo[KEY_MAX + 1], hi[KEY_MAX + 1];
    if (len == 0 || 2 * len > KEY_MAX || max == 0)
        return FH_OK;
    size_t ln = fh_term_pack(lo, prefix, len);
    /* the upper bound: the packed prefix then 0xFF, a byte no packed UTF-8
     * text holds */
    memcpy(hi, lo, ln);
    hi[ln] = 0xFF;
    if (prep(ix, &ix->st_prefix,
             "SELECT term, data FROM postings WHERE seg = ?1 AND term < ?3 AND term >="
             " coalesce((SELECT term FROM postings WHERE seg = ?1 AND term <= ?2"
             " ORDER BY term DESC LIMIT 1), ?2) ORDER BY term") != FH_OK)
        return FH_EIO;
    /* each segment's matches in key order (up to max of them), as
     * length-prefixed packed keys; merged, sorted and made distinct */
    unsigned char **keys = NULL;
    size_t nk = 0, capk = 0;
    int st = FH_OK;
    for (uint32_t sg = 0; st == FH_OK && sg < ix->nsegs; sg++) {
        sqlite3_bind_int64(ix->st_prefix, 1, ix->segs[sg]);
        sqlite3_bind_blob(ix->st_prefix, 2, lo, (int)ln, SQLITE_STATIC);
        sqlite3_bind_blob(ix->st_prefix, 3, hi, (int)ln + 1, SQLITE_STATIC);
        size_t got = 0;
        int rc, done = 0;
        while (!done && st == FH_OK && (rc = sqlite3_step(ix->st_prefix)) == SQLITE_ROW) {
            blkcur b;
            int r = 0;
            if (sqlite3_column_type(ix->st_prefix, 1) != SQLITE_BLOB ||
                blk_begin(&b, sqlite3_column_blob(ix->st_prefix, 1),
                          (size_t)sqlite3_column_bytes(ix->st_prefix, 1)) != FH_OK) {
                st = FH_EINVAL;
                break;
            }
            while ((r = blk_next(&b)) == 1) {
                int below = memcmp(b.key, lo, b.kn < ln ? b.kn : ln);
                if (below < 0 || (below == 0 && b.kn < ln))
                    continue;
                if (below > 0) { /* past the prefix */
                    done = 1;
                    break;
                }
                if (b.kn > 255)
                    continue;
                if (nk == capk) {
                    size_t nc = capk ? 2 * capk : 64;
                    unsigned char **k = realloc(keys, nc * sizeof *k);
                    if (!k) {
                        st = FH_ENOMEM;
                        break;
                    }
                    keys = k;
                    capk = nc;
                }
                if (!(keys[nk] = malloc(b.kn + 1))) {
                    st = FH_ENOMEM;
                    break;
                }
                keys[nk][0] = (unsigned char)b.kn;
                memcpy(keys[nk] + 1, b.key, b.kn);
                nk++;
                if (++got == max) {
                    done = 1;
                    break;
                }
            }
            if (st == FH_OK && r < 0)
                st = FH_EINVAL;
        }
        if (st == FH_OK && !done && rc != SQLITE_DONE)
            st = sqlerr(ix, "expanding a prefix");
        sqlite3_reset(ix->st_prefix);
    }
    if (st == FH_EINVAL)
        fh_index_seterr(ix, "the index is damaged: bad term blocks (run fahras check)");
    if (st == FH_OK && ix->nsegs > 1)
        qsort(keys, nk, sizeof *keys, cmp_packed);
    size_t out = 0;
    for (size_t i = 0; st == FH_OK && i < nk && out < max; i++) {
        if (i > 0 && cmp_packed(&keys[i - 1], &keys[i]) == 0)
            continue;
        char t[2 * KEY_MAX];
        size_t tl = fh_term_unpack(t, keys[i] + 1, keys[i][0]);
        st = fn(ctx, t, tl);
        out++;
    }
    for (size_t i = 0; i < nk; i++)
        free(keys[i]);
    free(keys);
    return st;
}

int fh_index_get(fh_index *ix, const char *ext_id, fh_doc_view *out)
{
    if (!ix || !ext_id || !out)
        return FH_EINVAL;
    if (prep(ix, &ix->st_get,
             "SELECT ext_id, title, body, source, url, date FROM docs WHERE ext_id = ?") != FH_OK)
        return FH_EIO;
    sqlite3_reset(ix->st_get);
    sqlite3_bind_text(ix->st_get, 1, ext_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(ix->st_get);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW)
        return sqlerr(ix, "reading a document");
    const char **f[] = {&out->ext_id, &out->title, &out->body, &out->source, &out->url, &out->date};
    for (int i = 0; i < 6; i++) {
        const char *t = (const char *)sqlite3_column_text(ix->st_get, i);
        *f[i] = t ? t : "";
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* Statistics, checking, merging                                       */
/* ------------------------------------------------------------------ */

static long long scalar(fh_index *ix, const char *sql)
{
    sqlite3_stmt *q = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(ix->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

int fh_index_stats_get(fh_index *ix, fh_index_stats *st)
{
    if (!ix || !st)
        return FH_EINVAL;
    memset(st, 0, sizeof *st);
    st->documents = scalar(ix, "SELECT count(*) FROM docs");
    st->segments = scalar(ix, "SELECT count(*) FROM segments");
    /* distinct terms over all segments, and the bytes of their rows (df
     * and postings, inline or chunked) */
    termiter it;
    int rc = termiter_open(ix, &it, INT64_MAX);
    if (rc != FH_OK)
        return rc;
    unsigned char last[KEY_MAX];
    size_t ln = 0;
    segcur *sc;
    while ((sc = termiter_min(&it)) != NULL) {
        if (ln == 0 || ln != sc->b.kn || memcmp(last, sc->b.key, ln) != 0) {
            st->terms++;
            memcpy(last, sc->b.key, sc->b.kn);
            ln = sc->b.kn;
        }
        st->postings_bytes += (long long)sc->b.n;
        if ((rc = segcur_next(ix, &it, sc)) != FH_OK) {
            termiter_close(&it);
            return rc;
        }
    }
    termiter_close(&it);
    /* on disk: every page of the term rows and the chunk rows, as SQLite's
     * dbstat table counts them (-1 without dbstat) */
    st->index_bytes = scalar(ix, "SELECT coalesce(sum(pgsize), 0) FROM dbstat('main', 1)"
                                 " WHERE name IN ('postings', 'chunks')");
    st->text_bytes = scalar(ix, "SELECT coalesce(sum(coalesce(length(CAST(title AS BLOB)), 0) +"
                                " coalesce(length(CAST(body AS BLOB)), 0)), 0) FROM docs");
    long long ps = scalar(ix, "PRAGMA page_size"), pc = scalar(ix, "PRAGMA page_count");
    st->file_bytes = ps > 0 && pc >= 0 ? ps * pc : -1;
    /* documents whose postings remain until a merge */
    st->deleted = scalar(ix, "SELECT coalesce(sum(ndocs), 0) FROM segments") - st->documents;
    if (st->documents < 0 || st->segments < 0 || st->terms < 0)
        return sqlerr(ix, "reading statistics");
    return FH_OK;
}

int fh_index_check(fh_index *ix)
{
    if (!ix)
        return FH_EINVAL;
    int st0 = fh_index_commit(ix); /* a batch in flight is not in the index yet */
    if (st0 != FH_OK)
        return st0;
    ix->loaded = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(ix->db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        return sqlerr(ix, "integrity check");
    }
    const char *r = (const char *)sqlite3_column_text(q, 0);
    if (!r || strcmp(r, "ok")) {
        fh_index_seterr(ix, "SQLite integrity check failed: %s", r ? r : "?");
        sqlite3_finalize(q);
        return FH_EINVAL;
    }
    sqlite3_finalize(q);
    int st = fh_index_load(ix);
    if (st != FH_OK)
        return st;
    long long segdocs = scalar(ix, "SELECT coalesce(sum(ndocs), 0) FROM segments");
    /* every live document's tokens must be in the stem postings exactly */
    uint32_t *tokens = calloc(ix->nmeta ? ix->nmeta : 1, sizeof *tokens);
    uint32_t *seen_seg = calloc(ix->nmeta ? ix->nmeta : 1, sizeof *seen_seg);
    if (!tokens || !seen_seg) {
        free(tokens);
        free(seen_seg);
        return FH_ENOMEM;
    }
    termiter it;
    if ((st = termiter_open(ix, &it, INT64_MAX)) != FH_OK) {
        free(tokens);
        free(seen_seg);
        return st;
    }
    unsigned char *buf = NULL;
    size_t bufcap = 0;
    fh_rowdec *rd = calloc(1, sizeof *rd);
    if (!rd)
        st = FH_ENOMEM;
    segcur *sc;
    while (st == FH_OK && (sc = termiter_min(&it)) != NULL) {
        char term[2 * KEY_MAX]; /* as written, for the messages */
        int tlen = (int)fh_term_unpack(term, sc->b.key, sc->b.kn);
        long long seg = sc->seg;
        uint32_t df = 0;
        if (tlen < 2 || (term[0] != FH_SPACE_STEM && term[0] != FH_SPACE_WORD)) {
            fh_index_seterr(ix, "postings row with a malformed term in segment %lld", seg);
            st = FH_EINVAL;
            break;
        }
        const unsigned char *p;
        size_t plen;
        if ((st = blk_data(ix, seg, &sc->b, &p, &plen, &buf, &bufcap)) != FH_OK) {
            if (st == FH_EINVAL)
                fh_index_seterr(ix, "term '%.*s' in segment %lld: its postings chunks are damaged",
                                tlen - 1, term + 1, seg);
            break;
        }
        int stem = term[0] == FH_SPACE_STEM;
        if ((st = row_df(&p, &plen, &df)) != FH_OK ||
            (st = row_decode(rd, p, plen, df, stem, 1)) != FH_OK) {
            if (st != FH_ENOMEM) {
                fh_index_seterr(ix, "term '%.*s' in segment %lld: postings are damaged",
                                tlen - 1, term + 1, seg);
                st = FH_EINVAL;
            }
            break;
        }
        for (uint32_t k = 0; stem && k < rd->df; k++) {
            uint32_t id = rd->doc[k];
            if (id < ix->nmeta && ix->meta[id].tl >= 0) {
                tokens[id] += rd->tt[k] + rd->tb[k];
                if (seen_seg[id] && seen_seg[id] != (uint32_t)seg) {
                    fh_index_seterr(ix, "document %u has postings in two segments", id);
                    st = FH_EINVAL;
                    break;
                }
                seen_seg[id] = (uint32_t)seg;
            }
        }
        if (st == FH_OK)
            st = segcur_next(ix, &it, sc);
    }
    termiter_close(&it);
    free(buf);
    rowdec_free(rd);
    if (st == FH_OK && scalar(ix, "SELECT count(*) FROM chunks WHERE id >> 32 NOT IN"
                                  " (SELECT id FROM segments)") != 0) {
        fh_index_seterr(ix, "postings chunks of a segment that does not exist");
        st = FH_EINVAL;
    }
    for (uint32_t id = 0; st == FH_OK && id < ix->nmeta; id++) {
        if (ix->meta[id].tl < 0)
            continue;
        uint32_t want = (uint32_t)(ix->meta[id].tl + ix->meta[id].bl);
        if (tokens[id] != want) {
            fh_index_seterr(ix, "document %u: %u tokens stored, %u in the index", id, want,
                            tokens[id]);
            st = FH_EINVAL;
        }
    }
    if (st == FH_OK && segdocs < (long long)ix->live) {
        fh_index_seterr(ix, "segments hold %lld documents, fewer than the %llu stored", segdocs,
                        (unsigned long long)ix->live);
        st = FH_EINVAL;
    }
    free(tokens);
    free(seen_seg);
    return st;
}

/* The merge: write one term's merged postings into w's segment. */
static int merge_flush(fh_index *ix, chunkw *w, rowenc *e, const char *key, const bterm *t,
                       uint32_t *nterms)
{
    if (t->df == 0)
        return FH_OK; /* no term yet, or all its documents are gone */
    int st = put_term(ix, w, e, key, t, "merging");
    if (st != FH_OK)
        return st;
    ++*nterms;
    return FH_OK;
}

int fh_index_optimize(fh_index *ix)
{
    if (!ix)
        return FH_EINVAL;
    int st, rc0;
    if ((st = fh_index_commit(ix)) != FH_OK)
        return st;
    if (scalar(ix, "SELECT count(*) FROM segments") <= 1 &&
        scalar(ix, "SELECT coalesce(sum(ndocs), 0) FROM segments") ==
            scalar(ix, "SELECT count(*) FROM docs"))
        return FH_OK; /* nothing to do */
    if ((st = begin(ix)) != FH_OK)
        return st;
    sqlite3_int64 newseg = 0;
    uint32_t nterms = 0;
    bterm cur; /* the term being merged (the builder's format); its key in curkey */
    memset(&cur, 0, sizeof cur);
    char *curkey = NULL, *term = NULL;
    size_t curcap = 0, termcap = 0;
    chunkw w;
    memset(&w, 0, sizeof w);
    termiter it;
    memset(&it, 0, sizeof it);
    rowenc e; /* the writer's scratch */
    memset(&e, 0, sizeof e);
    fh_rowdec *rd = NULL; /* a row read */
    unsigned char *buf = NULL; /* a chunked row's bytes, read */
    size_t bufcap = 0;
    ix->loaded = 0;
    if ((st = fh_index_load(ix)) != FH_OK)
        goto fail;
    /* rebuild every term's postings from all segments, dropping documents
     * that are gone, into one new segment; the rows come in term order (the
     * packed keys keep it), so each term is written as soon as it is
     * complete: memory holds one term's postings, not the whole index's */
    if ((st = prep(ix, &ix->st_insseg, "INSERT INTO segments(ndocs, bytes) VALUES(?, ?)")) ||
        (st = prep(ix, &ix->st_inspost, "INSERT INTO postings(term, seg, data) VALUES(?, ?, ?)")))
        goto fail;
    sqlite3_bind_int64(ix->st_insseg, 1, (sqlite3_int64)ix->live);
    sqlite3_bind_int64(ix->st_insseg, 2, 0);
    rc0 = sqlite3_step(ix->st_insseg);
    sqlite3_reset(ix->st_insseg);
    if (rc0 != SQLITE_DONE) {
        st = sqlerr(ix, "merging");
        goto fail;
    }
    newseg = sqlite3_last_insert_rowid(ix->db);
    if (chunkw_init(ix, &w, newseg) != FH_OK || !(rd = calloc(1, sizeof *rd))) {
        st = FH_ENOMEM;
        goto fail;
    }
    if ((st = termiter_open(ix, &it, newseg)) != FH_OK)
        goto fail;
    segcur *sc;
    while (st == FH_OK && (sc = termiter_min(&it)) != NULL) {
        size_t plen0 = sc->b.kn;
        if (2 * plen0 + 1 > termcap) {
            char *nt = realloc(term, 2 * plen0 + 1);
            if (!nt) {
                st = FH_ENOMEM;
                break;
            }
            term = nt;
            termcap = 2 * plen0 + 1;
        }
        uint32_t tlen = (uint32_t)fh_term_unpack(term, sc->b.key, plen0);
        uint32_t df;
        int stem = tlen > 0 && term[0] == FH_SPACE_STEM;
        const unsigned char *p;
        size_t rowlen;
        if ((st = blk_data(ix, sc->seg, &sc->b, &p, &rowlen, &buf, &bufcap)) != FH_OK ||
            (st = row_df(&p, &rowlen, &df)) != FH_OK ||
            (st = row_decode(rd, p, rowlen, df, stem, 1)) != FH_OK)
            break;
        if (cur.len != tlen || memcmp(curkey, term, tlen) != 0) { /* the next term */
            if ((st = merge_flush(ix, &w, &e, curkey, &cur, &nterms)) != FH_OK)
                break;
            if (tlen > curcap) {
                char *nk = realloc(curkey, tlen);
                if (!nk) {
                    st = FH_ENOMEM;
                    break;
                }
                curkey = nk;
                curcap = tlen;
            }
            memcpy(curkey, term, tlen);
            cur.len = tlen;
            cur.n = 0;
            cur.df = cur.last = 0;
        }
        bterm *t = &cur;
        const uint32_t *pos = rd->pos;
        for (uint32_t k = 0; k < rd->df; k++) {
            uint32_t id = rd->doc[k], a = rd->tt[k], bb = rd->tb[k];
            const uint32_t *dpos = pos;
            if (stem)
                pos += (size_t)a + bb;
            if (id >= ix->nmeta || ix->meta[id].tl < 0)
                continue; /* gone */
            size_t np = stem ? (size_t)a + bb : 0;
            if (bterm_reserve(t, 30 + np * 5) != FH_OK) {
                st = FH_ENOMEM;
                break;
            }
            t->n += put_head(t->buf + t->n, id - t->last, a, bb);
            uint32_t pv = 0;
            for (size_t j = 0; j < np; j++) {
                t->n += fh_varint_put(t->buf + t->n, dpos[j] - pv);
                pv = dpos[j];
            }
            t->last = id;
            t->df++;
        }
        if (st == FH_OK)
            st = segcur_next(ix, &it, sc);
    }
    termiter_close(&it);
    if (st == FH_OK)
        st = merge_flush(ix, &w, &e, curkey, &cur, &nterms);
    if (st == FH_OK)
        st = segment_finish(ix, &w, "merging");
    if (st == FH_EINVAL)
        fh_index_seterr(ix, "the index is damaged: postings cannot be read (run fahras check)");
    if (st == FH_OK) {
        char sql[400];
        snprintf(sql, sizeof sql,
                 "DELETE FROM postings WHERE seg < %lld; DELETE FROM chunks WHERE id < %lld;"
                 " DELETE FROM segments WHERE id < %lld;"
                 " UPDATE segments SET bytes = %zu WHERE id = %lld;%s",
                 (long long)newseg, (long long)newseg << 32, (long long)newseg, e.bytes,
                 (long long)newseg, nterms ? "" : " DELETE FROM segments;");
        if (sqlite3_exec(ix->db, sql, NULL, NULL, NULL) != SQLITE_OK)
            st = sqlerr(ix, "merging");
    }
    if (st == FH_OK)
        st = fh_index_commit(ix);
fail: /* and the way out after a commit: st says which */
    termiter_close(&it);
    free(curkey);
    free(term);
    free(cur.buf);
    free(buf);
    chunkw_free(&w);
    rowdec_free(rd);
    rowenc_free(&e);
    if (st == FH_OK) {
        sqlite3_exec(ix->db, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;", NULL, NULL, NULL);
        ix->loaded = 0;
        return FH_OK;
    }
    if (ix->in_tx) {
        sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
        ix->in_tx = 0;
    }
    ix->loaded = 0;
    return st;
}
