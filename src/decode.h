/*
 * decode.h — input encodings: one streaming decoder in front of every
 * ingest reader (internal; ingest.c is its user).
 *
 * The readers see UTF-8 only.  The decoder takes the bytes of one file and
 * hands out UTF-8:
 *
 *   UTF-8 (with or without a BOM)   passed through unchanged (the readers
 *                                   skip the BOM; invalid bytes stay: the
 *                                   analyzer treats them as separators)
 *   UTF-16 / UTF-32 with a BOM      converted (glibc iconv); the BOM dropped
 *   Windows-1256, ISO-8859-6        converted, when chosen by name or
 *                                   detected (below)
 *   any other iconv name            converted, when chosen by name
 *
 * Detection (encoding NULL or "auto"), from the first FH_DEC_SAMPLE bytes:
 * a BOM decides; else the input is UTF-8 unless the sample holds at least
 * FH_DEC_MIN_EVIDENCE invalid UTF-8 sequences and more of them than valid
 * multi-byte ones (Arabic in a code page rarely forms UTF-8: its letters
 * are lead bytes followed by letters, not by continuation bytes).  Then the
 * two Arabic code pages are scored on the sample's bytes >= 0x80: the one
 * that reads more of them as Arabic letters wins (a byte ISO-8859-6 leaves
 * undefined counts -4), if it reads at least half of them so.  Otherwise
 * the input stays UTF-8 (and its invalid bytes separators).
 *
 * A byte sequence the chosen encoding cannot decode is replaced by U+FFFD
 * (never a letter, so never part of an indexed word) and reported through
 * the warn callback with its line (1-based, counted in the output); the
 * first FH_DEC_MAX_WARN of a file are reported one by one, then one line
 * says how many more there were.
 */
#ifndef FH_DECODE_H
#define FH_DECODE_H

#include <stddef.h>
#include <stdio.h>

/* Bytes read ahead to choose an encoding: enough for a few hundred words,
 * small enough to keep for the whole read. */
#define FH_DEC_SAMPLE ((size_t)64 << 10)
/* Fewer non-UTF-8 high bytes than this are too little evidence for a code
 * page: a stray byte in a UTF-8 file is not a Windows-1256 file. */
#define FH_DEC_MIN_EVIDENCE 4
/* Undecodable sequences reported one by one, per file. */
#define FH_DEC_MAX_WARN 20

typedef struct fh_decoder fh_decoder;

/* Called for each problem: line in the decoded output, and a phrase. */
typedef void (*fh_dec_warn_fn)(void *ctx, unsigned long line, const char *msg);

/* A decoder, reused from file to file.  NULL when out of memory. */
fh_decoder *fh_dec_new(void);
void fh_dec_free(fh_decoder *d);

/* Check an encoding name (NULL, "auto" and every iconv name are good).
 * Returns 0, or -1 with a message in err. */
int fh_dec_check(const char *encoding, char *err, size_t errlen);

/*
 * Start a file: read the sample from f and choose the encoding (by name:
 * NULL or "auto" detects).  Returns 0, or FH_EIO (errno in *err_no),
 * FH_ENOMEM, FH_EINVAL (an encoding iconv does not know).  *chosen is the
 * encoding's name, e.g. "UTF-8", "WINDOWS-1256" (static).
 */
int fh_dec_start(fh_decoder *d, FILE *f, const char *encoding, fh_dec_warn_fn warn, void *ctx,
                 const char **chosen, int *err_no);

/*
 * Decode into out (cap >= 8 bytes): returns the bytes written (> 0), 0 at
 * the end of the file, FH_EIO (errno in *err_no).
 */
long fh_dec_read(fh_decoder *d, char *out, size_t cap, int *err_no);

#endif
