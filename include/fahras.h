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
 *   7. Index and search  one SQLite file: ingest, ranked search, snippets
 *   8. SQLite FTS5       the "fahras" tokenizer for FTS5 tables
 *   9. Segmentation      words split into clitics and affixes (Farasa scheme)
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
    unsigned max_token;  /* the token length cap in bytes of the normalized
                            form, FH_MIN_TOKEN..FH_MAX_TOKEN (default
                            FH_MAX_TOKEN; 0 means the default): see
                            FH_MAX_TOKEN below for why there is one          */
} fh_options;

/* The defaults: every normalization flag, stemming on, stopwords marked. */
FH_API fh_options fh_options_default(void);

/*
 * Set one option by name, as text — for adapters that take options as
 * strings (the CLI, an FTS5 tokenize= argument, a PostgreSQL dictionary).
 * Names: "stem", "stopwords", and one per normalization flag: "marks",
 * "quranic", "tatweel", "alef", "alef_maqsura", "teh_marbuta", "hamza_seat",
 * "persian", "digits", "presentation", "controls", "case", "accents".
 * Values: "1"/"0", "on"/"off", "yes"/"no", "true"/"false".  And
 * "max_token", whose value is a number of bytes, FH_MIN_TOKEN..FH_MAX_TOKEN.
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
    FH_TOKEN_STOPWORD = 1u << 0, /* norm is on the stopword list; when stemming,
                                    also a listed word with a proclitic (وفي,
                                    بهذا): the stemmer finds those            */
    FH_TOKEN_TRUNCATED = 1u << 1 /* part of a run longer than FH_MAX_TOKEN,
                                    split at a character boundary; not stemmed */
};

/*
 * Token length cap, in bytes of the normalized form.  Real words are far
 * shorter (the longest Arabic words with all clitics are ~15 letters, 30
 * bytes); only junk (base64, minified code, letter floods) reaches this.
 * Longer runs are cut into pieces of at most this size at character
 * boundaries, each flagged FH_TOKEN_TRUNCATED and left unstemmed.  The cap
 * bounds the work per token and keeps index keys small.  FH_MAX_TOKEN is the
 * default and the largest cap; fh_options.max_token lowers it (to no less
 * than FH_MIN_TOKEN), e.g. for an index that should not hold long junk
 * runs at all.
 */
#define FH_MAX_TOKEN 240
#define FH_MIN_TOKEN 16

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
 * FH_EINVAL for NULL arguments.  Allocates once at most: the analyzer's stem
 * cache (4 MB), at the first word its lexicon lacks; if that fails, words
 * are stemmed without a cache (same results, slower).
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
 * unstemmed but folded to the default alphabet (with digits=0, "٣" gives
 * "3", where the token's stem stays "٣"); a word longer than FH_MAX_TOKEN
 * bytes is returned unstemmed, cut to at most FH_MAX_TOKEN bytes at a
 * character boundary (as the tokenizer cuts long runs).  Returns NULL only for NULL arguments.
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

/* ===================================================================== *
 * 7. Index and search
 * ===================================================================== *
 *
 * An index is one SQLite database file (WAL mode): the documents and
 * fahras's own inverted index, kept as immutable segments.  One batch of
 * documents is one transaction: a crash loses at most the batch in flight
 * and never leaves documents and index out of step.  Any number of readers
 * (processes or fh_index objects) may search while one writer ingests; a
 * reader sees the batches committed when it opened or last refreshed.
 *
 * Errors: functions return FH_OK or a negative status; fh_index_errmsg()
 * then says what went wrong in words (never an SQL string for a query the
 * user typed).  An fh_index is used by one thread at a time.
 */

typedef struct fh_index fh_index;

typedef struct fh_index_options {
    double k1;           /* BM25 term-frequency saturation (default 1.2)       */
    double b;            /* BM25 length normalization (default 0.75)           */
    double title_weight; /* a title occurrence counts this many times (2.0)    */
    double exact_weight; /* a query word also matches as written, with this
                            weight beside its stem (0: stems only)            */
    int readonly;        /* open for searching only                            */
    size_t batch_docs;   /* documents per ingest transaction (default 10,000)  */
    int busy_timeout_ms; /* wait this long for another writer (default 10,000);
                            then a write fails with FH_EIO, "another process is
                            writing to this index"                           */
    int ingest_threads;  /* extra threads for fh_index_add: 0 builds each
                            document's postings on the caller's thread; 1
                            (the default when the machine has more than one
                            processor) builds them on a second thread while
                            the caller analyzes the next document; results
                            are the same.  The index handle is still used by
                            one thread at a time.                             */
    size_t batch_bytes;  /* a batch also commits once its documents hold this
                            many bytes of text (default 32 MiB): the postings
                            of a batch are built in memory, so this bounds the
                            writer's memory whatever the document sizes       */
    size_t max_doc_bytes; /* a document whose title + body exceed this is
                            refused with FH_EINVAL (default 16 MiB; 0: the
                            default).  News articles are far under 1 MB; the
                            cap bounds the memory and time one document costs */
    size_t max_token;     /* the token length cap of a new index's analyzer
                            (fh_options.max_token; 0: FH_MAX_TOKEN).  Kept in
                            the index, which its searches then use; an
                            existing index keeps its own (0 or the same
                            value; another is FH_EINVAL)                      */
    size_t cache_bytes;   /* decoded postings a handle keeps for its searches
                            (default 512 MiB; 0: the default), the least used
                            evicted first; one search's own lists are kept
                            until it ends even beyond it                      */
    /* Called after each batch commits, with the number of documents added or
     * replaced in it and the external id of the last of them ("" if none;
     * borrowed for the call).  Every document added before that one is then
     * durable and searchable.  NULL: not called. */
    void (*on_commit)(void *ctx, size_t docs, const char *last_ext_id);
    void *commit_ctx;
} fh_index_options;

FH_API fh_index_options fh_index_options_default(void);

/* Open (creating if needed, unless readonly) the index at path.  opt may be
 * NULL.  On failure *out is NULL and, if err is not NULL, a message is
 * written to it (errlen bytes, NUL-terminated). */
FH_API int fh_index_open(const char *path, const fh_index_options *opt, fh_index **out,
                         char *err, size_t errlen);
/* Commit any batch in flight and close.  NULL is allowed. */
FH_API int fh_index_close(fh_index *ix);
/* The last error, in words (never NULL). */
FH_API const char *fh_index_errmsg(const fh_index *ix);

/* One document to add.  Strings need not be NUL-terminated; NULL = absent.
 * ext_id is required; title or body is. */
typedef struct fh_doc_in {
    const char *ext_id, *title, *body, *source, *url, *date;
    size_t ext_id_len, title_len, body_len, source_len, url_len, date_len;
} fh_doc_in;

enum fh_add_result { FH_ADDED = 0, FH_REPLACED = 1, FH_UNCHANGED = 2 };

/* Add a document.  A document whose ext_id is already indexed replaces it,
 * unless its content is the same (then nothing changes: FH_UNCHANGED).
 * Returns FH_ADDED / FH_REPLACED / FH_UNCHANGED, or a negative status:
 * FH_EINVAL for a document refused (no id, no text, over max_doc_bytes; the
 * batch goes on), FH_EIO or FH_ENOMEM when writing failed (the disk is full,
 * another writer holds the index past the timeout, ...): then the whole
 * batch in flight is rolled back, fh_index_errmsg() says so and how many
 * documents it held, and the batches committed before are intact.
 * Documents are committed in batches (fh_index_options.batch_docs,
 * batch_bytes); call fh_index_commit() to commit now. */
FH_API int fh_index_add(fh_index *ix, const fh_doc_in *doc);
/* Commit the batch in flight: its documents become searchable. */
FH_API int fh_index_commit(fh_index *ix);
/* Delete a document by external id: 1 if it was there, 0 if not, or < 0. */
FH_API int fh_index_delete(fh_index *ix, const char *ext_id);
/* Merge every segment into one and drop deleted documents' postings. */
FH_API int fh_index_optimize(fh_index *ix);

/* Counts and sizes of an index.  index_bytes is what the index (without
 * the stored text) takes on disk: every page of its term rows and postings
 * chunks, as SQLite's dbstat table counts them (-1 if the SQLite library
 * lacks dbstat); postings_bytes is the encoded postings alone. */
typedef struct fh_index_stats {
    long long documents, deleted, segments, terms, postings_bytes, text_bytes, file_bytes;
    long long index_bytes;
} fh_index_stats;
FH_API int fh_index_stats_get(fh_index *ix, fh_index_stats *st);

/* A stored document, borrowed until the next call on the index. */
typedef struct fh_doc_view {
    const char *ext_id, *title, *body, *source, *url, *date; /* "" when absent */
} fh_doc_view;

/* Fetch a document by external id: 1 found, 0 not found, < 0 error. */
FH_API int fh_index_get(fh_index *ix, const char *ext_id, fh_doc_view *out);

/* Verify that the index matches the documents: SQLite's integrity check,
 * every posting names a live or deleted document, postings are ordered, and
 * each document's token count equals the sum of its term frequencies.
 * Returns FH_OK, or FH_EINVAL with the first problem in fh_index_errmsg(). */
FH_API int fh_index_check(fh_index *ix);

/* ---- searching ---- */

typedef struct fh_search_options {
    size_t limit;           /* results wanted (default 10)                    */
    size_t offset;          /* results to skip (default 0)                    */
    const char *since;      /* keep documents dated on or after (YYYY[-MM[-DD]]) */
    const char *until;      /* ... and on or before; NULL: no bound           */
    int snippets;           /* compute snippets (default 1)                   */
    size_t snippet_bytes;   /* about this long (default 240)                  */
    int exhaustive;         /* score every document that has a query word, no
                               dynamic pruning (default 0): the same hits,
                               slower; for tests and comparisons             */
    int ids_only;           /* hits carry doc, ext_id, score, rank and source
                               only (title, url, date and snippet ""), from
                               the handle's memory: no document row is read
                               (default 0; TREC runs, programs that fetch
                               what they show themselves)                    */
} fh_search_options;

FH_API fh_search_options fh_search_options_default(void);

/* A highlighted span of a snippet: [start, end) in the snippet's bytes. */
typedef struct fh_span {
    size_t start, end;
} fh_span;

typedef struct fh_hit {
    long long doc;              /* internal id                              */
    double score;
    const char *ext_id, *title, *source, *url, *date; /* NUL-terminated     */
    const char *snippet;        /* text as written, NUL-terminated ("" if off) */
    const fh_span *spans;       /* matched words inside the snippet         */
    size_t nspans;
    size_t rank;                /* 1, 2, ...                                */
} fh_hit;

/* Called once per hit, best first; everything is borrowed for the call.
 * Return non-zero to stop.  The search reads in one SQLite read transaction
 * (one snapshot), open while the callback runs: the callback must not
 * write through the same index handle (add, delete, commit). */
typedef int (*fh_hit_fn)(void *ctx, const fh_hit *hit);

/*
 * Search.  The query language:
 *   words              any of them, ranked by BM25 (a pasted headline or a
 *                      question works as is); stems match: والكتاب finds كتاب
 *   =word              the exact normalized word, not its stem
 *   "exact phrase"     the words in this order (stems), required
 *   -word, -"phrase"   exclude documents that have it
 *   prefix*            words beginning with prefix (normalized, at least 2
 *                      letters; at most 128 expansions)
 *   a OR b             the same as "a b" (any word counts); kept for habit
 *   title:word         the word in the title (also title:"phrase")
 *   source:name        only documents from this source
 *   date:2014-10..2014-12, date:2014, date:..2015-06   a date range
 * Pasted text must work as is, so a stray quote, a lone '-' or '*', and
 * words past FH_MAX_QUERY_TERMS are set aside, and fh_search_notice() says
 * what was ignored.  Queries that cannot be read (nothing to search for, a
 * bad date, a bad source:, control characters, invalid UTF-8, more than
 * FH_MAX_QUERY_BYTES) return FH_EINVAL with a message for a person in
 * fh_index_errmsg().  Returns the number of hits delivered (>= 0), or < 0.
 */
#define FH_MAX_QUERY_TERMS 256 /* a pasted article is cut here: longer queries
                                  cost time and rank no better */
#define FH_MAX_QUERY_BYTES 16384
FH_API long fh_search(fh_index *ix, const char *query, const fh_search_options *opt,
                      fh_hit_fn fn, void *ctx);

/* After fh_search: "" if the query was read as written, else a sentence
 * saying what was set aside (borrowed until the next search). */
FH_API const char *fh_search_notice(const fh_index *ix);

/* Re-read the index's statistics to see batches committed since opening. */
FH_API int fh_index_refresh(fh_index *ix);

/* ===================================================================== *
 * 8. SQLite FTS5
 * ===================================================================== *
 *
 * The tokenizer "fahras" for SQLite FTS5 tables, and the debug table
 * fahras_tokens.  Applications that link libfahras call
 * fh_sqlite_register() on each connection; the sqlite3 shell and programs
 * that load extensions use build/fahras_sqlite.so (".load ./build/fahras_sqlite"
 * or sqlite3_load_extension()), which registers the same code.
 *
 *   CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fahras');
 *   CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fahras stem 0 alef off');
 *
 * Options: "name value" pairs, the names and values of fh_options_set()
 * ("stem", "stopwords", one per normalization flag; 1/0, on/off, yes/no,
 * true/false).  An unknown option or bad value fails CREATE VIRTUAL TABLE;
 * SQLite (3.40 and later) reports it as "error in tokenizer constructor"
 * and the message naming the option goes to SQLite's error log
 * (SQLITE_CONFIG_LOG); SELECT * FROM fahras_tokens('x', 'OPTIONS') says it
 * as the statement's error.
 *
 * Terms.  A document's word is indexed as its normalized form and, when it
 * differs, its stem at the same position (FTS5_TOKEN_COLOCATED); stopwords
 * (not stemmed) as the normalized form only, so phrases with them match.
 * A query word becomes its stem, so a query والكتاب finds الكتاب and
 * وَالكِتَابُ (stem كتاب); a prefix query (كتا*) matches normalized words
 * (and stems) beginning with the normalized prefix.  Every term is a plain
 * word: fts5vocab tables list normalized words and stems as they are.
 * Offsets are those of the text as written, so highlight() and snippet()
 * mark the original (vowelled, tatweel-laden) words.
 *
 * fahras_tokens(text [, options]) is a table: one row per token, columns
 * token (as written), start, end (byte offsets), position, norm, stem,
 * terms (what a document indexes, space-separated), query (what a query
 * searches for), stopword (0/1).
 *
 * Registers both on db.  Returns FH_OK, or FH_EINVAL when db is NULL or
 * its SQLite has no FTS5 (at least 3.20), FH_ENOMEM; a message is written
 * to err (if not NULL, errlen bytes, NUL-terminated).  The tokenizer uses
 * SQLite's FTS5 v1 interface, and v2 when built against SQLite 3.47 or
 * later.  Each FTS5 table has its own analyzer: a connection is used by
 * one thread at a time, as SQLite requires.
 */
struct sqlite3;
FH_API int fh_sqlite_register(struct sqlite3 *db, char *err, size_t errlen);

/* ===================================================================== *
 * 9. Segmentation
 * ===================================================================== *
 *
 * Words split into their parts, as Arabic NLP models (AraBERT and others
 * trained on Farasa's output) expect them: و+ال+تلفزيون, ترشيح+ات+ها,
 * ل+حفل+ها, أعلن+ت.  A text is cut into tokens written separated by one
 * space: Arabic words (segments joined by '+'), numbers (3.5, ٢٠١٤), words
 * of other scripts (CNN, G20), and every other non-space character on its
 * own (punctuation, symbols; an invalid UTF-8 unit as U+FFFD).  Newlines
 * are kept, so the output has as many lines as the input.
 *
 * Every split is justified by corpus evidence (data/lexicon.tsv): a clitic
 * is split off when what remains is an attested word clearly commoner
 * than the whole, so names and unknown words (هونغ كونغ, ويكيمانيا) and
 * words that only look prefixed (بيان, لبنان, وصل) stay whole.
 *
 * Threads: like an analyzer, a segmenter has a private cache; use one per
 * thread.
 */

enum fh_seg_scheme {
    FH_SEG_FARASA = 0, /* Farasa's scheme: proclitics و ف ب ل ك ال س, pronouns,
                          and the inflections ة ات ين ون ت وا and tanwin ا     */
    FH_SEG_CLITICS = 1 /* proclitics and pronoun enclitics only: the
                          inflection stays on the stem (مرحلت+ه, ترشيحات+ها)  */
};

typedef struct fh_segment_options {
    int scheme;     /* enum fh_seg_scheme (default FH_SEG_FARASA)               */
    int normalized; /* 0: letters as written, marks kept on their letter
                       (default); 1: default normalization, marks dropped      */
} fh_segment_options;

FH_API fh_segment_options fh_segment_options_default(void);

typedef struct fh_segmenter fh_segmenter;

/* Create a segmenter (opt NULL: the defaults).  FH_OK, or FH_EINVAL for a
 * bad scheme, FH_ENOMEM; on failure *out is NULL. */
FH_API int fh_segmenter_new(const fh_segment_options *opt, fh_segmenter **out);

/* Free a segmenter.  NULL is allowed. */
FH_API void fh_segmenter_free(fh_segmenter *s);

/*
 * Segment len bytes of text (any bytes).  Measure-then-fill: writes at most
 * cap bytes (plus a NUL if room) into out and returns the number of bytes
 * the whole result needs (without the NUL); if that is >= cap the output
 * was cut.  out may be NULL when cap is 0.  The result is never longer than
 * 4 * len + 4 bytes.  Returns 0 for a NULL segmenter.
 */
FH_API size_t fh_segment(fh_segmenter *s, const char *text, size_t len, char *out, size_t cap);

#ifdef __cplusplus
}
#endif
#endif /* FAHRAS_H */
