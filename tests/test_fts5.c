/* test_fts5.c — the FTS5 tokenizer "fahras" and fahras_tokens, at the SQL
 * level: registered in-library (fh_sqlite_register) and loaded as the
 * extension $(B)/fahras_sqlite.so (sqlite3_load_extension), the same
 * checks on both. */
#include "testutil.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

/* ---- the SQLite error log, where a tokenizer constructor's message goes ---- */
static char g_log[1024];
static void on_log(void *ctx, int code, const char *msg)
{
    (void)ctx;
    (void)code;
    size_t n = strlen(g_log);
    snprintf(g_log + n, sizeof g_log - n, "%s\n", msg);
}

static int g_loadable; /* the group's connections load the .so */

/* $(B)/fahras_sqlite.so, beside $(B)/tests/ where this test runs from */
static const char *ext_path(void)
{
    static char path[PATH_MAX + 16];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    for (int k = 0; k < 2; k++) { /* strip /test_fts5, then /tests */
        char *s = strrchr(exe, '/');
        if (!s)
            return NULL;
        *s = '\0';
    }
    snprintf(path, sizeof path, "%s/fahras_sqlite", exe);
    return path;
}

static sqlite3 *open_db(void)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    if (g_loadable) {
        char *err = NULL;
        assert_int_equal(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
        int rc = sqlite3_load_extension(db, ext_path(), NULL, &err);
        if (rc != SQLITE_OK)
            fail_msg("loading %s: %s", ext_path(), err ? err : "?");
    } else {
        char err[256];
        assert_int_equal(fh_sqlite_register(db, err, sizeof err), FH_OK);
        assert_string_equal(err, "");
    }
    return db;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
}

/* the first column of the first row of sql with one text parameter, or NULL */
static char *one(sqlite3 *db, const char *sql, const char *param)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (param)
        sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
    char *r = NULL;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        r = strdup((const char *)sqlite3_column_text(st, 0));
    else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail_msg("%s [%s]: %s", sql, param ? param : "", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return r;
}

/* the rowids matching q, as "1 3" ("" for none) */
static char *ids(sqlite3 *db, const char *q)
{
    return one(db, "SELECT coalesce(group_concat(rowid, ' '), '') FROM "
                   "(SELECT rowid FROM t WHERE t MATCH ?1 ORDER BY rowid)", q);
}

#define ASSERT_IDS(db, q, want)                                                              \
    do {                                                                                     \
        char *got_ = ids(db, q);                                                             \
        if (strcmp(got_, want))                                                              \
            fail_msg("MATCH '%s': rows '%s', expected '%s'", q, got_, want);                 \
        free(got_);                                                                          \
    } while (0)

static void check_integrity(sqlite3 *db)
{
    exec(db, "INSERT INTO t(t, rank) VALUES ('integrity-check', 1)");
}

/* the corpus: diacritized, clitic-laden, tatweel, variants */
static const char *docs[] = {
    /* 1 */ "وَالكِتَابُ في بِمَدرَسَتِهِم الجَدِيدَةِ",
    /* 2 */ "ذهب الطلاب إلى المدرسة صباحا",
    /* 3 */ "قرأت الكـــتاب في المكتبة",
    /* 4 */ "أعلنت الولايات المتحدة عن خطة جديدة",
    /* 5 */ "Reuters: CNN reported the G20 summit",
};

static sqlite3 *corpus(const char *tokenize)
{
    sqlite3 *db = open_db();
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='%s')", tokenize);
    exec(db, sql);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(rowid, body) VALUES (?, ?)", -1, &st, NULL),
                     SQLITE_OK);
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        sqlite3_bind_int(st, 1, (int)i + 1);
        sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return db;
}

static void test_plain_forms_match(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras");
    ASSERT_IDS(db, "كتاب", "1 3");     /* والكتابُ (marks, clitics), الكـــتاب (tatweel) */
    ASSERT_IDS(db, "الكتاب", "1 3");
    ASSERT_IDS(db, "وَالكِتَابُ", "1 3");
    ASSERT_IDS(db, "مدرسة", "1 2");     /* بمدرستهم: ب + مدرسة + هم; المدرسة */
    ASSERT_IDS(db, "مدرسه", "1 2");     /* teh marbuta folded */
    ASSERT_IDS(db, "اعلنت", "4");       /* hamza dropped, as typed on the web */
    ASSERT_IDS(db, "بالولايات", "4");   /* both -> ولايه */
    ASSERT_IDS(db, "cnn", "5");         /* case folded */
    ASSERT_IDS(db, "g20", "5");
    ASSERT_IDS(db, "مكتبة", "3");
    ASSERT_IDS(db, "سيارة", "");
    ASSERT_IDS(db, "كتاب AND مدرسة", "1");
    ASSERT_IDS(db, "كتاب NOT مدرسة", "3");
    check_integrity(db);
    sqlite3_close(db);
}

static void test_prefix(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras");
    ASSERT_IDS(db, "كتا*", "1 3");  /* the stem كتاب of والكتاب, الكتاب */
    ASSERT_IDS(db, "الكت*", "3");   /* normalized words: الكتاب (والكتاب does not start so) */
    ASSERT_IDS(db, "مكت*", "3");
    ASSERT_IDS(db, "أعل*", "4");    /* the prefix is normalized too */
    ASSERT_IDS(db, "رو*", "");
    ASSERT_IDS(db, "reu*", "5");
    sqlite3_close(db);
}

static void test_phrase(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras");
    ASSERT_IDS(db, "\"الولايات المتحدة\"", "4");
    ASSERT_IDS(db, "\"المتحدة الولايات\"", "");
    ASSERT_IDS(db, "\"ولايات متحدة\"", "4");      /* stems, in order */
    ASSERT_IDS(db, "\"الكتاب في المكتبة\"", "3"); /* a stopword inside the phrase */
    ASSERT_IDS(db, "\"كتاب في مدرسة\"", "1");
    ASSERT_IDS(db, "\"كتاب مدرسة\"", "");         /* في stands between them */
    ASSERT_IDS(db, "NEAR(كتاب مكتبة, 3)", "3");
    ASSERT_IDS(db, "\"cnn reported\"", "5");
    sqlite3_close(db);
}

static void test_highlight_and_snippet_mark_the_original(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras");
    char *h = one(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 AND rowid = 1", "مدرسة كتاب");
    assert_non_null(h);
    assert_string_equal(h, "[وَالكِتَابُ] في [بِمَدرَسَتِهِم] الجَدِيدَةِ");
    free(h);
    h = one(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 AND rowid = 3", "\"الكتاب في\"");
    assert_string_equal(h, "قرأت [الكـــتاب في] المكتبة");
    free(h);
    h = one(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1", "كتا*");
    assert_string_equal(h, "[وَالكِتَابُ] في بِمَدرَسَتِهِم الجَدِيدَةِ");
    free(h);
    h = one(db, "SELECT snippet(t, 0, '[', ']', '…', 3) FROM t WHERE t MATCH ?1", "المتحدة");
    assert_string_equal(h, "أعلنت الولايات [المتحدة]…");
    free(h);
    h = one(db, "SELECT highlight(t, 0, '<', '>') FROM t WHERE t MATCH ?1", "cnn");
    assert_string_equal(h, "Reuters: <CNN> reported the G20 summit");
    free(h);
    sqlite3_close(db);
}

static void test_integrity_after_writes(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras");
    check_integrity(db);
    exec(db, "UPDATE t SET body = 'كتبت الطالبات رسائلهن' WHERE rowid = 1");
    check_integrity(db);
    ASSERT_IDS(db, "كتاب", "3");
    ASSERT_IDS(db, "رسائلهن", "1");
    exec(db, "DELETE FROM t WHERE rowid = 3");
    check_integrity(db);
    ASSERT_IDS(db, "كتاب", "");
    exec(db, "INSERT INTO t(rowid, body) VALUES (6, 'وَبِالكِتَابِ والكتابِ'), (7, ''), "
             "(8, 'نص\x01مع\xffبايتات خاطئة')");
    check_integrity(db);
    ASSERT_IDS(db, "كتاب", "6");
    ASSERT_IDS(db, "بايتات", "8"); /* invalid UTF-8 separates words */
    exec(db, "INSERT INTO t(t) VALUES ('optimize')");
    check_integrity(db);
    /* the same with a contentless table fed from an external one */
    exec(db, "CREATE TABLE src(id INTEGER PRIMARY KEY, body);"
             "CREATE VIRTUAL TABLE x USING fts5(body, content='src', content_rowid='id', tokenize='fahras');"
             "INSERT INTO src VALUES (1, 'وَالكِتَابُ'), (2, 'المدرسة');"
             "INSERT INTO x(x) VALUES ('rebuild');"
             "INSERT INTO x(x, rowid, body) VALUES ('delete', 1, 'وَالكِتَابُ');"
             "DELETE FROM src WHERE id = 1;"
             "INSERT INTO x(x, rank) VALUES ('integrity-check', 1);");
    char *n = one(db, "SELECT count(*) FROM x WHERE x MATCH 'مدرسه'", NULL);
    assert_string_equal(n, "1");
    free(n);
    sqlite3_close(db);
}

static void test_terms_and_vocab(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras");
    exec(db, "CREATE VIRTUAL TABLE v USING fts5vocab(t, row)");
    /* the normalized word and its stem are both plain terms */
    char *s = one(db, "SELECT group_concat(term, ' ') FROM (SELECT term FROM v "
                      "WHERE term IN ('والكتاب', 'كتاب', 'الكتاب', 'في') ORDER BY term)", NULL);
    assert_string_equal(s, "الكتاب في كتاب والكتاب");
    free(s);
    s = one(db, "SELECT doc || ' ' || cnt FROM v WHERE term = 'كتاب'", NULL);
    assert_string_equal(s, "2 2");
    free(s);
    /* no term is vowelled or has tatweel */
    s = one(db, "SELECT count(*) FROM v WHERE term GLOB '*[ًٌٍَُِّْـ]*'", NULL);
    assert_string_equal(s, "0");
    free(s);
    sqlite3_close(db);
}

static void test_options(void **state)
{
    (void)state;
    sqlite3 *db = corpus("fahras stem 0");
    ASSERT_IDS(db, "كتاب", "");          /* no stems: words as normalized */
    ASSERT_IDS(db, "الكتاب", "3");
    ASSERT_IDS(db, "والكتاب", "1");
    sqlite3_close(db);
    /* stems are in the default alphabet: the flags tell apart words, not stems */
    db = corpus("fahras teh_marbuta off alef 0");
    ASSERT_IDS(db, "المدرسه", "1 2");
    sqlite3_close(db);
    db = corpus("fahras teh_marbuta off alef 0 stem 0");
    ASSERT_IDS(db, "المدرسه", "");
    ASSERT_IDS(db, "المدرسة", "2");
    ASSERT_IDS(db, "اعلنت", "");
    ASSERT_IDS(db, "أعلنت", "4");
    check_integrity(db);
    sqlite3_close(db);
    db = corpus("fahras marks no stem 0");
    ASSERT_IDS(db, "والكتاب", "");
    ASSERT_IDS(db, "وَالكِتَابُ", "1");
    sqlite3_close(db);
    /* stopwords 0: في is stemmed like any word (it stays في) */
    db = corpus("fahras stopwords 0");
    ASSERT_IDS(db, "\"الكتاب في المكتبة\"", "3");
    sqlite3_close(db);
}

static void test_bad_option(void **state)
{
    (void)state;
    sqlite3 *db = open_db();
    static const struct {
        const char *tokenize, *msg;
    } bad[] = {
        {"fahras badopt 1", "unknown option 'badopt'"},
        {"fahras stem maybe", "option 'stem': bad value 'maybe'"},
        {"fahras stem", "option 'stem' needs a value"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char sql[256];
        g_log[0] = '\0';
        snprintf(sql, sizeof sql, "CREATE VIRTUAL TABLE b USING fts5(body, tokenize='%s')", bad[i].tokenize);
        char *err = NULL;
        assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, &err), SQLITE_ERROR);
        assert_non_null(err);
        assert_non_null(strstr(err, "tokenizer")); /* SQLite 3.40's own words */
        sqlite3_free(err);
        if (!strstr(g_log, bad[i].msg) || !strstr(g_log, "fahras tokenizer"))
            fail_msg("log for '%s': '%s', expected '%s'", bad[i].tokenize, g_log, bad[i].msg);
        /* fahras_tokens says the same as the statement's error */
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, "SELECT * FROM fahras_tokens('x', ?1)", -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, bad[i].tokenize + 7, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_ERROR);
        if (!strstr(sqlite3_errmsg(db), bad[i].msg))
            fail_msg("fahras_tokens('x', '%s'): '%s'", bad[i].tokenize + 7, sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    /* the good options after the bad ones: nothing was left behind */
    exec(db, "CREATE VIRTUAL TABLE b USING fts5(body, tokenize='fahras stem 1 stopwords on')");
    sqlite3_close(db);
}

static void test_fahras_tokens(void **state)
{
    (void)state;
    sqlite3 *db = open_db();
    char *s = one(db, "SELECT group_concat(token || '|' || start || '|' || end || '|' || position || '|' "
                      "|| norm || '|' || stem || '|' || terms || '|' || query || '|' || stopword, ';') "
                      "FROM fahras_tokens(?1)",
                  "وَالكِتَابُ في بِمَدرَسَتِهِم");
    assert_string_equal(s, "وَالكِتَابُ|0|22|0|والكتاب|كتاب|والكتاب كتاب|كتاب|0;"
                           "في|23|27|1|في|في|في|في|1;"
                           "بِمَدرَسَتِهِم|28|56|2|بمدرستهم|مدرسه|بمدرستهم مدرسه|مدرسه|0");
    free(s);
    s = one(db, "SELECT group_concat(terms, ';') FROM fahras_tokens(?1, 'stem 0')", "والكتاب مدرستهم");
    assert_string_equal(s, "والكتاب;مدرستهم");
    free(s);
    s = one(db, "SELECT count(*) FROM fahras_tokens(?1)", "");
    assert_string_equal(s, "0");
    free(s);
    s = one(db, "SELECT count(*) FROM fahras_tokens(NULL)", NULL);
    assert_string_equal(s, "0");
    free(s);
    /* the tokens of every row of a table, by a join */
    exec(db, "CREATE TABLE d(x); INSERT INTO d VALUES ('الكتاب'), ('كتابان جديدان')");
    s = one(db, "SELECT group_concat(stem, ' ') FROM d, fahras_tokens(d.x)", NULL);
    assert_string_equal(s, "كتاب كتاب جديد");
    free(s);
    /* no text: an error that says what to give */
    sqlite3_stmt *st;
    assert_int_not_equal(sqlite3_prepare_v2(db, "SELECT * FROM fahras_tokens", -1, &st, NULL), SQLITE_OK);
    assert_non_null(strstr(sqlite3_errmsg(db), "fahras_tokens('text')"));
    sqlite3_close(db);
}

static void test_register_errors(void **state)
{
    (void)state;
    char err[128];
    assert_int_equal(fh_sqlite_register(NULL, err, sizeof err), FH_EINVAL);
    assert_non_null(strstr(err, "no database"));
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(fh_sqlite_register(db, NULL, 0), FH_OK);
    assert_int_equal(fh_sqlite_register(db, err, sizeof err), FH_OK); /* twice: replaced */
    exec(db, "CREATE VIRTUAL TABLE t USING fts5(body, tokenize='fahras')");
    sqlite3_close(db);
}

static int loadable(void **state)
{
    (void)state;
    g_loadable = 1;
    return 0;
}

#define FTS5_TESTS                                                                 \
    cmocka_unit_test(test_plain_forms_match), cmocka_unit_test(test_prefix),         \
        cmocka_unit_test(test_phrase),                                               \
        cmocka_unit_test(test_highlight_and_snippet_mark_the_original),              \
        cmocka_unit_test(test_integrity_after_writes),                               \
        cmocka_unit_test(test_terms_and_vocab), cmocka_unit_test(test_options),      \
        cmocka_unit_test(test_bad_option), cmocka_unit_test(test_fahras_tokens)

int main(void)
{
    sqlite3_config(SQLITE_CONFIG_LOG, on_log, NULL);
    const struct CMUnitTest in_library[] = {FTS5_TESTS, cmocka_unit_test(test_register_errors)};
    const struct CMUnitTest extension[] = {FTS5_TESTS};
    int f = cmocka_run_group_tests_name("fts5 (fh_sqlite_register)", in_library, NULL, NULL);
    f += cmocka_run_group_tests_name("fts5 (fahras_sqlite.so)", extension, loadable, NULL);
    return f != 0;
}
