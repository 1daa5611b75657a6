/*
 * fuzz_tsv.c — the TSV reader (ingest.h, section 6, "tsv"), through
 * fh_ingest_stream; the common checks are in ingest_harness.h.  With
 * columns given there is no header line: a file repeated reads as its
 * copies.
 */
#include "ingest_harness.h"

#define FUZZ_MAX_LEN 2048

static void alt(fh_ingest_opts *o)
{
    o->columns = "id,source,-,title,body";
}

static int periodic(const fh_ingest_opts *o)
{
    return o->columns != NULL;
}

/* fields are taken verbatim between tabs, inside one line */
static void check(const fh_doc *d, const fh_ingest_opts *o)
{
    (void)o;
    FZ_CHECK(fz_none_of(d->title, d->title_len, "\t\n"));
    FZ_CHECK(fz_none_of(d->body, d->body_len, "\t\n"));
    FZ_CHECK(fz_none_of(d->source, d->source_len, "\t\n"));
    FZ_CHECK(fz_none_of(d->url, d->url_len, "\t\n"));
    FZ_CHECK(fz_none_of(d->date, d->date_len, "\t\n"));
    FZ_CHECK(fz_none_of(d->id, d->id_len, "\t\n"));
}

static const fz_spec spec = {FH_FMT_TSV, "fuzz.tsv", alt, periodic, check, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_ingest(&spec, data, size);
}
