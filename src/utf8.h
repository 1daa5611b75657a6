/*
 * utf8.h — strict UTF-8 decoding with maximal-subpart error units.
 */
#ifndef FH_UTF8_H
#define FH_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define FH_UTF8_INVALID 0xFFFFFFFFu

/*
 * Decode the code point at s[0..n), n >= 1.  Stores the number of bytes
 * consumed (1..4) in *adv and returns the code point, or FH_UTF8_INVALID for
 * a maximal ill-formed subsequence (Unicode ch. 3): the lead byte plus the
 * continuation bytes that were valid before the sequence broke off.
 * Never reads past s[n-1].
 */
static inline uint32_t fh_utf8_next(const unsigned char *s, size_t n, size_t *adv)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *adv = 1;
        return c;
    }
    unsigned need, lo = 0x80, hi = 0xBF;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        cp = c & 0x0F;
        if (c == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (c == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        cp = c & 0x07;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *adv = 1;
        return FH_UTF8_INVALID;
    }
    size_t i = 1;
    for (unsigned k = 0; k < need; k++, i++) {
        if (i >= n) {
            *adv = i;
            return FH_UTF8_INVALID;
        }
        unsigned b = s[i];
        if (b < lo || b > hi) {
            *adv = i;
            return FH_UTF8_INVALID;
        }
        lo = 0x80;
        hi = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
    }
    *adv = i;
    return cp;
}

/* Encode cp (< 0x110000, not a surrogate) into out; returns 1..4. */
static inline size_t fh_utf8_put(uint32_t cp, char *out)
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

#endif
