/* cli.h - the command-line tool (prefix cli_). Everything but main.c is in a static library
 * so that unit tests can reach option parsing, configuration, filters and baselines.
 *
 * Precedence of settings: built-in defaults < configuration file (.ecrlint.json) < command
 * line. Paths inside a configuration file are relative to the file's directory. */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

/* Exit statuses, documented in --help and ecrlint(1). */
enum {
    CLI_EXIT_OK = 0,       /* no finding at or above --fail-on */
    CLI_EXIT_FINDINGS = 1, /* findings at or above --fail-on */
    CLI_EXIT_TROUBLE = 2   /* usage, configuration, baseline, I/O or rule-pack error */
};

/* Messages and errors. Every message the tool writes starts with "ecrlint: " and is one line:
 * cli_errorf says what went wrong, cli_notef what --verbose tells (the newline is added).
 *
 * A function that can fail writes its message itself and returns false (NULL for a pointer);
 * the caller only stops. Two kinds of function differ, each for a reason:
 * - reading the settings (cli_parse_args, cli_config_apply, cli_config_load, cli_output_add)
 *   returns a cli_status, since --help and --version end the run without an error;
 * - the atomic writes of cli_output.c return 0 or an errno and write nothing, since their
 *   callers name the report or baseline in the message.
 * The commands (cli_rules_list, cli_rules_explain, cli_main) return an exit status. */
#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif
void cli_errorf(FILE *to, const char *fmt, ...) CLI_PRINTF(2, 3);
void cli_notef(FILE *to, const char *fmt, ...) CLI_PRINTF(2, 3);
/* An error of the library, with its place when it has one. */
void cli_print_error(FILE *to, const ecrlint_error *e);
/* The rule reference that findings link to (see src/CMakeLists.txt): $ECRLINT_RULES_URL, the URL
 * configured at build time, or the reference file installed beside the program (the source
 * tree's, for the program in the build tree) as a file: URL; NULL when there is none. */
const char *cli_rules_url(void);

/* Makes room in a full array of `*cap` items of `size` bytes: twice the items, or `first` when
 * there are none yet. Returns the array, perhaps moved, and updates *cap;
 * NULL when memory ran out, the array left as it was. */
void *cli_grow(void *items, size_t *cap, size_t size, size_t first);

typedef enum cli_status {
    CLI_OK = 0,
    CLI_EXIT_NOW, /* --help or --version was printed: exit 0 */
    CLI_USAGE     /* bad arguments or configuration: message written, exit 2 */
} cli_status;

typedef enum cli_command {
    CLI_CMD_CHECK = 0, /* ecrlint [OPTIONS] [PATH...] */
    CLI_CMD_RULES,     /* ecrlint rules [--format text|json|markdown] */
    CLI_CMD_EXPLAIN    /* ecrlint explain ID */
} cli_command;

#define CLI_MAX_ACCEPT 100
#define CLI_MAX_OUTPUTS 16
#define CLI_LEVEL_NONE 3 /* --fail-on none */
#define CLI_MAX_JOBS 256
/* With more than one thread, a JSON Lines input over this many bytes is split into chunks of
 * whole lines (each at least this long) that every worker takes (cli_runner.c). */
#define CLI_JSONL_CHUNK_BYTES ((size_t)64 * 1024)

/* A growable list of owned strings. */
typedef struct cli_strv {
    char **items;
    size_t n, cap;
} cli_strv;

bool cli_strv_push(cli_strv *v, const char *s);
void cli_strv_free(cli_strv *v);

/* One report to write: a format and where to ("-" or NULL: standard output). */
typedef struct cli_output {
    char *format;
    char *file;
} cli_output;

/* An enable or disable entry: a rule ID or an ID prefix ("ECR1" covers ECR1000..ECR1999). */
typedef struct cli_rule_entry {
    char *pattern;
    bool on;
    int level; /* a "severity" entry: the severity its rules' findings get; -1 otherwise */
} cli_rule_entry;

typedef struct cli_rule_entries {
    cli_rule_entry *items;
    size_t n, cap;
} cli_rule_entries;

bool cli_rule_entries_add(cli_rule_entries *e, const char *pattern, bool on);
/* Adds a severity entry: findings of the rules `pattern` covers get severity `level`. */
bool cli_rule_entries_add_level(cli_rule_entries *e, const char *pattern, int level);
/* Adds every item of a comma-separated list; false when memory ran out. */
bool cli_rule_entries_add_list(cli_rule_entries *e, const char *list, bool on);
void cli_rule_entries_free(cli_rule_entries *e);

/* A glob with the absolute directory it is relative to. */
typedef struct cli_glob {
    char *pattern;
    char *base;
} cli_glob;

/* "paths" section of the configuration: rule settings for the inputs matching a glob. */
typedef struct cli_path_rules {
    cli_glob glob;
    cli_rule_entries rules;
    const char *operation; /* "operation": what its inputs are checked as, or NULL */
    int client;            /* ecrlint_client, or -1 when the entry does not set it */
} cli_path_rules;

typedef struct cli_options {
    cli_command command;
    const char *explain_id;
    cli_output outputs[CLI_MAX_OUTPUTS];
    size_t noutputs;
    const char *operation;
    const char *media_type;
    char *rules_dir;
    const char *stdin_filename;
    const char
        *request_file; /* --request: a BatchGetImage request whose acceptedMediaTypes apply */
    const char *accept[CLI_MAX_ACCEPT + 1];
    size_t naccept;
    int severity; /* minimum shown */
    int fail_on;  /* minimum that fails; CLI_LEVEL_NONE = never */
    int jobs;     /* -j; 0: cli_default_jobs() */
    int color;    /* -1 auto, 0 never, 1 always */
    bool quiet;
    bool verbose;
    bool jsonl;
    bool allow_empty;       /* --allow-empty: a directory without inputs is not a usage error */
    const char *repository; /* --repository: images are pushed there */
    bool verify_layers;     /* --verify-layers */
    int client;             /* ecrlint_client: --client, else the configuration's "client" */
    ecrlint_limits limits;
    const char **paths;
    size_t npaths;

    /* configuration */
    const char *config_file; /* --config */
    bool no_config;
    char *config_used; /* the file loaded, or NULL */
    json_t *config;    /* its document (config strings are borrowed from it) */

    /* rule selection: configuration entries, then (per input) matching "paths" entries, then
       command-line entries */
    cli_rule_entries rules;
    cli_rule_entries cli_rules;
    cli_path_rules *path_rules;
    size_t npath_rules;
    cli_glob *excludes;
    size_t nexcludes;

    char *baseline;       /* --baseline or config "baseline" */
    cli_strv protect;     /* config "protect": tag globs for `ecrlint preview` */
    char *write_baseline; /* --write-baseline */

    /* which settings the command line gave (they win over the configuration) */
    bool set_format, set_severity, set_fail_on, set_operation, set_rules_dir, set_baseline;
    bool set_client;
} cli_options;

/* The first lines of --help (the synopsis) and where to find the rest. */
void cli_usage_short(FILE *to);
/* Parses argv into *o (o->paths points into argv). Messages go to `err`, help/version to `out`.
 * Free *o with cli_options_free() whatever the status. */
cli_status cli_parse_args(int argc, char **argv, cli_options *o, FILE *out, FILE *err);
void cli_options_free(cli_options *o);
/* Adds a report "FORMAT[:FILE]"; a relative FILE is taken relative to `base` when not NULL.
 * `what` names the setting in messages. */
cli_status cli_output_add(cli_options *o, const char *spec, const char *base, const char *what,
                          FILE *err);
/* The number of online CPUs, at most CLI_MAX_JOBS: what -j 0 asks for. */
int cli_online_cpus(void);
/* The -j used when none is given: cli_online_cpus(), but 1 when PRE_COMMIT is set and not
 * empty (pre-commit runs its own batches in parallel). */
int cli_default_jobs(void);
/* "info", "warning", "error" (and "none" when allowed: CLI_LEVEL_NONE); -1 otherwise. */
int cli_parse_level(const char *s, bool allow_none);

/* Finds and loads the configuration (unless --no-config) and merges it under the command line.
 * Messages name the file and the key. */
cli_status cli_config_apply(cli_options *o, FILE *err);
/* The configuration file found by walking up from `dir`: .ecrlint.json in `dir` or a parent,
 * stopping at the file-system root and after a directory that contains .git. Returns a new
 * string (caller frees) or NULL. */
char *cli_config_find(const char *dir);
/* Loads and merges one configuration file; used by cli_config_apply. */
cli_status cli_config_load(cli_options *o, const char *path, FILE *err);

/* `ecrlint preview --policy POLICY --images IMAGES ...` (cli_preview.c): argv[0] is
 * "preview". Returns the exit status. */
int cli_preview_main(int argc, char **argv);

/* ---- paths and globs (cli_glob.c) ---- */

/* Matches `path` (relative, '/'-separated) against `pattern`: '*' and '?' within a segment,
 * '[...]' classes, '**' for any number of segments. A pattern also matches everything under a
 * directory it matches; a pattern without '/' matches the last component at any depth. */
bool cli_glob_match(const char *pattern, const char *path);
/* Absolute, lexically normalised form of `path` (relative to the working directory); new
 * string or NULL. */
char *cli_path_absolute(const char *path);
/* `path` relative to the absolute directory `base` when inside it, else its normalised
 * absolute form; new string or NULL. */
char *cli_path_relative(const char *base, const char *path);
/* Whether glob `g` matches input `path`. */
bool cli_glob_matches_input(const cli_glob *g, const char *path);
bool cli_glob_set(cli_glob *g, const char *pattern, const char *base);
void cli_glob_free(cli_glob *g);

/* ---- rule selection (cli_filter.c) ---- */

/* The rule settings of one input: the global entries plus those of matching "paths". */
typedef struct cli_filter {
    const cli_rule_entry **e;
    size_t n;
    const char *operation; /* of the last matching "paths" entry that sets one, or NULL */
    int client;            /* ecrlint_client for the input */
} cli_filter;

/* Whether rule `id` runs under `f`: the most specific matching entry wins (an ID beats a
 * prefix, a longer prefix a shorter one); between equally specific entries the later wins.
 * Rules no entry matches run. */
bool cli_filter_rule_on(const cli_filter *f, const char *id);
/* The severity findings of rule `id` get under `f`: that of the most specific matching
 * severity entry, else `severity` (the rule's own). */
int cli_filter_severity(const cli_filter *f, const char *id, int severity);
/* Adapter for ecrlint_check_options.rule_severity (userdata: a cli_filter). */
int cli_rule_severity_cb(const char *rule_id, int severity, void *userdata);
/* Builds the filter for input `path` (configuration entries, then matching "paths" entries,
 * then command-line entries). */
bool cli_filter_build(const cli_options *o, const char *path, cli_filter *f);
void cli_filter_free(cli_filter *f);
/* Checks that every entry names a rule or prefix the engine knows; message to err. */
bool cli_filter_validate(const cli_options *o, const ecrlint_engine *eng, FILE *err);
/* Adapter for ecrlint_check_options.rule_enabled (userdata: a cli_filter). */
int cli_rule_enabled_cb(const char *rule_id, void *userdata);

/* ---- baselines (cli_baseline.c) ---- */

typedef struct cli_baseline cli_baseline;

/* Loads a baseline; NULL with a message on err when the file is missing or malformed. */
cli_baseline *cli_baseline_load(const char *file, FILE *err);
/* Marks the findings of `r` that the baseline records as suppressed (each recorded finding
 * suppresses one). Returns the number suppressed. */
size_t cli_baseline_apply(cli_baseline *b, ecrlint_result *r);
void cli_baseline_free(cli_baseline *b);
/* Writes the findings of `rep` as a baseline to `file` ("-": standard output) atomically, and
 * their number to *count. False with a message on err when it could not. */
bool cli_baseline_write(const ecrlint_report *rep, const char *file, size_t *count, FILE *err);

/* ---- output (cli_output.c) ---- */

/* A file being written through a temporary file in the same directory and a rename, so that
 * readers never see half a file. NULL or "-" is standard output, written directly. */
typedef struct cli_atomic {
    FILE *f;          /* where to write; NULL once committed or abandoned */
    const char *file; /* the destination (borrowed) */
    char *tmp;        /* the temporary file; NULL for standard output and direct writes */
    bool direct;      /* the destination is a device, FIFO or link: written in place */
} cli_atomic;

/* Opens a temporary file next to `file` (`file` must stay valid until commit or abort); when
 * `file` exists and is not a regular file (/dev/stdout, a FIFO, a symbolic link), opens it
 * for writing in place instead. Returns 0 or an errno; on failure nothing is left to abandon. */
int cli_atomic_open(cli_atomic *a, const char *file);
/* Flushes, syncs and closes the temporary file and renames it over the destination (for
 * standard output: flushes it). Returns 0 or an errno; on failure the temporary file is gone. */
int cli_atomic_commit(cli_atomic *a);
/* Closes and removes the temporary file; the destination is left as it was. Does nothing once
 * committed, so it may be called on every exit path. */
void cli_atomic_abort(cli_atomic *a);

/* Writes data to `file` atomically (open, produce, commit; abort when `produce` fails).
 * Returns 0 or an errno. */
typedef int (*cli_producer)(FILE *f, void *userdata);
int cli_write_atomic(const char *file, cli_producer produce, void *userdata);

/* ---- rules and explain (cli_rules.c) ---- */

/* `ecrlint rules` in format "text", "json" or "markdown". Returns an exit status. */
int cli_rules_list(const ecrlint_engine *eng, const char *format, FILE *out, FILE *err);
/* `ecrlint explain ID`. Returns an exit status. */
int cli_rules_explain(const ecrlint_engine *eng, const char *id, FILE *out, FILE *err);

/* One input to check. Its three texts share path's allocation (cli_input_free). */
typedef struct cli_input {
    char *path;       /* as shown in reports */
    char *open_path;  /* what to open; NULL for standard input; often path itself */
    char *problem;    /* set when the input cannot be checked (e.g. "not a regular file") */
    const char *skip; /* static reason when the input is skipped unread (symbolic links) */
    bool jsonl;
    bool image; /* an image layout (a directory) or archive: checked whole */
    /* Named on the command line with an input file's name (x.json) and not looked at before
     * it is opened, which saves a system call per file; should it be a directory, it is
     * searched then (cli_collect_dir), its results taking its place. */
    bool dir_unknown;
} cli_input;

typedef struct cli_inputs {
    cli_input *items;
    size_t n, cap;
    const char *empty; /* a directory named on the command line that yields no input (points
                          into the options' paths), unless --allow-empty; NULL */
} cli_inputs;

/* Expands paths (directories recursively, *.json, *.http, *.jsonl and *.ndjson; symbolic links
 * inside directories are not followed; a directory with an oci-layout file is one image input,
 * not searched, and so is a named tar file) into inputs, in a deterministic order, leaving out
 * those matching an exclude glob. Returns false only when memory ran out. */
bool cli_collect_inputs(const cli_options *o, cli_inputs *in);
/* The inputs found by searching directory `dir` as a directory named on the command line is
 * searched (excludes applied). False when memory ran out. */
bool cli_collect_dir(const cli_options *o, const char *dir, cli_inputs *in);
void cli_inputs_free(cli_inputs *in);

/* Adds the acceptedMediaTypes of the BatchGetImage request in `path` to o->accept. *doc
 * receives the parsed request, which owns the strings (the caller frees it with json_decref).
 * Returns false with a message on `err` when the file is not such a request. */
bool cli_load_request_accept(cli_options *o, const char *path, void **doc, FILE *err);

/* Runs the whole tool; returns the exit status. */
int cli_main(int argc, char **argv);

#endif
