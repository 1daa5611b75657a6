/* testutil.h — helpers shared by the cmocka unit tests. */
#ifndef FH_TESTUTIL_H
#define FH_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../include/fahras.h"

/* ---- a deterministic PRNG (xorshift64*), so failures reproduce ---- */
typedef struct {
    uint64_t s;
} tu_rng;

static inline uint32_t tu_rand(tu_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 2685821657736338717ull) >> 32);
}

/* ---- an independent strict UTF-8 validator (RFC 3629, Unicode table 3-7);
 * deliberately not src/utf8.h, which is what is under test ---- */
static inline int tu_valid_utf8(const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t k;
        unsigned lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF)
            k = 1;
        else if (c == 0xE0) {
            k = 2;
            lo = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
            k = 2;
        else if (c == 0xED) {
            k = 2;
            hi = 0x9F;
        } else if (c == 0xF0) {
            k = 3;
            lo = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3)
            k = 3;
        else if (c == 0xF4) {
            k = 3;
            hi = 0x8F;
        } else
            return 0;
        if (n - i <= k) /* the k continuation bytes must all be there */
            return 0;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (size_t j = 2; j <= k; j++)
            if (s[i + j] < 0x80 || s[i + j] > 0xBF)
                return 0;
        i += k + 1;
    }
    return 1;
}

/* Encode a code point (no checks) into out; returns 1..4. */
static inline size_t tu_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* ---- collecting the tokens of one fh_analyze() call ---- */
#define TU_STR (FH_MAX_TOKEN + 64 + 1)

typedef struct {
    size_t start, end, position;
    int type;
    unsigned flags;
    size_t norm_len, stem_len;
    char norm[TU_STR];
    char stem[TU_STR];
} tu_tok;

typedef struct {
    tu_tok *v;
    size_t n, cap;
    size_t stop_after; /* 0: never stop; k: return stop_value at the k-th token */
    int stop_value;
} tu_toks;

static inline int tu_collect(void *ctx, const fh_token *t)
{
    tu_toks *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        assert_non_null(l->v);
    }
    /* the callback contract: strings NUL-terminated, lengths right */
    assert_non_null(t->norm);
    assert_non_null(t->stem);
    assert_true(t->norm_len >= 1 && t->norm_len <= FH_MAX_TOKEN);
    assert_true(t->stem_len < TU_STR);
    assert_int_equal(t->norm[t->norm_len], '\0');
    assert_int_equal(t->stem[t->stem_len], '\0');
    tu_tok *k = &l->v[l->n++];
    memset(k, 0, sizeof *k);
    k->start = t->start;
    k->end = t->end;
    k->position = t->position;
    k->type = t->type;
    k->flags = t->flags;
    k->norm_len = t->norm_len;
    k->stem_len = t->stem_len;
    memcpy(k->norm, t->norm, t->norm_len);
    memcpy(k->stem, t->stem, t->stem_len);
    if (l->stop_after && l->n == l->stop_after)
        return l->stop_value;
    return 0;
}

static inline void tu_toks_free(tu_toks *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* Analyze a NUL-terminated string with analyzer a; returns the status. */
static inline int tu_analyze(fh_analyzer *a, const char *s, tu_toks *out)
{
    memset(out, 0, sizeof *out);
    return fh_analyze(a, s, strlen(s), tu_collect, out);
}

/* Analyze exactly len bytes, copied into an exact-size heap buffer so that
 * AddressSanitizer catches any read past the end. */
static inline int tu_analyze_n(fh_analyzer *a, const char *s, size_t len, tu_toks *out)
{
    memset(out, 0, sizeof *out);
    char *buf = malloc(len ? len : 1);
    assert_non_null(buf);
    if (len)
        memcpy(buf, s, len);
    int rc = fh_analyze(a, buf, len, tu_collect, out);
    free(buf);
    return rc;
}

/* fh_normalize of a NUL-terminated string into a fresh heap string. */
static inline char *tu_normalize(const fh_analyzer *a, const char *s)
{
    size_t len = strlen(s);
    size_t need = fh_normalize(a, s, len, NULL, 0);
    char *out = malloc(need + 1);
    assert_non_null(out);
    size_t again = fh_normalize(a, s, len, out, need + 1);
    assert_int_equal(again, need);
    assert_int_equal(out[need], '\0');
    return out;
}

/* An analyzer with the default options but these normalization flags. */
static inline fh_analyzer *tu_analyzer_flags(unsigned flags, int stem)
{
    fh_options o = fh_options_default();
    o.norm_flags = flags;
    o.stem = stem;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(&o, &a), FH_OK);
    assert_non_null(a);
    return a;
}

#ifdef TU_WITH_ANALYZER
/* ---- one analyzer with the default options, made by the group setup ---- */
static fh_analyzer *A;

static int setup(void **state)
{
    (void)state;
    return fh_analyzer_new(NULL, &A) == FH_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fh_analyzer_free(A);
    return 0;
}
#endif

#endif
