/*
 * index.h — fahras's inverted index in one SQLite file: internal interface
 * shared by index.c (storage, ingest, segments) and search.c (queries).
 *
 * Schema (see index.c for the SQL):
 *   docs(id, ext_id, title, body, source, url, date, hash, title_len, body_len)
 *       id is the internal document number, assigned in ingest order; a
 *       replaced or deleted document's id is never reused.
 *   segments(id, ndocs, bytes)      one per ingest batch (or merge)
 *   postings(seg, term, data)  key (seg, term): a block of up to 256 terms
 *       of one segment in key order (format 5; the layout is at block_add in
 *       index.c): term is its first term, data its terms front-coded, each
 *       with its row.  A batch appends at the end of the tree; a look-up
 *       reads one block per segment.
 *       A term = one space byte + UTF-8: 's' stem space, 'w' surface space,
 *         packed (fh_term_pack: an Arabic letter in one byte).
 *       A row (format 4): varint(df), then the df postings: doc id gaps, tfs
 *         in title and body, and in the stem space only positions (title
 *         tokens are positions 0.., body tokens follow after a gap of
 *         FH_FIELD_GAP, so no phrase crosses from title to body),
 *         bit-packed in blocks of 128 with patched frame of reference; the
 *         layout is described at the row codec in index.c.  Up to
 *         INLINE_MAX bytes inline in the block, longer rows in the
 *         segment's chunk stream (chunks).
 *       The bounds of fh_plist (max_tt .. min_bl) are found when the
 *       postings are decoded, from them and the documents' lengths.
 *   meta(key, value)                 schema version
 * A document's postings all live in the segment of the batch that added
 * it, so a crash or kill between batches leaves documents and index in
 * step, and removing a document is removing its docs row: postings of ids
 * without a docs row are skipped at query time and dropped by a merge.
 */
#ifndef FH_INDEX_H
#define FH_INDEX_H

#include <sqlite3.h>
#include <stdint.h>

#include "internal.h"

#define FH_FIELD_GAP 16
#define FH_SKIP 32
#define FH_SPACE_STEM 's'
#define FH_SPACE_WORD 'w'

/* Decoded postings of one term across all segments. */
/* Document ids per window of the query loop (search.c): each list's bound
 * and start per window are kept with it. */
#ifndef MAXSCORE_WINDOW
#define MAXSCORE_WINDOW 2048 /* the window's accumulator stays in L1/L2 */
#endif

typedef struct fh_plist {
    uint32_t n;          /* documents                                      */
    uint32_t *doc;       /* ids, increasing                                */
    uint16_t *tt, *tb;   /* tf in title, in body                           */
    uint32_t *pos_off;   /* stem space: offset of the doc's positions in pos */
    uint32_t *pos;       /* positions (absolute), stem space only           */
    uint32_t max_tt, max_tb, min_tl, min_bl;
    /* every FH_SKIP-th id: skip[i] = doc[i * FH_SKIP]; NULL for a short list
     * (or if memory ran out).  A seek far ahead searches it first, then one
     * run of FH_SKIP ids: a few cache lines where galloping over doc[]
     * touched a new one at nearly every step */
    uint32_t *skip;
    uint64_t df;         /* documents, deleted ones included               */
    /* the query side's cache (search.c): the largest tf (k1 + 1) / (tf + kn)
     * over the live documents, [0] for title + body, [1] for title only;
     * valid once set[i] is 1.  Zero when the list is made or re-read. */
    double best[2];
    unsigned char best_set[2];
    /* search.c, made with best[0]: each posting's tf (k1 + 1) / (tf + kn)
     * (title + body), -1 for a deleted document: a query's inner loops
     * multiply it by the idf instead of computing it (the cache counts its
     * bytes); NULL until then, or if memory ran out */
    float *ratio;
    /* search.c, made with ratio: the largest ratio in each window of
     * MAXSCORE_WINDOW document ids (wmax[d / window]), nwmax windows; a
     * window's bound, where the list-wide one counts its best posting in
     * every window */
    float *wmax;
    uint32_t nwmax;
    /* search.c: where each window of MAXSCORE_WINDOW ids begins in doc[]
     * (wbeg[w], the first entry whose id is >= w * window; wbeg[nwbeg] =
     * n), so a window's postings are found without a search; NULL until
     * made, or if memory ran out */
    uint32_t *wbeg;
    uint32_t nwbeg;
} fh_plist;

/* Per-document data held in memory by a reader (with its external id in
 * fh_index.ext_ids). */
typedef struct fh_docmeta {
    float tl, bl;       /* title and body length in tokens; tl < 0: absent */
    uint16_t source;    /* index into the source names                     */
    uint32_t date;      /* YYYYMMDD, 0 when unknown                        */
} fh_docmeta;

typedef struct fh_cached fh_cached;

struct fh_index {
    sqlite3 *db;
    fh_analyzer *an;
    fh_index_options opt;
    char err[512];
    char notice[256]; /* how the last query was read, when not as written */
    long long chunk_bytes; /* bytes of each chunk row but a segment's last */
    long long page_size;   /* the file's, read at open: sizes the term blocks */
    /* writer */
    int in_tx;
    size_t batch_n;
    size_t batch_text;   /* bytes of title + body in the batch in flight     */
    char *last_id;       /* ext_id of the batch's last document (on_commit)  */
    size_t last_id_cap;
    struct fh_builder *bld;
    struct docacc *acc;  /* one document's terms, reused from one to the next */
    struct doctoks *toks; /* its tokens (without the builder thread)         */
    struct fh_ingest *ing; /* the builder thread (ingest_threads), or NULL   */
    int ing_failed;      /* it could not be started: build on this thread   */
    sqlite3_stmt *st_find, *st_insdoc, *st_deldoc, *st_insseg, *st_inspost, *st_inschunk;
    /* reader */
    int loaded;
    fh_docmeta *meta;
    float *knorm;        /* per document: k1 (1 - b + b dl/avgdl); -1: deleted */
    char *ext_ids;       /* the external ids, NUL-terminated, one after another */
    uint32_t *ext_off;   /* per document: its external id's offset in ext_ids
                          * (0, an empty string, when absent or deleted)    */
    uint32_t nmeta;      /* ids 0..nmeta-1                                 */
    uint64_t live;       /* documents                                      */
    double avg_tl, avg_bl;
    char **sources;
    uint16_t nsources;
    sqlite3_stmt *st_post, *st_doc, *st_prefix, *st_get, *st_chunk;
    sqlite3_stmt *st_doc_nobody; /* a hit without its snippet: no body read */
    sqlite3_stmt *st_begin, *st_commit; /* a search's read transaction      */
    int mapped;          /* PRAGMA mmap_size set (at the first search)      */
    fh_cached *cache;    /* decoded postings, most recently used first    */
    fh_cached **buckets; /* their hash table                               */
    int64_t *segs;       /* segment ids, ascending                         */
    uint32_t nsegs;
    size_t cache_bytes;
    /* the search in progress (search.c counts them): a list it has looked
     * up is not evicted until it is over, however full the cache, so that
     * the pointers it holds stay valid */
    uint64_t cache_epoch;
    /* the lists this search looked up, by hash (direct-mapped, valid for
     * epoch only): a query looks each word up three or four times (parse,
     * words, scoring terms), each a walk of the cache's hash chain */
    struct fh_memo {
        uint64_t epoch;
        uint32_t hash, len;
        fh_cached *c;
    } memo[64];
    unsigned char *scratch; /* a chunked postings list being read          */
    size_t scratch_cap;
    struct fh_rowdec *rd;   /* a postings row being decoded                */
    void *win;              /* a search's window scratch (search.c, rank):
                             * its accumulator is all zeros between searches */
};

void fh_index_seterr(fh_index *ix, const char *fmt, ...);
/* Load (or reload) the per-document data and statistics. */
int fh_index_load(fh_index *ix);
/* A read transaction around one search, so that its reads see one snapshot
 * and SQLite takes its locks once, not at every statement (each implicit
 * transaction costs a few microseconds of locking: half of what reading
 * ten hits cost).  Returns 1 if it began one (end it with
 * fh_index_read_end), 0 if a transaction was already open or BEGIN failed
 * (the statements then run in their own transactions, as before). */
int fh_index_read_begin(fh_index *ix);
void fh_index_read_end(fh_index *ix, int began);
/* The postings of one term (space byte + UTF-8), cached; NULL if the term
 * does not occur (not an error: *status stays FH_OK). */
const fh_plist *fh_index_postings(fh_index *ix, const char *term, size_t len, int *status);

/* The distinct terms (space byte + UTF-8, as fh_index_postings takes them)
 * that begin with prefix[0..len), in key order, at most max of them: fn
 * for each (the index loaded); FH_OK, an error, or fn's non-zero value. */
int fh_index_terms(fh_index *ix, const char *prefix, size_t len, size_t max,
                   int (*fn)(void *ctx, const char *term, size_t len), void *ctx);

/* A term key (space byte + UTF-8) as stored in postings.term and back:
 * fh_term_pack writes at most 2 len bytes (an Arabic key: about len / 2),
 * keeping the order and prefixes of valid UTF-8 keys; fh_term_unpack at
 * most 2 len. */
size_t fh_term_pack(unsigned char *out, const char *key, size_t len);
size_t fh_term_unpack(char *out, const unsigned char *p, size_t len);

/* varints */
size_t fh_varint_put(unsigned char *p, uint64_t v);
int fh_varint_get(const unsigned char **p, const unsigned char *end, uint64_t *v);

#endif
