/* test_cli_repo.c - ecrlint in ordinary repositories, through cli_main in a scratch directory:
 * nothing silent (skipped inputs listed with -v and in JSON, paths that yield no input, no path
 * on a terminal, wrapped fixtures) and the small inconsistencies of paths and JSON Lines. */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cli_harness.h"
#include "suite_run.h"

static void setup(void)
{
    harness_enter("repo");
}

static void teardown(void)
{
    harness_leave();
}

static void has(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) != NULL, "'%s' not in:\n%s", needle, hay);
}

static void lacks(const char *hay, const char *needle)
{
    ck_assert_msg(strstr(hay, needle) == NULL, "'%s' unexpected in:\n%s", needle, hay);
}

static const char request[] = "{\"repositoryName\": \"team/app\", \"maxResults\": 0}\n";

START_TEST(empty_paths_are_usage_errors)
{
    ck_assert_int_eq(mkdir("empty", 0700), 0);
    const char *empty[] = {"--no-config", "empty", NULL};
    ck_assert_int_eq(harness_run(empty, NULL), CLI_EXIT_TROUBLE);
    has(harness_err, "ecrlint: empty: no *.json, *.jsonl, *.ndjson or *.http file to check");
    has(harness_err, "--allow-empty");
    ck_assert_str_eq(harness_out, "");

    const char *allowed[] = {"--no-config", "--allow-empty", "empty", NULL};
    ck_assert_int_eq(harness_run(allowed, NULL), CLI_EXIT_OK);
    has(harness_out, "0 files checked");

    /* An empty folder named like an input (it was walked with qsort(NULL, 0, ...)). */
    ck_assert_int_eq(mkdir("dir.json", 0700), 0);
    const char *dirjson[] = {"--no-config", "dir.json", NULL};
    ck_assert_int_eq(harness_run(dirjson, NULL), CLI_EXIT_TROUBLE);
    has(harness_err, "dir.json: no *.json");

    /* Files, but no input among them, or every input excluded. */
    ck_assert_int_eq(mkdir("src", 0700), 0);
    harness_puts("src/main.c", "int main(void) { return 0; }\n");
    harness_puts("src/req.json", request);
    const char *excl[] = {"--no-config", "--exclude", "src/req.json", "src", NULL};
    ck_assert_int_eq(harness_run(excl, NULL), CLI_EXIT_TROUBLE);
    has(harness_err, "src: no *.json, *.jsonl, *.ndjson or *.http file to check that no --exclude");

    /* One empty path among good ones is still the mistake it is. */
    const char *mixed[] = {"--no-config", "src", "empty", NULL};
    ck_assert_int_eq(harness_run(mixed, NULL), CLI_EXIT_TROUBLE);
    has(harness_err, "ecrlint: empty: no *.json");
}
END_TEST

START_TEST(no_path_on_a_terminal_prints_usage)
{
    const char *none[] = {"--no-config", NULL};
    ck_assert_int_eq(harness_run_tty(none), CLI_EXIT_TROUBLE);
    has(harness_err, "no PATH given and standard input is a terminal");
    has(harness_err, "Usage: ecrlint [OPTIONS] [PATH...]");
    has(harness_err, "ecrlint .");
    const char *verbose[] = {"-v", NULL};
    ck_assert_int_eq(harness_run_tty(verbose), CLI_EXIT_TROUBLE);
    has(harness_err, "Usage: ecrlint");
    /* Piped input is still read. */
    ck_assert_int_eq(harness_run(none, request), CLI_EXIT_FINDINGS);
    has(harness_out, "-:1:");
}
END_TEST

START_TEST(skipped_inputs_are_listed)
{
    harness_puts("package.json", "{\"name\": \"app\", \"version\": \"1.0.0\"}\n");
    harness_puts("tsconfig.json", "{\n  // comment\n  \"compilerOptions\": {},\n}\n");
    harness_puts("req.json", request);
    const char *quiet[] = {"--no-config", ".", NULL};
    ck_assert_int_eq(harness_run(quiet, NULL), CLI_EXIT_FINDINGS);
    lacks(harness_out, "skipped:");
    /* req.json: ECR3001, and botocore's refusal of maxResults 0 (ECR0021) */
    has(harness_out, "3 files checked: 2 errors, 0 warnings, 0 info, 2 skipped");

    const char *verbose[] = {"--no-config", "-v", ".", NULL};
    ck_assert_int_eq(harness_run(verbose, NULL), CLI_EXIT_FINDINGS);
    has(harness_out,
        "./package.json: skipped: no members of an ECR request, response or manifest\n");
    has(harness_out, "./tsconfig.json: skipped: JSON with comments and trailing commas");
    has(harness_out, "2 skipped");

    const char *json[] = {"--no-config", "-f", "json", ".", NULL};
    ck_assert_int_eq(harness_run(json, NULL), CLI_EXIT_FINDINGS);
    has(harness_out,
        "\"skipped\":{\"reason\":\"no members of an ECR request, response or manifest\"}");
    has(harness_out, "\"skipped\":2");
}
END_TEST

START_TEST(wrapped_fixtures_get_a_hint)
{
    harness_puts("list.json",
                 "[{\"repositoryName\": \"a\", \"imageIds\": [{\"imageTag\": \"v 1\"}]},"
                 " {\"repositoryName\": \"b\", \"maxResults\": 5}]");
    harness_puts("stub.json", "{\"operation\": \"batch_get_image\", \"expected_params\": "
                              "{\"repositoryName\": \"a\", \"imageIds\": [{\"imageTag\": \"v 1\"}],"
                              " \"acceptedMediaTypes\": [\"application/json\"]},"
                              " \"service_response\": {}}");
    harness_puts("pair.json", "{\"input\": {\"repositoryName\": \"a\", \"maxResults\": 0}, "
                              "\"output\": {\"imageDetails\": []}}");
    const char *args[] = {"--no-config", "-v", "list.json", "stub.json", "pair.json", NULL};
    ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_OK);
    has(harness_out, "list.json: skipped: the top-level value is an array, not an object; its 2 "
                     "items hold ECR documents (BatchGetImage, ...), which are checked one per "
                     "file or one per line: jq -c '.[]' list.json | ecrlint --jsonl -\n");
    has(harness_out, "stub.json: skipped: no members of an ECR request, response or manifest; its "
                     "member 'expected_params' holds an ECR document (BatchGetImage), which is "
                     "not checked inside another one: jq '.expected_params' stub.json | ecrlint "
                     "--operation BatchGetImage -\n");
    has(harness_out, "jq '.input' pair.json | ecrlint --operation DescribeImages -\n");
    has(harness_out, "3 files checked: 0 errors, 0 warnings, 0 info, 3 skipped");

    const char *json[] = {"--no-config", "-f", "json", "stub.json", NULL};
    ck_assert_int_eq(harness_run(json, NULL), CLI_EXIT_OK);
    has(harness_out, "\"skipped\":{\"reason\":\"no members of an ECR request, response or "
                     "manifest\",\"hint\":\"its member 'expected_params' holds");

    /* The hint's command works: the wrapped request is checked. */
    const char *inner[] = {"--no-config", "--operation", "BatchGetImage", "-", NULL};
    ck_assert_int_eq(harness_run(inner, "{\"repositoryName\": \"a\", \"imageIds\": "
                                        "[{\"imageTag\": \"v 1\"}]}"),
                     CLI_EXIT_FINDINGS);
    has(harness_out, "InvalidImageTag");
}
END_TEST

/* A typo in acceptedMediaTypes: a warning (ECR2003). */
static const char typo[] = "{\"repositoryName\": \"team/app\", \"imageIds\": [{\"imageTag\": "
                           "\"v1\"}], \"acceptedMediaTypes\": "
                           "[\"application/vnd.docker.distribution.manifest.v2+jsn\"]}\n";

START_TEST(exit_one_always_shows_its_finding)
{
    harness_puts("typo.json", typo);
    static const char *const formats[] = {"text", "json", "gcc", "sarif", "github", "junit"};
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        for (int quiet = 0; quiet < 2; quiet++) {
            const char *args[] = {"--no-config", "-s", "error",    "--fail-on",
                                  "warning",     "-f", formats[k], quiet ? "-q" : "typo.json",
                                  "typo.json",   NULL};
            ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_FINDINGS);
            ck_assert_msg(strstr(harness_out, "ECR2003") != NULL, "%s%s: exit 1 with nothing shown",
                          formats[k], quiet ? " -q" : "");
        }
    }
    const char *text[] = {"--no-config", "-s", "error", "--fail-on", "warning", "typo.json", NULL};
    ck_assert_int_eq(harness_run(text, NULL), CLI_EXIT_FINDINGS);
    has(harness_out, "1 file checked: 0 errors, 1 warning, 0 info, 0 skipped");
    /* Below both thresholds it stays hidden, and passes. */
    const char *hidden[] = {"--no-config", "-s", "error", "typo.json", NULL};
    ck_assert_int_eq(harness_run(hidden, NULL), CLI_EXIT_OK);
    lacks(harness_out, "ECR2003");
}
END_TEST

START_TEST(disable_keeps_the_predicted_answer)
{
    harness_puts("max0.json", request);
    const char *args[] = {"--no-config", "--client", "none",      "-d", "ECR3001",
                          "-f",          "json",     "max0.json", NULL};
    ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_OK);
    lacks(harness_out, "\"rule\":\"ECR3001\"");
    has(harness_out, "\"exception\":{\"code\":\"InvalidParameterException\",\"message\":\"Invalid "
                     "parameter at 'maxResults'");
    /* botocore refuses maxResults 0 too (its min): that answer is ECR0021's, still an error */
    const char *client[] = {"--no-config", "-d", "ECR3001", "-f", "json", "max0.json", NULL};
    ck_assert_int_eq(harness_run(client, NULL), CLI_EXIT_FINDINGS);
    lacks(harness_out, "\"rule\":\"ECR3001\"");
    has(harness_out, "\"rule\":\"ECR0021\",\"severity\":\"error\"");
    const char *on[] = {"--no-config", "-f", "json", "max0.json", NULL};
    ck_assert_int_eq(harness_run(on, NULL), CLI_EXIT_FINDINGS);
    has(harness_out, "\"rule\":\"ECR3001\"");
}
END_TEST

/* ECR3001's text is inferred (its rule's confidence is low): every format says so. */
START_TEST(inferred_answers_say_so)
{
    harness_puts("max0.json", request);
    static const struct {
        const char *format, *mark;
    } want[] = {
        {"text", "'Member must have value greater than or equal to 1' (inferred) [ECR3001]"},
        {"gcc", "(inferred) [ECR3001]"},
        {"github", "or equal to 1' (inferred)"},
        {"junit", "(inferred) [ECR3001]"},
        {"json", "\"failures\":[],\"confidence\":\"low\"}"},
        {"sarif", "\"properties\":{\"confidence\":\"low\"}"}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        const char *args[] = {"--no-config", "-f", want[k].format, "max0.json", NULL};
        ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_FINDINGS);
        ck_assert_msg(strstr(harness_out, want[k].mark) != NULL, "%s: no '%s' in\n%s",
                      want[k].format, want[k].mark, harness_out);
    }
    const char *text[] = {"--no-config", "max0.json", NULL};
    ck_assert_int_eq(harness_run(text, NULL), CLI_EXIT_FINDINGS);
    has(harness_out, "max0.json: ECR would answer InvalidParameterException: Invalid parameter at "
                     "'maxResults' failed to satisfy constraint: 'Member must have value greater "
                     "than or equal to 1' (inferred)\n");
    /* A finding of a sure rule is not marked. */
    harness_puts("short.json", "{\"repositoryName\": \"a\", \"maxResults\": 5}");
    const char *sure[] = {"--no-config", "-f", "json", "short.json", NULL};
    ck_assert_int_eq(harness_run(sure, NULL), CLI_EXIT_FINDINGS);
    has(harness_out, "\"confidence\":\"high\"");
    lacks(harness_out, "\"confidence\":\"low\"");
}
END_TEST

START_TEST(severity_per_rule_and_path)
{
    ck_assert_int_eq(mkdir("legacy", 0700), 0);
    harness_puts("typo.json", typo);
    harness_puts("legacy/typo.json", typo);
    harness_puts(".ecrlint.json", "{\"severity\": {\"ECR2003\": \"error\"},"
                                  " \"paths\": {\"legacy/**\": {\"severity\": {\"ECR2003\": "
                                  "\"info\"}}}}");
    const char *args[] = {"-f", "gcc", "typo.json", "legacy/typo.json", NULL};
    ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_FINDINGS);
    has(harness_out,
        "typo.json:1:89: error: 'application/vnd.docker.distribution.manifest.v2+jsn'");
    has(harness_out, "legacy/typo.json:1:89: note: 'application/");
    /* Only the raised one fails the run. */
    const char *legacy[] = {"legacy/typo.json", NULL};
    ck_assert_int_eq(harness_run(legacy, NULL), CLI_EXIT_OK);
    harness_puts(".ecrlint.json", "{\"severity\": {\"ECR2003\": \"fatal\"}}");
    ck_assert_int_eq(harness_run(legacy, NULL), CLI_EXIT_TROUBLE);
    has(harness_err,
        ".ecrlint.json: 'severity.ECR2003' must be \"info\", \"warning\" or \"error\"");
    harness_puts(".ecrlint.json", "{\"severity\": {\"ECR99\": \"error\"}}");
    ck_assert_int_eq(harness_run(legacy, NULL), CLI_EXIT_TROUBLE);
    has(harness_err, "'ECR99' is no rule ID or prefix of one");
    /* The string form is still the minimum reported. */
    harness_puts(".ecrlint.json", "{\"severity\": \"error\"}");
    ck_assert_int_eq(harness_run(legacy, NULL), CLI_EXIT_OK);
    lacks(harness_out, "ECR2003");
}
END_TEST

START_TEST(small_inconsistencies)
{
    /* --exclude takes the ./ paths reports print */
    ck_assert_int_eq(mkdir("t", 0700), 0);
    harness_puts("t/bad.json", request);
    harness_puts("t/ok.json", "{\"repositoryName\": \"team/app\", \"maxResults\": 5}");
    const char *dot[] = {"--no-config", "-q", ".", NULL};
    ck_assert_int_eq(harness_run(dot, NULL), CLI_EXIT_FINDINGS);
    has(harness_out, "./t/bad.json:1:");
    const char *excl[] = {"--no-config", "-q", "--exclude", "./t/bad.json", ".", NULL};
    ck_assert_int_eq(harness_run(excl, NULL), CLI_EXIT_OK);
    lacks(harness_out, "bad.json");

    /* JSON Lines: a file counts once; --stdin-filename x.jsonl switches JSON Lines on */
    const char *lines = "{\"repositoryName\": \"a1\", \"maxResults\": 5}\n"
                        "{\"repositoryName\": \"a2\", \"maxResults\": 5}\n"
                        "{\"repositoryName\": \"a3\", \"maxResults\": 0}\n";
    harness_puts("reqs.jsonl", lines);
    const char *jl[] = {"--no-config", "reqs.jsonl", "t/ok.json", NULL};
    ck_assert_int_eq(harness_run(jl, NULL), CLI_EXIT_FINDINGS);
    has(harness_out, "2 files (3 JSON Lines records) checked: 2 errors");
    const char *sin[] = {"--no-config", "--stdin-filename", "batch.jsonl", "-", NULL};
    ck_assert_int_eq(harness_run(sin, lines), CLI_EXIT_FINDINGS);
    has(harness_out, "batch.jsonl:3:");
    has(harness_out, "1 file (3 JSON Lines records) checked");

    /* --request naming a missing file: no -1:-1 */
    const char *req[] = {"--no-config", "--request", "nosuch.json", "t/ok.json", NULL};
    ck_assert_int_eq(harness_run(req, NULL), CLI_EXIT_TROUBLE);
    has(harness_err, "ecrlint: nosuch.json: --request: ");
    lacks(harness_err, "-1:-1");
}
END_TEST

/* `ecrlint rules --format json | head`: a closed pipe ends quietly, exit 0. */
START_TEST(rules_into_a_closed_pipe)
{
    signal(SIGPIPE, SIG_IGN);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    close(fds[0]);
    FILE *out = fdopen(fds[1], "w");
    ck_assert_ptr_nonnull(out);
    FILE *err = tmpfile();
    ecrlint_engine *eng = ecrlint_engine_new(NULL);
    ck_assert_ptr_nonnull(eng);
    ck_assert_int_eq(cli_rules_list(eng, "json", out, err), CLI_EXIT_OK);
    ck_assert_int_eq(ftell(err), 0); /* nothing said */
    ecrlint_engine_free(eng);
    fclose(out);
    fclose(err);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_repo");
    TCase *tc = tcase_create("repo");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, empty_paths_are_usage_errors);
    tcase_add_test(tc, no_path_on_a_terminal_prints_usage);
    tcase_add_test(tc, skipped_inputs_are_listed);
    tcase_add_test(tc, wrapped_fixtures_get_a_hint);
    tcase_add_test(tc, exit_one_always_shows_its_finding);
    tcase_add_test(tc, disable_keeps_the_predicted_answer);
    tcase_add_test(tc, inferred_answers_say_so);
    tcase_add_test(tc, severity_per_rule_and_path);
    tcase_add_test(tc, small_inconsistencies);
    tcase_add_test(tc, rules_into_a_closed_pipe);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return suite_run(suite());
}
