/*
 * wordtab.h — read-only hash tables of words, generated at build time by
 * tools/gen_wordtab.c from a committed word list (a file in data/).
 */
#ifndef FH_WORDTAB_H
#define FH_WORDTAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct fh_wordtab {
    const uint32_t *slots;      /* 0: empty; else (tag << 24) | (1 + offset of an
                                   entry in pool); the tag is the hash's top 8 bits,
                                   checked before the pool is touched           */
    uint32_t mask;              /* slot count - 1 (a power of two)               */
    const unsigned char *pool;  /* entries: len (1 byte), bytes, count (4 bytes LE),
                                   then, if has_stems: flags (1 byte), stem length
                                   (1 byte), stem bytes, NUL                         */
    size_t nwords;
    int has_stems;              /* entries carry their precomputed stem           */
    const unsigned char *hot;   /* the most frequent words again, in buckets of
                                   FH_WT_BUCKET bytes (one cache line): 4 tag
                                   bytes (fh_wt_hottag), 4 offsets (0: unused),
                                   then up to 4 whole entries as in pool; a known
                                   common word costs one line, probed first     */
    uint32_t hot_mask;          /* bucket count - 1 (a power of two)             */
    const uint64_t *filter;     /* Bloom filter of all words, FH_WT_FILTER_BITS:
                                   most absent words are rejected without
                                   touching the big table                       */
} fh_wordtab;

#define FH_WT_FILTER_BITS (1u << 20) /* 128 KB: ~13% false positives at 219k words (estimate) */

/* The two filter bit positions of a word's hash.  Both lie in one 64-bit
 * word of the filter (a blocked Bloom filter): a test reads one cache line. */
static inline uint32_t fh_wt_bit1(uint32_t h) { return h & (FH_WT_FILTER_BITS - 1); }
static inline uint32_t fh_wt_bit2(uint32_t h)
{
    return (fh_wt_bit1(h) & ~63u) | ((h * 0x9E3779B1u) >> 26);
}

/* 0 if the word of hash h is certainly absent from the filter. */
static inline int fh_wt_maybe(const uint64_t *filter, uint32_t h)
{
    uint64_t want = 1ull << (fh_wt_bit1(h) & 63) | 1ull << (fh_wt_bit2(h) & 63);
    return (filter[fh_wt_bit1(h) >> 6] & want) == want;
}

#define FH_WT_BUCKET 64 /* bytes of a hot bucket; the table is aligned to it */

#define FH_WT_STOPWORD 1u /* flags: the word is a stopword */

#define FH_WT_OFFMASK 0x00FFFFFFu /* pools are below 16 MB */

static inline uint64_t fh_load64(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t fh_load32(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Hash of a short key (words are ~10 bytes): whole 8-byte loads, the tail
 * read as an overlapping load that ends at the key's last byte, so no byte
 * outside the key is read.  The same function in the generator and at run
 * time. */
static inline uint32_t fh_wordhash(const char *w, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xC4CEB9FE1A85EC53ull);
    uint64_t k;
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            h = (h ^ fh_load64(w + i)) * 0xFF51AFD7ED558CCDull;
            h ^= h >> 32;
        }
        k = fh_load64(w + n - 8);
    } else if (n >= 4) {
        k = fh_load32(w) | (fh_load32(w + n - 4) << 32);
    } else if (n > 0) {
        k = (uint64_t)(unsigned char)w[0] | (uint64_t)(unsigned char)w[n / 2] << 8 |
            (uint64_t)(unsigned char)w[n - 1] << 16;
    } else {
        k = 0;
    }
    h = (h ^ k) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDull;
    return (uint32_t)(h >> 32);
}

/* Equality of two keys of n bytes: 8-byte loads, overlapping at the end. */
static inline int fh_keyeq(const unsigned char *a, const char *b, size_t n)
{
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8)
            if (fh_load64((const char *)a + i) != fh_load64(b + i))
                return 0;
        return fh_load64((const char *)a + n - 8) == fh_load64(b + n - 8);
    }
    if (n >= 4)
        return fh_load32((const char *)a) == fh_load32(b) &&
               fh_load32((const char *)a + n - 4) == fh_load32(b + n - 4);
    for (size_t i = 0; i < n; i++)
        if (a[i] != (unsigned char)b[i])
            return 0;
    return 1;
}

static inline const unsigned char *fh_wordtab_probe(const uint32_t *slots, uint32_t mask,
                                                    const unsigned char *pool, uint32_t h,
                                                    const char *w, size_t n)
{
    uint32_t tag = h & 0xFF000000u;
    for (uint32_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t s = slots[i];
        if (s == 0)
            return NULL;
        if ((s & 0xFF000000u) != tag)
            continue;
        const unsigned char *e = pool + ((s & FH_WT_OFFMASK) - 1);
        if (e[0] == n && fh_keyeq(e + 1, w, n))
            return e + 1 + n;
    }
}

/* The hot bucket of hash h (prefetch it when the word is read). */
static inline const unsigned char *fh_wt_bucket(const fh_wordtab *t, uint32_t h)
{
    return t->hot + (size_t)(h & t->hot_mask) * FH_WT_BUCKET;
}

/* The tag of hash h in a hot bucket: bits the bucket index does not use. */
static inline uint32_t fh_wt_hottag(uint32_t h) { return (h >> 16) & 0xFF; }

/* Look w up in its hot bucket: the entry's data after the word, or NULL. */
static inline const unsigned char *fh_wt_hot_find(const fh_wordtab *t, uint32_t h, const char *w,
                                                  size_t n)
{
    const unsigned char *b = fh_wt_bucket(t, h);
    uint32_t x = (uint32_t)fh_load32((const char *)b) ^ (fh_wt_hottag(h) * 0x01010101u);
    uint32_t m = (x - 0x01010101u) & ~x & 0x80808080u; /* the bytes of x that are 0, */
    while (m) {                                         /* and perhaps a few more     */
        const unsigned char *e = b + b[4 + (__builtin_ctz(m) >> 3)];
        if (e != b && e[0] == n && fh_keyeq(e + 1, w, n))
            return e + 1 + n;
        m &= m - 1;
    }
    return NULL;
}

/* The entry's data after the word (count, then the stem if any), or NULL
 * if w is not in the table; h is fh_wordhash(w, n). */
static inline const unsigned char *fh_wordtab_entry_h(const fh_wordtab *t, const char *w, size_t n,
                                                      uint32_t h)
{
    if (n == 0 || n > 255 || t->nwords == 0)
        return NULL;
    const unsigned char *e = fh_wt_hot_find(t, h, w, n);
    if (e)
        return e;
    if (!fh_wt_maybe(t->filter, h))
        return NULL;
    return fh_wordtab_probe(t->slots, t->mask, t->pool, h, w, n);
}

static inline const unsigned char *fh_wordtab_entry(const fh_wordtab *t, const char *w, size_t n)
{
    return fh_wordtab_entry_h(t, w, n, fh_wordhash(w, n));
}

/* The count stored for w, or 0 if w is not in the table.  Made for the
 * stemmer's evidence look-ups, most of which ask for strings that are no
 * word at all: the Bloom filter answers those before any slot is read. */
static inline uint32_t fh_wordtab_find(const fh_wordtab *t, const char *w, size_t n)
{
    if (n == 0 || n > 255 || t->nwords == 0)
        return 0;
    uint32_t h = fh_wordhash(w, n);
    if (!fh_wt_maybe(t->filter, h))
        return 0;
    const unsigned char *c = fh_wordtab_entry_h(t, w, n, h);
    if (!c)
        return 0;
    return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
}

#endif
