/*
 * test_segment.c — the segmenter (src/segment.c): Farasa's scheme rules,
 * the clitics scheme, words that must stay whole, letters as written or
 * normalized, tokens other than Arabic words, line alignment, the
 * measure-then-fill contract and its bound, and properties over random
 * bytes.
 */
#include "testutil.h"

#include <stdio.h>

/* text segmented with the given options, as a malloc'd NUL-terminated string */
static char *seg(int scheme, int normalized, const char *text)
{
    fh_segment_options o = fh_segment_options_default();
    o.scheme = scheme;
    o.normalized = normalized;
    fh_segmenter *s;
    assert_int_equal(fh_segmenter_new(&o, &s), FH_OK);
    size_t len = strlen(text);
    size_t need = fh_segment(s, text, len, NULL, 0);
    char *out = malloc(need + 1);
    assert_non_null(out);
    assert_int_equal(fh_segment(s, text, len, out, need + 1), need);
    assert_int_equal(strlen(out), need);
    fh_segmenter_free(s);
    return out;
}

typedef struct {
    const char *in, *want;
} pair;

static void check(int scheme, int normalized, const pair *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *got = seg(scheme, normalized, t[i].in);
        if (strcmp(got, t[i].want) != 0)
            fail_msg("segment(%s) = %s, want %s (scheme %d)", t[i].in, got, t[i].want, scheme);
        free(got);
    }
}

static void test_farasa_scheme(void **state)
{
    (void)state;
    static const pair t[] = {
        {"والتلفزيون", "و+ال+تلفزيون"}, {"ترشيحاتها", "ترشيح+ات+ها"}, {"لحفلها", "ل+حفل+ها"},
        {"أعلنت", "أعلن+ت"},          {"وبالكتاب", "و+ب+ال+كتاب"},   {"للتعاون", "ل+ال+تعاون"},
        {"سيقام", "س+يقام"},           {"بمرحلته", "ب+مرحل+ت+ه"},     {"ثقافة", "ثقاف+ة"},
        {"الفائزين", "ال+فائز+ين"},    {"كانوا", "كان+وا"},           {"يستعملون", "يستعمل+ون"},
        {"أيضا", "أيض+ا"},             {"له", "ل+ه"},                 {"فيها", "في+ها"},
    };
    check(FH_SEG_FARASA, 0, t, sizeof t / sizeof t[0]);
}

/* Spelling and grammar rules of the scheme: a final hamza on its seat and ى
 * written ا before a pronoun; a proclitic before a written hamza; ك before a
 * demonstrative; the future س before short verbs but not a form in ا; the
 * plural of weak verbs; the accusative of forms too rare for tanwin evidence;
 * the plural ين of an adjective whose feminine in ة is written; the
 * feminine dual ت+ين. */
static void test_scheme_rules(void **state)
{
    (void)state;
    static const pair t[] = {
        {"بنائها", "بنائ+ها"},  {"أبناؤهم", "أبناؤ+هم"}, {"مستواه", "مستوا+ه"},
        {"ألقاه", "ألقا+ه"},    {"وأضاف", "و+أضاف"},     {"كذلك", "ك+ذلك"},
        {"سيتم", "س+يتم"},      {"سيصل", "س+يصل"},       {"سيدا", "سيدا"},
        {"يمشون", "يمش+ون"},    {"يرمون", "يرم+ون"},     {"تعزيزا", "تعزيز+ا"},
        {"انسحابا", "انسحاب+ا"}, {"ليبيا", "ليبيا"},     {"أمريكا", "أمريكا"},
        {"المهجرين", "ال+مهجر+ين"}, {"فلسطين", "فلسطين"}, {"حسين", "حسين"},
        {"المرحلتين", "ال+مرحل+ت+ين"}, {"روتين", "روتين"},
    };
    check(FH_SEG_FARASA, 0, t, sizeof t / sizeof t[0]);
}

static void test_clitics_scheme(void **state)
{
    (void)state;
    static const pair t[] = {
        {"والتلفزيون", "و+ال+تلفزيون"}, {"ترشيحاتها", "ترشيحات+ها"}, {"بمرحلته", "ب+مرحلت+ه"},
        {"ثقافة", "ثقافة"},            {"أعلنت", "أعلنت"},          {"الفائزين", "ال+فائزين"},
        {"أيضا", "أيضا"},              {"للتعاون", "ل+ال+تعاون"},
    };
    check(FH_SEG_CLITICS, 0, t, sizeof t / sizeof t[0]);
}

/* names, unknown words and words that only look prefixed: evidence, not letters */
static void test_whole_words(void **state)
{
    (void)state;
    static const pair t[] = {
        {"هونغ كونغ", "هونغ كونغ"}, {"ويكيمانيا", "ويكيمانيا"}, {"بيان", "بيان"},
        {"لبنان", "لبنان"},         {"وصل", "وصل"},             {"وزير", "وزير"},
        {"فلسطين", "فلسطين"},       {"سوريا", "سوريا"},         {"الذي", "الذي"},
        {"كما", "كما"},             {"وقت", "وقت"},             {"بيت", "بيت"},
        {"زقطلوبيا", "زقطلوبيا"},
    };
    check(FH_SEG_FARASA, 0, t, sizeof t / sizeof t[0]);
    check(FH_SEG_CLITICS, 0, t, sizeof t / sizeof t[0]);
}

static void test_letters_as_written(void **state)
{
    (void)state;
    static const pair written[] = {
        {"وَالكِتَابُ", "وَ+ال+كِتَابُ"}, {"مدرسـتهم", "مدرسـ+ت+هم"}, {"عالمياً", "عالمي+اً"},
    };
    static const pair normalized[] = {
        {"وَالكِتَابُ", "و+ال+كتاب"}, {"مدرسـتهم", "مدرس+ت+هم"}, {"أعلنت", "اعلن+ت"},
        {"عالمياً", "عالمي+ا"},
    };
    check(FH_SEG_FARASA, 0, written, sizeof written / sizeof written[0]);
    check(FH_SEG_FARASA, 1, normalized, sizeof normalized / sizeof normalized[0]);
}

static void test_other_tokens(void **state)
{
    (void)state;
    static const pair t[] = {
        {"CNN و G20", "CNN و G20"},
        {"عام 2014، (3.5) أو ٣٫٥!", "عام 2014 ، ( 3.5 ) أو ٣٫٥ !"},
        {"  a\t\tb  ", "a b"},
        {"a\nb\n\nc", "a\nb\n\nc"},
        {"\n\n", "\n\n"},
        {"", ""},
        {"ab\xff" "cd", "ab \xef\xbf\xbd cd"},
        {"الـCNN", "الـ CNN"},
    };
    check(FH_SEG_FARASA, 0, t, sizeof t / sizeof t[0]);
}

static void test_api_contract(void **state)
{
    (void)state;
    fh_segmenter *s = (fh_segmenter *)&s;
    fh_segment_options o = fh_segment_options_default();
    assert_int_equal(o.scheme, FH_SEG_FARASA);
    assert_int_equal(o.normalized, 0);
    o.scheme = 7;
    assert_int_equal(fh_segmenter_new(&o, &s), FH_EINVAL);
    assert_null(s);
    assert_int_equal(fh_segmenter_new(NULL, NULL), FH_EINVAL);
    fh_segmenter_free(NULL);
    assert_int_equal(fh_segmenter_new(NULL, &s), FH_OK);
    assert_int_equal(fh_segment(NULL, "x", 1, NULL, 0), 0);
    /* measure, then fill; a short buffer gets a prefix and a NUL */
    const char *text = "والتلفزيون";
    size_t need = fh_segment(s, text, strlen(text), NULL, 0);
    assert_int_equal(need, strlen("و+ال+تلفزيون"));
    char small[6];
    memset(small, 'x', sizeof small);
    assert_int_equal(fh_segment(s, text, strlen(text), small, sizeof small), need);
    assert_memory_equal(small, "و+ال", 6);
    char big[64];
    assert_int_equal(fh_segment(s, text, strlen(text), big, sizeof big), need);
    assert_string_equal(big, "و+ال+تلفزيون");
    /* the cache gives the same answer the second time */
    assert_int_equal(fh_segment(s, text, strlen(text), big, sizeof big), need);
    assert_string_equal(big, "و+ال+تلفزيون");
    fh_segmenter_free(s);
}

static size_t count_nl(const char *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += p[i] == '\n';
    return k;
}

/* random bytes (biased to Arabic letters, marks, clitic letters, invalid
 * bytes and newlines): output within 4 len + 4, valid UTF-8, as many
 * newlines as the input, and the same from a fresh segmenter */
static void test_random_bytes(void **state)
{
    (void)state;
    static const char *atoms[] = {"\xd9\x84", "\xd9\x84", "\xd8\xa7", "\xd9\x88", "\xd8\xa8", "\xd8\xa9",
                                  "\xd9\x8e", "\xd9\x80", "\xff", "\xe2\x82", "\n", " ", ".", "7",
                                  "a", "\xd9\x87", "\xd8\xaa", "\xd9\x86", "\xe2\x80\x8c"};
    tu_rng r = {0x5e9e7a11u};
    fh_segmenter *s1, *s2;
    assert_int_equal(fh_segmenter_new(NULL, &s1), FH_OK);
    char in[2048], *out = malloc(4 * sizeof in + 8), *out2 = malloc(4 * sizeof in + 8);
    assert_non_null(out);
    assert_non_null(out2);
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0, want = tu_rand(&r) % 400;
        while (n + 4 < sizeof in && n < want) {
            const char *a = atoms[tu_rand(&r) % (sizeof atoms / sizeof atoms[0])];
            size_t k = strlen(a);
            memcpy(in + n, a, k);
            n += k;
        }
        size_t m = fh_segment(s1, in, n, out, 4 * sizeof in + 8);
        assert_true(m <= 4 * n + 4);
        assert_true(tu_valid_utf8(out, m));
        assert_int_equal(count_nl(out, m), count_nl(in, n));
        assert_int_equal(fh_segmenter_new(NULL, &s2), FH_OK);
        assert_int_equal(fh_segment(s2, in, n, out2, 4 * sizeof in + 8), m);
        assert_memory_equal(out, out2, m);
        fh_segmenter_free(s2);
    }
    free(out);
    free(out2);
    fh_segmenter_free(s1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_farasa_scheme),   cmocka_unit_test(test_clitics_scheme),
        cmocka_unit_test(test_whole_words),     cmocka_unit_test(test_letters_as_written),
        cmocka_unit_test(test_other_tokens),    cmocka_unit_test(test_api_contract),
        cmocka_unit_test(test_random_bytes),    cmocka_unit_test(test_scheme_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
