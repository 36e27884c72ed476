/* preview_bench.c - the lifecycle preview's time and memory over many images.
 *
 *   preview_bench [N...]     default: 10000 100000
 *
 * For each N, in a child process of its own (so that peak memory is that size's): N images
 * as DescribeImages pages of 1,000 (as the API pages them; realistic ImageDetail entries:
 * tags, sizes, media types, scan status, pull times), a five-rule policy (count, age, pull and
 * untagged rules, expire and transition), then the time of each step — reading the pages,
 * evaluating, writing the GetLifecyclePolicyPreview response — and the memory the preview
 * added (peak RSS over the RSS before it, per image). Times are the process's CPU time (the
 * machine may be shared), beside the floor: parsing the same pages with jansson alone. Times grow
 * as n log n when the time per image stays flat from one size to the next (log n adds a few percent
 * per tenfold). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "bench_util.h"
#include "ecrlint/ecrlint.h"

#define PAGE 1000
#define NOW 1764806400LL

static const char policy[] =
    "{\"rules\": ["
    "{\"rulePriority\": 1, \"description\": \"the 50 newest releases\", \"selection\": "
    "{\"tagStatus\": \"tagged\", \"tagPatternList\": [\"prod-*\"], \"countType\": "
    "\"imageCountMoreThan\", \"countNumber\": 50}, \"action\": {\"type\": \"expire\"}},"
    "{\"rulePriority\": 2, \"selection\": {\"tagStatus\": \"tagged\", \"tagPrefixList\": "
    "[\"v\"], \"countType\": \"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": "
    "180}, \"action\": {\"type\": \"expire\"}},"
    "{\"rulePriority\": 3, \"selection\": {\"tagStatus\": \"tagged\", \"tagPatternList\": "
    "[\"sha-*\"], \"countType\": \"sinceImagePulled\", \"countUnit\": \"days\", \"countNumber\": "
    "30}, \"action\": {\"type\": \"transition\", \"targetStorageClass\": \"archive\"}},"
    "{\"rulePriority\": 4, \"selection\": {\"tagStatus\": \"untagged\", \"countType\": "
    "\"sinceImagePushed\", \"countUnit\": \"days\", \"countNumber\": 14}, \"action\": "
    "{\"type\": \"expire\"}},"
    "{\"rulePriority\": 5, \"selection\": {\"tagStatus\": \"any\", \"countType\": "
    "\"imageCountMoreThan\", \"countNumber\": 5000}, \"action\": {\"type\": \"expire\"}}]}";

static unsigned long long rng = 88172645463325252ULL;
static unsigned next(unsigned bound)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % bound);
}

static char *page(size_t first, size_t n, size_t *len)
{
    size_t cap = n * 700 + 64, at = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
    at += (size_t)snprintf(b, cap, "{\n    \"imageDetails\": [\n");
    for (size_t i = first; i < first + n; i++) {
        char tags[128] = "";
        unsigned kind = next(10);
        if (kind < 2)
            snprintf(tags, sizeof tags, "\"imageTags\": [\"prod-%zu\", \"v1.%zu\"], ", i, i);
        else if (kind < 5)
            snprintf(tags, sizeof tags, "\"imageTags\": [\"sha-%08zx\"], ", i * 2654435761u);
        else if (kind < 6)
            snprintf(tags, sizeof tags, "\"imageTags\": [\"v2.%zu\"], ", i);
        long long pushed = NOW - (long long)next(730 * 86400);
        char pulled[64] = "";
        if (next(3) == 0)
            snprintf(pulled, sizeof pulled, "\"lastRecordedPullTime\": %lld.%03u, ",
                     pushed + next((unsigned)(NOW - pushed) + 1), next(1000));
        at += (size_t)snprintf(
            b + at, cap - at,
            "%s        {\"registryId\": \"123456789012\", \"repositoryName\": \"team/web\", "
            "\"imageDigest\": \"sha256:%016llx%016llx%016llx%016zx\", %s\"imageSizeInBytes\": %u, "
            "\"imagePushedAt\": %lld.%03u, %s\"imageScanStatus\": {\"status\": \"COMPLETE\", "
            "\"description\": \"The scan was completed successfully.\"}, "
            "\"imageManifestMediaType\": \"application/vnd.oci.image.manifest.v1+json\", "
            "\"artifactMediaType\": \"application/vnd.oci.image.config.v1+json\", "
            "\"imageStatus\": \"ACTIVE\"}",
            i > first ? ",\n" : "", rng, rng * 31, rng * 131, i, tags, 1000000 + next(90000000),
            pushed, next(1000), pulled);
    }
    at += (size_t)snprintf(b + at, cap - at, "\n    ]\n}\n");
    *len = at;
    return b;
}

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    *(size_t *)ud += len;
    return 0;
}

static int one(size_t n)
{
    size_t npages = (n + PAGE - 1) / PAGE, bytes = 0;
    char **texts = calloc(npages, sizeof *texts);
    size_t *lens = calloc(npages, sizeof *lens);
    for (size_t p = 0; p < npages; p++) {
        size_t k = n - p * PAGE < PAGE ? n - p * PAGE : PAGE;
        if (!texts || !lens || !(texts[p] = page(p * PAGE, k, &lens[p])))
            return 1;
        bytes += lens[p];
    }
    /* the floor: parsing the pages with jansson, nothing else */
    double f0 = bench_cpu_seconds();
    for (size_t p = 0; p < npages; p++) {
        json_error_t jerr;
        json_t *doc = json_loadb(texts[p], lens[p], 0, &jerr);
        if (!doc)
            return 1;
        json_decref(doc);
    }
    double floor_ms = (bench_cpu_seconds() - f0) * 1e3;
    ecrlint_error err;
    memset(&err, 0, sizeof err);
    ecrlint_engine *eng = ecrlint_engine_new(&err);
    long before = bench_rss_kib();
    double t0 = bench_cpu_seconds();
    ecrlint_preview *pv = ecrlint_preview_new(eng, "policy.json", policy, strlen(policy), &err);
    for (size_t p = 0; pv && p < npages; p++) {
        char name[32];
        snprintf(name, sizeof name, "page-%05zu.json", p);
        if (ecrlint_preview_add_images(pv, name, texts[p], lens[p], &err)) {
            fprintf(stderr, "preview_bench: %s:%d: %s\n", err.source, err.line, err.text);
            return 1;
        }
    }
    double t1 = bench_cpu_seconds();
    if (!pv || ecrlint_preview_run(pv, NOW * 1000000LL, &err)) {
        fprintf(stderr, "preview_bench: %s\n", err.text);
        return 1;
    }
    double t2 = bench_cpu_seconds();
    size_t out = 0;
    if (ecrlint_preview_write_json(pv, discard, &out, &err))
        return 1;
    double t3 = bench_cpu_seconds();
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    ecrlint_preview_summary s;
    ecrlint_preview_get_summary(pv, &s);
    double total = t3 - t0;
    printf("| %9zu | %7.1f | %8.1f | %8.1f | %8.1f | %8.1f | %8.1f | %6.2f | %8.1f | %6.0f | %zu "
           "expire, %zu to archive, %zu kept |\n",
           n, (double)bytes / 1048576, floor_ms, (t1 - t0) * 1e3, (t2 - t1) * 1e3, (t3 - t2) * 1e3,
           total * 1e3, total / (double)n * 1e6, (double)(ru.ru_maxrss - before) / 1024,
           (double)(ru.ru_maxrss - before) * 1024 / (double)n, s.expire, s.transition, s.kept);
    ecrlint_preview_free(pv);
    ecrlint_engine_free(eng);
    for (size_t p = 0; p < npages; p++)
        free(texts[p]);
    free(texts);
    free(lens);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *defaults[] = {"10000", "100000"};
    ecrlint_global_init();
    const char **sizes = argc > 1 ? (const char **)argv + 1 : defaults;
    int nsizes = argc > 1 ? argc - 1 : 2;
    printf("| images | input MiB | jansson parse ms (floor) | read ms | evaluate ms | write ms | "
           "total ms | us/image | memory MiB | bytes/image | outcome |\n"
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    fflush(stdout);
    int status = 0;
    for (int i = 0; i < nsizes; i++) {
        size_t n = strtoul(sizes[i], NULL, 10);
        pid_t pid = fork();
        if (pid == 0) {
            int st = one(n);
            fflush(stdout);
            _exit(st);
        }
        int ws = 0;
        if (pid < 0 || waitpid(pid, &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
            status = 1;
    }
    return status;
}
