/* spawn_loop.c - per-process cost, measured: runs a command N times one after the other and
 * prints the wall time per run.
 *
 *   spawn_loop N COMMAND [ARG...]
 *
 * Each run is posix_spawn + wait4 with standard output and error sent to /dev/null, so the
 * figure is what a shell loop or a pre-commit hook pays per file, without the interpreter
 * overhead a Python or shell loop would add to every command alike. Each run is timed on its
 * own. Prints "<median ms> <mean ms> <worst exit status> <peak RSS KiB>": the median resists the
 * odd run slowed down by another process on a small shared machine. The exit status is
 * 128+signal for a killed child. Exit 0, or 2 when a run could not be started. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* wait4() is not POSIX but is in glibc; declared here to keep _POSIX_C_SOURCE strict. */
pid_t wait4(pid_t pid, int *status, int options, struct rusage *rusage);

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: spawn_loop N COMMAND [ARG...]\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    if (n < 1)
        n = 1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    double *ms = malloc(sizeof *ms * (size_t)n);
    if (!ms)
        return 2;
    int worst = 0;
    long peak = 0;
    double total = 0;
    for (long i = 0; i < n; i++) {
        double t0 = now_ms();
        pid_t pid;
        int rc = posix_spawnp(&pid, argv[2], &fa, NULL, argv + 2, environ);
        if (rc != 0) {
            fprintf(stderr, "spawn_loop: cannot run %s\n", argv[2]);
            return 2;
        }
        int st;
        struct rusage ru;
        if (wait4(pid, &st, 0, &ru) < 0) {
            perror("wait4");
            return 2;
        }
        ms[i] = now_ms() - t0;
        total += ms[i];
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (code > worst)
            worst = code;
        if (ru.ru_maxrss > peak)
            peak = ru.ru_maxrss;
    }
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    double median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
    printf("%.4f %.4f %d %ld\n", median, total / (double)n, worst, peak);
    free(ms);
    posix_spawn_file_actions_destroy(&fa);
    return 0;
}
