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

/* ECR's limits of length and of rules are passed by design (ECR8303, ECR8111). */
static int rule_enabled(const char *id, void *userdata)
{
    (void)userdata;
    return strcmp(id, "ECR8303") != 0 && strcmp(id, "ECR8111") != 0;
}

static double time_check(ecrlint_checker *ck, const ecrlint_check_options *o, const char *name,
                         const char *text, size_t len, long iterations, size_t *findings)
{
    double t0 = cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        ecrlint_result *r = NULL;
        if (ecrlint_checker_check(ck, o, name, text, len, &r, NULL) != ECRLINT_OK) {
            fprintf(stderr, "lifecycle_bench: the check failed\n");
            exit(1);
        }
        *findings = ecrlint_result_diag_count(r);
        if (*findings && getenv("LIFECYCLE_BENCH_DUMP"))
            for (size_t d = 0; d < *findings; d++)
                fprintf(stderr, "%s %s\n", ecrlint_result_diag(r, d)->rule,
                        ecrlint_result_diag(r, d)->message);
        ecrlint_result_free(r);
        if (*findings)
            break;
    }
    return (cpu_seconds() - t0) / (double)iterations;
}

int main(int argc, char **argv)
{
    size_t kb = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    long iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
    if (!kb || iterations < 1) {
        fprintf(stderr, "usage: lifecycle_bench [KB [ITERATIONS]]\n");
        return 2;
    }
    size_t cap = kb * 1024 + 4096, len = 0;
    char *text = malloc(cap);
    if (!text)
        return 2;
    len += (size_t)snprintf(text, cap, "{\n  \"rules\": [\n");
    unsigned k = 0;
    char one[1024];
    while (len + sizeof tail_rules < kb * 1024) {
        int n = rule(one, sizeof one, k);
        if (n < 0 || (size_t)n + len + sizeof tail_rules + 64 > cap)
            break;
        len += (size_t)snprintf(text + len, cap - len, "%s%s", k ? ",\n" : "", one);
        k++;
    }
    len += (size_t)snprintf(text + len, cap - len, tail_rules, k + 1, k + 2, k + 3);
    unsigned nrules = k + 3;

    double t0 = cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        json_error_t err;
        json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
        if (!v) {
            fprintf(stderr, "lifecycle_bench: the policy does not parse: %s\n", err.text);
            return 1;
        }
        json_decref(v);
    }
    double jansson = (cpu_seconds() - t0) / (double)iterations;
    ecrlint_global_init();
    ecrlint_engine *engine = ecrlint_engine_new(NULL);
    ecrlint_checker *ck = engine ? ecrlint_checker_new(engine) : NULL;
    if (!ck) {
        fprintf(stderr, "lifecycle_bench: no engine\n");
        return 2;
    }
    /* The floor: the same text read by ecrlint (its parser, in its arena) and skipped, its
     * "rules" renamed so that nothing recognises it. */
    char *other = malloc(len);
    if (!other)
        return 2;
    memcpy(other, text, len);
    char *member = strstr(other, "\"rules\"");
    if (member)
        member[1] = 'X';
    size_t findings = 0;
    double parse = time_check(ck, NULL, "other.json", other, len, iterations, &findings);
    free(other);
    if (findings) {
        fprintf(stderr, "lifecycle_bench: %zu findings in the skipped text\n", findings);
        return 1;
    }
    ecrlint_check_options o = {.operation = "lifecycle-policy", .rule_enabled = rule_enabled};
    double check = time_check(ck, &o, "lifecycle-policy.json", text, len, iterations, &findings);
    if (findings) {
        fprintf(stderr,
                "lifecycle_bench: %zu findings in a policy meant to be clean "
                "(LIFECYCLE_BENCH_DUMP=1 lists them)\n",
                findings);
        return 1;
    }
    printf("lifecycle policy of %zu bytes, %u rules, %ld iterations (CPU time):\n", len, nrules,
           iterations);
    printf("  jansson parse only (json_loadb)  %8.1f us\n", jansson * 1e6);
    printf("  ecrlint, parsed and skipped      %8.1f us\n", parse * 1e6);
    printf("  ecrlint, checked as a policy     %8.1f us\n", check * 1e6);
    printf("  the lifecycle checks, on top     %8.1f us\n", (check - parse) * 1e6);
    ecrlint_checker_free(ck);
    ecrlint_engine_free(engine);
    free(text);
    return 0;
}
