/*
 * fuzz_segment.c — the segmenter (fh_segment) on any bytes.
 *
 * Input: 1 control byte, then the text.
 *   bit 0  scheme clitics (else farasa)    bit 1  normalized letters
 *   bits 2-4  the output buffer is cut to (ctl >> 2 & 7) * 7 bytes, to
 *             check the measure-then-fill contract on short buffers
 *
 * Invariants (fahras.h, section 9): the result is at most 4 * len + 4
 * bytes; a buffer of that size holds it whole, NUL-terminated, valid UTF-8,
 * with exactly as many newlines as the input; no line begins or ends with
 * a space and no two spaces stand together; a short buffer gets exactly its
 * size in bytes of the whole result (not terminated), or the whole result
 * if it fits, and the call still says the size it needs; the same text
 * segmented twice (the cache warm) gives the same bytes.
 *
 * One segmenter per option set lives for the whole run (its cache warm with
 * every earlier input, as in a long `fahras segment`): making one per input
 * (an 8 MB cache each) held the harness to a few hundred executions a second.
 */
#include <string.h>

#include "../include/fahras.h"
#include "fuzz.h"

#define FUZZ_MAX_LEN 2048

static size_t count_nl(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

static fh_segmenter *kept[4]; /* by ctl & 3 */

static void free_kept(void)
{
    for (int i = 0; i < 4; i++)
        fh_segmenter_free(kept[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_in in = {data, size};
    unsigned ctl = fz_byte(&in);
    const char *text = (const char *)in.p;
    size_t len = in.n;
    fh_segment_options o = fh_segment_options_default();
    o.scheme = ctl & 1 ? FH_SEG_CLITICS : FH_SEG_FARASA;
    o.normalized = (ctl >> 1) & 1;
    fh_segmenter **sgp = &kept[ctl & 3];
    static int registered;
    if (!registered++)
        atexit(free_kept);
    if (!*sgp)
        FZ_CHECK(fh_segmenter_new(&o, sgp) == FH_OK && *sgp != NULL);
    fh_segmenter *sg = *sgp;

    size_t cap = 4 * len + 5;
    char *out = malloc(cap), *again = malloc(cap);
    FZ_CHECK(out && again);
    size_t need = fh_segment(sg, text, len, out, cap);
    FZ_CHECK(need <= 4 * len + 4);
    FZ_CHECK(out[need] == '\0');
    FZ_CHECK(fz_valid_utf8(out, need));
    FZ_CHECK(count_nl(out, need) == count_nl(text, len));
    for (size_t i = 0; i < need; i++) {
        if (out[i] != ' ')
            continue;
        FZ_CHECK(i > 0 && out[i - 1] != '\n' && out[i - 1] != ' ');
        FZ_CHECK(i + 1 < need && out[i + 1] != '\n');
    }
    /* warm cache: the same answer */
    FZ_CHECK(fh_segment(sg, text, len, again, cap) == need);
    FZ_CHECK(memcmp(out, again, need) == 0);
    /* a short buffer: the needed size, and a prefix of the whole */
    size_t small = ((ctl >> 2) & 7) * 7;
    if (small < cap) {
        memset(again, 0x55, cap);
        FZ_CHECK(fh_segment(sg, text, len, small ? again : NULL, small) == need);
        if (small && need < small) { /* it fits: whole, NUL-terminated */
            FZ_CHECK(memcmp(again, out, need) == 0 && again[need] == '\0');
        } else if (small) { /* cut: exactly small bytes of the whole, no more */
            FZ_CHECK(memcmp(again, out, small) == 0);
            FZ_CHECK((unsigned char)again[small] == 0x55);
        }
    }
    free(out);
    free(again);
    return 0;
}
