/*
 * tokenize.c — split text into tokens, normalizing each as it is read.
 *
 * Rules (golden-tested in tests/golden/tokenize.*):
 *  - An Arabic word is a run of Arabic letters, Arabic/Quranic marks and
 *    tatweel; marks never split it.  Bidi and joiner controls (ZWNJ, ZWJ,
 *    LRM, RLM, ALM...) inside a run are skipped, and never end a word.
 *  - A word of another script is a run of letters and combining marks; digits
 *    right after a letter belong to it ("G20", "mp3").  A change of script
 *    (Arabic <-> other) ends a word: "الـCNN" gives "ال" and "cnn".
 *  - A number is a run of digits of any script, with one '.', ',', '٫' or '٬'
 *    allowed between two digits ("3.5", "1,000", "٣٫٥").
 *  - Everything else separates tokens: spaces, punctuation, symbols, '#'
 *    (so a hashtag "#جوني_هاليداي" gives its words), '_' (joined words are
 *    split), control characters, NUL, and invalid UTF-8 units.
 *  - URLs (http://, https://, www.) and e-mail addresses are kept whole, as
 *    one token each (types FH_TOKEN_URL, FH_TOKEN_EMAIL), folded but not
 *    stemmed; trailing sentence punctuation is not part of them.
 *  - A token whose normalized form would exceed the cap (fh_options.max_token,
 *    FH_MAX_TOKEN bytes by default) is cut into pieces at character
 *    boundaries (FH_TOKEN_TRUNCATED, unstemmed).
 *  - A run of marks or tatweel without a letter is no token, whatever the
 *    normalization flags.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "chartab.h"
#include "internal.h"
#include "utf8.h"
#include "wordtab.h"

extern const fh_wordtab fh_lexicon; /* lexicon.c reads it too; see wordtab.h */

typedef struct {
    fh_analyzer *a;
    fh_token_fn fn;
    void *ctx;
    size_t pos;
    size_t nlen;         /* bytes of the token being read, in cur     */
    size_t qhead, qtail; /* tokens queued / delivered so far          */
    char *cur;           /* where the token being read is normalized:
                            the queue's next free slot                */
} tk_state;

#ifdef __SSE2__
/* The SSE2 form of an analyzer's SIMD letters (internal.h): lane value v
 * (big-endian pair) is in range r iff v + bias[r] < top[r] as signed
 * 16-bit numbers; a lane equal to fold[f] (little-endian, as read) is
 * XORed with delta[f] (unused folds: 0, 0, never a letter). */
typedef struct {
    __m128i bias[FH_SIMD_RANGES], top[FH_SIMD_RANGES];
    __m128i fold[FH_SIMD_FOLDS], delta[FH_SIMD_FOLDS];
} simd_ranges;

static void simd_init(const fh_analyzer *a, simd_ranges *r)
{
    for (int k = 0; k < FH_SIMD_RANGES; k++) {
        int on = k < a->nsimd;
        uint16_t lo = on ? a->simd_lo[k] : 0, n = on ? a->simd_len[k] : 0;
        r->bias[k] = _mm_set1_epi16((short)(uint16_t)(0x8000u - lo));
        r->top[k] = _mm_set1_epi16((short)(uint16_t)(0x8000u + n)); /* n - 0x8000 */
    }
    for (int f = 0; f < FH_SIMD_FOLDS; f++) {
        int on = f < a->nfold;
        r->fold[f] = _mm_set1_epi16((short)(on ? a->simd_fold[f] : 0));
        r->delta[f] = _mm_set1_epi16((short)(on ? a->simd_delta[f] : 0));
    }
}

/* How many of the 8 two-byte pairs of v (16 bytes of text) lead with SIMD
 * letters, 0..8; *out is v with those that fold folded. */
static inline __attribute__((always_inline)) unsigned simd_same(const simd_ranges *r, __m128i v,
                                                                __m128i *out)
{
    __m128i w = _mm_or_si128(_mm_slli_epi16(v, 8), _mm_srli_epi16(v, 8));
    __m128i m = _mm_cmplt_epi16(_mm_add_epi16(w, r->bias[0]), r->top[0]);
    for (int k = 1; k < FH_SIMD_RANGES; k++)
        m = _mm_or_si128(m, _mm_cmplt_epi16(_mm_add_epi16(w, r->bias[k]), r->top[k]));
    __m128i d = _mm_and_si128(_mm_cmpeq_epi16(v, r->fold[0]), r->delta[0]);
    for (int f = 1; f < FH_SIMD_FOLDS; f++)
        d = _mm_or_si128(d, _mm_and_si128(_mm_cmpeq_epi16(v, r->fold[f]), r->delta[f]));
    *out = _mm_xor_si128(v, d);
    unsigned bits = (unsigned)_mm_movemask_epi8(m) ^ 0xFFFFu;
    return (unsigned)__builtin_ctz(bits | 0x10000u) >> 1;
}
#endif

/* Decode the code point at s[i] with its class.  Below U+0800 (one or two
 * bytes: all of Arabic) this is one look-up in the analyzer's fast table. */
static inline __attribute__((always_inline)) uint32_t next_cp(const fh_analyzer *a, const unsigned char *s, size_t len, size_t i,
                               size_t *adv, int *cls)
{
    uint32_t cp;
    unsigned c = s[i];
    if (c < 0x80) {
        *adv = 1;
        *cls = a->fast[c].cls;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (s[i + 1] & 0xC0) == 0x80) {
        cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
        *adv = 2;
        *cls = a->fast[cp].cls;
        return cp;
    }
    cp = fh_utf8_next(s + i, len - i, adv);
    if (cp == FH_UTF8_INVALID) {
        *cls = FH_C_SEP;
        return cp;
    }
    *cls = fh_ch(cp)->cls;
    return cp;
}

/* Stem the oldest queued token and hand it to the callback; returns the
 * callback's value. */
static inline __attribute__((always_inline)) int deliver(tk_state *t)
{
    fh_analyzer *a = t->a;
    fh_pending *p = &a->q[t->qtail++ & (FH_QDEPTH - 1)];
    fh_token tok;
    tok.start = p->start;
    tok.end = p->end;
    tok.norm = p->norm;
    tok.norm_len = p->nlen;
    tok.type = p->type;
    tok.flags = p->flags;
    tok.position = t->pos++;
    tok.stem = p->norm;
    tok.stem_len = p->nlen;
    if (p->type == FH_TOKEN_ARABIC && !(p->flags & FH_TOKEN_TRUNCATED)) {
        if (a->opt.stem) {
            int stop;
            /* the common case inline: a known word, default alphabet */
            const unsigned char *e = NULL;
            if (!a->canon && !(e = p->entry))
                e = fh_wordtab_entry_h(&fh_lexicon, p->norm, p->nlen, p->hash);
            if (e && fh_lexicon.has_stems) {
                stop = e[4] & FH_WT_STOPWORD;
                tok.stem_len = e[5];
                tok.stem = (const char *)e + 6;
            } else if (!a->canon) /* not in the lexicon */
                tok.stem = fh_stem_unknown(a, p->norm, p->nlen, p->hash, &tok.stem_len, &stop);
            else
                tok.stem = fh_stem_token(a, p->norm, p->nlen, p->hash, &tok.stem_len, &stop);
            /* without a branch: a third of news words are stopwords, in an
             * order no predictor learns */
            tok.flags |= FH_TOKEN_STOPWORD & (0u - (unsigned)(stop != 0)) &
                         (0u - (unsigned)a->opt.stopwords);
        } else if (a->opt.stopwords) {
            char canon[FH_MAX_TOKEN + FH_FOLD_MAX + 1];
            size_t cn = a->canon ? fh_canonical(p->norm, p->nlen, canon) : 0;
            if (a->canon ? fh_is_stopword(canon, cn) : fh_is_stopword(p->norm, p->nlen))
                tok.flags |= FH_TOKEN_STOPWORD;
        }
    }
    return t->fn(t->ctx, &tok);
}

/* Queue the token just read (normalized in place, t->cur, t->nlen bytes);
 * deliver the oldest when no slot is left for the next token.  Returns the
 * callback's value, if one was called. */
/* 1 if the normalized Arabic token holds at least one letter (it may be
 * marks only when the flags keep marks or tatweel). */
static int has_letter(const fh_analyzer *a, const char *w, size_t n)
{
    const unsigned char *u = (const unsigned char *)w;
    for (size_t i = 0; i < n;) {
        int cls;
        size_t adv;
        (void)next_cp(a, u, n, i, &adv, &cls);
        if (cls == FH_C_ARLET)
            return 1;
        i += adv;
    }
    return 0;
}

static inline __attribute__((always_inline)) int emit_inline(tk_state *t, size_t start,
                                                             size_t end, int type, unsigned flags)
{
    fh_analyzer *a = t->a;
    int rc = 0;
    if (t->nlen == 0)
        return 0;
    if (type == FH_TOKEN_ARABIC && a->keeps_marks && !has_letter(a, t->cur, t->nlen)) {
        t->nlen = 0; /* a run of marks or tatweel alone is no word */
        return 0;
    }
    fh_pending *p = &a->q[t->qhead++ & (FH_QDEPTH - 1)];
    p->start = start;
    p->end = end;
    p->type = type;
    p->flags = flags;
    p->nlen = t->nlen;
    p->entry = NULL;
    p->norm[t->nlen] = '\0';
    t->nlen = 0;
    if (type == FH_TOKEN_ARABIC && a->opt.stem && !(flags & FH_TOKEN_TRUNCATED)) {
        uint32_t h = p->hash = fh_wordhash(p->norm, p->nlen);
        __builtin_prefetch(fh_wt_bucket(&fh_lexicon, h));
        __builtin_prefetch(&fh_lexicon.slots[h & fh_lexicon.mask]);
        __builtin_prefetch(&fh_lexicon.filter[fh_wt_bit1(h) >> 6]);
    }
    if (t->qhead - t->qtail > FH_QAHEAD) {
        fh_pending *r = &a->q[(t->qhead - 1 - FH_QAHEAD) & (FH_QDEPTH - 1)];
        if (r->type == FH_TOKEN_ARABIC && a->opt.stem && !(r->flags & FH_TOKEN_TRUNCATED)) {
            /* a word not in its hot bucket (now in cache): the entry its
             * slot points to, now that the slot is in cache too */
            uint32_t h = r->hash, tag = h & 0xFF000000u;
            if (!(r->entry = fh_wt_hot_find(&fh_lexicon, h, r->norm, r->nlen))) {
                uint32_t sl = fh_lexicon.slots[h & fh_lexicon.mask];
                if (sl && (sl & 0xFF000000u) == tag)
                    __builtin_prefetch(fh_lexicon.pool + ((sl & FH_WT_OFFMASK) - 1));
                else if (a->cache) /* most likely a word the lexicon lacks */
                    __builtin_prefetch(&a->cache[h & (FH_CACHE_SETS - 1)]);
            }
        }
    }
    if (t->qhead - t->qtail == FH_QDEPTH)
        rc = deliver(t);
    t->cur = a->q[t->qhead & (FH_QDEPTH - 1)].norm;
    return rc;
}

static int emit(tk_state *t, size_t start, size_t end, int type, unsigned flags)
{
    return emit_inline(t, start, end, type, flags);
}

/* Deliver every queued token. */
static int flush(tk_state *t)
{
    int rc;
    while (t->qtail != t->qhead)
        if ((rc = deliver(t)))
            return rc;
    return 0;
}

/* Append the folded form of cp (whose bytes are s[i..i+adv)) to dst, which
 * has room for FH_FOLD_MAX bytes. */
static inline __attribute__((always_inline)) size_t fold_into(const fh_analyzer *a, char *dst, uint32_t cp,
                               const unsigned char *src, size_t adv, unsigned flags)
{
    if (cp < FH_FAST_MAX && a->fast[cp].n != FH_FAST_SLOW) {
        memcpy(dst, a->fast[cp].b, sizeof a->fast[cp].b);
        return a->fast[cp].n;
    }
    const fh_chrec *r = fh_ch(cp);
    if (r->nmaps == 0) {
        memcpy(dst, src, adv);
        return adv;
    }
    return fh_fold(cp, flags, dst);
}

static int is_ascii_alnum(unsigned c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int prefix_ci(const unsigned char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++) {
        unsigned c = s[i];
        if (c >= 'A' && c <= 'Z')
            c |= 0x20;
        if (c != (unsigned char)p[i])
            return 0;
    }
    return 1;
}

/* Length of a URL starting at s (n bytes left), or 0. */
static size_t scan_url(const unsigned char *s, size_t n)
{
    size_t k;
    if (prefix_ci(s, n, "https://"))
        k = 8;
    else if (prefix_ci(s, n, "http://"))
        k = 7;
    else if (prefix_ci(s, n, "www."))
        k = 4;
    else
        return 0;
    if (k >= n || !(is_ascii_alnum(s[k]) || s[k] >= 0x80))
        return 0;
    size_t i = k;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '\'' || c == '`' || c == 0x7F)
                break;
            i++;
            continue;
        }
        size_t adv;
        uint32_t cp = fh_utf8_next(s + i, n - i, &adv);
        /* stop at invalid bytes, no-break and ideographic spaces, Arabic
         * punctuation (، ؛ ؟ ۔ ٪ ...), guillemets and typographic quotes */
        if (cp == FH_UTF8_INVALID || cp == 0xA0 || cp == 0x3000 || (cp >= 0x0600 && cp <= 0x061F) ||
            (cp >= 0x066A && cp <= 0x066D) || cp == 0x06D4 || cp == 0xAB || cp == 0xBB ||
            (cp >= 0x2000 && cp <= 0x206F))
            break;
        i += adv;
    }
    /* trailing sentence punctuation belongs to the sentence; a closing
     * bracket stays when the URL opened it (…/wiki/Foo_(bar)) */
    while (i > k && strchr(".,;:!?)]}", s[i - 1])) {
        char close = (char)s[i - 1], open = close == ')' ? '(' : close == ']' ? '[' : '{';
        if (close == ')' || close == ']' || close == '}') {
            size_t opens = 0, closes = 0;
            for (size_t j = 0; j < i; j++) {
                opens += s[j] == (unsigned char)open;
                closes += s[j] == (unsigned char)close;
            }
            if (opens >= closes)
                break;
        }
        i--;
    }
    return i > k ? i : 0;
}

/* Length of an ASCII e-mail address starting at s, or 0. */
static size_t scan_email(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (is_ascii_alnum(s[i]) || strchr("._%+-", s[i])) && s[i])
        i++;
    if (i == 0 || i >= n || s[i] != '@' || i > 64)
        return 0;
    size_t at = i++;
    size_t dots = 0, label = 0, last_dot = 0;
    while (i < n && (is_ascii_alnum(s[i]) || s[i] == '-' || s[i] == '.')) {
        if (s[i] == '.') {
            if (label == 0)
                break;
            dots++;
            last_dot = i;
            label = 0;
        } else
            label++;
        i++;
    }
    if (i > at + 1 && s[i - 1] == '.') { /* sentence full stop */
        i--;
        dots--;
        last_dot = 0;
        for (size_t j = at + 1; j < i; j++)
            if (s[j] == '.')
                last_dot = j;
    }
    if (dots == 0 || last_dot == 0 || i - last_dot < 3)
        return 0;
    return i;
}

/*
 * Read a "span token" (URL or e-mail) of m bytes at s+i: fold every code
 * point, cut into pieces at the cap.
 */
static int span_token(tk_state *t, const unsigned char *s, size_t i, size_t m, int type)
{
    unsigned flags = t->a->opt.norm_flags;
    size_t start = i, end = i + m;
    int rc;
    unsigned trunc = 0;
    while (i < end) {
        size_t adv;
        int cls;
        uint32_t cp = next_cp(t->a, s, end, i, &adv, &cls);
        char tmp[FH_FOLD_MAX];
        size_t n = fold_into(t->a, tmp, cp, s + i, adv, flags);
        if (t->nlen + n > t->a->opt.max_token) {
            trunc = FH_TOKEN_TRUNCATED;
            if ((rc = emit(t, start, i, type, trunc)))
                return rc;
            start = i;
        }
        memcpy(t->cur + t->nlen, tmp, n);
        t->nlen += n;
        i += adv;
    }
    return emit(t, start, end, type, trunc);
}

int fh_analyze(fh_analyzer *a, const char *text, size_t len, fh_token_fn fn, void *ctx)
{
    if (!a || !fn || (!text && len))
        return FH_EINVAL;
    const unsigned char *s = (const unsigned char *)text;
    const unsigned flags = a->opt.norm_flags;
    const size_t cap = a->opt.max_token; /* FH_MIN_TOKEN..FH_MAX_TOKEN */
    tk_state t = {a, fn, ctx, 0, 0, 0, 0, a->q[0].norm};
    size_t i = 0;
    int rc;
#ifdef __SSE2__
    simd_ranges sr;
    simd_init(a, &sr);
#endif

    while (i < len) {
        size_t adv;
        int cls;
        if (s[i] < 0x80 && a->fast[s[i]].cls == FH_C_SEP) { /* spaces, punctuation */
            i++;
            continue;
        }
        uint32_t cp = next_cp(a, s, len, i, &adv, &cls);

        if (cls == FH_C_SEP || cls == FH_C_IGN) {
            i += adv;
            continue;
        }

        if (cls == FH_C_LET || cls == FH_C_DIGIT) {
            if (s[i] < 0x80) {
                size_t m = cls == FH_C_LET ? scan_url(s + i, len - i) : 0;
                if (m) {
                    if ((rc = span_token(&t, s, i, m, FH_TOKEN_URL)))
                        return rc;
                    i += m;
                    continue;
                }
                if ((m = scan_email(s + i, len - i))) {
                    if ((rc = span_token(&t, s, i, m, FH_TOKEN_EMAIL)))
                        return rc;
                    i += m;
                    continue;
                }
            }
        }

        /* a word or a number: which classes continue this run? */
        int type;
        if (cls == FH_C_ARLET || cls == FH_C_ARMARK) {
        arabic: /* s[i] begins an Arabic letter or mark (checked by the caller) */
            type = FH_TOKEN_ARABIC;
        } else if (cls == FH_C_DIGIT)
            type = FH_TOKEN_NUMBER;
        else
            type = FH_TOKEN_WORD;

        size_t start = i, end = i;
        size_t pending = 0; /* bytes of controls folded but not yet committed */
        unsigned trunc = 0;
        t.nlen = 0;
        if (type == FH_TOKEN_ARABIC) {
            /* Fast path for the common case: two-byte Arabic letters and
             * marks (U+0600..U+06FF: D8..DB then a continuation byte).  Runs
             * of letters that fold to themselves are copied in one go; the
             * others fold to at most 2 bytes, so the output never outgrows
             * the input and stays under the cap.  Anything else falls
             * through to the general loop below. */
            size_t nl = 0;
            char *norm = t.cur;
            size_t lim = len - start > cap - 6 ? start + cap - 6 : len;
            const uint8_t *ar2 = a->ar2;
            /* the word is copied as it is scanned: each 16-byte chunk read is
             * stored at the output position (norm has room past the cap), and
             * the letters that fold overwrite their own bytes */
            while (i + 1 < lim) {
#ifdef __SSE2__
                if (len - i >= 16) {
                    /* up to 8 letters that fold to themselves or to
                     * another two-byte letter, folded in the register */
                    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i)), o;
                    size_t k = simd_same(&sr, v, &o), maxp = (lim - i) >> 1;
                    _mm_storeu_si128((__m128i *)(void *)(norm + nl), o);
                    if (k > maxp)
                        k = maxp;
                    i += 2 * k;
                    nl += 2 * k;
                    if (k == 8)
                        continue;
                    if (i + 1 >= lim || s[i] < 0x80)
                        break; /* at the cap, or at a space: the usual end */
                }
#endif
                unsigned u = s[i] | (unsigned)s[i + 1] << 8;
                unsigned c = ar2[u];
                if (c == FH_AR2_SAME) {
                    memcpy(norm + nl, s + i, 2);
                    nl += 2;
                    i += 2;
                    continue;
                }
                if (c != FH_AR2_FOLD)
                    break;
                unsigned k = ((s[i] & 3u) << 6) | (s[i + 1] & 0x3Fu);
                memcpy(norm + nl, a->ar[k].b, 2);
                nl += a->ar[k].n;
                i += 2;
                if (i < len && s[i] < 0x80)
                    break; /* ة or ى then a space: the word ends here */
            }
            t.nlen = nl;
            end = i;
            if (i >= len || (s[i] < 0x80 && a->fast[s[i]].cls == FH_C_SEP) ||
                (i + 1 < len && ar2[s[i] | (unsigned)s[i + 1] << 8] == FH_AR2_SEP)) {
                /* the word ends at a space or punctuation (، and « too):
                 * the usual case (an Arabic word, never truncated here) */
                if ((rc = emit_inline(&t, start, end, FH_TOKEN_ARABIC, 0)))
                    return rc;
                if (i + 2 < len && s[i] == ' ' &&
                    (ar2[s[i + 1] | (unsigned)s[i + 2] << 8] & FH_AR2_LETTER)) {
                    i++; /* one space, then an Arabic word: the commonest case */
                    goto arabic;
                }
                for (;;) { /* the separators, one or two bytes each */
                    if (i < len && s[i] < 0x80 && a->fast[s[i]].cls == FH_C_SEP)
                        i++;
                    else if (i + 1 < len && ar2[s[i] | (unsigned)s[i + 1] << 8] == FH_AR2_SEP)
                        i += 2;
                    else
                        break;
                }
                /* the next word is Arabic too, most often: start it here */
                if (i + 1 < len && (ar2[s[i] | (unsigned)s[i + 1] << 8] & FH_AR2_LETTER))
                    goto arabic;
                continue;
            }
            cp = next_cp(a, s, len, i, &adv, &cls);
        }
        for (;;) {
            int go;
            if (type == FH_TOKEN_ARABIC)
                go = cls == FH_C_ARLET || cls == FH_C_ARMARK;
            else if (type == FH_TOKEN_WORD)
                go = cls == FH_C_LET || cls == FH_C_MARK || cls == FH_C_DIGIT;
            else
                go = cls == FH_C_DIGIT;

            if (go || cls == FH_C_IGN) {
                char *dst = t.cur + t.nlen + pending;
                size_t n = fold_into(a, dst, cp, s + i, adv, flags);
                if (go) {
                    if (t.nlen + pending + n > cap) {
                        /* too long: emit what we have, start a new piece here */
                        trunc = FH_TOKEN_TRUNCATED;
                        char tmp[FH_FOLD_MAX];
                        memcpy(tmp, dst, n);
                        if ((rc = emit(&t, start, end, type, trunc)))
                            return rc;
                        start = i;
                        pending = 0;
                        memcpy(t.cur, tmp, n);
                    }
                    t.nlen += pending + n;
                    pending = 0;
                    end = i + adv;
                } else {
                    pending += n;
                    if (t.nlen + pending > cap)
                        pending = 0; /* a flood of controls: drop them */
                }
                i += adv;
            } else if (type == FH_TOKEN_NUMBER && (cp == '.' || cp == ',' || cp == 0x066B ||
                                                   cp == 0x066C)) {
                /* a decimal or thousands separator between two digits */
                size_t adv2;
                int cls2;
                if (i + adv >= len)
                    break;
                (void)next_cp(a, s, len, i + adv, &adv2, &cls2);
                if (cls2 != FH_C_DIGIT || t.nlen + FH_FOLD_MAX > cap)
                    break;
                pending = 0; /* controls before a separator are dropped */
                t.nlen += fold_into(a, t.cur + t.nlen, cp, s + i, adv, flags);
                i += adv;
                end = i;
            } else {
                break;
            }
            if (i >= len)
                break;
            cp = next_cp(a, s, len, i, &adv, &cls);
        }
        if ((rc = emit(&t, start, end, type, trunc)))
            return rc;
    }
    return flush(&t);
}
