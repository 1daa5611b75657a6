/*
 * fuzz_jsonl.c — the JSON-lines reader (ingest.h, section 6, "jsonl"),
 * through fh_ingest_stream; the common checks are in ingest_harness.h.
 * Every line is a record: a file repeated reads as its copies.
 */
#include "ingest_harness.h"

#define FUZZ_MAX_LEN 2048

/* other field names: a "text" body and a "docid" id */
static void alt(fh_ingest_opts *o)
{
    o->field_id = "docid";
    o->field_body = "text";
}

static int periodic(const fh_ingest_opts *o)
{
    (void)o;
    return 1;
}

static const fz_spec spec = {FH_FMT_JSONL, "fuzz.jsonl", alt, periodic, NULL, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fz_ingest(&spec, data, size);
}
