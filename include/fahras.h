/*
 * fahras.h — the public interface of libfahras, an Arabic text analyzer.
 *
 * This header is the manual.  Read it top to bottom once:
 *
 *   1. Conventions       errors, ownership, threads, input bytes
 *   2. Options           normalization flags and analyzer options
 *   3. Analyzer          create once, analyze many buffers
 *   4. Tokens            what the callback receives
 *   5. Text utilities    normalize a whole string, stem one word
 *   6. Version
 *
 * Data flow:  bytes -> UTF-8 decode -> normalize -> tokenize -> stem -> callback
 * Every token carries its byte span in the caller's ORIGINAL buffer, so
 * highlights and snippets can show the text exactly as written.
 */
#ifndef FAHRAS_H
#define FAHRAS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && !defined(FH_BUILDING_STATIC)
#define FH_API __attribute__((visibility("default")))
#else
#define FH_API
#endif

/* ===================================================================== *
 * 1. Conventions
 * ===================================================================== *
 *
 * Errors.  Every function that can fail returns an int status: FH_OK (0) on
 * success, a negative FH_E* code on failure.  fh_strerror() turns a code into
 * a short English phrase.  Functions that can say more (option parsing) also
 * write a message naming the culprit into a caller-supplied buffer.  No
 * function aborts, prints, or exits.  A positive return from fh_analyze() is
 * never an error: it is the value the caller's callback returned to stop.
 *
 * Ownership.  Objects made by fh_*_new() are freed by the matching
 * fh_*_free(), which accepts NULL.  Constructors are all-or-nothing: on
 * failure nothing is leaked and *out is set to NULL.  Pointers handed to a
 * callback are borrowed: valid only during that call.
 *
 * Threads.  An fh_analyzer is immutable after creation except for a private
 * scratch area and a stem cache: use one analyzer per thread (creating one is
 * cheap; the lexicon is shared read-only static data).  Distinct analyzers may
 * be used concurrently without locks.
 *
 * Input bytes.  Any byte sequence is safe input, including NUL bytes.  Text
 * is decoded as UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF).  Invalid-UTF-8 policy: each maximal ill-formed
 * subsequence (as defined by Unicode, chapter 3, "U+FFFD substitution of
 * maximal subparts") is one INVALID unit.  The tokenizer treats an INVALID
 * unit as a separator: it never becomes part of a token, so a token's
 * normalized form is always valid UTF-8.  fh_normalize() replaces each
 * INVALID unit by U+FFFD.  Offsets are never affected: they always index the
 * caller's bytes.
 */

enum fh_status {
    FH_OK = 0,
    FH_ENOMEM = -1,   /* an allocation failed                         */
    FH_EINVAL = -2,   /* a bad argument or option (message says which) */
    FH_ERANGE = -3,   /* an output buffer is too small                 */
    FH_EIO = -4       /* reading or writing failed                     */
};

/* A short, static, English description of a status code. Never NULL. */
FH_API const char *fh_strerror(int status);

/* ===================================================================== *
 * 2. Options
 * ===================================================================== */

/*
 * Normalization flags.  Each folds one family of spelling variants so that
 * text as typed on the web matches text as printed.  FH_NORM_DEFAULT turns
 * all of them on; clear a bit to keep that distinction.
 */
enum fh_norm_flag {
    FH_NORM_MARKS = 1u << 0,        /* harakat, tanwin, shadda, sukun, superscript
                                       alef: U+064B-U+065F, U+0670 -> removed     */
    FH_NORM_QURANIC = 1u << 1,      /* Quranic annotation marks U+0610-U+061A,
                                       U+06D6-U+06ED -> removed                   */
    FH_NORM_TATWEEL = 1u << 2,      /* kashida U+0640 -> removed                  */
    FH_NORM_ALEF = 1u << 3,         /* أ إ آ ٱ ٲ ٳ -> ا                          */
    FH_NORM_ALEF_MAQSURA = 1u << 4, /* ى -> ي                                      */
    FH_NORM_TEH_MARBUTA = 1u << 5,  /* ة -> ه                                      */
    FH_NORM_HAMZA_SEAT = 1u << 6,   /* ؤ -> و, ئ -> ي                              */
    FH_NORM_PERSIAN = 1u << 7,      /* ک -> ك, ی ے -> ي, ۀ ہ ە -> ه                */
    FH_NORM_DIGITS = 1u << 8,       /* ٠-٩ and ۰-۹ -> 0-9; ٫ -> '.', ٬ -> ','        */
    FH_NORM_PRESENTATION = 1u << 9, /* presentation forms U+FB50-U+FDFF,
                                       U+FE70-U+FEFF (lam-alef ligatures included)
                                       -> base letters                             */
    FH_NORM_CONTROLS = 1u << 10,    /* bidi and joiner controls (LRM RLM ALM ZWJ
                                       ZWNJ, embeddings, isolates) -> removed      */
    FH_NORM_CASE = 1u << 11,        /* Latin, Greek, Cyrillic... case-folded       */
    FH_NORM_ACCENTS = 1u << 12,     /* Latin accents folded: é -> e                */
    FH_NORM_DEFAULT = (1u << 13) - 1
};

/* Analyzer options.  Start from fh_options_default() and change fields. */
typedef struct fh_options {
    unsigned norm_flags; /* FH_NORM_* bits                                   */
    int stem;            /* 1: compute stems (default); 0: stem = norm        */
    int stopwords;       /* 1: mark stopwords with FH_TOKEN_STOPWORD (default)
                            0: never mark.  Marked tokens are still delivered:
                            the caller decides whether to index them.        */
} fh_options;

/* The defaults: every normalization flag, stemming on, stopwords marked. */
FH_API fh_options fh_options_default(void);

/*
 * Set one option by name, as text — for adapters that take options as
 * strings (the CLI, an FTS5 tokenize= argument, a PostgreSQL dictionary).
 * Names: "stem", "stopwords", and one per normalization flag: "marks",
 * "quranic", "tatweel", "alef", "alef_maqsura", "teh_marbuta", "hamza_seat",
 * "persian", "digits", "presentation", "controls", "case", "accents".
 * Values: "1"/"0", "on"/"off", "yes"/"no", "true"/"false".
 * Returns FH_OK, or FH_EINVAL with a message naming the bad option or value
 * written to err (if err is not NULL and errlen > 0; always NUL-terminated).
 */
FH_API int fh_options_set(fh_options *opt, const char *name, const char *value,
                          char *err, size_t errlen);

/* ===================================================================== *
 * 3. Analyzer
 * ===================================================================== */

typedef struct fh_analyzer fh_analyzer;

/*
 * Create an analyzer.  opt may be NULL for the defaults.  On success returns
 * FH_OK and stores the analyzer in *out; on failure returns FH_ENOMEM or
 * FH_EINVAL and stores NULL.
 */
FH_API int fh_analyzer_new(const fh_options *opt, fh_analyzer **out);

/* Free an analyzer.  NULL is allowed. */
FH_API void fh_analyzer_free(fh_analyzer *a);

/* The options an analyzer was made with. */
FH_API const fh_options *fh_analyzer_options(const fh_analyzer *a);

/* ===================================================================== *
 * 4. Tokens
 * ===================================================================== */

enum fh_token_type {
    FH_TOKEN_ARABIC = 1, /* a run of Arabic letters (marks, tatweel inside)  */
    FH_TOKEN_WORD = 2,   /* a run of letters of another script (and digits
                            following a letter: "G20", "mp3")               */
    FH_TOKEN_NUMBER = 3, /* digits, with '.', ',', '٫' or '٬' between digits */
    FH_TOKEN_URL = 4,    /* http://..., https://..., www.x.y (kept whole)    */
    FH_TOKEN_EMAIL = 5   /* name@host.tld (kept whole)                       */
};

enum fh_token_flag {
    FH_TOKEN_STOPWORD = 1u << 0, /* norm is on the stopword list              */
    FH_TOKEN_TRUNCATED = 1u << 1 /* part of a run longer than FH_MAX_TOKEN,
                                    split at a character boundary; not stemmed */
};

/*
 * Token length cap, in bytes of the normalized form.  Real words are far
 * shorter (the longest Arabic words with all clitics are ~15 letters, 30
 * bytes); only junk (base64, minified code, letter floods) reaches this.
 * Longer runs are cut into pieces of at most this size at character
 * boundaries, each flagged FH_TOKEN_TRUNCATED and left unstemmed.  The cap
 * bounds the work per token and keeps index keys small.
 */
#define FH_MAX_TOKEN 240

typedef struct fh_token {
    size_t start, end;  /* byte span [start, end) in the caller's buffer      */
    const char *norm;   /* normalized form, UTF-8, NUL-terminated (borrowed)  */
    size_t norm_len;    /* its length in bytes, 1..FH_MAX_TOKEN               */
    const char *stem;   /* stem for search, UTF-8, NUL-terminated (borrowed);
                           equals norm when stemming is off or not applicable */
    size_t stem_len;
    size_t position;    /* 0, 1, 2... the token's ordinal in this buffer      */
    int type;           /* enum fh_token_type                                 */
    unsigned flags;     /* enum fh_token_flag bits                            */
} fh_token;

/*
 * Called once per token, in text order.  Return 0 to go on, any other value
 * to stop: fh_analyze() then returns that value.  The token and its strings
 * are valid only during the call.
 */
typedef int (*fh_token_fn)(void *ctx, const fh_token *tok);

/*
 * Analyze len bytes of text (not necessarily NUL-terminated; may contain
 * NULs and invalid UTF-8) and hand each token to fn.  Returns FH_OK after the
 * last token, the callback's non-zero value if it stopped early, or
 * FH_EINVAL for NULL arguments.  Never allocates after the analyzer exists.
 */
FH_API int fh_analyze(fh_analyzer *a, const char *text, size_t len,
                      fh_token_fn fn, void *ctx);

/* ===================================================================== *
 * 5. Text utilities
 * ===================================================================== */

/*
 * Normalize a whole string with the analyzer's normalization flags, keeping
 * everything that is not folded (spaces, punctuation) as it is.  Invalid
 * UTF-8 units become U+FFFD.  Measure-then-fill: writes at most cap bytes
 * (plus a NUL if room) into out and returns the number of bytes the full
 * result needs (without the NUL); if that is >= cap the output was cut.
 * out may be NULL when cap is 0.  The result is never longer than 3 times
 * len + 3 bytes.
 */
FH_API size_t fh_normalize(const fh_analyzer *a, const char *text, size_t len,
                           char *out, size_t cap);

/*
 * Stem one already-normalized word (as found in fh_token.norm; it need not
 * be NUL-terminated).  Returns a pointer to the stem, NUL-terminated,
 * borrowed from the analyzer until its next call, with its length in
 * *stem_len (may be NULL).  Stems are in the default alphabet whatever the
 * analyzer's flags.  A word that is not a single Arabic word is returned
 * as is; a word longer than FH_MAX_TOKEN bytes is returned unstemmed, cut to
 * at most FH_MAX_TOKEN bytes at a character boundary (as the tokenizer cuts
 * long runs).  Returns NULL only for NULL arguments.
 */
FH_API const char *fh_stem(fh_analyzer *a, const char *norm, size_t len,
                           size_t *stem_len);

/* 1 if the word, in the default normalization, is on the stopword list
 * (data/stopwords.txt), else 0.  Tokens are flagged whatever the analyzer's
 * flags: their norm is folded to the default alphabet first. */
FH_API int fh_is_stopword(const char *norm, size_t len);

/* ===================================================================== *
 * 6. Version
 * ===================================================================== */

#define FH_VERSION "0.1.0"

/* The library's version string, and the Unicode version of its tables. */
FH_API const char *fh_version(void);
FH_API const char *fh_unicode_version(void);

#ifdef __cplusplus
}
#endif
#endif /* FAHRAS_H */
