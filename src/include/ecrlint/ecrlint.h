/*
 * ecrlint.h - the public API of libecrlint.
 *
 * libecrlint checks Amazon ECR API request bodies (BatchGetImage, DescribeImages, PutImage),
 * ECR API responses and container image manifests offline, and predicts what ECR would answer.
 *
 * Life cycle:
 *
 *     ecrlint_error err;
 *     ecrlint_engine *eng = ecrlint_engine_new(&err);          // built-in rule packs
 *     ecrlint_result *res = NULL;
 *     ecrlint_check_buffer(eng, NULL, "req.json", buf, len, &res, &err);
 *     ... ecrlint_result_kind(res), ecrlint_result_diag(res, i) ...
 *     ecrlint_result_free(res);
 *     ecrlint_engine_free(eng);
 *
 * Conventions:
 * - Every function that can fail returns an ecrlint_status (ECRLINT_OK == 0) and, when given a
 *   non-NULL ecrlint_error, fills it (the first error wins).
 * - "Returns a new X; the caller frees it with Y" and "borrowed: valid until Z is freed" state
 *   ownership. Every _free function accepts NULL.
 * - An engine is read-only once loaded: any number of threads may call ecrlint_check_buffer on
 *   one engine at the same time. Results are not shared between threads. A thread that checks
 *   many inputs can keep its working state in an ecrlint_checker (one per thread).
 * - The library never prints and never exits, and changes nothing process-wide unless asked to
 *   with ecrlint_global_init().
 */
#ifndef ECRLINT_H
#define ECRLINT_H

#include <stddef.h>

#include "ecrlint/ecrlint_export.h"
#include "ecrlint/ecrlint_version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version of the JSON report contract written by the "json" format. */
#define ECRLINT_REPORT_VERSION 1

/** One status for the whole library. */
typedef enum ecrlint_status {
    ECRLINT_OK = 0,
    ECRLINT_ERR_NOMEM,   /* an allocation failed */
    ECRLINT_ERR_IO,      /* a file could not be read or written */
    ECRLINT_ERR_RULES,   /* a rule pack is malformed */
    ECRLINT_ERR_USAGE,   /* an argument is invalid (unknown operation, format, rule id) */
    ECRLINT_ERR_LIMIT,   /* an input exceeds a configured limit */
    ECRLINT_ERR_INTERNAL /* a bug: please report it */
} ecrlint_status;

/** Returns a static, human-readable text for a status. */
ECRLINT_EXPORT const char *ecrlint_status_str(ecrlint_status status);

#define ECRLINT_ERROR_SOURCE_LENGTH 256
#define ECRLINT_ERROR_TEXT_LENGTH 512

/**
 * Error details, allocated by the caller. `source` names the file (a rule pack, an input) and
 * `line`/`column` the position in it (1-based, 0 when unknown). For rule packs, `text` starts
 * with the key path of the offending value (for example "shapes.RepositoryName.checks[2]").
 */
typedef struct ecrlint_error {
    ecrlint_status code;
    int line;
    int column;
    char source[ECRLINT_ERROR_SOURCE_LENGTH];
    char text[ECRLINT_ERROR_TEXT_LENGTH];
} ecrlint_error;

typedef enum ecrlint_severity {
    ECRLINT_SEVERITY_INFO = 0,
    ECRLINT_SEVERITY_WARNING = 1,
    ECRLINT_SEVERITY_ERROR = 2
} ecrlint_severity;

/** "info", "warning" or "error". */
ECRLINT_EXPORT const char *ecrlint_severity_str(ecrlint_severity severity);
/** Parses "info", "warning", "error"; returns -1 for anything else. */
ECRLINT_EXPORT int ecrlint_severity_parse(const char *text);

/** What a checked input turned out to be. */
typedef enum ecrlint_kind {
    ECRLINT_KIND_REQUEST = 0, /* an ECR API request body */
    ECRLINT_KIND_RESPONSE,    /* an ECR API response body (fixtures, captured answers) */
    ECRLINT_KIND_MANIFEST,    /* an image manifest or index */
    ECRLINT_KIND_SKIPPED,     /* JSON that is none of the above (package.json, ...) */
    ECRLINT_KIND_ERROR,       /* unreadable, not JSON, or over a limit */
    ECRLINT_KIND_IMAGE,       /* an image layout or archive, or a place inside one */
    ECRLINT_KIND_POLICY,      /* a repository, registry or IAM policy that grants ecr: actions */
    ECRLINT_KIND_LIFECYCLE_POLICY /* an ECR lifecycle policy document */
} ecrlint_kind;

/** "request", "response", "manifest", "skipped", "error", "image", "policy" or
 * "lifecycle-policy". */
ECRLINT_EXPORT const char *ecrlint_kind_str(ecrlint_kind kind);

/* ------------------------------------------------------------------------------------------ */
/* Global set-up (optional).                                                                  */

/**
 * Gives jansson, for the whole process, the library's allocator: inside a check, jansson's
 * values then come from a per-check arena, released at once at its end (checking many small
 * inputs is about a third faster), and allocation failures inside jansson are told apart from
 * syntax errors (the check fails with ECRLINT_ERR_NOMEM instead of reporting invalid JSON).
 * Outside a check, the allocator is malloc and free, so jansson values the program makes or
 * frees itself are unaffected.
 *
 * It also seeds jansson's hash function (json_object_seed()) from getrandom(2) on Linux: one
 * system call where jansson's own seeding opens and reads /dev/urandom.
 *
 * This calls json_set_alloc_funcs() and json_object_seed(), which jansson's documentation says
 * must come before any other jansson call of the program: a program that uses jansson itself
 * calls this first, or not at all. Without it the library works the same, with jansson's own
 * allocator. Idempotent and thread-safe; there is nothing to undo at exit. Returns ECRLINT_OK.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_global_init(void);

/* ------------------------------------------------------------------------------------------ */
/* Engine: rule packs, compiled once.                                                         */

typedef struct ecrlint_engine ecrlint_engine;

/**
 * Returns a new engine loaded with the rule packs built into the library, or NULL on failure
 * (details in `err`). The caller frees it with ecrlint_engine_free().
 */
ECRLINT_EXPORT ecrlint_engine *ecrlint_engine_new(ecrlint_error *err);

/**
 * Loads every `*.json` rule pack in `dir` (not recursive, in name order) on top of the packs
 * already loaded. A pack whose "name" equals a loaded pack's replaces it; a rule whose id is
 * already known replaces the known rule. Must be called before the engine is shared between
 * threads. On failure the engine is left unchanged.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_engine_load_rules_dir(ecrlint_engine *engine, const char *dir,
                                                            ecrlint_error *err);

/** Loads one rule pack from memory; `name` is used in error messages only. */
ECRLINT_EXPORT ecrlint_status ecrlint_engine_load_rules_buffer(ecrlint_engine *engine,
                                                               const char *name, const char *buf,
                                                               size_t len, ecrlint_error *err);

ECRLINT_EXPORT void ecrlint_engine_free(ecrlint_engine *engine);

/** Version string of the loaded rule data ("2026.04.29"), borrowed from the engine. */
ECRLINT_EXPORT const char *ecrlint_engine_rules_version(const ecrlint_engine *engine);

/** Static description of one rule; borrowed: valid until the engine is freed. */
typedef struct ecrlint_rule_info {
    const char *id; /* "ECR1013" */
    ecrlint_severity severity;
    const char *scope;      /* "BatchGetImage", "DescribeImages", "request", "manifest", ... */
    const char *title;      /* one line */
    const char *help;       /* longer text, or NULL */
    const char *source;     /* documentation URL */
    const char *confidence; /* "high", "medium" or "low" (how sure we are of ECR's answer) */
    const char *exception;  /* ECR exception code this rule predicts, or NULL */
    const char *exception_message; /* its message template, or NULL */
    const char *failure;           /* per-image failure code this rule predicts, or NULL */
    const char *failure_reason;    /* its reason template, or NULL */
    const char *bad_example;       /* a JSON text that breaks the rule, or NULL */
    const char *good_example;      /* the same, fixed, or NULL */
    const char *pack;              /* name of the pack that declared it */
    /* How the examples are checked: the keys of the pack's "examples" other than bad and good
       (operation, mediaType, input, accept, ...; rules/README.md, "Examples") as one compact
       JSON object, or NULL when there are none. */
    const char *example_options;
} ecrlint_rule_info;

/** Number of rules known to the engine. */
ECRLINT_EXPORT size_t ecrlint_engine_rule_count(const ecrlint_engine *engine);
/** Rule `i` in id order, or NULL when out of range. */
ECRLINT_EXPORT const ecrlint_rule_info *ecrlint_engine_rule(const ecrlint_engine *engine, size_t i);
/** The rule with this id, or NULL. */
ECRLINT_EXPORT const ecrlint_rule_info *ecrlint_engine_find_rule(const ecrlint_engine *engine,
                                                                 const char *id);

/** An operation the rule packs describe: a request of ECR ("CreateRepository") or ECR Public
 * ("ecr-public:DescribeImages"), or a response kept as a fixture ("CreateRepositoryResponse"). */
typedef struct ecrlint_operation_info {
    const char *name;
    ecrlint_kind kind;  /* ECRLINT_KIND_REQUEST or ECRLINT_KIND_RESPONSE */
    const char *target; /* a request's X-Amz-Target value, or NULL */
} ecrlint_operation_info;

/** Number of operations known to the engine. */
ECRLINT_EXPORT size_t ecrlint_engine_operation_count(const ecrlint_engine *engine);
/** Operation `i`, in the order the packs declare them; name NULL when out of range. */
ECRLINT_EXPORT ecrlint_operation_info ecrlint_engine_operation(const ecrlint_engine *engine,
                                                               size_t i);
/** Whether `id` is a rule of the built-in packs, the rules that rules/REFERENCE.md documents
 * (a rule pack given with --rules may add others). */
ECRLINT_EXPORT int ecrlint_rule_is_builtin(const char *id);

/* ------------------------------------------------------------------------------------------ */
/* Checking one input.                                                                        */

/** Input framing. */
typedef enum ecrlint_input_mode {
    ECRLINT_INPUT_AUTO = 0, /* a JSON document, or a raw HTTP request with a JSON body */
    ECRLINT_INPUT_JSON,     /* exactly one JSON document */
    ECRLINT_INPUT_HTTP      /* a raw HTTP request: request line, headers, blank line, body */
} ecrlint_input_mode;

/** Limits; 0 in a field means the default named beside it. */
typedef struct ecrlint_limits {
    size_t max_file_size;   /* bytes; default ECRLINT_DEFAULT_MAX_FILE_SIZE, at most
                               ECRLINT_MAX_FILE_SIZE (a larger value means that) */
    size_t max_depth;       /* JSON nesting; default ECRLINT_DEFAULT_MAX_DEPTH */
    size_t max_diagnostics; /* per input; default ECRLINT_DEFAULT_MAX_DIAGNOSTICS */
} ecrlint_limits;

#define ECRLINT_DEFAULT_MAX_FILE_SIZE ((size_t)64 * 1024 * 1024)
/* The highest size limit: line and column numbers are ints, and a body of this size keeps
   every one of them well inside the range. */
#define ECRLINT_MAX_FILE_SIZE ((size_t)1024 * 1024 * 1024)
#define ECRLINT_DEFAULT_MAX_DEPTH 512
#define ECRLINT_DEFAULT_MAX_DIAGNOSTICS 1000

/** Whose answer to give besides ECR's: the client that would send the request. */
typedef enum ecrlint_client {
    ECRLINT_CLIENT_DEFAULT = 0, /* botocore for JSON bodies, none for raw HTTP captures */
    ECRLINT_CLIENT_BOTOCORE,    /* the AWS CLI and boto3: botocore's parameter validation */
    ECRLINT_CLIENT_NONE         /* a client that validates nothing before sending */
} ecrlint_client;

/** "botocore" or "none" (ECRLINT_CLIENT_DEFAULT: "default"). */
ECRLINT_EXPORT const char *ecrlint_client_str(ecrlint_client client);
/** Parses "botocore" or "none"; returns -1 for anything else. */
ECRLINT_EXPORT int ecrlint_client_parse(const char *text);

/** Options for one check; NULL means all defaults. */
typedef struct ecrlint_check_options {
    const char
        *operation; /* "BatchGetImage", "DescribeImages", "PutImage", "manifest" or NULL (auto) */
    const char *media_type; /* declared manifest media type (manifests only), or NULL */
    ecrlint_input_mode input;
    ecrlint_limits limits;
    /* Accepted media types for the "which manifest would BatchGetImage return" check of a
       manifest; NULL-terminated, or NULL when not asked for. */
    const char *const *accept;
    /* Rule filter: a rule for which it returns 0 is never reported; a rule that predicts ECR's
       answer still runs for the prediction, which disabling a finding does not change. NULL
       reports every rule. */
    int (*rule_enabled)(const char *rule_id, void *userdata);
    void *rule_userdata;
    /* First line of the body within the file (1-based; 0 = 1): JSON Lines inputs pass the line
       number of the record so that positions point into the whole file. The check is refused
       (ECRLINT_ERR_USAGE) when first_line plus the body's length could pass INT_MAX. */
    int first_line;
    /* Non-zero when the caller does not read ecrlint_result_extra_json() (no writer it feeds
       wants the facts: ecrlint_writer_wants_facts()): the facts of a manifest, such as the
       list of an index's children, are not gathered, and the result has none. Findings do
       not change. */
    int no_facts;
    /* Severity filter: called for each finding with its rule's severity (an ecrlint_severity);
       the finding gets the one it returns. NULL keeps the rules' own. Takes rule_userdata. */
    int (*rule_severity)(const char *rule_id, int severity, void *userdata);
    /* The client whose answer requests get (ecrlint_result_client_name()); its refusal is also
       the error finding ECR0021, and findings only that client raises (unknown members, for
       botocore) are errors when it is the client. */
    ecrlint_client client;
} ecrlint_check_options;

typedef struct ecrlint_result ecrlint_result;

/** One finding; borrowed: valid until the result is freed. */
typedef struct ecrlint_diag {
    const char *rule; /* "ECR1013" */
    ecrlint_severity severity;
    const char *pointer;      /* RFC 6901 JSON pointer of the offending value; "" = document */
    int line, column;         /* 1-based start (columns count Unicode code points); 0 unknown */
    int end_line, end_column; /* one past the end of the value; 0 unknown */
    const char *message;
} ecrlint_diag;

/** One predicted per-image failure (BatchGetImage); borrowed like ecrlint_diag. */
typedef struct ecrlint_failure {
    const char *image_id; /* the request's imageId entry as compact JSON, exactly as given */
    const char *code;     /* "InvalidImageDigest" */
    const char *reason;
    const char *pointer; /* "/imageIds/3" */
} ecrlint_failure;

/**
 * Checks one input held in memory. `path` names it in findings (it is not opened). On success
 * *result is a new result that the caller frees with ecrlint_result_free(); problems with the
 * input itself (not JSON, over a limit) are findings in the result, not failures of the call.
 * Returns ECRLINT_ERR_NOMEM when memory ran out and ECRLINT_ERR_USAGE for invalid options.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_check_buffer(const ecrlint_engine *engine,
                                                   const ecrlint_check_options *options,
                                                   const char *path, const char *buf, size_t len,
                                                   ecrlint_result **result, ecrlint_error *err);

/**
 * A checker: what one thread needs to check inputs one after another (the regular-expression
 * match state, the first block of the memory inputs are parsed into), kept from one check to
 * the next instead of made and freed for each. ecrlint_checker_check() is ecrlint_check_buffer()
 * with the checker's engine, and gives the same results. A checker is used by one thread at a
 * time (one per thread); its engine must outlive it.
 */
typedef struct ecrlint_checker ecrlint_checker;

/** Returns a new checker for `engine`; free it with ecrlint_checker_free(). NULL when out of
 *  memory or `engine` is NULL. */
ECRLINT_EXPORT ecrlint_checker *ecrlint_checker_new(const ecrlint_engine *engine);
/** As ecrlint_check_buffer(); ECRLINT_ERR_USAGE when `checker` is NULL. */
ECRLINT_EXPORT ecrlint_status ecrlint_checker_check(ecrlint_checker *checker,
                                                    const ecrlint_check_options *options,
                                                    const char *path, const char *buf, size_t len,
                                                    ecrlint_result **result, ecrlint_error *err);
ECRLINT_EXPORT void ecrlint_checker_free(ecrlint_checker *checker);

/**
 * Returns a new result of kind ECRLINT_KIND_ERROR for an input that was not checked, with one
 * error finding of rule `rule` carrying `message`: ECR0000 for an input that cannot be read,
 * ECR0004 for one over the size limit. NULL when out of memory.
 */
ECRLINT_EXPORT ecrlint_result *ecrlint_result_new_error(const char *path, const char *rule,
                                                        const char *message);
/** Returns a new result of kind ECRLINT_KIND_SKIPPED with `reason`. NULL when out of memory. */
ECRLINT_EXPORT ecrlint_result *ecrlint_result_new_skipped(const char *path, const char *reason);

ECRLINT_EXPORT void ecrlint_result_free(ecrlint_result *result);

ECRLINT_EXPORT const char *ecrlint_result_path(const ecrlint_result *result);
ECRLINT_EXPORT ecrlint_kind ecrlint_result_kind(const ecrlint_result *result);
/** "BatchGetImage", ... or NULL; borrowed. */
ECRLINT_EXPORT const char *ecrlint_result_operation(const ecrlint_result *result);
/** Why the input was skipped, or NULL; borrowed. */
ECRLINT_EXPORT const char *ecrlint_result_skip_reason(const ecrlint_result *result);
/** For a skipped input that wraps ECR documents (a JSON array of requests, a botocore Stubber
 * fixture's expected_params, an {"input": ..., "output": ...} pair): how to check them; else NULL.
 */
ECRLINT_EXPORT const char *ecrlint_result_skip_hint(const ecrlint_result *result);
/** How sure the predicted answer (the exception, else the failures) is: "high", "medium" or
 * "low" (inferred: ECR's text or behaviour has not been observed), the least sure of the rules
 * behind it; NULL when nothing is predicted. */
ECRLINT_EXPORT const char *ecrlint_result_confidence(const ecrlint_result *result);
/** The exception ECR would answer with, or NULL; borrowed. */
ECRLINT_EXPORT const char *ecrlint_result_exception_code(const ecrlint_result *result);
ECRLINT_EXPORT const char *ecrlint_result_exception_message(const ecrlint_result *result);
ECRLINT_EXPORT size_t ecrlint_result_failure_count(const ecrlint_result *result);
ECRLINT_EXPORT const ecrlint_failure *ecrlint_result_failure(const ecrlint_result *result,
                                                             size_t i);
ECRLINT_EXPORT size_t ecrlint_result_diag_count(const ecrlint_result *result);
ECRLINT_EXPORT const ecrlint_diag *ecrlint_result_diag(const ecrlint_result *result, size_t i);
/** JSON Lines input: the line of the record this result is about; 0 for whole files. */
ECRLINT_EXPORT int ecrlint_result_record_line(const ecrlint_result *result);
/**
 * Marks finding `i` as suppressed (on != 0) or not: a baseline accepted it. Suppressed findings
 * are left out of every format, counts and summaries, except "sarif", which lists them with
 * "suppressions": [{"kind": "external"}] so that code scanning closes rather than reopens them.
 * Returns ECRLINT_ERR_USAGE when `i` is out of range.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_result_set_suppressed(ecrlint_result *result, size_t i,
                                                            int on);
/** 1 when finding `i` is suppressed, else 0. */
ECRLINT_EXPORT int ecrlint_result_diag_suppressed(const ecrlint_result *result, size_t i);
/** Number of findings not kept because max_diagnostics was reached. */
ECRLINT_EXPORT size_t ecrlint_result_dropped_count(const ecrlint_result *result);
/**
 * The client's answer for a request: the client's name ("botocore") and the model it validates
 * with ("ecr-2015-09-21"), or NULL when there is no client (ECRLINT_CLIENT_NONE, raw HTTP
 * captures by default, inputs that are not requests); borrowed.
 */
ECRLINT_EXPORT const char *ecrlint_result_client_name(const ecrlint_result *result);
ECRLINT_EXPORT const char *ecrlint_result_client_model(const ecrlint_result *result);
/**
 * What the client prints when it refuses the request before sending it ("Parameter validation
 * failed:\n..." for botocore, one line per problem), or NULL when it would send it; borrowed.
 * A refusal is also reported as the finding ECR0021, its message on one line.
 */
ECRLINT_EXPORT const char *ecrlint_result_client_error(const ecrlint_result *result);

/**
 * Extra facts about the input as a compact JSON object text (for manifests: the "manifest"
 * object of the report), or NULL; borrowed.
 */
ECRLINT_EXPORT const char *ecrlint_result_extra_json(const ecrlint_result *result);

/* ------------------------------------------------------------------------------------------ */
/* Image layouts and archives: everything a push would send, checked as a whole.              */

/** What ecrlint_image_sniff() found at a path. */
typedef enum ecrlint_image_format {
    ECRLINT_IMAGE_NONE = 0, /* not an image layout or archive */
    ECRLINT_IMAGE_LAYOUT,   /* a directory holding an `oci-layout` file */
    ECRLINT_IMAGE_ARCHIVE   /* a tar file: an OCI archive or a docker-archive (`docker save`) */
} ecrlint_image_format;

/**
 * Looks at `path` without reading more than a tar header: a directory with a regular file
 * `oci-layout` is a layout, a regular file with a tar header an archive. Symbolic links are
 * not followed. Never fails: anything it cannot look at is ECRLINT_IMAGE_NONE.
 */
ECRLINT_EXPORT ecrlint_image_format ecrlint_image_sniff(const char *path);

/** Options for checking an image; NULL means all defaults. */
typedef struct ecrlint_image_options {
    /* The repository the images are to be pushed to, checked as PutImage's repositoryName;
       NULL: the name is not checked (a valid placeholder stands in for it). */
    const char *repository;
    /* Non-zero: every layer is decompressed (gzip, zstd) and its uncompressed sha256 compared
       with the config's rootfs.diff_ids entry. */
    int verify_layers;
    /* Threads that verify the blobs of a layout at the same time; 0 or 1: one. */
    int jobs;
} ecrlint_image_options;

/** Takes one result (the callee owns it from then on); non-zero stops the check. */
typedef int (*ecrlint_result_sink)(ecrlint_result *result, void *userdata);

/**
 * Checks the image layout or archive at `open_path` (what to open), named `path` in results,
 * as a whole: every manifest through the manifest checker with its descriptor's media type,
 * every blob's presence, size and digest, the image configs, and for each manifest and tag
 * the PutImage request a push amounts to and ECR's predicted answer. Results go to `sink` in
 * a fixed order: first the image itself (kind ECRLINT_KIND_IMAGE, its facts one summary per
 * image), then one result per place inside it that has findings, named `<path>/<name>` for a
 * layout and `<path>:<name>` for an archive; manifests are results of kind manifest there.
 * Nothing is written, nothing outside the layout is read, symbolic links are not followed.
 * `checker` (may be NULL) lends its working state. Returns ECRLINT_ERR_NOMEM when memory
 * ran out, ECRLINT_ERR_IO when `sink` returned non-zero; an input that cannot be read is a
 * finding, not a failure.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_check_image(
    const ecrlint_engine *engine, ecrlint_checker *checker, const ecrlint_check_options *options,
    const ecrlint_image_options *image, const char *path, const char *open_path,
    ecrlint_result_sink sink, void *userdata, ecrlint_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Reports: results of many inputs, written in a format.                                      */

typedef struct ecrlint_report ecrlint_report;

/** Returns a new, empty report; the caller frees it with ecrlint_report_free(). NULL: no memory. */
ECRLINT_EXPORT ecrlint_report *ecrlint_report_new(const ecrlint_engine *engine);
/** Appends a result; takes ownership of it, even on failure. */
ECRLINT_EXPORT ecrlint_status ecrlint_report_add(ecrlint_report *report, ecrlint_result *result);
ECRLINT_EXPORT size_t ecrlint_report_count(const ecrlint_report *report);
/** Result `i` in the order added; borrowed. */
ECRLINT_EXPORT const ecrlint_result *ecrlint_report_result(const ecrlint_report *report, size_t i);
ECRLINT_EXPORT void ecrlint_report_free(ecrlint_report *report);

/** Counts over a report, after the minimum severity filter of the format options. */
typedef struct ecrlint_summary {
    /* files: the inputs, a JSON Lines file counting once however many records it has */
    size_t files, errors, warnings, infos, skipped, failed_inputs;
    size_t records; /* JSON Lines records among the results (0 without JSON Lines) */
} ecrlint_summary;

/** Options for writing a report. */
typedef struct ecrlint_format_options {
    ecrlint_severity min_severity; /* findings below it are left out */
    int color;                     /* text: ANSI colour */
    int quiet;                     /* text: no summary line, no per-manifest lines */
    const char *tool_version;      /* shown in formats that name the tool */
    /* junit: findings at or above this severity are <failure>s, the others are listed in
       <system-out>; 0 (info) makes every finding a failure, 3 none. */
    int fail_on;
    /* text: a line per skipped input with its reason, and each finding's documentation link */
    int verbose;
    /* The rule reference (rules/REFERENCE.md, or a copy of it) as a URL: a finding of a built-in
       rule links to rules_url#<its ID in lower case>, the rule's anchor there (JSON helpUri,
       text under `verbose`; when rules_url is an http(s) address also SARIF helpUri and a line of
       GitHub and JUnit messages). NULL or "": no links. */
    const char *rules_url;
} ecrlint_format_options;

ECRLINT_EXPORT void ecrlint_report_summary(const ecrlint_report *report,
                                           ecrlint_severity min_severity, ecrlint_summary *out);

/** Where formatted output goes: returns 0 on success, non-zero to stop writing. */
typedef int (*ecrlint_write_fn)(const char *data, size_t len, void *userdata);

/**
 * Writes `report` in `format` ("text", "json", ...) through `write`. Returns ECRLINT_ERR_USAGE
 * for an unknown format, ECRLINT_ERR_IO when `write` returned non-zero and ECRLINT_ERR_NOMEM
 * when memory ran out. The same as an ecrlint_writer fed every result of the report.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_report_write(const ecrlint_report *report, const char *format,
                                                   const ecrlint_format_options *options,
                                                   ecrlint_write_fn write, void *userdata,
                                                   ecrlint_error *err);

/* ------------------------------------------------------------------------------------------ */
/* Writers: a report written as its results arrive, so that nothing is kept for the end.     */

/**
 * A report being written, one result at a time, in the order a report would hold them:
 *
 *     ecrlint_writer *w = ecrlint_writer_new(eng, "json", &fo, write, ud, &err);
 *     for each input: ecrlint_check_buffer(..., &res, &err);
 *                     ecrlint_writer_add(w, res, &err); ecrlint_result_free(res);
 *     ecrlint_writer_finish(w, &err);
 *     ecrlint_writer_free(w);
 *
 * The output is byte for byte that of ecrlint_report_write() over the same results. Output is
 * buffered and passed to `write` in blocks of about 64 KiB, so memory stays flat however many
 * results are added, except for "junit", which must count every test case before writing the
 * first and so holds its test cases until ecrlint_writer_finish(). After a call fails, every
 * later call returns the same status and writes nothing. A writer is used by one thread at a
 * time (several threads may take turns).
 */
typedef struct ecrlint_writer ecrlint_writer;

/**
 * Returns a new writer of `format` to `write`, or NULL on failure (`err` says why:
 * ECRLINT_ERR_USAGE for an unknown format or a NULL `write`, ECRLINT_ERR_NOMEM). `engine` (for
 * rule titles and the rules version; may be NULL) and `options` (NULL: all defaults) are
 * borrowed and must outlive the writer. Nothing is written yet. The caller frees it with
 * ecrlint_writer_free().
 */
ECRLINT_EXPORT ecrlint_writer *ecrlint_writer_new(const ecrlint_engine *engine, const char *format,
                                                  const ecrlint_format_options *options,
                                                  ecrlint_write_fn write, void *userdata,
                                                  ecrlint_error *err);

/**
 * Writes (or, for "junit", prepares) `result`, the next result in report order. The writer
 * keeps no pointer into `result` once this returns: the caller may free it at once. Returns
 * ECRLINT_ERR_IO when `write` returned non-zero, ECRLINT_ERR_NOMEM when memory ran out, and
 * ECRLINT_ERR_USAGE after ecrlint_writer_finish().
 */
ECRLINT_EXPORT ecrlint_status ecrlint_writer_add(ecrlint_writer *writer,
                                                 const ecrlint_result *result, ecrlint_error *err);

/**
 * Writes the rest (summary, closing brackets; for "junit", everything) and passes all that is
 * buffered to `write`. Status codes as ecrlint_writer_add(); called twice, ECRLINT_ERR_USAGE.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_writer_finish(ecrlint_writer *writer, ecrlint_error *err);

/**
 * Counts over the results added so far, after the writer's minimum severity: the same as
 * ecrlint_report_summary() over a report holding them.
 */
ECRLINT_EXPORT void ecrlint_writer_summary(const ecrlint_writer *writer, ecrlint_summary *out);

/**
 * Whether the writer prints the extra facts of results (ecrlint_result_extra_json()): "json"
 * does, "text" unless quiet; the other formats do not. A caller whose every writer says no may
 * set ecrlint_check_options.no_facts.
 */
ECRLINT_EXPORT int ecrlint_writer_wants_facts(const ecrlint_writer *writer);

/** Frees the writer; what was not yet passed to `write` (no finish) is dropped. */
ECRLINT_EXPORT void ecrlint_writer_free(ecrlint_writer *writer);

/** Returns 1 when `format` names a known report format. */
ECRLINT_EXPORT int ecrlint_format_known(const char *format);

/** A comma-separated list of the known report formats (static). */
ECRLINT_EXPORT const char *ecrlint_format_names(void);

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle preview: which images a lifecycle policy would expire or move to archive.        */

/**
 * A preview answers offline what ECR's GetLifecyclePolicyPreview answers online:
 *
 *     ecrlint_preview *p = ecrlint_preview_new(eng, "policy.json", text, len, &err);
 *     ecrlint_preview_protect(p, "release-*", &err);                  // optional, repeatable
 *     ecrlint_preview_add_images(p, "images.json", buf, n, &err);     // once per file
 *     ecrlint_preview_run(p, now, &err);
 *     ... ecrlint_preview_image_at(p, i), ecrlint_preview_write_json(p, ...) ...
 *     ecrlint_preview_free(p);
 *
 * The policy must have been checked first (ecrlint_check_buffer): the preview reads a valid
 * policy and refuses, with ECRLINT_ERR_USAGE, what it cannot read as one. The evaluation is
 * ECR's documented one; README.md, "Lifecycle preview", lists the readings where the
 * documentation leaves a choice open.
 */
typedef struct ecrlint_preview ecrlint_preview;

/** A time: microseconds since 1970-01-01T00:00:00Z. */
#define ECRLINT_NO_TIME (-9223372036854775807LL - 1)

/** Parses epoch seconds ("1733280000", "1733280000.5") or ISO 8601 ("2026-12-04",
 *  "2026-12-04T02:30:00Z", "...+01:00"; no zone: UTC) into *usec. Returns 1, or 0 when the text
 *  is neither (or outside the years 1 to 9999). */
ECRLINT_EXPORT int ecrlint_time_parse(const char *text, long long *usec);

/**
 * Returns a new preview of the policy in `text` (a lifecycle policy document, or a request or
 * repository creation template that carries one in lifecyclePolicyText or lifecyclePolicy), or
 * NULL with `err` filled. `source` names it in messages. `engine` (borrowed; must outlive the
 * preview) gives the --protect findings their rule. Free it with ecrlint_preview_free().
 */
ECRLINT_EXPORT ecrlint_preview *ecrlint_preview_new(const ecrlint_engine *engine,
                                                    const char *source, const char *text,
                                                    size_t len, ecrlint_error *err);

/** Adds a glob ('*' any run, '?' one character) of tags that must never be expired. */
ECRLINT_EXPORT ecrlint_status ecrlint_preview_protect(ecrlint_preview *preview, const char *pattern,
                                                      ecrlint_error *err);

/**
 * Adds the images of one file: a DescribeImages response (one page), JSON Lines of
 * imageDetails entries, or a BatchGetImage response (the manifests of image indexes, whose
 * children ECR does not act on while the index stays). Errors (ECRLINT_ERR_USAGE) name the
 * file, the line and the image.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_preview_add_images(ecrlint_preview *preview,
                                                         const char *source, const char *buf,
                                                         size_t len, ecrlint_error *err);

/**
 * Evaluates the policy over the images added, at time `now_usec`. ECRLINT_ERR_USAGE when an
 * image lacks a time a rule needs, or appears twice (the message names it and its place).
 * Called once.
 */
ECRLINT_EXPORT ecrlint_status ecrlint_preview_run(ecrlint_preview *preview, long long now_usec,
                                                  ecrlint_error *err);

typedef enum ecrlint_preview_action {
    ECRLINT_PREVIEW_KEEP = 0,
    ECRLINT_PREVIEW_EXPIRE,
    ECRLINT_PREVIEW_TRANSITION /* to the archive storage class */
} ecrlint_preview_action;

/** One rule of the policy, in rulePriority order; borrowed until the preview is freed. */
typedef struct ecrlint_preview_rule {
    long long priority;
    const char *description;   /* or NULL */
    const char *tag_status;    /* "tagged", "untagged", "any" */
    const char *tag_list;      /* the tag list as "prod*, beta*" (patterns) or "prod, beta"
                                  (prefixes), or NULL */
    int tag_patterns;          /* 1: tagPatternList, 0: tagPrefixList */
    const char *storage_class; /* "standard" or "archive" */
    const char *count_type;    /* "imageCountMoreThan", "sinceImagePushed", ... */
    long long count_number;
    ecrlint_preview_action action;
    size_t acted; /* the images it expires or archives */
    size_t held;  /* the images it would act on that an index keeps */
} ecrlint_preview_rule;

ECRLINT_EXPORT size_t ecrlint_preview_rule_count(const ecrlint_preview *preview);
ECRLINT_EXPORT const ecrlint_preview_rule *ecrlint_preview_rule_at(const ecrlint_preview *preview,
                                                                   size_t i);

/** One image and what the policy does to it; borrowed until the preview is freed. */
typedef struct ecrlint_preview_image {
    const char *digest;
    const char *const *tags;
    size_t ntags;
    long long pushed_at;       /* imagePushedAt, or ECRLINT_NO_TIME */
    const char *storage_class; /* "STANDARD" or "ARCHIVE" (ACTIVATING images: "STANDARD") */
    ecrlint_preview_action action;
    size_t rule; /* the rule (index in priority order) that decides it, or (size_t)-1 */
    /* the rule's action is held back because this index or manifest list stays and references
       the image; NULL otherwise */
    const char *held_by;
    /* a --protect pattern that one of its tags matches, and the tag, when it is expired */
    const char *protected_pattern, *protected_tag;
    const char *source; /* the file and the position of its entry */
    int line, column;
} ecrlint_preview_image;

/**
 * Number of images, and image `i` in report order: those acted on first, by rule priority and
 * oldest first, then those held back by an index, then the rest (oldest first).
 */
ECRLINT_EXPORT size_t ecrlint_preview_image_count(const ecrlint_preview *preview);
ECRLINT_EXPORT const ecrlint_preview_image *ecrlint_preview_image_at(const ecrlint_preview *preview,
                                                                     size_t i);

typedef struct ecrlint_preview_summary {
    size_t images, expire, transition, kept, held, protected_expired;
} ecrlint_preview_summary;

ECRLINT_EXPORT void ecrlint_preview_get_summary(const ecrlint_preview *preview,
                                                ecrlint_preview_summary *out);

/**
 * Writes the preview as ECR's GetLifecyclePolicyPreview response (status COMPLETE): the images
 * acted on, in report order, and the summary counts. Errors as ecrlint_report_write().
 */
ECRLINT_EXPORT ecrlint_status ecrlint_preview_write_json(const ecrlint_preview *preview,
                                                         ecrlint_write_fn write, void *userdata,
                                                         ecrlint_error *err);

/** The files images were read from, in the order added. */
ECRLINT_EXPORT size_t ecrlint_preview_source_count(const ecrlint_preview *preview);

/**
 * The --protect findings of images file `i` as a new result (kind ECRLINT_KIND_RESPONSE, the
 * file's path; one finding of rule ECR9001 per protected image the policy would expire, placed
 * at its entry), for the report formats. The caller frees it with ecrlint_result_free().
 */
ECRLINT_EXPORT ecrlint_status ecrlint_preview_findings(const ecrlint_preview *preview, size_t i,
                                                       ecrlint_result **result, ecrlint_error *err);

ECRLINT_EXPORT void ecrlint_preview_free(ecrlint_preview *preview);

#ifdef __cplusplus
}
#endif

#endif /* ECRLINT_H */
