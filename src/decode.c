/*
 * decode.c — input encodings (the manual is decode.h).
 *
 * Raw bytes go through one side buffer (raw, FH_DEC_SAMPLE bytes): the
 * sample is read into it first; after that, UTF-8 is read straight into the
 * caller's buffer and everything else is read into raw and converted by
 * iconv into the caller's buffer, a sequence cut at the end of raw kept for
 * the next read.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "ingest.h"

struct fh_decoder {
    FILE *f;
    unsigned char *raw;
    size_t rpos, rlen;  /* [rpos, rlen) unread raw bytes */
    int raw_eof;        /* f is at its end */
    iconv_t cd;         /* (iconv_t)-1: UTF-8, passed through */
    size_t unit;        /* bytes skipped after an undecodable sequence */
    const char *name;
    fh_dec_warn_fn warn;
    void *ctx;
    unsigned long line; /* newlines handed out so far */
    unsigned long nwarn;
    int done;           /* end reached and reported */
};

static const char U_FFFD[3] = {(char)0xEF, (char)0xBF, (char)0xBD};

fh_decoder *fh_dec_new(void)
{
    fh_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->raw = malloc(FH_DEC_SAMPLE);
    if (!d->raw) {
        free(d);
        return NULL;
    }
    d->cd = (iconv_t)-1;
    return d;
}

static void dec_close(fh_decoder *d)
{
    if (d->cd != (iconv_t)-1)
        iconv_close(d->cd);
    d->cd = (iconv_t)-1;
}

void fh_dec_free(fh_decoder *d)
{
    if (!d)
        return;
    dec_close(d);
    free(d->raw);
    free(d);
}

static int is_auto(const char *e) { return !e || !*e || !strcmp(e, "auto"); }

static int is_utf8_name(const char *e)
{
    return !strcmp(e, "utf-8") || !strcmp(e, "UTF-8") || !strcmp(e, "utf8") || !strcmp(e, "UTF8");
}

int fh_dec_check(const char *encoding, char *err, size_t errlen)
{
    if (is_auto(encoding) || is_utf8_name(encoding))
        return 0;
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd == (iconv_t)-1) {
        if (err && errlen)
            snprintf(err, errlen, "unknown encoding '%s' (see iconv --list)", encoding);
        return -1;
    }
    iconv_close(cd);
    return 0;
}

/* Fill raw from f, keeping its unread bytes.  0, or FH_EIO. */
static int raw_fill(fh_decoder *d, int *err_no)
{
    if (d->raw_eof)
        return 0;
    if (d->rpos > 0) {
        memmove(d->raw, d->raw + d->rpos, d->rlen - d->rpos);
        d->rlen -= d->rpos;
        d->rpos = 0;
    }
    size_t want = FH_DEC_SAMPLE - d->rlen;
    size_t got = fread(d->raw + d->rlen, 1, want, d->f);
    d->rlen += got;
    if (got < want) {
        if (ferror(d->f)) {
            *err_no = errno ? errno : EIO;
            return FH_EIO;
        }
        d->raw_eof = 1;
    }
    return 0;
}

/* ---- detection ----------------------------------------------------- */

/* Counts over the sample: invalid UTF-8 units (a maximal ill-formed
 * subsequence each), valid multi-byte sequences, bytes >= 0x80. */
static void utf8_stats(const unsigned char *s, size_t n, size_t *bad, size_t *multi, size_t *high,
                       int at_eof)
{
    *bad = *multi = *high = 0;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        (*high)++;
        size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                              : c >= 0xF0 && c <= 0xF4 ? 4
                                                                       : 0;
        if (len == 0) {
            (*bad)++;
            i++;
            continue;
        }
        if (i + len > n && !at_eof)
            break; /* cut by the sample's end: no evidence either way */
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        size_t k = 1;
        while (k < len && i + k < n) {
            unsigned b = s[i + k];
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                break;
            k++;
        }
        if (k == len) {
            (*multi)++;
            *high += len - 1;
            i += len;
        } else {
            (*bad)++;
            i += k;
        }
    }
}

/* How the single-byte code page reads byte b: 1 an Arabic letter, 0 other,
 * -1 undefined. */
static int byte_class(iconv_t cd, unsigned char b)
{
    char in[1] = {(char)b}, out[8];
    char *ip = in, *op = out;
    size_t il = 1, ol = sizeof out;
    iconv(cd, NULL, NULL, NULL, NULL);
    if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
        return -1;
    if (op - out != 2)
        return 0;
    uint32_t u = ((uint32_t)(out[0] & 0x1F) << 6) | (uint32_t)(out[1] & 0x3F);
    /* hamza .. yeh, and the Persian/Urdu letters of Windows-1256 */
    return (u >= 0x0621 && u <= 0x064A && u != 0x0640) || (u >= 0x0671 && u <= 0x06D3);
}

/* Score one code page on the sample's high bytes: Arabic letters count 1,
 * undefined bytes -4.  -1 if iconv does not know it. */
static long page_score(const char *name, const size_t *hist)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return -1;
    long score = 0;
    for (int b = 0x80; b < 0x100; b++) {
        if (!hist[b])
            continue;
        int k = byte_class(cd, (unsigned char)b);
        score += k > 0 ? (long)hist[b] : k < 0 ? -4 * (long)hist[b] : 0;
    }
    iconv_close(cd);
    return score;
}

static size_t high_bytes(const size_t *hist)
{
    size_t n = 0;
    for (int b = 0x80; b < 0x100; b++)
        n += hist[b];
    return n;
}

/* The encoding of a sample without a BOM. */
static const char *detect(const unsigned char *s, size_t n, int at_eof)
{
    size_t bad, multi, high;
    utf8_stats(s, n, &bad, &multi, &high, at_eof);
    (void)high;
    if (bad < FH_DEC_MIN_EVIDENCE || multi >= bad)
        return "UTF-8"; /* UTF-8, perhaps with some junk */
    size_t hist[256] = {0};
    for (size_t i = 0; i < n; i++)
        hist[s[i]]++;
    long w = page_score("WINDOWS-1256", hist), iso = page_score("ISO-8859-6", hist);
    long best = w >= iso ? w : iso;
    if (best * 2 < (long)high_bytes(hist))
        return "UTF-8"; /* not Arabic in either: leave it (invalid bytes separate words) */
    return w >= iso ? "WINDOWS-1256" : "ISO-8859-6";
}

/* ---- reading ------------------------------------------------------- */

int fh_dec_start(fh_decoder *d, FILE *f, const char *encoding, fh_dec_warn_fn warn, void *ctx,
                 const char **chosen, int *err_no)
{
    dec_close(d);
    d->f = f;
    d->rpos = d->rlen = 0;
    d->raw_eof = 0;
    d->warn = warn;
    d->ctx = ctx;
    d->line = 0;
    d->nwarn = 0;
    d->done = 0;
    d->unit = 1;
    int st = raw_fill(d, err_no);
    if (st != 0)
        return st;
    const unsigned char *s = d->raw;
    size_t n = d->rlen;
    const char *name = "UTF-8";
    size_t bom = 0;
    if (!is_auto(encoding)) {
        name = is_utf8_name(encoding) ? "UTF-8" : encoding;
    } else if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        name = "UTF-8"; /* the readers skip its BOM */
    } else if (n >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0) {
        name = "UTF-32LE", bom = 4;
    } else if (n >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF) {
        name = "UTF-32BE", bom = 4;
    } else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
        name = "UTF-16LE", bom = 2;
    } else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
        name = "UTF-16BE", bom = 2;
    } else {
        name = detect(s, n, d->raw_eof);
    }
    d->rpos = bom;
    d->name = name;
    *chosen = name;
    if (strcmp(name, "UTF-8") == 0)
        return 0;
    d->cd = iconv_open("UTF-8", name);
    if (d->cd == (iconv_t)-1)
        return FH_EINVAL;
    d->unit = strstr(name, "32") ? 4 : strstr(name, "16") ? 2 : 1;
    return 0;
}

static void count_lines(fh_decoder *d, const char *p, size_t n)
{
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
        p++, d->line++;
}

static void warn_bad(fh_decoder *d, const unsigned char *at, size_t n, int at_end)
{
    d->nwarn++;
    if (!d->warn || d->nwarn > FH_DEC_MAX_WARN)
        return;
    char msg[160], hex[32] = "";
    size_t k = 0;
    for (size_t i = 0; i < n && i < 4; i++)
        k += (size_t)snprintf(hex + k, sizeof hex - k, "%s0x%02X", i ? " " : "", at[i]);
    if (at_end)
        snprintf(msg, sizeof msg, "undecodable %s bytes at the end of the input, inside a character (%s): dropped",
                 d->name, hex);
    else
        snprintf(msg, sizeof msg, "undecodable %s bytes (%s): replaced by U+FFFD, not indexed",
                 d->name, hex);
    d->warn(d->ctx, d->line + 1, msg);
}

long fh_dec_read(fh_decoder *d, char *out, size_t cap, int *err_no)
{
    if (d->done)
        return 0;
    if (d->cd == (iconv_t)-1) { /* UTF-8: the sample, then straight reads */
        size_t got;
        if (d->rpos < d->rlen) {
            got = d->rlen - d->rpos < cap ? d->rlen - d->rpos : cap;
            memcpy(out, d->raw + d->rpos, got);
            d->rpos += got;
        } else {
            got = d->raw_eof ? 0 : fread(out, 1, cap, d->f);
            if (got < cap && !d->raw_eof) {
                if (ferror(d->f)) {
                    *err_no = errno ? errno : EIO;
                    return FH_EIO;
                }
                d->raw_eof = 1;
            }
        }
        if (got == 0)
            d->done = 1;
        return (long)got;
    }
    char *op = out;
    size_t ol = cap;
    while (ol >= 8) {
        if (d->rpos == d->rlen || (d->rlen - d->rpos < 8 && !d->raw_eof)) {
            int st = raw_fill(d, err_no);
            if (st != 0)
                return st;
        }
        if (d->rpos == d->rlen)
            break; /* the end */
        char *ip = (char *)d->raw + d->rpos;
        size_t il = d->rlen - d->rpos;
        char *o0 = op;
        size_t r = iconv(d->cd, &ip, &il, &op, &ol);
        int e = errno;
        count_lines(d, o0, (size_t)(op - o0));
        d->rpos = (size_t)((unsigned char *)ip - d->raw);
        if (r != (size_t)-1)
            continue;
        if (e == E2BIG)
            break;
        if (e == EINVAL) { /* a sequence cut by the end of raw */
            if (!d->raw_eof)
                continue;
            warn_bad(d, d->raw + d->rpos, d->rlen - d->rpos, 1);
            d->rpos = d->rlen;
            break;
        }
        /* EILSEQ: replace one unit by U+FFFD, if its 3 bytes still fit (iconv
         * may have filled all but 1 or 2 bytes of out); else at the next call */
        if (ol < 3)
            break;
        size_t skip = d->unit < d->rlen - d->rpos ? d->unit : d->rlen - d->rpos;
        warn_bad(d, d->raw + d->rpos, skip, 0);
        d->rpos += skip;
        memcpy(op, U_FFFD, 3);
        op += 3;
        ol -= 3;
    }
    if (op == out && d->rpos == d->rlen && d->raw_eof) {
        if (d->nwarn > FH_DEC_MAX_WARN && d->warn) {
            char msg[128];
            snprintf(msg, sizeof msg, "undecodable %s sequences: %lu more, not reported",
                     d->name, d->nwarn - FH_DEC_MAX_WARN);
            d->warn(d->ctx, d->line + 1, msg);
        }
        d->done = 1;
    }
    return (long)(op - out);
}
