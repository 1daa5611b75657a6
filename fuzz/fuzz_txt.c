/*
 * fuzz_txt.c — the one-article-a-file reader (ingest.h, section 6, "txt"),
 * through fh_ingest_stream; the common checks are in ingest_harness.h.
 */
#include "ingest_harness.h"

#define FUZZ_MAX_LEN 2048

/* one document, line 1, id the name; the title is one line without the
 * blank space around it, the body has none around it either */
static void check(const fh_doc *d, const fh_ingest_opts *o)
{
    (void)o;
    FZ_CHECK(d->line == 1);
    FZ_CHECK(strcmp(d->id, "fuzz.txt") == 0);
    FZ_CHECK(d->title_len > 0 && fz_none_of(d->title, d->title_len, "\n"));
    FZ_CHECK(fz_trimmed(d->title, d->title_len, " \t\n\r\f\v"));
    FZ_CHECK(fz_trimmed(d->body, d->body_len, " \t\n\r\f\v"));
}

static const fz_spec spec = {FH_FMT_TXT, "fuzz.txt", NULL, NULL, check, 1};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_ingest(&spec, data, size);
}
