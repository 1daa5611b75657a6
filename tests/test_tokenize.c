/*
 * test_tokenize.c — the tokenizer rules of src/tokenize.c (its top comment):
 * spans, types, flags and normalized forms of the tokens fh_analyze() gives.
 */
#define TU_WITH_ANALYZER
#include "testutil.h"

#include <stdio.h>

/* One expected token: its text in the input, type, normalized form. */
typedef struct {
    const char *text; /* the exact bytes of the span */
    int type;
    const char *norm;
} want_tok;

#define AR FH_TOKEN_ARABIC
#define WD FH_TOKEN_WORD
#define NU FH_TOKEN_NUMBER
#define UR FH_TOKEN_URL
#define EM FH_TOKEN_EMAIL


/* Analyze s (len bytes) and compare with the expected tokens, in order;
 * each expected span is searched for from the end of the previous one. */
static void expect_n(const char *s, size_t len, const want_tok *w, size_t nw)
{
    tu_toks t;
    assert_int_equal(tu_analyze_n(A, s, len, &t), FH_OK);
    size_t from = 0;
    for (size_t i = 0; i < nw || i < t.n; i++) {
        if (i >= t.n)
            fail_msg("input \"%s\": only %zu tokens, want %zu (missing \"%s\")", s, t.n, nw,
                     w[i].norm);
        if (i >= nw)
            fail_msg("input \"%s\": extra token %zu \"%s\"", s, i, t.v[i].norm);
        const tu_tok *k = &t.v[i];
        size_t tl = strlen(w[i].text);
        /* locate the expected span */
        size_t at = from;
        while (at + tl <= len && memcmp(s + at, w[i].text, tl) != 0)
            at++;
        if (at + tl > len)
            fail_msg("test bug: \"%s\" not in the input", w[i].text);
        if (k->start != at || k->end != at + tl || k->type != w[i].type ||
            strcmp(k->norm, w[i].norm) != 0 || k->position != i)
            fail_msg("input \"%s\" token %zu: got [%zu,%zu) type %d norm \"%s\" pos %zu; "
                     "want [%zu,%zu) \"%s\" type %d norm \"%s\"",
                     s, i, k->start, k->end, k->type, k->norm, k->position, at, at + tl,
                     w[i].text, w[i].type, w[i].norm);
        from = at + tl;
    }
    tu_toks_free(&t);
}

#define EXPECT(s, ...)                                                                         \
    do {                                                                                       \
        static const want_tok w_[] = {__VA_ARGS__};                                            \
        expect_n(s, strlen(s), w_, sizeof w_ / sizeof w_[0]);                                  \
    } while (0)

static void expect_none(const char *s, size_t len)
{
    tu_toks t;
    assert_int_equal(tu_analyze_n(A, s, len, &t), FH_OK);
    if (t.n)
        fail_msg("input \"%s\": want no token, got %zu (first \"%s\")", s, t.n, t.v[0].norm);
    tu_toks_free(&t);
}

/* ---- Arabic words ---- */

static void test_marks_never_split(void **state)
{
    (void)state;
    /* the FTS5 unicode61 failure: كَتَبَ -> 3 tokens */
    EXPECT("كَتَبَ", {"كَتَبَ", AR, "كتب"});
    EXPECT("كَتَبَ الطَّالِبُ الدَّرْسَ", {"كَتَبَ", AR, "كتب"}, {"الطَّالِبُ", AR, "الطالب"},
           {"الدَّرْسَ", AR, "الدرس"});
    EXPECT("الرَّحْمَٰنِ", {"الرَّحْمَٰنِ", AR, "الرحمن"});
    /* Quranic marks inside words */
    EXPECT("ك\u06D6ت\u0610ب", {"ك\u06D6ت\u0610ب", AR, "كتب"});
    /* a word may begin with a mark */
    EXPECT("\u064Bكتب", {"\u064Bكتب", AR, "كتب"});
    /* tatweel */
    EXPECT("كـــتـاب", {"كـــتـاب", AR, "كتاب"});
}

static void test_lone_marks_are_no_token(void **state)
{
    (void)state;
    expect_none("ـ", strlen("ـ"));
    expect_none("ـــ \u064B \u0651 \u06DB ـ\u064E", strlen("ـــ \u064B \u0651 \u06DB ـ\u064E"));
    EXPECT("ـ كتاب ـ", {"كتاب", AR, "كتاب"});
}

static void test_controls_inside_words(void **state)
{
    (void)state;
    static const char *ctl[] = {"\u200F", "\u200E", "\u061C", "\u200D", "\u200C",
                                "\u202B", "\u2067", "\u2060", "\u00AD"};
    for (size_t i = 0; i < sizeof ctl / sizeof ctl[0]; i++) {
        char s[80], w[64];
        snprintf(w, sizeof w, "ك%sتاب", ctl[i]);
        snprintf(s, sizeof s, " %s ", w);
        want_tok t = {w, AR, "كتاب"};
        expect_n(s, strlen(s), &t, 1);
    }
    /* at a word's edges they are outside its span */
    EXPECT("\u200Fكتاب\u200E", {"كتاب", AR, "كتاب"});
    /* Persian compound with ZWNJ is one word */
    EXPECT("می\u200Cخواهم", {"می\u200Cخواهم", AR, "ميخواهم"});
    /* controls alone are no token */
    expect_none("\u200F\u200E \u200C", strlen("\u200F\u200E \u200C"));
    /* in Latin words too */
    EXPECT("abc\u200Cdef", {"abc\u200Cdef", WD, "abcdef"});
}

/* With FH_NORM_CONTROLS off, controls inside a word stay in its norm. */
static void test_controls_flag_off(void **state)
{
    (void)state;
    fh_analyzer *b = tu_analyzer_flags(FH_NORM_DEFAULT & ~FH_NORM_CONTROLS, 1);
    tu_toks t;
    assert_int_equal(tu_analyze(b, "ك\u200Fتاب abc\u200Cdef \u200Fكتاب\u200E", &t), FH_OK);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.v[0].norm, "ك\u200Fتاب");
    assert_string_equal(t.v[1].norm, "abc\u200Cdef");
    assert_string_equal(t.v[2].norm, "كتاب");
    assert_int_equal(t.v[2].end - t.v[2].start, strlen("كتاب"));
    tu_toks_free(&t);
    fh_analyzer_free(b);
}

/* ---- other scripts ---- */

static void test_latin_words(void **state)
{
    (void)state;
    EXPECT("Hello, WORLD!", {"Hello", WD, "hello"}, {"WORLD", WD, "world"});
    EXPECT("G20 mp3 iPhone", {"G20", WD, "g20"}, {"mp3", WD, "mp3"}, {"iPhone", WD, "iphone"});
    EXPECT("COVID-19", {"COVID", WD, "covid"}, {"19", NU, "19"});
    EXPECT("café Straße", {"café", WD, "cafe"}, {"Straße", WD, "strasse"});
    EXPECT("cafe\u0301", {"cafe\u0301", WD, "cafe"});
    EXPECT("ΑΘΗΝΑ Москва", {"ΑΘΗΝΑ", WD, "αθηνα"}, {"Москва", WD, "москва"});
    /* digits of any script after a letter belong to the word */
    EXPECT("G٢٠", {"G٢٠", WD, "g20"});
    /* letters after digits do not */
    EXPECT("12abc", {"12", NU, "12"}, {"abc", WD, "abc"});
}

static void test_script_change(void **state)
{
    (void)state;
    EXPECT("الـCNN", {"الـ", AR, "ال"}, {"CNN", WD, "cnn"});
    EXPECT("مرحباhello", {"مرحبا", AR, "مرحبا"}, {"hello", WD, "hello"});
    EXPECT("helloمرحبا", {"hello", WD, "hello"}, {"مرحبا", AR, "مرحبا"});
    /* Arabic letters then digits: two tokens */
    EXPECT("عام2024", {"عام", AR, "عام"}, {"2024", NU, "2024"});
    EXPECT("٢٠٢٣م", {"٢٠٢٣", NU, "2023"}, {"م", AR, "م"});
}

/* ---- numbers ---- */

static void test_numbers(void **state)
{
    (void)state;
    EXPECT("3.5 1,000 ٣٫٥ ١٬٠٠٠", {"3.5", NU, "3.5"}, {"1,000", NU, "1,000"},
           {"٣٫٥", NU, "3.5"}, {"١٬٠٠٠", NU, "1,000"});
    EXPECT("۱۲۳ 1,000,000.25", {"۱۲۳", NU, "123"}, {"1,000,000.25", NU, "1,000,000.25"});
    /* a separator not between two digits ends the number */
    EXPECT("3. .5", {"3", NU, "3"}, {"5", NU, "5"});
    EXPECT("1,,2 3..4", {"1", NU, "1"}, {"2", NU, "2"}, {"3", NU, "3"}, {"4", NU, "4"});
    EXPECT("10% -5", {"10", NU, "10"}, {"5", NU, "5"});
    EXPECT("3,", {"3", NU, "3"});
    EXPECT("3.a 4,ب ٥٫x", {"3", NU, "3"}, {"a", WD, "a"}, {"4", NU, "4"}, {"ب", AR, "ب"},
           {"٥", NU, "5"}, {"x", WD, "x"});
    /* mixed scripts of digits form one number */
    EXPECT("١٢3", {"١٢3", NU, "123"});
}

static void test_digits_flag_off(void **state)
{
    (void)state;
    fh_analyzer *b = tu_analyzer_flags(FH_NORM_DEFAULT & ~FH_NORM_DIGITS, 1);
    tu_toks t;
    assert_int_equal(tu_analyze(b, "٣٫٥ ۱۲", &t), FH_OK);
    assert_int_equal(t.n, 2);
    assert_string_equal(t.v[0].norm, "٣٫٥");
    assert_int_equal(t.v[0].type, NU);
    assert_string_equal(t.v[1].norm, "۱۲");
    tu_toks_free(&t);
    fh_analyzer_free(b);
}

/* ---- separators ---- */

static void test_hashtags_and_underscores(void **state)
{
    (void)state;
    EXPECT("#جوني_هاليداي", {"جوني", AR, "جوني"}, {"هاليداي", AR, "هاليداي"});
    EXPECT("snake_case_word", {"snake", WD, "snake"}, {"case", WD, "case"}, {"word", WD, "word"});
    EXPECT("«مرحبا»، (كتاب) \"بيت\" ؟!", {"مرحبا", AR, "مرحبا"}, {"كتاب", AR, "كتاب"},
           {"بيت", AR, "بيت"});
}

static void test_invalid_utf8_separates(void **state)
{
    (void)state;
    static const want_tok w[] = {{"كت", AR, "كت"}, {"اب", AR, "اب"}};
    static const char *bad[] = {"\xFF", "\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\xE2\x82", "\xF0\x9F\x98", "\xD9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char s[32];
        int m = snprintf(s, sizeof s, "كت%sاب", bad[i]);
        expect_n(s, (size_t)m, w, 2);
    }
    /* in Latin words and numbers too */
    EXPECT("abc\xFF" "def 1\xFF" "2", {"abc", WD, "abc"}, {"def", WD, "def"}, {"1", NU, "1"},
           {"2", NU, "2"});
    /* invalid bytes at the very end of the buffer */
    static const want_tok k[] = {{"كتاب", AR, "كتاب"}};
    expect_n("كتاب\xE2\x82", strlen("كتاب") + 2, k, 1);
    expect_n("كتاب\xD8", strlen("كتاب") + 1, k, 1);
    expect_none("\xFF\xFE\x80\xC0", 4);
}

static void test_nul_separates(void **state)
{
    (void)state;
    static const char s[] = "كت\0اب abc\0def\0";
    static const want_tok w[] = {
        {"كت", AR, "كت"}, {"اب", AR, "اب"}, {"abc", WD, "abc"}, {"def", WD, "def"}};
    expect_n(s, sizeof s - 1, w, 4);
    expect_none("\0\0\0", 3);
}

/* ---- URLs and e-mail addresses ---- */

static void test_urls(void **state)
{
    (void)state;
    EXPECT("زوروا https://example.com/a?b=1.", {"زوروا", AR, "زوروا"},
           {"https://example.com/a?b=1", UR, "https://example.com/a?b=1"});
    EXPECT("www.test.org, x", {"www.test.org", UR, "www.test.org"}, {"x", WD, "x"});
    EXPECT("HTTP://Example.COM/Path!", {"HTTP://Example.COM/Path", UR, "http://example.com/path"});
    EXPECT("http://x.y/z; (https://a.org/x)", {"http://x.y/z", UR, "http://x.y/z"},
           {"https://a.org/x", UR, "https://a.org/x"});
    EXPECT("https://ar.wikipedia.org/wiki/مصر، و",
           {"https://ar.wikipedia.org/wiki/مصر", UR, "https://ar.wikipedia.org/wiki/مصر"},
           {"و", AR, "و"});
    EXPECT("«www.b.com»", {"www.b.com", UR, "www.b.com"});
    EXPECT("http://a.com/x\\y", {"http://a.com/x\\y", UR, "http://a.com/x\\y"});
    /* invalid UTF-8 ends a URL */
    EXPECT("https://a.com/x\xFFy", {"https://a.com/x", UR, "https://a.com/x"}, {"y", WD, "y"});
    /* not URLs */
    EXPECT("http:// www.", {"http", WD, "http"}, {"www", WD, "www"});
}

static void test_emails(void **state)
{
    (void)state;
    EXPECT("راسلني على user.name+tag@mail.example.com. شكرا", {"راسلني", AR, "راسلني"},
           {"على", AR, "علي"},
           {"user.name+tag@mail.example.com", EM, "user.name+tag@mail.example.com"},
           {"شكرا", AR, "شكرا"});
    EXPECT("Info@Example.ORG،", {"Info@Example.ORG", EM, "info@example.org"});
    EXPECT("first_last@a-b.co", {"first_last@a-b.co", EM, "first_last@a-b.co"});
    /* too short a top-level domain, or none: not an address */
    EXPECT("a@b.c", {"a", WD, "a"}, {"b", WD, "b"}, {"c", WD, "c"});
    EXPECT("foo@bar", {"foo", WD, "foo"}, {"bar", WD, "bar"});
}

static void test_url_and_email_not_stemmed(void **state)
{
    (void)state;
    tu_toks t;
    assert_int_equal(tu_analyze(A, "www.alkitab.com/والكتاب user@alkitab.com", &t), FH_OK);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.v[0].type, UR);
    assert_string_equal(t.v[0].stem, t.v[0].norm);
    assert_int_equal(t.v[1].type, EM);
    assert_string_equal(t.v[1].stem, t.v[1].norm);
    tu_toks_free(&t);
}

/* ---- long tokens ---- */

static char *repeat(const char *unit, size_t times, size_t *len)
{
    size_t u = strlen(unit);
    char *s = malloc(u * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * u, unit, u);
    s[u * times] = '\0';
    *len = u * times;
    return s;
}

/* The pieces of one over-long run: contiguous spans, each norm <= the cap,
 * all flagged truncated and unstemmed, together the whole normalized run. */
static void check_pieces(const char *unit, size_t times, int type, const char *norm_unit,
                         size_t want_pieces)
{
    size_t len;
    char *s = repeat(unit, times, &len);
    tu_toks t;
    assert_int_equal(tu_analyze_n(A, s, len, &t), FH_OK);
    if (t.n != want_pieces)
        fail_msg("%zu x \"%s\": %zu pieces, want %zu", times, unit, t.n, want_pieces);
    size_t at = 0, total = 0, nu = strlen(norm_unit);
    for (size_t i = 0; i < t.n; i++) {
        const tu_tok *k = &t.v[i];
        assert_int_equal(k->start, at);
        assert_true(k->end > k->start);
        assert_int_equal(k->type, type);
        assert_true(k->norm_len <= FH_MAX_TOKEN);
        assert_int_equal(k->norm_len % nu, 0); /* cut at a character boundary */
        if (want_pieces > 1) {
            assert_true(k->flags & FH_TOKEN_TRUNCATED);
            assert_string_equal(k->stem, k->norm);
        } else
            assert_false(k->flags & FH_TOKEN_TRUNCATED);
        assert_true(tu_valid_utf8(k->norm, k->norm_len));
        for (size_t j = 0; j < k->norm_len; j += nu)
            assert_memory_equal(k->norm + j, norm_unit, nu);
        total += k->norm_len;
        at = k->end;
    }
    assert_int_equal(at, len);
    assert_int_equal(total, nu * times);
    tu_toks_free(&t);
    free(s);
}

static void test_truncation(void **state)
{
    (void)state;
    /* exactly FH_MAX_TOKEN bytes: one token, not truncated */
    check_pieces("ب", FH_MAX_TOKEN / 2, AR, "ب", 1);
    check_pieces("a", FH_MAX_TOKEN, WD, "a", 1);
    check_pieces("1", FH_MAX_TOKEN, NU, "1", 1);
    /* one more character: two pieces */
    check_pieces("ب", FH_MAX_TOKEN / 2 + 1, AR, "ب", 2);
    check_pieces("a", FH_MAX_TOKEN + 1, WD, "a", 2);
    check_pieces("1", FH_MAX_TOKEN + 1, NU, "1", 2);
    /* marks cost nothing in the normalized form */
    check_pieces("بَ", FH_MAX_TOKEN / 2, AR, "ب", 1);
    check_pieces("بَ", 125, AR, "ب", 2);
    /* 3-byte letters: 240 is a multiple of 3 */
    check_pieces("日", 81, WD, "日", 2);
    check_pieces("\U0001D400", 61, WD, "\U0001D400", 2); /* 4-byte letters */
    /* a long run: many pieces */
    check_pieces("ب", 1000, AR, "ب", 9);
    /* a presentation form that folds to 2 letters: pieces stay whole */
    check_pieces("\uFEFB", 200, AR, "لا", 4);
}

static void test_truncated_url(void **state)
{
    (void)state;
    size_t len;
    char *path = repeat("a", 300, &len);
    char s[400];
    snprintf(s, sizeof s, "https://x.com/%s.", path);
    tu_toks t;
    assert_int_equal(tu_analyze(A, s, &t), FH_OK);
    assert_int_equal(t.n, 2);
    assert_int_equal(t.v[0].type, UR);
    assert_int_equal(t.v[1].type, UR);
    assert_true(t.v[0].flags & FH_TOKEN_TRUNCATED);
    assert_true(t.v[1].flags & FH_TOKEN_TRUNCATED);
    assert_int_equal(t.v[0].start, 0);
    assert_int_equal(t.v[0].end, t.v[1].start);
    assert_int_equal(t.v[1].end, strlen(s) - 1); /* the full stop is not in it */
    assert_int_equal(t.v[0].norm_len + t.v[1].norm_len, strlen(s) - 1);
    tu_toks_free(&t);
    free(path);
}

/* ---- stopwords and stems in tokens ---- */

static void test_stopword_flag(void **state)
{
    (void)state;
    static const char *stop[] = {"من", "في", "على", "إلى", "التي", "هذا"};
    fh_options o = fh_options_default();
    fh_analyzer *nostem = NULL, *nostop = NULL;
    o.stem = 0;
    assert_int_equal(fh_analyzer_new(&o, &nostem), FH_OK);
    o = fh_options_default();
    o.stopwords = 0;
    assert_int_equal(fh_analyzer_new(&o, &nostop), FH_OK);
    for (size_t i = 0; i < sizeof stop / sizeof stop[0]; i++) {
        tu_toks t;
        assert_int_equal(tu_analyze(A, stop[i], &t), FH_OK);
        assert_int_equal(t.n, 1);
        if (!(t.v[0].flags & FH_TOKEN_STOPWORD))
            fail_msg("\"%s\" is not flagged a stopword", stop[i]);
        assert_string_equal(t.v[0].stem, t.v[0].norm); /* stopwords are not stemmed */
        tu_toks_free(&t);
        /* the same with stemming off */
        assert_int_equal(tu_analyze(nostem, stop[i], &t), FH_OK);
        assert_int_equal(t.n, 1);
        assert_true(t.v[0].flags & FH_TOKEN_STOPWORD);
        tu_toks_free(&t);
        /* and never with stopwords off */
        assert_int_equal(tu_analyze(nostop, stop[i], &t), FH_OK);
        assert_int_equal(t.n, 1);
        assert_false(t.v[0].flags & FH_TOKEN_STOPWORD);
        tu_toks_free(&t);
    }
    /* content words are not stopwords; non-Arabic tokens never are */
    tu_toks t;
    assert_int_equal(tu_analyze(A, "الكتاب مدرسة the of 3", &t), FH_OK);
    assert_int_equal(t.n, 5);
    for (size_t i = 0; i < t.n; i++)
        assert_false(t.v[i].flags & FH_TOKEN_STOPWORD);
    tu_toks_free(&t);
    fh_analyzer_free(nostem);
    fh_analyzer_free(nostop);
}

static void test_stems_in_tokens(void **state)
{
    (void)state;
    tu_toks t;
    assert_int_equal(tu_analyze(A, "والكتاب مدرستهم hello", &t), FH_OK);
    assert_int_equal(t.n, 3);
    assert_string_equal(t.v[0].stem, "كتاب");
    assert_int_equal(t.v[0].stem_len, strlen("كتاب"));
    assert_string_equal(t.v[1].stem, "مدرسه");
    assert_string_equal(t.v[2].stem, "hello");
    tu_toks_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks_never_split),
        cmocka_unit_test(test_lone_marks_are_no_token),
        cmocka_unit_test(test_controls_inside_words),
        cmocka_unit_test(test_controls_flag_off),
        cmocka_unit_test(test_latin_words),
        cmocka_unit_test(test_script_change),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_digits_flag_off),
        cmocka_unit_test(test_hashtags_and_underscores),
        cmocka_unit_test(test_invalid_utf8_separates),
        cmocka_unit_test(test_nul_separates),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_emails),
        cmocka_unit_test(test_url_and_email_not_stemmed),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_truncated_url),
        cmocka_unit_test(test_stopword_flag),
        cmocka_unit_test(test_stems_in_tokens),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
