/* test_alloc_fail.c - allocation failure, tested the way SQLite tests it: make the Nth
 * allocation fail for N = 1, 2, 3, ... until a run completes, and check that every failed run
 * ends in ECRLINT_ERR_NOMEM with nothing leaked (run under ASan/LSan or valgrind in CI) and
 * no crash. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "suite_run.h"
#include "util/el_alloc.h"

#define MAX_STEPS 20000

static const char *request =
    "{\"repositoryName\": \"A\", \"registryId\": \"1\", \"imageIds\": [{}, {\"imageDigest\": "
    "\"x\"}, "
    "{\"imageTag\": \"v 1\"}, {\"imageTag\": \"v1\"}, {\"imageTag\": \"v1\"}], \"imageID\": 1}";
static const char *manifest =
    "{\"schemaVersion\": 2, \"config\": {\"mediaType\": "
    "\"application/vnd.oci.image.config.v1+json\", "
    "\"digest\": \"sha256:ABC\", \"size\": 0, \"annotations\": {\"a\": 1}}, \"layers\": [], "
    "\"artifactType\": \"a/b;c=d\", \"subject\": {\"mediaType\": \"x\", \"digest\": \"y\", "
    "\"size\": -1}}";
static const char *put_image_req =
    "{\"repositoryName\": \"web\", \"imageManifest\": \"{\\\"schemaVersion\\\": 2}\", "
    "\"imageDigest\": \"sha256:00\"}";
static const char *pack =
    "{\"format\": 1, \"name\": \"t\", \"rules\": [{\"id\": \"T1\", \"severity\": \"error\", "
    "\"title\": \"t\", \"source\": \"s\"}], \"shapes\": {\"RepositoryName\": {\"type\": "
    "\"string\", "
    "\"checks\": [{\"pattern\": \"[a-z]+\", \"rule\": \"T1\"}, {\"enum\": [\"a\", \"b\"], "
    "\"rule\": \"T1\"}]}}}";

static const char *http_request =
    "POST / HTTP/1.1\r\nHost: api.ecr.us-east-1.amazonaws.com\r\n"
    "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.BatchGetImage\r\n"
    "Content-Type: application/json\r\nContent-Length: 3\r\n\r\n"
    "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"v1\"}, {}]}";
static const char *index_manifest =
    "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.index.v1+json\", "
    "\"manifests\": [{\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", "
    "\"digest\": \"sha256:0000000000000000000000000000000000000000000000000000000000000000\", "
    "\"size\": 7, \"platform\": {\"architecture\": \"amd64\"}}, {\"digest\": \"md5:x\"}]}";
static const char *response =
    "{\"images\": [{\"registryId\": \"123\", \"repositoryName\": \"web\", \"imageId\": "
    "{\"imageTag\": \"v1\"}, \"imageManifest\": \"{}\"}], \"failures\": [{\"failureCode\": "
    "\"X\"}]}";
static const char *const accept[] = {"application/vnd.docker.distribution.manifest.v2+json", NULL};

static ecrlint_check_options with_op(const char *op)
{
    ecrlint_check_options o = {.operation = op};
    return o;
}

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

/* Through a checker: the input is checked twice with one, so that the second check reuses
 * what the first kept (match state, the arena's first chunk). */
static bool through_checker;

static ecrlint_status check(const ecrlint_engine *e, const ecrlint_check_options *o,
                            const char *input, ecrlint_result **r, ecrlint_error *err)
{
    if (!through_checker)
        return ecrlint_check_buffer(e, o, "in.json", input, strlen(input), r, err);
    ecrlint_checker *ck = ecrlint_checker_new(e);
    if (!ck)
        return ECRLINT_ERR_NOMEM;
    ecrlint_status st = ecrlint_checker_check(ck, o, "in.json", input, strlen(input), r, err);
    if (st == ECRLINT_OK) {
        ecrlint_result_free(*r);
        *r = NULL;
        st = ecrlint_checker_check(ck, o, "in.json", input, strlen(input), r, err);
    }
    ecrlint_checker_free(ck);
    return st;
}

/* One whole run: engine, check, report in every format. Returns the first failure status. */
static ecrlint_status run(const char *input, const ecrlint_check_options *o, bool with_pack)
{
    ecrlint_error err = {0};
    ecrlint_engine *e = ecrlint_engine_new(&err);
    if (!e)
        return err.code;
    ecrlint_status st = ECRLINT_OK;
    if (with_pack)
        st = ecrlint_engine_load_rules_buffer(e, "t.json", pack, strlen(pack), &err);
    ecrlint_report *rep = NULL;
    if (st == ECRLINT_OK) {
        ecrlint_result *r = NULL;
        st = check(e, o, input, &r, &err);
        if (st == ECRLINT_OK) {
            rep = ecrlint_report_new(e);
            st = rep ? ecrlint_report_add(rep, r) : (ecrlint_result_free(r), ECRLINT_ERR_NOMEM);
        }
    }
    const char *formats[] = {"text", "json", "gcc", "sarif", "github", "junit"};
    for (size_t i = 0; st == ECRLINT_OK && i < sizeof formats / sizeof formats[0]; i++) {
        ecrlint_format_options fo = {.min_severity = ECRLINT_SEVERITY_INFO};
        st = ecrlint_report_write(rep, formats[i], &fo, discard, NULL, &err);
    }
    ecrlint_report_free(rep);
    ecrlint_engine_free(e);
    return st;
}

/* Every allocation of the first and the last EDGE of a run is failed in turn. A run that loads a
 * pack rebuilds the built-in packs (every operation of ECR and ECR Public: tens of thousands of
 * allocations, the same loader code shape after shape), so in the middle of a longer run one
 * allocation in `stride` is failed: the sweep stays linear in the size of the packs. */
#define EDGE 1500
#define MIDDLE_STEPS 1000

static void sweep_with(const char *input, const ecrlint_check_options *o, bool with_pack)
{
    el_alloc_fail_after(-1); /* count only */
    ck_assert_int_eq(run(input, o, with_pack), ECRLINT_OK);
    long total = el_alloc_call_count();
    el_alloc_fail_after(0);
    long stride = total > 2 * EDGE ? (total - 2 * EDGE) / MIDDLE_STEPS + 1 : 1;
    long n, steps = 0;
    for (n = 1; steps < MAX_STEPS; n += (n > EDGE && n < total - EDGE) ? stride : 1, steps++) {
        el_alloc_fail_after(n);
        ecrlint_status st = run(input, o, with_pack);
        bool hit = el_alloc_call_count() >= n;
        el_alloc_fail_after(0);
        if (!hit) {
            ck_assert_int_eq(st, ECRLINT_OK); /* nothing failed: the run completed */
            break;
        }
        ck_assert_msg(st == ECRLINT_ERR_NOMEM, "allocation %ld failed but the run returned %s", n,
                      ecrlint_status_str(st));
    }
    ck_assert_int_lt(steps, MAX_STEPS);
}

static void sweep(const char *input, const char *op, bool with_pack)
{
    ecrlint_check_options o = with_op(op);
    sweep_with(input, &o, with_pack);
}

START_TEST(request_with_findings)
{
    sweep(request, NULL, false);
}
END_TEST

START_TEST(manifest_with_findings)
{
    sweep(manifest, "manifest", false);
}
END_TEST

START_TEST(put_image)
{
    sweep(put_image_req, "PutImage", false);
}
END_TEST

START_TEST(rule_pack)
{
    sweep(request, "DescribeImages", true);
}
END_TEST

START_TEST(http_framing)
{
    ecrlint_check_options o = {.input = ECRLINT_INPUT_HTTP};
    sweep_with(http_request, &o, false);
}
END_TEST

START_TEST(index_declared_and_accept)
{
    ecrlint_check_options o = {.operation = "manifest",
                               .media_type = "application/vnd.oci.image.manifest.v1+json",
                               .accept = accept};
    sweep_with(index_manifest, &o, false);
}
END_TEST

START_TEST(response_small_limits)
{
    ecrlint_check_options o = {.operation = "BatchGetImageResponse",
                               .limits = {.max_depth = 2, .max_diagnostics = 1}};
    sweep_with(response, &o, false);
}
END_TEST

START_TEST(checker_reused)
{
    through_checker = true;
    sweep(request, NULL, false);
    sweep(manifest, "manifest", false);
    sweep(request, "DescribeImages", true);
    through_checker = false;
}
END_TEST

int main(void)
{
    /* As the CLI runs: jansson's allocations go through the library, and fail with it. */
    ecrlint_global_init();
    Suite *s = suite_create("alloc_fail");
    TCase *tc = tcase_create("sweep");
    /* A sweep reruns everything up to its failing allocation, so its time grows with the square
     * of a run's allocations: the two that rebuild the ruleset from every pack's JSON
     * (rule_pack, checker_reused) take about a minute each on a busy 2-core machine. */
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, request_with_findings);
    tcase_add_test(tc, manifest_with_findings);
    tcase_add_test(tc, put_image);
    tcase_add_test(tc, rule_pack);
    tcase_add_test(tc, http_framing);
    tcase_add_test(tc, index_declared_and_accept);
    tcase_add_test(tc, response_small_limits);
    tcase_add_test(tc, checker_reused);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
