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
    const uint32_t *slots;      /* 0: empty; else 1 + offset of an entry in pool */
    uint32_t mask;              /* slot count - 1 (a power of two)               */
    const unsigned char *pool;  /* entries: len (1 byte), bytes, count (4 bytes LE) */
    size_t nwords;
} fh_wordtab;

/* FNV-1a: short keys, no alignment needs, same in the generator. */
static inline uint32_t fh_wordhash(const char *w, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)w[i]) * 16777619u;
    return h;
}

/* The count stored for w, or 0 if w is not in the table. */
static inline uint32_t fh_wordtab_find(const fh_wordtab *t, const char *w, size_t n)
{
    if (n == 0 || n > 255 || t->nwords == 0)
        return 0;
    uint32_t h = fh_wordhash(w, n);
    for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
        uint32_t s = t->slots[i];
        if (s == 0)
            return 0;
        const unsigned char *e = t->pool + (s - 1);
        if (e[0] == n && memcmp(e + 1, w, n) == 0) {
            const unsigned char *c = e + 1 + n;
            return (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 |
                   (uint32_t)c[3] << 24;
        }
    }
}

#endif
