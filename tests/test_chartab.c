/*
 * test_chartab.c — the generated character table (src/chartab.c) against the
 * utf8proc these tests link: Unicode version, the class of every code point
 * (as tools/gen_chartab.c documents it), and folding (fh_fold).
 */
#include "testutil.h"

#include <stdio.h>
#include <utf8proc.h>

#include "chartab.h"
#include "internal.h"

/* ---- the classes, as documented in tools/gen_chartab.c ---- */

static int in(uint32_t cp, uint32_t lo, uint32_t hi) { return cp >= lo && cp <= hi; }

static int is_control(uint32_t cp)
{
    /* bidi and joiner controls that may sit inside a word */
    return cp == 0x00AD || cp == 0x061C || in(cp, 0x200C, 0x200F) || in(cp, 0x202A, 0x202E) ||
           cp == 0x2060 || in(cp, 0x2066, 0x2069) || cp == 0xFEFF;
}

static int is_arabic_block(uint32_t cp)
{
    return in(cp, 0x0600, 0x06FF) || in(cp, 0x0750, 0x077F) || in(cp, 0x0870, 0x08FF) ||
           in(cp, 0xFB50, 0xFDFF) || in(cp, 0xFE70, 0xFEFF);
}

static int expected_class(uint32_t cp)
{
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    int letter = c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL ||
                 c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LM ||
                 c == UTF8PROC_CATEGORY_LO;
    int mark = c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
    if (is_control(cp))
        return FH_C_IGN;
    if (is_arabic_block(cp)) {
        if (in(cp, 0x0610, 0x061A) || in(cp, 0x06D6, 0x06ED) || in(cp, 0x064B, 0x065F) ||
            cp == 0x0670 || cp == 0x0640)
            return FH_C_ARMARK;
        if (c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_LM)
            return FH_C_ARLET;
        if (mark)
            return FH_C_ARMARK;
        if (c == UTF8PROC_CATEGORY_ND)
            return FH_C_DIGIT;
        return FH_C_SEP;
    }
    if (letter || c == UTF8PROC_CATEGORY_NL)
        return FH_C_LET;
    if (mark)
        return FH_C_MARK;
    if (c == UTF8PROC_CATEGORY_ND)
        return FH_C_DIGIT;
    return FH_C_SEP;
}

static void test_unicode_version(void **state)
{
    (void)state;
    const char *ours = fh_unicode_version();
    const char *theirs = utf8proc_unicode_version();
    if (strcmp(ours, theirs) != 0)
        fail_msg("the table was generated from Unicode %s, utf8proc has %s: run `make chartab`",
                 ours, theirs);
    assert_string_equal(fh_chtab_unicode_version, theirs);
}

static void test_class_every_code_point(void **state)
{
    (void)state;
    size_t bad = 0;
    for (uint32_t cp = 0; cp < FH_CH_MAX; cp++) {
        int want = expected_class(cp), got = fh_ch(cp)->cls;
        if (got != want && bad++ < 10)
            print_error("U+%04X: class %d, want %d (utf8proc category %d)\n", (unsigned)cp, got,
                        want, (int)utf8proc_category((utf8proc_int32_t)cp));
    }
    if (bad)
        fail_msg("%zu code points with the wrong class", bad);
}

static void test_class_samples(void **state)
{
    (void)state;
    static const struct {
        uint32_t cp;
        int cls;
    } t[] = {
        {'a', FH_C_LET},       {'Z', FH_C_LET},        {'0', FH_C_DIGIT},     {' ', FH_C_SEP},
        {'_', FH_C_SEP},       {'#', FH_C_SEP},        {'@', FH_C_SEP},       {0, FH_C_SEP},
        {0x0627, FH_C_ARLET},  {0x0628, FH_C_ARLET},   {0x0621, FH_C_ARLET},  {0x064E, FH_C_ARMARK},
        {0x0670, FH_C_ARMARK}, {0x0640, FH_C_ARMARK},  {0x06D6, FH_C_ARMARK}, {0x0610, FH_C_ARMARK},
        {0x0660, FH_C_DIGIT},  {0x06F0, FH_C_DIGIT},   {0x066B, FH_C_SEP},    {0x060C, FH_C_SEP},
        {0x061F, FH_C_SEP},    {0x200F, FH_C_IGN},     {0x200C, FH_C_IGN},    {0x061C, FH_C_IGN},
        {0xFEFF, FH_C_IGN},    {0xFEFB, FH_C_ARLET},   {0xFE91, FH_C_ARLET},  {0x06A9, FH_C_ARLET},
        {0x0301, FH_C_MARK},   {0x05D0, FH_C_LET},     {0x65E5, FH_C_LET},    {0x00E9, FH_C_LET},
        {0x2160, FH_C_LET},    {0x1F600, FH_C_SEP},    {0xD800, FH_C_SEP},    {0x10FFFF, FH_C_SEP},
        {0xFFFD, FH_C_SEP},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (fh_ch(t[i].cp)->cls != t[i].cls)
            fail_msg("U+%04X: class %d, want %d", (unsigned)t[i].cp, fh_ch(t[i].cp)->cls,
                     t[i].cls);
}

/* ---- folding ---- */

static void expect_fold(uint32_t cp, unsigned flags, const char *want)
{
    char out[FH_FOLD_MAX];
    size_t n = fh_fold(cp, flags, out);
    if (n != strlen(want) || memcmp(out, want, n) != 0)
        fail_msg("fold(U+%04X, %#x) = \"%.*s\" (%zu bytes), want \"%s\"", (unsigned)cp, flags,
                 (int)n, out, n, want);
}

static void test_fold_samples(void **state)
{
    (void)state;
    const unsigned D = FH_NORM_DEFAULT;
    expect_fold(0xFEF7, D, "لا"); /* lam-alef with hamza above, isolated */
    expect_fold(0xFEF7, FH_NORM_PRESENTATION, "لأ"); /* the alef rule is off */
    expect_fold(0xFEF7, FH_NORM_ALEF, "\uFEF7");
    expect_fold(0xFEFB, D, "لا");
    expect_fold(0xFE91, D, "ب");
    expect_fold(0xFEEB, D, "ه");
    expect_fold(0xFB90, D, "ك"); /* keheh form -> keheh -> kaf */
    expect_fold(0xFB90, FH_NORM_PRESENTATION, "ک");
    expect_fold(0xFDF2, D, "الله");
    expect_fold(0xFDFA, D, "\uFDFA"); /* holds spaces: kept */
    expect_fold(0x0623, D, "ا");
    expect_fold(0x0625, D, "ا");
    expect_fold(0x0622, D, "ا");
    expect_fold(0x0671, D, "ا");
    expect_fold(0x0649, D, "ي");
    expect_fold(0x0629, D, "ه");
    expect_fold(0x0624, D, "و");
    expect_fold(0x0626, D, "ي");
    expect_fold(0x0621, D, "ء");
    expect_fold(0x06A9, D, "ك");
    expect_fold(0x06CC, D, "ي");
    expect_fold(0x06D2, D, "ي");
    expect_fold(0x06C0, D, "ه");
    expect_fold(0x06C1, D, "ه");
    expect_fold(0x06D5, D, "ه");
    expect_fold(0x0660, D, "0");
    expect_fold(0x0669, D, "9");
    expect_fold(0x06F0, D, "0");
    expect_fold(0x06F9, D, "9");
    expect_fold(0x066B, D, ".");
    expect_fold(0x066C, D, ",");
    expect_fold(0x064E, D, "");
    expect_fold(0x0670, D, "");
    expect_fold(0x06D6, D, "");
    expect_fold(0x0640, D, "");
    expect_fold(0x200F, D, "");
    expect_fold(0x200C, D, "");
    expect_fold(0x00C9, D, "e"); /* É */
    expect_fold(0x00C9, FH_NORM_CASE, "é");
    expect_fold(0x00C9, FH_NORM_ACCENTS, "E");
    expect_fold(0x00E9, D, "e");
    expect_fold('A', D, "a");
    expect_fold(0x00DF, D, "ss");
    expect_fold(0x0391, D, "α");
    expect_fold(0x041C, D, "м");
    expect_fold(0x0301, D, "");
    expect_fold(0x0301, D & ~FH_NORM_ACCENTS, "\u0301");
    expect_fold('a', D, "a");
    expect_fold(' ', D, " ");
    expect_fold(0x0628, D, "ب");
    expect_fold(0x1F600, D, "\U0001F600");
}

/* Without flags, every code point folds to itself. */
static void test_fold_no_flags_identity(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp < FH_CH_MAX; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char out[FH_FOLD_MAX], enc[4];
        size_t n = fh_fold(cp, 0, out), m = tu_put(cp, enc);
        if (n != m || memcmp(out, enc, n) != 0)
            fail_msg("fold(U+%04X, 0) changed it", (unsigned)cp);
    }
}

/* For every code point and every record: rules carry one known flag and
 * valid UTF-8; a fold keeps Arabic Arabic and other letters letters. */
static void test_fold_every_code_point(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp < FH_CH_MAX; cp++) {
        const fh_chrec *r = fh_ch(cp);
        for (unsigned i = 0; i < r->nmaps; i++) {
            const fh_chmap *m = &fh_chmaps[r->first + i];
            if (m->flag == 0 || (m->flag & (m->flag - 1)) != 0 || (m->flag & ~FH_NORM_DEFAULT))
                fail_msg("U+%04X: rule %u has flag %#x", (unsigned)cp, i, m->flag);
            if (!tu_valid_utf8((const char *)fh_chpool + m->off, m->len))
                fail_msg("U+%04X: rule %u is not valid UTF-8", (unsigned)cp, i);
        }
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char out[FH_FOLD_MAX];
        size_t n = fh_fold(cp, FH_NORM_DEFAULT, out);
        assert_true(n <= FH_FOLD_MAX);
        if (!tu_valid_utf8(out, n))
            fail_msg("fold(U+%04X) is not valid UTF-8", (unsigned)cp);
        int c = r->cls;
        for (size_t j = 0; j < n;) {
            utf8proc_int32_t d;
            utf8proc_ssize_t k =
                utf8proc_iterate((const utf8proc_uint8_t *)out + j, (utf8proc_ssize_t)(n - j), &d);
            assert_true(k > 0);
            j += (size_t)k;
            int dc = fh_ch((uint32_t)d)->cls;
            int ok = 1;
            if (c == FH_C_ARLET || c == FH_C_ARMARK)
                ok = dc == FH_C_ARLET || dc == FH_C_ARMARK;
            else if (c == FH_C_LET || c == FH_C_MARK)
                ok = dc == FH_C_LET || dc == FH_C_MARK;
            else if (c == FH_C_DIGIT)
                ok = dc == FH_C_DIGIT;
            else if (c == FH_C_IGN)
                ok = 0; /* controls are removed */
            if (!ok)
                fail_msg("U+%04X (class %d) folds to U+%04X (class %d)", (unsigned)cp, c,
                         (unsigned)d, dc);
        }
    }
}

/* Each documented range is folded by its own flag, and only by it. */
static void check_range(uint32_t lo, uint32_t hi, unsigned flag, const char *name)
{
    for (uint32_t cp = lo; cp <= hi; cp++) {
        if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CN)
            continue; /* unassigned */
        char enc[4], out[FH_FOLD_MAX];
        size_t m = tu_put(cp, enc);
        size_t n = fh_fold(cp, flag, out);
        if (n == m && memcmp(out, enc, n) == 0)
            fail_msg("%s: U+%04X is not folded by its flag", name, (unsigned)cp);
        n = fh_fold(cp, FH_NORM_DEFAULT & ~flag, out);
        if (n != m || memcmp(out, enc, n) != 0)
            fail_msg("%s: U+%04X is folded without its flag", name, (unsigned)cp);
    }
}

static void test_fold_ranges(void **state)
{
    (void)state;
    check_range(0x064B, 0x065F, FH_NORM_MARKS, "marks");
    check_range(0x0670, 0x0670, FH_NORM_MARKS, "superscript alef");
    check_range(0x0610, 0x061A, FH_NORM_QURANIC, "quranic");
    check_range(0x06D6, 0x06ED, FH_NORM_QURANIC, "quranic");
    check_range(0x0640, 0x0640, FH_NORM_TATWEEL, "tatweel");
    check_range(0x0622, 0x0623, FH_NORM_ALEF, "alef");
    check_range(0x0625, 0x0625, FH_NORM_ALEF, "alef");
    check_range(0x0671, 0x0673, FH_NORM_ALEF, "alef");
    check_range(0x0649, 0x0649, FH_NORM_ALEF_MAQSURA, "alef maqsura");
    check_range(0x0629, 0x0629, FH_NORM_TEH_MARBUTA, "teh marbuta");
    check_range(0x0624, 0x0624, FH_NORM_HAMZA_SEAT, "hamza seat");
    check_range(0x0626, 0x0626, FH_NORM_HAMZA_SEAT, "hamza seat");
    check_range(0x06A9, 0x06A9, FH_NORM_PERSIAN, "persian");
    check_range(0x06CC, 0x06CC, FH_NORM_PERSIAN, "persian");
    check_range(0x06D2, 0x06D2, FH_NORM_PERSIAN, "persian");
    check_range(0x06C0, 0x06C0, FH_NORM_PERSIAN, "persian");
    check_range(0x06C1, 0x06C1, FH_NORM_PERSIAN, "persian");
    check_range(0x06D5, 0x06D5, FH_NORM_PERSIAN, "persian");
    check_range(0x0660, 0x0669, FH_NORM_DIGITS, "digits");
    check_range(0x066B, 0x066C, FH_NORM_DIGITS, "digit separators");
    check_range(0x06F0, 0x06F9, FH_NORM_DIGITS, "digits");
    check_range(0xFEF5, 0xFEFC, FH_NORM_PRESENTATION, "lam-alef");
    check_range(0xFE80, 0xFEF4, FH_NORM_PRESENTATION, "presentation forms B");
    check_range(0x200C, 0x200F, FH_NORM_CONTROLS, "controls");
    check_range(0x202A, 0x202E, FH_NORM_CONTROLS, "controls");
    check_range(0x2066, 0x2069, FH_NORM_CONTROLS, "controls");
    check_range(0x061C, 0x061C, FH_NORM_CONTROLS, "controls");
    check_range('A', 'Z', FH_NORM_CASE, "case");
    check_range(0x0391, 0x03A1, FH_NORM_CASE, "case");
    check_range(0x0410, 0x042F, FH_NORM_CASE, "case");
    check_range(0x0300, 0x036F, FH_NORM_ACCENTS, "combining accents");
    check_range(0x00E0, 0x00E5, FH_NORM_ACCENTS, "accents");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unicode_version),
        cmocka_unit_test(test_class_samples),
        cmocka_unit_test(test_class_every_code_point),
        cmocka_unit_test(test_fold_samples),
        cmocka_unit_test(test_fold_no_flags_identity),
        cmocka_unit_test(test_fold_every_code_point),
        cmocka_unit_test(test_fold_ranges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
