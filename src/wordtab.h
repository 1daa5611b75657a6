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
                                   (1 byte), stem bytes                          */
    size_t nwords;
    int has_stems;              /* entries carry their precomputed stem           */
    const uint32_t *hot_slots;  /* the same, for the most frequent words only: a
                                   small table that stays in cache; probed first */
    uint32_t hot_mask;
    const uint64_t *filter;     /* Bloom filter of all words, FH_WT_FILTER_BITS:
                                   most absent words are rejected without
                                   touching the big table                       */
} fh_wordtab;

#define FH_WT_FILTER_BITS (1u << 20) /* 128 KB: ~5% false positives at 135k words */

/* The two filter bit positions of a word's hash. */
static inline uint32_t fh_wt_bit1(uint32_t h) { return h & (FH_WT_FILTER_BITS - 1); }
static inline uint32_t fh_wt_bit2(uint32_t h)
{
    return ((h * 0x9E3779B1u) >> 12) & (FH_WT_FILTER_BITS - 1);
}

#define FH_WT_STOPWORD 1u /* flags: the word is a stopword */

#define FH_WT_OFFMASK 0x00FFFFFFu /* pools are below 16 MB */

/* Hash of a short key, 8 bytes at a time (words are ~10 bytes); the same
 * function in the generator and at run time. */
static inline uint32_t fh_wordhash(const char *w, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    while (n >= 8) {
        uint64_t k;
        memcpy(&k, w, 8);
        h = (h ^ k) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
        w += 8;
        n -= 8;
    }
    if (n) {
        uint64_t k = 0;
        memcpy(&k, w, n);
        h = (h ^ k) * 0xC4CEB9FE1A85EC53ull;
    }
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDull;
    return (uint32_t)(h >> 32);
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
        if (e[0] == n && memcmp(e + 1, w, n) == 0)
            return e + 1 + n;
    }
}

/* The entry's data after the word (count, then the stem if any), or NULL
 * if w is not in the table. */
static inline const unsigned char *fh_wordtab_entry(const fh_wordtab *t, const char *w, size_t n)
{
    if (n == 0 || n > 255 || t->nwords == 0)
        return NULL;
    uint32_t h = fh_wordhash(w, n);
    const unsigned char *e = fh_wordtab_probe(t->hot_slots, t->hot_mask, t->pool, h, w, n);
    if (e)
        return e;
    uint32_t b1 = fh_wt_bit1(h), b2 = fh_wt_bit2(h);
    if (!((t->filter[b1 >> 6] >> (b1 & 63)) & 1) || !((t->filter[b2 >> 6] >> (b2 & 63)) & 1))
        return NULL;
    return fh_wordtab_probe(t->slots, t->mask, t->pool, h, w, n);
}

/* The count stored for w, or 0 if w is not in the table. */
static inline uint32_t fh_wordtab_find(const fh_wordtab *t, const char *w, size_t n)
{
    const unsigned char *c = fh_wordtab_entry(t, w, n);
    if (!c)
        return 0;
    return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
}

#endif
