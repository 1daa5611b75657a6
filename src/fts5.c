/*
 * fts5.c — the SQLite FTS5 tokenizer "fahras" and the debug table
 * fahras_tokens(text [, options]): a thin adapter over fh_analyze().
 *
 * Compiled twice: into libfahras (fh_sqlite_register(), calling SQLite
 * directly), and with FH_SQLITE_EXTENSION into the loadable extension
 * build/fahras_sqlite.so (adapters/sqlite/extension.c), where every sqlite3_*
 * call goes through the routines table the loading SQLite hands over.
 *
 * What is emitted (fh_emit_terms() is the one place that decides, for the
 * tokenizer and for fahras_tokens alike):
 *   document  the normalized word, then its stem as FTS5_TOKEN_COLOCATED
 *             when it differs (stopwords are not stemmed: one term);
 *   query     the stem (what the document always holds at that position);
 *   prefix    (a query term with '*') the normalized word, so كتا* matches
 *             كتاب and every normalized word starting so;
 *   aux       (highlight(), snippet()) the normalized word only: positions
 *             are what matter there, and colocated terms are ignored.
 * Offsets are fh_token's: bytes of the text as written, so highlight() marks
 * the original (diacritized, tatweel-laden) text.
 */
#ifdef FH_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/fahras.h"

typedef int (*fh_xtoken)(void *ctx, int tflags, const char *tok, int ntok, int start, int end);

enum { EMIT_DOCUMENT, EMIT_QUERY, EMIT_PREFIX, EMIT_AUX };

static int emit_mode(int fts5_flags)
{
    if (fts5_flags & FTS5_TOKENIZE_QUERY)
        return (fts5_flags & FTS5_TOKENIZE_PREFIX) ? EMIT_PREFIX : EMIT_QUERY;
    if (fts5_flags & FTS5_TOKENIZE_AUX)
        return EMIT_AUX;
    return EMIT_DOCUMENT;
}

/* The terms of one token in one mode, handed to x (an FTS5 xToken callback
 * or fahras_tokens' collector).  Returns x's first non-zero status. */
static int fh_emit_terms(int mode, const fh_token *t, fh_xtoken x, void *ctx)
{
    int s = (int)t->start, e = (int)t->end; /* FTS5 texts are < 2 GiB */
    int rc;
    switch (mode) {
    case EMIT_QUERY:
        return x(ctx, 0, t->stem, (int)t->stem_len, s, e);
    case EMIT_PREFIX:
    case EMIT_AUX:
        return x(ctx, 0, t->norm, (int)t->norm_len, s, e);
    default:
        rc = x(ctx, 0, t->norm, (int)t->norm_len, s, e);
        if (rc == SQLITE_OK && (t->stem_len != t->norm_len || memcmp(t->stem, t->norm, t->norm_len)))
            rc = x(ctx, FTS5_TOKEN_COLOCATED, t->stem, (int)t->stem_len, s, e);
        return rc;
    }
}

/* Options as FTS5 passes them: "name value" pairs (tokenize='fahras stem 0
 * marks off').  The names and values are fh_options_set()'s. */
static int parse_options(const char *const *argv, int n, fh_options *opt, char *err, size_t errlen)
{
    *opt = fh_options_default();
    for (int i = 0; i < n; i += 2) {
        int rc = fh_options_set(opt, argv[i], i + 1 < n ? argv[i + 1] : NULL, err, errlen);
        if (rc != FH_OK)
            return rc;
    }
    return FH_OK;
}

/* ===================================================================== *
 * The FTS5 tokenizer
 * ===================================================================== */

typedef struct fh_fts5_tokenizer {
    fh_analyzer *a; /* one per FTS5 table and connection: used by one thread */
} fh_fts5_tokenizer;

static void tok_delete(Fts5Tokenizer *p)
{
    fh_fts5_tokenizer *t = (fh_fts5_tokenizer *)p;
    if (t) {
        fh_analyzer_free(t->a);
        sqlite3_free(t);
    }
}

static int tok_create(void *ud, const char **argv, int argc, Fts5Tokenizer **out)
{
    (void)ud;
    *out = NULL;
    fh_options opt;
    char msg[200], err[256];
    if (parse_options(argv, argc, &opt, msg, sizeof msg) != FH_OK) {
        /* SQLite (3.40 and later) reports any failure here as "error in
         * tokenizer constructor": the message naming the option goes to
         * the error log (sqlite3_config(SQLITE_CONFIG_LOG)); fahras_tokens()
         * with the same options says it as an SQL error. */
        snprintf(err, sizeof err, "fahras tokenizer: %s", msg);
        sqlite3_log(SQLITE_ERROR, "%s", err);
        return SQLITE_ERROR;
    }
    fh_fts5_tokenizer *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    if (fh_analyzer_new(&opt, &t->a) != FH_OK) {
        sqlite3_free(t);
        return SQLITE_NOMEM;
    }
    *out = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

typedef struct tok_run {
    fh_xtoken x;
    void *ctx;
    int mode;
    int rc;
} tok_run;

static int tok_on_token(void *p, const fh_token *t)
{
    tok_run *r = p;
    r->rc = fh_emit_terms(r->mode, t, r->x, r->ctx);
    return r->rc != SQLITE_OK;
}

static int tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len, fh_xtoken x)
{
    fh_fts5_tokenizer *t = (fh_fts5_tokenizer *)p;
    tok_run r = {x, ctx, emit_mode(flags), SQLITE_OK};
    if (len <= 0)
        return SQLITE_OK;
    fh_analyze(t->a, text, (size_t)len, tok_on_token, &r);
    return r.rc;
}

#if SQLITE_VERSION_NUMBER >= 3047000
/* FTS5 v2 tokenizers (SQLite 3.47+) also receive a locale: fahras has one
 * analysis for every locale, so the v2 entry is the v1 one. */
static int tok_tokenize_v2(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
                           const char *locale, int nlocale, fh_xtoken x)
{
    (void)locale;
    (void)nlocale;
    return tok_tokenize(p, ctx, flags, text, len, x);
}
#endif

/* ===================================================================== *
 * fahras_tokens(text [, options]): an eponymous table-valued function
 * ===================================================================== */

enum { COL_TOKEN, COL_START, COL_END, COL_POSITION, COL_NORM, COL_STEM, COL_TERMS, COL_QUERY,
       COL_STOPWORD, COL_TEXT, COL_OPTIONS };

typedef struct tv_row {
    sqlite3_int64 start, end, position;
    int stopword;
    size_t str[5], len[5]; /* norm, stem, terms, query: offsets into the arena */
} tv_row;

typedef struct tv_cursor {
    sqlite3_vtab_cursor base;
    char *text;  /* a copy of the analyzed text */
    char *arena; /* the rows' strings */
    size_t alen, acap;
    tv_row *rows;
    size_t nrows, rcap, i;
    int nomem;
} tv_cursor;

/* The table of a connection (fahras_tokens is eponymous: one per
 * connection, made at its first use, kept until the connection closes).
 * It keeps the analyzer of the last call while the options stay the same,
 * so that neither a join (fahras_tokens(docs.body)) nor a run of statements
 * makes one per row or per statement.  Its cursors share it: each analyzes
 * its whole text inside xFilter, and a connection is used by one thread at
 * a time. */
typedef struct tv_vtab {
    sqlite3_vtab base;
    fh_analyzer *an;
    fh_options an_opt;
} tv_vtab;

static int tv_connect(sqlite3 *db, void *ud, int argc, const char *const *argv, sqlite3_vtab **out,
                      char **err)
{
    (void)ud;
    (void)argc;
    (void)argv;
    (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(token, start, end, position, norm, stem, "
                                      "terms, query, stopword, text HIDDEN, options HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    tv_vtab *t = sqlite3_malloc(sizeof *t);
    if (!t)
        return SQLITE_NOMEM;
    memset(t, 0, sizeof *t);
    *out = &t->base;
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    return SQLITE_OK;
}

static int tv_disconnect(sqlite3_vtab *v)
{
    fh_analyzer_free(((tv_vtab *)v)->an);
    sqlite3_free(v);
    return SQLITE_OK;
}

static int tv_best_index(sqlite3_vtab *v, sqlite3_index_info *ix)
{
    (void)v;
    int text = -1, opts = -1;
    for (int i = 0; i < ix->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &ix->aConstraint[i];
        if (c->op != SQLITE_INDEX_CONSTRAINT_EQ)
            continue;
        if (c->iColumn == COL_TEXT || c->iColumn == COL_OPTIONS) {
            if (!c->usable)
                return SQLITE_CONSTRAINT; /* wait for a plan where it is */
            *(c->iColumn == COL_TEXT ? &text : &opts) = i;
        }
    }
    if (text < 0) {
        sqlite3_free(v->zErrMsg);
        v->zErrMsg = sqlite3_mprintf("fahras_tokens: give the text, as in fahras_tokens('text')");
        return SQLITE_ERROR;
    }
    ix->aConstraintUsage[text].argvIndex = 1;
    ix->aConstraintUsage[text].omit = 1;
    ix->idxNum = 0;
    if (opts >= 0) {
        ix->aConstraintUsage[opts].argvIndex = 2;
        ix->aConstraintUsage[opts].omit = 1;
        ix->idxNum = 1;
    }
    ix->estimatedCost = 10;
    ix->estimatedRows = 10;
    return SQLITE_OK;
}

static int tv_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    tv_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static void tv_reset(tv_cursor *c)
{
    sqlite3_free(c->text);
    sqlite3_free(c->arena);
    sqlite3_free(c->rows);
    c->text = c->arena = NULL;
    c->rows = NULL;
    c->alen = c->acap = c->nrows = c->rcap = c->i = 0;
    c->nomem = 0;
}

static int tv_close(sqlite3_vtab_cursor *cur)
{
    tv_cursor *c = (tv_cursor *)cur;
    tv_reset(c);
    sqlite3_free(c);
    return SQLITE_OK;
}

/* Append n bytes to the arena; returns their offset (c->nomem on failure). */
static size_t tv_put(tv_cursor *c, const char *s, size_t n)
{
    if (c->alen + n > c->acap) {
        size_t cap = c->acap ? c->acap : 256;
        while (cap < c->alen + n)
            cap *= 2;
        char *a = sqlite3_realloc64(c->arena, cap);
        if (!a) {
            c->nomem = 1;
            return 0;
        }
        c->arena = a;
        c->acap = cap;
    }
    size_t at = c->alen;
    if (n)
        memcpy(c->arena + at, s, n);
    c->alen += n;
    return at;
}

typedef struct tv_terms {
    tv_cursor *c;
    size_t n; /* terms appended so far */
} tv_terms;

/* fh_emit_terms' collector: the terms, space-separated, into the arena */
static int tv_on_term(void *p, int tflags, const char *tok, int ntok, int start, int end)
{
    (void)tflags;
    (void)start;
    (void)end;
    tv_terms *t = p;
    if (t->n++)
        tv_put(t->c, " ", 1);
    tv_put(t->c, tok, (size_t)ntok);
    return t->c->nomem ? SQLITE_NOMEM : SQLITE_OK;
}

static int tv_on_token(void *p, const fh_token *t)
{
    tv_cursor *c = p;
    if (c->nrows == c->rcap) {
        size_t cap = c->rcap ? 2 * c->rcap : 16;
        tv_row *r = sqlite3_realloc64(c->rows, cap * sizeof *r);
        if (!r) {
            c->nomem = 1;
            return 1;
        }
        c->rows = r;
        c->rcap = cap;
    }
    tv_row *r = &c->rows[c->nrows];
    r->start = (sqlite3_int64)t->start;
    r->end = (sqlite3_int64)t->end;
    r->position = (sqlite3_int64)t->position;
    r->stopword = (t->flags & FH_TOKEN_STOPWORD) != 0;
    r->str[0] = tv_put(c, t->norm, t->norm_len);
    r->len[0] = t->norm_len;
    r->str[1] = tv_put(c, t->stem, t->stem_len);
    r->len[1] = t->stem_len;
    for (int k = 2; k <= 3; k++) {
        tv_terms terms = {c, 0};
        size_t at = c->alen;
        fh_emit_terms(k == 2 ? EMIT_DOCUMENT : EMIT_QUERY, t, tv_on_term, &terms);
        r->str[k] = at;
        r->len[k] = c->alen - at;
    }
    if (c->nomem)
        return 1;
    c->nrows++;
    return 0;
}

/* Split s (modified in place) at spaces into at most max words. */
static int split_words(char *s, const char **argv, int max)
{
    int n = 0;
    for (char *p = strtok(s, " \t\n"); p && n < max; p = strtok(NULL, " \t\n"))
        argv[n++] = p;
    return n;
}

static int tv_filter(sqlite3_vtab_cursor *cur, int idxnum, const char *idxstr, int argc,
                     sqlite3_value **argv)
{
    (void)idxstr;
    tv_cursor *c = (tv_cursor *)cur;
    sqlite3_vtab *v = cur->pVtab;
    tv_reset(c);
    fh_options opt = fh_options_default();
    if (idxnum == 1 && argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) {
        /* the options, as in tokenize='fahras ...': at most 32 words */
        char *o = sqlite3_mprintf("%s", (const char *)sqlite3_value_text(argv[1]));
        const char *words[32];
        char msg[200];
        if (!o)
            return SQLITE_NOMEM;
        int n = split_words(o, words, 32);
        int rc = parse_options(words, n, &opt, msg, sizeof msg);
        if (rc != FH_OK) {
            sqlite3_free(v->zErrMsg);
            v->zErrMsg = sqlite3_mprintf("fahras_tokens: %s", msg);
        }
        sqlite3_free(o);
        if (rc != FH_OK)
            return SQLITE_ERROR;
    }
    if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return SQLITE_OK; /* no text, no tokens */
    const void *blob = sqlite3_value_blob(argv[0]); /* bytes as given, NULs included */
    int len = sqlite3_value_bytes(argv[0]);         /* (after the blob: SQLite's order) */
    c->text = sqlite3_malloc64((sqlite3_uint64)len + 1);
    if (!c->text)
        return SQLITE_NOMEM;
    if (len)
        memcpy(c->text, blob, (size_t)len);
    c->text[len] = '\0';
    tv_vtab *t = (tv_vtab *)v;
    if (!t->an || t->an_opt.norm_flags != opt.norm_flags || t->an_opt.stem != opt.stem ||
        t->an_opt.stopwords != opt.stopwords || t->an_opt.max_token != opt.max_token) {
        fh_analyzer_free(t->an);
        t->an = NULL;
        if (fh_analyzer_new(&opt, &t->an) != FH_OK)
            return SQLITE_NOMEM;
        t->an_opt = opt;
    }
    fh_analyze(t->an, c->text, (size_t)len, tv_on_token, c);
    return c->nomem ? SQLITE_NOMEM : SQLITE_OK;
}

static int tv_next(sqlite3_vtab_cursor *cur)
{
    ((tv_cursor *)cur)->i++;
    return SQLITE_OK;
}

static int tv_eof(sqlite3_vtab_cursor *cur)
{
    tv_cursor *c = (tv_cursor *)cur;
    return c->i >= c->nrows;
}

static int tv_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    tv_cursor *c = (tv_cursor *)cur;
    const tv_row *r = &c->rows[c->i];
    switch (col) {
    case COL_TOKEN:
        sqlite3_result_text(ctx, c->text + r->start, (int)(r->end - r->start), SQLITE_TRANSIENT);
        break;
    case COL_START:
        sqlite3_result_int64(ctx, r->start);
        break;
    case COL_END:
        sqlite3_result_int64(ctx, r->end);
        break;
    case COL_POSITION:
        sqlite3_result_int64(ctx, r->position);
        break;
    case COL_NORM:
    case COL_STEM:
    case COL_TERMS:
    case COL_QUERY: {
        int k = col - COL_NORM;
        sqlite3_result_text(ctx, c->arena + r->str[k], (int)r->len[k], SQLITE_TRANSIENT);
        break;
    }
    case COL_STOPWORD:
        sqlite3_result_int(ctx, r->stopword);
        break;
    default: /* the hidden arguments */
        break;
    }
    return SQLITE_OK;
}

static int tv_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = (sqlite3_int64)((tv_cursor *)cur)->i + 1;
    return SQLITE_OK;
}

static sqlite3_module tv_module = {
    .iVersion = 0,
    .xCreate = NULL, /* eponymous only: fahras_tokens(...) needs no CREATE */
    .xConnect = tv_connect,
    .xBestIndex = tv_best_index,
    .xDisconnect = tv_disconnect,
    .xDestroy = tv_disconnect,
    .xOpen = tv_open,
    .xClose = tv_close,
    .xFilter = tv_filter,
    .xNext = tv_next,
    .xEof = tv_eof,
    .xColumn = tv_column,
    .xRowid = tv_rowid,
};

/* ===================================================================== *
 * Registration
 * ===================================================================== */

static fts5_api *fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

static void seterr(char *err, size_t errlen, const char *msg, sqlite3 *db)
{
    if (err && errlen > 0)
        snprintf(err, errlen, "%s%s%s", msg, db ? ": " : "", db ? sqlite3_errmsg(db) : "");
}

FH_API int fh_sqlite_register(struct sqlite3 *db, char *err, size_t errlen)
{
    if (err && errlen > 0)
        err[0] = '\0';
    if (!db) {
        seterr(err, errlen, "fh_sqlite_register: no database connection", NULL);
        return FH_EINVAL;
    }
    fts5_api *api = fts5_api_of(db);
    if (!api || api->iVersion < 2) {
        seterr(err, errlen, "fahras: this SQLite has no FTS5 (or an FTS5 older than 3.20)", NULL);
        return FH_EINVAL;
    }
    int rc;
#if SQLITE_VERSION_NUMBER >= 3047000
    if (api->iVersion >= 3) {
        static fts5_tokenizer_v2 v2 = {2, tok_create, tok_delete, tok_tokenize_v2};
        rc = api->xCreateTokenizer_v2(api, "fahras", NULL, &v2, NULL);
    } else
#endif
    {
        fts5_tokenizer v1 = {tok_create, tok_delete, tok_tokenize};
        rc = api->xCreateTokenizer(api, "fahras", NULL, &v1, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_create_module_v2(db, "fahras_tokens", &tv_module, NULL, NULL);
    if (rc != SQLITE_OK) {
        seterr(err, errlen, "fahras: registering the tokenizer failed", db);
        return rc == SQLITE_NOMEM ? FH_ENOMEM : FH_EINVAL;
    }
    return FH_OK;
}
