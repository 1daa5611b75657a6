/*
 * fuzz_query.c — the query parser and a search (fh_search) over a tiny
 * index built once in a temporary directory (removed at exit).
 *
 * Input: 2 control bytes, then the query (cut at a NUL byte).
 *   byte 0  bits 0-3 limit, bits 4-5 offset, bit 6 snippets off,
 *           bit 7 short snippets (24 bytes)
 *   byte 1  since and until, from dates[] (low and high nibble)
 *
 * Invariants (fahras.h, section 7): the status is the number of hits
 * delivered or FH_EINVAL with a message for a person (no SQL); at most
 * limit hits, ranked 1, 2, ... by non-increasing score, each an indexed
 * document; snippets valid UTF-8 with their spans inside, in order; the
 * same search run twice gives the same answer.
 */
#include <string.h>
#include <unistd.h>

#include "../include/fahras.h"
#include "fuzz.h"

#define FUZZ_MAX_LEN 512

/* hand-written documents: clitics, spelling variants, marks, phrases,
 * Latin words, numbers, dates and sources for the filters */
static const char *const docs[][5] = {
    {"d1", "أسعار النفط ترتفع", "ارتفعت أسعار النفط اليوم بعد قرار أوبك خفض الإنتاج في العراق.",
     "hayat", "2014-10-12"},
    {"d2", "الطاقة الشمسية", "مشروع للطاقة الشمسية في المغرب يوفر الكهرباء لمليون بيت.", "ahram",
     "2015-06-20"},
    {"d3", "قراءة", "قَرَأَ الطَّالِبُ وَالكِتَابُ مَفْتُوحٌ أَمَامَهُ في المَدرسةِ.", "jazeera",
     "2013-02-02"},
    {"d4", "Obama visits Cairo", "زار أوباما القاهرة وألقى خطاباً عن الولايات المتحدة. G20 2014.",
     "hayat", "2009-06-04"},
    {"d5", "زلزال", "ضرب زلزال بقوة ٦٫٥ درجات شمال اليابان ولم ترد أنباء عن ضحايا.", "", ""},
    {"d6", "", "النفط النفط النفط والكتاب كتاب الكتب مكتبة http://example.com/a b@c.org", "ahram",
     "2014-12-31"},
};
#define NDOCS (sizeof docs / sizeof docs[0])

static const char *const dates[16] = {NULL,    NULL,      "2014",    "2014-10",    "2015-06-20",
                                      "2013",  "2009-06", "1999-01", "2014-13-01", "abc",
                                      "",      "2014-",   "9999",    "2014-10-12", "0000-00-00",
                                      "2015"};

static fh_index *ix;
static char dir[64], dbpath[96];

static void cleanup(void)
{
    fh_index_close(ix);
    ix = NULL;
    const char *ext[] = {"", "-wal", "-shm", "-journal"};
    char p[128];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", dbpath, ext[i]);
        unlink(p);
    }
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/fahras-fuzz.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    FZ_CHECK(mkdtemp(dir) != NULL);
    snprintf(dbpath, sizeof dbpath, "%s/q.db", dir);
    char err[256];
    fh_index *w;
    FZ_CHECK(fh_index_open(dbpath, NULL, &w, err, sizeof err) == FH_OK);
    for (size_t i = 0; i < NDOCS; i++) {
        fh_doc_in d;
        memset(&d, 0, sizeof d);
        d.ext_id = docs[i][0], d.ext_id_len = strlen(docs[i][0]);
        d.title = docs[i][1], d.title_len = strlen(docs[i][1]);
        d.body = docs[i][2], d.body_len = strlen(docs[i][2]);
        d.source = docs[i][3], d.source_len = strlen(docs[i][3]);
        d.date = docs[i][4], d.date_len = strlen(docs[i][4]);
        FZ_CHECK(fh_index_add(w, &d) == FH_ADDED);
    }
    FZ_CHECK(fh_index_close(w) == FH_OK);
    fh_index_options io = fh_index_options_default();
    io.readonly = 1;
    FZ_CHECK(fh_index_open(dbpath, &io, &ix, err, sizeof err) == FH_OK);
    atexit(cleanup);
    return 0;
}

typedef struct res {
    size_t n;
    int snippets;
    double last;
    uint64_t h;
    uint64_t hid; /* of the ids and scores only */
} res;

static int on_hit(void *ctx, const fh_hit *h)
{
    res *r = ctx;
    FZ_CHECK(h->rank == r->n + 1);
    FZ_CHECK(r->n == 0 || h->score <= r->last);
    r->last = h->score;
    int known = 0;
    for (size_t i = 0; i < NDOCS && !known; i++)
        known = h->ext_id && strcmp(h->ext_id, docs[i][0]) == 0;
    FZ_CHECK(known);
    FZ_CHECK(h->title && h->source && h->url && h->date && h->snippet);
    size_t sl = strlen(h->snippet);
    FZ_CHECK(fz_valid_utf8(h->snippet, sl));
    if (!r->snippets)
        FZ_CHECK(sl == 0 && h->nspans == 0);
    size_t end = 0;
    for (size_t i = 0; i < h->nspans; i++) {
        FZ_CHECK(h->spans[i].start >= end && h->spans[i].start < h->spans[i].end);
        FZ_CHECK(h->spans[i].end <= sl);
        end = h->spans[i].end;
    }
    r->h = fz_hash(r->h, h->ext_id, strlen(h->ext_id));
    r->h = fz_hash(r->h, &h->score, sizeof h->score);
    r->h = fz_hash(r->h, h->snippet, sl);
    r->hid = fz_hash(r->hid, h->ext_id, strlen(h->ext_id));
    r->hid = fz_hash(r->hid, &h->score, sizeof h->score);
    r->n++;
    return 0;
}

static long search(const char *q, const fh_search_options *so, res *r, uint64_t *msg)
{
    memset(r, 0, sizeof *r);
    r->h = r->hid = FZ_HASH0;
    r->snippets = so->snippets && !so->ids_only;
    long rc = fh_search(ix, q, so, on_hit, r);
    const char *m = rc < 0 ? fh_index_errmsg(ix) : fh_search_notice(ix);
    FZ_CHECK(m != NULL);
    *msg = fz_hash(FZ_HASH0, m, strlen(m));
    if (rc < 0) {
        FZ_CHECK(rc == FH_EINVAL);
        /* for a person: no SQLite message (unless it quotes the query) */
        FZ_CHECK(m[0]);
        FZ_CHECK(!strstr(m, "SQL") || strstr(q, "SQL"));
        FZ_CHECK(!strstr(m, "sqlite") || strstr(q, "sqlite"));
        FZ_CHECK(r->n == 0);
    } else {
        FZ_CHECK((size_t)rc == r->n);
        FZ_CHECK(so->limit == 0 || r->n <= so->limit);
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    unsigned b0 = fz_byte(&in), b1 = fz_byte(&in);
    fh_search_options so = fh_search_options_default();
    so.limit = b0 & 15;
    so.offset = (b0 >> 4) & 3;
    so.snippets = !(b0 & 0x40);
    if (b0 & 0x80)
        so.snippet_bytes = 24;
    so.since = dates[b1 & 15];
    so.until = dates[b1 >> 4];
    char *q = malloc(in.n + 1);
    FZ_CHECK(q != NULL);
    memcpy(q, in.p, in.n);
    q[in.n] = '\0';
    res a, b;
    uint64_t ma, mb;
    long ra = search(q, &so, &a, &ma);
    long rb = search(q, &so, &b, &mb);
    FZ_CHECK(ra == rb && a.n == b.n && a.h == b.h && ma == mb);
    /* ids only: the same hits and scores, from the handle's memory */
    so.ids_only = 1;
    long rc = search(q, &so, &b, &mb);
    FZ_CHECK(rc == ra && b.n == a.n && b.hid == a.hid && mb == ma);
    free(q);
    return 0;
}
