/*
 * search.c — queries: parsing the query language, ranking with BM25 and
 * MaxScore dynamic pruning, filters, phrases, and snippets with highlights
 * computed from the stored text through the analyzer's offsets.
 *
 * Ranking.  A document's score is the sum over query terms of
 *   idf(t) * tf'(k1 + 1) / (tf' + k1 (1 - b + b dl'/avgdl'))
 * with tf' = title_weight * tf_title + tf_body and dl' likewise from the
 * field lengths (a BM25F with one shared k1, b): a word in the title counts
 * more, and a long article is not favoured for its length.
 *
 * MaxScore (Turtle & Flood).  Each term's best possible contribution is
 * bounded from its postings' largest tfs and shortest fields (kept with the
 * postings, see index.h).  Terms are ordered by that bound; once k results
 * are held, the terms whose bounds together cannot lift a document over the
 * k-th score are "non-essential": documents are enumerated from the others
 * only, and non-essential terms are looked up (by galloping search) only
 * while a document can still make it.  A query full of common words thus
 * does not walk every posting.  Stopwords are left out of ranking (a phrase
 * still checks them by position) unless the query has nothing else.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "index.h"
#include "utf8.h"

fh_search_options fh_search_options_default(void)
{
    fh_search_options o;
    o.limit = 10;
    o.offset = 0;
    o.since = o.until = NULL;
    o.snippets = 1;
    o.snippet_bytes = 240;
    o.exhaustive = 0;
    o.ids_only = 0;
    return o;
}

/* ------------------------------------------------------------------ */
/* Parsed query                                                        */
/* ------------------------------------------------------------------ */

#define MAX_PHRASE 32 /* words in one quoted phrase */

typedef struct qterm {
    char key[FH_MAX_TOKEN + 2]; /* space byte + text */
    uint32_t len;
    int title_only;
    int stop;
    double weight; /* multiplies the idf: 1, or exact_weight for a surface
                      form added beside a stem */
    const fh_plist *pl;
    double idf, ub;
    uint32_t cur; /* cursor into pl */
    const uint32_t *wb; /* pl's window starts (win_begins), or NULL */
} qterm;

typedef struct qphrase {
    int neg, title_only;
    int soft; /* beside free words: preferred (a bonus), not required */
    uint32_t n;
    int idx[MAX_PHRASE]; /* into q->words (positions checked on stems) */
} qphrase;

typedef struct query {
    qterm *t;   /* scoring terms */
    uint32_t nt, capt;
    qterm *words; /* stem terms of phrases and negated words */
    uint32_t nw, capw;
    qphrase *ph;
    uint32_t nph, capph;
    int *neg_word; /* indexes into words: excluded single words */
    uint32_t nneg, capneg;
    int *seq;      /* indexes into words: the plain words in query order, for
                      the proximity bonus */
    uint32_t nseq, capseq;
    qterm *exact;  /* surface forms of the plain words, for the exact bonus */
    uint32_t nexact, capexact;
    int source_filter;   /* 0: none; else source id (1-based); -1: unknown source */
    uint32_t date_lo, date_hi;
    uint32_t nclauses;
    int had_prefix; /* a prefix* was asked for (it may have expanded to nothing) */
    uint32_t nfix;  /* unknown words whose spelling was looked for */
    /* for highlighting */
    char **hl;           /* keys of positive terms (space byte + text) */
    uint32_t nhl, caphl;
    char **hlprefix;     /* surface prefixes (space byte + text) */
    uint32_t nhlp, caphlp;
} query;

static void query_free(query *q)
{
    free(q->t);
    free(q->words);
    free(q->ph);
    free(q->neg_word);
    free(q->seq);
    free(q->exact);
    for (uint32_t i = 0; i < q->nhl; i++)
        free(q->hl[i]);
    free(q->hl);
    for (uint32_t i = 0; i < q->nhlp; i++)
        free(q->hlprefix[i]);
    free(q->hlprefix);
}

#define GROW(arr, n, cap, fail)                                                                    \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            size_t nc_ = (cap) ? (size_t)(cap) * 2 : 16;                                           \
            void *np_ = realloc((arr), nc_ * sizeof *(arr));                                       \
            if (!np_)                                                                              \
                fail;                                                                              \
            (arr) = np_;                                                                           \
            (cap) = (uint32_t)nc_;                                                                 \
        }                                                                                          \
    } while (0)

static int add_hl(query *q, const char *key, size_t len, int prefix)
{
    char *k = malloc(len + 1);
    if (!k)
        return FH_ENOMEM;
    memcpy(k, key, len);
    k[len] = '\0';
    if (prefix) {
        GROW(q->hlprefix, q->nhlp, q->caphlp, { free(k); return FH_ENOMEM; });
        q->hlprefix[q->nhlp++] = k;
    } else {
        GROW(q->hl, q->nhl, q->caphl, { free(k); return FH_ENOMEM; });
        q->hl[q->nhl++] = k;
    }
    return FH_OK;
}

static int add_scoring_w(query *q, char space, const char *s, size_t n, int title_only, int stop,
                         double weight)
{
    /* the same term twice counts once (with its field restriction widened) */
    for (uint32_t i = 0; i < q->nt; i++)
        if (q->t[i].len == n + 1 && q->t[i].key[0] == space && !memcmp(q->t[i].key + 1, s, n)) {
            q->t[i].title_only &= title_only;
            return FH_OK;
        }
    GROW(q->t, q->nt, q->capt, return FH_ENOMEM);
    qterm *t = &q->t[q->nt++];
    memset(t, 0, sizeof *t);
    t->key[0] = space;
    memcpy(t->key + 1, s, n);
    t->len = (uint32_t)n + 1;
    t->title_only = title_only;
    t->stop = stop;
    t->weight = weight;
    return add_hl(q, t->key, t->len, 0);
}

static int add_scoring(query *q, char space, const char *s, size_t n, int title_only, int stop)
{
    return add_scoring_w(q, space, s, n, title_only, stop, 1.0);
}

static int add_word(query *q, const char *stem, size_t n)
{
    GROW(q->words, q->nw, q->capw, return -1);
    qterm *t = &q->words[q->nw];
    memset(t, 0, sizeof *t);
    t->key[0] = FH_SPACE_STEM;
    memcpy(t->key + 1, stem, n);
    t->len = (uint32_t)n + 1;
    return (int)q->nw++;
}

/* A free word's stem: a scoring term of this weight and, unless it is for
 * the title only, a word in query order for the proximity bonuses. */
static int add_free_word(query *q, const char *stem, size_t n, int title_only, int stop,
                         double weight)
{
    if (add_scoring_w(q, FH_SPACE_STEM, stem, n, title_only, stop, weight) != FH_OK)
        return FH_ENOMEM;
    if (!title_only) {
        int w = add_word(q, stem, n);
        if (w < 0)
            return FH_ENOMEM;
        GROW(q->seq, q->nseq, q->capseq, return FH_ENOMEM);
        q->seq[q->nseq++] = w;
    }
    return FH_OK;
}

/* Tokens of one clause's text, collected by the analyzer. */
typedef struct ctoks {
    uint32_t n;
    struct {
        char stem[FH_MAX_TOKEN + 1], norm[FH_MAX_TOKEN + 1];
        size_t sl, nl;
        int stop;
    } v[MAX_PHRASE];
    int more; /* more tokens than fit */
} ctoks;

static int on_qtok(void *ctx, const fh_token *t)
{
    ctoks *c = ctx;
    if (c->n == MAX_PHRASE) {
        c->more = 1;
        return 1;
    }
    memcpy(c->v[c->n].stem, t->stem, t->stem_len);
    c->v[c->n].sl = t->stem_len;
    memcpy(c->v[c->n].norm, t->norm, t->norm_len);
    c->v[c->n].nl = t->norm_len;
    c->v[c->n].stop = (t->flags & FH_TOKEN_STOPWORD) != 0;
    c->n++;
    return 0;
}

static int parse_date(const char *s, size_t n, int upper, uint32_t *out)
{
    unsigned y = 0, m = 0, d = 0;
    char buf[16];
    if (n == 0) {
        *out = upper ? 99991231 : 0;
        return 1;
    }
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int k = 0, used = 0;
    if (n == 4 && sscanf(buf, "%4u%n", &y, &used) == 1 && used == 4)
        k = 1;
    else if (n == 7 && sscanf(buf, "%4u-%2u%n", &y, &m, &used) == 2 && used == 7)
        k = 2;
    else if (n == 10 && sscanf(buf, "%4u-%2u-%2u%n", &y, &m, &d, &used) == 3 && used == 10)
        k = 3;
    if (!k || y < 1 || (k >= 2 && (m < 1 || m > 12)) || (k == 3 && (d < 1 || d > 31)))
        return 0;
    if (k == 1)
        *out = y * 10000 + (upper ? 1231 : 0);
    else if (k == 2)
        *out = y * 10000 + m * 100 + (upper ? 31 : 0);
    else
        *out = y * 10000 + m * 100 + d;
    return 1;
}

/* Record a notice: the query was read, but not quite as written. */
static void note(fh_index *ix, const char *fmt, ...)
{
    if (ix->notice[0])
        return; /* the first one says enough */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ix->notice, sizeof ix->notice, fmt, ap);
    va_end(ap);
}

/*
 * Spelling.  An Arabic query word that no document holds, and whose stem
 * none holds either, is most often mistyped (صرطان for سرطان, ليفيربول,
 * اظطراب) or glued to the next word (بحرالميت, مدينهالمنوره).  Such a word of
 * FIX_MIN to FIX_MAX letters is searched for as well, with FIX_WEIGHT, as the
 * variant the index knows best: the most frequent word one edit away (a
 * letter deleted, inserted, replaced, or two swapped), or, when that is
 * rarer than both halves, the word split in two.  Only variants that are
 * words of the language (in the lexicon, src/lexicon.c) are looked up in the
 * index: a few SQL look-ups per unknown word, not hundreds.  The notice says
 * what was searched for.
 */
#ifndef FIX_WEIGHT
#define FIX_WEIGHT 0.8
#endif
#define FIX_MIN 4  /* letters */
#define FIX_MAX 24 /* letters: longer words are not corrected */
#define FIX_WORDS 4 /* unknown words corrected in one query (a pasted text may
                       hold many names no document has) */

/* The documents holding term (space, s[0..n)), 0 if none. */
static int term_df(fh_index *ix, char space, const char *s, size_t n, uint64_t *df)
{
    char key[FH_MAX_TOKEN + 2];
    int st = FH_OK;
    *df = 0;
    if (n == 0 || n > FH_MAX_TOKEN)
        return FH_OK;
    key[0] = space;
    memcpy(key + 1, s, n);
    const fh_plist *pl = fh_index_postings(ix, key, n + 1, &st);
    if (pl)
        *df = pl->df;
    return st;
}

/* The documents holding s as a word, or else as the stem of some word
 * (سرطان, the stem of السرطان). */
static int known_df(fh_index *ix, const char *s, size_t n, uint64_t *df)
{
    int st = term_df(ix, FH_SPACE_WORD, s, n, df);
    if (st == FH_OK && !*df)
        st = term_df(ix, FH_SPACE_STEM, s, n, df);
    return st;
}

/* Adds the stems of text (one or two words) as scoring terms of FIX_WEIGHT
 * and words for proximity. */
static int add_fix(fh_index *ix, query *q, const char *text, size_t n, int title_only)
{
    ctoks c;
    c.n = 0;
    c.more = 0;
    fh_analyze(ix->an, text, n, on_qtok, &c);
    for (uint32_t k = 0; k < c.n; k++) {
        if (c.v[k].stop)
            continue;
        if (add_free_word(q, c.v[k].stem, c.v[k].sl, title_only, 0, FIX_WEIGHT) != FH_OK)
            return FH_ENOMEM;
    }
    return FH_OK;
}

/* If the normalized word (and stem) of one query token is unknown to the
 * index, search for its best-known spelling too (see Spelling above).  The
 * word's letters are all two UTF-8 bytes (U+0621..U+064A), so variants are
 * made by moving byte pairs. */
static int fix_word(fh_index *ix, query *q, const char *norm, size_t nl, const char *stem,
                    size_t sl, int title_only)
{
    uint64_t df;
    int st;
    size_t n = nl / 2; /* letters */
    if (q->nfix >= FIX_WORDS || nl % 2 || n < FIX_MIN || n > FIX_MAX)
        return FH_OK;
    for (size_t i = 0; i < nl; i += 2) {
        unsigned cp = ((unsigned char)norm[i] & 0x1Fu) << 6 | ((unsigned char)norm[i + 1] & 0x3Fu);
        if (((unsigned char)norm[i] & 0xE0) != 0xC0 || cp < 0x0621 || cp > 0x064A)
            return FH_OK; /* not a plain Arabic word: the lexicon has no evidence */
    }
    if ((st = term_df(ix, FH_SPACE_STEM, stem, sl, &df)) != FH_OK || df)
        return st;
    if ((st = term_df(ix, FH_SPACE_WORD, norm, nl, &df)) != FH_OK || df)
        return st;
    q->nfix++;
    /* the Arabic letters as the analyzer writes them (two bytes each) */
    char alpha[2 * 48];
    size_t na = 0;
    for (uint32_t cp = 0x0621; cp <= 0x064A; cp++) {
        char in[4], out[16];
        size_t il = fh_utf8_put(cp, in);
        if (fh_normalize(ix->an, in, il, out, sizeof out) == il && !memcmp(in, out, il))
            memcpy(alpha + 2 * na++, in, 2);
    }
    /* every variant one edit away that the lexicon and the index hold: keep
     * the commonest in the index */
    char best[2 * (FIX_MAX + 1)], v[2 * (FIX_MAX + 1)];
    size_t bn = 0;
    uint64_t bdf = 0;
    for (int op = 0; op < 4; op++) {
        size_t npos = op == 2 ? n + 1 : n;
        for (size_t i = 0; i < npos; i++) {
            size_t nalt = op == 1 || op == 2 ? na : 1;
            for (size_t a = 0; a < nalt; a++) {
                size_t vn = nl;
                const char *x = alpha + 2 * a;
                if (op == 0) { /* delete letter i */
                    memcpy(v, norm, 2 * i);
                    memcpy(v + 2 * i, norm + 2 * i + 2, nl - 2 * i - 2);
                    vn = nl - 2;
                } else if (op == 1) { /* replace letter i */
                    if (!memcmp(norm + 2 * i, x, 2))
                        continue;
                    memcpy(v, norm, nl);
                    memcpy(v + 2 * i, x, 2);
                } else if (op == 2) { /* insert before letter i */
                    memcpy(v, norm, 2 * i);
                    memcpy(v + 2 * i, x, 2);
                    memcpy(v + 2 * i + 2, norm + 2 * i, nl - 2 * i);
                    vn = nl + 2;
                } else { /* swap letters i and i + 1 */
                    if (i + 1 >= n || !memcmp(norm + 2 * i, norm + 2 * i + 2, 2))
                        continue;
                    memcpy(v, norm, nl);
                    memcpy(v + 2 * i, norm + 2 * i + 2, 2);
                    memcpy(v + 2 * i + 2, norm + 2 * i, 2);
                }
                if (!fh_lex_count(v, vn))
                    continue; /* not a word of the language: no look-up */
                if ((st = known_df(ix, v, vn, &df)) != FH_OK)
                    return st;
                if (df > bdf) {
                    bdf = df;
                    bn = vn;
                    memcpy(best, v, vn);
                }
            }
        }
    }
    /* or two words glued together, both known (each of 2 letters or more) */
    char split[2 * FIX_MAX + 1];
    size_t spn = 0;
    uint64_t sdf = 0;
    for (size_t i = 2 * 2; i + 2 * 2 <= nl; i += 2) {
        uint64_t dl, dr;
        if (!fh_lex_count(norm, i) || !fh_lex_count(norm + i, nl - i))
            continue;
        if ((st = known_df(ix, norm, i, &dl)) != FH_OK)
            return st;
        if (!dl)
            continue;
        if ((st = known_df(ix, norm + i, nl - i, &dr)) != FH_OK)
            return st;
        uint64_t m = dl < dr ? dl : dr;
        if (m > sdf) {
            sdf = m;
            memcpy(split, norm, i);
            split[i] = ' ';
            memcpy(split + i + 1, norm + i, nl - i);
            spn = nl + 1;
        }
    }
    if (sdf > bdf) {
        note(ix, "no document has '%.*s': searched for '%.*s' too", (int)nl, norm, (int)spn,
             split);
        return add_fix(ix, q, split, spn, title_only);
    }
    if (bdf) {
        note(ix, "no document has '%.*s': searched for '%.*s' too", (int)nl, norm, (int)bn, best);
        return add_fix(ix, q, best, bn, title_only);
    }
    return FH_OK;
}

/*
 * Parse the query text into q.  Returns FH_OK or FH_EINVAL with a message.
 * Pasted text is read leniently: a stray quote, a lone '-' or '*', or words
 * past FH_MAX_QUERY_TERMS are set aside with a notice, not refused.
 */
/* A word of the surface space that a query's prefix expands to. */
typedef struct {
    query *q;
    int title_only;
} pfx_ctx;

static int add_prefix_term(void *ctx, const char *t, size_t n)
{
    pfx_ctx *c = ctx;
    if (n < 2 || n > FH_MAX_TOKEN + 1 || t[0] != FH_SPACE_WORD)
        return FH_OK;
    return add_scoring(c->q, FH_SPACE_WORD, t + 1, n - 1, c->title_only, 0);
}

static int parse_query(fh_index *ix, const char *text, query *q)
{
    size_t len = strlen(text);
    if (len > FH_MAX_QUERY_BYTES) {
        fh_index_seterr(ix, "the query is %zu bytes long; the limit is %d", len,
                        FH_MAX_QUERY_BYTES);
        return FH_EINVAL;
    }
    /* validate: UTF-8 and no control characters */
    for (size_t i = 0; i < len;) {
        size_t adv;
        uint32_t cp = fh_utf8_next((const unsigned char *)text + i, len - i, &adv);
        if (cp == FH_UTF8_INVALID) {
            fh_index_seterr(ix, "the query is not valid UTF-8 (byte %zu)", i);
            return FH_EINVAL;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F ||
            (cp >= 0x80 && cp < 0xA0)) {
            fh_index_seterr(ix, "the query has a control character (U+%04X) at byte %zu", cp, i);
            return FH_EINVAL;
        }
        i += adv;
    }
    q->date_lo = 0;
    q->date_hi = 99991231;
    size_t i = 0;
    uint32_t words = 0;
    while (i < len) {
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
            i++;
        if (i >= len)
            break;
        size_t cstart = i;
        int neg = 0, exact = 0, title_only = 0;
        if (text[i] == '-') {
            neg = 1;
            i++;
            if (i >= len || text[i] == ' ' || text[i] == '\t' || text[i] == '\n' ||
                text[i] == '\r') {
                note(ix, "a lone '-' at byte %zu excludes nothing (to exclude, write -word); "
                         "it was ignored", cstart);
                continue;
            }
        }
        /* field prefixes */
        if (!strncmp(text + i, "title:", 6)) {
            title_only = 1;
            i += 6;
        } else if (!strncmp(text + i, "source:", 7) || !strncmp(text + i, "date:", 5)) {
            int is_src = text[i] == 's';
            i += is_src ? 7 : 5;
            size_t vs = i;
            while (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
                i++;
            size_t vl = i - vs;
            if (vl == 0) {
                fh_index_seterr(ix, "'%s' needs a value (byte %zu)", is_src ? "source:" : "date:",
                                cstart);
                return FH_EINVAL;
            }
            if (neg) {
                fh_index_seterr(ix, "'-%s' is not supported (byte %zu)",
                                is_src ? "source:" : "date:", cstart);
                return FH_EINVAL;
            }
            if (is_src) {
                int found = -1;
                for (uint16_t k = 0; k < ix->nsources; k++)
                    if (strlen(ix->sources[k]) == vl && !strncasecmp(ix->sources[k], text + vs, vl))
                        found = k + 1;
                q->source_filter = found;
            } else {
                const char *dd = memchr(text + vs, '.', vl);
                uint32_t lo, hi;
                int ok;
                if (dd && dd + 1 < text + vs + vl && dd[1] == '.') {
                    size_t l1 = (size_t)(dd - (text + vs));
                    ok = parse_date(text + vs, l1, 0, &lo) &&
                         parse_date(dd + 2, vl - l1 - 2, 1, &hi);
                } else
                    ok = parse_date(text + vs, vl, 0, &lo) && parse_date(text + vs, vl, 1, &hi);
                if (!ok) {
                    fh_index_seterr(ix,
                                    "bad date '%.*s': use date:YYYY, date:YYYY-MM, "
                                    "date:YYYY-MM-DD or a range FROM..TO",
                                    (int)vl, text + vs);
                    return FH_EINVAL;
                }
                if (lo > q->date_lo)
                    q->date_lo = lo;
                if (hi < q->date_hi)
                    q->date_hi = hi;
            }
            q->nclauses++;
            continue;
        }
        if (i < len && text[i] == '=') {
            exact = 1;
            i++;
        }
        if (i < len && text[i] == '"') {
            size_t ps = ++i;
            while (i < len && text[i] != '"')
                i++;
            if (i >= len) {
                /* a pasted text with a stray quote: read the rest as words */
                note(ix, "the quote opened at byte %zu is not closed; it was ignored", ps - 1);
                i = ps;
                continue;
            }
            size_t pl = i - ps;
            i++;
            ctoks c;
            c.n = 0;
            c.more = 0;
            fh_analyze(ix->an, text + ps, pl, on_qtok, &c);
            if (c.more) {
                fh_index_seterr(ix, "a phrase may have at most %d words", MAX_PHRASE);
                return FH_EINVAL;
            }
            if (c.n == 0)
                continue; /* "" or punctuation only */
            words += c.n;
            GROW(q->ph, q->nph, q->capph, return FH_ENOMEM);
            qphrase *ph = &q->ph[q->nph++];
            memset(ph, 0, sizeof *ph);
            ph->neg = neg;
            ph->title_only = title_only;
            for (uint32_t k = 0; k < c.n; k++) {
                int w = add_word(q, c.v[k].stem, c.v[k].sl);
                if (w < 0)
                    return FH_ENOMEM;
                ph->idx[ph->n++] = w;
                if (!neg && add_scoring(q, FH_SPACE_STEM, c.v[k].stem, c.v[k].sl, title_only,
                                        c.v[k].stop) != FH_OK)
                    return FH_ENOMEM;
            }
            q->nclauses++;
        } else {
            size_t ws = i;
            while (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
                   text[i] != '\r' && text[i] != '"')
                i++;
            size_t wl = i - ws;
            if (wl == 2 && !strncmp(text + ws, "OR", 2) && !neg && !exact && !title_only)
                continue; /* any word counts already */
            int prefix = wl > 0 && text[ws + wl - 1] == '*';
            if (prefix) {
                wl--;
                while (wl > 0 && text[ws + wl - 1] == '*')
                    wl--;
                if (wl == 0) {
                    note(ix, "a '*' at byte %zu has no prefix before it (write كتا*); it was "
                             "ignored", ws);
                    continue;
                }
            }
            ctoks c;
            c.n = 0;
            c.more = 0;
            fh_analyze(ix->an, text + ws, wl, on_qtok, &c);
            if (c.n == 0) {
                if (neg || exact || prefix || title_only) {
                    fh_index_seterr(ix, "nothing to search for after '%.*s' at byte %zu",
                                    (int)(ws - cstart), text + cstart, cstart);
                    return FH_EINVAL;
                }
                continue; /* punctuation */
            }
            words += c.n;
            for (uint32_t k = 0; k < c.n; k++) {
                int last = k + 1 == c.n;
                if (neg) {
                    int w = add_word(q, c.v[k].stem, c.v[k].sl);
                    if (w < 0)
                        return FH_ENOMEM;
                    GROW(q->neg_word, q->nneg, q->capneg, return FH_ENOMEM);
                    q->neg_word[q->nneg++] = w;
                } else if (prefix && last) {
                    size_t letters = 0;
                    for (size_t b = 0; b < c.v[k].nl; b++)
                        letters += ((unsigned char)c.v[k].norm[b] & 0xC0) != 0x80;
                    if (letters < 2) {
                        fh_index_seterr(ix, "a prefix needs at least 2 letters: '%.*s*'",
                                        (int)wl, text + ws);
                        return FH_EINVAL;
                    }
                    q->had_prefix = 1;
                    char key[FH_MAX_TOKEN + 2];
                    key[0] = FH_SPACE_WORD;
                    memcpy(key + 1, c.v[k].norm, c.v[k].nl);
                    if (add_hl(q, key, c.v[k].nl + 1, 1) != FH_OK)
                        return FH_ENOMEM;
                    /* expand against the surface space: the first 128 words */
                    pfx_ctx pc = {q, title_only};
                    int st = fh_index_terms(ix, key, c.v[k].nl + 1, 128, add_prefix_term, &pc);
                    if (st != FH_OK)
                        return st;
                } else if (exact) {
                    if (add_scoring(q, FH_SPACE_WORD, c.v[k].norm, c.v[k].nl, title_only,
                                    c.v[k].stop) != FH_OK)
                        return FH_ENOMEM;
                } else {
                    if (add_free_word(q, c.v[k].stem, c.v[k].sl, title_only, c.v[k].stop,
                                      1.0) != FH_OK)
                        return FH_ENOMEM;
                    if (!c.v[k].stop) {
                        int st = fix_word(ix, q, c.v[k].norm, c.v[k].nl, c.v[k].stem,
                                          c.v[k].sl, title_only);
                        if (st != FH_OK)
                            return st;
                    }
                    /* the word as written, too: among the best documents, an
                     * exact match ranks higher (see rerank) */
                    if (ix->opt.exact_weight > 0 && !c.v[k].stop) {
                        GROW(q->exact, q->nexact, q->capexact, return FH_ENOMEM);
                        qterm *e = &q->exact[q->nexact++];
                        memset(e, 0, sizeof *e);
                        e->key[0] = FH_SPACE_WORD;
                        memcpy(e->key + 1, c.v[k].norm, c.v[k].nl);
                        e->len = (uint32_t)c.v[k].nl + 1;
                        e->title_only = title_only;
                    }
                }
            }
            q->nclauses++;
        }
        if (words >= FH_MAX_QUERY_TERMS) {
            if (i < len)
                note(ix, "the query has more than %d words; the rest, from byte %zu, was ignored",
                     FH_MAX_QUERY_TERMS, i);
            break;
        }
    }
    /* a quoted phrase beside free words (a pasted headline with a quotation)
     * is a preference; a query of phrases and filters only requires them */
    if (q->nseq > 0)
        for (uint32_t k = 0; k < q->nph; k++)
            if (!q->ph[k].neg)
                q->ph[k].soft = 1;
    if (q->nt == 0 && q->had_prefix)
        return FH_OK; /* a prefix no word begins with: no hits */
    if (q->nt == 0) {
        fh_index_seterr(ix, q->nclauses ? "the query has no word to search for (only filters or "
                                          "exclusions)"
                                        : "the query is empty");
        return FH_EINVAL;
    }
    return FH_OK;
}

/* ------------------------------------------------------------------ */
/* Evaluation                                                          */
/* ------------------------------------------------------------------ */

/* The first index in (lo, hi] whose a[] is >= d, given a[lo] < d and a[hi]
 * >= d (or hi the end). */
static inline uint32_t bsearch_ge(const uint32_t *a, uint32_t lo, uint32_t hi, uint32_t d)
{
    /* the answer is in [b, b + n]; each step halves n with a conditional
     * move, not a branch: which way a step goes is a coin toss, and a
     * mispredicted branch cost more than the whole step */
    uint32_t b = lo + 1, n = hi - b;
    while (n > 1) {
        uint32_t h = n / 2;
        b = a[b + h - 1] < d ? b + h : b;
        n -= h;
    }
    return b + (n && a[b] < d);
}

/* The first index after lo (a[lo] < d) whose a[] is >= d, or n: galloping
 * forward, then a binary search of the last step. */
static inline uint32_t gallop_ge(const uint32_t *a, uint32_t n, uint32_t lo, uint32_t d)
{
    uint32_t step = 1, hi = lo + 1;
    while (hi < n && a[hi] < d) {
        lo = hi;
        step *= 2;
        hi = lo + step;
    }
    return bsearch_ge(a, lo, hi < n ? hi : n, d);
}

/* First index >= from in p->doc[] whose id is >= d: galloping, over the
 * list's skip ids first when d lies beyond the next few entries. */
static uint32_t seek(const fh_plist *p, uint32_t from, uint32_t d)
{
    if (from >= p->n || p->doc[from] >= d)
        return from;
    if (p->skip && from + 8 < p->n && p->doc[from + 8] < d) {
        /* skip[from / FH_SKIP] <= doc[from] < d: b is the last run whose
         * first id is < d, and the answer is in it or the next run's first */
        uint32_t nb = (p->n + FH_SKIP - 1) / FH_SKIP;
        uint32_t b = gallop_ge(p->skip, nb, from / FH_SKIP, d) - 1;
        uint32_t l = b * FH_SKIP > from ? b * FH_SKIP : from;
        uint32_t h = (b + 1) * FH_SKIP < p->n ? (b + 1) * FH_SKIP : p->n;
        return bsearch_ge(p->doc, l, h, d);
    }
    return gallop_ge(p->doc, p->n, from, d);
}

typedef struct scorer {
    double k1, b, wt, avg;
} scorer;

static inline double tfw(const scorer *sc, const qterm *t, uint32_t tt, uint32_t tb)
{
    return t->title_only ? sc->wt * tt : sc->wt * tt + tb;
}

static inline double bm25(const scorer *sc, double idf, double tf, double dl)
{
    if (tf <= 0)
        return 0;
    return idf * tf * (sc->k1 + 1) / (tf + sc->k1 * (1 - sc->b + sc->b * dl / sc->avg));
}

/* Does document d contain phrase ph (stem positions consecutive)? */
static int phrase_in(const query *q, const qphrase *ph, uint32_t d, uint32_t title_len)
{
    const fh_plist *first = q->words[ph->idx[0]].pl;
    if (!first)
        return 0;
    uint32_t k0 = seek(first, 0, d);
    if (k0 >= first->n || first->doc[k0] != d)
        return 0;
    for (uint32_t a = first->pos_off[k0]; a < first->pos_off[k0 + 1]; a++) {
        uint32_t p0 = first->pos[a];
        if (ph->title_only && p0 >= title_len)
            break;
        int ok = 1;
        for (uint32_t j = 1; ok && j < ph->n; j++) {
            const fh_plist *pj = q->words[ph->idx[j]].pl;
            if (!pj)
                return 0;
            uint32_t kj = seek(pj, 0, d);
            if (kj >= pj->n || pj->doc[kj] != d)
                return 0;
            ok = 0;
            for (uint32_t b = pj->pos_off[kj]; b < pj->pos_off[kj + 1]; b++)
                if (pj->pos[b] == p0 + j) {
                    ok = 1;
                    break;
                }
        }
        if (ok)
            return 1;
    }
    return 0;
}

static int has_word(const query *q, int w, uint32_t d)
{
    const fh_plist *p = q->words[w].pl;
    if (!p)
        return 0;
    uint32_t k = seek(p, 0, d);
    return k < p->n && p->doc[k] == d;
}

typedef struct hitrec {
    uint32_t doc;
    double score;
} hitrec;

/* min-heap on score (ties: larger doc id is "smaller", so earlier docs win) */
static int worse(const hitrec *a, const hitrec *b)
{
    return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

static void heap_push(hitrec *h, size_t *n, size_t cap, hitrec x)
{
    if (*n < cap) {
        size_t i = (*n)++;
        h[i] = x;
        while (i > 0 && worse(&h[i], &h[(i - 1) / 2])) {
            hitrec t = h[i];
            h[i] = h[(i - 1) / 2];
            h[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
    } else if (worse(&h[0], &x)) {
        h[0] = x;
        size_t i = 0;
        for (;;) {
            size_t l = 2 * i + 1, r = l + 1, m = i;
            if (l < *n && worse(&h[l], &h[m]))
                m = l;
            if (r < *n && worse(&h[r], &h[m]))
                m = r;
            if (m == i)
                break;
            hitrec t = h[i];
            h[i] = h[m];
            h[m] = t;
            i = m;
        }
    }
}

static int by_ub(const void *a, const void *b)
{
    const qterm *x = a, *y = b;
    return (x->ub > y->ub) - (x->ub < y->ub);
}


/* Filters that do not depend on scoring: live, date, source, exclusions,
 * required phrases. */
static int passes(const fh_index *ix, const query *q, uint32_t d, uint32_t date_lo,
                  uint32_t date_hi)
{
    if (d >= ix->nmeta || ix->meta[d].tl < 0)
        return 0;
    const fh_docmeta *m = &ix->meta[d];
    if (date_lo > 0 || date_hi < 99991231) {
        if (m->date == 0 || m->date < date_lo || m->date > date_hi)
            return 0;
    }
    if (q->source_filter && m->source != q->source_filter)
        return 0;
    for (uint32_t k = 0; k < q->nneg; k++)
        if (has_word(q, q->neg_word[k], d))
            return 0;
    for (uint32_t k = 0; k < q->nph; k++) {
        const qphrase *ph = &q->ph[k];
        if (ph->soft)
            continue;
        int in = ph->n == 1 ? has_word(q, ph->idx[0], d) : phrase_in(q, ph, d, (uint32_t)m->tl);
        if (ph->n == 1 && in && ph->title_only)
            in = phrase_in(q, ph, d, (uint32_t)m->tl);
        if (in == ph->neg)
            return 0;
    }
    return 1;
}

/*
 * Proximity.  Among the best PROX_POOL documents by BM25, those where query
 * words stand next to each other as in the query ("جرف الصخر", a headline's
 * word pairs) gain PROX_WEIGHT times the pair's mean idf for each such
 * pair: a pasted headline finds its article, not every article that shares
 * its words.  Stopwords count in pairs (بيت في) but weigh little (low idf).
 */
#ifndef PROX_POOL
#define PROX_POOL 30
#endif
#ifndef PROX_WEIGHT
#define PROX_WEIGHT 0.5
#endif

/*
 * Nearness.  Word order is free in Arabic (ولد ترامب في نيويورك for أين ولد
 * ترامب) and a question puts its words otherwise than the answer does, so
 * two query words that stand within NEAR_DIST places of each other, in
 * either order but not adjacent as in the query, gain NEAR_WEIGHT of what
 * adjacency gains; so do two query words one apart in the query.  Measured
 * (dev, MRR@10, QA / known-item): without 0.8485 / 0.6988; with weight 0.5
 * and distance 2, 0.8500 / 0.6993; weights 0.25-0.6 and distance 3 all lie
 * between (RESULTS.md).
 */
#ifndef NEAR_WEIGHT
#define NEAR_WEIGHT 0.5
#endif
#define NEAR_DIST 2

/* How a (its entry ka) and b (its entry kb), both in one document, stand:
 * ADJACENT if b comes right after a somewhere, else NEAR if they stand
 * within NEAR_DIST places of each other in either order, else 0.  One
 * merge of the two position lists (both increasing) serves both. */
enum { NEAR = 1, ADJACENT = 2 };
static int placed(const fh_plist *a, uint32_t ka, const fh_plist *b, uint32_t kb)
{
    const uint32_t *pa = a->pos + a->pos_off[ka], *ea = a->pos + a->pos_off[ka + 1];
    const uint32_t *pb = b->pos + b->pos_off[kb], *eb = b->pos + b->pos_off[kb + 1];
    int near = 0;
    while (pa < ea && pb < eb) {
        uint32_t x = *pa, y = *pb, d = x > y ? x - y : y - x;
        if (y == x + 1)
            return ADJACENT;
        near |= d && d <= NEAR_DIST;
        if (x < y)
            pa++;
        else
            pb++;
    }
    return near ? NEAR : 0;
}

#ifndef LEAD_WEIGHT
#define LEAD_WEIGHT 3.0
#endif
#define LEAD_TOKENS 60
/* a query word among the first START_TOKENS words of the body gains
 * START_WEIGHT times its idf: an article or passage that opens with what the
 * query names is about it */
#ifndef START_WEIGHT
#define START_WEIGHT 0.3
#endif
#define START_TOKENS 8
#ifndef TITLE_FULL_WEIGHT
#define TITLE_FULL_WEIGHT 1.0
#endif

/* 1 if the term (entry ka of a) occurs in the title or the first LEAD_TOKENS
 * tokens of its document's body (positions increase: the first decides). */
static int in_lead(const fh_plist *a, uint32_t ka, uint32_t title_len)
{
    if (a->pos_off[ka] == a->pos_off[ka + 1])
        return 0;
    return a->pos[a->pos_off[ka]] < title_len + FH_FIELD_GAP + LEAD_TOKENS;
}

/* 1 if the term (entry ka of a) is among the first START_TOKENS tokens of
 * its document's body. */
static int opens_with(const fh_plist *a, uint32_t ka, uint32_t title_len)
{
    const uint32_t *p = a->pos + a->pos_off[ka], *e = a->pos + a->pos_off[ka + 1];
    while (p < e && *p < title_len) /* title positions come first */
        p++;
    return p < e && *p < title_len + FH_FIELD_GAP + START_TOKENS;
}

/* BM25's idf of a term in df of N documents. */
static double idf_of(double N, uint64_t df)
{
    return log(1 + (N - (double)df + 0.5) / ((double)df + 0.5));
}

static int by_rank(const void *a, const void *b)
{
    const hitrec *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

static int by_doc(const void *a, const void *b)
{
    const hitrec *x = a, *y = b;
    return (x->doc > y->doc) - (x->doc < y->doc);
}

/* The hits h[0..n) in increasing id order, or (rank_order) best first (as
 * by_doc, by_rank): an insertion sort for the few dozen hits of a usual
 * search, whose qsort cost more in calls through a pointer than in
 * comparisons; qsort beyond.  Both orders are total: any sort gives the
 * same. */
static void sort_hits(hitrec *h, size_t n, int rank_order)
{
    if (n > 64) {
        qsort(h, n, sizeof *h, rank_order ? by_rank : by_doc);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        hitrec x = h[i];
        size_t j = i;
        if (rank_order)
            while (j > 0 && (h[j - 1].score < x.score ||
                             (h[j - 1].score == x.score && h[j - 1].doc > x.doc))) {
                h[j] = h[j - 1];
                j--;
            }
        else
            while (j > 0 && h[j - 1].doc > x.doc) {
                h[j] = h[j - 1];
                j--;
            }
        h[j] = x;
    }
}

/* Entry of document d in p from cursor *c on (documents come in increasing
 * order), or UINT32_MAX when d is not in p. */
static uint32_t entry(const fh_plist *p, uint32_t *c, uint32_t d)
{
    if (!p)
        return UINT32_MAX;
    *c = seek(p, *c, d);
    return *c < p->n && p->doc[*c] == d ? *c : UINT32_MAX;
}

/* The entries of the documents h[0..nh) (in increasing id order) in p,
 * out[i * stride], UINT32_MAX where absent (or p NULL).  In two passes: the
 * run of FH_SKIP ids that would hold each document is found in the skip ids
 * (small, cached) and prefetched, then each run is searched, so that the
 * cache misses of thirty look-ups overlap instead of coming one after the
 * other. */
static void find_entries(const fh_plist *p, const hitrec *h, size_t nh, uint32_t *out,
                         size_t stride)
{
    if (!p) {
        for (size_t i = 0; i < nh; i++)
            out[i * stride] = UINT32_MAX;
        return;
    }
    if (!p->skip) { /* a short list */
        uint32_t c = 0;
        for (size_t i = 0; i < nh; i++)
            out[i * stride] = entry(p, &c, h[i].doc);
        return;
    }
    uint32_t nb = (p->n + FH_SKIP - 1) / FH_SKIP, b = 0;
    for (size_t i = 0; i < nh; i++) {
        uint32_t d = h[i].doc;
        if (p->skip[0] > d) {
            out[i * stride] = UINT32_MAX;
            continue;
        }
        /* the last run from b on whose first id is <= d (ids increase, and
         * are below UINT32_MAX: d + 1 does not wrap) */
        b = gallop_ge(p->skip, nb, b, d + 1) - 1;
        out[i * stride] = b;
        __builtin_prefetch(&p->doc[(size_t)b * FH_SKIP]);
        __builtin_prefetch(&p->doc[(size_t)b * FH_SKIP + FH_SKIP / 2]);
    }
    for (size_t i = 0; i < nh; i++) {
        uint32_t r = out[i * stride], d = h[i].doc;
        if (r == UINT32_MAX)
            continue;
        uint32_t l = r * FH_SKIP, e = l + FH_SKIP < p->n ? l + FH_SKIP : p->n;
        if (p->doc[l] != d) /* doc[l] < d < the next run's first id */
            l = bsearch_ge(p->doc, l, e, d);
        out[i * stride] = l < e && p->doc[l] == d ? l : UINT32_MAX;
    }
}

/* The bonuses among the best documents: the words as written (exact forms),
 * preferred phrases, words in the lead and at the very start of the body,
 * a title made only of query words
 * (TITLE_FULL_WEIGHT times their idf), adjacent query words.  The documents
 * are visited in id order so that each list is walked once, forward. */
static int rerank(fh_index *ix, query *q, const scorer *sc, hitrec *h, size_t nh)
{
    if (q->nseq < 2 && q->nph == 0 && q->nexact == 0)
        return FH_OK;
    double N = (double)ix->live;
    /* Three passes over the documents: their entries in every list (see
     * find_entries), then the positions of those entries fetched ahead
     * (prefetch), then the bonuses.  The entries and positions of thirty
     * documents lie anywhere in long lists, and looked up one after the
     * other each waited for its cache miss: most of a title query's rerank
     * time. */
    size_t nl = (size_t)q->nexact + q->nseq; /* lists per document */
    uint32_t *ent = malloc((nh * nl + 1) * sizeof *ent); /* ent[i * nl + x]: entry or UINT32_MAX */
    double *widf = malloc((q->nseq ? q->nseq : 1) * sizeof *widf);
    if (!ent || !widf) {
        free(ent);
        free(widf);
        return FH_ENOMEM;
    }
    for (uint32_t j = 0; j < q->nseq; j++) {
        const fh_plist *a = q->words[q->seq[j]].pl;
        widf[j] = a ? idf_of(N, a->df) : 0;
    }
    sort_hits(h, nh, 0);
    for (size_t i = 0; i < nh; i++) /* read with the bonuses */
        __builtin_prefetch(&ix->meta[h[i].doc]);
    for (uint32_t k = 0; k < q->nexact; k++) {
        const fh_plist *p = q->exact[k].pl;
        find_entries(p, h, nh, ent + k, nl);
        for (size_t i = 0; i < nh; i++)
            if (ent[i * nl + k] != UINT32_MAX)
                __builtin_prefetch(&p->tt[ent[i * nl + k]]), __builtin_prefetch(&p->tb[ent[i * nl + k]]);
    }
    for (uint32_t j = 0; j < q->nseq; j++) {
        const fh_plist *a = q->words[q->seq[j]].pl;
        uint32_t x = q->nexact + j;
        find_entries(a && a->pos_off ? a : NULL, h, nh, ent + x, nl);
        for (size_t i = 0; i < nh; i++)
            if (ent[i * nl + x] != UINT32_MAX)
                __builtin_prefetch(&a->pos_off[ent[i * nl + x]]);
    }
    for (size_t i = 0; i < nh; i++)
        for (uint32_t j = 0; j < q->nseq; j++) {
            uint32_t x = ent[i * nl + q->nexact + j];
            if (x != UINT32_MAX) {
                const fh_plist *a = q->words[q->seq[j]].pl;
                __builtin_prefetch(&a->pos[a->pos_off[x]]);
            }
        }
    for (size_t i = 0; i < nh; i++) {
        double bonus = 0;
        uint32_t d = h[i].doc;
        const uint32_t *ee = ent + i * nl, *we = ee + q->nexact;
        uint32_t tl = (uint32_t)ix->meta[d].tl;
        double dl = ix->opt.title_weight * ix->meta[d].tl + ix->meta[d].bl;
        for (uint32_t k = 0; k < q->nexact; k++) { /* the words as written */
            const qterm *e = &q->exact[k];
            uint32_t c = ee[k];
            if (c != UINT32_MAX)
                h[i].score += ix->opt.exact_weight *
                              bm25(sc, e->idf, tfw(sc, e, e->pl->tt[c], e->pl->tb[c]), dl);
        }
        for (uint32_t k = 0; k < q->nph; k++) { /* preferred phrases found */
            const qphrase *ph = &q->ph[k];
            if (ph->soft && ph->n > 1 && phrase_in(q, ph, d, tl))
                for (uint32_t j = 0; j < ph->n; j++) {
                    const fh_plist *a = q->words[ph->idx[j]].pl;
                    if (a)
                        bonus += idf_of(N, a->df);
                }
        }
        for (uint32_t j = 0; j < q->nseq; j++) {
            const fh_plist *a = q->words[q->seq[j]].pl;
            if (we[j] != UINT32_MAX && in_lead(a, we[j], tl))
                h[i].score += LEAD_WEIGHT * widf[j] / q->nseq;
            if (we[j] != UINT32_MAX && opens_with(a, we[j], tl))
                h[i].score += START_WEIGHT * widf[j];
        }
        {
            /* the whole title among the query's words: the document is
             * about what the query names (خيبر for أين تقع مدينة خيبر) */
            uint32_t covered = 0;
            double tidf = 0;
            for (uint32_t j = 0; j < q->nseq; j++) {
                const fh_plist *a = q->words[q->seq[j]].pl;
                if (we[j] == UINT32_MAX)
                    continue;
                uint32_t k = 0;
                for (const uint32_t *p = a->pos + a->pos_off[we[j]],
                                    *e = a->pos + a->pos_off[we[j] + 1];
                     p < e && *p < tl; p++)
                    k++;
                if (k) {
                    int dup = 0;
                    for (uint32_t z = 0; z < j; z++)
                        dup |= q->words[q->seq[z]].pl == a;
                    if (!dup) {
                        covered += k;
                        tidf += widf[j];
                    }
                }
            }
            if (tl > 0 && covered >= tl)
                h[i].score += TITLE_FULL_WEIGHT * tidf;
        }
        /* query words next to each other (g 1), and one apart (g 2: ولد
         * دونالد ترامب, ولد ترامب), which can only be near */
        for (uint32_t g = 1; g <= 2; g++)
            for (uint32_t j = 0; j + g < q->nseq; j++) {
                const fh_plist *a = q->words[q->seq[j]].pl, *b = q->words[q->seq[j + g]].pl;
                if (we[j] == UINT32_MAX || we[j + g] == UINT32_MAX || (g == 2 && a == b))
                    continue;
                int how = placed(a, we[j], b, we[j + g]);
                if (how == ADJACENT && g == 1)
                    bonus += (widf[j] + widf[j + 1]) / 2;
                else if (how)
                    bonus += NEAR_WEIGHT * (widf[j] + widf[j + g]) / 2;
            }
        h[i].score += PROX_WEIGHT * bonus;
    }
    free(widf);
    free(ent);
    return FH_OK;
}

/*
 * The term's exact bound: its largest tf (k1 + 1) / (tf + kn) over the live
 * documents, times 1 + 1e-9 so that the rounding of the scoring expression
 * never puts a document above it.  Much tighter than a bound from the
 * largest tf and the shortest document, which come from different documents;
 * computed once per decoded list (one pass) and kept with it, and with it,
 * for title + body, each posting's ratio (pl->ratio; the bound is taken from
 * the ratios as stored, so it bounds the scores made from them).
 */

static double best_ratio(const fh_index *ix, const scorer *sc, const qterm *t)
{
    fh_plist *pl = (fh_plist *)t->pl; /* the cache's own list: one thread per index */
    int w = t->title_only ? 1 : 0;
    if (!pl->best_set[w]) {
        /* title + body: the ratios are kept (NULL if memory ran out) */
        if (!w && !pl->ratio)
            pl->ratio = malloc((pl->n ? pl->n : 1) * sizeof *pl->ratio);
        float *ra = w ? NULL : pl->ratio;
        /* with the ratios, each window's best (NULL if memory ran out: the
         * list's bound serves every window) */
        uint32_t nw = (ix->nmeta + MAXSCORE_WINDOW - 1) / MAXSCORE_WINDOW;
        if (ra && nw && !pl->wmax && (pl->wmax = calloc(nw, sizeof *pl->wmax)))
            pl->nwmax = nw;
        float *wm = ra ? pl->wmax : NULL;
        double best = 0;
        for (uint32_t c = 0; c < pl->n; c++) {
            uint32_t d = pl->doc[c];
            double r = -1; /* deleted */
            if (d < ix->nmeta && ix->knorm[d] >= 0) {
                double tf = tfw(sc, t, pl->tt[c], pl->tb[c]);
                r = tf * (sc->k1 + 1) / (tf + ix->knorm[d]);
            }
            if (ra)
                r = ra[c] = (float)r; /* the bound is of the ratios as kept */
            if (r > best)
                best = r;
            if (wm && r >= 0 && r > wm[d / MAXSCORE_WINDOW]) /* r >= 0: d < nmeta */
                wm[d / MAXSCORE_WINDOW] = (float)r;
        }
        pl->best[w] = best * (1 + 1e-9);
        pl->best_set[w] = 1;
    }
    return pl->best[w];
}

/* The list's window starts (see fh_plist.wbeg), made at its first use;
 * NULL for a list with no more entries than windows (a seek over it is
 * short) or if memory ran out: the windows' ends are then sought. */
static const uint32_t *win_begins(const fh_index *ix, const qterm *t)
{
    fh_plist *pl = (fh_plist *)t->pl; /* the cache's own list: one thread per index */
    uint32_t nw = (ix->nmeta + MAXSCORE_WINDOW - 1) / MAXSCORE_WINDOW;
    if (!pl->wbeg && pl->n > nw) {
        uint32_t *wb = malloc(((size_t)nw + 1) * sizeof *wb);
        if (!wb)
            return NULL;
        uint32_t c = 0;
        for (uint32_t w = 0; w <= nw; w++) {
            while (c < pl->n && pl->doc[c] / MAXSCORE_WINDOW < w)
                c++;
            wb[w] = c;
        }
        pl->wbeg = wb;
        pl->nwbeg = nw;
    }
    return pl->wbeg;
}

/* The entries [*c, *e) of t's list in window win (ids [base, lim)), from
 * the cursor on. */
static inline void win_span(const qterm *t, uint32_t win, uint32_t base, uint32_t lim,
                            uint32_t *c, uint32_t *e)
{
    if (t->wb && win < t->pl->nwbeg) {
        uint32_t b = t->wb[win], f = t->wb[win + 1];
        *c = t->cur > b ? t->cur : b;
        *e = *c > f ? *c : f;
    } else {
        *c = seek(t->pl, t->cur, base);
        *e = seek(t->pl, *c, lim);
    }
}

/* Add x to window slot j of the accumulator; a slot touched for the first
 * time is a new candidate.  Every slot is 0 until touched, and set back to
 * 0 when its candidate is read, so a touched slot's value is its score so
 * far and nothing needs masking or clearing per window. */
static inline void scatter(double *acc, uint64_t *touched, uint32_t j, double x)
{
    acc[j] += x;
    touched[j >> 6] |= (uint64_t)1 << (j & 63);
}

/* Bits set in x, without the libgcc call __builtin_popcountll becomes on
 * baseline x86-64 (no POPCNT instruction assumed). */
static inline uint32_t popcount64(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555u;
    x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
    return (uint32_t)((x * 0x0101010101010101u) >> 56);
}

/* Top k documents into heap (returned sorted); returns count or < 0. */
static long rank(fh_index *ix, query *q, size_t want, uint32_t date_lo, uint32_t date_hi,
                 int prune, hitrec **out)
{
    size_t k = (q->nseq >= 2 || q->nph || q->nexact) && want < PROX_POOL ? PROX_POOL : want;
    scorer sc = {ix->opt.k1, ix->opt.b, ix->opt.title_weight,
                 ix->opt.title_weight * ix->avg_tl + ix->avg_bl};
    if (sc.avg <= 0)
        sc.avg = 1;
    double N = (double)ix->live;
    int st;
    /* postings for words (phrases, exclusions) */
    for (uint32_t i = 0; i < q->nw; i++) {
        q->words[i].pl = fh_index_postings(ix, q->words[i].key, q->words[i].len, &st);
        if (st != FH_OK)
            return st;
    }
    for (uint32_t i = 0; i < q->nexact; i++) {
        qterm *e = &q->exact[i];
        e->pl = fh_index_postings(ix, e->key, e->len, &st);
        if (st != FH_OK)
            return st;
        if (e->pl)
            e->idf = log(1 + (N - (double)e->pl->df + 0.5) / ((double)e->pl->df + 0.5));
    }
    /* scoring terms: postings, idf, upper bounds; stopwords out unless alone */
    uint32_t nonstop = 0;
    for (uint32_t i = 0; i < q->nt; i++)
        nonstop += !q->t[i].stop;
    uint32_t n = 0;
    for (uint32_t i = 0; i < q->nt; i++) {
        qterm *t = &q->t[i];
        if (nonstop && t->stop)
            continue;
        t->pl = fh_index_postings(ix, t->key, t->len, &st);
        if (st != FH_OK)
            return st;
        if (!t->pl)
            continue;
        double df = (double)t->pl->df;
        t->idf = log(1 + (N - df + 0.5) / (df + 0.5));
        if (t->idf < 1e-6)
            t->idf = 1e-6;
        t->idf *= t->weight;
        t->ub = t->idf * best_ratio(ix, &sc, t);
        t->cur = 0;
        t->wb = win_begins(ix, t);
        q->t[n++] = *t;
    }
    hitrec *heap = malloc((k ? k : 1) * sizeof *heap);
    if (!heap)
        return FH_ENOMEM;
    size_t nh = 0;
    if (n == 0) {
        *out = heap;
        return 0;
    }
    qsort(q->t, n, sizeof *q->t, by_ub);
    double *prefix = malloc(n * sizeof *prefix); /* prefix[i] = ub[0] + ... + ub[i] */
    if (!prefix) {
        free(heap);
        return FH_ENOMEM;
    }
    for (uint32_t i = 0; i < n; i++)
        prefix[i] = q->t[i].ub + (i ? prefix[i - 1] : 0);
    /*
     * MaxScore, one window of WIN document ids at a time.  Terms
     * [first_ess, n) are essential: a document none of them contains cannot
     * beat the k-th score theta; inside a window, by the terms' bounds in that
     * window, often more terms are not.  In each window the essential terms' postings
     * are added term by term into a small accumulator (a scatter, cheap per
     * posting), then each document touched is completed with the non-essential
     * terms, best bound first, while it can still make the top k.  Like
     * document-at-a-time MaxScore it is safe: the top k are those of an
     * exhaustive evaluation.  first_ess only grows between windows, and the
     * scatter costs a few instructions per posting where finding the next
     * candidate across the lists cost tens.
     */
#ifndef SCATTER_AHEAD
#define SCATTER_AHEAD 128 /* postings: 512 bytes of ids and of ratios */
#endif
/* A non-essential term with at most this many postings in the window per
 * candidate is scattered (to the touched slots), the others sought per
 * candidate.  A look-up costs a few cache misses where a posting scattered
 * costs a few instructions: on the dev titles 4 and 8 did best (1: ~900
 * candidates a query looked up, the completing phase twice as long). */
#ifndef SCATTER_RATIO
#define SCATTER_RATIO 4
#endif
    enum { WIN = MAXSCORE_WINDOW };
    /* the window's scratch, allocated once per handle: the accumulator
     * (zeros between searches, see scatter), then a window's candidates'
     * scores so far and ids (see below) */
    if (!ix->win)
        ix->win = calloc(WIN, 2 * sizeof(double) + sizeof(uint32_t));
    double *acc = ix->win, *cs = acc + WIN;
    uint32_t *cd = (uint32_t *)(void *)(cs + WIN);
    uint64_t touched[WIN / 64];
    uint32_t *sk = malloc(n * sizeof *sk);
    double *rem = malloc((n + 1) * sizeof *rem);
    double *wub = malloc(n * sizeof *wub); /* each term's bound in the window */
    if (!acc || !sk || !rem || !wub) {
        free(sk);
        free(rem);
        free(wub);
        free(prefix);
        free(heap);
        return FH_ENOMEM;
    }
    /* a document enters the accumulator only through a live check (a ratio
     * >= 0, or its knorm >= 0), so without filters passes() has nothing to
     * say, and its look-up of the document's row of meta was a cache miss
     * per candidate */
    int filtered = date_lo > 0 || date_hi < 99991231 || q->source_filter || q->nneg;
    for (uint32_t i = 0; i < q->nph; i++)
        filtered |= !q->ph[i].soft;
    uint32_t first_ess = 0;
    double theta = 0;
    int full = 0; /* prune && the heap holds k: theta is a bar to pass */
    const double k1p = sc.k1 + 1;
    for (uint32_t base = 0;; base += WIN) {
        /* skip empty windows: start at the smallest essential doc */
        uint32_t dmin = UINT32_MAX;
        for (uint32_t i = first_ess; i < n; i++)
            if (q->t[i].cur < q->t[i].pl->n && q->t[i].pl->doc[q->t[i].cur] < dmin)
                dmin = q->t[i].pl->doc[q->t[i].cur];
        if (dmin == UINT32_MAX)
            break;
        if (dmin >= base + WIN)
            base = dmin - dmin % WIN;
        uint64_t lim = (uint64_t)base + WIN;
        /* the window's own bounds (each term's best ratio in it): in the
         * order of the list-wide bounds (the commonest words first), the
         * longest run whose window bounds add up to no more than theta is
         * non-essential here, at least the terms [0, first_ess) and often
         * more (a term's best posting is in one window, not in all) */
        uint32_t win = base / WIN;
        for (uint32_t i = 0; i < n; i++) {
            const qterm *t = &q->t[i];
            const fh_plist *pl = t->pl;
            wub[i] = !t->title_only && pl->wmax && win < pl->nwmax
                         ? t->idf * pl->wmax[win] * (1 + 1e-9)
                         : t->ub;
            if (t->wb && win + 2 <= pl->nwbeg) {
                /* the next window's first lines of ids and ratios, where
                 * each list's stream restarts cold */
                uint32_t c = t->wb[win + 1];
                __builtin_prefetch(&pl->doc[c]);
                __builtin_prefetch(&pl->doc[c + 16]);
                if (pl->ratio) {
                    __builtin_prefetch(&pl->ratio[c]);
                    __builtin_prefetch(&pl->ratio[c + 16]);
                }
            }
        }
        uint32_t ness = 0; /* terms [0, ness) are non-essential in this window */
        uint32_t lim32 = (uint32_t)(lim > UINT32_MAX ? UINT32_MAX : lim);
        if (full) {
            double sum = 0;
            while (ness < n && sum + wub[ness] <= theta)
                sum += wub[ness++];
        }
        memset(touched, 0, sizeof touched);
        for (uint32_t i = ness; i < n; i++) {
            qterm *t = &q->t[i];
            const fh_plist *pl = t->pl;
            uint32_t c, e;
            win_span(t, win, base, lim32, &c, &e);
            const double idf = t->idf;
            const float *ra = t->title_only ? NULL : pl->ratio;
            const uint32_t *doc = pl->doc;
            if (ra) { /* the ratios made */
                /* 16 postings at a time (a cache line of ids, one of
                 * ratios), each line fetched ahead of the hardware's
                 * prefetching, which a window's few lines of each list
                 * leave little time to start */
                for (; c + 16 <= e; c += 16) {
                    __builtin_prefetch(&doc[c + SCATTER_AHEAD]);
                    __builtin_prefetch(&ra[c + SCATTER_AHEAD]);
                    for (uint32_t x = c; x < c + 16; x++)
                        if (ra[x] >= 0) /* a live document */
                            scatter(acc, touched, doc[x] - base, idf * ra[x]);
                }
                for (; c < e; c++)
                    if (ra[c] >= 0)
                        scatter(acc, touched, doc[c] - base, idf * ra[c]);
            } else {
                for (; c < e; c++) {
                    uint32_t d = doc[c];
                    float kn = d < ix->nmeta ? ix->knorm[d] : -1.0f;
                    if (kn >= 0) { /* a live document */
                        double tf = tfw(&sc, t, pl->tt[c], pl->tb[c]);
                        scatter(acc, touched, d - base, idf * tf * k1p / (tf + kn));
                    }
                }
            }
            t->cur = e;
        }
        uint32_t ncand = 0; /* documents touched */
        for (uint32_t w = 0; w < WIN / 64; w++)
            ncand += popcount64(touched[w]);
        /* non-essential terms, best bound first: one with few postings in
         * this window beside the documents touched is added by the same
         * scatter, to the touched documents only (no new candidates); the
         * others are sought per document below, while it can still make it */
        uint32_t nsk = 0; /* sought terms: sk[0..nsk), best bound first */
        for (uint32_t i = ness; i-- > 0;) {
            qterm *t = &q->t[i];
            const fh_plist *pl = t->pl;
            uint32_t c, e;
            win_span(t, win, base, lim32, &c, &e);
            if (e - c > SCATTER_RATIO * ncand) {
                t->cur = c;
                rem[nsk] = wub[i]; /* the window's bound, summed below */
                sk[nsk++] = i;
                continue;
            }
            const double idf = t->idf;
            if (!t->title_only && pl->ratio) {
                /* added to every slot, masked to 0 where no essential term
                 * touched it (an untouched slot stays 0) */
                for (; c < e; c++) {
                    uint32_t j = pl->doc[c] - base;
                    uint64_t keep = (uint64_t)0 - ((touched[j >> 6] >> (j & 63)) & 1), xb;
                    double v = idf * pl->ratio[c];
                    memcpy(&xb, &v, sizeof xb);
                    xb &= keep;
                    memcpy(&v, &xb, sizeof v);
                    acc[j] += v;
                }
            }
            for (; c < e; c++) {
                uint32_t j = pl->doc[c] - base;
                if (!(touched[j >> 6] & ((uint64_t)1 << (j & 63))))
                    continue;
                double tf = tfw(&sc, t, pl->tt[c], pl->tb[c]);
                acc[j] += idf * tf * k1p / (tf + ix->knorm[pl->doc[c]]);
            }
            t->cur = e;
        }
        /* rem[x]: the window's bound of the sought terms sk[x..nsk) */
        rem[nsk] = 0;
        for (uint32_t x = nsk; x-- > 0;)
            rem[x] += rem[x + 1];
        /* the candidates that can still make the top k whatever the sought
         * terms add, into cd/cs without a branch (most cannot, but which
         * ones is unpredictable), each slot set back to 0 */
        uint32_t m = 0;
        {
            const double r0 = rem[0], th = theta;
            const uint32_t open = !full;
            for (uint32_t w = 0; w < WIN / 64; w++) {
                uint64_t bits = touched[w];
                while (bits) {
                    uint32_t j = w * 64 + (uint32_t)__builtin_ctzll(bits);
                    bits &= bits - 1;
                    double s = acc[j];
                    acc[j] = 0;
                    cd[m] = base + j;
                    cs[m] = s;
                    m += open | (s + r0 > th);
                }
            }
        }
        for (uint32_t i = 0; i < m; i++) {
            double s = cs[i];
            uint32_t d = cd[i];
            if (full && s + rem[0] <= theta)
                continue; /* theta rose since */
            for (uint32_t x = 0; x < nsk; x++) {
                if (full && s + rem[x] <= theta)
                    break;
                qterm *t = &q->t[sk[x]];
                t->cur = seek(t->pl, t->cur, d);
                if (t->cur < t->pl->n && t->pl->doc[t->cur] == d) {
                    if (!t->title_only && t->pl->ratio) {
                        s += t->idf * t->pl->ratio[t->cur];
                    } else {
                        double tf = tfw(&sc, t, t->pl->tt[t->cur], t->pl->tb[t->cur]);
                        s += t->idf * tf * k1p / (tf + ix->knorm[d]);
                    }
                }
            }
            if (s <= 0 || (nh == k && s <= theta))
                continue;
            if (filtered && !passes(ix, q, d, date_lo, date_hi))
                continue;
            hitrec hr = {d, s};
            heap_push(heap, &nh, k, hr);
            if (nh == k) {
                theta = heap[0].score;
                full = prune;
            }
        }
        if (full) {
            while (first_ess < n && prefix[first_ess] <= theta)
                first_ess++;
            if (first_ess >= n)
                break; /* no document can enter any more */
        }
    }
    free(sk);
    free(rem);
    free(wub);
    free(prefix);
    if ((st = rerank(ix, q, &sc, heap, nh)) != FH_OK) {
        free(heap);
        return st;
    }
    sort_hits(heap, nh, 1);
    if (nh > want)
        nh = want;
    *out = heap;
    return (long)nh;
}

/* ------------------------------------------------------------------ */
/* Snippets                                                            */
/* ------------------------------------------------------------------ */

typedef struct hlctx {
    const query *q;
    fh_span *m; /* matched token spans in the text */
    size_t n, cap;
    int oom;
} hlctx;

static int key_eq(const char *key, char space, const char *s, size_t n)
{
    return key[0] == space && strlen(key + 1) == n && !memcmp(key + 1, s, n);
}

static int on_hltok(void *ctx, const fh_token *t)
{
    hlctx *h = ctx;
    int hit = 0;
    for (uint32_t i = 0; !hit && i < h->q->nhl; i++)
        hit = key_eq(h->q->hl[i], FH_SPACE_STEM, t->stem, t->stem_len) ||
              key_eq(h->q->hl[i], FH_SPACE_WORD, t->norm, t->norm_len);
    for (uint32_t i = 0; !hit && i < h->q->nhlp; i++) {
        size_t pl = strlen(h->q->hlprefix[i] + 1);
        hit = t->norm_len >= pl && !memcmp(t->norm, h->q->hlprefix[i] + 1, pl);
    }
    if (!hit)
        return 0;
    if (h->n == h->cap) {
        size_t nc = h->cap ? h->cap * 2 : 64;
        fh_span *nm = realloc(h->m, nc * sizeof *nm);
        if (!nm) {
            h->oom = 1;
            return 1;
        }
        h->m = nm;
        h->cap = nc;
    }
    h->m[h->n].start = t->start;
    h->m[h->n].end = t->end;
    h->n++;
    return 0;
}

/* Step back to a UTF-8 character start. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/*
 * Choose the window of about `want` bytes of body holding the most matches,
 * widened to word boundaries; write it (with "…" where cut) into *snip and
 * the matches inside it, relative to the snippet, into *spans.
 */
static int make_snippet(fh_index *ix, const query *q, const char *body, size_t blen, size_t want,
                        char **snip, fh_span **spans, size_t *nspans)
{
    hlctx h = {q, NULL, 0, 0, 0};
    fh_analyze(ix->an, body, blen, on_hltok, &h);
    if (h.oom) {
        free(h.m);
        return FH_ENOMEM;
    }
    size_t ws = 0, we = blen < want ? blen : want;
    if (h.n > 0 && blen > want) {
        size_t best = 0, bi = 0;
        for (size_t i = 0, j = 0; i < h.n; i++) {
            while (j < h.n && h.m[j].end <= h.m[i].start + want)
                j++;
            if (j - i > best) {
                best = j - i;
                bi = i;
            }
        }
        /* start a little before the first match of the best window */
        size_t lead = want / 5;
        ws = h.m[bi].start > lead ? h.m[bi].start - lead : 0;
        we = ws + want < blen ? ws + want : blen;
        if (we - ws < want && blen > want)
            ws = blen - want;
    }
    ws = char_start(body, ws);
    we = we < blen ? char_start(body, we) : blen;
    /* widen to spaces so words are whole */
    if (ws > 0) {
        size_t k = ws;
        while (k < we && body[k] != ' ' && body[k] != '\n')
            k++;
        if (k < we)
            ws = k + 1;
    }
    if (we < blen) {
        size_t k = we;
        while (k > ws && body[k - 1] != ' ' && body[k - 1] != '\n')
            k--;
        if (k > ws)
            we = k - 1;
    }
    static const char ell[] = "\xE2\x80\xA6"; /* … */
    size_t pre = ws > 0 ? 3 : 0, post = we < blen ? 3 : 0;
    char *s = malloc(pre + (we - ws) + post + 1);
    if (!s) {
        free(h.m);
        return FH_ENOMEM;
    }
    memcpy(s, ell, pre);
    memcpy(s + pre, body + ws, we - ws);
    memcpy(s + pre + (we - ws), ell, post);
    s[pre + (we - ws) + post] = '\0';
    /* NULs inside the text would cut the string short for C callers */
    for (size_t k = pre; k < pre + (we - ws); k++)
        if (s[k] == '\0')
            s[k] = ' ';
    size_t m = 0;
    for (size_t i = 0; i < h.n; i++)
        if (h.m[i].start >= ws && h.m[i].end <= we) {
            h.m[m].start = h.m[i].start - ws + pre;
            h.m[m].end = h.m[i].end - ws + pre;
            m++;
        }
    *snip = s;
    *spans = h.m;
    *nspans = m;
    return FH_OK;
}

/* ------------------------------------------------------------------ */
/* The entry point                                                     */
/* ------------------------------------------------------------------ */

/* The statement that reads a hit: with its body for a snippet, or without
 * (SQLite reads every column a statement names at each step, and a body
 * is most of a row: several overflow pages). */
static int prep_doc(fh_index *ix, int body)
{
    sqlite3_stmt **st = body ? &ix->st_doc : &ix->st_doc_nobody;
    if (*st)
        return FH_OK;
    if (sqlite3_prepare_v2(ix->db,
                           body ? "SELECT ext_id, title, body, source, url, date FROM docs WHERE id = ?"
                                : "SELECT ext_id, title, NULL, source, url, date FROM docs WHERE id = ?",
                           -1, st, NULL) != SQLITE_OK) {
        fh_index_seterr(ix, "reading documents: %s", sqlite3_errmsg(ix->db));
        return FH_EIO;
    }
    return FH_OK;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

static long search(fh_index *ix, const char *text, fh_search_options o, fh_hit_fn fn,
                   void *ctx)
{
    int st = fh_index_load(ix);
    if (st != FH_OK)
        return st;
    ix->cache_epoch++; /* the lists this search looks up stay cached until it ends */
    query q;
    memset(&q, 0, sizeof q);
    ix->notice[0] = '\0';
    st = parse_query(ix, text, &q);
    if (st != FH_OK) {
        query_free(&q);
        return st;
    }
    uint32_t lo = q.date_lo, hi = q.date_hi, v;
    if (o.since) {
        if (!parse_date(o.since, strlen(o.since), 0, &v)) {
            fh_index_seterr(ix, "bad --since date '%s': use YYYY, YYYY-MM or YYYY-MM-DD", o.since);
            query_free(&q);
            return FH_EINVAL;
        }
        if (v > lo)
            lo = v;
    }
    if (o.until) {
        if (!parse_date(o.until, strlen(o.until), 1, &v)) {
            fh_index_seterr(ix, "bad --until date '%s': use YYYY, YYYY-MM or YYYY-MM-DD", o.until);
            query_free(&q);
            return FH_EINVAL;
        }
        if (v < hi)
            hi = v;
    }
    hitrec *hits = NULL;
    long nh = 0;
    if (q.source_filter >= 0)
        nh = rank(ix, &q, o.limit + o.offset, lo, hi, !o.exhaustive, &hits);
    if (nh < 0) {
        query_free(&q);
        return nh;
    }
    if (!o.ids_only && prep_doc(ix, o.snippets) != FH_OK) {
        free(hits);
        query_free(&q);
        return FH_EIO;
    }
    long delivered = 0;
    for (long i = (long)o.offset; i < nh; i++) {
        fh_hit h;
        memset(&h, 0, sizeof h);
        h.doc = hits[i].doc;
        h.score = hits[i].score;
        h.rank = (size_t)(i - (long)o.offset) + 1;
        h.snippet = "";
        sqlite3_stmt *d = NULL;
        if (o.ids_only) {
            /* from the statistics' own copy: a document deleted by another
             * handle since they were loaded is as in its ranking */
            uint32_t id = hits[i].doc; /* < nmeta: it was ranked */
            uint16_t src = ix->meta[id].source;
            h.ext_id = ix->ext_ids + ix->ext_off[id];
            h.source = src && src <= ix->nsources ? ix->sources[src - 1] : "";
            h.title = h.url = h.date = "";
        } else {
            d = o.snippets ? ix->st_doc : ix->st_doc_nobody;
            sqlite3_bind_int64(d, 1, hits[i].doc);
            if (sqlite3_step(d) != SQLITE_ROW) {
                sqlite3_reset(d);
                continue; /* deleted since the statistics were loaded */
            }
            h.ext_id = col(d, 0);
            h.title = col(d, 1);
            h.source = col(d, 3);
            h.url = col(d, 4);
            h.date = col(d, 5);
        }
        char *snip = NULL;
        fh_span *spans = NULL;
        if (d && o.snippets) {
            const char *body = (const char *)sqlite3_column_blob(d, 2);
            size_t blen = (size_t)sqlite3_column_bytes(d, 2);
            if (make_snippet(ix, &q, body ? body : "", body ? blen : 0, o.snippet_bytes, &snip,
                             &spans, &h.nspans) == FH_OK) {
                h.snippet = snip;
                h.spans = spans;
            }
        }
        int rc = fn(ctx, &h);
        free(snip);
        free(spans);
        if (d)
            sqlite3_reset(d);
        delivered++;
        if (rc)
            break;
    }
    free(hits);
    query_free(&q);
    return delivered;
}

long fh_search(fh_index *ix, const char *text, const fh_search_options *opt, fh_hit_fn fn,
               void *ctx)
{
    if (!ix || !text || !fn)
        return FH_EINVAL;
    fh_search_options o = opt ? *opt : fh_search_options_default();
    if (o.limit == 0)
        return 0;
    if (o.limit > 100000 || o.offset > 100000) {
        fh_index_seterr(ix, "limit and offset are capped at 100,000");
        return FH_EINVAL;
    }
    int began = fh_index_read_begin(ix);
    long r = search(ix, text, o, fn, ctx);
    fh_index_read_end(ix, began);
    return r;
}

const char *fh_search_notice(const fh_index *ix) { return ix ? ix->notice : ""; }
