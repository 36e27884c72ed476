/* test_check.c - ecrlint_check_buffer through the public API: ECR's predicted answer, findings
 * and their positions, operation detection, HTTP framing and limits. */
#include <check.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecrlint/ecrlint.h"
#include "request/el_request.h"
#include "suite_run.h"

static ecrlint_engine *eng;

static void setup(void)
{
    ecrlint_error err = {0};
    eng = ecrlint_engine_new(&err);
    ck_assert_msg(eng != NULL, "%s", err.text);
}

static void teardown(void)
{
    ecrlint_engine_free(eng);
}

static ecrlint_result *run(const char *op, const char *path, const char *text)
{
    ecrlint_check_options o = {.operation = op};
    ecrlint_result *r = NULL;
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, path, text, strlen(text), &r, &err), ECRLINT_OK);
    return r;
}

/* Index of the first finding of `rule`, or -1. */
static int find(const ecrlint_result *r, const char *rule)
{
    for (size_t i = 0; i < ecrlint_result_diag_count(r); i++)
        if (strcmp(ecrlint_result_diag(r, i)->rule, rule) == 0)
            return (int)i;
    return -1;
}

START_TEST(type_error_wins_over_constraints)
{
    /* repositoryName too short (a constraint) comes first in the model, but a type error is
     * found while the body is read, so ECR answers SerializationException. */
    ecrlint_result *r =
        run("DescribeImages", "r.json", "{\"repositoryName\": \"a\", \"maxResults\": \"10\"}");
    ck_assert_str_eq(ecrlint_result_exception_code(r), "SerializationException");
    ck_assert_str_eq(ecrlint_result_exception_message(r),
                     "STRING_VALUE can not be converted to an Integer");
    ck_assert_int_ge(find(r, "ECR1010"), 0); /* still listed */
    ecrlint_result_free(r);
}
END_TEST

START_TEST(first_violation_in_model_order)
{
    /* registryId comes before repositoryName in the model; document order does not matter. */
    ecrlint_result *r = run("BatchGetImage", "r.json",
                            "{\"repositoryName\": \"A\", \"imageIds\": [], \"registryId\": \"1\"}");
    ck_assert_str_eq(ecrlint_result_exception_message(r),
                     "Invalid parameter at 'registryId' failed to satisfy constraint: 'Member must "
                     "satisfy regular expression pattern: [0-9]{12}'");
    ck_assert_int_ge(find(r, "ECR1010"), 0);
    ck_assert_int_ge(find(r, "ECR1012"), 0);
    ck_assert_int_ge(find(r, "ECR1020"), 0);
    ck_assert_uint_eq(ecrlint_result_failure_count(r), 0);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(failures_echo_image_id_as_read)
{
    ecrlint_result *r =
        run("BatchGetImage", "r.json",
            "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"ok\"}, {}, "
            "{\"imageTag\": \"v1\", \"x\": 1, \"imageDigest\": \"nope\"}, "
            "{\"imageTag\": \"a:b\", \"imageDigest\": null}]}");
    ck_assert_ptr_null(ecrlint_result_exception_code(r));
    ck_assert_uint_eq(ecrlint_result_failure_count(r), 3);
    const ecrlint_failure *f = ecrlint_result_failure(r, 0);
    ck_assert_str_eq(f->image_id, "{}");
    ck_assert_str_eq(f->code, "MissingDigestAndTag");
    ck_assert_str_eq(f->reason, "Invalid request parameters: both tag and digest cannot be null");
    ck_assert_str_eq(f->pointer, "/imageIds/1");
    f = ecrlint_result_failure(r, 1);
    /* what ECR read: the model's members that are set, in the model's order */
    ck_assert_str_eq(f->image_id, "{\"imageDigest\":\"nope\",\"imageTag\":\"v1\"}");
    ck_assert_str_eq(f->code, "InvalidImageDigest");
    f = ecrlint_result_failure(r, 2);
    ck_assert_str_eq(f->image_id, "{\"imageTag\":\"a:b\"}");
    ck_assert_str_eq(f->code, "InvalidImageTag");
    ecrlint_result_free(r);

    /* The same entries in DescribeImages are a request-level exception. */
    r = run("DescribeImages", "r.json",
            "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageDigest\": \"nope\"}]}");
    ck_assert_str_eq(
        ecrlint_result_exception_message(r),
        "Invalid parameter at 'imageDigest' failed to satisfy constraint: 'must satisfy "
        "regular expression '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+''");
    ck_assert_uint_eq(ecrlint_result_failure_count(r), 0);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(exception_clears_failures)
{
    ecrlint_result *r =
        run("BatchGetImage", "r.json",
            "{\"repositoryName\": \"web\", \"imageIds\": [{}], \"acceptedMediaTypes\": []}");
    ck_assert_str_eq(ecrlint_result_exception_code(r), "InvalidParameterException");
    ck_assert_uint_eq(ecrlint_result_failure_count(r), 0);
    ck_assert_int_ge(find(r, "ECR2010"), 0);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(positions_of_values_and_missing_members)
{
    ecrlint_result *r = run("BatchGetImage", "r.json",
                            "{\n  \"repositoryName\": null,\n  \"imageIds\": [\n    "
                            "{\"imageDigest\": \"x\"}\n  ]\n}\n");
    int i = find(r, "ECR1000");
    ck_assert_int_ge(i, 0);
    const ecrlint_diag *d = ecrlint_result_diag(r, (size_t)i);
    ck_assert_str_eq(d->pointer, "/repositoryName");
    ck_assert_int_eq(d->line, 2); /* the key, since the value is null */
    ck_assert_int_eq(d->column, 3);
    i = find(r, "ECR2011");
    d = ecrlint_result_diag(r, (size_t)i);
    ck_assert_int_eq(d->line, 4);
    ck_assert_int_eq(d->column, 21);
    ck_assert_int_eq(d->end_column, 24);
    ecrlint_result_free(r);

    r = run("BatchGetImage", "r.json", "{\"imageIds\": [{\"imageTag\": \"a\"}]}");
    d = ecrlint_result_diag(r, (size_t)find(r, "ECR1000"));
    ck_assert_int_eq(d->line, 1); /* absent: the enclosing object */
    ck_assert_int_eq(d->column, 1);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(detection)
{
    struct {
        const char *path, *text, *op;
        ecrlint_kind kind;
    } cases[] = {
        {"a.json",
         "{\"repositoryName\": \"web\", \"acceptedMediaTypes\": [\"x\"], \"imageIds\": []}",
         "BatchGetImage", ECRLINT_KIND_REQUEST},
        {"a.json", "{\"repositoryName\": \"web\", \"maxResults\": 5}", "DescribeImages",
         ECRLINT_KIND_REQUEST},
        {"a.json", "{\"repositoryName\": \"web\"}", "DescribeImages", ECRLINT_KIND_REQUEST},
        {"describe-images.json",
         "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"a\"}]}", "DescribeImages",
         ECRLINT_KIND_REQUEST},
        {"package.json", "{\"name\": \"x\", \"version\": \"1.0.0\", \"scripts\": {}}", NULL,
         ECRLINT_KIND_SKIPPED},
        {"deploy.json",
         "{\"repositoryName\": \"web\", \"cluster\": \"c\", \"region\": \"r\", \"service\": \"s\"}",
         NULL, ECRLINT_KIND_SKIPPED},
        {"list.json", "[1, 2]", NULL, ECRLINT_KIND_SKIPPED},
        {"bad.json", "{\"repositoryName\": ", NULL, ECRLINT_KIND_ERROR},
        /* more than 16 top-level members: the object is asked instead of the gathered keys */
        {"many.json",
         "{\"a1\": 1, \"a2\": 1, \"a3\": 1, \"a4\": 1, \"a5\": 1, \"a6\": 1, \"a7\": 1, "
         "\"a8\": 1, \"a9\": 1, \"a10\": 1, \"a11\": 1, \"a12\": 1, \"a13\": 1, \"a14\": 1, "
         "\"a15\": 1, \"repositoryName\": \"web\", \"acceptedMediaTypes\": [\"x\"]}",
         NULL, ECRLINT_KIND_SKIPPED},
        {"few.json",
         "{\"a1\": 1, \"repositoryName\": \"web\", \"acceptedMediaTypes\": [\"x\"], "
         "\"imageIds\": []}",
         "BatchGetImage", ECRLINT_KIND_REQUEST},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ecrlint_result *r = run(NULL, cases[i].path, cases[i].text);
        ck_assert_msg(ecrlint_result_kind(r) == cases[i].kind, "case %zu: kind %s", i,
                      ecrlint_kind_str(ecrlint_result_kind(r)));
        if (cases[i].op)
            ck_assert_str_eq(ecrlint_result_operation(r), cases[i].op);
        else
            ck_assert_ptr_null(ecrlint_result_operation(r));
        ecrlint_result_free(r);
    }
    /* Members that fit several operations: a clean request gets no note; findings say which
     * operation they assume. */
    ecrlint_result *r =
        run(NULL, "x.json", "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"a\"}]}");
    ck_assert_str_eq(ecrlint_result_operation(r), "BatchGetImage");
    ck_assert_int_lt(find(r, "ECR0040"), 0);
    ecrlint_result_free(r);
    r = run(NULL, "x.json",
            "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"a b\"}]}");
    ck_assert_str_eq(ecrlint_result_operation(r), "BatchGetImage");
    ck_assert_int_ge(find(r, "ECR0040"), 0); /* the guess is said */
    ecrlint_result_free(r);
}
END_TEST

/* Every operation of ECR and ECR Public, recognised on evidence only: X-Amz-Target, the file
 * name, a folder named ecr or ecr-public; another service's file is skipped with no finding. */
static void expect_op(const char *op, const char *path, const char *text, const char *want)
{
    ecrlint_result *r = run(op, path, text);
    ck_assert_msg(ecrlint_result_kind(r) == ECRLINT_KIND_REQUEST, "%s: not taken: %s", path,
                  ecrlint_result_skip_reason(r) ? ecrlint_result_skip_reason(r) : "");
    ck_assert_str_eq(ecrlint_result_operation(r), want);
    ecrlint_result_free(r);
}

static void expect_skip(const char *path, const char *text, const char *why)
{
    ecrlint_result *r = run(NULL, path, text);
    ck_assert_msg(ecrlint_result_kind(r) == ECRLINT_KIND_SKIPPED, "%s: taken as %s", path,
                  ecrlint_result_operation(r) ? ecrlint_result_operation(r) : "?");
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 0);
    ck_assert_ptr_nonnull(strstr(ecrlint_result_skip_reason(r), why));
    ecrlint_result_free(r);
}

START_TEST(every_operation_on_evidence)
{
    const char *repo = "{\"repositoryName\": \"web\"}";
    expect_op(NULL, "fixtures/create-repository.json", repo, "CreateRepository");
    expect_op(NULL, "fixtures/CreateRepository.json", repo, "CreateRepository");
    expect_op(NULL, "fixtures/create_repository.json", repo, "CreateRepository");
    expect_op(NULL, "ecr-public/create-repository.json", repo, "ecr-public:CreateRepository");
    expect_op(NULL, "x/put-image-scanning-configuration.json", repo,
              "PutImageScanningConfiguration");
    expect_op("create-repository", "a.json", repo, "CreateRepository");
    expect_op("ecr-public:describe-images", "a.json", repo, "ecr-public:DescribeImages");
    expect_op("ecr-public:DescribeImages", "a.json", repo, "ecr-public:DescribeImages");
    expect_op(NULL, "ecr/tag-resource.json", "{\"resourceArn\": \"arn\", \"tags\": []}",
              "TagResource");
    expect_op(NULL, "a.http",
              "POST / HTTP/1.1\nX-Amz-Target: SpencerFrontendService.DescribeImages\n\n{}",
              "ecr-public:DescribeImages");
    expect_op(NULL, "a.http",
              "POST / HTTP/1.1\nX-Amz-Target: "
              "AmazonEC2ContainerRegistry_V20150921.PutLifecyclePolicy\n\n{}",
              "PutLifecyclePolicy");

    /* other services' files by their names and members (in folders that name no service) */
    expect_skip("fixtures/create-repository.json",
                "{\"repositoryName\": \"\", \"repositoryDescription\": \"\", \"tags\": {}}",
                "members that operation does not have");
    expect_skip("fixtures/list-apps.json", "{\"nextToken\": \"\", \"maxResults\": 0}", "not ECR's");
    expect_skip("fixtures/get-repository.json", "{\"repositoryName\": \"\"}", "not ECR's");
    expect_skip("fixtures/tag-resource.json", "{\"resourceArn\": \"\", \"tags\": {}}",
                "tagging operation");
    expect_skip("fixtures/put-account-setting-default.json", "{\"name\": \"\", \"value\": \"\"}",
                "followed by more words");
    expect_skip("fixtures/create-repository-minimal.json", repo, "followed by more words");
    expect_op(NULL, "fixtures/describe-images-minimal.json", repo, "DescribeImages");

    /* a folder named after another AWS service outweighs the name and the members, in any
     * case, '_' for '-'; --operation and X-Amz-Target outweigh it; ordinary names say nothing */
    const char *empty = "{\"repositoryName\": \"\"}";
    expect_skip("codecommit/delete-repository.json", empty, "another AWS service, codecommit;");
    expect_skip("t/CodeCommit/delete-repository.json", empty, "another AWS service, codecommit;");
    expect_skip("cognito_idp/describe-images.json", repo, "another AWS service, cognito-idp;");
    expect_skip("s3api/page.json", "{\"maxResults\": 10}", "another AWS service, s3api;");
    expect_skip("elasticloadbalancing/describe-images-response.json", "{\"imageDetails\": []}",
                "another AWS service, elasticloadbalancing;");
    expect_op("delete-repository", "codecommit/delete-repository.json", empty, "DeleteRepository");
    expect_op(NULL, "codecommit/delete.http",
              "POST / HTTP/1.1\nX-Amz-Target: "
              "AmazonEC2ContainerRegistry_V20150921.DeleteRepository\n\n{}",
              "DeleteRepository");
    expect_op(NULL, "ecr/delete-repository.json", empty, "DeleteRepository");
    expect_op(NULL, "ecr_public/delete-repository.json", empty, "ecr-public:DeleteRepository");
    expect_op(NULL, "config/delete-repository.json", empty, "DeleteRepository");
    expect_op(NULL, "batch/batch-get-image.json", repo, "BatchGetImage");
    expect_op(NULL, "es/describe-images.json", repo, "DescribeImages");
    expect_op(NULL, "codecommit/sub/delete-repository.json", empty, "DeleteRepository");

    /* a generated operation checks the model's constraints */
    ecrlint_result *r = run("CreateRepository", "a.json",
                            "{\"repositoryName\": \"web\", \"imageTagMutability\": \"SOMETIMES\"}");
    ck_assert_int_ge(find(r, "ECR7004"), 0);
    ecrlint_result_free(r);
}
END_TEST

/* The generated folder names (rules/generated/aws_services.c) are what bsearch needs: sorted in
 * strcmp order, unique, lower case, and none of them ECR's own or an ordinary folder name the
 * generator leaves out. */
START_TEST(service_folder_table)
{
    ck_assert_uint_gt(el_aws_nservices, 300);
    for (size_t i = 0; i < el_aws_nservices; i++) {
        const char *n = el_aws_services[i];
        ck_assert_uint_gt(strlen(n), 2);
        ck_assert_uint_lt(strlen(n), EL_AWS_SERVICE_WIDTH);
        for (const char *c = n; *c; c++)
            ck_assert_msg((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-', "%s",
                          n);
        if (i > 0)
            ck_assert_msg(strcmp(el_aws_services[i - 1], n) < 0, "%s before %s",
                          el_aws_services[i - 1], n);
        ck_assert_str_ne(n, "ecr");
        ck_assert_str_ne(n, "ecr-public");
        ck_assert_str_ne(n, "config");
        ck_assert_str_ne(n, "batch");
    }
}
END_TEST

START_TEST(http_framing)
{
    const char *req = "POST / HTTP/1.1\r\n"
                      "Host: ecr.us-west-2.amazonaws.com\r\n"
                      "X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeImages\r\n"
                      "Content-Type: application/x-amz-json-1.0\r\n"
                      "Content-Length: 99\r\n"
                      "\r\n"
                      "{\"repositoryName\": \"web\",\n \"maxResults\": 0}";
    ecrlint_result *r = run(NULL, "req.http", req);
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_REQUEST);
    ck_assert_str_eq(ecrlint_result_operation(r), "DescribeImages");
    const ecrlint_diag *d = ecrlint_result_diag(r, (size_t)find(r, "ECR3001"));
    ck_assert_int_eq(d->line, 8); /* positions count the header lines */
    ck_assert_int_eq(d->column, 16);
    ck_assert_int_eq(ecrlint_result_diag(r, (size_t)find(r, "ECR0031"))->line, 4);
    ck_assert_int_eq(ecrlint_result_diag(r, (size_t)find(r, "ECR0032"))->line, 5);
    ecrlint_result_free(r);

    r = run(
        NULL, "other.http",
        "POST / HTTP/1.1\nX-Amz-Target: AmazonEC2ContainerRegistry_V20150921.ListWidgets\n\n{}");
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_SKIPPED);
    ck_assert_ptr_nonnull(strstr(ecrlint_result_skip_reason(r), "ListWidgets"));
    ecrlint_result_free(r);

    r = run(NULL, "broken.http", "POST / HTTP/1.1\nHost example\n\n{}");
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_ERROR);
    ck_assert_int_eq(ecrlint_result_diag(r, 0)->line, 2);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(limits_and_options)
{
    ecrlint_check_options o = {.operation = "BatchGetImage", .limits = {.max_file_size = 10}};
    ecrlint_result *r = NULL;
    const char *t = "{\"repositoryName\": \"web\"}";
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "big.json", t, strlen(t), &r, NULL), ECRLINT_OK);
    ck_assert_int_eq(ecrlint_result_kind(r), ECRLINT_KIND_ERROR);
    ck_assert_str_eq(ecrlint_result_diag(r, 0)->rule, "ECR0004");
    ecrlint_result_free(r);

    /* max_diagnostics keeps the first findings and counts the rest */
    ecrlint_check_options o2 = {.operation = "BatchGetImage", .limits = {.max_diagnostics = 2}};
    t = "{\"repositoryName\": \"web\", \"imageIds\": [{}, {}, {}, {}]}";
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o2, "many.json", t, strlen(t), &r, NULL),
                     ECRLINT_OK);
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 2);
    ck_assert_uint_eq(ecrlint_result_dropped_count(r), 5); /* 4 failures + 3 duplicates - 2 kept */
    ck_assert_uint_eq(ecrlint_result_failure_count(r), 4); /* the answer is still complete */
    ecrlint_result_free(r);

    /* The AWS CLI's spelling names the same operation. */
    ecrlint_check_options kebab = {.operation = "describe-images"};
    t = "{\"repositoryName\": \"a\"}";
    ck_assert_int_eq(ecrlint_check_buffer(eng, &kebab, "k.json", t, strlen(t), &r, NULL),
                     ECRLINT_OK);
    ck_assert_str_eq(ecrlint_result_operation(r), "DescribeImages");
    ecrlint_result_free(r);

    ecrlint_check_options bad = {.operation = "ListWidgets"};
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_check_buffer(eng, &bad, "x.json", "{}", 2, &r, &err),
                     ECRLINT_ERR_USAGE);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.text, "ListWidgets"));

    /* Line numbers are ints: a first line that leaves no room for one line per byte of the
     * body is refused; the last one that does is taken, and its positions are exact. */
    t = "{\"repositoryName\": \"web\",\n \"imageIds\": [{\"imageTag\": \"v 1\"}]}";
    size_t tl = strlen(t);
    ecrlint_check_options late = {.operation = "BatchGetImage",
                                  .limits = {.max_file_size = SIZE_MAX},
                                  .first_line = (int)(INT_MAX - tl + 1)};
    ecrlint_error lerr = {0};
    ck_assert_int_eq(ecrlint_check_buffer(eng, &late, "l.jsonl", t, tl, &r, &lerr),
                     ECRLINT_ERR_USAGE);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(lerr.text, "line numbers would pass 2147483647"));
    late.first_line = (int)(INT_MAX - tl);
    ck_assert_int_eq(ecrlint_check_buffer(eng, &late, "l.jsonl", t, tl, &r, NULL), ECRLINT_OK);
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 1);
    ck_assert_int_eq(ecrlint_result_diag(r, 0)->line, late.first_line + 1);
    ck_assert_int_eq(ecrlint_result_record_line(r), late.first_line);
    ecrlint_result_free(r);
    /* A body over the limit is refused (ECR0004) before its positions matter. */
    late.limits.max_file_size = 4;
    ck_assert_int_eq(ecrlint_check_buffer(eng, &late, "l.jsonl", t, tl, &r, NULL), ECRLINT_OK);
    ck_assert_str_eq(ecrlint_result_diag(r, 0)->rule, "ECR0004");
    ecrlint_result_free(r);
}
END_TEST

static int no_dupes(const char *rule, void *ud)
{
    (void)ud;
    return strcmp(rule, "ECR1022") != 0;
}

START_TEST(disabled_rules_do_not_run)
{
    ecrlint_check_options o = {.operation = "BatchGetImage", .rule_enabled = no_dupes};
    ecrlint_result *r = NULL;
    const char *t = "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"a\"}, "
                    "{\"imageTag\": \"a\"}]}";
    ck_assert_int_eq(ecrlint_check_buffer(eng, &o, "r.json", t, strlen(t), &r, NULL), ECRLINT_OK);
    ck_assert_uint_eq(ecrlint_result_diag_count(r), 0);
    ecrlint_result_free(r);
}
END_TEST

START_TEST(repository_name_patterns)
{
    struct {
        const char *name;
        const char *rule; /* NULL: clean */
    } cases[] = {
        {"ab", NULL},        {"team/web", NULL},   {"a.b_c-d", NULL},   {"a__b", "ECR1013"},
        {"a--b", "ECR1013"}, {"a___b", "ECR1012"}, {"a_-b", "ECR1012"}, {"_a", "ECR1012"},
        {"a_", "ECR1012"},   {"Web", "ECR1012"},   {"a", "ECR1010"},    {"web/", "ECR1012"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[128];
        snprintf(body, sizeof body, "{\"repositoryName\": \"%s\"}", cases[i].name);
        ecrlint_result *r = run("DescribeImages", "r.json", body);
        if (!cases[i].rule)
            ck_assert_msg(ecrlint_result_diag_count(r) == 0, "%s: unexpected %s", cases[i].name,
                          ecrlint_result_diag(r, 0)->rule);
        else
            ck_assert_msg(find(r, cases[i].rule) >= 0, "%s: no %s", cases[i].name, cases[i].rule);
        ecrlint_result_free(r);
    }
}
END_TEST

/* The JSON report of one result, to compare two. */
static char *report_json_with(const ecrlint_engine *e, ecrlint_result *r)
{
    ecrlint_report *rep = ecrlint_report_new(e);
    ck_assert_ptr_nonnull(rep);
    ck_assert_int_eq(ecrlint_report_add(rep, r), ECRLINT_OK);
    char *out = NULL;
    ecrlint_format_options fo = {.min_severity = ECRLINT_SEVERITY_INFO};
    ck_assert_int_eq(ecrlint_report_write(rep, "json", &fo, suite_text_sink, &out, NULL),
                     ECRLINT_OK);
    ecrlint_report_free(rep);
    return out;
}

static char *report_json(ecrlint_result *r)
{
    return report_json_with(eng, r);
}

/* One checker for many inputs in a row answers as a fresh check does: large ones (the arena
 * grows past the chunk it keeps) between small ones, every kind, findings and none. */
START_TEST(checker_same_as_fresh_checks)
{
    size_t big_n = 300000;
    char *big = malloc(big_n + 64);
    ck_assert_ptr_nonnull(big);
    size_t k = (size_t)sprintf(big, "{\"repositoryName\": \"web\", \"imageIds\": [");
    for (size_t i = 0; k < big_n; i++)
        k += (size_t)sprintf(big + k, "%s{\"imageTag\": \"t %zu\"}", i ? ", " : "", i);
    strcpy(big + k, "]}");
    const char *inputs[] = {
        "{\"repositoryName\": \"A\", \"imageIds\": [{\"imageDigest\": \"x\"}, {}]}",
        big,
        "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"v1\"}]}",
        "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\", "
        "\"config\": {\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": "
        "\"sha256:ABC\", \"size\": 1}, \"layers\": []}",
        big,
        "not json",
        "{\"repositoryName\": \"web\", \"maxResults\": \"10\"}",
        "",
    };
    ecrlint_checker *ck = ecrlint_checker_new(eng);
    ck_assert_ptr_nonnull(ck);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
            ecrlint_result *a = NULL, *b = NULL;
            ck_assert_int_eq(
                ecrlint_check_buffer(eng, NULL, "x.json", inputs[i], strlen(inputs[i]), &a, NULL),
                ECRLINT_OK);
            ck_assert_int_eq(
                ecrlint_checker_check(ck, NULL, "x.json", inputs[i], strlen(inputs[i]), &b, NULL),
                ECRLINT_OK);
            char *ja = report_json(a), *jb = report_json(b);
            ck_assert_msg(strcmp(ja, jb) == 0, "input %zu differs through a checker", i);
            ck_assert_int_gt((int)strlen(ja), 20);
            free(ja);
            free(jb);
        }
    ecrlint_checker_free(ck);
    free(big);

    ecrlint_result *r = (ecrlint_result *)1;
    ecrlint_error err = {0};
    ck_assert_int_eq(ecrlint_checker_check(NULL, NULL, "x.json", "{}", 2, &r, &err),
                     ECRLINT_ERR_USAGE);
    ck_assert_ptr_null(r);
    ck_assert_ptr_null(ecrlint_checker_new(NULL));
    ecrlint_checker_free(NULL);
}
END_TEST

/* A checker remembers what the last file's name said of the operation (JSON Lines records
 * share their file's name): names in turn, and the same name again, answer as fresh checks. */
START_TEST(checker_names_as_fresh_checks)
{
    const char *paths[] = {"create-repository.json",
                           "ecr-public/create-repository.json",
                           "create-repository.json",
                           "delete-repository.json",
                           "codecommit/get-repository.json",
                           "ecr/get-repository.json",
                           "DescribeImages.json",
                           NULL,
                           "describe-images.json",
                           "describe-images.json"};
    const char *bodies[] = {"{\"repositoryName\": \"\"}", "{\"repositoryName\": \"a\", \"x\": 1}"};
    ecrlint_checker *ck = ecrlint_checker_new(eng);
    ck_assert_ptr_nonnull(ck);
    for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++)
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            ecrlint_result *a = NULL, *b = NULL;
            const char *t = bodies[k];
            ck_assert_int_eq(ecrlint_check_buffer(eng, NULL, paths[i], t, strlen(t), &a, NULL),
                             ECRLINT_OK);
            ck_assert_int_eq(ecrlint_checker_check(ck, NULL, paths[i], t, strlen(t), &b, NULL),
                             ECRLINT_OK);
            char *ja = report_json(a), *jb = report_json(b);
            ck_assert_msg(strcmp(ja, jb) == 0, "%s differs through a checker", paths[i]);
            free(ja);
            free(jb);
        }
    ecrlint_checker_free(ck);
}
END_TEST

/* A value quoted in a message: at most 120 code points, then "..." (ASCII runs are taken
 * eight bytes at a time, so lengths around the limit and multi-byte text after ASCII). */
START_TEST(quoted_value_text)
{
    struct {
        size_t ascii, multi;
        size_t want_a, want_e;
        bool cut;
    } cases[] = {
        {119, 0, 119, 0, false}, {120, 0, 120, 0, false}, {121, 0, 120, 0, true},
        {300, 0, 120, 0, true},  {117, 10, 117, 3, true}, {8, 2, 8, 2, false},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char value[1024] = "", want[1024] = "'";
        for (size_t i = 0; i < cases[c].ascii; i++)
            strcat(value, "a");
        for (size_t i = 0; i < cases[c].multi; i++)
            strcat(value, "\xc3\xa9");
        for (size_t i = 0; i < cases[c].want_a; i++)
            strcat(want, "a");
        for (size_t i = 0; i < cases[c].want_e; i++)
            strcat(want, "\xc3\xa9");
        strcat(want, cases[c].cut ? "...'" : "'");
        char text[1200];
        snprintf(text, sizeof text,
                 "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"v1\"}], "
                 "\"acceptedMediaTypes\": [\"%s\"]}",
                 value);
        ecrlint_result *r = run("BatchGetImage", "v.json", text);
        int k = find(r, "ECR2003");
        ck_assert_int_ge(k, 0);
        const char *msg = ecrlint_result_diag(r, (size_t)k)->message;
        ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "case %zu: %s", c, msg);
        ecrlint_result_free(r);
    }
}
END_TEST

/* A pattern that hits PCRE2's limits may leave the match data holding much memory; the checker
 * replaces it after such an input, and its later checks answer as fresh ones. */
START_TEST(checker_after_runaway_pattern)
{
    const char *pack =
        "{\"format\": 1, \"name\": \"slow\", \"rules\": [{\"id\": \"SLOW001\", \"scope\": "
        "\"request\", "
        "\"severity\": \"error\", \"title\": \"t\", \"source\": \"s\", \"vars\": [\"value\"], "
        "\"message\": \"tag '{value}'\"}], "
        "\"shapes\": {\"ImageTag\": {\"type\": \"string\", \"checks\": [{\"pattern\": \"(a+)+$\", "
        "\"rule\": \"SLOW001\"}]}}}";
    ecrlint_error err = {0};
    ecrlint_engine *e = ecrlint_engine_new(&err);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(ecrlint_engine_load_rules_buffer(e, "slow.json", pack, strlen(pack), &err),
                     ECRLINT_OK);
    const char *slow = "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": "
                       "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}]}";
    const char *fine = "{\"repositoryName\": \"web\", \"imageIds\": [{\"imageTag\": \"aaaa\"}, "
                       "{\"imageTag\": \"ab\"}]}";
    const char *inputs[] = {slow, fine, slow, fine};
    ecrlint_checker *ck = ecrlint_checker_new(e);
    ck_assert_ptr_nonnull(ck);
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        ecrlint_check_options o = {.operation = "BatchGetImage"};
        ecrlint_result *a = NULL, *b = NULL;
        ck_assert_int_eq(
            ecrlint_check_buffer(e, &o, "t.json", inputs[i], strlen(inputs[i]), &a, NULL),
            ECRLINT_OK);
        ck_assert_int_eq(
            ecrlint_checker_check(ck, &o, "t.json", inputs[i], strlen(inputs[i]), &b, NULL),
            ECRLINT_OK);
        if (inputs[i] == slow)
            ck_assert_int_ge(find(b, "ECR0091"), 0); /* the limit was hit: not checked */
        else
            ck_assert_int_ge(find(b, "SLOW001"), 0); /* "ab" fails the pattern */
        char *ja = report_json_with(e, a), *jb = report_json_with(e, b);
        ck_assert_msg(strcmp(ja, jb) == 0, "input %zu differs through a checker", i);
        free(ja);
        free(jb);
    }
    ecrlint_checker_free(ck);
    ecrlint_engine_free(e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("check");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, type_error_wins_over_constraints);
    tcase_add_test(tc, first_violation_in_model_order);
    tcase_add_test(tc, failures_echo_image_id_as_read);
    tcase_add_test(tc, exception_clears_failures);
    tcase_add_test(tc, positions_of_values_and_missing_members);
    tcase_add_test(tc, detection);
    tcase_add_test(tc, every_operation_on_evidence);
    tcase_add_test(tc, service_folder_table);
    tcase_add_test(tc, http_framing);
    tcase_add_test(tc, limits_and_options);
    tcase_add_test(tc, disabled_rules_do_not_run);
    tcase_add_test(tc, repository_name_patterns);
    tcase_add_test(tc, checker_same_as_fresh_checks);
    tcase_add_test(tc, checker_names_as_fresh_checks);
    tcase_add_test(tc, quoted_value_text);
    tcase_add_test(tc, checker_after_runaway_pattern);
    suite_add_tcase(s, tc);
    return suite_run(s);
}
