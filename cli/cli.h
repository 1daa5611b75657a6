/* cli.h — shared by the fahras tool's command files. */
#ifndef FH_CLI_H
#define FH_CLI_H

/* Exit status of every command. */
enum { CLI_OK = 0, CLI_BADINPUT = 1, CLI_USAGE = 2, CLI_IO = 3 };

#include <stdio.h>

/* Print n bytes as a JSON string (escaped; invalid UTF-8 as U+FFFD). */
void cli_json_str(FILE *o, const char *s, size_t n);

int cmd_index(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_optimize(int argc, char **argv);

#endif
