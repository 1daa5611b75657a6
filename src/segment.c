/*
 * segment.c — word segmentation in Farasa's scheme (fh_segmenter_*,
 * fh_segment).
 *
 * A line is cut into tokens: Arabic words (letters with their marks),
 * numbers, words of other scripts, and single punctuation or symbol
 * characters; the tokens are written separated by one space, and an Arabic
 * word's segments are joined by '+'.
 *
 * An Arabic word is read as
 *     [و|ف] [ب|ل|ك|س] [ال] CORE [pronoun]
 * and the reading whose core is best attested in the corpus counts of
 * data/lexicon.tsv wins, against one penalty per clitic (the whole word is
 * always a reading, with no penalty): that keeps وصل, بيان, لبنان, فلسطين
 * and unknown names whole, because their letters left after a would-be
 * clitic are no attested word.  In the Farasa scheme the core's inflection
 * is then split when the corpus attests its paradigm: ة always; ات when the
 * singular is attested; ين/ون when both plural forms are; ت, وا, ون of a
 * verb when the bare verb is; the accusative tanwin ا when the bare noun is
 * clearly commoner than the written form.  Decisions depend on letters as
 * written (ة is not ه), counts are of normalized forms.
 *
 * Speed: known written forms are segmented at build time (fh_segtab);
 * other segmentations are memoized per segmenter in a direct-mapped cache
 * keyed by the word's bytes as written; the scanner classifies the
 * characters U+0600..U+06FF by their two UTF-8 bytes, without decoding.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chartab.h"
#include "internal.h"
#include "utf8.h"
#include "wordtab.h"

/* ---- letters ---- */
enum {
    HAMZA = 0x0621, ALEF_MADDA = 0x0622, ALEF_HAMZA = 0x0623, WAW_HAMZA = 0x0624,
    ALEF_HAMZA_BELOW = 0x0625, YEH_HAMZA = 0x0626, ALEF = 0x0627, BEH = 0x0628,
    TEH_MARBUTA = 0x0629, TEH = 0x062A, SEEN = 0x0633, FEH = 0x0641, KAF = 0x0643,
    LAM = 0x0644, MEEM = 0x0645, NOON = 0x0646, HEH = 0x0647, WAW = 0x0648,
    ALEF_MAQSURA = 0x0649, YEH = 0x064A, ALEF_WASLA = 0x0671
};

/* Words longer than this many letters are junk or compounds of many
 * words: they are written whole (the model's work is bounded). */
#define SEG_MAX_LETTERS 40

/* The default folding of one Arabic letter, as the lexicon spells it:
 * returns the folded code point, or 0 if the letter is not one the model
 * knows (the word is then written whole). */
static uint32_t fold_letter(uint32_t c)
{
    switch (c) {
    case ALEF_MADDA: case ALEF_HAMZA: case ALEF_HAMZA_BELOW: case ALEF_WASLA:
    case 0x0672: case 0x0673:
        return ALEF;
    case ALEF_MAQSURA: case 0x06CC: case 0x06D2: case 0x06D3:
        return YEH;
    case YEH_HAMZA:
        return YEH;
    case WAW_HAMZA:
        return WAW;
    case TEH_MARBUTA: case 0x06C0: case 0x06C1: case 0x06C2: case 0x06D5:
        return HEH;
    case 0x06A9:
        return KAF;
    default:
        return (c >= HAMZA && c <= YEH) ? c : 0;
    }
}

#define MIN_CORE_COUNT 2 /* a core seen fewer times is no evidence        */

extern const fh_wordtab fh_tanwin; /* build/gen/tanwin.c, from data/tanwin.tsv */
extern const fh_wordtab fh_alef;   /* build/gen/alef.c, from data/alef.tsv     */
/* Written forms of data/written.tsv and their segmentation in Farasa's
 * scheme, computed at build time by this very model (build/gen/segtab.c);
 * flags bit k: the k-th '+' is an inflection boundary.  Empty in the
 * stage-1 library that computes it. */
extern const fh_wordtab fh_segtab;
extern const fh_wordtab fh_written; /* build/gen/written.c: data/written.tsv counts */

/* One word under study: letters as written (marks dropped) and folded. */
typedef struct word {
    int n;
    uint32_t L[SEG_MAX_LETTERS];      /* letters as written              */
    char W[2 * SEG_MAX_LETTERS + 16];  /* the same in UTF-8, 2 bytes each */
    char F[2 * SEG_MAX_LETTERS + 16];  /* folded letters, 2 bytes each    */
} word;

/* Corpus count of folded letters [a, b). */
static uint32_t cnt(const word *w, int a, int b)
{
    if (b <= a)
        return 0;
    return fh_lex_count(w->F + 2 * a, (size_t)(2 * (b - a)));
}

/* Count of folded letters [a, b) followed by the letters of suf (UTF-8,
 * folded), e.g. the singular in ة of a plural. */
static uint32_t cnt_plus(const word *w, int a, int b, const char *suf)
{
    char buf[2 * SEG_MAX_LETTERS + 16];
    size_t m = (size_t)(2 * (b - a)), k = strlen(suf);
    if (b < a || m + k > sizeof buf || m + k == 0)
        return 0;
    memcpy(buf, w->F + 2 * a, m);
    memcpy(buf + m, suf, k);
    return fh_lex_count(buf, m + k);
}

static uint32_t cnt_pre(const word *w, const char *pre, int a, int b)
{
    char buf[2 * SEG_MAX_LETTERS + 16];
    size_t m = (size_t)(2 * (b - a)), k = strlen(pre);
    if (b < a || m + k > sizeof buf)
        return 0;
    memcpy(buf, pre, k);
    memcpy(buf + k, w->F + 2 * a, m);
    return fh_lex_count(buf, m + k);
}

/* Count of letters [a, b) followed by suffix (sn bytes), as written, bare
 * and with the article (only forms seen 3 times or more in the ANT rows
 * are known). */
static uint32_t wcnt_with(const word *w, int a, int b, const char *suffix, size_t sn)
{
    char buf[2 * SEG_MAX_LETTERS + 16];
    size_t m = (size_t)(2 * (b - a));
    if (b <= a)
        return 0;
    memcpy(buf, "\xd8\xa7\xd9\x84", 4);
    memcpy(buf + 4, w->W + 2 * a, m);
    memcpy(buf + 4 + m, suffix, sn);
    return fh_wordtab_find(&fh_written, buf + 4, m + sn) +
           fh_wordtab_find(&fh_written, buf, m + sn + 4);
}

/* Letters [a, b) as written; the same followed by ة. */
static uint32_t wcnt(const word *w, int a, int b) { return wcnt_with(w, a, b, "", 0); }
static uint32_t wcnt_teh(const word *w, int a, int b) { return wcnt_with(w, a, b, "\xd8\xa9", 2); }

/* 1 if letters [a, b) are written as the lexicon spells them (no hamza
 * or madda folded away: آن is not the stopword ان). */
static int as_folded(const word *w, int a, int b)
{
    for (int i = a; i < b; i++)
        if (w->L[i] != fold_letter(w->L[i]))
            return 0;
    return 1;
}

static int stop(const word *w, int a, int b)
{
    return b > a && fh_is_stopword(w->F + 2 * a, (size_t)(2 * (b - a)));
}

/* ---- the model's parameters (tuned on the first half of the WikiNews
 * gold, checked on the second; see eval/segmentation/run.sh) ---- */
typedef struct params {
    double waw, feh, beh, lam, kaf, seen; /* penalty of each proclitic      */
    double det_bonus;  /* a proclitic before the article is nearly certain:
                          بال وال فال (stems rarely begin so)                */
    double pron;       /* an attached pronoun                                */
    double seen_min;   /* letters of the verb after the future س (3: س+يتم)  */
    double pron_kaf;   /* more for the second person ك كم كن (rare in news)  */
    double tanwin;     /* written tanwin on at least this share of a form    */
    double tanwin_min; /* ... and at least this many times                  */
    double evmode;     /* 1: a core's evidence counts its form with ال too   */
    double verb_t;     /* a verb's ت: the bare verb at least this share     */
    double written;    /* 1: a core ending in ه counts as written           */
    double plural;     /* ين/ون split when the singular is this much commoner */
    double al_only;    /* the article stays when the bare form is unseen and
                          the form with it seen this often (التزام)         */
    double seat;       /* 1: a core before a pronoun counts as its bare form
                          when it ends in ئ ؤ (ء) or ا (ى)                   */
    double hamza;      /* bonus of a proclitic before a written أ إ آ        */
    double kaf_dem;    /* bonus of ك before a demonstrative                  */
    double weak;       /* 1: يفعلون split when the singular in ي is attested */
    double fem_pl;     /* ين split when the stem and its ة form (seen this
                          often as written) are attested: adjectives        */
    double dual_t;     /* تين split when the form in ة is seen this often   */
    double bare_max;   /* an alef form seen fewer times than this ...        */
    double bare_ratio; /* ... splits its ا when the bare stem is this much
                          commoner (bare_tanwin)                             */
} params;

#ifdef FH_SEG_TUNE
static params P = {
#else
static const params P = {
#endif
    .waw = -2.0, .feh = 0.0, .beh = -2.0, .lam = -1.0, .kaf = 2.5, .seen = -0.5,
    .seen_min = 3, .det_bonus = 2.0, .pron = -1.0, .pron_kaf = 3.0, .tanwin = 0.01, .tanwin_min = 2, .plural = 1.0, .written = 1, .verb_t = 0.1, .evmode = 1, .al_only = 300,
    .seat = 1, .hamza = 1.5, .kaf_dem = 3, .weak = 1,
    .bare_max = 60, .bare_ratio = 1, .fem_pl = 3, .dual_t = 2};



/* Pronoun enclitics, longest first (ي is left out: in news it is far
 * more often the nisba adjective ending than "my"). */
static const uint32_t PRON[][3] = {
    {HEH, MEEM, ALEF}, {KAF, MEEM, ALEF}, {HEH, MEEM, 0}, {HEH, NOON, 0}, {HEH, ALEF, 0},
    {KAF, MEEM, 0},    {KAF, NOON, 0},    {NOON, ALEF, 0}, {HEH, 0, 0},   {KAF, 0, 0}};

static int pron_len(const uint32_t *p) { return p[2] ? 3 : p[1] ? 2 : 1; }

static int ends(const word *w, int b, uint32_t x, uint32_t y)
{
    return y ? (b >= 2 && w->L[b - 2] == x && w->L[b - 1] == y) : (b >= 1 && w->L[b - 1] == x);
}

/* A reading's cuts: positions (letter indices) after which a '+' goes;
 * lal: the article is written ل after the preposition ل (للبيت = ل+ال+بيت). */
typedef struct cuts {
    int n;
    int at[8];
    int lal;
} cuts;

static void add_cut(cuts *c, int at)
{
    if (c->n < 8)
        c->at[c->n++] = at;
}

static double lg(uint32_t c) { return log(1.0 + (double)c); }

#define S_HEH "\xd9\x87" /* ة as the lexicon spells it */
#define S_HAMZA "\xd8\xa1"
#define S_YEH "\xd9\x8a" /* ى as the lexicon spells it */
#define S_AL "\xd8\xa7\xd9\x84"

/* 1 if letters [a, b) are a demonstrative pronoun (ذلك هذا هذه تلك
 * هؤلاء أولئك), letters as written. */
static int demonstrative(const word *w, int a, int b)
{
    static const uint32_t DEM[][6] = {
        {0x0630, LAM, KAF, 0}, {HEH, 0x0630, ALEF, 0}, {HEH, 0x0630, HEH, 0},
        {TEH, LAM, KAF, 0}, {HEH, WAW_HAMZA, LAM, ALEF, HAMZA, 0},
        {ALEF_HAMZA, WAW, LAM, YEH_HAMZA, KAF, 0}};
    for (size_t d = 0; d < sizeof DEM / sizeof DEM[0]; d++) {
        int k = 0;
        while (k < 6 && DEM[d][k])
            k++;
        if (k == b - a && memcmp(DEM[d], w->L + a, (size_t)k * sizeof(uint32_t)) == 0)
            return 1;
    }
    return 0;
}

/* 1 if letters [a, b) ending in alef are commonly written with tanwin. */
static int tanwin_form(const word *w, int a, int b)
{
    if (b - a < 3 || w->L[b - 1] != ALEF)
        return 0;
    uint32_t t = fh_wordtab_find(&fh_tanwin, w->F + 2 * a, (size_t)(2 * (b - a)));
    return t >= P.tanwin_min && (double)t >= P.tanwin * cnt(w, a, b);
}

/* Evidence that letters [a, b) are a noun or verb stem: the form bare and
 * with the article (البلاد attests بلاد in بلاده). */
static uint32_t ev_noun(const word *w, int a, int b)
{
    return cnt(w, a, b) + cnt_pre(w, "\xd8\xa7\xd9\x84", a, b);
}

/* 1 if letters [a, b) ending in alef are a rare form whose bare stem is
 * the commoner and never seen with the article: the accusative (or a
 * verb's dual) in a form too rare for its written tanwin to be evidence
 * (ترشيحا, نقصا); names (سوريا, ليبيا) are common or seen with ال. */
static int bare_tanwin(const word *w, int a, int b)
{
    if (b - a < 4 || P.bare_max <= 0)
        return 0;
    uint32_t whole = cnt(w, a, b);
    return whole < P.bare_max && cnt_pre(w, S_AL, a, b) == 0 &&
           (double)ev_noun(w, a, b - 1) >= P.bare_ratio * (whole > 0 ? whole : 1);
}

/*
 * The inflection of a core [a, b) in Farasa's scheme: adds the cuts inside
 * it.  det: the core had the article; pron: a pronoun follows; verb: the
 * future particle came before.
 */
static void inflect(const word *w, int a, int b, int det, int pron, int verb, cuts *c)
{
    int x = b - a;
    if (x < 3)
        return;
    uint32_t last = w->L[b - 1];
    if (last == TEH_MARBUTA && !verb) { /* ة: always the feminine ending */
        add_cut(c, b - 1);
        return;
    }
    if (ends(w, b, ALEF, TEH) && x >= 4 && !verb) {
        /* ات: the plural of an attested singular (in ة or bare); before a
         * pronoun it may be ة written ت after an alef (حياة: حيا+ت+ه) */
        uint32_t sg = cnt_plus(w, a, b - 2, S_HEH) + cnt(w, a, b - 2);
        if (pron && cnt_plus(w, a, b - 1, S_HEH) > sg) {
            add_cut(c, b - 1);
            return;
        }
        if (sg >= MIN_CORE_COUNT || x >= 6)
            add_cut(c, b - 2);
        return;
    }
    if (pron && last == TEH) { /* ة written ت before a pronoun, or a verb's ت */
        if (cnt_plus(w, a, b - 1, S_HEH) + cnt(w, a, b - 1) >= MIN_CORE_COUNT)
            add_cut(c, b - 1);
        return;
    }
    if ((ends(w, b, YEH, NOON) || ends(w, b, WAW, NOON)) && x >= 4) {
        int imperf = w->L[a] == YEH || w->L[a] == TEH;
        if (!det && imperf && last == NOON && w->L[b - 2] == WAW && x >= 5) { /* يفعلون */
            /* the verb's plural وا, its bare stem, or (weak verbs: يرمون)
             * its singular in ي */
            if (cnt_plus(w, a, b - 2, "\xd9\x88\xd8\xa7") + cnt(w, a, b - 2) +
                    (P.weak > 0 ? cnt_plus(w, a, b - 2, S_YEH) : 0) >=
                MIN_CORE_COUNT)
                add_cut(c, b - 2);
            return;
        }
        if (verb || x < 5)
            return;
        if (P.dual_t > 0 && w->L[b - 2] == YEH && w->L[b - 3] == TEH && x >= 6 &&
            cnt_plus(w, a, b - 3, S_HEH) >= P.dual_t) {
            /* the feminine dual تين of a form in ة: صحيح+ت+ين, متتالي+ت+ين */
            add_cut(c, b - 3);
            add_cut(c, b - 2);
            return;
        }
        /* sound plurals and duals: the singular clearly attested, or the
         * other case form too */
        uint32_t on = cnt_plus(w, a, b - 2, "\xd9\x88\xd9\x86");
        uint32_t in = cnt_plus(w, a, b - 2, "\xd9\x8a\xd9\x86");
        uint32_t an = cnt_plus(w, a, b - 2, "\xd8\xa7\xd9\x86");
        uint32_t base = ev_noun(w, a, b - 2) + cnt_plus(w, a, b - 2, S_HEH);
        uint32_t other = w->L[b - 2] == WAW ? in : (on > an ? on : an);
        if ((other >= MIN_CORE_COUNT && base >= MIN_CORE_COUNT) ||
            (base >= MIN_CORE_COUNT && (double)base >= P.plural * ev_noun(w, a, b)) ||
            (P.fem_pl > 0 && w->L[b - 2] == YEH && ev_noun(w, a, b - 2) >= MIN_CORE_COUNT &&
             wcnt_teh(w, a, b - 2) >= P.fem_pl)) {
            /* ... or an adjective's paradigm: the masculine and the
             * feminine in ة both written (متضرر, متضررة: ال+متضرر+ين) */
            /* dual feminine تين: صحيح+ت+ين */
            if (w->L[b - 3] == TEH && x >= 5 && cnt_plus(w, a, b - 3, S_HEH) > cnt(w, a, b - 2))
                add_cut(c, b - 3);
            add_cut(c, b - 2);
        }
        return;
    }
    if ((last == YEH || last == WAW) && !det && x >= 4 && w->L[a] != YEH && w->L[a] != TEH &&
        w->L[a] != NOON) {
        /* the construct plural: مسؤولي, متطوعو (both plural forms attested) */
        if (cnt_plus(w, a, b - 1, "\xd9\x88\xd9\x86") >= MIN_CORE_COUNT &&
            cnt_plus(w, a, b - 1, "\xd9\x8a\xd9\x86") >= MIN_CORE_COUNT &&
            cnt(w, a, b - 1) >= MIN_CORE_COUNT)
            add_cut(c, b - 1);
        return;
    }
    if (pron || det)
        return;
    if (ends(w, b, WAW, ALEF) && x >= 5) { /* a verb's plural وا */
        if (cnt(w, a, b - 2) >= MIN_CORE_COUNT)
            add_cut(c, b - 2);
        return;
    }
    if (last == ALEF && !verb) {
        /* the accusative tanwin: forms written with it (أيضاً, جداً) */
        if (tanwin_form(w, a, b) || bare_tanwin(w, a, b))
            add_cut(c, b - 1);
        return;
    }
    if (last == TEH && !verb) {
        /* a verb's subject ت: the verb attested bare (أعلن), or in ى/ا when
         * it is weak (نفى: نف+ت), its plural or clearly commoner than a
         * noun in ت would make it (بيت, وقت stay whole) */
        uint32_t bare = cnt(w, a, b - 1) + cnt_plus(w, a, b - 1, "\xd9\x8a") +
                        cnt_plus(w, a, b - 1, "\xd8\xa7");
        uint32_t pl = cnt_plus(w, a, b - 1, "\xd9\x88\xd8\xa7");
        /* a two-letter verb needs its plural (نفوا), else بيت, بات read بي+ت */
        if (bare >= MIN_CORE_COUNT &&
            (pl >= 1 || (x > 3 && (double)bare >= P.verb_t * ev_noun(w, a, b))))
            add_cut(c, b - 1);
        return;
    }
}

/* The article stays on when the word with it is a function word (الذي,
 * التي), the rest is one (الله), or only the form with the article is
 * attested (التزام). */
static int article_stays(const word *w, int i3, int j, int lal)
{
    return j - i3 < 2 || (as_folded(w, i3, j) && stop(w, i3, j)) || (!lal && stop(w, i3 - 2, j)) ||
           (cnt(w, i3, j) == 0 && cnt_pre(w, S_AL, i3, j) >= P.al_only);
}

/* A reading: proclitics up to i1, i2; the article up to i3; the core
 * [i3, j); pronoun pr (-1: none) from j. */
typedef struct reading {
    int found, p1, p2, i1, i2, i3, j, det, lal, pr, verb;
} reading;

/* Segment one word: fills c with the cuts of the best reading. */
static void segment_word(const word *w, int farasa, cuts *best)
{
    int n = w->n;
    double best_score = -1e30;
    reading r = {0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0};
    memset(best, 0, sizeof *best);
    static const uint32_t P1[] = {0, WAW, FEH};
    static const uint32_t P2[] = {0, BEH, LAM, KAF, SEEN};
    const double PEN1[] = {0, P.waw, P.feh};
    const double PEN2[] = {0, P.beh, P.lam, P.kaf, P.seen};
    for (int p1 = 0; p1 < 3; p1++) {
        int i1 = 0;
        if (p1) {
            if (w->L[0] != P1[p1])
                continue;
            i1 = 1;
        }
        for (int p2 = 0; p2 < 5; p2++) {
            int i2 = i1;
            if (p2) {
                if (i1 >= n || w->L[i1] != P2[p2])
                    continue;
                i2 = i1 + 1;
            }
            /* the article: ال, or ل after the preposition ل */
            int det = 0, lal = 0, i3 = i2, verb = P2[p2] == SEEN;
            if (!verb) {
                if (i2 + 1 < n && w->L[i2] == ALEF && w->L[i2 + 1] == LAM) {
                    det = 1;
                    i3 = i2 + 2;
                } else if (P2[p2] == LAM && i2 < n && w->L[i2] == LAM) {
                    det = lal = 1;
                    i3 = i2 + 1;
                }
            } else if (n - i2 < P.seen_min || !(w->L[i2] == YEH || w->L[i2] == TEH ||
                                       w->L[i2] == NOON || w->L[i2] == ALEF_HAMZA)) {
                continue; /* the future particle stands before an imperfect verb */
            }
            double pen = PEN1[p1] + PEN2[p2];
            if (det && (p1 || p2))
                pen -= P.det_bonus;
            if ((p1 || p2) && !det && i2 < n &&
                (w->L[i2] == ALEF_HAMZA || w->L[i2] == ALEF_HAMZA_BELOW || w->L[i2] == ALEF_MADDA))
                pen -= P.hamza; /* a written أ إ آ begins a word: وأضاف, بإمكان */
            if (P2[p2] == KAF && !det && demonstrative(w, i2, n))
                pen -= P.kaf_dem; /* ك before a demonstrative: ك+ذلك, ك+هذا */
            for (int pr = -1; pr < (int)(sizeof PRON / sizeof PRON[0]); pr++) {
                int j = n;
                double ppen = 0;
                if (pr >= 0) {
                    int k = pron_len(PRON[pr]);
                    if (det)
                        continue; /* a noun with the article takes no pronoun */
                    if (n - k < i3)
                        continue;
                    int ok = 1;
                    for (int t = 0; t < k; t++)
                        if (w->L[n - k + t] != PRON[pr][t])
                            ok = 0;
                    if (!ok)
                        continue;
                    j = n - k;
                    if (PRON[pr][0] == NOON && tanwin_form(w, i3, n))
                        continue; /* أميناً: the tanwin, not "our" */
                    ppen = P.pron + (PRON[pr][0] == KAF ? P.pron_kaf : 0);
                }
                if (verb && w->L[j - 1] == ALEF)
                    continue; /* an indicative verb after س ends in no bare alef (سيدا) */
                int core = j - i3;
                uint32_t ev;
                double s;
                if (core <= 0)
                    continue;
                if (core == 1) {
                    /* a preposition with a pronoun: له بها لهم */
                    if (!(pr >= 0 && p2 == 0 && !det && PRON[pr][0] != KAF &&
                          (w->L[i3] == LAM || w->L[i3] == BEH)))
                        continue;
                    s = 1e9;
                } else {
                    ev = P.evmode > 0 && !det ? ev_noun(w, i3, j) : cnt(w, i3, j);
                    if (pr >= 0 && w->L[j - 1] == TEH) {
                        uint32_t e2 = cnt_plus(w, i3, j - 1, S_HEH);
                        if (e2 > ev)
                            ev = e2;
                    }
                    if (pr >= 0 && P.seat > 0 && core >= 2) {
                        /* before a pronoun a final hamza sits on ئ or ؤ
                         * (غذائهم, أداؤه) and a final ى is written ا
                         * (مرماه, ألقاها): the form as it ends bare */
                        uint32_t e2 = 0, lastc = w->L[j - 1];
                        if (lastc == YEH_HAMZA || lastc == WAW_HAMZA)
                            e2 = cnt_plus(w, i3, j - 1, S_HAMZA);
                        else if (lastc == ALEF && core >= 3)
                            e2 = cnt_plus(w, i3, j - 1, S_YEH);
                        if (e2 > ev)
                            ev = e2;
                    }
                    if (det)
                        ev += cnt_pre(w, S_AL, i3, j);
                    if (P.written > 0 && w->L[j - 1] == HEH)
                        ev = wcnt(w, i3, j); /* the lexicon folds ة to ه: كتابه vs كتابة */
                    if ((p1 || p2) && w->L[i3] == ALEF) {
                        /* written with a bare alef, a form usually spelled
                         * with a hamza counts only as often as it is written
                         * so (بات is not ب+أتت) */
                        uint32_t t = fh_wordtab_find(&fh_alef, w->F + 2 * i3, (size_t)(2 * core));
                        if (t)
                            ev = t - 1;
                    }
                    if (p1 == 0 && p2 == 0 && pr < 0)
                        ev = ev < MIN_CORE_COUNT ? MIN_CORE_COUNT : ev; /* the whole word */
                    else if (ev < MIN_CORE_COUNT)
                        continue;
                    s = lg(ev) - pen - ppen;
                }
                if (s <= best_score)
                    continue;
                if (lal && article_stays(w, i3, j, lal))
                    continue; /* لل must be ل+ال or nothing */
                best_score = s;
                r = (reading){1, p1, p2, i1, i2, i3, j, det, lal, pr, verb};
            }
        }
    }
    /* the cuts of the best reading (the whole word if none was found) */
    if (!r.found)
        return;
    if (r.p1)
        add_cut(best, r.i1);
    if (r.p2)
        add_cut(best, r.i2);
    if (r.det && !article_stays(w, r.i3, r.j, r.lal)) {
        add_cut(best, r.i3);
        best->lal = r.lal;
    }
    if (farasa && r.j - r.i3 >= 2)
        inflect(w, r.i3, r.j, r.det, r.pr >= 0, r.verb, best);
    if (r.pr >= 0)
        add_cut(best, r.j);
}

/* ---- the segmenter object ---- */

/* The cache: direct-mapped, one 64-byte line a word (the word as written
 * and its segmentation side by side; longer pairs are not cached).  8 MB:
 * news has a long tail of word forms, and a miss costs the model's few
 * dozen look-ups. */
#define SEG_CACHE_SLOTS (1u << 17) /* power of two */
#define SEG_PAIRS (0xDBC0u - 0xD880u)
#define SEG_CACHE_DATA 62

typedef struct seg_slot {
    uint8_t klen, vlen; /* klen 0: empty */
    char data[SEG_CACHE_DATA]; /* the word, then its segmentation */
} seg_slot;

/* The scanner's fast path: the characters U+0600..U+06FF (UTF-8 D8..DB
 * then a continuation byte), indexed (lead - 0xD8) * 64 + (cont & 0x3F),
 * classified with one load instead of a decode and a two-stage table walk. */

struct fh_segmenter {
    fh_segment_options opt;
    seg_slot *cache;
    uint8_t cls[256]; /* U+0600..U+06FF: fh_ch()->cls                        */
    /* the two bytes of a character as one number less 0xD880 (D880..DBBF):
     * 1 if it is U+0600..U+06FF and goes on an Arabic word, 0 for any other
     * pair (a continuation byte out of 80..BF included) */
    uint8_t inword[SEG_PAIRS];
};

fh_segment_options fh_segment_options_default(void)
{
    fh_segment_options o;
    o.scheme = FH_SEG_FARASA;
    o.normalized = 0;
    return o;
}

#ifdef FH_SEG_TUNE
/* tuning builds only (make DEFS=-DFH_SEG_TUNE): FH_SEG_PARAMS="waw=0.5,pron=1" */
#include <stdio.h>
static void tune_params(void)
{
    const char *e = getenv("FH_SEG_PARAMS");
    char name[32];
    double v;
    int used;
    while (e && sscanf(e, "%31[a-z_]=%lf%n", name, &v, &used) == 2) {
#define TP(f) if (!strcmp(name, #f)) P.f = v;
        TP(waw) TP(feh) TP(beh) TP(lam) TP(kaf) TP(seen) TP(det_bonus) TP(pron) TP(pron_kaf)
        TP(seen_min) TP(tanwin) TP(tanwin_min) TP(written) TP(al_only) TP(plural) TP(verb_t) TP(evmode)
        TP(seat) TP(hamza) TP(kaf_dem) TP(weak) TP(bare_max) TP(bare_ratio) TP(fem_pl) TP(dual_t)
#undef TP
        e += used;
        if (*e == ',')
            e++;
    }
}
#endif

int fh_segmenter_new(const fh_segment_options *opt, fh_segmenter **out)
{
#ifdef FH_SEG_TUNE
    tune_params();
#endif
    if (!out)
        return FH_EINVAL;
    *out = NULL;
    fh_segment_options o = opt ? *opt : fh_segment_options_default();
    if (o.scheme != FH_SEG_FARASA && o.scheme != FH_SEG_CLITICS)
        return FH_EINVAL;
    fh_segmenter *s = calloc(1, sizeof *s);
    if (!s)
        return FH_ENOMEM;
    s->opt = o;
    for (uint32_t c = 0; c < 256; c++) {
        int k = fh_ch(0x0600 + c)->cls;
        s->cls[c] = (uint8_t)k;
        s->inword[(c >> 6) << 8 | (c & 0x3F)] =
            k == FH_C_ARLET || k == FH_C_ARMARK || k == FH_C_IGN;
    }
    s->cache = calloc(SEG_CACHE_SLOTS, sizeof *s->cache);
    if (!s->cache) {
        fh_segmenter_free(s);
        return FH_ENOMEM;
    }
    *out = s;
    return FH_OK;
}

void fh_segmenter_free(fh_segmenter *s)
{
    if (!s)
        return;
    free(s->cache);
    free(s);
}

/* Output with measure-then-fill: bytes past cap are counted, not written. */
typedef struct sink {
    char *out;
    size_t cap, n;
} sink;

static inline void emit(sink *k, const char *s, size_t n)
{
    if (k->n < k->cap) {
        size_t m = k->cap - k->n < n ? k->cap - k->n : n;
        memcpy(k->out + k->n, s, m);
    }
    k->n += n;
}

/* Write the Arabic run text[a, b) segmented into buf (room for 4 * (b - a)
 * + 8 bytes); returns the length. */
static size_t segment_run(const fh_segmenter *s, const unsigned char *t, size_t a, size_t b,
                          char *buf)
{
    word w;
    size_t off[SEG_MAX_LETTERS + 1];
    int n = 0, opaque = 0;
    for (size_t i = a; i < b;) {
        size_t adv;
        uint32_t cp = fh_utf8_next(t + i, b - i, &adv);
        int cls = fh_ch(cp)->cls;
        if (cls == FH_C_ARLET) {
            uint32_t f = fold_letter(cp);
            if (!f || n == SEG_MAX_LETTERS) {
                opaque = 1;
                break;
            }
            w.L[n] = cp;
            fh_utf8_put(f, w.F + 2 * n);
            fh_utf8_put(cp, w.W + 2 * n);
            off[n++] = i;
        }
        i += adv;
    }
    size_t m = 0;
    if (opaque || n == 0) {
        memcpy(buf, t + a, b - a);
        return b - a;
    }
    w.n = n;
    off[n] = b;
    cuts c;
    segment_word(&w, s->opt.scheme == FH_SEG_FARASA, &c);
    /* cuts in order */
    for (int i = 1; i < c.n; i++)
        for (int j = i; j > 0 && c.at[j - 1] > c.at[j]; j--) {
            int x = c.at[j];
            c.at[j] = c.at[j - 1];
            c.at[j - 1] = x;
        }
    int ci = 0;
    for (int i = 0; i < n; i++) {
        while (ci < c.n && c.at[ci] == i) {
            if (i > 0 && (m == 0 || buf[m - 1] != '+'))
                buf[m++] = '+';
            ci++;
        }
        if (c.lal && i > 0 && w.L[i] == LAM && w.L[i - 1] == LAM && m && buf[m - 1] == '+') {
            /* ل+ال written لل: restore the article's alef once */
            buf[m++] = '\xd8';
            buf[m++] = '\xa7';
            c.lal = 0;
        }
        if (s->opt.normalized) {
            uint32_t f = fold_letter(w.L[i]);
            m += fh_utf8_put(f, buf + m);
        } else {
            size_t e = i + 1 < n ? off[i + 1] : b;
            memcpy(buf + m, t + off[i], e - off[i]);
            m += e - off[i];
        }
    }
    return m;
}

/* Write a precomputed segmentation (as written, Farasa's scheme) in the
 * segmenter's scheme and alphabet: the clitics scheme drops the '+' whose
 * bit is set in infl; the normalized alphabet folds each letter. */
static void emit_known(const fh_segmenter *s, sink *k, const unsigned char *seg, size_t n,
                       unsigned infl)
{
    if (s->opt.scheme == FH_SEG_FARASA && !s->opt.normalized) {
        emit(k, (const char *)seg, n);
        return;
    }
    char buf[256 + 8];
    size_t m = 0;
    unsigned plus = 0;
    for (size_t i = 0; i < n;) {
        if (seg[i] == '+') {
            if (!(s->opt.scheme == FH_SEG_CLITICS && plus < 8 && (infl >> plus & 1)))
                buf[m++] = '+';
            plus++;
            i++;
            continue;
        }
        size_t adv;
        uint32_t cp = fh_utf8_next(seg + i, n - i, &adv);
        uint32_t f = s->opt.normalized ? fold_letter(cp) : 0;
        if (f)
            m += fh_utf8_put(f, buf + m);
        else {
            memcpy(buf + m, seg + i, adv);
            m += adv;
        }
        i += adv;
    }
    emit(k, buf, m);
}

static inline int is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
           (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F || cp == 0x3000 ||
           cp == 0x1680 || (cp < 0x20 && cp != '\n') || cp == 0x7F;
}

/* One token of the text. */
enum { TK_NL, TK_AR, TK_OTHER, TK_BAD };
typedef struct seg_tok {
    size_t start, end;
    int kind;
    uint32_t h; /* TK_AR: fh_wordhash of its bytes */
} seg_tok;

/* The end of the Arabic word that goes on at t[end]: letters, marks,
 * tatweel and controls inside.  U+0600..U+06FF, nearly every character,
 * costs one compare and one load (its two bytes as one index). */
static inline __attribute__((always_inline)) size_t arabic_end(const fh_segmenter *s,
    const unsigned char *t, size_t len, size_t end)
{
    const uint8_t *inword = s->inword;
    for (;;) {
        unsigned pair;
        while (end + 1 < len && (pair = ((unsigned)t[end] << 8 | t[end + 1]) - 0xD880u) < SEG_PAIRS &&
               inword[pair])
            end += 2;
        if (end >= len || t[end] == ' ')
            return end;
        size_t a2;
        uint32_t c2 = t[end] < 0x80 ? (a2 = 1, t[end]) : fh_utf8_next(t + end, len - end, &a2);
        if (c2 == FH_UTF8_INVALID)
            return end;
        int k2 = fh_ch(c2)->cls;
        if (k2 != FH_C_ARLET && k2 != FH_C_ARMARK && k2 != FH_C_IGN)
            return end;
        end += a2;
    }
}

/* The next token from *pi (spaces and stray controls skipped); 0 at the end. */
static int scan(const fh_segmenter *s, const unsigned char *t, size_t len, size_t *pi,
                seg_tok *tok)
{
    size_t i = *pi;
    while (i < len) {
        if (t[i] == ' ') {
            i++;
            continue;
        }
        if (t[i] - 0xD8u < 4 && i + 1 < len && (t[i + 1] & 0xC0) == 0x80) {
            /* U+0600..U+06FF: the common case, without decoding */
            int cls = s->cls[(t[i] - 0xD8u) << 6 | (t[i + 1] & 0x3Fu)];
            if (cls == FH_C_ARLET || cls == FH_C_ARMARK) {
                size_t start = i, end = arabic_end(s, t, len, i + 2);
                *tok = (seg_tok){start, end, TK_AR, 0};
                *pi = end;
                return 1;
            }
        }
        size_t adv;
        uint32_t cp = t[i] < 0x80 ? (adv = 1, t[i]) : fh_utf8_next(t + i, len - i, &adv);
        size_t start = i, end = i + adv;
        if (cp == '\n') {
            *tok = (seg_tok){start, end, TK_NL, 0};
            *pi = end;
            return 1;
        }
        if (cp == FH_UTF8_INVALID) {
            *tok = (seg_tok){start, end, TK_BAD, 0};
            *pi = end;
            return 1;
        }
        int cls = fh_ch(cp)->cls;
        if (is_space(cp) || cls == FH_C_IGN) { /* a stray joiner or bidi control: dropped */
            i = end;
            continue;
        }
        int kind = TK_OTHER;
        if (cls == FH_C_ARLET || cls == FH_C_ARMARK) {
            /* an Arabic word: letters, marks, tatweel; controls inside skipped */
            kind = TK_AR;
            end = arabic_end(s, t, len, end);
        } else if (cls == FH_C_DIGIT) {
            /* a number: digits with single . , ٫ ٬ between digits */
            while (end < len) {
                size_t a2, a3;
                uint32_t c2 = fh_utf8_next(t + end, len - end, &a2);
                if (c2 != FH_UTF8_INVALID && fh_ch(c2)->cls == FH_C_DIGIT) {
                    end += a2;
                    continue;
                }
                if ((c2 == '.' || c2 == ',' || c2 == 0x066B || c2 == 0x066C) && end + a2 < len) {
                    uint32_t c3 = fh_utf8_next(t + end + a2, len - end - a2, &a3);
                    if (c3 != FH_UTF8_INVALID && fh_ch(c3)->cls == FH_C_DIGIT) {
                        end += a2 + a3;
                        continue;
                    }
                }
                break;
            }
        } else if (cls == FH_C_LET || cls == FH_C_MARK) {
            /* a word of another script, digits after a letter */
            while (end < len) {
                size_t a2;
                uint32_t c2 = fh_utf8_next(t + end, len - end, &a2);
                if (c2 == FH_UTF8_INVALID)
                    break;
                int k2 = fh_ch(c2)->cls;
                if (k2 != FH_C_LET && k2 != FH_C_MARK && k2 != FH_C_DIGIT)
                    break;
                end += a2;
            }
        }
        *tok = (seg_tok){start, end, kind, 0};
        *pi = end;
        return 1;
    }
    *pi = i;
    return 0;
}

/* Words longer than this (bytes) are written whole: the model reads at
 * most SEG_MAX_LETTERS letters anyway. */
#define SEG_MAX_RUN (4 * 64)

/* Write one token; *first: nothing written yet on this line. */
static void put_tok(fh_segmenter *s, sink *k, const unsigned char *t, const seg_tok *tk, int *first)
{
    if (tk->kind == TK_NL) {
        emit(k, "\n", 1);
        *first = 1;
        return;
    }
    if (!*first)
        emit(k, " ", 1);
    *first = 0;
    size_t wn = tk->end - tk->start;
    const char *w = (const char *)t + tk->start;
    if (tk->kind == TK_BAD) {
        emit(k, "\xef\xbf\xbd", 3); /* U+FFFD, as fh_normalize writes it */
        return;
    }
    if (tk->kind == TK_OTHER || wn > SEG_MAX_RUN) {
        emit(k, w, wn);
        return;
    }
#ifdef FH_SEG_TUNE
    const unsigned char *e = NULL; /* the table holds the default parameters' answers */
#else
    const unsigned char *e = fh_wordtab_entry_h(&fh_segtab, w, wn, tk->h);
#endif
    if (e) { /* a known written form: its segmentation, precomputed */
        emit_known(s, k, e + 6, e[5], e[4]);
        return;
    }
    seg_slot *sl = &s->cache[tk->h & (SEG_CACHE_SLOTS - 1)];
    if (sl->klen == wn && memcmp(sl->data, w, wn) == 0) {
        emit(k, sl->data + wn, sl->vlen);
        return;
    }
    char buf[4 * SEG_MAX_RUN + 16];
    size_t m = segment_run(s, t, tk->start, tk->end, buf);
    emit(k, buf, m);
    if (wn + m <= SEG_CACHE_DATA) {
        sl->klen = (uint8_t)wn;
        sl->vlen = (uint8_t)m;
        memcpy(sl->data, w, wn);
        memcpy(sl->data + wn, buf, m);
    }
}

/* Tokens wait in a short queue so that the table slots of the words ahead
 * are fetched from memory while the current one is written (the tables are
 * megabytes: a look-up is otherwise a wait on main memory).  A slot is
 * prefetched when its word enters the queue; SEG_QAHEAD tokens later its
 * pool entry is. */
#define SEG_QDEPTH 16 /* power of two */
#define SEG_QAHEAD 8

static inline void prefetch_slots(const fh_segmenter *s, uint32_t h)
{
    const fh_wordtab *tb = &fh_segtab;
    if (tb->nwords) {
        __builtin_prefetch(fh_wt_bucket(tb, h));
        __builtin_prefetch(&tb->slots[h & tb->mask]);
    }
    __builtin_prefetch(&s->cache[h & (SEG_CACHE_SLOTS - 1)]);
}

static inline void prefetch_entry(uint32_t h)
{
    const fh_wordtab *tb = &fh_segtab;
    if (!tb->nwords)
        return;
    uint32_t sl = tb->slots[h & tb->mask];
    if (sl && (sl & 0xFF000000u) == (h & 0xFF000000u))
        __builtin_prefetch(tb->pool + ((sl & FH_WT_OFFMASK) - 1));
}

size_t fh_segment(fh_segmenter *s, const char *text, size_t len, char *out, size_t cap)
{
    if (!s || (!text && len) || (!out && cap))
        return 0;
    const unsigned char *t = (const unsigned char *)text;
    sink k = {out, cap, 0};
    int first = 1;
    seg_tok q[SEG_QDEPTH];
    size_t head = 0, tail = 0, i = 0; /* q[tail..head) wait, oldest first */
    int more = 1;
    for (;;) {
        while (more && head - tail < SEG_QDEPTH) {
            seg_tok *tk = &q[head & (SEG_QDEPTH - 1)];
            if (!scan(s, t, len, &i, tk)) {
                more = 0;
                break;
            }
            if (tk->kind == TK_AR && tk->end - tk->start <= SEG_MAX_RUN) {
                tk->h = fh_wordhash(text + tk->start, tk->end - tk->start);
                prefetch_slots(s, tk->h);
            }
            if (head - tail >= SEG_QAHEAD) {
                seg_tok *mid = &q[(head - SEG_QAHEAD) & (SEG_QDEPTH - 1)];
                if (mid->kind == TK_AR)
                    prefetch_entry(mid->h);
            }
            head++;
        }
        if (tail == head)
            break;
        put_tok(s, &k, t, &q[tail & (SEG_QDEPTH - 1)], &first);
        tail++;
    }
    if (k.n < k.cap)
        out[k.n] = '\0';
    return k.n;
}
