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
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "utf8.h"

/* ---- tunable evidence thresholds (measured on PADT dev, see eval/) ---- */

/* A proclitic other than the article is stripped if the stem it leaves is
 * better attested than the alternatives by this factor (see fh_stem_word). */
#ifndef PREFIX_MARGIN
#define PREFIX_MARGIN 0.5
#endif
/* A suffix is stripped if the stem is seen at least this fraction as often. */
#ifndef THETA_SUFFIX
#define THETA_SUFFIX 0.05
#endif
/* Final ه (ة or "his"): the word without it, this fraction as often. */
#ifndef THETA_H
#define THETA_H 0.2
#endif
/* ه after a seated hamza (ابنائه -> ابناء): the ء form must be seen at
 * least this many times as often as the word, which may be a feminine in
 * ية instead (غاية, عناية: ة is folded to ه). */
#ifndef THETA_HAMZA_H
#define THETA_HAMZA_H 1.0
#endif
/* Single-letter pronouns ي and ك collide with nisba and root letters
 * (عراقي, ملك): the stem must be seen this many times as often. */
#ifndef THETA_WEAK_PRON
#define THETA_WEAK_PRON 3.0
#endif
/* Accusative tanwin alef (شخصا -> شخص): the stem must be seen this many
 * times as often as the word (روسيا is not روسي + ا). */
#ifndef THETA_TANWIN
#define THETA_TANWIN 1.5
#endif
/* Imperfect verb prefixes ي ت ن (يعمل -> عمل): the stem must be better
 * attested than the alternatives by this factor. */
#ifndef IMPF_MARGIN
#define IMPF_MARGIN 1.0
#endif
/* ... but ي alone, the commonest imperfect letter, wins when the stem is
 * seen a third as often as the word (يبلغ -> بلغ, يقول -> قول, يذكر ->
 * ذكر); after a proclitic (في, لي, سي) the margin above keeps names whole
 * (فيينا, فيروز, سيبيريا, ليبرون). */
#ifndef IMPF_Y_MARGIN
#define IMPF_Y_MARGIN 3.0
#endif
/* ت and ن also begin many nouns (تقرير, تحرير, نظام): a stricter margin. */
#ifndef IMPF_T_MARGIN
#define IMPF_T_MARGIN 0.25
#endif
/* The conjunctions و ف alone win when the stem's evidence is at least
 * 1/CONJ_MARGIN of the other readings' (وقال is commoner than قال). */
#ifndef CONJ_MARGIN
#define CONJ_MARGIN 10.0
#endif
/* The proclitic ك must win by more. */
#ifndef K_MARGIN
#define K_MARGIN 0.1
#endif
/* The dual ان: duals are rarer than their singulars, so the stem must be
 * seen twice as often as the word (انسان is not انس + ان). */
#ifndef THETA_DUAL
#define THETA_DUAL 2.0
#endif
/* A word seen after the article this many times, and at least this
 * fraction as often as bare, keeps its first letters (الواحد, الوزير). */
#ifndef PROTECT_MIN
#define PROTECT_MIN 5
#endif
#ifndef PROTECT_RATIO
#define PROTECT_RATIO 0.01
#endif
/* ... and at least this fraction as often as bare, it is not read as a
 * proclitic on a stopword either (ولاية: الولاية 538 times in 3,012). */
#ifndef STOP_PROTECT_RATIO
#define STOP_PROTECT_RATIO 0.05
#endif
/* Least evidence (count) for a stem to be believed at all. */
#ifndef MIN_EVIDENCE
#define MIN_EVIDENCE 2
#define SHORT_MARGIN 2.0 /* see strip_suffix: a two-letter base with its ة */
#endif
/* Shortest stem, in letters. */
#define MIN_STEM 3u

/* Arabic letters of U+0621..U+064A are 2 UTF-8 bytes: work in bytes. */

/* Byte equality of short strings (affixes, letters): inline, no libc call;
 * two bytes (one Arabic letter) at a time, so most mismatches cost one test. */
static inline int same(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        uint16_t x, y;
        memcpy(&x, a + i, 2);
        memcpy(&y, b + i, 2);
        if (x != y)
            return 0;
    }
    return i == n || a[i] == b[i];
}
#define L 2u

typedef struct {
    const char *s;
    unsigned char len; /* bytes */
    unsigned char kind;    /* P_ARTICLE, P_FUTURE, P_IMPF or 0 */
} affix;

enum { P_ARTICLE = 1, P_FUTURE = 2, P_IMPF = 3 };

/* Longest first, so that the first acceptable chain is the longest. */
static const affix prefixes[] = {
    {"وبال", 8, P_ARTICLE}, {"فبال", 8, P_ARTICLE}, {"وكال", 8, P_ARTICLE},
    {"فكال", 8, P_ARTICLE}, {"وسي", 6, P_IMPF},     {"وست", 6, P_IMPF},
    {"وسن", 6, P_IMPF},     {"فسي", 6, P_IMPF},     {"فست", 6, P_IMPF},
    {"وال", 6, P_ARTICLE},  {"فال", 6, P_ARTICLE},  {"بال", 6, P_ARTICLE},
    {"كال", 6, P_ARTICLE},  {"ولل", 6, P_ARTICLE},  {"فلل", 6, P_ARTICLE},
    {"لل", 4, P_ARTICLE},   {"ال", 4, P_ARTICLE},   {"سي", 4, P_IMPF},
    {"ست", 4, P_IMPF},      {"سن", 4, P_IMPF},      {"وي", 4, P_IMPF},
    {"وت", 4, P_IMPF},      {"ون", 4, P_IMPF},      {"في", 4, P_IMPF},
    {"فت", 4, P_IMPF},      {"لي", 4, P_IMPF},      {"لت", 4, P_IMPF},
    {"وب", 4, 0},           {"فب", 4, 0},           {"ول", 4, 0},
    {"فل", 4, 0},           {"وك", 4, 0},           {"فك", 4, 0},
    {"وس", 4, P_FUTURE},    {"فس", 4, P_FUTURE},    {"و", 2, 0},
    {"ف", 2, 0},            {"ب", 2, 0},            {"ك", 2, 0},
    {"ل", 2, 0},            {"س", 2, P_FUTURE},     {"ي", 2, P_IMPF},
    {"ت", 2, P_IMPF},       {"ن", 2, P_IMPF},
};

enum { S_PRON = 1, S_WEAK = 2, S_FEM_T = 4, S_FEM_PL = 8, S_H = 16, S_TANWIN = 32, S_DUAL = 64 };

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
    {"ان", 4, S_DUAL},                {"وا", 4, 0},
    {"ه", 2, S_H},                    {"ت", 2, 0},
    {"ي", 2, S_PRON | S_WEAK},        {"ك", 2, S_PRON | S_WEAK},
    {"ا", 2, S_TANWIN},
};

/*
 * Which affixes can match a word, by one byte: the second byte of the
 * word's last letter (suffixes) or first letter (prefixes), bits in table
 * order.  Every affix is Arabic letters of two bytes whose second bytes
 * differ among the letters affixes end (begin) with, so the loops below
 * try only the affixes that end (begin) with the word's letter, in their
 * order; the full comparison still decides.  Made once (pthread_once).
 */
_Static_assert(sizeof suffixes / sizeof suffixes[0] <= 64, "suffix masks are 64 bits");
_Static_assert(sizeof prefixes / sizeof prefixes[0] <= 64, "prefix masks are 64 bits");
static uint64_t suffix_by_last[64], prefix_by_first[64];
static pthread_once_t affix_once = PTHREAD_ONCE_INIT;

static void bp_init(void);

static void affix_init(void)
{
    bp_init();
    for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++)
        suffix_by_last[(unsigned char)suffixes[k].s[suffixes[k].len - 1] & 0x3F] |= 1ull << k;
    for (size_t k = 0; k < sizeof prefixes / sizeof prefixes[0]; k++)
        prefix_by_first[(unsigned char)prefixes[k].s[1] & 0x3F] |= 1ull << k;
}

static const char H[] = "ه";
static const char ART[] = "ال";

/* Evidence that x is a word: seen bare or with the article. */
static uint32_t evidence(const char *x, size_t n)
{
    char buf[FH_MAX_TOKEN + 8];
    uint32_t e = fh_lex_count(x, n);
    if (n + 4 <= FH_MAX_TOKEN && !(n >= 4 && same(x, ART, 4))) {
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
    if (n >= (MIN_STEM + 1) * L && same(w + n - L, H, L)) {
        uint32_t ew = evidence(w, n);
        uint32_t e = evidence(w, n - L);
        if (e >= MIN_EVIDENCE && e >= THETA_H * ew)
            return n - L;
    }
    return n;
}

/* Final ء is written on a seat before an enclitic (ئ, which the
 * normalizer folds to ي): اعضائها, ابنائه, اسمائهم.  If the stem c (n
 * bytes) ends in ي and its ء form is better attested (اعضاء, not
 * اعضاي), c becomes that form (the same length) and 1 is returned; *e is
 * the evidence of c as it is left. */
static int hamza_restore(char *c, size_t n, uint32_t *e)
{
    *e = evidence(c, n);
    /* after the article no enclitic: الغايه is ال + غايه, not الغاء + ه */
    if (n < MIN_STEM * L || !same(c + n - L, "ي", L) || same(c, ART, 4))
        return 0;
    memcpy(c + n - L, "ء", L);
    /* the ء form seen as a word itself: evidence would also count the
     * article reading, and الغاء is إلغاء, not ال + غاء */
    uint32_t eh = evidence(c, n);
    if (fh_lex_count(c, n) >= MIN_EVIDENCE && eh > *e) {
        *e = eh;
        return 1;
    }
    memcpy(c + n - L, "ي", L);
    return 0;
}

/*
 * Strip suffixes from r (n bytes; the remainder after proclitics) into out.
 * noun: r may be a noun (no verb proclitic came off), so a suffix that gives
 * ة back may leave two letters, the ة being the stem's third (لغتها,
 * سنتين, مرات, قوته -> لغه, سنه, مره, قوه) -- when that stem is at least as
 * common as the word and SHORT_MARGIN times commoner than the readings that
 * keep the suffix's letters (صوتها is صوت + ها, حياته حياه + ه, not صوه, حيه).
 * Returns the stem length, or 0 when no suffix could be stripped.
 */
static size_t strip_suffix(const char *r, size_t n, char *out, int noun)
{
    /* the count of r itself: looked up when a suffix's stem first asks */
    uint32_t er = 0;
    int have_er = 0;
    for (uint64_t todo = n ? suffix_by_last[(unsigned char)r[n - 1] & 0x3F] : 0; todo;
         todo &= todo - 1) {
        const suffix *q = &suffixes[__builtin_ctzll(todo)];
        int fem = (q->kind & (S_FEM_T | S_FEM_PL)) != 0;
        size_t min = noun && fem ? (MIN_STEM - 1) * L : MIN_STEM * L;
        if (n < q->len + min || !same(r + n - q->len, q->s, q->len))
            continue;
        size_t b = n - q->len;
        int shortb = b < MIN_STEM * L; /* two letters: the ة makes the third */
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
            /* سيارات -> سياره or سيار: whichever is better attested (a
             * base of two letters only with its ة) */
            uint32_t eb = shortb ? 0 : evidence(c1, b);
            memcpy(c1 + b, H, L);
            uint32_t eh = evidence(c1, b + L);
            if (eh >= eb) {
                n1 = b + L;
                e1 = eh;
            } else
                e1 = eb;
        } else if ((q->kind & S_PRON) && !(q->kind & S_WEAK)) {
            (void)hamza_restore(c1, n1, &e1); /* اعضائها -> اعضاء */
            if (q->len > L && same(q->s, "ي", L)) {
                /* يهم: ي may be the seat, اسمائهم is اسماء + هم (the
                 * article test does not apply: القائهم is إلقاء + هم) */
                memcpy(c1 + b, "ء", L);
                uint32_t eh = evidence(c1, b + L);
                if (fh_lex_count(c1, b + L) >= MIN_EVIDENCE && eh > e1) {
                    n1 = b + L;
                    e1 = eh;
                }
            }
        } else {
            e1 = evidence(c1, n1);
        }
        double theta = (q->kind & S_WEAK)     ? THETA_WEAK_PRON
                       : (q->kind & S_TANWIN) ? THETA_TANWIN
                       : (q->kind & S_DUAL)   ? THETA_DUAL
                                              : THETA_SUFFIX;
        if (e1 < MIN_EVIDENCE)
            continue;
        if (!have_er) {
            er = fh_lex_count(r, n);
            have_er = 1;
        }
        if (e1 < theta * er)
            continue;
        if (shortb) {
            char t[FH_MAX_TOKEN + 8];
            memcpy(t, r, b);
            memcpy(t + b, "ت", L); /* ت a letter of the stem: صوت, بيت */
            uint32_t et = evidence(t, b + L), ea = 0;
            if (q->kind & S_FEM_PL) { /* ا one: حياه + ته */
                memcpy(t + b, "اه", 2 * L);
                ea = evidence(t, b + 2 * L);
            }
            if (e1 < er || e1 < SHORT_MARGIN * et || e1 < SHORT_MARGIN * ea ||
                fh_is_stopword(c1, n1))
                continue;
        }
        if (q->len == L && same(q->s, "ي", L)) {
            /* nisba, not "my": the feminine مصريه is attested */
            memcpy(c1 + b, "يه", 2 * L);
            if (evidence(c1, b + 2 * L) >= MIN_EVIDENCE)
                continue;
        }
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
    if (n >= (MIN_STEM + 1) * L && n <= FH_MAX_TOKEN && same(r + n - L, H, L)) {
        /* the pronoun ه after a seated hamza: ابنائه -> ابناء */
        char c[FH_MAX_TOKEN + 8];
        uint32_t e;
        memcpy(c, r, n - L);
        if (hamza_restore(c, n - L, &e) && e >= THETA_HAMZA_H * evidence(r, n)) {
            memcpy(out, c, n - L);
            return n - L;
        }
    }
    return 0;
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

/*
 * Broken plurals.  A light stemmer cannot undo them by stripping; a few
 * productive templates can: each maps a plural shape to the singular shapes
 * it comes from, and the singular replaces the stem only when it is attested
 * at least BP_THETA times as often as the plural (so اسلام is not read as a
 * plural of سلم, while اعمال -> عمل, شعوب -> شعب, مدارس -> مدرسه).
 *
 * Templates use letters 1-5 for the root letters of the plural and literal
 * letters otherwise; a template matches a stem of the same length.
 */
#ifndef BP_THETA
#define BP_THETA 1.0
#endif

typedef struct {
    const char *plural; /* e.g. "ا12ا3" (afʿāl)                      */
    const char *sing[2]; /* singular shapes, NULL when fewer          */
    int not_final_y;    /* 1: no match when the last letter is ي      */
} bp_template;

static const bp_template bp_templates[] = {
    {"ا12ا3", {"123", NULL}, 0},     /* اعمال -> عمل, اشخاص -> شخص        */
    /* a stem ending in وي is a nisba adjective (علوي, اموي, لغوي, نووي),
     * not the plural فعول of a root ending in ي (علي, امي) */
    {"12و3", {"123", "123ي"}, 1},    /* شعوب -> شعب, جنود -> جندي          */
    {"12اي3", {"12ا3ه", "12ي3ه"}, 0}, /* رسائل -> رساله, وسائل -> وسيله     */
    {"1وا23", {"1ا23", "1ا23ه"}, 0}, /* عوامل -> عامل, قواعد -> قاعده      */
    {"م1ا2ي3", {"م12و3", NULL}, 0},  /* مشاريع -> مشروع                    */
    {"ت1ا2ي3", {"ت12ي3", NULL}, 0},  /* تقارير -> تقرير                    */
    {"12ا34", {"1234", "1234ه"}, 0}, /* مدارس -> مدرسه, فنادق -> فندق      */
    {"ا123اء", {"12ي3", NULL}, 0},   /* اصدقاء -> صديق                     */
    {"123اء", {"12ي3", NULL}, 0},    /* وزراء -> وزير                      */
};

/* Letters of each template's plural (digits and letters count one each);
 * made once, with the affix masks. */
static size_t bp_letters[sizeof bp_templates / sizeof bp_templates[0]];

static void bp_init(void)
{
    for (size_t t = 0; t < sizeof bp_templates / sizeof bp_templates[0]; t++) {
        size_t k = 0;
        for (const char *p = bp_templates[t].plural; *p; k++)
            p += *p >= '1' && *p <= '5' ? 1 : L;
        bp_letters[t] = k;
    }
}

/* Decode a stem into 2-byte letters; returns the letter count. */
static size_t letters(const char *w, size_t n, const char **lt)
{
    size_t k = 0;
    for (size_t i = 0; i + L <= n && k < 16; i += L)
        lt[k++] = w + i;
    return k;
}

/* If stem s (n bytes) is a broken plural whose singular is attested, write
 * the singular into out and return its length; else return 0. */
static size_t singular(const char *s, size_t n, char *out)
{
    const char *lt[16];
    size_t nl = letters(s, n, lt);
    if (nl < 4 || nl > 6)
        return 0;
    double es = -1; /* the plural's evidence: looked up when first compared */
    size_t bestn = 0;
    double beste = 0;
    for (size_t t = 0; t < sizeof bp_templates / sizeof bp_templates[0]; t++) {
        const bp_template *bt = &bp_templates[t];
#ifdef BP_MASK
        if (!((BP_MASK >> t) & 1))
            continue;
#endif
        if (bp_letters[t] != nl)
            continue; /* a template matches a stem of its own length only */
        const char *root[6] = {0};
        /* match: digits are ASCII (1 byte), letters 2 bytes */
        size_t k = 0;
        const char *p = bt->plural;
        int ok = 1;
        while (*p && ok) {
            if (k >= nl) {
                ok = 0;
                break;
            }
            if (*p >= '1' && *p <= '5') {
                root[*p - '1'] = lt[k];
                p++;
            } else {
                ok = same(p, lt[k], L);
                p += L;
            }
            k++;
        }
        if (!ok || k != nl || *p)
            continue;
        if (bt->not_final_y && same(lt[nl - 1], "ي", L))
            continue;
        for (int v = 0; v < 2 && bt->sing[v]; v++) {
            char c[32];
            size_t cn = 0;
            for (const char *q = bt->sing[v]; *q;) {
                if (*q >= '1' && *q <= '5') {
                    memcpy(c + cn, root[*q - '1'], L);
                    q++;
                } else {
                    memcpy(c + cn, q, L);
                    q += L;
                }
                cn += L;
            }
            double e = evidence(c, cn);
            if (e >= MIN_EVIDENCE && es < 0)
                es = evidence(s, n);
            if (e >= MIN_EVIDENCE && e >= BP_THETA * es && e > beste) {
                beste = e;
                bestn = cn;
                memcpy(out, c, cn);
            }
        }
    }
    return bestn;
}

/* How much better a proclitic reading must be attested to win. */
static double prefix_margin(const affix *p)
{
    if (p->kind != P_IMPF) {
        /* و and ف alone: the conjunction is everywhere in news (وقال is
         * commoner than قال); words that begin with و or ف are protected
         * by the article test instead (الوزير) */
        if (p->len == L && (same(p->s, "و", L) || same(p->s, "ف", L)))
            return CONJ_MARGIN;
        /* ك ("like") is a rare proclitic; its letter often begins a stem */
        return same(p->s + p->len - L, "ك", L) ? K_MARGIN : PREFIX_MARGIN;
    }
    /* the imperfect letter is the chain's last letter */
    if (!same(p->s + p->len - L, "ي", L))
        return IMPF_T_MARGIN;
    return p->len == L ? IMPF_Y_MARGIN : IMPF_MARGIN;
}

/* Stem of the remainder r after proclitics: suffixes stripped if the
 * evidence allows, else r itself.  Returns its length in out. */
static size_t suffix_stem(const char *r, size_t rn, char *out, int noun)
{
    size_t sn = strip_suffix(r, rn, out, noun);
    if (sn)
        return sn;
    memcpy(out, r, rn);
    return rn;
}

size_t fh_stem_word(const char *w, size_t n, char *out, int *stopword)
{
    *stopword = 0;
    if (n > FH_MAX_TOKEN)
        goto done_copy;
    if (fh_is_stopword(w, n)) {
        *stopword = 1; /* function words are not stemmed */
        goto done_copy;
    }
    if (!plain_arabic(w, n) || n < MIN_STEM * L)
        goto done_copy;
    pthread_once(&affix_once, affix_init);

    /*
     * Every reading of the word competes: no proclitic, or each proclitic
     * chain that matches.  Each reading's stem (suffixes stripped where the
     * evidence allows) is scored by its evidence; the best-attested stem
     * wins.  A chain that is not the article must do clearly better than
     * the readings that keep its letters (PREFIX_MARGIN): وزير keeps its و
     * because زير is rare, والكتاب loses وال because كتاب is common.
     */
    char best[FH_MAX_TOKEN + 8], tmp[FH_MAX_TOKEN + 8];
    size_t bn = suffix_stem(w, n, best, 1);
    double be = evidence(best, bn), be0 = be;
    int attested = be >= MIN_EVIDENCE, chain = 0;
    size_t article_n = 0; /* fallback for unknown words: article chain stripped */
    /* whether the word is seen after the article (see below): looked up
     * when a proclitic other than the article first asks (-1: not yet) */
    int protected_start = -1, protected_stop = 0;

    for (uint64_t todo = prefix_by_first[(unsigned char)w[1] & 0x3F]; todo; todo &= todo - 1) {
        const affix *p = &prefixes[__builtin_ctzll(todo)];
        if (n < p->len + MIN_STEM * L || !same(w, p->s, p->len))
            continue;
        const char *r = w + p->len;
        size_t rn = n - p->len;
        if (p->kind == P_FUTURE && !same(r, "ي", L) && !same(r, "ت", L) &&
            !same(r, "ن", L) && !same(r, "ا", L))
            continue; /* س only before an imperfect verb */
        if (p->kind == P_ARTICLE && !article_n)
            article_n = p->len;
        /* a word seen often after the article is no proclitic on a
         * function word: ولاية is not و + ل + أية, تحول not ت + حول (but
         * وانه, seen as الوانه 17 times in 1,062, is و + انه) */
        if (p->kind != P_ARTICLE && protected_start < 0) {
            protected_start = 0;
            if (n + 4 <= FH_MAX_TOKEN && !same(w, ART, 4)) {
                memcpy(tmp, ART, 4);
                memcpy(tmp + 4, w, n);
                uint32_t ea = fh_lex_count(tmp, n + 4);
                uint32_t cw = fh_lex_count(w, n);
                protected_start = ea >= PROTECT_MIN && ea >= PROTECT_RATIO * cw;
                protected_stop = ea >= PROTECT_MIN && ea >= STOP_PROTECT_RATIO * cw;
            }
        }
        if (p->kind != P_ARTICLE && protected_stop)
            continue;
        if ((p->kind == 0 || p->kind == P_FUTURE) && fh_is_stopword(r, rn)) {
            /* وفي, ومنها, ولكن: a proclitic on a function word */
            memcpy(out, r, rn);
            *stopword = 1;
            return rn;
        }
        /* ال cannot precede و ف ب ك ل: a word seen after the article
         * (الواحد, الوزير, البيان) begins with its own letters */
        if (p->kind != P_ARTICLE && protected_start > 0)
            continue;
        size_t sn = suffix_stem(r, rn, tmp, p->kind != P_FUTURE && p->kind != P_IMPF);
        if (fh_is_stopword(tmp, sn))
            continue; /* فهم is not ف + هم */
        double e = evidence(tmp, sn);
        if (p->kind == P_ARTICLE) {
            /* the remainder (or its stem, if a real suffix came off) must be
             * seen without the article, or ال is part of a name: البانيا, اليسا */
            int tanwin_only = sn + L == rn && same(r + rn - L, "ا", L);
            if (fh_lex_count(r, rn) == 0 && (tanwin_only || fh_lex_count(tmp, sn) == 0))
                continue;
            /* the article competes with readings of the same word that keep
             * it (المسلحة as a whole is commoner than مسلح): judge it by the
             * remainder, which is attested whenever the word is */
            double er = evidence(r, rn);
            if (er > e)
                e = er;
        }
        if (e < MIN_EVIDENCE)
            continue;
        /* a proclitic reading of a known word needs its remainder seen as a
         * word (كفيفات is not ك + فيفات because فيفا is common) */
        if (p->kind != P_ARTICLE && be0 >= MIN_EVIDENCE && evidence(r, rn) == 0)
            continue;
        /* a chain must beat the reading without proclitics by its margin,
         * and a shorter chain must beat a longer one already taken outright
         * (والكتاب: وال + كتاب, not و + الكتاب) */
        int beats_none = p->kind == P_ARTICLE ? e >= be0 : e * prefix_margin(p) > be0;
        if (beats_none && (!chain || e > be)) {
            memcpy(best, tmp, sn);
            bn = sn;
            be = e;
            attested = 1;
            chain = 1;
        }
    }
    if (!attested && article_n && n - article_n >= 3 * L) {
        /* an unknown word after an article chain: the article is safe */
        bn = n - article_n;
        memcpy(best, w + article_n, bn);
    }
    {
        size_t cn = singular(best, bn, tmp);
        if (cn) {
            memcpy(best, tmp, cn);
            bn = strip_h(best, cn);
        }
    }
    memcpy(out, best, bn);
    return bn;
done_copy:
    memcpy(out, w, n);
    return n;
}

/* ---- the analyzer-facing call, with a per-analyzer cache ---- */

size_t fh_canonical(const char *w, size_t n, char *out)
{
    const unsigned char *u = (const unsigned char *)w;
    size_t o = 0;
    for (size_t i = 0; i < n && o <= FH_MAX_TOKEN;) {
        size_t adv;
        uint32_t cp = fh_utf8_next(u + i, n - i, &adv);
        i += adv;
        if (cp != FH_UTF8_INVALID)
            o += fh_fold(cp, FH_NORM_DEFAULT, out + o);
    }
    if (o > FH_MAX_TOKEN) { /* folding lengthened it: cut at a character boundary */
        o = FH_MAX_TOKEN;
        while (o > 0 && ((unsigned char)out[o] & 0xC0) == 0x80)
            o--;
    }
    return o;
}

const char *fh_stem_token(fh_analyzer *a, const char *norm, size_t len, uint32_t hash,
                          size_t *stem_len, int *stopword)
{
    const char *ls;
    size_t n;
    char canon[FH_MAX_TOKEN + FH_FOLD_MAX + 1];
    if (a->canon) {
        /* the lexicon, the stopwords and the stemmer speak the default
         * alphabet: fold the analyzer's norm to it first */
        size_t cl = fh_canonical(norm, len, canon);
        if (cl == 0) {
            /* only marks the default alphabet removes (marks=0: "َﹹ"): no
             * word to stem, and an empty stem would be an index key */
            *stem_len = len;
            *stopword = 0;
            return norm;
        }
        len = cl;
        canon[len] = '\0';
        norm = canon;
        hash = fh_lex_hash(norm, len);
    }
    if (fh_lex_stem(norm, len, hash, &ls, &n, stopword)) {
        /* a known word: its stem was computed when the library was built */
        *stem_len = n;
        return ls;
    }
    return fh_stem_unknown(a, norm, len, hash, stem_len, stopword);
}

/* Way w of set c was just used: the other is the one to replace next. */
static void cache_touch(fh_cache_slot *c, int w)
{
    if (w == 0)
        c->way[0].flags |= FH_CACHE_LRU;
    else
        c->way[0].flags &= (uint8_t)~FH_CACHE_LRU;
}

/* Put word norm (len bytes) and its stem into the cache's set c, in the
 * way used least recently. */
static void cache_put(fh_cache_slot *c, const char *norm, size_t len, const char *stem, size_t n,
                      int stop)
{
    if (len > FH_CACHE_KEY)
        return;
    /* the stem is most often the word without its affixes: a piece of it */
    size_t off = 0;
    int in = 0;
    for (; off + n <= len && off <= 8; off += 2)
        if (memcmp(norm + off, stem, n) == 0) {
            in = 1;
            break;
        }
    if (!in && len + n > FH_CACHE_KEY)
        return;
    int w = (c->way[0].flags & FH_CACHE_LRU) ? 1 : 0;
    fh_cache_way *e = &c->way[w];
    e->nlen = (uint8_t)len;
    e->slen = (uint8_t)n;
    e->soff = (uint8_t)(in ? off : len);
    memcpy(e->b, norm, len);
    if (!in)
        memcpy(e->b + len, stem, n);
    e->flags = (uint8_t)((stop ? 1 : 0) | (in ? FH_CACHE_INWORD : 0));
    cache_touch(c, w);
}

const char *fh_stem_unknown(fh_analyzer *a, const char *norm, size_t len, uint32_t hash,
                            size_t *stem_len, int *stopword)
{
    size_t n;
    if (a->opt.stem && !a->cache && !a->cache_failed && len <= FH_CACHE_KEY &&
        !(a->cache = calloc(FH_CACHE_SETS, sizeof *a->cache)))
        a->cache_failed = 1; /* out of memory: stem without a cache */
    if (a->cache && len <= FH_CACHE_KEY) {
        /* the lexicon's hash of the word picks the cache set too */
        fh_cache_slot *c = &a->cache[hash & (FH_CACHE_SETS - 1)];
        int w = 0;
        while (w < 2 && !(c->way[w].nlen == len && memcmp(c->way[w].b, norm, len) == 0))
            w++;
        if (w < 2) {
            const fh_cache_way *e = &c->way[w];
            n = e->slen;
            *stopword = e->flags & 1;
            memcpy(a->stem, e->b + e->soff, n);
            cache_touch(c, w);
        } else {
            n = fh_stem_word(norm, len, a->stem, stopword);
            cache_put(c, norm, len, a->stem, n, *stopword);
        }
    } else {
        n = fh_stem_word(norm, len, a->stem, stopword);
    }
    a->stem[n] = '\0';
    *stem_len = n;
    return a->stem;
}

const char *fh_stem(fh_analyzer *a, const char *norm, size_t len, size_t *stem_len)
{
    if (!a || (!norm && len)) {
        if (stem_len)
            *stem_len = 0;
        return NULL;
    }
    /* the caller's word need not be NUL-terminated: copy it first; a word
     * longer than FH_MAX_TOKEN is returned cut there, at a character
     * boundary, unstemmed */
    char w[FH_MAX_TOKEN + 1];
    size_t m = len;
    if (len > FH_MAX_TOKEN) {
        m = FH_MAX_TOKEN;
        while (m > 0 && ((unsigned char)norm[m] & 0xC0) == 0x80)
            m--;
        memcpy(a->stem, norm, m);
        a->stem[m] = '\0';
        if (stem_len)
            *stem_len = m;
        return a->stem;
    }
    memcpy(w, norm, m);
    w[m] = '\0';
    int stop;
    size_t n;
    const char *st = fh_stem_token(a, w, m, fh_lex_hash(w, m), &n, &stop);
    if (st != a->stem) {
        memcpy(a->stem, st, n);
        a->stem[n] = '\0';
    }
    if (stem_len)
        *stem_len = n;
    return a->stem;
}
