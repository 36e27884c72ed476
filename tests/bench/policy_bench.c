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
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

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

int main(int argc, char **argv)
{
    size_t kb, len, cap;
    long iterations;
    unsigned k;
    if (!bench_size_args(argc, argv, "policy_bench", &kb, &iterations))
        return 2;
    char *text = bench_document_text(kb, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n",
                                     statement, 0, &len, &cap, &k);
    if (!text)
        return 2;
    len += (size_t)snprintf(text + len, cap - len, "\n  ]\n}\n");
    /* ECR takes at most 10,240 characters (ECR9522): a 100 KB policy is over it by design, the
     * rest of the report must be clean. */
    static const char *const off[] = {"ECR9522", NULL};
    const bench_doc d = {.prog = "policy_bench",
                         .what = "repository policy",
                         .items = "statements",
                         .operation = "repository-policy",
                         .file = "policy.json",
                         .member = "\"Statement\"",
                         .checks = "the policy checks, on top",
                         .off = off,
                         .dump_env = "POLICY_BENCH_DUMP"};
    int status = bench_document(&d, text, len, k, iterations);
    free(text);
    return status;
}
