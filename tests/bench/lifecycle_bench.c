/* lifecycle_bench.c - the lifecycle policy checker's time on a large policy, beside parsing it.
 *
 *   lifecycle_bench [KB [ITERATIONS]]      default: 100 KB, 2000 iterations
 *
 * Writes a lifecycle policy of about KB kilobytes (tagged rules with pattern and prefix lists,
 * count and age rules, transitions to archive by last pull, then the archive class's rule, one
 * untagged rule and the any rule last: the way long policies of many release lines grow) and
 * times, in the process's CPU time (the machine may be shared): parsing it with jansson alone;
 * ecrlint reading the same text with "rules" renamed, which it parses and skips; and ecrlint
 * checking it as a lifecycle policy (the schema, then the rules between rules). The difference
 * of the last two is the lifecycle checker's cost on top of parsing. ECR takes at most 30,720
 * characters and 50 rules (ECR8303, ECR8111, turned off here): the rest of the report must be
 * clean, or the benchmark measures the wrong thing. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_util.h"

/* The k-th tagged rule, priority k + 1. */
static int rule(char *out, size_t cap, unsigned k)
{
    switch (k % 4) {
    case 0:
        return snprintf(out, cap,
                        "    {\"rulePriority\": %u, \"description\": \"release line %u: keep the "
                        "last 20 builds\", \"selection\": {\"tagStatus\": \"tagged\", "
                        "\"tagPatternList\": [\"release-%u.*\", \"*-build-*\"], \"countType\": "
                        "\"imageCountMoreThan\", \"countNumber\": 20}, \"action\": {\"type\": "
                        "\"expire\"}}",
                        k + 1, k, k);
    case 1:
        return snprintf(out, cap,
                        "    {\"rulePriority\": %u, \"description\": \"feature branches of team "
                        "%u: 14 days\", \"selection\": {\"tagStatus\": \"tagged\", "
                        "\"tagPrefixList\": [\"team%u-feature-\"], \"countType\": "
                        "\"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 14}, "
                        "\"action\": {\"type\": \"expire\"}}",
                        k + 1, k, k);
    case 2:
        return snprintf(out, cap,
                        "    {\"rulePriority\": %u, \"description\": \"service %u: archive what "
                        "nobody pulled for 60 days\", \"selection\": {\"tagStatus\": \"tagged\", "
                        "\"tagPatternList\": [\"svc%u-v*\"], \"countType\": \"sinceImagePulled\", "
                        "\"countUnit\": \"days\", \"countNumber\": 60}, \"action\": {\"type\": "
                        "\"transition\", \"targetStorageClass\": \"archive\"}}",
                        k + 1, k, k);
    default:
        return snprintf(out, cap,
                        "    {\"rulePriority\": %u, \"selection\": {\"tagStatus\": \"tagged\", "
                        "\"tagPatternList\": [\"pr-%u-*\", \"*-sha-*\"], \"countType\": "
                        "\"imageCountMoreThan\", \"countNumber\": 5}, \"action\": {\"type\": "
                        "\"expire\"}}",
                        k + 1, k);
    }
}

static const char tail_rules[] =
    ",\n    {\"rulePriority\": %u, \"description\": \"archived images: a year\", \"selection\": "
    "{\"tagStatus\": \"any\", \"storageClass\": \"archive\", \"countType\": "
    "\"sinceImageTransitioned\", \"countUnit\": \"days\", \"countNumber\": 365}, \"action\": "
    "{\"type\": \"expire\"}},\n    {\"rulePriority\": %u, \"description\": \"untagged images: a "
    "day\", \"selection\": {\"tagStatus\": \"untagged\", \"countType\": \"sinceImagePushed\", "
    "\"countUnit\": \"days\", \"countNumber\": 1}, \"action\": {\"type\": \"expire\"}},\n    "
    "{\"rulePriority\": %u, \"description\": \"everything else: the last 500\", \"selection\": "
    "{\"tagStatus\": \"any\", \"countType\": \"imageCountMoreThan\", \"countNumber\": 500}, "
    "\"action\": {\"type\": \"expire\"}}\n  ]\n}\n";

int main(int argc, char **argv)
{
    size_t kb, len, cap;
    long iterations;
    unsigned k;
    if (!bench_size_args(argc, argv, "lifecycle_bench", &kb, &iterations))
        return 2;
    char *text =
        bench_document_text(kb, "{\n  \"rules\": [\n", rule, sizeof tail_rules, &len, &cap, &k);
    if (!text)
        return 2;
    len += (size_t)snprintf(text + len, cap - len, tail_rules, k + 1, k + 2, k + 3);
    /* ECR's limits of length and of rules are passed by design (ECR8303, ECR8111). */
    static const char *const off[] = {"ECR8303", "ECR8111", NULL};
    const bench_doc d = {.prog = "lifecycle_bench",
                         .what = "lifecycle policy",
                         .items = "rules",
                         .operation = "lifecycle-policy",
                         .file = "lifecycle-policy.json",
                         .member = "\"rules\"",
                         .checks = "the lifecycle checks, on top",
                         .off = off,
                         .dump_env = "LIFECYCLE_BENCH_DUMP"};
    int status = bench_document(&d, text, len, k + 3, iterations);
    free(text);
    return status;
}
