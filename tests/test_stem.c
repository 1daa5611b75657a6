/*
 * test_stem.c — the stemmer (src/stem.c): proclitics, the future marker,
 * pronoun enclitics, inflections, ة restored before enclitics, protected
 * words, the known failures of Light10 and Snowball that fahras must not
 * repeat, non-Arabic input, other normalization flags, and properties over
 * random words.
 */
#define TU_WITH_ANALYZER
#include "testutil.h"

#include <stdio.h>

#include "internal.h" /* fh_stem_word: the stemmer without lexicon or cache */


/* The stem of a word as written: normalized with a's flags, then stemmed. */
static void stem_of(fh_analyzer *a, const char *word, char *out, size_t cap)
{
    char *norm = tu_normalize(a, word);
    size_t n = 0;
    const char *s = fh_stem(a, norm, strlen(norm), &n);
    assert_non_null(s);
    assert_int_equal(strlen(s), n);
    assert_true(n < cap);
    memcpy(out, s, n + 1);
    free(norm);
}

typedef struct {
    const char *word, *stem;
} ws;

static void check_stems(fh_analyzer *a, const ws *t, size_t n, const char *what)
{
    char got[512];
    for (size_t i = 0; i < n; i++) {
        stem_of(a, t[i].word, got, sizeof got);
        if (strcmp(got, t[i].stem) != 0)
            fail_msg("%s: stem(%s) = %s, want %s", what, t[i].word, got, t[i].stem);
    }
}

#define CHECK(what, ...)                                                                       \
    do {                                                                                       \
        static const ws t_[] = {__VA_ARGS__};                                                  \
        check_stems(A, t_, sizeof t_ / sizeof t_[0], what);                                    \
    } while (0)

static void test_proclitics(void **state)
{
    (void)state;
    CHECK("proclitic chain", {"والكتاب", "كتاب"}, {"فالكتاب", "كتاب"}, {"بالكتاب", "كتاب"},
          {"وبالكتاب", "كتاب"}, {"فبالكتاب", "كتاب"}, {"كالكتاب", "كتاب"}, {"للكتاب", "كتاب"},
          {"وللكتاب", "كتاب"}, {"الكتاب", "كتاب"}, {"وكتاب", "كتاب"}, {"فكتاب", "كتاب"},
          {"بكتاب", "كتاب"}, {"ككتاب", "كتاب"}, {"لكتاب", "كتاب"});
    /* Light10 does not strip single-letter proclitics; fahras does */
    CHECK("single-letter proclitic", {"بمدرسة", "مدرسه"}, {"لمدرسة", "مدرسه"});
}

static void test_future(void **state)
{
    (void)state;
    CHECK("future", {"سيكتب", "كتب"}, {"ستكتب", "كتب"}, {"سنكتب", "كتب"},
          {"وسيكتب", "كتب"}, {"فسيكتب", "كتب"});
}

static void test_pronouns(void **state)
{
    (void)state;
    CHECK("pronoun", {"كتابه", "كتاب"}, {"كتابها", "كتاب"}, {"كتابهم", "كتاب"},
          {"كتابهما", "كتاب"}, {"كتابهن", "كتاب"}, {"كتابك", "كتاب"}, {"كتابكم", "كتاب"},
          {"كتابكما", "كتاب"}, {"كتابكن", "كتاب"}, {"كتابنا", "كتاب"}, {"قلمي", "قلم"},
          {"رأيي", "راي"});
}

static void test_inflections(void **state)
{
    (void)state;
    CHECK("inflection", {"معلمات", "معلم"}, {"معلمون", "معلم"}, {"معلمين", "معلم"},
          {"معلمان", "معلم"}, {"المعلمون", "معلم"}, {"والمعلمات", "معلم"},
          {"للمهندسين", "مهندس"}, {"مصرية", "مصري"}, {"العربية", "عربي"},
          {"شركات", "شركه"});
    /* final ة stays when the word without it is not a word */
    CHECK("teh marbuta kept", {"حكومة", "حكومه"}, {"الحكومة", "حكومه"}, {"شركة", "شركه"});
}

/* مدرستهم and مدرسة share a stem: ة (written ت before a suffix) is restored. */
static void test_teh_marbuta_restored(void **state)
{
    (void)state;
    static const char *group[] = {"مدرسة", "مدرستهم", "مدرستها", "مدرستنا", "مدرستكم",
                                  "مدرستان", "المدرسة", "والمدرسة", "بمدرسة", "لمدرسة"};
    char first[512], got[512];
    stem_of(A, group[0], first, sizeof first);
    assert_string_equal(first, "مدرسه");
    for (size_t i = 1; i < sizeof group / sizeof group[0]; i++) {
        stem_of(A, group[i], got, sizeof got);
        if (strcmp(got, first) != 0)
            fail_msg("stem(%s) = %s, but stem(%s) = %s", group[i], got, group[0], first);
    }
    CHECK("ة restored", {"حكومتهم", "حكومه"}, {"وزارتهم", "وزاره"}, {"سياراتهم", "سياره"});
}

static void test_protected_words(void **state)
{
    (void)state;
    /* leading or trailing letters that look like affixes but are the word's */
    static const char *w[] = {"وزير", "بلد", "لبنان", "فلسطين", "فقط", "بيان", "وصل", "قانون"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        char got[512];
        stem_of(A, w[i], got, sizeof got);
        if (strcmp(got, w[i]) != 0)
            fail_msg("protected word %s stemmed to %s", w[i], got);
    }
}

/* The known failures of other stemmers, which fahras must not repeat. */
static void test_other_stemmers_failures(void **state)
{
    (void)state;
    /* Light10: وزارة -> زار, الولايات -> ولا, no pronoun suffixes */
    CHECK("Light10", {"وزارة", "وزاره"}, {"الولايات", "ولايه"}, {"كتابهم", "كتاب"},
          {"بمدرسة", "مدرسه"}, {"لمدرسة", "مدرسه"});
    /* Snowball: والكتاب left as is, سيارات -> يارا */
    CHECK("Snowball", {"والكتاب", "كتاب"}, {"سيارات", "سياره"}, {"السيارات", "سياره"});
    char got[512];
    stem_of(A, "وزارة", got, sizeof got);
    assert_string_not_equal(got, "زار");
    stem_of(A, "الولايات", got, sizeof got);
    assert_string_not_equal(got, "ولا");
    stem_of(A, "سيارات", got, sizeof got);
    assert_string_not_equal(got, "يارا");
}

static void test_broken_plurals_and_more(void **state)
{
    (void)state;
    CHECK("broken plural", {"الاعمال", "عمل"}, {"شعوب", "شعب"}, {"وزراء", "وزير"},
          {"مشاريع", "مشروع"}, {"تقارير", "تقرير"}, {"بالمدارس", "مدرسه"});
    CHECK("tanwin alef", {"شخصا", "شخص"});
    CHECK("imperfect", {"يعمل", "عمل"});
    /* a stopword is not a stem (فهم is not ف + هم), but a proclitic on a
     * function word leaves that function word (بهذا -> هذا) */
    CHECK("stopword remainder", {"فهم", "فهم"}, {"بهذا", "هذا"}, {"لهذا", "هذا"},
          {"والذي", "الذي"});
    /* marks and alef forms are normalized first */
    CHECK("vowelled", {"وَالْكِتَابُ", "كتاب"}, {"بِالْمَدْرَسَةِ", "مدرسه"}, {"الأمم", "امم"});
}

static void test_stopwords_and_short_words(void **state)
{
    (void)state;
    CHECK("stopword", {"من", "من"}, {"في", "في"}, {"على", "علي"}, {"إلى", "الي"},
          {"هذا", "هذا"}, {"التي", "التي"});
    CHECK("short", {"ال", "ال"}, {"و", "و"}, {"وال", "وال"}, {"بال", "بال"});
}

static int flags_cb(void *ctx, const fh_token *t)
{
    *(unsigned *)ctx = t->flags;
    return 1; /* the first token only */
}

/* 1 if the analyzer flags the (one-word) text as a stopword. */
static int flagged_stop(const char *w)
{
    unsigned flags = 0;
    fh_analyze(A, w, strlen(w), flags_cb, &flags);
    return (flags & FH_TOKEN_STOPWORD) != 0;
}

static void test_stopword_flags(void **state)
{
    (void)state;
    /* function words, question words, a conjunction or future س on one,
     * the relatives as often misspelt (اللتي, اللذي for التي, الذي) */
    static const char *stop[] = {"من", "ولكن", "وفي", "بهذا", "سيكون", "وسيتم", "متى",
                                 "كم", "ماهو", "ماهي", "اللتي", "اللذي"};
    for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++)
        if (!flagged_stop(stop[i]))
            fail_msg("%s is not flagged a stopword", stop[i]);
    /* the imperfect letter before a function word's letters makes a verb,
     * not a clitic: توفي (died) is not ت + وفي, يمثل not ي + مثل */
    static const char *word[] = {"توفي", "وتوفي", "يمثل", "تمثل", "تبين", "يغير", "يقبل",
                                 "يتكون"};
    for (size_t i = 0; i < sizeof word / sizeof word[0]; i++)
        if (flagged_stop(word[i]))
            fail_msg("%s is flagged a stopword", word[i]);
    CHECK("imperfect verb", {"توفي", "توفي"}, {"توفيت", "توفي"}, {"وتوفي", "توفي"},
          {"يمثل", "يمثل"}, {"ويمثل", "يمثل"});
}

/* ---- non-Arabic input is returned as it is ---- */

static void test_non_arabic_as_is(void **state)
{
    (void)state;
    static const char *w[] = {"hello", "g20", "3.5", "1,000", "https://example.com/والكتاب",
                              "كتابhello", "كتاب كتاب", "ك1تاب", "日本", "",
                              "\xD8", /* a lone lead byte: not a word */
                              "والكتاب\xEF\xBF\xBD"};
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
        size_t n = 12345;
        size_t len = strlen(w[i]);
        char *in = malloc(len + 1); /* exact size, NUL included */
        assert_non_null(in);
        memcpy(in, w[i], len + 1);
        const char *s = fh_stem(A, in, len, &n);
        assert_non_null(s);
        if (n != len || memcmp(s, w[i], len) != 0 || s[n] != '\0')
            fail_msg("fh_stem(\"%s\") = \"%s\" (%zu bytes), want it unchanged", w[i], s, n);
        free(in);
    }
    /* the input need not be NUL-terminated */
    const char *s = fh_stem(A, "hello world", 5, NULL);
    assert_string_equal(s, "hello");
}

static void test_null_arguments(void **state)
{
    (void)state;
    size_t n = 99;
    assert_null(fh_stem(NULL, "كتاب", strlen("كتاب"), &n));
    assert_int_equal(n, 0);
    n = 99;
    assert_null(fh_stem(A, NULL, 4, &n));
    assert_int_equal(n, 0);
    assert_null(fh_stem(NULL, NULL, 0, NULL));
}

/* ---- other normalization flags ---- */

static void test_flags_off_same_stems(void **state)
{
    (void)state;
    /* the stemmer folds its input to the default alphabet first, so an
     * analyzer keeping ة, hamza forms, ى or marks gives the same stems */
    static const unsigned offs[] = {
        FH_NORM_TEH_MARBUTA, FH_NORM_ALEF, FH_NORM_ALEF_MAQSURA, FH_NORM_HAMZA_SEAT,
        FH_NORM_MARKS,       FH_NORM_TATWEEL,
        FH_NORM_TEH_MARBUTA | FH_NORM_ALEF | FH_NORM_ALEF_MAQSURA | FH_NORM_HAMZA_SEAT |
            FH_NORM_MARKS | FH_NORM_TATWEEL};
    static const char *words[] = {"مدرسة",   "مدرستهم", "والمدرسة", "الأمم",   "وبالأمم",
                                  "مستشفى",  "مسؤولة",  "رئيسة",    "وَالْكِتَابُ", "كـتـاب",
                                  "سيارات", "الولايات", "وزارة",   "أعمال",   "فسيكتبون"};
    for (size_t f = 0; f < sizeof offs / sizeof offs[0]; f++) {
        fh_analyzer *b = tu_analyzer_flags(FH_NORM_DEFAULT & ~offs[f], 1);
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            char want[512], got[512];
            stem_of(A, words[i], want, sizeof want);
            stem_of(b, words[i], got, sizeof got);
            if (strcmp(want, got) != 0)
                fail_msg("flags off %#x: stem(%s) = %s, with default flags %s", offs[f],
                         words[i], got, want);
            /* and through fh_analyze */
            tu_toks t;
            assert_int_equal(tu_analyze(b, words[i], &t), FH_OK);
            assert_int_equal(t.n, 1);
            assert_string_equal(t.v[0].stem, want);
            tu_toks_free(&t);
        }
        fh_analyzer_free(b);
    }
}

static void test_teh_marbuta_off_keeps_norm(void **state)
{
    (void)state;
    fh_analyzer *b = tu_analyzer_flags(FH_NORM_DEFAULT & ~FH_NORM_TEH_MARBUTA, 1);
    tu_toks t;
    assert_int_equal(tu_analyze(b, "مدرسة مدرستهم", &t), FH_OK);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0].norm, "مدرسة");
    assert_string_equal(t.v[0].stem, "مدرسه");
    assert_string_equal(t.v[1].norm, "مدرستهم");
    assert_string_equal(t.v[1].stem, "مدرسه");
    tu_toks_free(&t);
    fh_analyzer_free(b);
}

static void test_stem_off(void **state)
{
    (void)state;
    fh_options o = fh_options_default();
    o.stem = 0;
    fh_analyzer *b = NULL;
    assert_int_equal(fh_analyzer_new(&o, &b), FH_OK);
    tu_toks t;
    assert_int_equal(tu_analyze(b, "والكتاب مدرستهم", &t), FH_OK);
    assert_int_equal(t.n, 2);
    for (size_t i = 0; i < t.n; i++) {
        assert_string_equal(t.v[i].stem, t.v[i].norm);
        assert_int_equal(t.v[i].stem_len, t.v[i].norm_len);
    }
    tu_toks_free(&t);
    fh_analyzer_free(b);
}

/* ---- properties ---- */

/* Random Arabic words (biased towards affix letters): the stem is valid,
 * made of Arabic letters, not longer than the room the stemmer has, the same
 * on a second call (cache) and from a fresh analyzer (no cache). */
static void test_random_words(void **state)
{
    (void)state;
    static const char *letters[] = {"ا", "ل", "و", "ف", "ب", "ك", "س", "ي", "ت", "ن", "ه", "م",
                                    "ة", "ء", "ر", "د", "ع", "ق", "ح", "ج", "ش", "ص", "ى", "ئ"};
    const size_t nl = sizeof letters / sizeof letters[0];
    tu_rng r = {12345};
    fh_analyzer *fresh = NULL;
    char word[256], first[512];
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = 0, k = 1 + tu_rand(&r) % 30;
        for (size_t i = 0; i < k; i++) {
            const char *l = letters[tu_rand(&r) % nl];
            memcpy(word + n, l, 2);
            n += 2;
        }
        word[n] = '\0';
        size_t sl = 0;
        const char *s = fh_stem(A, word, n, &sl);
        assert_non_null(s);
        if (sl == 0 || sl > n + 8 || !tu_valid_utf8(s, sl) || strlen(s) != sl)
            fail_msg("stem(%s) = \"%s\" (%zu bytes)", word, s, sl);
        for (size_t i = 0; i < sl; i += 2) {
            unsigned cp = (((unsigned char)s[i] & 0x1Fu) << 6) | ((unsigned char)s[i + 1] & 0x3Fu);
            if (cp < 0x621 || cp > 0x64A)
                fail_msg("stem(%s) = %s holds U+%04X", word, s, cp);
        }
        memcpy(first, s, sl + 1);
        s = fh_stem(A, word, n, &sl);
        assert_string_equal(s, first);
        if (iter % 500 == 0) { /* a new analyzer: an empty cache */
            fh_analyzer_free(fresh);
            assert_int_equal(fh_analyzer_new(NULL, &fresh), FH_OK);
        }
        s = fh_stem(fresh, word, n, &sl);
        assert_string_equal(s, first);
    }
    fh_analyzer_free(fresh);
}

/* The stem cache (two ways a set; a stem kept as a piece of its word or
 * after it): 40,000 random words, most unknown to the lexicon, analyzed in
 * one text and again in another order with the same analyzer, so that
 * sets fill, ways are evicted and hits come after evictions.  Every
 * token's stem and stopword flag equal the stemmer's own answer for its
 * normalized form, cache or no cache. */
typedef struct {
    size_t n, bad;
    char first_bad[160];
} cache_check;

static int check_token(void *ctx, const fh_token *t)
{
    cache_check *c = ctx;
    char want[FH_MAX_TOKEN + 16];
    int stop = 0;
    c->n++;
    if (t->type != FH_TOKEN_ARABIC || (t->flags & FH_TOKEN_TRUNCATED))
        return 0;
    size_t n = fh_stem_word(t->norm, t->norm_len, want, &stop);
    int got_stop = (t->flags & FH_TOKEN_STOPWORD) != 0;
    if (n != t->stem_len || memcmp(want, t->stem, n) != 0 || stop != got_stop) {
        if (!c->bad++)
            snprintf(c->first_bad, sizeof c->first_bad, "%.*s: stem %.*s (%d), want %.*s (%d)",
                     (int)t->norm_len, t->norm, (int)t->stem_len, t->stem, got_stop, (int)n, want,
                     stop);
    }
    return 0;
}

static void test_stem_cache(void **state)
{
    (void)state;
    static const char *letters[] = {"ا", "ل", "و", "ف", "ب", "ك", "س", "ي", "ت", "ن", "ه", "م",
                                    "ة", "ء", "ر", "د", "ع", "ق", "ح", "ج", "ش", "ص", "ى", "ئ"};
    const size_t nl = sizeof letters / sizeof letters[0], nw = 40000;
    tu_rng r = {777};
    size_t *off = malloc((nw + 1) * sizeof *off);
    char *text = malloc(nw * 40), *text2 = malloc(nw * 40);
    assert_non_null(off);
    assert_non_null(text);
    assert_non_null(text2);
    size_t len = 0;
    for (size_t w = 0; w < nw; w++) {
        off[w] = len;
        size_t k = 3 + tu_rand(&r) % 14; /* some longer than the cache holds */
        for (size_t i = 0; i < k; i++) {
            memcpy(text + len, letters[tu_rand(&r) % nl], 2);
            len += 2;
        }
        text[len++] = ' ';
    }
    off[nw] = len;
    /* the same words, every 7th first, then the rest backwards */
    size_t len2 = 0;
    for (size_t w = 0; w < nw; w += 7) {
        memcpy(text2 + len2, text + off[w], off[w + 1] - off[w]);
        len2 += off[w + 1] - off[w];
    }
    for (size_t w = nw; w-- > 0;)
        if (w % 7) {
            memcpy(text2 + len2, text + off[w], off[w + 1] - off[w]);
            len2 += off[w + 1] - off[w];
        }
    assert_int_equal(len2, len);
    fh_analyzer *a;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    cache_check c = {0, 0, ""};
    assert_int_equal(fh_analyze(a, text, len, check_token, &c), FH_OK);
    assert_int_equal(fh_analyze(a, text2, len2, check_token, &c), FH_OK);
    assert_int_equal(fh_analyze(a, text, len, check_token, &c), FH_OK);
    if (c.bad)
        fail_msg("%zu of %zu tokens: %s", c.bad, c.n, c.first_bad);
    assert_true(c.n >= 3 * nw);
    fh_analyzer_free(a);
    free(off);
    free(text);
    free(text2);
}

/* Words too long for the stem cache are stemmed all the same. */
static void test_long_words(void **state)
{
    (void)state;
    char w[256];
    strcpy(w, "وال");
    for (int i = 0; i < 30; i++)
        strcat(w, i % 2 ? "ق" : "ط");
    char want[256];
    strcpy(want, w + strlen("وال")); /* an unknown word: only the article goes */
    for (int k = 0; k < 3; k++) {
        size_t n;
        const char *s = fh_stem(A, w, strlen(w), &n);
        assert_string_equal(s, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_proclitics),
        cmocka_unit_test(test_future),
        cmocka_unit_test(test_pronouns),
        cmocka_unit_test(test_inflections),
        cmocka_unit_test(test_teh_marbuta_restored),
        cmocka_unit_test(test_protected_words),
        cmocka_unit_test(test_other_stemmers_failures),
        cmocka_unit_test(test_broken_plurals_and_more),
        cmocka_unit_test(test_stopwords_and_short_words),
        cmocka_unit_test(test_stopword_flags),
        cmocka_unit_test(test_non_arabic_as_is),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_flags_off_same_stems),
        cmocka_unit_test(test_teh_marbuta_off_keeps_norm),
        cmocka_unit_test(test_stem_off),
        cmocka_unit_test(test_random_words),
        cmocka_unit_test(test_long_words),
        cmocka_unit_test(test_stem_cache),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
