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

/* ---- stem cache: direct-mapped, words up to FH_CACHE_KEY bytes ---- */
#define FH_CACHE_SLOTS 8192 /* power of two; ~0.8 MB per analyzer */
#define FH_CACHE_KEY 46

typedef struct fh_cache_slot {
    uint8_t nlen, slen; /* nlen 0: empty */
    char norm[FH_CACHE_KEY];
    char stem[FH_CACHE_KEY];
} fh_cache_slot;

struct fh_analyzer {
    fh_options opt;
    char norm[FH_MAX_TOKEN + FH_FOLD_MAX + 1]; /* current token's normalized form */
    char stem[FH_MAX_TOKEN + FH_FOLD_MAX + 1]; /* current token's stem            */
    fh_cache_slot *cache;                      /* NULL when stemming is off      */
};

/* Stem an Arabic word in fahras's normalized alphabet into out (room for
 * len+8 bytes); returns the stem length.  Pure function of its input. */
size_t fh_stem_word(const char *w, size_t len, unsigned norm_flags, char *out);

/* Corpus count of a normalized word form (0 if unknown). */
uint32_t fh_lex_count(const char *w, size_t len);
size_t fh_lex_size(void);

#endif
