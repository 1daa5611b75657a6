/*
 * test_normalize.c — fh_normalize(): every folding rule, each flag on its own
 * and switched off, the measure-then-fill contract, invalid UTF-8, and the
 * 3 * len + 3 output bound over every code point.
 */
#include "testutil.h"

#include <stdio.h>

#include "utf8.h"

typedef struct {
    const char *in, *out;
} pair;

static void check_pairs(const fh_analyzer *a, const pair *p, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        char *got = tu_normalize(a, p[i].in);
        if (strcmp(got, p[i].out) != 0)
            fail_msg("%s: normalize(\"%s\") = \"%s\", want \"%s\"", what, p[i].in, got, p[i].out);
        free(got);
    }
}

/* ---- default flags: every rule ---- */

static const pair default_rules[] = {
    /* marks: harakat, tanwin, shadda, sukun, U+0653-U+065F, superscript alef */
    {"كَتَبَ", "كتب"},
    {"كً كٌ كٍ كَ كُ كِ كّ كْ", "ك ك ك ك ك ك ك ك"},
    {"ك\u0653ك\u0654ك\u0655ك\u0656ك\u0657ك\u0658ك\u0659ك\u065Aك\u065Bك\u065Cك\u065Dك\u065Eك\u065F",
     "ككككككككككككك"},
    {"ك\u0670تب", "كتب"},
    {"بِسْمِ اللَّهِ الرَّحْمَٰنِ الرَّحِيمِ", "بسم الله الرحمن الرحيم"},
    /* Quranic marks: both ranges, first and last of each */
    {"ك\u0610ت\u061Aب", "كتب"},
    {"ك\u06D6ت\u06EDب", "كتب"},
    {"ك\u06DCت\u06E2ب", "كتب"},
    /* tatweel */
    {"كـــتـاب ـ", "كتاب "},
    /* alef forms */
    {"أ إ آ ٱ \u0672 \u0673", "ا ا ا ا ا ا"},
    {"أحمد إسلام آمن ٱلله", "احمد اسلام امن الله"},
    /* alef maqsura, teh marbuta, hamza seats */
    {"على مستشفى", "علي مستشفي"},
    {"مدرسة", "مدرسه"},
    {"مسؤول رئيس", "مسوول رييس"},
    {"ء سماء", "ء سماء"}, /* a bare hamza stays */
    /* Persian and Urdu letters */
    {"ک ی ے ۀ ہ ە", "ك ي ي ه ه ه"},
    {"کتاب فارسی", "كتاب فارسي"},
    {"پ چ ژ گ ڤ", "پ چ ژ گ ڤ"}, /* letters with no Arabic equivalent stay */
    /* digits and separators */
    {"٠١٢٣٤٥٦٧٨٩", "0123456789"},
    {"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
    {"٣٫٥ ١٬٠٠٠", "3.5 1,000"},
    /* presentation forms: lam-alef ligatures, contextual forms, words */
    {"\uFEFB \uFEFC \uFEF7 \uFEF8 \uFEF9 \uFEFA \uFEF5 \uFEF6", "لا لا لا لا لا لا لا لا"},
    {"\uFE8F\uFE90\uFE91\uFE92", "بببب"},
    {"\uFEE9\uFEEA\uFEEB\uFEEC", "هههه"},
    {"\uFE93 \uFEEF \uFE83 \uFE87 \uFE81 \uFE85 \uFE89", "ه ي ا ا ا و ي"},
    {"\uFE8D\uFEDF\uFEB4\uFEFC\uFEE1", "السلام"},
    {"\uFB56 \uFB8E \uFB90 \uFBFC", "پ ك ك ي"},
    {"\uFDF2", "الله"},
    {"\uFC94", "ين"},
    {"\uFDFA", "\uFDFA"}, /* a phrase ligature with spaces stays one character */
    /* bidi and joiner controls, inside words and alone */
    {"ك\u200Fت\u200Eا\u061Cب", "كتاب"},
    {"ك\u200Dت\u200Cاب", "كتاب"},
    {"\u202Aك\u202Bت\u202C\u202Dا\u202Eب", "كتاب"},
    {"\u2066ك\u2067ت\u2068ا\u2069ب", "كتاب"},
    {"ك\u2060ت\u00ADاب\uFEFF", "كتاب"},
    {"می\u200Cخواهم", "ميخواهم"},
    /* Latin, Greek, Cyrillic case; Latin accents */
    {"Hello WORLD", "hello world"},
    {"ÉCOLE Café naïve", "ecole cafe naive"},
    {"ÀÉÎÕÜ çñ", "aeiou cn"},
    {"cafe\u0301 n\u0303", "cafe n"},
    {"Straße", "strasse"},
    {"ΑΘΗΝΑ МОСКВА", "αθηνα москва"},
    /* everything else is kept */
    {"، ؛ ؟ « » ! . ( ) - _ # @ / %", "، ؛ ؟ « » ! . ( ) - _ # @ / %"},
    {"  two  spaces\tand\ttabs\n", "  two  spaces\tand\ttabs\n"},
    {"日本語 עברית", "日本語 עברית"},
    {"", ""},
};

static void test_default_rules(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    check_pairs(a, default_rules, sizeof default_rules / sizeof default_rules[0], "default");
    fh_analyzer_free(a);
}

/* ---- each flag: on alone it applies, off (all others on) it does not ---- */

typedef struct {
    unsigned flag;
    const char *name;
    const char *in;
    const char *folded;   /* with only this flag on */
    const char *without;  /* with every flag but this one */
} flag_case;

static const flag_case flag_cases[] = {
    {FH_NORM_MARKS, "marks", "كَتَبَ كٰ", "كتب ك", "كَتَبَ كٰ"},
    {FH_NORM_QURANIC, "quranic", "ك\u06D6ت\u0610ب", "كتب", "ك\u06D6ت\u0610ب"},
    {FH_NORM_TATWEEL, "tatweel", "كـتـاب", "كتاب", "كـتـاب"},
    {FH_NORM_ALEF, "alef", "أإآٱ", "اااا", "أإآٱ"},
    {FH_NORM_ALEF_MAQSURA, "alef_maqsura", "على", "علي", "على"},
    {FH_NORM_TEH_MARBUTA, "teh_marbuta", "مدرسة", "مدرسه", "مدرسة"},
    {FH_NORM_HAMZA_SEAT, "hamza_seat", "مسؤول رئيس", "مسوول رييس", "مسؤول رئيس"},
    {FH_NORM_PERSIAN, "persian", "ک ی ے ۀ ہ ە", "ك ي ي ه ه ه", "ک ی ے ۀ ہ ە"},
    {FH_NORM_DIGITS, "digits", "٣٫٥ ۱۲ ١٬٠٠٠", "3.5 12 1,000", "٣٫٥ ۱۲ ١٬٠٠٠"},
    {FH_NORM_PRESENTATION, "presentation", "\uFEFB \uFE91 \uFEEB", "لا ب ه",
     "\uFEFB \uFE91 \uFEEB"},
    {FH_NORM_CONTROLS, "controls", "ك\u200Fت\u200Cاب", "كتاب", "ك\u200Fت\u200Cاب"},
    /* without case folding the accent rule still strips the accent */
    {FH_NORM_CASE, "case", "ABC Éé", "abc éé", "ABC Ee"},
    {FH_NORM_ACCENTS, "accents", "Café É", "Cafe E", "café é"},
};

static void test_each_flag(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof flag_cases / sizeof flag_cases[0]; i++) {
        const flag_case *c = &flag_cases[i];
        fh_analyzer *only = tu_analyzer_flags(c->flag, 1);
        fh_analyzer *without = tu_analyzer_flags(FH_NORM_DEFAULT & ~c->flag, 1);
        fh_analyzer *none = tu_analyzer_flags(0, 1);
        char *g1 = tu_normalize(only, c->in);
        char *g2 = tu_normalize(without, c->in);
        char *g3 = tu_normalize(none, c->in);
        if (strcmp(g1, c->folded) != 0)
            fail_msg("only %s: \"%s\" -> \"%s\", want \"%s\"", c->name, c->in, g1, c->folded);
        if (strcmp(g2, c->without) != 0)
            fail_msg("all but %s: \"%s\" -> \"%s\", want \"%s\"", c->name, c->in, g2, c->without);
        if (strcmp(g3, c->in) != 0)
            fail_msg("no flags: \"%s\" -> \"%s\"", c->in, g3);
        free(g1);
        free(g2);
        free(g3);
        fh_analyzer_free(only);
        fh_analyzer_free(without);
        fh_analyzer_free(none);
    }
}

/* With no flag set, nothing but invalid UTF-8 changes. */
static void test_no_flags_is_identity(void **state)
{
    (void)state;
    fh_analyzer *none = tu_analyzer_flags(0, 1);
    for (size_t i = 0; i < sizeof default_rules / sizeof default_rules[0]; i++) {
        char *g = tu_normalize(none, default_rules[i].in);
        assert_string_equal(g, default_rules[i].in);
        free(g);
    }
    fh_analyzer_free(none);
}

/* ---- invalid UTF-8 and NUL bytes ---- */

static void check_bytes(const fh_analyzer *a, const char *in, size_t n, const char *want,
                        size_t wn)
{
    char *buf = malloc(n ? n : 1);
    assert_non_null(buf);
    memcpy(buf, in, n);
    size_t need = fh_normalize(a, buf, n, NULL, 0);
    char *out = malloc(need + 1);
    assert_non_null(out);
    assert_int_equal(fh_normalize(a, buf, n, out, need + 1), need);
    if (need != wn || memcmp(out, want, wn) != 0)
        fail_msg("normalize of %zu bytes gave %zu bytes, want %zu", n, need, wn);
    free(out);
    free(buf);
}

#define FFFD "\xEF\xBF\xBD"
static void test_invalid_becomes_fffd(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    check_bytes(a, "a\x80" "b", 3, "a" FFFD "b", 5);
    check_bytes(a, "\xC0\xAF", 2, FFFD FFFD, 6);
    check_bytes(a, "\xE0\x80\x80", 3, FFFD FFFD FFFD, 9);
    check_bytes(a, "\xED\xA0\x80", 3, FFFD FFFD FFFD, 9);
    check_bytes(a, "\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, 12);
    check_bytes(a, "\xE2\x82" "x", 3, FFFD "x", 4);  /* one maximal subpart */
    check_bytes(a, "\xF0\x9F\x98", 3, FFFD, 3);      /* truncated at the end */
    check_bytes(a, "\xD9", 1, FFFD, 3);
    check_bytes(a, "ك\xFFة", 5, "ك" FFFD "ه", 7);
    /* a U+FFFD in the input is kept as it is */
    check_bytes(a, FFFD, 3, FFFD, 3);
    fh_analyzer_free(a);
}

static void test_nul_bytes_kept(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    check_bytes(a, "A\0B", 3, "a\0b", 3);
    check_bytes(a, "\0", 1, "\0", 1);
    check_bytes(a, "ة\0ة", 5, "ه\0ه", 5);
    fh_analyzer_free(a);
}

/* ---- measure-then-fill ---- */

/* Byte lengths of the outputs of each input unit, so that the test knows
 * where whole units end in the output. */
static size_t unit_ends(const fh_analyzer *a, const char *s, size_t n, size_t *ends, size_t max)
{
    size_t k = 0, i = 0, total = 0;
    char tmp[256];
    while (i < n) {
        size_t adv;
        (void)fh_utf8_next((const unsigned char *)s + i, n - i, &adv);
        total += fh_normalize(a, s + i, adv, tmp, sizeof tmp);
        assert_true(k < max);
        ends[k++] = total;
        i += adv;
    }
    return k;
}

static void check_fill(const fh_analyzer *a, const char *s, size_t n)
{
    size_t need = fh_normalize(a, s, n, NULL, 0);
    char *full = malloc(need + 1);
    assert_non_null(full);
    assert_int_equal(fh_normalize(a, s, n, full, need + 1), need);
    assert_int_equal(full[need], '\0');
    size_t ends[512];
    size_t nu = unit_ends(a, s, n, ends, 512);
    assert_int_equal(nu ? ends[nu - 1] : 0, need);

    /* cap 0 with a real buffer: nothing written at all */
    char sentinel = 'X';
    assert_int_equal(fh_normalize(a, s, n, &sentinel, 0), need);
    assert_int_equal(sentinel, 'X');

    for (size_t cap = 1; cap <= need + 2; cap++) {
        char *out = malloc(cap); /* exact size: ASan catches a write past cap */
        assert_non_null(out);
        memset(out, 'X', cap);
        size_t r = fh_normalize(a, s, n, out, cap);
        assert_int_equal(r, need);
        size_t k = strnlen(out, cap);
        if (k >= cap)
            fail_msg("cap %zu: output not NUL-terminated", cap);
        /* NUL bytes in the text would stop strnlen early: compare with full */
        if (need < cap) {
            assert_memory_equal(out, full, need + 1);
        } else {
            /* cut: a prefix of the full result, at a character boundary, and
             * holding at least every whole unit that fits */
            size_t fit = 0;
            for (size_t u = 0; u < nu; u++)
                if (ends[u] <= cap - 1)
                    fit = ends[u];
            size_t w = fit; /* find the written length: the NUL after fit.. */
            while (w < cap && out[w] != '\0')
                w++;
            if (w >= cap)
                fail_msg("cap %zu: no NUL after the %zu bytes of whole units", cap, fit);
            assert_memory_equal(out, full, w);
            if (!tu_valid_utf8(out, w))
                fail_msg("cap %zu: the cut output is not valid UTF-8 (cut inside a character)",
                         cap);
            if (w < need && (full[w] & 0xC0) == 0x80)
                fail_msg("cap %zu: cut at byte %zu, inside a character", cap, w);
            (void)k;
        }
        free(out);
    }
    free(full);
}

static void test_measure_then_fill(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    static const char *texts[] = {
        "",
        "a",
        "hello world",
        "كَتَبَ الطالبُ الدرسَ",
        "\uFEF7\uFEF7\uFEF7 \uFDF2\uFDF2",   /* one character -> several */
        "ك\u200Fت\u200Eاب\u064B\u064B\u064B", /* characters -> nothing */
        "ÉCOLE Straße \u00C5\u0301",
        "mixed ١٢٣ abc أحمد \U0001F600 日本",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        check_fill(a, texts[i], strlen(texts[i]));
    check_fill(a, "ab\xFF\xE2\x82" "cd\xF0\x9F\x98", 9); /* invalid units -> U+FFFD */
    check_fill(a, "a\0b\0", 4);

    /* NULL out with cap 0 just measures */
    assert_int_equal(fh_normalize(a, "abc", 3, NULL, 0), 3);
    assert_int_equal(fh_normalize(a, "كَتَبَ", strlen("كَتَبَ"), NULL, 0), 6);
    /* NULL text is fine when len is 0 */
    char out[4] = "XXX";
    assert_int_equal(fh_normalize(a, NULL, 0, out, sizeof out), 0);
    assert_int_equal(out[0], '\0');
    /* cap 1: room for the NUL only */
    char one[1] = {'X'};
    assert_int_equal(fh_normalize(a, "abc", 3, one, 1), 3);
    assert_int_equal(one[0], '\0');
    fh_analyzer_free(a);
}

/* ---- the output bound: never more than 3 * len + 3 bytes ---- */

static void check_every_code_point(unsigned flags, int check_idempotent)
{
    fh_analyzer *a = tu_analyzer_flags(flags, 0);
    char in[4], out[3 * 4 + 3 + 1], again[3 * 4 + 3 + 1];
    size_t worst = 0;
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        size_t n = tu_put(cp, in);
        size_t need = fh_normalize(a, in, n, NULL, 0);
        if (need > 3 * n + 3)
            fail_msg("flags %#x: U+%04X (%zu bytes) normalizes to %zu bytes > 3*len+3", flags,
                     (unsigned)cp, n, need);
        if (need > worst)
            worst = need;
        assert_int_equal(fh_normalize(a, in, n, out, sizeof out), need);
        if (!tu_valid_utf8(out, need))
            fail_msg("flags %#x: U+%04X normalizes to invalid UTF-8", flags, (unsigned)cp);
        if (flags == 0 && (need != n || memcmp(out, in, n) != 0))
            fail_msg("no flags: U+%04X changed", (unsigned)cp);
        if (check_idempotent) {
            size_t m = fh_normalize(a, out, need, again, sizeof again);
            if (m != need || memcmp(again, out, need) != 0)
                fail_msg("flags %#x: U+%04X: normalize is not idempotent", flags, (unsigned)cp);
        }
    }
    assert_true(worst <= 3 * 4 + 3);
    fh_analyzer_free(a);
}

static void test_bound_every_code_point(void **state)
{
    (void)state;
    check_every_code_point(FH_NORM_DEFAULT, 1);
    check_every_code_point(0, 0);
    check_every_code_point(FH_NORM_PRESENTATION, 1);
    check_every_code_point(FH_NORM_CASE, 0);
    check_every_code_point(FH_NORM_ACCENTS, 0);
    check_every_code_point(FH_NORM_CASE | FH_NORM_ACCENTS, 1);
    check_every_code_point(FH_NORM_DEFAULT & ~FH_NORM_ALEF, 1);
}

/* Long strings: random code points (and invalid bytes), the bound holds. */
static void test_bound_random_strings(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    tu_rng r = {0x9E3779B97F4A7C15ull};
    char in[1024];
    for (int iter = 0; iter < 2000; iter++) {
        size_t n = 0, target = tu_rand(&r) % 1000;
        while (n + 4 <= target) {
            uint32_t pick = tu_rand(&r) % 8, cp;
            if (pick == 0)
                cp = 0xFB50 + tu_rand(&r) % (0xFDFF - 0xFB50); /* presentation forms */
            else if (pick == 1)
                cp = 0xFE70 + tu_rand(&r) % 0x8F;
            else if (pick == 2)
                cp = 0x600 + tu_rand(&r) % 0x100;
            else if (pick == 3)
                cp = tu_rand(&r) % 0x250;
            else if (pick == 4) {
                in[n++] = (char)(0x80 + tu_rand(&r) % 0x80); /* invalid */
                continue;
            } else
                cp = tu_rand(&r) % 0x110000;
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            n += tu_put(cp, in + n);
        }
        size_t need = fh_normalize(a, in, n, NULL, 0);
        assert_true(need <= 3 * n + 3);
        char *out = malloc(need + 1);
        assert_non_null(out);
        assert_int_equal(fh_normalize(a, in, n, out, need + 1), need);
        assert_true(tu_valid_utf8(out, need));
        free(out);
    }
    fh_analyzer_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_rules),
        cmocka_unit_test(test_each_flag),
        cmocka_unit_test(test_no_flags_is_identity),
        cmocka_unit_test(test_invalid_becomes_fffd),
        cmocka_unit_test(test_nul_bytes_kept),
        cmocka_unit_test(test_measure_then_fill),
        cmocka_unit_test(test_bound_every_code_point),
        cmocka_unit_test(test_bound_random_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
