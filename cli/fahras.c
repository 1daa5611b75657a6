/*
 * fahras — command-line tool over libfahras.
 *
 * main() is thin: it picks the command, parses its options, and turns the
 * command's status into an exit code:
 *   0  success
 *   1  done, but some input was bad (reported on stderr with file and line)
 *   2  usage error (unknown command or option)
 *   3  input/output or memory error (the run stopped)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../include/fahras.h"
#include "../src/utf8.h"
#include "cli.h"

enum { EXIT_OK = CLI_OK, EXIT_BADINPUT = CLI_BADINPUT, EXIT_USAGE = CLI_USAGE, EXIT_IO = CLI_IO };

/* Lines are read in pieces of at most this many bytes, so memory stays
 * bounded whatever the line length; a longer line is cut at a space (or at
 * least at a character boundary), which can only split a token that is
 * itself longer than FH_MAX_TOKEN. */
#define PIECE (1u << 20)
#define MAX_WARNINGS 20
/* the longest output of a piece: fh_segment's bound (fh_normalize's is 3x) */
#define OUTCAP (4 * (size_t)PIECE + 8)

typedef struct cli cli;
typedef int (*piece_fn)(cli *c, const char *s, size_t n, int line_ends);

struct cli {
    fh_analyzer *a;
    const char *cmd;
    const char *input;     /* name of the input, for messages */
    unsigned long line;    /* 1-based line number of the current piece */
    size_t base;           /* byte offset of the current piece in the input */
    int json;
    int first_on_line;     /* nothing printed yet for this line (stem, tokens) */
    unsigned long warnings;
    char *out;             /* scratch output buffer, OUTCAP bytes */
    fh_segmenter *seg;     /* segment only */
    int write_error;
};

/* ------------------------------------------------------------------ */

static void warn_invalid(cli *c, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t adv = 1;
        if (u[i] >= 0x80 && fh_utf8_next(u + i, n - i, &adv) == FH_UTF8_INVALID) {
            if (++c->warnings <= MAX_WARNINGS)
                fprintf(stderr,
                        "fahras %s: %s:%lu: invalid UTF-8 (byte 0x%02X at input offset %zu), "
                        "treated as %s\n",
                        c->cmd, c->input, c->line, u[i], c->base + i,
                        strcmp(c->cmd, "normalize") && strcmp(c->cmd, "segment") ? "a separator"
                                                                             : "U+FFFD");
            else if (c->warnings == MAX_WARNINGS + 1)
                fprintf(stderr, "fahras %s: %s: further invalid UTF-8 not reported\n", c->cmd,
                        c->input);
        }
        i += adv;
    }
}

static void put(cli *c, const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, stdout) != n)
        c->write_error = 1;
}

static void puts_json(cli *c, const char *s, size_t n)
{
    cli_json_str(stdout, s, n);
    if (ferror(stdout))
        c->write_error = 1;
}

/* ---- per-command token callbacks ---- */

typedef struct {
    cli *c;
    const char *s; /* the piece */
} tokctx;

static int on_analyze(void *ctx, const fh_token *t)
{
    tokctx *k = ctx;
    cli *c = k->c;
    char num[64];
    if (c->json) {
        put(c, "{\"token\":", 9);
        puts_json(c, k->s + t->start, t->end - t->start);
        int m = snprintf(num, sizeof num, ",\"start\":%zu,\"end\":%zu,\"norm\":", c->base + t->start,
                         c->base + t->end);
        put(c, num, (size_t)m);
        puts_json(c, t->norm, t->norm_len);
        put(c, ",\"stem\":", 8);
        puts_json(c, t->stem, t->stem_len);
        put(c, "}\n", 2);
    } else {
        put(c, k->s + t->start, t->end - t->start);
        int m = snprintf(num, sizeof num, "\t%zu\t%zu\t", c->base + t->start, c->base + t->end);
        put(c, num, (size_t)m);
        put(c, t->norm, t->norm_len);
        put(c, "\t", 1);
        put(c, t->stem, t->stem_len);
        put(c, "\n", 1);
    }
    return c->write_error;
}

static int on_stem(void *ctx, const fh_token *t)
{
    cli *c = ((tokctx *)ctx)->c;
    if (!c->first_on_line)
        put(c, " ", 1);
    c->first_on_line = 0;
    put(c, t->stem, t->stem_len);
    return c->write_error;
}

static int on_tokens(void *ctx, const fh_token *t)
{
    cli *c = ((tokctx *)ctx)->c;
    if (!c->first_on_line)
        put(c, " ", 1);
    c->first_on_line = 0;
    put(c, t->norm, t->norm_len);
    return c->write_error;
}

/* ---- per-command piece handlers ---- */

static int piece_analyze(cli *c, const char *s, size_t n, int line_ends)
{
    (void)line_ends;
    tokctx k = {c, s};
    fh_analyze(c->a, s, n, on_analyze, &k);
    return c->write_error;
}

static int piece_words(cli *c, const char *s, size_t n, int line_ends, fh_token_fn fn)
{
    tokctx k = {c, s};
    fh_analyze(c->a, s, n, fn, &k);
    if (line_ends) {
        put(c, "\n", 1);
        c->first_on_line = 1;
    }
    return c->write_error;
}

static int piece_stem(cli *c, const char *s, size_t n, int le) { return piece_words(c, s, n, le, on_stem); }

static int piece_tokens(cli *c, const char *s, size_t n, int le)
{
    return piece_words(c, s, n, le, on_tokens);
}

static int piece_normalize(cli *c, const char *s, size_t n, int line_ends)
{
    size_t m = fh_normalize(c->a, s, n, c->out, OUTCAP);
    put(c, c->out, m);
    if (line_ends)
        put(c, "\n", 1);
    return c->write_error;
}

static int piece_segment(cli *c, const char *s, size_t n, int line_ends)
{
    size_t m = fh_segment(c->seg, s, n, c->out, OUTCAP);
    if (m && !c->first_on_line) /* a piece of a long line goes on after a space */
        put(c, " ", 1);
    put(c, c->out, m < OUTCAP ? m : OUTCAP);
    c->first_on_line = m == 0 && c->first_on_line;
    if (line_ends) {
        put(c, "\n", 1);
        c->first_on_line = 1;
    }
    return c->write_error;
}

/* Where to cut a piece of an over-long line: after the last ASCII space or
 * tab in the second half, else before the last UTF-8 lead byte. */
static size_t safe_cut(const char *s, size_t n)
{
    for (size_t i = n; i > n / 2; i--)
        if (s[i - 1] == ' ' || s[i - 1] == '\t')
            return i;
    size_t i = n;
    while (i > 1 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    return i > 1 ? i - 1 : n;
}

/* Read f line by line in bounded pieces and hand each piece to fn. */
static int stream(cli *c, FILE *f, piece_fn fn)
{
    size_t cap = PIECE;
    char *buf = malloc(cap);
    if (!buf)
        return EXIT_IO;
    size_t len = 0, pos = 0;
    int eof = 0, rc = EXIT_OK;
    c->line = 1;
    c->base = 0;
    c->first_on_line = 1;
    for (;;) {
        char *nl = pos < len ? memchr(buf + pos, '\n', len - pos) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - (buf + pos));
            warn_invalid(c, buf + pos, n);
            if (fn(c, buf + pos, n, 1))
                break;
            c->base += n + 1;
            pos += n + 1;
            c->line++;
            continue;
        }
        if (eof) {
            if (pos < len) {
                warn_invalid(c, buf + pos, len - pos);
                fn(c, buf + pos, len - pos, 0);
            }
            break;
        }
        if (len - pos == cap) { /* a line longer than a piece */
            size_t cut = safe_cut(buf + pos, len - pos);
            warn_invalid(c, buf + pos, cut);
            if (fn(c, buf + pos, cut, 0))
                break;
            c->base += cut;
            pos += cut;
        }
        memmove(buf, buf + pos, len - pos);
        len -= pos;
        pos = 0;
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                fprintf(stderr, "fahras %s: %s:%lu: read error: %s\n", c->cmd, c->input, c->line,
                        strerror(errno));
                rc = EXIT_IO;
                break;
            }
            eof = 1;
        }
    }
    free(buf);
    if (c->write_error || fflush(stdout) != 0) {
        fprintf(stderr, "fahras %s: write error: %s\n", c->cmd, strerror(errno));
        return EXIT_IO;
    }
    if (rc == EXIT_OK && c->warnings)
        rc = EXIT_BADINPUT;
    return rc;
}

/* ------------------------------------------------------------------ */

static const char *USAGE =
    "usage: fahras COMMAND [OPTIONS] [TEXT]\n"
    "\n"
    "Commands:\n"
    "  analyze [--json] [TEXT]   one line per token: text, start, end, normalized, stem\n"
    "  normalize [--tokens]      line in, normalized line out\n"
    "  stem                      line in, the stems of its words out (space-separated)\n"
    "  segment [--scheme S]      line in, its words split into clitics and affixes out\n"
    "  version                   library and Unicode versions\n"
    "\n"
    "  index [--db FILE] PATH... | -     add articles to the index (fahras.db)\n"
    "  search [--db FILE] QUERY          ranked search with highlighted snippets\n"
    "  show ID, delete ID                one document\n"
    "  stats [--json], check, optimize   the index itself\n"
    "\n"
    "Each command reads TEXT if given, else standard input, and streams.\n"
    "Run 'fahras COMMAND --help' for a command's options.  Exit status: 0 ok,\n"
    "1 some input was bad (reported, the rest processed), 2 usage, 3 I/O error.\n";

static const char *ANALYZER_OPTS =
    "Analyzer options (every command):\n"
    "  --set NAME=VALUE    set an analyzer option; NAME is stem, stopwords, or a\n"
    "                      normalization rule: marks quranic tatweel alef\n"
    "                      alef_maqsura teh_marbuta hamza_seat persian digits\n"
    "                      presentation controls case accents; VALUE is 1 or 0\n"
    "  --set max_token=N   cut tokens longer than N bytes (16..240, default 240)\n"
    "  --no-stem           same as --set stem=0\n"
    "  --help              this text\n";

static void command_help(const char *cmd)
{
    if (!strcmp(cmd, "analyze"))
        printf("usage: fahras analyze [--json] [OPTIONS] [TEXT]\n\n"
               "Prints one line per token: the token as written, its start and end byte\n"
               "offsets in the input (end exclusive), its normalized form and its stem,\n"
               "separated by tabs.  --json prints one JSON object per line with keys\n"
               "token, start, end, norm, stem.  Offsets count bytes from the start of\n"
               "the input (TEXT, or all of standard input).\n\n");
    else if (!strcmp(cmd, "normalize"))
        printf("usage: fahras normalize [--tokens] [OPTIONS] [TEXT]\n\n"
               "Line in, normalized line out: everything the normalization rules fold is\n"
               "folded, everything else (spaces, punctuation) is kept.  Invalid UTF-8\n"
               "becomes U+FFFD.  --tokens prints the normalized tokens of each line\n"
               "instead, separated by single spaces.\n\n");
    else if (!strcmp(cmd, "stem"))
        printf("usage: fahras stem [OPTIONS] [TEXT]\n\n"
               "Line in, the space-separated stems of that line's tokens out; the output\n"
               "has as many lines as the input.\n\n");
    else if (!strcmp(cmd, "segment")) {
        printf("usage: fahras segment [--scheme farasa|clitics] [--normalized] [TEXT]\n\n"
               "Line in, segmented line out (as many lines as the input): tokens separated\n"
               "by single spaces, an Arabic word's segments joined by '+' (و+ال+كتاب);\n"
               "numbers, words of other scripts and punctuation are tokens of their own.\n"
               "  --scheme farasa     Farasa's scheme (default): proclitics, pronouns and\n"
               "                      inflections (ة ات ين ون ت وا, tanwin ا)\n"
               "  --scheme clitics    proclitics and pronouns only\n"
               "  --normalized        write normalized letters (default: as written)\n"
               "  --help              this text\n");
        return;
    }
    fputs(ANALYZER_OPTS, stdout);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(USAGE, stdout);
        return EXIT_OK;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("fahras %s (Unicode %s)\n", fh_version(), fh_unicode_version());
        return EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } index_cmds[] = {{"index", cmd_index},   {"search", cmd_search}, {"show", cmd_show},
                      {"delete", cmd_delete}, {"stats", cmd_stats},   {"check", cmd_check},
                      {"optimize", cmd_optimize}};
    for (size_t k = 0; k < sizeof index_cmds / sizeof index_cmds[0]; k++)
        if (!strcmp(cmd, index_cmds[k].name))
            return index_cmds[k].fn(argc, argv);
    piece_fn fn;
    if (!strcmp(cmd, "analyze"))
        fn = piece_analyze;
    else if (!strcmp(cmd, "normalize"))
        fn = piece_normalize;
    else if (!strcmp(cmd, "stem"))
        fn = piece_stem;
    else if (!strcmp(cmd, "segment"))
        fn = piece_segment;
    else {
        fprintf(stderr, "fahras: unknown command '%s'\n\n%s", cmd, USAGE);
        return EXIT_USAGE;
    }

    fh_options opt = fh_options_default();
    fh_segment_options sopt = fh_segment_options_default();
    cli c;
    memset(&c, 0, sizeof c);
    c.cmd = cmd;
    const char *text = NULL;
    char err[256];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            command_help(cmd);
            return EXIT_OK;
        } else if (!strcmp(a, "--json") && fn == piece_analyze)
            c.json = 1;
        else if (!strcmp(a, "--tokens") && fn == piece_normalize)
            fn = piece_tokens;
        else if (fn == piece_segment && !strcmp(a, "--normalized"))
            sopt.normalized = 1;
        else if (fn == piece_segment && (!strcmp(a, "--scheme") || !strncmp(a, "--scheme=", 9))) {
            const char *v = a[8] == '=' ? a + 9 : (i + 1 < argc ? argv[++i] : NULL);
            if (v && !strcmp(v, "farasa"))
                sopt.scheme = FH_SEG_FARASA;
            else if (v && !strcmp(v, "clitics"))
                sopt.scheme = FH_SEG_CLITICS;
            else {
                fprintf(stderr, "fahras segment: --scheme needs farasa or clitics\n");
                return EXIT_USAGE;
            }
        } else if (fn != piece_segment && !strcmp(a, "--no-stem"))
            opt.stem = 0;
        else if (fn != piece_segment && (!strcmp(a, "--set") || !strncmp(a, "--set=", 6))) {
            const char *kv = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
            if (!kv) {
                fprintf(stderr, "fahras %s: --set needs NAME=VALUE\n", cmd);
                return EXIT_USAGE;
            }
            char name[64];
            const char *eq = strchr(kv, '=');
            size_t nl = eq ? (size_t)(eq - kv) : strlen(kv);
            if (!eq || nl >= sizeof name) {
                fprintf(stderr, "fahras %s: --set '%s': expected NAME=VALUE\n", cmd, kv);
                return EXIT_USAGE;
            }
            memcpy(name, kv, nl);
            name[nl] = '\0';
            if (fh_options_set(&opt, name, eq + 1, err, sizeof err) != FH_OK) {
                fprintf(stderr, "fahras %s: %s\n", cmd, err);
                return EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0' && !text) {
            fprintf(stderr, "fahras %s: unknown option '%s' (see fahras %s --help)\n", cmd, a, cmd);
            return EXIT_USAGE;
        } else if (!text)
            text = a;
        else {
            fprintf(stderr, "fahras %s: more than one TEXT argument; quote the text\n", cmd);
            return EXIT_USAGE;
        }
    }

    int st = fh_analyzer_new(&opt, &c.a);
    if (st != FH_OK) {
        fprintf(stderr, "fahras %s: %s\n", cmd, fh_strerror(st));
        return EXIT_IO;
    }
    c.out = malloc(OUTCAP);
    if (fn == piece_segment && (st = fh_segmenter_new(&sopt, &c.seg)) != FH_OK) {
        free(c.out);
        fh_analyzer_free(c.a);
        fprintf(stderr, "fahras %s: %s\n", cmd, fh_strerror(st));
        return EXIT_IO;
    }
    if (!c.out) {
        fh_segmenter_free(c.seg);
        fh_analyzer_free(c.a);
        fprintf(stderr, "fahras %s: out of memory\n", cmd);
        return EXIT_IO;
    }
    int rc;
    if (text) {
        FILE *f = fmemopen((void *)text, strlen(text), "r");
        c.input = "argument";
        rc = f ? stream(&c, f, fn) : EXIT_IO;
        if (f)
            fclose(f);
        /* a line-oriented command ends its output line like a terminal expects */
        size_t tl = strlen(text);
        if (rc != EXIT_IO && fn != piece_analyze && (tl == 0 || text[tl - 1] != '\n'))
            put(&c, "\n", 1);
        fflush(stdout);
    } else {
        c.input = "<stdin>";
        rc = stream(&c, stdin, fn);
    }
    free(c.out);
    fh_segmenter_free(c.seg);
    fh_analyzer_free(c.a);
    return rc;
}
