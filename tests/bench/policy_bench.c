/* policy_bench.c - the policy checker's time on a large repository policy, beside parsing it.
 *
 *   policy_bench [KB [ITERATIONS]]      default: 100 KB, 2000 iterations
 *
 * Writes a valid repository policy of about KB kilobytes (statements granting pull and push
 * actions to accounts, users and services, with conditions, the way large policies grow) and
 * times, in the process's CPU time (the machine may be shared): parsing it with jansson alone;
 * ecrlint reading the same text with "Statement" renamed, which it parses and skips; and
 * ecrlint checking it as a repository policy. The difference of the last two is the policy
 * checker's cost on top of parsing. The
 * report must be clean but for the length (ECR9522, turned off): a finding would mean the
 * benchmark measures the wrong thing. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One statement, the k-th. */
static int statement(char *out, size_t cap, unsigned k)
{
    static const char *const actions[] = {
        "\"ecr:BatchGetImage\", \"ecr:GetDownloadUrlForLayer\", "
        "\"ecr:BatchCheckLayerAvailability\"",
        "\"ecr:BatchGetImage\", \"ecr:BatchCheckLayerAvailability\", \"ecr:CompleteLayerUpload\", "
        "\"ecr:GetDownloadUrlForLayer\", \"ecr:InitiateLayerUpload\", \"ecr:PutImage\", "
        "\"ecr:UploadLayerPart\"",
        "\"ecr:Describe*\", \"ecr:List*\", \"ecr:Get*\""};
    unsigned long long acct = 100000000000ULL + k * 7919ULL;
    switch (k % 3) {
    case 0:
        return snprintf(
            out, cap,
            "    {\"Sid\": \"AllowPull%u\", \"Effect\": \"Allow\", \"Principal\": "
            "{\"AWS\": [\"arn:aws:iam::%llu:root\", \"arn:aws:iam::%llu:role/ci-%u\"]}, "
            "\"Action\": [%s]}",
            k, acct, acct + 1, k, actions[0]);
    case 1:
        return snprintf(out, cap,
                        "    {\"Sid\": \"AllowPushPull%u\", \"Effect\": \"Allow\", \"Principal\": "
                        "{\"AWS\": \"arn:aws:iam::%llu:user/push-pull-%u\"}, \"Action\": [%s]}",
                        k, acct, k, actions[1]);
    default:
        return snprintf(out, cap,
                        "    {\"Sid\": \"ServiceRead%u\", \"Effect\": \"Allow\", \"Principal\": "
                        "{\"Service\": \"codebuild.amazonaws.com\"}, \"Action\": [%s], "
                        "\"Condition\": {\"ArnLike\": {\"aws:SourceArn\": "
                        "\"arn:aws:codebuild:us-east-1:%llu:project/p%u\"}, \"StringEquals\": "
                        "{\"aws:SourceAccount\": \"%llu\"}}}",
                        k, actions[2], acct, k, acct);
    }
}

/* ECR takes at most 10,240 characters (ECR9522): a 100 KB policy is over it by design, the
 * rest of the report must be clean. */
static int rule_enabled(const char *id, void *userdata)
{
    (void)userdata;
    return strcmp(id, "ECR9522") != 0;
}

int main(int argc, char **argv)
{
    size_t kb = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    long iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
    if (!kb || iterations < 1) {
        fprintf(stderr, "usage: policy_bench [KB [ITERATIONS]]\n");
        return 2;
    }
    size_t cap = kb * 1024 + 4096, len = 0;
    char *text = malloc(cap);
    if (!text)
        return 2;
    len += (size_t)snprintf(text, cap, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n");
    unsigned k = 0;
    char one[1024];
    while (len < kb * 1024) {
        int n = statement(one, sizeof one, k);
        if (n < 0 || (size_t)n + len + 16 > cap)
            break;
        len += (size_t)snprintf(text + len, cap - len, "%s%s", k ? ",\n" : "", one);
        k++;
    }
    len += (size_t)snprintf(text + len, cap - len, "\n  ]\n}\n");

    double t0 = cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        json_error_t err;
        json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
        if (!v) {
            fprintf(stderr, "policy_bench: the policy does not parse: %s\n", err.text);
            return 1;
        }
        json_decref(v);
    }
    double jansson = (cpu_seconds() - t0) / (double)iterations;
    ecrlint_global_init();
    ecrlint_engine *engine = ecrlint_engine_new(NULL);
    ecrlint_checker *ck = engine ? ecrlint_checker_new(engine) : NULL;
    if (!ck) {
        fprintf(stderr, "policy_bench: no engine\n");
        return 2;
    }
    /* The floor: the same text read by ecrlint (its parser, in its arena) and skipped, the
     * policy's "Statement" renamed so that nothing recognises it. */
    char *other = malloc(len);
    if (!other)
        return 2;
    memcpy(other, text, len);
    char *st = strstr(other, "\"Statement\"");
    if (st)
        st[1] = 'X';
    t0 = cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        ecrlint_result *r = NULL;
        if (ecrlint_checker_check(ck, NULL, "other.json", other, len, &r, NULL) != ECRLINT_OK) {
            fprintf(stderr, "policy_bench: the check failed\n");
            return 1;
        }
        ecrlint_result_free(r);
    }
    double parse = (cpu_seconds() - t0) / (double)iterations;
    free(other);

    ecrlint_check_options o = {.operation = "repository-policy", .rule_enabled = rule_enabled};
    t0 = cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        ecrlint_result *r = NULL;
        if (ecrlint_checker_check(ck, &o, "policy.json", text, len, &r, NULL) != ECRLINT_OK) {
            fprintf(stderr, "policy_bench: the check failed\n");
            return 1;
        }
        size_t n = ecrlint_result_diag_count(r);
        if (n && getenv("POLICY_BENCH_DUMP"))
            fwrite(text, 1, len, stdout);
        ecrlint_result_free(r);
        if (n) {
            fprintf(stderr, "policy_bench: %zu findings in a policy meant to be clean\n", n);
            return 1;
        }
    }
    double check = (cpu_seconds() - t0) / (double)iterations;
    printf("repository policy of %zu bytes, %u statements, %ld iterations (CPU time):\n", len, k,
           iterations);
    printf("  jansson parse only (json_loadb)  %8.1f us\n", jansson * 1e6);
    printf("  ecrlint, parsed and skipped      %8.1f us\n", parse * 1e6);
    printf("  ecrlint, checked as a policy     %8.1f us\n", check * 1e6);
    printf("  the policy checks, on top        %8.1f us\n", (check - parse) * 1e6);
    ecrlint_checker_free(ck);
    ecrlint_engine_free(engine);
    free(text);
    return 0;
}
