/* cli.h - the command-line tool (prefix cli_). Everything but main.c is in a static library
 * so that unit tests can reach option parsing and input collection. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ecrlint/ecrlint.h"

/* Exit statuses, documented in README.md and --help. */
enum {
    CLI_EXIT_OK = 0,       /* no finding at or above --fail-on */
    CLI_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    CLI_EXIT_TROUBLE = 2   /* usage, I/O or rule-pack error */
};

typedef enum cli_status {
    CLI_OK = 0,
    CLI_EXIT_NOW,  /* --help or --version was printed: exit 0 */
    CLI_USAGE      /* bad arguments: message written, exit 2 */
} cli_status;

#define CLI_MAX_ACCEPT 100

typedef struct cli_options {
    const char *format;
    const char *operation;
    const char *media_type;
    const char *rules_dir;
    const char *stdin_filename;
    const char *accept[CLI_MAX_ACCEPT + 1];
    size_t naccept;
    int severity;  /* minimum shown */
    int fail_on;   /* minimum that fails; 3 = never */
    int jobs;
    int color;     /* -1 auto, 0 never, 1 always */
    bool quiet;
    bool jsonl;
    ecrlint_limits limits;
    const char **paths;
    size_t npaths;
} cli_options;

/* Parses argv into *o (o->paths points into argv). Messages go to `err`, help/version to `out`. */
cli_status cli_parse_args(int argc, char **argv, cli_options *o, FILE *out, FILE *err);

/* One input to check. */
typedef struct cli_input {
    char *path;      /* as shown in reports */
    char *open_path; /* what to open; NULL for standard input */
    char *problem;   /* set when the input cannot be checked (e.g. "not a regular file") */
    const char *skip;/* static reason when the input is skipped unread (symbolic links) */
    bool jsonl;
} cli_input;

typedef struct cli_inputs {
    cli_input *items;
    size_t n, cap;
} cli_inputs;

/* Expands paths (directories recursively, *.json, *.jsonl and *.ndjson; symbolic links inside
 * directories are not followed) into inputs, in a deterministic order. Returns false only when
 * memory ran out. */
bool cli_collect_inputs(const cli_options *o, cli_inputs *in);
void cli_inputs_free(cli_inputs *in);

/* Runs the whole tool; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
