/*
 * test_utf8.c — the strict UTF-8 decoder of src/utf8.h.
 *
 * Every input is copied into a heap buffer of exactly its size, so that
 * AddressSanitizer (make SAN=1 test) reports any read past the end.
 */
#include "testutil.h"

#include <stdio.h>

#include "utf8.h"

#define INV FH_UTF8_INVALID

/* A heap copy of exactly n bytes (n >= 1). */
static unsigned char *exact(const void *p, size_t n)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    memcpy(b, p, n);
    return b;
}

/* ---- an oracle written from Unicode table 3-7, for the exhaustive test ---- */
static size_t ref_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    unsigned lo = 0x80, hi = 0xBF;
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        v = c - 0xC0;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        v = c - 0xE0;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        v = c - 0xF0;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        *cp = INV;
        return 1;
    }
    for (size_t k = 1; k <= need; k++) {
        unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (k >= n || s[k] < l || s[k] > h) {
            *cp = INV;
            return k; /* the maximal subpart: the bytes that were still fine */
        }
        v = v * 64 + (s[k] - 0x80);
    }
    *cp = v;
    return need + 1;
}

static size_t expected_len(uint32_t cp)
{
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* ---- valid input ---- */

static void test_valid_boundaries(void **state)
{
    (void)state;
    static const struct {
        const char *b;
        size_t n;
        uint32_t cp;
    } t[] = {
        {"\x00", 1, 0x0},
        {"\x41", 1, 0x41},
        {"\x7F", 1, 0x7F},
        {"\xC2\x80", 2, 0x80},
        {"\xC3\xA9", 2, 0xE9},
        {"\xD8\xA7", 2, 0x627},
        {"\xDF\xBF", 2, 0x7FF},
        {"\xE0\xA0\x80", 3, 0x800},
        {"\xED\x9F\xBF", 3, 0xD7FF},
        {"\xEE\x80\x80", 3, 0xE000},
        {"\xEF\xBB\xBF", 3, 0xFEFF},
        {"\xEF\xBF\xBD", 3, 0xFFFD},
        {"\xEF\xBF\xBF", 3, 0xFFFF},
        {"\xF0\x90\x80\x80", 4, 0x10000},
        {"\xF0\x9F\x98\x80", 4, 0x1F600},
        {"\xF3\xBF\xBF\xBF", 4, 0xFFFFF},
        {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        unsigned char *b = exact(t[i].b, t[i].n);
        size_t adv = 99;
        uint32_t cp = fh_utf8_next(b, t[i].n, &adv);
        if (cp != t[i].cp || adv != t[i].n)
            print_error("case %zu: got U+%04X adv %zu\n", i, (unsigned)cp, adv);
        assert_int_equal(cp, t[i].cp);
        assert_int_equal(adv, t[i].n);
        free(b);
    }
}

/* Every scalar value survives put -> next, with the right length, from an
 * exact-size buffer; and a following byte does not change the result. */
static void test_roundtrip_every_code_point(void **state)
{
    (void)state;
    unsigned char *buf[5];
    for (size_t n = 1; n <= 4; n++) {
        buf[n] = malloc(n);
        assert_non_null(buf[n]);
    }
    unsigned char longer[5];
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char enc[4];
        size_t n = fh_utf8_put(cp, enc);
        if (n != expected_len(cp))
            fail_msg("fh_utf8_put(U+%04X) gave %zu bytes", (unsigned)cp, n);
        if (!tu_valid_utf8(enc, n))
            fail_msg("fh_utf8_put(U+%04X) is not valid UTF-8", (unsigned)cp);
        memcpy(buf[n], enc, n);
        size_t adv = 0;
        uint32_t got = fh_utf8_next(buf[n], n, &adv);
        if (got != cp || adv != n)
            fail_msg("U+%04X decoded as U+%04X adv %zu", (unsigned)cp, (unsigned)got, adv);
        memcpy(longer, enc, n);
        longer[n] = 0x80; /* a stray continuation byte after it is not eaten */
        got = fh_utf8_next(longer, n + 1, &adv);
        if (got != cp || adv != n)
            fail_msg("U+%04X + 0x80 decoded as U+%04X adv %zu", (unsigned)cp, (unsigned)got,
                     adv);
    }
    for (size_t n = 1; n <= 4; n++)
        free(buf[n]);
}

/* ---- ill-formed input: each maximal ill-formed subsequence is one unit ---- */

typedef struct {
    const char *name;
    const char *b;
    size_t n;
    size_t nunits;
    size_t adv[16];
    uint32_t cp[16];
} ill_case;

static const ill_case ill[] = {
    {"lone continuation 80", "\x80", 1, 1, {1}, {INV}},
    {"lone continuation BF", "\xBF", 1, 1, {1}, {INV}},
    {"two continuations", "\x80\xBF", 2, 2, {1, 1}, {INV, INV}},
    {"continuations after a letter", "a\x80\x80", 3, 3, {1, 1, 1}, {'a', INV, INV}},
    {"overlong C0 AF ('/')", "\xC0\xAF", 2, 2, {1, 1}, {INV, INV}},
    {"overlong C0 80 (NUL)", "\xC0\x80", 2, 2, {1, 1}, {INV, INV}},
    {"overlong C1 BF", "\xC1\xBF", 2, 2, {1, 1}, {INV, INV}},
    {"overlong E0 80 80", "\xE0\x80\x80", 3, 3, {1, 1, 1}, {INV, INV, INV}},
    {"overlong E0 9F BF", "\xE0\x9F\xBF", 3, 3, {1, 1, 1}, {INV, INV, INV}},
    {"overlong F0 80 80 80", "\xF0\x80\x80\x80", 4, 4, {1, 1, 1, 1}, {INV, INV, INV, INV}},
    {"overlong F0 8F BF BF", "\xF0\x8F\xBF\xBF", 4, 4, {1, 1, 1, 1}, {INV, INV, INV, INV}},
    {"surrogate ED A0 80", "\xED\xA0\x80", 3, 3, {1, 1, 1}, {INV, INV, INV}},
    {"surrogate ED BF BF", "\xED\xBF\xBF", 3, 3, {1, 1, 1}, {INV, INV, INV}},
    {"surrogate pair", "\xED\xA0\xBD\xED\xB8\x80", 6, 6, {1, 1, 1, 1, 1, 1},
     {INV, INV, INV, INV, INV, INV}},
    {"above U+10FFFF: F4 90 80 80", "\xF4\x90\x80\x80", 4, 4, {1, 1, 1, 1},
     {INV, INV, INV, INV}},
    {"above U+10FFFF: F5 80 80 80", "\xF5\x80\x80\x80", 4, 4, {1, 1, 1, 1},
     {INV, INV, INV, INV}},
    {"old 5-byte form F8", "\xF8\x88\x80\x80\x80", 5, 5, {1, 1, 1, 1, 1},
     {INV, INV, INV, INV, INV}},
    {"FE and FF", "\xFE\xFF", 2, 2, {1, 1}, {INV, INV}},
    {"truncated C3 at end", "\xC3", 1, 1, {1}, {INV}},
    {"truncated E2 82 at end", "\xE2\x82", 2, 1, {2}, {INV}},
    {"truncated E2 at end", "\xE2", 1, 1, {1}, {INV}},
    {"truncated F0 9F 98 at end", "\xF0\x9F\x98", 3, 1, {3}, {INV}},
    {"truncated F0 9F at end", "\xF0\x9F", 2, 1, {2}, {INV}},
    {"truncated F4 8F BF at end", "\xF4\x8F\xBF", 3, 1, {3}, {INV}},
    {"truncated D8 (Arabic lead) at end", "\xD8", 1, 1, {1}, {INV}},
    {"cut by ASCII: C3 41", "\xC3\x41", 2, 2, {1, 1}, {INV, 'A'}},
    {"cut by ASCII: E2 82 41", "\xE2\x82\x41", 3, 2, {2, 1}, {INV, 'A'}},
    {"cut by ASCII: F0 9F 98 41", "\xF0\x9F\x98\x41", 4, 2, {3, 1}, {INV, 'A'}},
    {"cut by a lead: E2 C3 A9", "\xE2\xC3\xA9", 3, 2, {1, 2}, {INV, 0xE9}},
    {"cut by a lead: D8 D8 A7", "\xD8\xD8\xA7", 3, 2, {1, 2}, {INV, 0x627}},
    {"cut by NUL: E2 82 00", "\xE2\x82\x00", 3, 2, {2, 1}, {INV, 0}},
    {"Unicode table 3-8", "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", 13, 10,
     {1, 3, 2, 1, 1, 1, 1, 1, 1, 1},
     {'a', INV, INV, INV, 'b', INV, 'c', INV, INV, 'd'}},
};

static void test_ill_formed_units(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ill / sizeof ill[0]; i++) {
        const ill_case *c = &ill[i];
        unsigned char *b = exact(c->b, c->n);
        size_t pos = 0, u = 0;
        while (pos < c->n) {
            size_t adv = 0;
            uint32_t cp = fh_utf8_next(b + pos, c->n - pos, &adv);
            if (u >= c->nunits || adv != c->adv[u] || cp != c->cp[u])
                fail_msg("%s: unit %zu at byte %zu: got U+%04X adv %zu, want U+%04X adv %zu",
                         c->name, u, pos, (unsigned)cp, adv,
                         (unsigned)(u < c->nunits ? c->cp[u] : 0),
                         u < c->nunits ? c->adv[u] : 0);
            assert_true(adv >= 1 && adv <= c->n - pos);
            pos += adv;
            u++;
        }
        assert_int_equal(u, c->nunits);
        free(b);
    }
}

/* Every lead byte alone, at the very end of a 1-byte heap buffer. */
static void test_lone_bytes_at_end(void **state)
{
    (void)state;
    unsigned char *b = malloc(1);
    assert_non_null(b);
    for (unsigned c = 0; c < 256; c++) {
        b[0] = (unsigned char)c;
        size_t adv = 0;
        uint32_t cp = fh_utf8_next(b, 1, &adv);
        assert_int_equal(adv, 1);
        if (c < 0x80)
            assert_int_equal(cp, c);
        else
            assert_int_equal(cp, INV);
    }
    free(b);
}

static void check_against_oracle(const unsigned char *b, size_t n)
{
    size_t adv = 0, radv;
    uint32_t rcp;
    uint32_t cp = fh_utf8_next(b, n, &adv);
    radv = ref_decode(b, n, &rcp);
    if (cp != rcp || adv != radv) {
        char hex[32] = "";
        for (size_t i = 0; i < n; i++)
            snprintf(hex + 3 * i, sizeof hex - 3 * i, "%02X ", b[i]);
        fail_msg("bytes %s: got U+%04X adv %zu, oracle U+%04X adv %zu", hex, (unsigned)cp, adv,
                 (unsigned)rcp, radv);
    }
}

/* All 1-, 2- and 3-byte buffers, and 4-byte buffers over every lead with
 * boundary values in the other positions, against the oracle. */
static void test_maximal_subparts_exhaustive(void **state)
{
    (void)state;
    unsigned char *b1 = malloc(1), *b2 = malloc(2), *b3 = malloc(3), *b4 = malloc(4);
    assert_true(b1 && b2 && b3 && b4);
    for (unsigned x = 0; x < 256; x++) {
        b1[0] = (unsigned char)x;
        check_against_oracle(b1, 1);
        for (unsigned y = 0; y < 256; y++) {
            b2[0] = (unsigned char)x;
            b2[1] = (unsigned char)y;
            check_against_oracle(b2, 2);
            if (x < 0xC2 || x > 0xF4)
                continue; /* not a lead: the rest of the buffer is never looked at */
            for (unsigned z = 0; z < 256; z++) {
                b3[0] = (unsigned char)x;
                b3[1] = (unsigned char)y;
                b3[2] = (unsigned char)z;
                check_against_oracle(b3, 3);
            }
        }
    }
    static const unsigned char edge[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                         0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xF0, 0xF4, 0xFF};
    const size_t ne = sizeof edge;
    for (unsigned x = 0; x < 256; x++)
        for (size_t i = 0; i < ne; i++)
            for (size_t j = 0; j < ne; j++)
                for (size_t k = 0; k < ne; k++) {
                    b4[0] = (unsigned char)x;
                    b4[1] = edge[i];
                    b4[2] = edge[j];
                    b4[3] = edge[k];
                    check_against_oracle(b4, 4);
                }
    free(b1);
    free(b2);
    free(b3);
    free(b4);
}

/* The oracle itself must be able to tell a good decoder from a bad one. */
static void test_oracle_sanity(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(ref_decode((const unsigned char *)"\xE2\x82\xAC", 3, &cp), 3);
    assert_int_equal(cp, 0x20AC);
    assert_int_equal(ref_decode((const unsigned char *)"\xE2\x82", 2, &cp), 2);
    assert_int_equal(cp, INV);
    assert_int_equal(ref_decode((const unsigned char *)"\xED\xA0\x80", 3, &cp), 1);
    assert_int_equal(cp, INV);
    assert_int_equal(ref_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp), 1);
    assert_int_equal(ref_decode((const unsigned char *)"\xF0\x9F\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_true(tu_valid_utf8("\xD8\xA7", 2));
    assert_false(tu_valid_utf8("\xD8", 1));
    assert_false(tu_valid_utf8("\xED\xA0\x80", 3));
    assert_false(tu_valid_utf8("\xC0\xAF", 2));
    assert_false(tu_valid_utf8("\xF4\x90\x80\x80", 4));
}

static void test_put_bytes(void **state)
{
    (void)state;
    char o[4];
    assert_int_equal(fh_utf8_put(0x41, o), 1);
    assert_memory_equal(o, "A", 1);
    assert_int_equal(fh_utf8_put(0x627, o), 2);
    assert_memory_equal(o, "\xD8\xA7", 2);
    assert_int_equal(fh_utf8_put(0xFFFD, o), 3);
    assert_memory_equal(o, "\xEF\xBF\xBD", 3);
    assert_int_equal(fh_utf8_put(0x10FFFF, o), 4);
    assert_memory_equal(o, "\xF4\x8F\xBF\xBF", 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oracle_sanity),
        cmocka_unit_test(test_valid_boundaries),
        cmocka_unit_test(test_put_bytes),
        cmocka_unit_test(test_roundtrip_every_code_point),
        cmocka_unit_test(test_ill_formed_units),
        cmocka_unit_test(test_lone_bytes_at_end),
        cmocka_unit_test(test_maximal_subparts_exhaustive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
