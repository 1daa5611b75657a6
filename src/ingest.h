/*
 * ingest.h — the ingest readers: input files in, documents out, streaming.
 *
 * Internal to the library (not installed; the CLI's `fahras index` and the
 * indexer use it).  Read it top to bottom once:
 *
 *   1. What it does      files -> records -> fh_doc -> your callback
 *   2. Documents         what the document callback receives
 *   3. Rejects           what the reject callback receives, and when
 *   4. Options           format, size cap, TSV columns, JSONL field names
 *   5. Reading           a path (file, directory, "-") or an open stream
 *   6. Formats           txt, jsonl, tsv, trec, auto; encodings
 *
 * Conventions are the library's (include/fahras.h, section 1): a status is
 * FH_OK or a negative FH_E* code; a positive return is the value a callback
 * returned to stop; nothing aborts, prints or exits.  There is no global
 * state: distinct calls may run in distinct threads.
 *
 * ===================================================================== *
 * 1. What it does
 * ===================================================================== *
 *
 *   path ─► files (a directory is walked in sorted order) ─► records (one
 *   per format's rule) ─► fh_doc ─► doc callback
 *                                └─► reject callback (file, line, reason)
 *
 * Memory is bounded whatever the input: a file is read through one buffer
 * that starts at FH_INGEST_CHUNK bytes and grows only as far as the largest
 * record allowed (max_doc_bytes) plus FH_INGEST_SLACK.  A larger record (a
 * 200 MB line, a <DOC> that never closes) is skipped to its end through that
 * same buffer and rejected; the records after it are read as usual.  Bad
 * records never stop a read: each is reported to the reject callback and
 * the read goes on with the next one.
 */
#ifndef FH_INGEST_H
#define FH_INGEST_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../include/fahras.h"

/* The default cap on one record, in bytes of input: 16 MiB.  A news
 * article is well under 1 MB (the 72,716 articles of news.tsv average
 * 2.8 KB, the longest is 61 KB); the cap bounds the memory held for one
 * document, so a corrupt or hostile input costs at most this much. */
#define FH_INGEST_DEFAULT_MAX_DOC ((size_t)16 << 20)

/* The largest cap an option may set: 1 GiB.  The reader's buffer grows up to
 * the cap; one "document" larger than this is a mistake, not an article. */
#define FH_INGEST_MAX_DOC_LIMIT ((size_t)1 << 30)

/* The read buffer starts at this size (1 MiB: large reads, few system
 * calls) — or smaller, if the cap plus slack is smaller. */
#define FH_INGEST_CHUNK ((size_t)1 << 20)

/* Bytes the buffer may hold beyond the cap: a line end, a tag read ahead,
 * the terminating NUL, and room for the next read to make progress. */
#define FH_INGEST_SLACK ((size_t)4096)

/* ===================================================================== *
 * 2. Documents
 * ===================================================================== */

enum fh_format {
    FH_FMT_AUTO = 0, /* by extension, else by sniffing the first bytes     */
    FH_FMT_TXT,      /* one article per file                              */
    FH_FMT_JSONL,    /* one JSON object per line                          */
    FH_FMT_TSV,      /* tab-separated, a header line names the columns    */
    FH_FMT_TREC      /* <DOC> ... </DOC> records (TREC / ANT style)       */
};

/*
 * One document.  Every pointer is borrowed: valid only during the callback.
 *
 * Text fields (id, title, body, source, url, date) are byte strings of the
 * given length, as found in the input: UTF-8 is not checked (invalid bytes
 * are passed through: the analyzer copes), NUL bytes may occur inside (use
 * the length), JSON and XML escapes are decoded.  Each is also followed by a
 * NUL byte, for convenience.  A field that is absent — or present but empty
 * — is NULL with length 0.  Every delivered document has an id and at least
 * one of title and body.
 *
 *   id      the record's identifier.  txt: the file's path relative to the
 *           directory given (or the path as given); jsonl/tsv: the id field
 *           or column, else "NAME:LINE" (NAME as for txt); trec: <DOCNO>.
 *   file    the file it came from, as a path a person can open (the
 *           directory given joined with the relative path), "<stdin>" for
 *           "-", or the name given to fh_ingest_stream().  NUL-terminated.
 *   line    the 1-based line where the record starts (txt: 1).
 */
typedef struct fh_doc {
    const char *id, *title, *body, *source, *url, *date;
    size_t id_len, title_len, body_len, source_len, url_len, date_len;
    const char *file;
    unsigned long line;
} fh_doc;

/*
 * Called once per good document, in input order.  Return 0 to go on, any
 * other value to stop: the read then returns that value.  Return a positive
 * value (a negative one is returned as is too, but reads as an FH_E* status).
 */
typedef int (*fh_doc_fn)(void *ctx, const fh_doc *d);

/* ===================================================================== *
 * 3. Rejects
 * ===================================================================== *
 *
 * Called once per problem, then the read goes on (except as noted in 5).
 * file is as in fh_doc; line is the 1-based line where the bad record
 * starts, or 0 when the problem is the file itself (cannot open, not a
 * regular file, unsupported encoding; a read error gives the last line
 * read, 0 if none).  reason
 * is one short English phrase without the file or line, e.g.
 *
 *   invalid JSON at byte 40: unterminated string
 *   expected 3 fields, found 2
 *   <DOC> without <DOCNO>
 *   <DOC> not closed at the end of the file
 *   document larger than 16 MB
 *
 * ("at byte N" counts bytes from the start of the line, 0-based, as the
 * analyzer's offsets do.  "MB" is 2^20 bytes.)  All three strings are
 * borrowed for the call.  A CLI prints "FILE:LINE: REASON" (or
 * "FILE: REASON" for line 0).  The reject callback may be NULL: problems
 * are then skipped silently.
 *
 * Notes.  The same callback also receives notes about bytes the input's
 * encoding cannot decode (src/decode.c): they are replaced by
 * U+FFFD, which is never indexed, and the record that holds them is still
 * delivered.  A note's reason begins with FH_INGEST_NOTE_UNDECODABLE; a
 * caller that counts rejected records tells them apart with
 * fh_ingest_is_note().
 */
#define FH_INGEST_NOTE_UNDECODABLE "undecodable "
static inline int fh_ingest_is_note(const char *reason)
{
    return reason && strncmp(reason, FH_INGEST_NOTE_UNDECODABLE,
                             sizeof FH_INGEST_NOTE_UNDECODABLE - 1) == 0;
}

typedef void (*fh_reject_fn)(void *ctx, const char *file, unsigned long line, const char *reason);

/* ===================================================================== *
 * 4. Options
 * ===================================================================== */

/*
 * Start from fh_ingest_opts_default() (or a zeroed struct, which means the
 * same) and change fields.  Strings are borrowed for the read.
 *
 *   format         enum fh_format.  Applies to every file of a directory.
 *   max_doc_bytes  the cap on one record in input bytes (a jsonl or tsv
 *                  line without its line end; a trec record from "<DOC" to
 *                  the '>' of "</DOC>"; a whole txt file, BOM excluded).
 *                  0 means FH_INGEST_DEFAULT_MAX_DOC; at most
 *                  FH_INGEST_MAX_DOC_LIMIT.
 *   columns        tsv: the columns, comma-separated, when the input has no
 *                  header line (then its first line is data), e.g.
 *                  "id,title,body" or "id,source,-,title,body".  Names as in
 *                  a header (below); an empty, "-" or unknown name is a
 *                  column that is ignored.  NULL: the first line is a header.
 *   field_*        jsonl keys (and tsv header names) for each field, NULL
 *                  for the defaults: "id", "title", "body" — or, when
 *                  field_body is NULL, "text" or "content" when there is no
 *                  "body" (body wins over text, text over content) — "date",
 *                  "source", "url".
 */
typedef struct fh_ingest_opts {
    int format;
    size_t max_doc_bytes;
    const char *columns;
    const char *field_id, *field_title, *field_body, *field_date, *field_source, *field_url;
    const char *encoding; /* NULL or "auto": detect (see Encodings, section 6);
                             else an iconv name: "UTF-8", "WINDOWS-1256",
                             "ISO-8859-6", "UTF-16LE", ...                   */
} fh_ingest_opts;

/* The defaults: FH_FMT_AUTO, a 16 MiB cap, a tsv header line, the default
 * field names.  o may not be NULL. */
void fh_ingest_opts_default(fh_ingest_opts *o);

/*
 * Check options before a read (a CLI calls this to report a usage error).
 * Returns FH_OK, or FH_EINVAL with a message naming the culprit written to
 * err (if err is not NULL and errlen > 0; always NUL-terminated): an
 * unknown format, a cap above FH_INGEST_MAX_DOC_LIMIT, columns that name no
 * title or body column or name one twice, an empty field name.  NULL
 * options are the defaults.
 */
int fh_ingest_opts_check(const fh_ingest_opts *o, char *err, size_t errlen);

/* ===================================================================== *
 * 5. Reading
 * ===================================================================== */

/*
 * Read path: a regular file (or a pipe, e.g. <(cmd)), a directory, or "-"
 * for standard input (named "<stdin>").  A directory is walked recursively;
 * the entries of each directory are visited in byte order of their names
 * (strcmp), so runs are reproducible.  Inside a directory, names starting
 * with '.' are skipped (.git, editor files), symbolic links to files are
 * followed, symbolic links to directories are reported and not followed
 * (no cycles), and anything that is neither a regular file nor a directory
 * is reported ("not a regular file").
 *
 * o may be NULL for the defaults; doc_fn may not be NULL; reject_fn may.
 *
 * Returns:
 *   FH_OK        every file was read (bad records were reported and skipped)
 *   > 0 (or any value doc_fn returned) doc_fn asked to stop; nothing more read
 *   FH_EIO       a file could not be opened or read (reported: "cannot open:
 *                ...", "not a regular file", "read error: ..."); the
 *                records read before the error were delivered, and a
 *                directory walk goes on with the other files
 *   FH_ENOMEM    out of memory (reported as "out of memory"); stops
 *   FH_EINVAL    bad arguments or options (options: reported, line 0)
 */
int fh_ingest_path(const char *path, const fh_ingest_opts *o, fh_doc_fn doc_fn,
                   fh_reject_fn reject_fn, void *ctx);

/*
 * Read one open stream (not closed here) as one file called name (for
 * messages, fh_doc.file, txt ids and FH_FMT_AUTO's extension test; NULL
 * means "<stream>").  Returns as fh_ingest_path().
 */
int fh_ingest_stream(FILE *f, const char *name, const fh_ingest_opts *o, fh_doc_fn doc_fn,
                     fh_reject_fn reject_fn, void *ctx);

/* ===================================================================== *
 * 6. Formats
 * ===================================================================== *
 *
 * Common to all.  Lines end with "\n" or "\r\n" (a CR before the LF is not
 * data; inside a field that spans lines, line ends are kept as written).
 * A UTF-8 byte order mark at the start of a file is skipped.
 *
 * txt    One article per file.  The first line that is not blank (blank:
 *        only spaces, tabs, CR) is the title, without the spaces around it;
 *        everything after that line is the body, without the blank space
 *        around it.  id = the path (see fh_doc).  A file with no such line
 *        is rejected ("empty file").  NUL bytes are data.
 *
 * jsonl  One JSON object (RFC 8259) per line; lines that are blank are
 *        skipped.  Known fields (section 4) may be strings or numbers (a
 *        number keeps its text, e.g. "id": 12 gives "12"); null means
 *        absent; true, false, objects and arrays there are rejected.  Other
 *        members may be any JSON, nested as deep as 256 levels (the cap
 *        bounds the scanner's recursion).  If a key occurs twice the last
 *        one wins.  \uXXXX escapes are decoded to UTF-8, surrogate pairs
 *        included; a lone surrogate becomes U+FFFD; \u0000 is a NUL byte in
 *        the text.  Rejected: a line that is not a JSON object ("not a JSON
 *        object (an array)"), invalid JSON with the byte offset and what is
 *        wrong (unterminated string, bad escape, raw control or NUL byte in
 *        a string, data after the object, and — on the last line of a file
 *        that ends without a line end — "(truncated last line)"), and an
 *        object with neither title nor body ("no title or body").
 *
 * tsv    Fields separated by tabs, taken verbatim (no quoting, no backslash
 *        escapes); NUL bytes are data.  The first line is a header naming
 *        the columns (names compared without case, spaces around them
 *        ignored; unknown names are ignored columns) unless opts.columns
 *        gives them.  A header with no title or body column is rejected
 *        and the file skipped.  Empty lines are skipped.  Rejected: a row
 *        with another number of fields than the header ("expected 5 fields,
 *        found 4"), a row with neither title nor body.
 *
 * trec   <DOC> ... </DOC> records; text outside them is ignored.  Inside, the
 *        elements DOCNO (id), TITLE or HEADLINE (title), TEXT (body), SRC
 *        (source), TIME (date) and URL (url); tag names are compared without
 *        case, tags may carry attributes, content may span lines.  The
 *        first occurrence of each element counts.  In the content, the
 *        entities &amp; &lt; &gt; &quot; &apos; &#NNN; &#xHH; are decoded
 *        (a reference to 0, a surrogate or beyond U+10FFFF gives U+FFFD;
 *        other entities are kept as written); inner markup (<P>, ...) is
 *        replaced by a space; <![CDATA[...]]> is kept verbatim; comments
 *        are removed; spaces around the content are dropped.  A <DOC>
 *        without DOCNO takes its id from an id="..." attribute of the DOC
 *        tag if there is one (Arabic Gigaword style), else it is rejected
 *        ("<DOC> without <DOCNO>").  Also rejected, with the line where the
 *        <DOC> starts: a DOC not closed before the next <DOC> or the end of
 *        the file, an element not closed inside its DOC, a DOC with
 *        neither TITLE nor TEXT.
 *
 * auto   By the file name's extension, without case: .txt; .jsonl .json
 *        .ndjson; .tsv; .trec .xml .sgml.  Else by sniffing the first bytes
 *        (after a BOM and blank space): '{' is jsonl; "<DOC" (after an
 *        optional <?xml ...?> declaration or <!...> lines) is trec; a tab
 *        in the first line is tsv; anything else is txt.
 *
 * Encodings (decode.h).  Every format is read through one decoder: UTF-8
 * with or without a BOM; UTF-16 and UTF-32 with a BOM; Windows-1256 and
 * ISO-8859-6 detected from the first 64 KiB (bytes that are not UTF-8 and
 * read as Arabic letters in one of the two code pages) or named in
 * opts.encoding; any other iconv encoding by name.  The readers, the record
 * cap and the line numbers see the decoded UTF-8.  A sequence the encoding
 * cannot decode becomes U+FFFD (a separator: never indexed as part of a
 * word) and is reported ("undecodable WINDOWS-1256 bytes (0x..): replaced
 * by U+FFFD, not indexed") with its line, the first 20 of a file one by one.
 * In UTF-8 input, invalid bytes are passed on as they are (the analyzer
 * treats them as separators).
 */

#endif /* FH_INGEST_H */
