/*
 * internal.h — declarations shared by the library's modules; not installed.
 *
 * Modules and prefixes:
 *   normalize.c  fh_fold, fh_normalize          character folding
 *   tokenize.c   fh_analyze                     word spans + normalized forms
 *   stem.c       fh_stem_word, fh_stem          lexicon-guarded light stemmer
 *   lexicon.c    fh_lex_count                   corpus word counts (generated data)
 *   stopwords.c  fh_is_stopword                 stopword list (generated data)
 *   analyzer.c   fh_analyzer_*, fh_options_*    object, options, errors
 */
#ifndef FH_INTERNAL_H
#define FH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "../include/fahras.h"

/* Most bytes one code point folds to (the longest presentation-form
 * decomposition is 8 letters; case folding gives at most 3 code points). */
#define FH_FOLD_MAX 64

size_t fh_fold(uint32_t cp, unsigned flags, char *out);

/* ---- stem cache: the stems computed for words the lexicon lacks ----
 * Two ways a set, a set one cache line: a word costs one line to look up
 * (and the tokenizer prefetches it for a word its lexicon look-up missed).
 * A way holds the word and, when the stem is not a piece of it, the stem
 * after it: words up to FH_CACHE_KEY bytes. */
#define FH_CACHE_SETS 65536 /* power of two; 4 MB per analyzer */
#define FH_CACHE_KEY 28
#define FH_CACHE_INWORD 0x80 /* flags: the stem is b[soff, soff + slen) */

typedef struct fh_cache_way {
    uint8_t nlen, slen, soff, flags; /* nlen 0: empty; flags: stopword (1),
                                        FH_CACHE_INWORD, FH_CACHE_LRU     */
    char b[FH_CACHE_KEY];
} fh_cache_way;
#define FH_CACHE_LRU 0x40 /* in way 0's flags: way 0 was used last */

typedef struct fh_cache_slot {
    fh_cache_way way[2];
} fh_cache_slot;

/* Per-analyzer fold table for code points below U+0800 (ASCII, Latin,
 * Greek, Cyrillic, Hebrew, Arabic): class and folded bytes under this
 * analyzer's flags, so the tokenizer's hot loop is one look-up a letter. */
#define FH_FAST_MAX 0x800
#define FH_FAST_SLOW 255 /* n: folds to more than 6 bytes, use fh_fold */
typedef struct fh_fast {
    uint8_t cls, n;
    char b[6];
} fh_fast;

/* Tokens wait in a short queue before they are stemmed and delivered, so
 * that the lexicon look-ups of the next few tokens are already in flight
 * (prefetched) when a token's turn comes: the lexicon is megabytes, and a
 * look-up is otherwise a wait on main memory. */
#ifndef FH_QDEPTH
#define FH_QDEPTH 16 /* power of two */
#endif
#ifndef FH_QAHEAD
#define FH_QAHEAD 8 /* pool entries are prefetched this many tokens ahead */
#endif
typedef struct fh_pending {
    size_t start, end, nlen;
    uint32_t hash; /* lexicon hash of norm (Arabic tokens, stemming on) */
    const unsigned char *entry; /* its lexicon entry if found ahead in a hot bucket */
    int type;
    unsigned flags;
    char norm[FH_MAX_TOKEN + FH_FOLD_MAX + 1];
} fh_pending;

/* The same for U+0600..U+06FF only, indexed by the low 8 bits of the code
 * point: ok is 1 for a letter or mark that continues an Arabic word and
 * folds to at most 2 bytes (never longer than itself); same is 1 when it
 * folds to itself.  The tokenizer's innermost loop. */
#define FH_SIMD_RANGES 2
#define FH_SIMD_FOLDS 7
#define FH_AR2_SAME 1
#define FH_AR2_FOLD 2
#define FH_AR2_LETTER (FH_AR2_SAME | FH_AR2_FOLD)
#define FH_AR2_SEP 4 /* any two-byte code point of class FH_C_SEP (، ؛ ؟ « » ...) */
typedef struct fh_arfast {
    uint8_t ok, n;
    char b[6];
} fh_arfast;

struct fh_analyzer {
    fh_options opt;
    int keeps_marks; /* a flag that removes marks or tatweel is off */
    int canon;       /* a flag that folds Arabic letters or marks is off:
                        norms must be folded to the default alphabet before
                        the lexicon, stopwords and stemmer see them */
    fh_arfast ar[256];
    uint8_t *ar2; /* 65536 entries, by the two bytes of a UTF-8 sequence read
                     as a little-endian uint16: FH_AR2_SAME (a letter that folds
                     to itself), FH_AR2_FOLD (see ar), FH_AR2_SEP (a separator),
                     0 (not in the fast path) */
    /* The two-byte letters the tokenizer reads 8 at a time (SSE2): those
     * that fold to themselves, and up to FH_SIMD_FOLDS that fold to another
     * two-byte letter (أ إ آ -> ا, ة -> ه, ى ئ -> ي, ؤ -> و by default),
     * folded in the register: simd_fold[] their pairs as little-endian
     * uint16 (lead | continuation << 8), simd_delta[] the pair XOR its
     * fold.  They are read as ranges of the big-endian pair value (lead <<
     * 8 | continuation): at most FH_SIMD_RANGES runs of such letters (those
     * with most of the common letters U+0620..U+064A, then the longest), so
     * a pair a range accepts folds to itself or is in simd_fold[]; the
     * scalar loop handles everything else. */
    int nsimd, nfold;
    uint16_t simd_lo[FH_SIMD_RANGES], simd_len[FH_SIMD_RANGES];
    uint16_t simd_fold[FH_SIMD_FOLDS], simd_delta[FH_SIMD_FOLDS];
    fh_pending q[FH_QDEPTH];
    fh_fast fast[FH_FAST_MAX];
    char stem[FH_MAX_TOKEN + FH_FOLD_MAX + 1]; /* the last stem computed         */
    fh_cache_slot *cache;                      /* FH_CACHE_SETS, made at the first unknown word */
    int cache_failed;                          /* 1: it could not be made        */
};

/* Stem a word in the default alphabet into out (room for len+8 bytes);
 * returns the stem length and sets *stopword when the word is a function
 * word (with or without a proclitic: وفي).  A pure function of its input. */
size_t fh_stem_word(const char *w, size_t len, char *out, int *stopword);

/* Fold an analyzer's normalized form to the default alphabet (every rule
 * on); out has room for FH_MAX_TOKEN + FH_FOLD_MAX bytes.  Returns the new
 * length, at most FH_MAX_TOKEN (cut at a character boundary). */
size_t fh_canonical(const char *w, size_t n, char *out);

/* Corpus count of a normalized word form (0 if unknown). */
uint32_t fh_lex_count(const char *w, size_t len);
size_t fh_lex_size(void);

/* The precomputed stem and stopword flag of a word in the lexicon (final
 * build only): returns 1 and sets the outputs (stem borrowed from static
 * data, not NUL-terminated), or 0 if the word is unknown. */
int fh_lex_stem(const char *w, size_t len, uint32_t hash, const char **stem, size_t *stem_len,
                int *stopword);
uint32_t fh_lex_hash(const char *w, size_t len);


/* Stem of a token's normalized form (NUL-terminated; hash = fh_lex_hash of
 * it), from the lexicon, else the cache, else the algorithm.  Returns the
 * stem, NUL-terminated: static lexicon data, norm itself, or a->stem; sets
 * *stem_len and *stopword. */
const char *fh_stem_token(fh_analyzer *a, const char *norm, size_t len, uint32_t hash,
                          size_t *stem_len, int *stopword);
/* The same for a word in the default alphabet that the lexicon lacks: the
 * cache, else the algorithm. */
const char *fh_stem_unknown(fh_analyzer *a, const char *norm, size_t len, uint32_t hash,
                            size_t *stem_len, int *stopword);

#endif
