/* bench_util.h - what the benchmarks of tests/bench share: the process's CPU time, its resident
 * memory, and the measurement of a document checker on top of parsing (policy_bench.c,
 * lifecycle_bench.c: the same three timings of one large document, the same table). */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>

/* The process's CPU time in seconds (the machine may be shared: wall time would count the
 * others' work). */
double bench_cpu_seconds(void);

/* The process's resident memory now, in KiB (/proc/self/statm); 0 when unknown. */
long bench_rss_kib(void);

/* "[KB [ITERATIONS]]" (defaults 100 and 2000). False, with the usage on stderr, when they are
 * not positive numbers. */
bool bench_size_args(int argc, char **argv, const char *prog, size_t *kb, long *iterations);

/* The k-th item of a document (a statement, a rule), written to out[0..cap): its length, as
 * snprintf returns it. */
typedef int (*bench_item_fn)(char *out, size_t cap, unsigned k);

/* A document of about kb KiB: `head`, then items 0, 1, ... separated by ",\n" while the text
 * and `reserve` more bytes (the tail the caller appends) stay under kb KiB. Returns the text
 * (malloc'd, with room for `reserve` bytes and more after *len), its length and the number of
 * items, or NULL without memory. */
char *bench_document_text(size_t kb, const char *head, bench_item_fn item, size_t reserve,
                          size_t *len, size_t *cap, unsigned *count);

/* One document benchmark: what the document is and how ecrlint is told to check it. */
typedef struct bench_doc {
    const char *prog;       /* the program's name, for its messages ("policy_bench") */
    const char *what;       /* "repository policy": the table's first line */
    const char *items;      /* what its items are called ("statements") */
    const char *operation;  /* ecrlint's --operation for it ("repository-policy") */
    const char *file;       /* the name it is checked under ("policy.json") */
    const char *member;     /* renamed for the floor (with its quotes: "\"Statement\""), so that
                               nothing recognises the text */
    const char *checks;     /* the last row: "the policy checks, on top" */
    const char *const *off; /* rules turned off (NULL-terminated): ECR's limits, passed by design */
    const char *dump_env;   /* when set in the environment: findings are listed on stderr */
} bench_doc;

/* Times, in the process's CPU time per check over `iterations`: jansson's json_loadb of text
 * alone; ecrlint reading the same text with d->member renamed (parsed, recognised as nothing,
 * skipped); ecrlint checking it as d->operation. The difference of the last two is the
 * checker's cost on top of parsing. Prints the table (four rows, microseconds). Both of
 * ecrlint's reports must be clean, or the benchmark measures the wrong thing: returns 1 then
 * (and when the text does not parse), 2 without an engine or memory, 0 otherwise. */
int bench_document(const bench_doc *d, const char *text, size_t len, unsigned count,
                   long iterations);

#endif
