/* bench_util.c - what the benchmarks of tests/bench share (bench_util.h). */
#define _POSIX_C_SOURCE 200809L
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "ecrlint/ecrlint.h"

double bench_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

long bench_rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

bool bench_size_args(int argc, char **argv, const char *prog, size_t *kb, long *iterations)
{
    *kb = argc > 1 ? strtoul(argv[1], NULL, 10) : 100;
    *iterations = argc > 2 ? strtol(argv[2], NULL, 10) : 2000;
    if (!*kb || *iterations < 1) {
        fprintf(stderr, "usage: %s [KB [ITERATIONS]]\n", prog);
        return false;
    }
    return true;
}

char *bench_document_text(size_t kb, const char *head, bench_item_fn item, size_t reserve,
                          size_t *len, size_t *cap, unsigned *count)
{
    *cap = kb * 1024 + 4096;
    char *text = malloc(*cap);
    if (!text)
        return NULL;
    *len = (size_t)snprintf(text, *cap, "%s", head);
    unsigned k = 0;
    char one[1024];
    while (*len + reserve < kb * 1024) {
        int n = item(one, sizeof one, k);
        if (n < 0 || (size_t)n + *len + reserve + 64 > *cap)
            break;
        *len += (size_t)snprintf(text + *len, *cap - *len, "%s%s", k ? ",\n" : "", one);
        k++;
    }
    *count = k;
    return text;
}

static int rule_enabled(const char *id, void *userdata)
{
    for (const char *const *off = userdata; off && *off; off++)
        if (strcmp(id, *off) == 0)
            return 0;
    return 1;
}

/* ecrlint's CPU time per check of text; *findings: those of the last report (the loop stops at
 * the first report with any, listed on stderr when d->dump_env is set). -1 when a check fails. */
static double time_check(const bench_doc *d, ecrlint_checker *ck, const ecrlint_check_options *o,
                         const char *name, const char *text, size_t len, long iterations,
                         size_t *findings)
{
    double t0 = bench_cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        ecrlint_result *r = NULL;
        if (ecrlint_checker_check(ck, o, name, text, len, &r, NULL) != ECRLINT_OK) {
            fprintf(stderr, "%s: the check failed\n", d->prog);
            return -1;
        }
        *findings = ecrlint_result_diag_count(r);
        if (*findings && d->dump_env && getenv(d->dump_env))
            for (size_t k = 0; k < *findings; k++)
                fprintf(stderr, "%s %s\n", ecrlint_result_diag(r, k)->rule,
                        ecrlint_result_diag(r, k)->message);
        ecrlint_result_free(r);
        if (*findings)
            break;
    }
    return (bench_cpu_seconds() - t0) / (double)iterations;
}

int bench_document(const bench_doc *d, const char *text, size_t len, unsigned count,
                   long iterations)
{
    double t0 = bench_cpu_seconds();
    for (long i = 0; i < iterations; i++) {
        json_error_t err;
        json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
        if (!v) {
            fprintf(stderr, "%s: the %s does not parse: %s\n", d->prog, d->what, err.text);
            return 1;
        }
        json_decref(v);
    }
    double jansson = (bench_cpu_seconds() - t0) / (double)iterations;
    ecrlint_global_init();
    ecrlint_engine *engine = ecrlint_engine_new(NULL);
    ecrlint_checker *ck = engine ? ecrlint_checker_new(engine) : NULL;
    char *other = malloc(len);
    if (!ck || !other) {
        fprintf(stderr, "%s: no engine\n", d->prog);
        free(other);
        ecrlint_checker_free(ck);
        ecrlint_engine_free(engine);
        return 2;
    }
    /* The floor: the same text read by ecrlint (its parser, in its arena) and skipped, its
     * member renamed so that nothing recognises it. */
    memcpy(other, text, len);
    char *member = strstr(other, d->member);
    if (member)
        member[1] = 'X';
    size_t floor_findings = 0, findings = 0;
    double parse = time_check(d, ck, NULL, "other.json", other, len, iterations, &floor_findings);
    free(other);
    ecrlint_check_options o = {
        .operation = d->operation, .rule_enabled = rule_enabled, .rule_userdata = (void *)d->off};
    double check = parse < 0 || floor_findings
                       ? parse
                       : time_check(d, ck, &o, d->file, text, len, iterations, &findings);
    ecrlint_checker_free(ck);
    ecrlint_engine_free(engine);
    if (parse < 0 || check < 0)
        return 1;
    if (floor_findings || findings) {
        fprintf(stderr, "%s: %zu findings in %s (%s=1 lists them)\n", d->prog,
                floor_findings ? floor_findings : findings,
                floor_findings ? "the skipped text" : "a document meant to be clean", d->dump_env);
        return 1;
    }
    printf("%s of %zu bytes, %u %s, %ld iterations (CPU time):\n", d->what, len, count, d->items,
           iterations);
    printf("  %-33s%8.1f us\n", "jansson parse only (json_loadb)", jansson * 1e6);
    printf("  %-33s%8.1f us\n", "ecrlint, parsed and skipped", parse * 1e6);
    printf("  %-33s%8.1f us\n", "ecrlint, checked as a policy", check * 1e6);
    printf("  %-33s%8.1f us\n", d->checks, (check - parse) * 1e6);
    return 0;
}
