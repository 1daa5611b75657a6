/*
 * fuzz_analyze.c — fh_analyze (UTF-8 decoding, normalizer, tokenizer,
 * stemmer) and the text utilities fh_normalize and fh_stem.
 *
 * Input: 3 control bytes, then the text.
 *   byte 0, 1   normalization flags (low 13 bits); byte 1 bit 7: the defaults,
 *               bit 5: also check cut fh_normalize outputs, bit 6: a token
 *               cap (max_token) of 16 + 7 (byte 2 >> 3) bytes
 *   byte 2      bit 0 stem, bit 1 stopwords, bit 2: stop at token (byte 2 >> 3)
 *
 * Invariants (fahras.h, sections 1, 4, 5): spans inside the input, in order,
 * never overlapping, never holding invalid UTF-8; positions 0, 1, 2...;
 * norm and stem valid UTF-8, NUL-terminated, 1..max_token bytes; stem =
 * norm when stemming is off or the token is truncated; fh_stem(norm) is the
 * token's stem; the stopword flag agrees with fh_is_stopword (default
 * flags); a callback's stop value is returned; fh_normalize measures then
 * fills within its bound and a cut output is a prefix of the whole one.
 */
#include <string.h>

#include "../include/fahras.h"
#include "fuzz.h"

#define FUZZ_MAX_LEN 1024

typedef struct run {
    fh_analyzer *a;
    const fh_options *opt;
    const char *text;
    size_t len;
    size_t ntok, last_end, stop_at;
    uint64_t h; /* the norms, in order */
} run;

static int on_token(void *ctx, const fh_token *t)
{
    run *r = ctx;
    FZ_CHECK(t->start < t->end && t->end <= r->len);
    FZ_CHECK(t->start >= r->last_end);
    FZ_CHECK(t->position == r->ntok);
    FZ_CHECK(fz_valid_utf8(r->text + t->start, t->end - t->start));
    FZ_CHECK(t->type >= FH_TOKEN_ARABIC && t->type <= FH_TOKEN_EMAIL);
    FZ_CHECK((t->flags & ~(unsigned)(FH_TOKEN_STOPWORD | FH_TOKEN_TRUNCATED)) == 0);
    FZ_CHECK(t->norm && t->norm_len >= 1 && t->norm_len <= r->opt->max_token);
    FZ_CHECK(t->norm[t->norm_len] == '\0' && strlen(t->norm) == t->norm_len);
    FZ_CHECK(fz_valid_utf8(t->norm, t->norm_len));
    FZ_CHECK(t->stem && t->stem_len >= 1 && t->stem_len <= FH_MAX_TOKEN);
    FZ_CHECK(t->stem[t->stem_len] == '\0' && strlen(t->stem) == t->stem_len);
    FZ_CHECK(fz_valid_utf8(t->stem, t->stem_len));
    if (!r->opt->stem || (t->flags & FH_TOKEN_TRUNCATED))
        FZ_CHECK(t->stem_len == t->norm_len && memcmp(t->stem, t->norm, t->norm_len) == 0);
    /* only whole Arabic words are looked up */
    if (!r->opt->stopwords || t->type != FH_TOKEN_ARABIC || (t->flags & FH_TOKEN_TRUNCATED))
        FZ_CHECK(!(t->flags & FH_TOKEN_STOPWORD));
    else if (r->opt->norm_flags == FH_NORM_DEFAULT) {
        /* a listed word is flagged; when stemming, so is a function word
         * with a proclitic (وفي) */
        if (fh_is_stopword(t->norm, t->norm_len))
            FZ_CHECK(t->flags & FH_TOKEN_STOPWORD);
        else if (!r->opt->stem)
            FZ_CHECK(!(t->flags & FH_TOKEN_STOPWORD));
    }
    r->h = fz_hash(r->h, t->norm, t->norm_len + 1);
    r->last_end = t->end;
    r->ntok++;
    if (r->stop_at && r->ntok == r->stop_at)
        return 7;
    return 0;
}

/* fh_stem(norm) gives an Arabic token's stem: the lexicon, the stem cache
 * and a direct call agree.  (Only Arabic tokens are stemmed; fh_stem folds
 * other words to the default alphabet, the tokenizer leaves them as
 * norm.)  A second pass, so the analyzer's stem buffer is not reused
 * during the first. */
static int on_token_stem(void *ctx, const fh_token *t)
{
    run *r = ctx;
    if (r->opt->stem && t->type == FH_TOKEN_ARABIC && !(t->flags & FH_TOKEN_TRUNCATED)) {
        char norm[FH_MAX_TOKEN + 1], stem[FH_MAX_TOKEN + 1];
        size_t sl = t->stem_len;
        memcpy(norm, t->norm, t->norm_len + 1);
        memcpy(stem, t->stem, sl + 1);
        size_t n;
        const char *s = fh_stem(r->a, norm, t->norm_len, &n);
        FZ_CHECK(s && n == sl && memcmp(s, stem, n) == 0);
    }
    return 0;
}

static void check_normalize(const fh_analyzer *a, const char *text, size_t len, int cuts_too)
{
    size_t need = fh_normalize(a, text, len, NULL, 0);
    FZ_CHECK(need <= 3 * len + 3);
    char *full = malloc(need + 1);
    FZ_CHECK(full != NULL);
    FZ_CHECK(fh_normalize(a, text, len, full, need + 1) == need);
    FZ_CHECK(full[need] == '\0');
    FZ_CHECK(fz_valid_utf8(full, need));
    if (!cuts_too) {
        free(full);
        return;
    }
    /* cut outputs: the bytes written are the start of the whole result, and
     * nothing is written past cap (exact-size buffers) */
    size_t cuts[2] = {need / 2, need ? need - 1 : 0};
    for (int i = 0; i < 2; i++) {
        size_t cap = cuts[i];
        if (!cap)
            continue;
        char *out = malloc(cap);
        FZ_CHECK(out != NULL);
        memset(out, 0x55, cap);
        FZ_CHECK(fh_normalize(a, text, len, out, cap) == need);
        size_t w = memchr(out, '\0', cap) ? strlen(out) : cap;
        FZ_CHECK(w <= need && memcmp(out, full, w) == 0);
        free(out);
    }
    free(full);
}

/* Analyzers are kept from one input to the next (each holds a 3 MB stem
 * cache: making one per input would be most of the time), 64 of them,
 * direct-mapped by options; the stem cache thus also sees words of earlier
 * inputs, as it does in real use.  With 8 the flags the fuzzer varies made a
 * new analyzer for most inputs (15 % of the time). */
static struct {
    fh_analyzer *a;
    fh_options opt;
} pool[64];

static fh_analyzer *analyzer_for(const fh_options *opt)
{
    unsigned k = ((opt->norm_flags * 2654435761u) >> 28) << 2 | (opt->stem ? 2u : 0u) |
                 (opt->stopwords ? 1u : 0u);
    if (pool[k].a && memcmp(&pool[k].opt, opt, sizeof *opt) == 0)
        return pool[k].a;
    fh_analyzer_free(pool[k].a);
    pool[k].a = NULL;
    FZ_CHECK(fh_analyzer_new(opt, &pool[k].a) == FH_OK);
    pool[k].opt = *opt;
    return pool[k].a;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    unsigned b0 = fz_byte(&in), b1 = fz_byte(&in), b2 = fz_byte(&in);
    fh_options opt = fh_options_default();
    if (!(b1 & 0x80))
        opt.norm_flags = (b0 | (b1 << 8)) & FH_NORM_DEFAULT;
    opt.stem = b2 & 1;
    opt.stopwords = (b2 >> 1) & 1;
    if (b1 & 0x40)
        opt.max_token = 16 + 7 * (b2 >> 3);
    fh_analyzer *a = analyzer_for(&opt);
    const fh_options *got = fh_analyzer_options(a);
    FZ_CHECK(got->norm_flags == opt.norm_flags && got->stem == opt.stem &&
             got->stopwords == opt.stopwords && got->max_token == opt.max_token);

    /* an exact-size copy of the text, so a read past its end is caught */
    char *text = malloc(in.n ? in.n : 1);
    FZ_CHECK(text != NULL);
    memcpy(text, in.p, in.n);
    run r = {a, got, text, in.n, 0, 0, 0, FZ_HASH0};
    if (b2 & 4)
        r.stop_at = (b2 >> 3) + 1;
    int rc = fh_analyze(a, text, in.n, on_token, &r);
    if (r.stop_at && r.ntok == r.stop_at)
        FZ_CHECK(rc == 7);
    else
        FZ_CHECK(rc == FH_OK);
    FZ_CHECK(fh_analyze(a, text, in.n, on_token_stem, &r) == FH_OK);

    check_normalize(a, text, in.n, (b1 >> 5) & 1);

    /* fh_stem on raw bytes: any input is safe; long words are cut at a
     * character boundary, so valid UTF-8 stays valid */
    size_t sl;
    const char *s = fh_stem(a, text, in.n, &sl);
    FZ_CHECK(s && s[sl] == '\0');
    if (fz_valid_utf8(text, in.n))
        FZ_CHECK(fz_valid_utf8(s, sl));
    FZ_CHECK(in.n > FH_MAX_TOKEN ? sl <= FH_MAX_TOKEN : sl <= 3 * in.n + 3);
    FZ_CHECK(fh_analyze(a, NULL, 1, on_token, &r) == FH_EINVAL);

    free(text);
    return 0;
}
