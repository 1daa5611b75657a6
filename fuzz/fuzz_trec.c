/*
 * fuzz_trec.c — the TREC <DOC> reader (ingest.h, section 6, "trec"),
 * through fh_ingest_stream; the common checks are in ingest_harness.h.
 */
#include "ingest_harness.h"

#define FUZZ_MAX_LEN 2048

/* spaces around an element's content are dropped */
static void check(const fh_doc *d, const fh_ingest_opts *o)
{
    static const char sp[] = " \t\n\r\f\v";
    (void)o;
    FZ_CHECK(fz_trimmed(d->title, d->title_len, sp));
    FZ_CHECK(fz_trimmed(d->body, d->body_len, sp));
    FZ_CHECK(fz_trimmed(d->source, d->source_len, sp));
    FZ_CHECK(fz_trimmed(d->date, d->date_len, sp));
    FZ_CHECK(fz_trimmed(d->url, d->url_len, sp));
}

static const fz_spec spec = {FH_FMT_TREC, "fuzz.trec", NULL, NULL, check, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_ingest(&spec, data, size);
}
