/*
 * fuzz_fts5.c — the FTS5 tokenizer adapter (src/fts5.c), two ways.
 *
 * 1. Every input: the tokenizer through FTS5's own API, as FTS5 calls it
 *    (fts5_api.xFindTokenizer, then xCreate with the input's options and
 *    xTokenize in the document and query modes, then the prefix-query mode
 *    for an odd length, the auxiliary mode for an even one),
 *    on one in-memory database with fh_sqlite_register() (opened once); a
 *    tokenizer per option set, kept.
 * 2. One input in 64 (by a hash of the input; every input in the replay
 *    driver): the whole round trip through SQL — an FTS5 table with
 *    tokenize='fahras ...' per option set (kept; its rows deleted after each
 *    input), the input as two documents, a query and a prefix query made of
 *    its words, highlight(), fahras_tokens(), and FTS5's own integrity-check
 *    after an update and a delete.  (Through SQL alone the harness ran ~130
 *    inputs a second under ASan: 10 million would have taken a day.)
 *
 * Input: 1 control byte, then the text (all of it, NUL bytes included; in
 * SQL it is bound as a blob cast to text, so any byte sequence reaches the
 * tokenizer).
 *   bit 0  stem 0      bit 1  stopwords 0    bit 2  marks 0
 *   bit 3  alef 0      bit 4  presentation 0 bit 5  a bad option (xCreate
 *                                               and CREATE must fail, cleanly)
 *   bit 6  the query is the text itself (FTS5 syntax errors are answers)
 *   bit 7  the document-mode callback fails at its (len % 7 + 1)th token:
 *          xTokenize stops there and returns that error
 *
 * Invariants, API: every token lies inside the text (start < end <= len),
 * in order, 1..FH_MAX_TOKEN bytes of valid UTF-8; in documents a token is
 * either a word's first term or FTS5_TOKEN_COLOCATED right after it with the
 * same span (its stem); a query gives one term per word, the word's last
 * document term (the stem if it has one), no flags; a prefix query and the
 * auxiliary mode give each word's first document term; a callback's error
 * stops the run and is returned.
 * Invariants, SQL: the table is created unless the option is bad; inserts,
 * updates and deletes succeed; integrity-check passes; every token that
 * fahras_tokens() reports lies inside the text, in order, with a valid
 * UTF-8 norm; a MATCH or highlight() either answers or fails with an SQL
 * error (never a crash); the document matches a query made of its own
 * first word, quoted, and that word as a prefix, when the word alone is
 * read as in the text (not a piece of an over-long run).
 */
#include <sqlite3.h>
#include <string.h>

#include "../include/fahras.h"
#include "fuzz.h"

#define FUZZ_MAX_LEN 512

/* one in-memory database for the whole run, the extension registered once;
 * each input makes its table and drops it */
static sqlite3 *db;
static fts5_api *api;
static fts5_tokenizer tokmod; /* the fahras tokenizer's entry points */
static void *tokud;
static Fts5Tokenizer *toks[32]; /* by option set (ctl & 31) */

static void close_db(void)
{
    for (int i = 0; i < 32; i++)
        if (toks[i])
            tokmod.xDelete(toks[i]);
    sqlite3_close(db);
    db = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    FZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    char err[256];
    FZ_CHECK(fh_sqlite_register(db, err, sizeof err) == FH_OK);
    sqlite3_stmt *st = NULL;
    FZ_CHECK(sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    FZ_CHECK(api != NULL);
    FZ_CHECK(api->xFindTokenizer(api, "fahras", &tokud, &tokmod) == SQLITE_OK);
    atexit(close_db);
    return 0;
}

static unsigned cur_tab; /* the table of the input being run: t<cur_tab> */

/* sql with every "{t}" replaced by the current table's name. */
static const char *tq(const char *sql)
{
    static char buf[512];
    char name[16];
    snprintf(name, sizeof name, "t%u", cur_tab);
    size_t n = 0;
    for (const char *p = sql; *p && n + 16 < sizeof buf; p++) {
        if (!strncmp(p, "{t}", 3)) {
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", name);
            p += 2;
        } else
            buf[n++] = *p;
    }
    buf[n] = 0;
    return buf;
}

static int exec_ok(const char *sql)
{
    return sqlite3_exec(db, tq(sql), NULL, NULL, NULL) == SQLITE_OK;
}

/* Run one statement with the text bound as ?1; returns its sqlite3_step
 * end status (SQLITE_DONE, or an error) and calls row() for each row. */
static int run_text(const char *sql, const char *text, size_t len,
                    void (*row)(sqlite3_stmt *, void *), void *ctx)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, tq(sql), -1, &st, NULL) != SQLITE_OK)
        return sqlite3_errcode(db);
    sqlite3_bind_text(st, 1, text, (int)len, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (row)
            row(st, ctx);
    sqlite3_finalize(st);
    return rc;
}

typedef struct tokchk {
    size_t len;
    long long last_start;
} tokchk;

static void on_token_row(sqlite3_stmt *st, void *ctx)
{
    tokchk *c = ctx;
    long long s = sqlite3_column_int64(st, 0), e = sqlite3_column_int64(st, 1);
    FZ_CHECK(0 <= s && s < e && (size_t)e <= c->len);
    FZ_CHECK(s >= c->last_start);
    c->last_start = s;
    const char *norm = (const char *)sqlite3_column_text(st, 2);
    int nlen = sqlite3_column_bytes(st, 2);
    FZ_CHECK(norm != NULL && fz_valid_utf8(norm, (size_t)nlen));
}

static void count_row(sqlite3_stmt *st, void *ctx)
{
    (void)st;
    ++*(int *)ctx;
}

/* ---- 1. the tokenizer through FTS5's API ---- */

typedef struct tkrun {
    const char *text;
    size_t len;
    int mode; /* 0 document, 1 query, 2 prefix or aux */
    int fail_at; /* the callback fails at this token (1-based), or 0 */
    int ncalls;
    int last_start, last_end, last_flags;
    /* the words' terms: the document's first and last term of each word */
    uint64_t first_h, last_h; /* fingerprints, in order */
    int nwords;
    char prev_last[FH_MAX_TOKEN + 1]; /* the current word's last term so far */
    int prev_last_len;
} tkrun;

/* a term into a fingerprint: its bytes, then a 0 */
static uint64_t term_hash(uint64_t h, const char *t, size_t n)
{
    return fz_hash(fz_hash(h, t, n), "", 1);
}

static int on_xtoken(void *ctx, int tflags, const char *tok, int ntok, int start, int end)
{
    tkrun *r = ctx;
    r->ncalls++;
    FZ_CHECK(0 <= start && start < end && (size_t)end <= r->len);
    FZ_CHECK(tok != NULL && ntok >= 1 && ntok <= FH_MAX_TOKEN);
    FZ_CHECK(fz_valid_utf8(tok, (size_t)ntok));
    FZ_CHECK(tflags == 0 || tflags == FTS5_TOKEN_COLOCATED);
    if (tflags == FTS5_TOKEN_COLOCATED) { /* a stem, after its word's norm */
        FZ_CHECK(r->mode == 0 && r->ncalls > 1 && r->last_flags == 0);
        FZ_CHECK(start == r->last_start && end == r->last_end);
    } else {
        FZ_CHECK(r->ncalls == 1 || start >= r->last_end);
        if (r->mode == 0 && r->nwords)
            r->last_h = term_hash(r->last_h, r->prev_last, (size_t)r->prev_last_len);
        r->nwords++;
        r->first_h = term_hash(r->first_h, tok, (size_t)ntok);
    }
    if (r->mode == 1)
        r->last_h = term_hash(r->last_h, tok, (size_t)ntok);
    memcpy(r->prev_last, tok, (size_t)ntok);
    r->prev_last_len = ntok;
    r->last_start = start;
    r->last_end = end;
    r->last_flags = tflags;
    if (r->fail_at && r->ncalls == r->fail_at)
        return SQLITE_ABORT;
    return SQLITE_OK;
}

/* One xTokenize of the text in a mode (0 document, 1 query, 2 prefix or
 * aux; flags are FTS5's), the callback failing at token fail_at (or never:
 * 0); returns xTokenize's status, the run's record in *r. */
static int tokenize(Fts5Tokenizer *tk, tkrun *r, int mode, int flags, int fail_at, const char *text,
                    size_t len)
{
    memset(r, 0, sizeof *r);
    r->text = text;
    r->len = len;
    r->mode = mode;
    r->fail_at = fail_at;
    r->first_h = r->last_h = FZ_HASH0;
    int rc = tokmod.xTokenize(tk, r, flags, text, (int)len, on_xtoken);
    if (mode == 0 && r->nwords) /* the last word's last term */
        r->last_h = term_hash(r->last_h, r->prev_last, (size_t)r->prev_last_len);
    return rc;
}

static void through_api(unsigned ctl, const char *opts, const char *text, size_t len)
{
    /* the options as FTS5 passes them to xCreate: the words after "fahras" */
    char buf[160];
    const char *argv[16];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", opts + 6);
    for (char *w = strtok(buf, " "); w && argc < 16; w = strtok(NULL, " "))
        argv[argc++] = w;
    if (ctl & 32) {
        Fts5Tokenizer *bad = (Fts5Tokenizer *)&bad;
        FZ_CHECK(tokmod.xCreate(tokud, argv, argc, &bad) != SQLITE_OK && bad == NULL);
        return;
    }
    Fts5Tokenizer **tp = &toks[ctl & 31];
    if (!*tp)
        FZ_CHECK(tokmod.xCreate(tokud, argv, argc, tp) == SQLITE_OK && *tp != NULL);
    tkrun doc, q, o, f;
    FZ_CHECK(tokenize(*tp, &doc, 0, FTS5_TOKENIZE_DOCUMENT, 0, text, len) == SQLITE_OK);
    FZ_CHECK(tokenize(*tp, &q, 1, FTS5_TOKENIZE_QUERY, 0, text, len) == SQLITE_OK);
    FZ_CHECK(q.nwords == doc.nwords && q.last_h == doc.last_h);
    /* a prefix query (odd lengths) or the auxiliary mode (even) */
    int other = len & 1 ? FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX : FTS5_TOKENIZE_AUX;
    FZ_CHECK(tokenize(*tp, &o, 2, other, 0, text, len) == SQLITE_OK);
    FZ_CHECK(o.nwords == doc.nwords && o.first_h == doc.first_h);
    if ((ctl & 128) && doc.ncalls) { /* a failing callback stops the run */
        int rc = tokenize(*tp, &f, 0, FTS5_TOKENIZE_DOCUMENT, (int)(len % 7) + 1, text, len);
        if (f.fail_at <= doc.ncalls)
            FZ_CHECK(rc == SQLITE_ABORT && f.ncalls == f.fail_at);
        else
            FZ_CHECK(rc == SQLITE_OK);
    }
}

/* ---- 2. the round trip through SQL ---- */

static void through_sql(unsigned ctl, const char *opts, const char *text, size_t len)
{
    /* one table per option set (ctl & 31), made on first use and kept, its
     * rows deleted after each input; remade every 1,000 uses so that FTS5's
     * delete markers do not pile up.  A bad option is a table of its own,
     * whose CREATE must fail. */
    static unsigned uses[32];
    unsigned tab = ctl & 31;
    char sql[320];
    int made;
    if (ctl & 32) {
        snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE bad USING fts5(body, tokenize='%s')", opts);
        FZ_CHECK(!exec_ok(sql));
        made = 0;
    } else {
        if (uses[tab]++ % 1000 == 999) {
            snprintf(sql, sizeof sql, "DROP TABLE t%u", tab);
            FZ_CHECK(exec_ok(sql));
        }
        snprintf(sql, sizeof sql,
                 "CREATE VIRTUAL TABLE IF NOT EXISTS t%u USING fts5(body, tokenize='%s')", tab,
                 opts);
        made = exec_ok(sql);
        FZ_CHECK(made);
    }
    cur_tab = tab;
    if (made) {
        FZ_CHECK(run_text("INSERT INTO {t}(rowid, body) VALUES (1, CAST(?1 AS TEXT))", text, len,
                          NULL, NULL) == SQLITE_DONE);
        FZ_CHECK(run_text("INSERT INTO {t}(rowid, body) VALUES (2, CAST(?1 AS TEXT))", text, len,
                          NULL, NULL) == SQLITE_DONE);
        FZ_CHECK(exec_ok("INSERT INTO {t}({t}) VALUES ('integrity-check')"));

        /* the document's first token, as a quoted phrase, must find it */
        tokchk tc = {len, 0};
        char first[512] = "", firstq[512] = "";
        sqlite3_stmt *st = NULL;
        FZ_CHECK(sqlite3_prepare_v2(db,
                                    "SELECT start, \"end\", norm, query FROM fahras_tokens(CAST(?1 AS "
                                    "TEXT), ?2) ORDER BY start",
                                    -1, &st, NULL) == SQLITE_OK);
        sqlite3_bind_text(st, 1, text, (int)len, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, opts + 6, -1, SQLITE_STATIC); /* the options after "fahras" */
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            on_token_row(st, &tc);
            long long s = sqlite3_column_int64(st, 0), e = sqlite3_column_int64(st, 1);
            const char *qt = (const char *)sqlite3_column_text(st, 3);
            if (!first[0] && e - s < 200 && qt && strlen(qt) < sizeof firstq &&
                memchr(text + s, '"', (size_t)(e - s)) == NULL &&
                memchr(text + s, 0, (size_t)(e - s)) == NULL) {
                first[0] = '"';
                memcpy(first + 1, text + s, (size_t)(e - s));
                first[e - s + 1] = '"';
                first[e - s + 2] = 0;
                strcpy(firstq, qt);
            }
        }
        FZ_CHECK(rc == SQLITE_DONE);
        sqlite3_finalize(st);
        /* the word alone must be read as in its text: a piece of an over-long
         * run is indexed unstemmed there, but alone it is a word like any */
        int alone_same = 0;
        if (first[0] && fz_valid_utf8(first, strlen(first))) {
            sqlite3_stmt *a = NULL;
            FZ_CHECK(sqlite3_prepare_v2(db, "SELECT query FROM fahras_tokens(?1, ?2)", -1, &a,
                                        NULL) == SQLITE_OK);
            sqlite3_bind_text(a, 1, first + 1, (int)strlen(first) - 2, SQLITE_STATIC);
            sqlite3_bind_text(a, 2, opts + 6, -1, SQLITE_STATIC);
            int rows = 0, same = 0;
            while (sqlite3_step(a) == SQLITE_ROW) {
                const char *qa = (const char *)sqlite3_column_text(a, 0);
                rows++;
                same = qa && !strcmp(qa, firstq);
            }
            sqlite3_finalize(a);
            alone_same = rows == 1 && same;
        }
        if (alone_same) {
            int hits = 0;
            FZ_CHECK(run_text("SELECT rowid FROM {t} WHERE {t} MATCH ?1", first, strlen(first),
                              count_row, &hits) == SQLITE_DONE);
            FZ_CHECK(hits == 2);
            char pre[520];
            snprintf(pre, sizeof pre, "%s*", first);
            hits = 0;
            FZ_CHECK(run_text("SELECT rowid FROM {t} WHERE {t} MATCH ?1", pre, strlen(pre),
                              count_row, &hits) == SQLITE_DONE);
            FZ_CHECK(hits == 2);
            int n = 0;
            FZ_CHECK(run_text(
                              "SELECT highlight({t}, 0, '[', ']') FROM {t} WHERE {t} MATCH ?1",
                              first, strlen(first), count_row, &n) == SQLITE_DONE);
        }
        if (ctl & 64) { /* the text itself as a query: an answer or an SQL error */
            int n = 0;
            (void)run_text("SELECT highlight({t}, 0, '[', ']') FROM {t} WHERE {t} MATCH CAST(?1 AS TEXT)",
                           text, len, count_row, &n);
        }
        FZ_CHECK(run_text("UPDATE {t} SET body = CAST(?1 AS TEXT) || ' x' WHERE rowid = 1", text,
                          len, NULL, NULL) == SQLITE_DONE);
        FZ_CHECK(exec_ok("DELETE FROM {t} WHERE rowid = 2"));
        FZ_CHECK(exec_ok("INSERT INTO {t}({t}) VALUES ('integrity-check')"));
    }
    if (made)
        FZ_CHECK(exec_ok("DELETE FROM {t}"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    unsigned ctl = fz_byte(&in);
    const char *text = (const char *)in.p;
    size_t len = in.n;
    /* the options of control bits 0-5, in order */
    static const char *const bit_opt[6] = {" stem 0",  " stopwords 0",    " marks 0",
                                           " alef 0", " presentation 0", " no_such_option 1"};
    char opts[160] = "fahras";
    for (int b = 0; b < 6; b++)
        if (ctl >> b & 1)
            strcat(opts, bit_opt[b]);
    through_api(ctl, opts, text, len);
#ifndef FZ_REPLAY
    if ((fz_hash(FZ_HASH0, data, size) & 63) != 0)
        return 0; /* libFuzzer: one input in 64 goes through SQL too */
#endif
    through_sql(ctl, opts, text, len);
    return 0;
}
