/*
 * stem.c — a light stemmer for search, guarded by corpus evidence.
 *
 * A word is read as  PROCLITICS + STEM + SUFFIXES  where
 *   proclitics: [و|ف] then [ب|ك|ل] then ال (ل+ال is written لل), or
 *               [و|ف] then س (the future marker, before an imperfect verb);
 *   suffixes:   a pronoun (ه ها هم هما هن ك كم كما كن ي نا), optionally
 *               after an inflection (ات ت=ة ي و); or an inflection alone
 *               (ات ون ين ان تان تين وا ت ه=ة).
 * Stripping is decided by evidence, not length: the lexicon (word counts
 * from the ANT news corpus, data/lexicon.tsv) must show that what remains
 * is a word in its own right, often enough compared with the whole word.
 * That is what keeps the first letters of وزير, بلد, لبنان, فقط, بيان and
 * the last letters of فلسطين, قانون, حكومة in the stem, while والكتاب,
 * بمدرسة, لمدرسة, كتابهم and سيارات lose their affixes.
 *
 * Feminine ة: before a suffix it is written ت (مدرستهم, سياراتهم); the stem
 * restores it, so مدرستهم, مدرسة and مدارس... (no: broken plurals are out of
 * reach of a light stemmer) — so مدرستهم and مدرسة share a stem.  Final ة/ه
 * itself is stripped only when the word without it is attested (عراقية ->
 * عراقي, but حكومة stays حكومه).
 *
 * The stemmer works on fahras's default alphabet: the caller's normalized
 * form is first folded to it (so it behaves the same whatever the
 * normalization flags), and stems are in that alphabet.
 */
#include <string.h>

#include "internal.h"

/* ---- tunable evidence thresholds (measured on PADT dev, see eval/) ---- */

/* A proclitic other than the article is stripped if the stem it leaves is
 * better attested than the alternatives by this factor (see fh_stem_word). */
#define PREFIX_MARGIN 0.5
/* A suffix is stripped if the stem is seen at least this fraction as often. */
#define THETA_SUFFIX 0.05
/* Final ه (ة or "his"): the word without it, this fraction as often. */
#define THETA_H 0.2
/* Single-letter pronouns ي and ك collide with nisba and root letters
 * (عراقي, ملك): the stem must be seen this many times as often. */
#define THETA_WEAK_PRON 3.0
/* Least evidence (count) for a stem to be believed at all. */
#define MIN_EVIDENCE 2
/* Shortest stem, in letters. */
#define MIN_STEM 3u

/* Arabic letters of U+0621..U+064A are 2 UTF-8 bytes: work in bytes. */
#define L 2u

typedef struct {
    const char *s;
    unsigned char len; /* bytes */
    unsigned char article; /* chain ends with the article */
    unsigned char future;  /* chain ends with the future marker س */
} affix;

/* Longest first, so that the first acceptable chain is the longest. */
static const affix prefixes[] = {
    {"وبال", 8, 1, 0}, {"فبال", 8, 1, 0}, {"وكال", 8, 1, 0}, {"فكال", 8, 1, 0},
    {"وال", 6, 1, 0},  {"فال", 6, 1, 0},  {"بال", 6, 1, 0},  {"كال", 6, 1, 0},
    {"ولل", 6, 1, 0},  {"فلل", 6, 1, 0},  {"لل", 4, 1, 0},   {"ال", 4, 1, 0},
    {"وب", 4, 0, 0},   {"فب", 4, 0, 0},   {"ول", 4, 0, 0},   {"فل", 4, 0, 0},
    {"وك", 4, 0, 0},   {"فك", 4, 0, 0},   {"وس", 4, 0, 1},   {"فس", 4, 0, 1},
    {"و", 2, 0, 0},    {"ف", 2, 0, 0},    {"ب", 2, 0, 0},    {"ك", 2, 0, 0},
    {"ل", 2, 0, 0},    {"س", 2, 0, 1},
};

enum { S_PRON = 1, S_WEAK = 2, S_FEM_T = 4, S_FEM_PL = 8, S_H = 16 };

typedef struct {
    const char *s;
    unsigned char len;
    unsigned char kind;
} suffix;

/* Inflection + pronoun chains, then pronouns, then inflections; longest
 * first within each length. */
static const suffix suffixes[] = {
    {"اتهما", 10, S_PRON | S_FEM_PL}, {"اتهم", 8, S_PRON | S_FEM_PL},
    {"اتها", 8, S_PRON | S_FEM_PL},   {"اتهن", 8, S_PRON | S_FEM_PL},
    {"اتكم", 8, S_PRON | S_FEM_PL},   {"اتنا", 8, S_PRON | S_FEM_PL},
    {"تهما", 8, S_PRON | S_FEM_T},    {"تهم", 6, S_PRON | S_FEM_T},
    {"تها", 6, S_PRON | S_FEM_T},     {"تهن", 6, S_PRON | S_FEM_T},
    {"تكم", 6, S_PRON | S_FEM_T},     {"تنا", 6, S_PRON | S_FEM_T},
    {"اته", 6, S_PRON | S_FEM_PL},    {"يهم", 6, S_PRON},
    {"هما", 6, S_PRON},               {"كما", 6, S_PRON},
    {"تين", 6, S_FEM_T},              {"تان", 6, S_FEM_T},
    {"ته", 4, S_PRON | S_FEM_T},      {"ها", 4, S_PRON},
    {"هم", 4, S_PRON},                {"هن", 4, S_PRON},
    {"كم", 4, S_PRON},                {"كن", 4, S_PRON},
    {"نا", 4, S_PRON},                {"ات", 4, S_FEM_PL},
    {"ون", 4, 0},                     {"ين", 4, 0},
    {"ان", 4, 0},                     {"وا", 4, 0},
    {"ه", 2, S_H},                    {"ت", 2, 0},
    {"ي", 2, S_PRON | S_WEAK},        {"ك", 2, S_PRON | S_WEAK},
};

static const char H[] = "ه";
static const char ART[] = "ال";

/* Evidence that x is a word: seen bare or with the article. */
static uint32_t evidence(const char *x, size_t n)
{
    char buf[FH_MAX_TOKEN + 8];
    uint32_t e = fh_lex_count(x, n);
    if (n + 4 <= FH_MAX_TOKEN && !(n >= 4 && memcmp(x, ART, 4) == 0)) {
        memcpy(buf, ART, 4);
        memcpy(buf + 4, x, n);
        e += fh_lex_count(buf, n + 4);
    }
    return e;
}

/* Final ه: strip it (ة of a feminine adjective, or "his") when the word
 * without it is attested often enough. */
static size_t strip_h(const char *w, size_t n)
{
    if (n >= (MIN_STEM + 1) * L && memcmp(w + n - L, H, L) == 0) {
        uint32_t ew = evidence(w, n);
        uint32_t e = evidence(w, n - L);
        if (e >= MIN_EVIDENCE && e >= THETA_H * ew)
            return n - L;
    }
    return n;
}

/*
 * Strip suffixes from r (n bytes; the remainder after proclitics) into out.
 * Returns the stem length, or 0 when no suffix could be stripped.
 */
static size_t strip_suffix(const char *r, size_t n, char *out)
{
    uint32_t er = fh_lex_count(r, n);
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
        const suffix *q = &suffixes[k];
        if (n < q->len + MIN_STEM * L || memcmp(r + n - q->len, q->s, q->len) != 0)
            continue;
        size_t b = n - q->len;
        if (q->kind & S_H)
            continue; /* handled by strip_h, with its own threshold */

        /* candidate stems: the base, or the base with ة restored */
        char c1[FH_MAX_TOKEN + 8];
        size_t n1 = b;
        memcpy(c1, r, b);
        uint32_t e1;
        if (q->kind & S_FEM_T) {
            memcpy(c1 + b, H, L); /* مدرستهم -> مدرسه */
            n1 = b + L;
            e1 = evidence(c1, n1);
        } else if (q->kind & S_FEM_PL) {
            /* سيارات -> سياره or سيار: whichever is better attested */
            uint32_t eb = evidence(c1, b);
            memcpy(c1 + b, H, L);
            uint32_t eh = evidence(c1, b + L);
            if (eh >= eb) {
                n1 = b + L;
                e1 = eh;
            } else
                e1 = eb;
        } else {
            e1 = evidence(c1, n1);
        }
        double theta = (q->kind & S_WEAK) ? THETA_WEAK_PRON : THETA_SUFFIX;
        if (e1 < MIN_EVIDENCE || e1 < theta * er)
            continue;
        /* the stem may itself end in ة/ه: decide as for the bare word */
        n1 = strip_h(c1, n1);
        memcpy(out, c1, n1);
        return n1;
    }
    /* final ه alone */
    size_t m = strip_h(r, n);
    if (m != n) {
        memcpy(out, r, m);
        return m;
    }
    return 0;
}

/* Fold a normalized word to the default alphabet (used only when the
 * analyzer's flags differ from the defaults). Returns the new length, or 0
 * if the word holds anything but Arabic letters and marks. */
static size_t canonical(const char *w, size_t n, char *out)
{
    const unsigned char *s = (const unsigned char *)w;
    size_t o = 0;
    for (size_t i = 0; i + 1 < n + 1; i += 2) {
        if (i + 1 >= n || (s[i] != 0xD8 && s[i] != 0xD9))
            return 0;
        unsigned cp = ((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
        if ((cp >= 0x64B && cp <= 0x65F) || cp == 0x640 || cp == 0x670 ||
            (cp >= 0x610 && cp <= 0x61A))
            continue;
        if (cp == 0x622 || cp == 0x623 || cp == 0x625)
            cp = 0x627;
        else if (cp == 0x649 || cp == 0x626)
            cp = 0x64A;
        else if (cp == 0x629)
            cp = 0x647;
        else if (cp == 0x624)
            cp = 0x648;
        if (cp < 0x621 || cp > 0x64A)
            return 0;
        out[o++] = (char)(0xC0 | (cp >> 6));
        out[o++] = (char)(0x80 | (cp & 0x3F));
    }
    return o;
}

/* 1 if w is made only of Arabic letters U+0621..U+064A (2 bytes each). */
static int plain_arabic(const char *w, size_t n)
{
    const unsigned char *s = (const unsigned char *)w;
    if (n % 2)
        return 0;
    for (size_t i = 0; i < n; i += 2) {
        unsigned cp = ((s[i] & 0x1F) << 6) | (s[i + 1] & 0x3F);
        if ((s[i] != 0xD8 && s[i] != 0xD9) || (s[i + 1] & 0xC0) != 0x80 || cp < 0x621 ||
            cp > 0x64A || cp == 0x640)
            return 0;
    }
    return 1;
}

/* Stem of the remainder r after proclitics: suffixes stripped if the
 * evidence allows, else r itself.  Returns its length in out. */
static size_t suffix_stem(const char *r, size_t rn, char *out)
{
    size_t sn = strip_suffix(r, rn, out);
    if (sn)
        return sn;
    memcpy(out, r, rn);
    return rn;
}

size_t fh_stem_word(const char *w0, size_t n0, unsigned flags, char *out)
{
    char cw[FH_MAX_TOKEN + 8];
    const char *w = w0;
    size_t n = n0;
    if (n0 > FH_MAX_TOKEN)
        goto asis;
    if ((flags & (FH_NORM_MARKS | FH_NORM_TATWEEL | FH_NORM_ALEF | FH_NORM_ALEF_MAQSURA |
                  FH_NORM_TEH_MARBUTA | FH_NORM_HAMZA_SEAT)) !=
        (FH_NORM_MARKS | FH_NORM_TATWEEL | FH_NORM_ALEF | FH_NORM_ALEF_MAQSURA |
         FH_NORM_TEH_MARBUTA | FH_NORM_HAMZA_SEAT)) {
        n = canonical(w0, n0, cw);
        if (n == 0)
            goto asis;
        w = cw;
    }
    if (!plain_arabic(w, n) || n < MIN_STEM * L)
        goto done_copy;

    /*
     * Every reading of the word competes: no proclitic, or each proclitic
     * chain that matches.  Each reading's stem (suffixes stripped where the
     * evidence allows) is scored by its evidence; the best-attested stem
     * wins.  A chain that is not the article must do clearly better than
     * the readings that keep its letters (PREFIX_MARGIN): وزير keeps its و
     * because زير is rare, والكتاب loses وال because كتاب is common.
     */
    char best[FH_MAX_TOKEN + 8], tmp[FH_MAX_TOKEN + 8];
    size_t bn = suffix_stem(w, n, best);
    double be = evidence(best, bn);
    int attested = be >= MIN_EVIDENCE;
    size_t article_n = 0; /* fallback for unknown words: article chain stripped */

    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++) {
        const affix *p = &prefixes[k];
        if (n < p->len + MIN_STEM * L || memcmp(w, p->s, p->len) != 0)
            continue;
        const char *r = w + p->len;
        size_t rn = n - p->len;
        if (p->future && memcmp(r, "ي", L) && memcmp(r, "ت", L) && memcmp(r, "ن", L) &&
            memcmp(r, "ا", L))
            continue; /* س only before an imperfect verb */
        if (p->article && !article_n)
            article_n = p->len;
        size_t sn = suffix_stem(r, rn, tmp);
        if (fh_is_stopword(tmp, sn))
            continue; /* فهم is not ف + هم */
        double e = evidence(tmp, sn);
        if (e < MIN_EVIDENCE)
            continue;
        if (p->article ? e >= be : e * PREFIX_MARGIN > be) {
            memcpy(best, tmp, sn);
            bn = sn;
            be = e;
            attested = 1;
        }
    }
    if (!attested && article_n && n - article_n >= 3 * L) {
        /* an unknown word after an article chain: the article is safe */
        bn = n - article_n;
        memcpy(best, w + article_n, bn);
    }
    memcpy(out, best, bn);
    return bn;
done_copy:
    memcpy(out, w, n);
    return n;
asis:
    memcpy(out, w0, n0);
    return n0;
}

/* ---- the analyzer-facing call, with a per-analyzer cache ---- */

const char *fh_stem(fh_analyzer *a, const char *norm, size_t len, size_t *stem_len)
{
    if (!a || (!norm && len)) {
        if (stem_len)
            *stem_len = 0;
        return NULL;
    }
    size_t n;
    if (len > FH_MAX_TOKEN) {
        n = FH_MAX_TOKEN;
        memcpy(a->stem, norm, n);
    } else if (fh_is_stopword(norm, len)) {
        memcpy(a->stem, norm, len);
        n = len;
    } else if (a->cache && len <= FH_CACHE_KEY) {
        uint32_t h = 2166136261u;
        for (size_t i = 0; i < len; i++)
            h = (h ^ (unsigned char)norm[i]) * 16777619u;
        fh_cache_slot *c = &a->cache[h & (FH_CACHE_SLOTS - 1)];
        if (c->nlen == len && memcmp(c->norm, norm, len) == 0) {
            n = c->slen;
            memcpy(a->stem, c->stem, n);
        } else {
            n = fh_stem_word(norm, len, a->opt.norm_flags, a->stem);
            if (n <= FH_CACHE_KEY) {
                c->nlen = (uint8_t)len;
                memcpy(c->norm, norm, len);
                c->slen = (uint8_t)n;
                memcpy(c->stem, a->stem, n);
            }
        }
    } else {
        n = fh_stem_word(norm, len, a->opt.norm_flags, a->stem);
    }
    a->stem[n] = '\0';
    if (stem_len)
        *stem_len = n;
    return a->stem;
}
