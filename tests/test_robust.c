/*
 * test_robust.c — the index's safety options (include/fahras.h, section 7):
 *
 *   on_commit      one call per committed batch: its documents and last id
 *   batch_bytes    a batch commits once it holds that much text
 *   max_doc_bytes  a larger document is refused, the batch goes on
 *   rollback       a write that fails mid-batch (an SQLite trigger makes it
 *                  fail) rolls the whole batch back and says so; the
 *                  batches before are intact, the next one works
 *   two writers    opening takes no write lock; the second writer's first
 *                  write waits busy_timeout_ms, then fails with a message
 *
 * The command-line robustness tests (kills, full disk, encodings, limits,
 * concurrency between processes) are in tests/robust/.
 */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

typedef struct fixture {
    char dir[256], db[300];
    char log[4096]; /* on_commit calls: "DOCS LAST;" each */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(f->dir, sizeof f->dir, "%s/fahras-robust.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->db, sizeof f->db, "%s/r.db", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    const char *suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[320];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", f->db, suffix[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static void on_commit(void *ctx, size_t docs, const char *last)
{
    fixture *f = ctx;
    size_t n = strlen(f->log);
    snprintf(f->log + n, sizeof f->log - n, "%zu %s;", docs, last);
}

static fh_index *open_with(fixture *f, fh_index_options *o)
{
    fh_index *ix = NULL;
    char err[256];
    o->on_commit = on_commit;
    o->commit_ctx = f;
    int st = fh_index_open(f->db, o, &ix, err, sizeof err);
    if (st != FH_OK)
        fail_msg("open: %s", err);
    return ix;
}

static int put(fh_index *ix, const char *id, const char *body)
{
    fh_doc_in d;
    memset(&d, 0, sizeof d);
    d.ext_id = id;
    d.ext_id_len = strlen(id);
    d.body = body;
    d.body_len = strlen(body);
    return fh_index_add(ix, &d);
}

static long long ndocs(fh_index *ix)
{
    fh_index_stats st;
    assert_int_equal(fh_index_stats_get(ix, &st), FH_OK);
    return st.documents;
}

static void test_on_commit(void **state)
{
    fixture *f = *state;
    fh_index_options o = fh_index_options_default();
    o.batch_docs = 3;
    fh_index *ix = open_with(f, &o);
    char id[16];
    for (int i = 1; i <= 7; i++) {
        snprintf(id, sizeof id, "d%d", i);
        assert_int_equal(put(ix, id, "كتاب جديد"), FH_ADDED);
    }
    assert_string_equal(f->log, "3 d3;3 d6;");
    assert_int_equal(fh_index_commit(ix), FH_OK);
    assert_string_equal(f->log, "3 d3;3 d6;1 d7;");
    /* a batch of unchanged documents commits nothing new */
    assert_int_equal(put(ix, "d1", "كتاب جديد"), FH_UNCHANGED);
    assert_int_equal(fh_index_commit(ix), FH_OK);
    assert_string_equal(f->log, "3 d3;3 d6;1 d7;0 ;");
    /* a replaced document counts */
    assert_int_equal(put(ix, "d2", "كتاب قديم"), FH_REPLACED);
    assert_int_equal(fh_index_close(ix), FH_OK);
    assert_string_equal(f->log, "3 d3;3 d6;1 d7;0 ;1 d2;");
}

static void test_batch_bytes(void **state)
{
    fixture *f = *state;
    fh_index_options o = fh_index_options_default();
    o.batch_bytes = 1000;
    fh_index *ix = open_with(f, &o);
    char body[401], id[16];
    memset(body, 'a', 400);
    body[400] = '\0';
    for (int i = 1; i <= 7; i++) {
        snprintf(id, sizeof id, "b%d", i);
        body[0] = (char)('a' + i); /* distinct content */
        assert_int_equal(put(ix, id, body), FH_ADDED);
    }
    /* 3 x 400 bytes reach 1000: a commit every third document */
    assert_string_equal(f->log, "3 b3;3 b6;");
    assert_int_equal(fh_index_close(ix), FH_OK);
    assert_string_equal(f->log, "3 b3;3 b6;1 b7;");
}

static void test_max_doc_bytes(void **state)
{
    fixture *f = *state;
    fh_index_options o = fh_index_options_default();
    o.max_doc_bytes = 100;
    fh_index *ix = open_with(f, &o);
    char body[102];
    memset(body, 'x', 101);
    body[101] = '\0';
    assert_int_equal(put(ix, "big", body), FH_EINVAL);
    assert_non_null(strstr(fh_index_errmsg(ix),
                           "document 'big' is larger than the limit of 100 bytes (max_doc_bytes)"));
    body[100] = '\0';
    assert_int_equal(put(ix, "fits", body), FH_ADDED);
    assert_int_equal(fh_index_commit(ix), FH_OK);
    assert_int_equal(ndocs(ix), 1);
    /* the default is 16 MiB */
    assert_int_equal(fh_index_options_default().max_doc_bytes, (size_t)16 << 20);
    fh_index_close(ix);
}

static void test_rollback(void **state)
{
    fixture *f = *state;
    fh_index_options o = fh_index_options_default();
    fh_index *ix = open_with(f, &o);
    assert_int_equal(put(ix, "a1", "النفط"), FH_ADDED);
    assert_int_equal(put(ix, "a2", "الغاز"), FH_ADDED);
    assert_int_equal(fh_index_close(ix), FH_OK);
    /* a write that fails: a trigger refuses the id "boom" */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TRIGGER boom BEFORE INSERT ON docs WHEN NEW.ext_id = "
                                  "'boom' BEGIN SELECT RAISE(ABORT, 'refused'); END",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    f->log[0] = '\0';
    ix = open_with(f, &o);
    assert_int_equal(put(ix, "x1", "كتاب"), FH_ADDED);
    assert_int_equal(put(ix, "x2", "مدرسة"), FH_ADDED);
    assert_int_equal(put(ix, "boom", "قلم"), FH_EIO);
    const char *m = fh_index_errmsg(ix);
    assert_non_null(strstr(m, "storing a document: refused"));
    assert_non_null(strstr(m, "the batch in flight (2 documents) was rolled back"));
    assert_string_equal(f->log, ""); /* nothing was reported committed */
    assert_int_equal(ndocs(ix), 2);  /* a1, a2: intact; x1, x2: gone */
    assert_int_equal(fh_index_check(ix), FH_OK);
    /* the next batch works */
    assert_int_equal(put(ix, "x3", "بيت"), FH_ADDED);
    assert_int_equal(fh_index_commit(ix), FH_OK);
    assert_string_equal(f->log, "1 x3;");
    assert_int_equal(ndocs(ix), 3);
    fh_doc_view v;
    assert_int_equal(fh_index_get(ix, "x1", &v), 0);
    assert_int_equal(fh_index_get(ix, "a2", &v), 1);
    assert_int_equal(fh_index_check(ix), FH_OK);
    fh_index_close(ix);
}

static void test_two_writers(void **state)
{
    fixture *f = *state;
    fh_index_options o = fh_index_options_default();
    fh_index *w1 = open_with(f, &o);
    assert_int_equal(put(w1, "w1", "النفط"), FH_ADDED); /* w1 holds the write lock */
    fh_index_options o2 = fh_index_options_default();
    o2.busy_timeout_ms = 100;
    fh_index *w2 = open_with(f, &o2); /* opening takes no write lock */
    assert_int_equal(put(w2, "w2", "الغاز"), FH_EIO);
    assert_non_null(
        strstr(fh_index_errmsg(w2), "another process is writing to this index (waited 100 ms)"));
    assert_int_equal(fh_index_commit(w1), FH_OK);
    assert_int_equal(put(w2, "w2", "الغاز"), FH_ADDED);
    assert_int_equal(fh_index_commit(w2), FH_OK);
    assert_int_equal(ndocs(w2), 2);
    fh_index_close(w2);
    fh_index_close(w1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_on_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_max_doc_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_writers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
