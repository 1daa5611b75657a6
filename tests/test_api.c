/*
 * test_api.c — the public interface as a caller sees it: status codes,
 * options by name, analyzer life cycle, fh_analyze() argument checks,
 * early stop, offsets into the caller's bytes, a random-bytes smoke test,
 * and two analyzers used from two threads.
 */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>

/* ---- status codes, versions ---- */

static void test_strerror(void **state)
{
    (void)state;
    const int codes[] = {FH_OK, FH_ENOMEM, FH_EINVAL, FH_ERANGE, FH_EIO};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = fh_strerror(codes[i]);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(s, fh_strerror(codes[j]));
    }
    assert_non_null(fh_strerror(7));
    assert_non_null(fh_strerror(-1000));
    assert_non_null(fh_strerror(1 << 30));
}

static void test_versions(void **state)
{
    (void)state;
    assert_string_equal(fh_version(), FH_VERSION);
    assert_non_null(fh_unicode_version());
    assert_true(strlen(fh_unicode_version()) >= 3);
}

/* ---- options ---- */

static void test_options_default(void **state)
{
    (void)state;
    fh_options o = fh_options_default();
    assert_int_equal(o.norm_flags, FH_NORM_DEFAULT);
    assert_int_equal(o.stem, 1);
    assert_int_equal(o.stopwords, 1);
    assert_int_equal(o.max_token, FH_MAX_TOKEN);
    assert_int_equal(FH_NORM_DEFAULT, 0x1FFF);
}

/* max_token: set by name, checked by fh_analyzer_new, and the cap the
 * tokenizer cuts at (in bytes of the normalized form) */
static int count_long(void *ctx, const fh_token *t)
{
    size_t *max = ctx;
    if (t->norm_len > *max)
        *max = t->norm_len;
    return 0;
}

static void test_options_max_token(void **state)
{
    (void)state;
    char err[128];
    fh_options o = fh_options_default();
    assert_int_equal(fh_options_set(&o, "max_token", "16", err, sizeof err), FH_OK);
    assert_int_equal(o.max_token, 16);
    assert_int_equal(fh_options_set(&o, "max_token", "240", err, sizeof err), FH_OK);
    assert_int_equal(o.max_token, 240);
    const char *bad[] = {"15", "241", "0", "-20", "abc", "32x", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = 0;
        assert_int_equal(fh_options_set(&o, "max_token", bad[i], err, sizeof err), FH_EINVAL);
        assert_non_null(strstr(err, "max_token"));
        assert_int_equal(o.max_token, 240); /* unchanged */
    }
    fh_analyzer *a = NULL;
    o.max_token = 300;
    assert_int_equal(fh_analyzer_new(&o, &a), FH_EINVAL);
    assert_null(a);
    o.max_token = 15;
    assert_int_equal(fh_analyzer_new(&o, &a), FH_EINVAL);
    /* 0 is the default cap */
    o.max_token = 0;
    assert_int_equal(fh_analyzer_new(&o, &a), FH_OK);
    assert_int_equal(fh_analyzer_options(a)->max_token, FH_MAX_TOKEN);
    fh_analyzer_free(a);
    /* each cap: no token is longer, and a long run is cut at it */
    char text[600];
    size_t n = 0;
    for (int i = 0; i < 100; i++) { /* 100 letters ب, 200 bytes */
        text[n++] = (char)0xD8;
        text[n++] = (char)0xA8;
    }
    const char *rest = " abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz 1234567890123456789012";
    memcpy(text + n, rest, strlen(rest));
    n += strlen(rest);
    size_t caps[] = {16, 17, 33, 100, 240};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        o.max_token = caps[c];
        assert_int_equal(fh_analyzer_new(&o, &a), FH_OK);
        size_t longest = 0;
        assert_int_equal(fh_analyze(a, text, n, count_long, &longest), FH_OK);
        assert_true(longest <= caps[c]);
        assert_true(longest >= (caps[c] < 200 ? caps[c] - 1 : 200)); /* letters are 2 bytes */
        fh_analyzer_free(a);
    }
}

static const struct {
    const char *name;
    unsigned flag;
} names[] = {
    {"marks", FH_NORM_MARKS},
    {"quranic", FH_NORM_QURANIC},
    {"tatweel", FH_NORM_TATWEEL},
    {"alef", FH_NORM_ALEF},
    {"alef_maqsura", FH_NORM_ALEF_MAQSURA},
    {"teh_marbuta", FH_NORM_TEH_MARBUTA},
    {"hamza_seat", FH_NORM_HAMZA_SEAT},
    {"persian", FH_NORM_PERSIAN},
    {"digits", FH_NORM_DIGITS},
    {"presentation", FH_NORM_PRESENTATION},
    {"controls", FH_NORM_CONTROLS},
    {"case", FH_NORM_CASE},
    {"accents", FH_NORM_ACCENTS},
};

static const char *const on_values[] = {"1", "on", "yes", "true"};
static const char *const off_values[] = {"0", "off", "no", "false"};

static void test_options_set_every_name(void **state)
{
    (void)state;
    char err[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t v = 0; v < 4; v++) {
            fh_options o = fh_options_default();
            assert_int_equal(fh_options_set(&o, names[i].name, off_values[v], err, sizeof err),
                             FH_OK);
            /* exactly this flag is cleared */
            assert_int_equal(o.norm_flags, FH_NORM_DEFAULT & ~names[i].flag);
            assert_int_equal(o.stem, 1);
            assert_int_equal(o.stopwords, 1);
            assert_int_equal(fh_options_set(&o, names[i].name, on_values[v], err, sizeof err),
                             FH_OK);
            assert_int_equal(o.norm_flags, FH_NORM_DEFAULT);
            /* and set from nothing */
            o.norm_flags = 0;
            assert_int_equal(fh_options_set(&o, names[i].name, on_values[v], NULL, 0), FH_OK);
            assert_int_equal(o.norm_flags, names[i].flag);
        }
    for (size_t v = 0; v < 4; v++) {
        fh_options o = fh_options_default();
        assert_int_equal(fh_options_set(&o, "stem", off_values[v], err, sizeof err), FH_OK);
        assert_int_equal(o.stem, 0);
        assert_int_equal(o.stopwords, 1);
        assert_int_equal(o.norm_flags, FH_NORM_DEFAULT);
        assert_int_equal(fh_options_set(&o, "stopwords", off_values[v], err, sizeof err), FH_OK);
        assert_int_equal(o.stopwords, 0);
        assert_int_equal(fh_options_set(&o, "stem", on_values[v], err, sizeof err), FH_OK);
        assert_int_equal(o.stem, 1);
        assert_int_equal(fh_options_set(&o, "stopwords", on_values[v], err, sizeof err), FH_OK);
        assert_int_equal(o.stopwords, 1);
    }
}

/* A failing set returns FH_EINVAL, names the culprit, changes nothing. */
static void expect_set_error(const char *name, const char *value, const char *must1,
                             const char *must2)
{
    char err[256];
    memset(err, 'X', sizeof err);
    fh_options o = fh_options_default();
    fh_options before = o;
    assert_int_equal(fh_options_set(&o, name, value, err, sizeof err), FH_EINVAL);
    assert_memory_equal(&o, &before, sizeof o);
    assert_non_null(memchr(err, '\0', sizeof err));
    if (must1 && !strstr(err, must1))
        fail_msg("set(%s, %s): message \"%s\" does not name \"%s\"", name, value, err, must1);
    if (must2 && !strstr(err, must2))
        fail_msg("set(%s, %s): message \"%s\" does not name \"%s\"", name, value, err, must2);
}

static void test_options_set_errors(void **state)
{
    (void)state;
    expect_set_error("foo", "1", "foo", NULL);
    expect_set_error("stemming", "on", "stemming", NULL);
    expect_set_error("", "1", NULL, NULL);
    expect_set_error("stem", "maybe", "stem", "maybe");
    expect_set_error("teh_marbuta", "2", "teh_marbuta", "2");
    expect_set_error("marks", "", "marks", NULL);
    expect_set_error("alef", NULL, "alef", NULL);
    expect_set_error(NULL, "1", NULL, NULL);

    /* no message buffer, or a zero-length one: still FH_EINVAL */
    fh_options o = fh_options_default();
    assert_int_equal(fh_options_set(&o, "foo", "1", NULL, 0), FH_EINVAL);
    char one = 'X';
    assert_int_equal(fh_options_set(&o, "foo", "1", &one, 0), FH_EINVAL);
    assert_int_equal(one, 'X');
    /* a small buffer: cut, but NUL-terminated inside it */
    char small[8];
    memset(small, 'X', sizeof small);
    assert_int_equal(fh_options_set(&o, "a_long_unknown_option", "1", small, 5), FH_EINVAL);
    assert_non_null(memchr(small, '\0', 5));
    assert_int_equal(small[5], 'X');
    /* NULL options */
    char err[64];
    assert_int_equal(fh_options_set(NULL, "stem", "1", err, sizeof err), FH_EINVAL);
}

/* ---- analyzer life cycle ---- */

static void test_analyzer_new_free(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    assert_non_null(a);
    const fh_options *o = fh_analyzer_options(a);
    assert_non_null(o);
    assert_int_equal(o->norm_flags, FH_NORM_DEFAULT);
    assert_int_equal(o->stem, 1);
    assert_int_equal(o->stopwords, 1);
    fh_analyzer_free(a);
    fh_analyzer_free(NULL);

    fh_options opt = fh_options_default();
    opt.norm_flags = FH_NORM_ALEF | FH_NORM_CASE;
    opt.stem = 0;
    opt.stopwords = 0;
    assert_int_equal(fh_analyzer_new(&opt, &a), FH_OK);
    o = fh_analyzer_options(a);
    assert_int_equal(o->norm_flags, FH_NORM_ALEF | FH_NORM_CASE);
    assert_int_equal(o->stem, 0);
    assert_int_equal(o->stopwords, 0);
    /* the analyzer keeps its own copy */
    opt.norm_flags = 0;
    assert_int_equal(fh_analyzer_options(a)->norm_flags, FH_NORM_ALEF | FH_NORM_CASE);
    fh_analyzer_free(a);

    /* failures store NULL */
    assert_int_equal(fh_analyzer_new(NULL, NULL), FH_EINVAL);
    opt = fh_options_default();
    opt.norm_flags = FH_NORM_DEFAULT + 1; /* an unknown flag bit */
    a = (fh_analyzer *)&opt;             /* not NULL before the call */
    assert_int_equal(fh_analyzer_new(&opt, &a), FH_EINVAL);
    assert_null(a);
}

/* ---- fh_analyze: arguments, early stop ---- */

static void test_analyze_null_args(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    tu_toks t;
    memset(&t, 0, sizeof t);
    assert_int_equal(fh_analyze(NULL, "كتاب", 8, tu_collect, &t), FH_EINVAL);
    assert_int_equal(fh_analyze(a, "كتاب", 8, NULL, &t), FH_EINVAL);
    assert_int_equal(fh_analyze(a, NULL, 8, tu_collect, &t), FH_EINVAL);
    assert_int_equal(t.n, 0);
    /* nothing to do is not an error */
    assert_int_equal(fh_analyze(a, NULL, 0, tu_collect, &t), FH_OK);
    assert_int_equal(fh_analyze(a, "", 0, tu_collect, &t), FH_OK);
    assert_int_equal(fh_analyze(a, "كتاب", 0, tu_collect, &t), FH_OK);
    assert_int_equal(fh_analyze(a, "   \t\n.,;", 9, tu_collect, &t), FH_OK);
    assert_int_equal(t.n, 0);
    /* a NULL ctx is passed through */
    assert_int_equal(fh_analyze(a, NULL, 0, tu_collect, NULL), FH_OK);
    tu_toks_free(&t);
    fh_analyzer_free(a);
}

static void expect_stop(fh_analyzer *a, const char *s, size_t len, size_t at, int value,
                        size_t total)
{
    tu_toks t;
    /* without stopping, all the tokens come */
    memset(&t, 0, sizeof t);
    assert_int_equal(fh_analyze(a, s, len, tu_collect, &t), FH_OK);
    assert_int_equal(t.n, total);
    tu_toks_free(&t);
    assert_true(at <= total);
    memset(&t, 0, sizeof t);
    t.stop_after = at;
    t.stop_value = value;
    char *buf = malloc(len);
    assert_non_null(buf);
    memcpy(buf, s, len);
    int rc = fh_analyze(a, buf, len, tu_collect, &t);
    if (rc != value || t.n != at)
        fail_msg("stop at %zu with %d: returned %d after %zu tokens", at, value, rc, t.n);
    free(buf);
    tu_toks_free(&t);
}

static void test_callback_stops(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    const char *s = "والكتاب hello 3.5 www.example.com user@example.com كتاب";
    size_t n = strlen(s);
    for (size_t at = 1; at <= 6; at++) {
        expect_stop(a, s, n, at, 7, 6);
        expect_stop(a, s, n, at, 1, 6);
        expect_stop(a, s, n, at, -5, 6);
        expect_stop(a, s, n, at, FH_EINVAL, 6);
    }
    /* stopping on a piece of an over-long token */
    char longw[2 * 300 + 1];
    for (int i = 0; i < 300; i++)
        memcpy(longw + 2 * i, "ب", 2);
    longw[600] = '\0';
    expect_stop(a, longw, 600, 1, 3, 3);
    expect_stop(a, longw, 600, 2, 3, 3);
    char longurl[400];
    snprintf(longurl, sizeof longurl, "http://x.org/%.300s", longw);
    expect_stop(a, longurl, strlen(longurl), 1, 9, 2); /* 13 + 300 bytes: 2 pieces */
    expect_stop(a, longurl, strlen(longurl), 2, 9, 2);

    /* a long text: at every token, whatever produced it (a word, a number,
     * a piece of an over-long word, number, Latin run or URL, an e-mail) */
    size_t cap = 20000, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t total = 0;
    for (int r = 0; r < 12; r++) {
        static const char *words = "والكتاب مدرستهم G20 ٣٫٥ من user@example.com ";
        memcpy(text + len, words, strlen(words));
        len += strlen(words);
        total += 6;
        const char *unit = r % 4 == 0 ? "ب" : r % 4 == 1 ? "a" : r % 4 == 2 ? "7" : NULL;
        if (unit) { /* 300 bytes of normalized text: 2 pieces */
            size_t u = strlen(unit), k = 300 / u;
            for (size_t i = 0; i < k; i++, len += u)
                memcpy(text + len, unit, u);
        } else {
            len += (size_t)snprintf(text + len, cap - len, "https://x.org/%.300s", longw);
        }
        text[len++] = ' ';
        total += 2;
    }
    assert_true(len < cap);
    for (size_t at = 1; at <= total; at++)
        expect_stop(a, text, len, at, (int)at, total);
    free(text);
    fh_analyzer_free(a);
}

/* ---- offsets index the caller's bytes ---- */

static char where[128] = ""; /* what is being checked, for failure messages */

static const char *hex(const char *s, size_t n)
{
    static char buf[3 * 64 + 4];
    size_t k = 0;
    for (size_t i = 0; i < n && i < 64; i++)
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%02X ", (unsigned char)s[i]);
    if (n > 64)
        snprintf(buf + k, sizeof buf - k, "...");
    return buf;
}

/* Every token's span lies in the buffer, in order; its normalized form is
 * what fh_normalize makes of exactly those bytes. */
static void check_spans(fh_analyzer *a, const char *buf, size_t len, const tu_toks *t)
{
    size_t prev_end = 0;
    for (size_t i = 0; i < t->n; i++) {
        const tu_tok *k = &t->v[i];
        if (!(k->start < k->end && k->end <= len && k->start >= prev_end))
            fail_msg("token %zu: span [%zu,%zu) after %zu in %zu bytes", i, k->start, k->end,
                     prev_end, len);
        if (k->position != i)
            fail_msg("token %zu has position %zu", i, k->position);
        if (k->type < FH_TOKEN_ARABIC || k->type > FH_TOKEN_EMAIL)
            fail_msg("token %zu has type %d", i, k->type);
        if (k->flags & ~(unsigned)(FH_TOKEN_STOPWORD | FH_TOKEN_TRUNCATED))
            fail_msg("token %zu has flags %#x", i, k->flags);
        if (k->norm_len < 1 || k->norm_len > FH_MAX_TOKEN || strlen(k->norm) != k->norm_len ||
            !tu_valid_utf8(k->norm, k->norm_len)) {
            print_error("%s: span bytes %s\n", where, hex(buf + k->start, k->end - k->start));
            fail_msg("%s: token %zu [%zu,%zu) type %d: bad norm (%zu bytes): %s", where, i,
                     k->start, k->end, k->type, k->norm_len, hex(k->norm, k->norm_len));
        }
        if (strlen(k->stem) != k->stem_len || !tu_valid_utf8(k->stem, k->stem_len) ||
            k->stem_len == 0)
            fail_msg("token %zu: bad stem (%zu bytes)", i, k->stem_len);
        if ((k->type != FH_TOKEN_ARABIC || (k->flags & FH_TOKEN_TRUNCATED)) &&
            strcmp(k->stem, k->norm) != 0)
            fail_msg("token %zu (type %d, flags %#x) was stemmed", i, k->type, k->flags);
        if ((k->flags & FH_TOKEN_STOPWORD) && k->type != FH_TOKEN_ARABIC)
            fail_msg("token %zu: a non-Arabic stopword", i);
        char tmp[3 * 2048 + 8];
        size_t span = k->end - k->start;
        assert_true(span <= 2048);
        size_t m = fh_normalize(a, buf + k->start, span, tmp, sizeof tmp);
        if (m != k->norm_len || memcmp(tmp, k->norm, m) != 0) {
            print_error("%s: span bytes %s\n", where, hex(buf + k->start, span));
            fail_msg("%s: token %zu: norm \"%s\" but its span [%zu,%zu) normalizes to \"%.*s\"",
                     where, i, k->norm, k->start, k->end, (int)m, tmp);
        }
        prev_end = k->end;
    }
}

static void test_offsets_index_original_bytes(void **state)
{
    (void)state;
    fh_analyzer *a = NULL;
    assert_int_equal(fh_analyzer_new(NULL, &a), FH_OK);
    static const char s[] =
        "\u200Fكَتَبَ الطَّالِبُ\u200E «الدرسَ» في ﺍﻟﺴﻼﻡ ﻻ ك\u200Cتاب ٣٫٥ 1,000 G20 ÉCOLE "
        "الـCNN #جوني_هاليداي https://Example.com/مصر، Info@Example.ORG. كت\xFF" "اب a\0b";
    size_t len = sizeof s - 1;
    tu_toks t;
    snprintf(where, sizeof where, "fixed text");
    assert_int_equal(tu_analyze_n(a, s, len, &t), FH_OK);
    assert_int_equal(t.n, 21);
    check_spans(a, s, len, &t);
    /* spot checks: the span is the word as written */
    assert_memory_equal(s + t.v[0].start, "كَتَبَ", strlen("كَتَبَ"));
    assert_int_equal(t.v[0].start, strlen("\u200F"));
    assert_memory_equal(s + t.v[2].start, "الدرسَ", strlen("الدرسَ"));
    assert_string_equal(t.v[2].norm, "الدرس");
    tu_toks_free(&t);
    fh_analyzer_free(a);
}

/* ---- random bytes ---- */

/* Random text from fragments.  controls == 0 leaves out the bidi and joiner
 * controls (see test_random_bytes_smoke). */
static size_t fill_random(tu_rng *r, char *b, size_t cap, int controls)
{
    static const char *frag[] = {
        "ك", "ت", "ا", "ب", "ال", "و", "ة", "ى", "أ", "\u064E", "\u0651", "\u06D6", "ـ",
        "\u200F", "\u200C", "\u200D", "\uFEFB", "\uFE91", "\uFDF2", "ک", "ی", "٣", "٫", "٬",
        "3", "5", ".", ",", "a", "Z", "É", "ß", " ", "  ", "\n", "#", "_", "@", "-", "'",
        "http://", "https://", "www.", ".com", "x@y.org", "«", "»", "،", "؟", "\xFF",
        "\x80", "\xE2\x82", "\xF0\x9F\x98", "\xED\xA0\x80", "\xC0\xAF", "\U0001F600",
        "日", "\u0301", "\uFDFA"};
    const size_t nf = sizeof frag / sizeof frag[0];
    size_t n = 0, target = tu_rand(r) % cap;
    while (n < target) {
        uint32_t pick = tu_rand(r) % 10;
        if (pick == 0) { /* a raw random byte */
            b[n++] = (char)(tu_rand(r) & 0xFF);
        } else if (pick == 2 && tu_rand(r) % 4 == 0) { /* a NUL byte */
            b[n++] = '\0';
        } else if (pick == 1 && n + 300 < target) { /* a long run */
            const char *f = frag[tu_rand(r) % 4];
            size_t k = 100 + tu_rand(r) % 100;
            for (size_t i = 0; i < k; i++) {
                memcpy(b + n, f, 2);
                n += 2;
            }
        } else {
            size_t i = tu_rand(r) % nf;
            if (!controls && frag[i][0] == '\xE2' && frag[i][1] == '\x80')
                continue;
            size_t fl = strlen(frag[i]);
            if (n + fl > target)
                break;
            memcpy(b + n, frag[i], fl);
            n += fl;
        }
    }
    return n;
}

static void random_smoke(unsigned flags, int stem, uint64_t seed, int iters)
{
    fh_analyzer *a = tu_analyzer_flags(flags, stem);
    fh_analyzer *plain = tu_analyzer_flags(flags, stem);
    tu_rng r = {seed};
    char *tmp = malloc(2048);
    assert_non_null(tmp);
    size_t tokens = 0;
    for (int iter = 0; iter < iters; iter++) {
        size_t n = fill_random(&r, tmp, 1500, (flags & FH_NORM_CONTROLS) != 0);
        char *buf = malloc(n ? n : 1); /* exact size */
        assert_non_null(buf);
        memcpy(buf, tmp, n);
        tu_toks t;
        memset(&t, 0, sizeof t);
        snprintf(where, sizeof where, "flags %#x stem %d buffer %d", flags, stem, iter);
        assert_int_equal(fh_analyze(a, buf, n, tu_collect, &t), FH_OK);
        check_spans(plain, buf, n, &t);
        tokens += t.n;
        tu_toks_free(&t);
        /* the whole buffer normalized: bounded, valid */
        size_t need = fh_normalize(a, buf, n, NULL, 0);
        assert_true(need <= 3 * n + 3);
        char *out = malloc(need + 1);
        assert_non_null(out);
        assert_int_equal(fh_normalize(a, buf, n, out, need + 1), need);
        assert_true(tu_valid_utf8(out, need));
        free(out);
        free(buf);
    }
    assert_true(tokens > (size_t)iters * 3); /* the generator does make tokens */
    free(tmp);
    fh_analyzer_free(a);
    fh_analyzer_free(plain);
}

/* With FH_NORM_CONTROLS off, no bidi/joiner controls are generated: a
 * control before a number's separator ("3<RLM>.5") gives a norm with stale
 * bytes (tests/golden/KNOWN_ISSUES.md, issue 1).  When that is fixed, pass
 * 1 as fill_random's last argument always. */
static void test_random_bytes_smoke(void **state)
{
    (void)state;
    random_smoke(FH_NORM_DEFAULT, 1, 0xC0FFEE1234567ull, 4000);
    random_smoke(FH_NORM_DEFAULT, 0, 0xBADC0DEull, 500);
    random_smoke(0, 1, 0x1234ull, 500);
    random_smoke(FH_NORM_DEFAULT & ~FH_NORM_CONTROLS, 1, 0x5678ull, 500);
    random_smoke(FH_NORM_DEFAULT & ~(FH_NORM_MARKS | FH_NORM_TATWEEL), 1, 0x9ABCull, 500);
    random_smoke(FH_NORM_DEFAULT & ~(FH_NORM_PRESENTATION | FH_NORM_ALEF), 1, 0xDEFull, 500);
    random_smoke(FH_NORM_DEFAULT & ~(FH_NORM_CASE | FH_NORM_DIGITS), 1, 0x4242ull, 500);
}

/* ---- stopword look-up ---- */

static void test_is_stopword(void **state)
{
    (void)state;
    assert_int_equal(fh_is_stopword("من", strlen("من")), 1);
    assert_int_equal(fh_is_stopword("الي", strlen("الي")), 1);
    assert_int_equal(fh_is_stopword("كتاب", strlen("كتاب")), 0);
    assert_int_equal(fh_is_stopword("منذ", strlen("من")), 1); /* only len bytes count */
    assert_int_equal(fh_is_stopword("", 0), 0);
    assert_int_equal(fh_is_stopword(NULL, 0), 0);
    assert_int_equal(fh_is_stopword("the", 3), 0);
}

/* ---- threads: distinct analyzers, concurrently ---- */

typedef struct {
    const char *text;
    size_t len;
    int rounds;
    uint64_t hash;
    int rc;
} job;

static int hash_tok(void *ctx, const fh_token *t)
{
    uint64_t *h = ctx;
    const unsigned char *p[2] = {(const unsigned char *)t->norm, (const unsigned char *)t->stem};
    size_t n[2] = {t->norm_len, t->stem_len};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < n[k]; i++)
            *h = (*h ^ p[k][i]) * 1099511628211ull;
    *h = (*h ^ (t->start * 31 + t->end * 7 + t->position + (size_t)t->type * 131 + t->flags)) *
         1099511628211ull;
    return 0;
}

static void *run_job(void *arg)
{
    job *j = arg;
    fh_analyzer *a = NULL;
    j->rc = fh_analyzer_new(NULL, &a);
    if (j->rc != FH_OK)
        return NULL;
    j->hash = 14695981039346656037ull;
    for (int r = 0; r < j->rounds && j->rc == FH_OK; r++)
        j->rc = fh_analyze(a, j->text, j->len, hash_tok, &j->hash);
    fh_analyzer_free(a);
    return NULL;
}

static void test_two_threads(void **state)
{
    (void)state;
    /* a text with many distinct words, so that the stem caches fill */
    tu_rng r = {777};
    size_t cap = 200000, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    static const char *parts[] = {"وال", "بال", "كتاب", "مدرس", "ة", "ات", "هم", "ون", "سي",
                                  "عمل", "ها", "ي", "ل", "ف", "hello", "3.5", "ـ", "\u064E"};
    while (n + 64 < cap) {
        size_t k = 1 + tu_rand(&r) % 4;
        for (size_t i = 0; i < k; i++) {
            const char *p = parts[tu_rand(&r) % (sizeof parts / sizeof parts[0])];
            memcpy(text + n, p, strlen(p));
            n += strlen(p);
        }
        text[n++] = ' ';
    }
    job solo = {text, n, 3, 0, 0};
    run_job(&solo);
    assert_int_equal(solo.rc, FH_OK);
    job j[2] = {{text, n, 3, 0, 0}, {text, n, 3, 0, 0}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, run_job, &j[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(j[i].rc, FH_OK);
        assert_true(j[i].hash == solo.hash);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_options_default),
        cmocka_unit_test(test_options_max_token),
        cmocka_unit_test(test_options_set_every_name),
        cmocka_unit_test(test_options_set_errors),
        cmocka_unit_test(test_analyzer_new_free),
        cmocka_unit_test(test_analyze_null_args),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_offsets_index_original_bytes),
        cmocka_unit_test(test_random_bytes_smoke),
        cmocka_unit_test(test_is_stopword),
        cmocka_unit_test(test_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
