/* test_cli_baseline.c - baselines end to end through cli_main, in a scratch directory: record,
 * add a new finding, and check that only the new one is reported; counts, JSON Lines records,
 * SARIF suppressions, bad baselines, and atomic report files. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_harness.h"
#include "suite_run.h"

static void setup(void)
{
    harness_enter("base");
}

static void teardown(void)
{
    harness_leave();
}

/* A file's text into buf (cut to size); the file must be there. */
static void slurp(const char *path, char *buf, size_t size)
{
    char *text = harness_slurp(path, NULL);
    ck_assert_ptr_nonnull(text);
    snprintf(buf, size, "%s", text);
    free(text);
}

/* Runs ecrlint with `args` and --client none: the baseline's mechanics are shown on ECR's
 * findings; botocore's answer (ECR0021, refusing maxResults 0 as well) would add one. */
static int run(const char *const *args)
{
    const char *all[32] = {"--client", "none"};
    size_t n = 2;
    for (size_t i = 0; args[i]; i++) {
        ck_assert_uint_lt(n, sizeof all / sizeof all[0] - 1);
        all[n++] = args[i];
    }
    all[n] = NULL;
    return harness_run(all, NULL);
}

/* Two findings: ECR1012 (/repositoryName) and ECR3001 (/maxResults). */
static const char *two = "{\n  \"repositoryName\": \"Web\",\n  \"maxResults\": 0\n}\n";

START_TEST(only_new_findings_after_baseline)
{
    ck_assert_int_eq(system("mkdir -p req"), 0);
    harness_puts("req/a.json", two);
    harness_puts("req/ok.json", "{\"repositoryName\": \"web\", \"maxResults\": 5}\n");
    const char *rec[] = {"--write-baseline", "baseline.json", "req", NULL};
    ck_assert_int_eq(run(rec), CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(harness_err, "recorded 2 findings in baseline.json"));
    char base[4096];
    slurp("baseline.json", base, sizeof base);
    ck_assert_str_eq(base, "{\n  \"version\": 1,\n  \"findings\": [\n"
                           "    {\"path\": \"req/a.json\", \"rule\": \"ECR1012\", \"pointer\": "
                           "\"/repositoryName\"},\n"
                           "    {\"path\": \"req/a.json\", \"rule\": \"ECR3001\", \"pointer\": "
                           "\"/maxResults\"}\n  ]\n}\n");

    /* Nothing new: clean, exit 0. */
    const char *chk[] = {"-f", "gcc", "--baseline", "baseline.json", "req", NULL};
    ck_assert_int_eq(run(chk), CLI_EXIT_OK);
    ck_assert_str_eq(harness_out, "");

    /* Edits that move the recorded findings to other lines do not matter... */
    harness_puts("req/a.json", "{\n\n\n  \"maxResults\": 0,\n  \"repositoryName\": \"Web\"\n}\n");
    ck_assert_int_eq(run(chk), CLI_EXIT_OK);
    ck_assert_str_eq(harness_out, "");

    /* ...a new finding in the same file and one in a file that was clean are reported, and
     * only they. */
    harness_puts("req/a.json", "{\n  \"repositoryName\": \"Web\",\n  \"maxResults\": 0,\n"
                               "  \"nextToken\": \"\", \"imageIds\": []\n}\n");
    harness_puts("req/ok.json", "{\"repositoryName\": \"web\", \"maxResults\": 5000}\n");
    ck_assert_int_eq(run(chk), CLI_EXIT_FINDINGS);
    ck_assert_ptr_null(strstr(harness_out, "[ECR1012]"));
    ck_assert_ptr_null(strstr(harness_out, "[ECR3001]"));
    ck_assert_ptr_nonnull(strstr(harness_out, "req/ok.json:1:41: error: "));
    ck_assert_ptr_nonnull(strstr(harness_out, "[ECR3002]"));
    ck_assert_ptr_nonnull(strstr(harness_out, "req/a.json:"));

    /* SARIF keeps the accepted findings, marked as suppressed. */
    const char *sarif[] = {"-f", "sarif", "--baseline", "baseline.json", "req", NULL};
    ck_assert_int_eq(run(sarif), CLI_EXIT_FINDINGS);
    const char *p = harness_out;
    int suppressed = 0;
    while ((p = strstr(p, "\"suppressions\":[{\"kind\":\"external\""))) {
        suppressed++;
        p++;
    }
    ck_assert_int_eq(suppressed, 2);
}
END_TEST

START_TEST(baseline_keys_json_lines_records)
{
    /* A JSON Lines file: the same finding in records 1 and 3; record 3 accepted only. */
    harness_puts("b.jsonl", "{\"repositoryName\": \"web\", \"maxResults\": 0}\n\n"
                            "{\"repositoryName\": \"web\", \"maxResults\": 0}\n");
    harness_puts("baseline.json",
                 "{\"version\": 1, \"findings\": [{\"path\": \"b.jsonl\", \"record\": 3, "
                 "\"rule\": \"ECR3001\", \"pointer\": \"/maxResults\"}]}");
    const char *chk[] = {"-f", "gcc", "--baseline", "baseline.json", "b.jsonl", NULL};
    ck_assert_int_eq(run(chk), CLI_EXIT_FINDINGS);
    ck_assert_ptr_nonnull(strstr(harness_out, "b.jsonl:1:"));
    ck_assert_ptr_null(strstr(harness_out, "b.jsonl:3:"));

    /* Each recorded finding hides one: a file named twice has every finding twice. */
    harness_puts("a.json", two);
    const char *twice[] = {"--write-baseline", "-", "a.json", "a.json", NULL};
    ck_assert_int_eq(run(twice), CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(harness_out, "\"pointer\": \"/maxResults\", \"count\": 2}"));
    harness_puts("once.json",
                 "{\"version\": 1, \"findings\": [{\"path\": \"a.json\", \"rule\": "
                 "\"ECR3001\", \"pointer\": \"/maxResults\"}, {\"path\": \"a.json\", "
                 "\"rule\": \"ECR1012\", \"pointer\": \"/repositoryName\", \"count\": 2}]}");
    const char *again[] = {"-f", "gcc", "--baseline", "once.json", "a.json", "a.json", NULL};
    ck_assert_int_eq(run(again), CLI_EXIT_FINDINGS);
    ck_assert_ptr_null(strstr(harness_out, "[ECR1012]"));
    const char *hit = strstr(harness_out, "[ECR3001]");
    ck_assert_ptr_nonnull(hit);
    ck_assert_ptr_null(strstr(hit + 1, "[ECR3001]")); /* exactly one left */

    /* records are part of the key */
    const char *rec[] = {"--write-baseline", "-", "b.jsonl", NULL};
    ck_assert_int_eq(run(rec), CLI_EXIT_OK);
    ck_assert_ptr_nonnull(strstr(harness_out, "{\"path\": \"b.jsonl\", \"record\": 1, \"rule\": "
                                              "\"ECR3001\", \"pointer\": \"/maxResults\"}"));
}
END_TEST

START_TEST(bad_baselines_are_trouble)
{
    harness_puts("a.json", two);
    const char *missing[] = {"--baseline", "nope.json", "a.json", NULL};
    ck_assert_int_eq(run(missing), CLI_EXIT_TROUBLE);
    ck_assert_ptr_nonnull(strstr(harness_err, "nope.json: cannot read baseline"));
    ck_assert_str_eq(harness_out, "");

    harness_puts("bad.json", "{\"version\": 1, \"findings\": [{\"path\": \"a.json\"}]}");
    const char *bad[] = {"--baseline", "bad.json", "a.json", NULL};
    ck_assert_int_eq(run(bad), CLI_EXIT_TROUBLE);
    ck_assert_ptr_nonnull(strstr(harness_err, "bad.json: malformed baseline: findings[0]"));

    harness_puts("bad.json", "{\"version\": 1, \"findings\": [], \"extra\": true}");
    ck_assert_int_eq(run(bad), CLI_EXIT_TROUBLE);
    harness_puts("bad.json", "{\"version\": 2, \"findings\": []}");
    ck_assert_int_eq(run(bad), CLI_EXIT_TROUBLE);
    harness_puts("bad.json", "{\"version\": 1, \"findings\": [");
    ck_assert_int_eq(run(bad), CLI_EXIT_TROUBLE);
    ck_assert_ptr_nonnull(strstr(harness_err, "bad.json:1:"));
}
END_TEST

START_TEST(reports_to_files)
{
    harness_puts("a.json", two);
    ck_assert_int_eq(system("mkdir out"), 0);
    const char *args[] = {"-q",
                          "-f",
                          "gcc",
                          "-f",
                          "sarif:out/r.sarif",
                          "-f",
                          "junit:out/r.xml",
                          "-f",
                          "json:out/r.json",
                          "-f",
                          "github:out/gh.txt",
                          "a.json",
                          NULL};
    ck_assert_int_eq(run(args), CLI_EXIT_FINDINGS);
    ck_assert_ptr_nonnull(strstr(harness_out, "a.json:2:21: error: "));
    char buf[16384];
    slurp("out/r.sarif", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "\"version\":\"2.1.0\""));
    slurp("out/r.xml", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "<failure type=\"ECR1012\""));
    slurp("out/gh.txt", buf, sizeof buf);
    ck_assert_ptr_nonnull(strstr(buf, "::error file=a.json,line=2,col=21"));
    /* no temporary files left behind */
    ck_assert_int_eq(system("test $(ls -A out | wc -l) -eq 4"), 0);

    const char *two_stdout[] = {"-f", "text", "-f", "json", "a.json", NULL};
    ck_assert_int_eq(run(two_stdout), CLI_EXIT_TROUBLE);
    ck_assert_ptr_nonnull(strstr(harness_err, "standard output"));
    const char *no_dir[] = {"-f", "sarif:missing/r.sarif", "a.json", NULL};
    ck_assert_int_eq(run(no_dir), CLI_EXIT_TROUBLE);
    ck_assert_ptr_nonnull(strstr(harness_err, "cannot write the sarif report to missing/r.sarif"));
}
END_TEST

START_TEST(disabled_rules_and_config)
{
    harness_puts("a.json", two);
    harness_puts(".ecrlint.json", "{\"disable\": [\"ECR1012\"], \"format\": \"gcc\"}");
    const char *args[] = {"a.json", NULL};
    ck_assert_int_eq(run(args), CLI_EXIT_FINDINGS);
    ck_assert_ptr_null(strstr(harness_out, "ECR1012"));
    ck_assert_ptr_nonnull(strstr(harness_out, "[ECR3001]"));
    const char *more[] = {"--disable", "ECR3", "a.json", NULL};
    ck_assert_int_eq(run(more), CLI_EXIT_OK);
    ck_assert_str_eq(harness_out, "");
    const char *nocfg[] = {"--no-config", "-f", "gcc", "a.json", NULL};
    ck_assert_int_eq(run(nocfg), CLI_EXIT_FINDINGS);
    ck_assert_ptr_nonnull(strstr(harness_out, "[ECR1012]"));
    harness_puts(".ecrlint.json", "{\"disabled\": []}");
    ck_assert_int_eq(run(args), CLI_EXIT_TROUBLE);
    ck_assert_ptr_nonnull(strstr(harness_err, ".ecrlint.json: unknown key 'disabled'"));
    const char *unknown[] = {"--no-config", "--disable", "ECR99", "a.json", NULL};
    ck_assert_int_eq(run(unknown), CLI_EXIT_TROUBLE);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("baseline");
    TCase *tc = tcase_create("baseline");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, only_new_findings_after_baseline);
    tcase_add_test(tc, baseline_keys_json_lines_records);
    tcase_add_test(tc, bad_baselines_are_trouble);
    tcase_add_test(tc, reports_to_files);
    tcase_add_test(tc, disabled_rules_and_config);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return suite_run(suite());
}
