/* test_examples.c - every rule of the built-in packs, run on its own examples.
 *
 * Each rule carries a bad and a good example (rules/README.md, "Examples"). For every rule of
 * the built-in ruleset this test checks both, the way the keys beside them say (operation,
 * mediaType, input, accept, maxFileSize, maxDepth, padTo, pack), and fails when:
 *
 * - the rule has no bad or no good example (a rule no input can raise says so instead, in
 *   "untestable": it is listed, not run);
 * - the bad example does not raise the rule;
 * - the bad example raises another rule, at any severity, that the good example does not raise
 *   too and that the example does not declare in "also". That is what "exactly that rule"
 *   means: the two examples differ by the one mistake the rule is about, so whatever else they
 *   raise, they raise together (a warning the context of both brings, such as schema 1's
 *   deprecation), and a second rule the same mistake is bound to raise is named in "also";
 * - a rule named in "also" is not raised by the bad example (the declaration went stale);
 * - the good example raises the rule.
 *
 * A failure names the rule, the example and what fired instead; all failures are listed before
 * the test fails. Since every rule must have examples, this test also makes sure that every
 * rule ID is exercised by at least one test. */
#include <check.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_harness.h"
#include "ecrlint/ecrlint.h"
#include "suite_run.h"

/* The rule IDs one example raised, each once, in report order. */
typedef struct fired {
    char ids[64][33];
    size_t n;
} fired;

static void fired_add(fired *f, const char *id)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->ids[i], id) == 0)
            return;
    ck_assert_uint_lt(f->n, sizeof f->ids / sizeof f->ids[0]);
    snprintf(f->ids[f->n++], sizeof f->ids[0], "%s", id);
}

static bool fired_has(const fired *f, const char *id)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->ids[i], id) == 0)
            return true;
    return false;
}

/* "ECR1012, ECR0020", or "nothing". */
static const char *fired_text(const fired *f, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < f->n && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", f->ids[i]);
    return f->n ? out : "nothing";
}

/* The failures found so far, one per line, printed at the end. */
static char report[65536];
static size_t nfailures;

static void failure(const char *fmt, ...)
{
    size_t len = strlen(report);
    va_list ap;
    va_start(ap, fmt);
    if (len < sizeof report)
        vsnprintf(report + len, sizeof report - len, fmt, ap);
    va_end(ap);
    len = strlen(report);
    if (len + 1 < sizeof report) {
        report[len] = '\n';
        report[len + 1] = '\0';
    }
    nfailures++;
}

/* Checks `path` with the command line (reading files is its job, not the library's), from the
 * repository's root, and collects the rules its JSON report names. */
static void run_path(const json_t *opts, const char *path, fired *out)
{
    char full[4096];
    snprintf(full, sizeof full, "%s/../%s", TESTDATA_DIR, path);
    /* the example's own arguments ("args": --verify-layers, ...) before the path */
    const char *args[16] = {"--no-config", "--format", "json"};
    size_t n = 3;
    const json_t *extra = json_object_get(opts, "args");
    ck_assert_uint_lt(json_array_size(extra), 16 - 5);
    for (size_t i = 0; i < json_array_size(extra); i++)
        args[n++] = json_string_value(json_array_get(extra, i));
    args[n++] = full;
    args[n] = NULL;
    harness_enter("examples");
    int status = harness_run(args, NULL);
    /* 2: an input could not be read, the one rule checked this way */
    ck_assert_msg(status >= 0 && status <= 2, "ecrlint %s: exit %d: %s", path, status, harness_err);
    json_error_t jerr;
    json_t *doc = json_loads(harness_out, 0, &jerr);
    ck_assert_msg(doc != NULL, "ecrlint %s: not JSON: %s", path, jerr.text);
    json_t *files = json_object_get(doc, "files");
    /* one file, or an image layout or archive: its places, each a file of the report */
    ck_assert_uint_ge(json_array_size(files), 1);
    for (size_t f = 0; f < json_array_size(files); f++) {
        json_t *diags = json_object_get(json_array_get(files, f), "diagnostics");
        size_t i;
        json_t *d;
        json_array_foreach(diags, i, d)
            fired_add(out, json_string_value(json_object_get(d, "rule")));
    }
    json_decref(doc);
    harness_leave();
}

/* Checks one example text as `opts` (the rule's example options, may be NULL) say, with `eng`,
 * and collects the rules it raised. */
static void run_text(const ecrlint_engine *eng, const json_t *opts, const char *text, fired *out)
{
    ecrlint_check_options o = {0};
    o.operation = json_string_value(json_object_get(opts, "operation"));
    o.media_type = json_string_value(json_object_get(opts, "mediaType"));
    const char *input = json_string_value(json_object_get(opts, "input"));
    o.input = !input                       ? ECRLINT_INPUT_AUTO
              : strcmp(input, "http") == 0 ? ECRLINT_INPUT_HTTP
                                           : ECRLINT_INPUT_JSON;
    o.limits.max_file_size = (size_t)json_integer_value(json_object_get(opts, "maxFileSize"));
    o.limits.max_depth = (size_t)json_integer_value(json_object_get(opts, "maxDepth"));
    const json_t *accept = json_object_get(opts, "accept");
    const char *types[16] = {NULL};
    ck_assert_uint_lt(json_array_size(accept), sizeof types / sizeof types[0]);
    for (size_t i = 0; i < json_array_size(accept); i++)
        types[i] = json_string_value(json_array_get(accept, i));
    o.accept = accept ? types : NULL;

    ecrlint_result *res = NULL;
    ecrlint_error err = {0};
    ecrlint_status st =
        ecrlint_check_buffer(eng, &o, "example.json", text, strlen(text), &res, &err);
    ck_assert_msg(st == ECRLINT_OK, "%s: %s", ecrlint_status_str(st), err.text);
    for (size_t i = 0; i < ecrlint_result_diag_count(res); i++)
        fired_add(out, ecrlint_result_diag(res, i)->rule);
    ecrlint_result_free(res);
}

/* The bad example padded to `size` bytes: spaces inserted before its last '"', so that the string
 * value it ends with grows (a new buffer, for the caller to free). */
static char *padded(const char *text, size_t size)
{
    size_t len = strlen(text);
    const char *quote = strrchr(text, '"');
    ck_assert_msg(quote != NULL && size > len, "padTo: %zu bytes, no '\"' or not longer", size);
    size_t at = (size_t)(quote - text);
    char *out = malloc(size + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, text, at);
    memset(out + at, ' ', size - len);
    memcpy(out + at + (size - len), text + at, len - at + 1);
    return out;
}

static void run_example(const ecrlint_engine *eng, const json_t *opts, const char *text, bool bad,
                        fired *out)
{
    const char *input = json_string_value(json_object_get(opts, "input"));
    size_t pad = (size_t)json_integer_value(json_object_get(opts, "padTo"));
    if (input && strcmp(input, "path") == 0) {
        run_path(opts, text, out);
    } else if (bad && pad) {
        char *big = padded(text, pad);
        run_text(eng, opts, big, out);
        free(big);
    } else {
        run_text(eng, opts, text, out);
    }
}

/* Runs the examples of rule `r` of `eng` and records what is wrong with them; returns the
 * number of examples run. */
static size_t check_rule(const ecrlint_engine *eng, const ecrlint_rule_info *r)
{
    json_t *why = r->example_options ? json_loads(r->example_options, 0, NULL) : NULL;
    const char *untestable = json_string_value(json_object_get(why, "untestable"));
    if (untestable && !r->bad_example && !r->good_example)
        printf("%s: not run: %s\n", r->id, untestable);
    else if (untestable)
        failure("%s: examples given, but also \"untestable\"", r->id);
    json_decref(why);
    if (untestable)
        return 0;
    if (!r->bad_example || !r->good_example) {
        failure("%s: no %s example", r->id, !r->bad_example ? "bad" : "good");
        return 0;
    }
    json_t *opts = NULL;
    if (r->example_options) {
        json_error_t jerr;
        opts = json_loads(r->example_options, 0, &jerr);
        ck_assert_msg(opts != NULL, "%s: example options: %s", r->id, jerr.text);
    }
    /* A pack the examples need is loaded on top of the engine's, into an engine of their own. */
    ecrlint_engine *own = NULL;
    const json_t *pack = json_object_get(opts, "pack");
    if (pack) {
        ecrlint_error err = {0};
        own = ecrlint_engine_new(&err);
        ck_assert_ptr_nonnull(own);
        char *text = json_dumps(pack, JSON_COMPACT);
        ck_assert_ptr_nonnull(text);
        ecrlint_status st =
            ecrlint_engine_load_rules_buffer(own, "examples", text, strlen(text), &err);
        json_malloc_t json_malloc_fn;
        json_free_t json_free_fn; /* text from json_dumps goes back to jansson's allocator */
        json_get_alloc_funcs(&json_malloc_fn, &json_free_fn);
        json_free_fn(text);
        ck_assert_msg(st == ECRLINT_OK, "%s: example pack: %s", r->id, err.text);
        eng = own;
    }

    fired bad = {0}, good = {0};
    char text[2048];
    run_example(eng, opts, r->bad_example, true, &bad);
    run_example(eng, opts, r->good_example, false, &good);
    if (!fired_has(&bad, r->id))
        failure("%s: bad example: %s did not fire; fired: %s", r->id, r->id,
                fired_text(&bad, text, sizeof text));
    const json_t *also = json_object_get(opts, "also");
    for (size_t i = 0; i < bad.n; i++) {
        bool declared = false;
        for (size_t k = 0; k < json_array_size(also); k++)
            declared |= strcmp(json_string_value(json_array_get(also, k)), bad.ids[i]) == 0;
        if (strcmp(bad.ids[i], r->id) != 0 && !declared && !fired_has(&good, bad.ids[i]))
            failure("%s: bad example: %s fired too (not by the good example, not in \"also\"); "
                    "fired: %s",
                    r->id, bad.ids[i], fired_text(&bad, text, sizeof text));
    }
    for (size_t k = 0; k < json_array_size(also); k++)
        if (!fired_has(&bad, json_string_value(json_array_get(also, k))))
            failure("%s: bad example: %s is in \"also\" but did not fire; fired: %s", r->id,
                    json_string_value(json_array_get(also, k)),
                    fired_text(&bad, text, sizeof text));
    if (fired_has(&good, r->id))
        failure("%s: good example: %s fired; fired: %s", r->id, r->id,
                fired_text(&good, text, sizeof text));
    ecrlint_engine_free(own);
    json_decref(opts);
    return 2;
}

START_TEST(every_rule_runs_its_examples)
{
    ecrlint_error err = {0};
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    ck_assert_msg(eng != NULL, "%s", err.text);
    report[0] = '\0';
    nfailures = 0;
    size_t nrules = ecrlint_engine_rule_count(eng), nrun = 0;
    for (size_t i = 0; i < nrules; i++)
        nrun += check_rule(eng, ecrlint_engine_rule(eng, i));
    printf("examples: %zu rules, %zu examples run, %zu failures\n", nrules, nrun, nfailures);
    fputs(report, stderr);
    ecrlint_engine_free(eng);
    ck_assert_msg(nfailures == 0, "%zu failures in the rules' examples (listed above)", nfailures);
}
END_TEST

/* The checks above can fail: a rule whose examples are wrong in each way is reported so. */
static const char *failures_of(const char *rule_json)
{
    char pack[4096];
    snprintf(pack, sizeof pack, "{\"format\": 1, \"name\": \"broken-examples\", \"rules\": [%s]}",
             rule_json);
    ecrlint_error err = {0};
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    ck_assert_ptr_nonnull(eng);
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(eng, "broken.json", pack, strlen(pack), &err),
                     ECRLINT_OK);
    report[0] = '\0';
    nfailures = 0;
    check_rule(eng, ecrlint_engine_find_rule(eng, "ECR1010"));
    ecrlint_engine_free(eng);
    return report;
}

#define RULE_HEAD                                                                                  \
    "{\"id\": \"ECR1010\", \"severity\": \"error\", \"title\": \"t\", \"source\": \"s\", "

START_TEST(wrong_examples_are_reported)
{
    ck_assert_str_eq(failures_of(RULE_HEAD "\"examples\": {\"bad\": \"{}\"}}"),
                     "ECR1010: no good example\n");
    ck_assert_str_eq(
        failures_of(RULE_HEAD "\"examples\": {\"bad\": \"{\\\"repositoryName\\\": \\\"ab\\\"}\", "
                              "\"good\": \"{\\\"repositoryName\\\": \\\"a\\\"}\", "
                              "\"operation\": \"DescribeImages\"}}"),
        "ECR1010: bad example: ECR1010 did not fire; fired: nothing\n"
        "ECR1010: good example: ECR1010 fired; fired: ECR0021, ECR1010\n");
    /* "A" is too short and breaks the pattern: ECR1012 comes with the mistake, and botocore's
     * refusal (ECR0021, its min length). */
    ck_assert_str_eq(
        failures_of(RULE_HEAD "\"examples\": {\"bad\": \"{\\\"repositoryName\\\": \\\"A\\\"}\", "
                              "\"good\": \"{\\\"repositoryName\\\": \\\"ab\\\"}\", "
                              "\"operation\": \"DescribeImages\", "
                              "\"also\": [\"ECR0021\", \"ECR0020\"]}}"),
        "ECR1010: bad example: ECR1012 fired too (not by the good example, not in \"also\"); "
        "fired: ECR0021, ECR1010, ECR1012\n"
        "ECR1010: bad example: ECR0020 is in \"also\" but did not fire; "
        "fired: ECR0021, ECR1010, ECR1012\n");
    ck_assert_str_eq(failures_of(RULE_HEAD
                                 "\"examples\": {\"bad\": \"{\\\"repositoryName\\\": \\\"A\\\"}\", "
                                 "\"good\": \"{\\\"repositoryName\\\": \\\"ab\\\"}\", "
                                 "\"operation\": \"DescribeImages\", "
                                 "\"also\": [\"ECR1012\", \"ECR0021\"]}}"),
                     "");
}
END_TEST

/* The loader keeps the keys beside bad and good, in pack order, and refuses wrong types. */
START_TEST(example_options_at_load)
{
    ecrlint_error err = {0};
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    ck_assert_ptr_nonnull(eng);
    const char *ok = "{\"format\": 1, \"name\": \"x\", \"rules\": [" RULE_HEAD
                     "\"examples\": {\"bad\": \"b\", \"maxDepth\": 3, \"good\": \"g\", "
                     "\"accept\": [\"application/vnd.oci.image.manifest.v1+json\"]}}]}";
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(eng, "x.json", ok, strlen(ok), &err),
                     ECRLINT_OK);
    const ecrlint_rule_info *r = ecrlint_engine_find_rule(eng, "ECR1010");
    ck_assert_str_eq(
        r->example_options,
        "{\"maxDepth\":3,\"accept\":[\"application/vnd.oci.image.manifest.v1+json\"]}");
    const char *none = "{\"format\": 1, \"name\": \"x\", \"rules\": [" RULE_HEAD
                       "\"examples\": {\"bad\": \"b\", \"good\": \"g\"}}]}";
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(eng, "x.json", none, strlen(none), &err),
                     ECRLINT_OK);
    ck_assert_ptr_null(ecrlint_engine_find_rule(eng, "ECR1010")->example_options);
    static const char *const wrong[][2] = {
        {"\"maxDepth\": \"3\"", "rules[0].examples.maxDepth: Expected integer, got string"},
        {"\"maxFileSize\": 0", "rules[0].examples.maxFileSize: must be a positive integer"},
        {"\"padTo\": -1", "rules[0].examples.padTo: must be a positive integer"},
        {"\"input\": \"xml\"", "rules[0].examples.input: must be \"json\", \"http\" or \"path\""},
        {"\"also\": [1]", "rules[0].examples.also[0]: must be a string"},
        {"\"pack\": \"p\"", "rules[0].examples.pack: must be an object (a rule pack)"},
        {"\"operaton\": \"PutImage\"",
         "rules[0].examples.operaton: unknown key (known: bad, good, operation, mediaType, input, "
         "accept, maxFileSize, maxDepth, padTo, pack, also, untestable, args)"}};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        char pack[1024];
        snprintf(pack, sizeof pack,
                 "{\"format\": 1, \"name\": \"x\", \"rules\": [" RULE_HEAD
                 "\"examples\": {\"bad\": \"b\", \"good\": \"g\", %s}}]}",
                 wrong[i][0]);
        ecrlint_error e2 = {0};
        ck_assert_int_eq(ecrlint_engine_load_rules_buffer(eng, "x.json", pack, strlen(pack), &e2),
                         ECRLINT_ERR_RULES);
        ck_assert_str_eq(e2.text, wrong[i][1]);
    }
    ecrlint_engine_free(eng);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("examples");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_rule_runs_its_examples);
    tcase_add_test(tc, wrong_examples_are_reported);
    tcase_add_test(tc, example_options_at_load);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
