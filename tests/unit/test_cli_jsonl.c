/* test_cli_jsonl.c - JSON Lines inputs shared among -j workers, end to end through cli_main in a
 * scratch directory: every report format, several at once, baselines, mixed inputs (JSON Lines
 * over many chunks, small ones, an empty one, one of blank lines only, ordinary files, standard
 * input) give byte-identical files with -j 1, 2, 3, 8 and the default; findings carry the right
 * line across chunk boundaries; a report that cannot be written and allocation failures stop
 * every worker (no hang; leaks show under ASan). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_harness.h"
#include "suite_run.h"
#include "util/el_alloc.h"

#define CHUNK CLI_JSONL_CHUNK_BYTES

static void setup(void)
{
    harness_enter("jsonl");
}

static void teardown(void)
{
    harness_leave();
}

/* ---- a growing text */

typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void add(text *t, const char *s, size_t len)
{
    if (t->n + len + 1 > t->cap) {
        t->cap = (t->n + len + 1) * 2;
        t->s = realloc(t->s, t->cap);
        ck_assert_ptr_nonnull(t->s);
    }
    memcpy(t->s + t->n, s, len);
    t->n += len;
    t->s[t->n] = '\0';
}

/* ---- the JSON Lines file with findings at every chunk boundary */

/* Lines with findings, by number: ECR1012 at column 20 for a record, ECR0001 at column 3 (where
 * jansson stops) for "not json". */
static int bad_lines[4096], nbad;
static int junk_lines[4096], njunk;
static int chunks_made;

/* A record of exactly `len` bytes with its line end ("\n" or "\r\n"), padded with spaces
 * inside the object; `bad`: repositoryName "Web" (ECR1012 at column 20) and maxResults 0. */
static void record(text *t, size_t len, bool bad, const char *eol)
{
    const char *head = bad ? "{\"repositoryName\": \"Web\"," : "{\"repositoryName\": \"web\",";
    const char *tail = bad ? "\"maxResults\": 0}" : "\"maxResults\": 5}";
    size_t fixed = strlen(head) + strlen(tail) + strlen(eol);
    ck_assert_uint_ge(len, fixed);
    add(t, head, strlen(head));
    for (size_t k = fixed; k < len; k++)
        add(t, " ", 1);
    add(t, tail, strlen(tail));
    add(t, eol, strlen(eol));
}

/* A request cut short: not JSON, but its first member says it is meant for ECR (a line that
 * says nothing of ECR would be skipped, not an error). */
static void junk(text *t, size_t len)
{
    add(t, "{\"repositoryName\": nope", 23);
    for (size_t k = 24; k < len; k++)
        add(t, " ", 1);
    add(t, "\n", 1);
}

/* About `size` bytes of records of varied lengths; the last line of each chunk (as cli_runner.c
 * splits: a chunk ends at the first newline at or after CHUNK bytes from its start) and the
 * first record after it have findings, in turn a record with "\n", one with "\r\n", and an
 * unparsable line; blank, white-space and CRLF blank lines here and there. The file ends
 * with a record with a finding and no newline. */
static void make_big(const char *path, size_t size)
{
    text t = {0};
    add(&t, "", 0);
    nbad = njunk = 0;
    chunks_made = 1;
    size_t chunk_start = 0;
    int line = 1;
    unsigned seed = 12345;
    bool after_boundary = false;
    while (t.n < size) {
        seed = seed * 1103515245u + 12345u;
        size_t len = 60 + (seed >> 8) % 3000; /* 60..3059 bytes */
        bool ends_chunk = t.n + len - 1 >= chunk_start + CHUNK - 1;
        int kind = chunks_made % 3;
        if (after_boundary && (seed >> 4) % 4 == 0) {
            add(&t, "  \t\r\n", 5); /* a blank line opening a chunk */
            ends_chunk = false;
        } else if (ends_chunk || after_boundary) {
            if (kind == 2) {
                junk(&t, len);
                junk_lines[njunk++] = line;
            } else {
                record(&t, len, true, kind == 1 ? "\r\n" : "\n");
                bad_lines[nbad++] = line;
            }
            after_boundary = false;
        } else if ((seed >> 12) % 23 == 0) {
            add(&t, (seed >> 16) % 2 ? "\n" : "\r\n", (seed >> 16) % 2 ? 1 : 2);
        } else if ((seed >> 12) % 29 == 0) {
            record(&t, len, true, "\n");
            bad_lines[nbad++] = line;
        } else {
            record(&t, len, false, (seed >> 20) % 5 == 0 ? "\r\n" : "\n");
        }
        line++;
        if (ends_chunk) {
            chunk_start = t.n;
            chunks_made++;
            after_boundary = true;
        }
    }
    record(&t, 80, true, "");
    bad_lines[nbad++] = line;
    ck_assert_int_lt(nbad, 4000);
    harness_put(path, t.s, t.n);
    free(t.s);
}

/* ---- running ecrlint */

/* The files every run writes (besides standard output). */
static const char *const reports[] = {"r.txt", "r.json", "r.sarif", "r.xml", "r.gh", "r.gcc"};
#define NREPORTS (sizeof reports / sizeof reports[0])

typedef struct outcome {
    int rc;
    char *out;
    char *files[NREPORTS];
    size_t lens[NREPORTS];
} outcome;

/* Runs with -j `jobs` (NULL: the default) and every format at once, then `rest`. */
static outcome run_all(const char *jobs, const char *const *rest, const char *in)
{
    const char *args[64];
    size_t n = 0;
    if (jobs) {
        args[n++] = "-j";
        args[n++] = jobs;
    }
    const char *fmts[] = {"-f", "text",          "-f", "text:r.txt",  "-f", "json:r.json",
                          "-f", "sarif:r.sarif", "-f", "junit:r.xml", "-f", "github:r.gh",
                          "-f", "gcc:r.gcc"};
    for (size_t k = 0; k < sizeof fmts / sizeof fmts[0]; k++)
        args[n++] = fmts[k];
    for (; *rest; rest++)
        args[n++] = *rest;
    args[n] = NULL;
    for (size_t k = 0; k < NREPORTS; k++)
        unlink(reports[k]);
    outcome o = {0};
    o.rc = harness_run(args, in);
    o.out = strdup(harness_out);
    for (size_t k = 0; k < NREPORTS; k++)
        o.files[k] = harness_slurp(reports[k], &o.lens[k]);
    return o;
}

static void same(const outcome *a, const outcome *b, const char *what)
{
    ck_assert_msg(a->rc == b->rc, "%s: exit %d, not %d", what, b->rc, a->rc);
    ck_assert_msg(strcmp(a->out, b->out) == 0, "%s: standard output differs", what);
    for (size_t k = 0; k < NREPORTS; k++) {
        ck_assert_msg(a->files[k] && b->files[k], "%s: no %s", what, reports[k]);
        ck_assert_msg(a->lens[k] == b->lens[k] && memcmp(a->files[k], b->files[k], a->lens[k]) == 0,
                      "%s: %s differs", what, reports[k]);
    }
}

static void outcome_free(outcome *o)
{
    free(o->out);
    for (size_t k = 0; k < NREPORTS; k++)
        free(o->files[k]);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* Every -j writes the same reports as -j 1 for `args`. */
static void all_jobs_same(const char *const *args, const char *in)
{
    outcome ref = run_all("1", args, in);
    const char *jobs[] = {"2", "3", "8", NULL /* the default */};
    for (size_t k = 0; k < sizeof jobs / sizeof jobs[0]; k++) {
        outcome o = run_all(jobs[k], args, in);
        char what[64];
        snprintf(what, sizeof what, "-j %s", jobs[k] ? jobs[k] : "(default)");
        same(&ref, &o, what);
        outcome_free(&o);
    }
    outcome_free(&ref);
}

START_TEST(big_jsonl_same_reports_and_lines)
{
    make_big("big.jsonl", 12 * CHUNK);
    ck_assert_int_ge(chunks_made, 12);
    const char *args[] = {"big.jsonl", NULL};
    all_jobs_same(args, NULL);

    /* The lines are right, wherever the chunks begin and end. */
    outcome o = run_all("8", args, NULL);
    ck_assert_int_eq(o.rc, CLI_EXIT_FINDINGS);
    const char *gcc = o.files[5];
    char want[64];
    for (int k = 0; k < nbad; k++) {
        snprintf(want, sizeof want, "big.jsonl:%d:20: error: ", bad_lines[k]);
        ck_assert_msg(strstr(gcc, want), "no finding at line %d", bad_lines[k]);
    }
    for (int k = 0; k < njunk; k++) {
        snprintf(want, sizeof want, "big.jsonl:%d:23: error: invalid JSON", junk_lines[k]);
        ck_assert_msg(strstr(gcc, want), "no invalid JSON at line %d", junk_lines[k]);
    }
    ck_assert_uint_eq(count(gcc, "[ECR1012]"), (size_t)nbad);
    ck_assert_uint_eq(count(gcc, "[ECR0001]"), (size_t)njunk);
    ck_assert_int_gt(njunk, 2);
    outcome_free(&o);
}
END_TEST

START_TEST(mixed_inputs_same_reports)
{
    make_big("big.jsonl", 5 * CHUNK);
    make_big("b2.ndjson", 3 * CHUNK + 17);
    harness_puts("small.jsonl", "{\"repositoryName\": \"a\", \"maxResults\": 5}\n\n"
                                "not json\r\n{\"repositoryName\": \"web\", \"imageIds\": [{}]}");
    harness_puts("empty.jsonl", "");
    text blank = {0};
    add(&blank, "", 0);
    while (blank.n < 2 * CHUNK + 5)
        add(&blank, "   \t\r\n\n", 7);
    harness_put("blank.jsonl", blank.s, blank.n); /* over one chunk, no record */
    free(blank.s);
    harness_puts("a.json", "{\"repositoryName\": \"Web\", \"maxResults\": 0}\n");
    harness_puts("ok.json", "{\"repositoryName\": \"web\", \"maxResults\": 5}\n");
    const char *stdin_text = "{\"repositoryName\": \"x\", \"maxResults\": 5000}\n";

    const char *args[] = {"a.json",      "big.jsonl", "-",       "small.jsonl",  "empty.jsonl",
                          "blank.jsonl", "b2.ndjson", "ok.json", "missing.json", NULL};
    all_jobs_same(args, stdin_text);
    outcome o = run_all("3", args, stdin_text);
    ck_assert_int_eq(o.rc, CLI_EXIT_TROUBLE); /* missing.json */
    ck_assert_uint_eq(count(o.files[1], "\"skipped\":{\"reason\":\"no JSON Lines records\"}"), 2);
    ck_assert_ptr_nonnull(strstr(o.files[5], "\n-:1:"));
    outcome_free(&o);

    /* --jsonl: every input is JSON Lines, standard input too. */
    const char *all_jsonl[] = {"--jsonl", "a.json", "big.jsonl", "-", "blank.jsonl", NULL};
    all_jobs_same(all_jsonl, stdin_text);

    /* Baselines: one recorded from part of the findings hides those, alike for every -j... */
    const char *rec[] = {"-j", "1", "--write-baseline", "part.json", "a.json", "b2.ndjson", NULL};
    ck_assert_int_eq(harness_run(rec, NULL), CLI_EXIT_OK);
    const char *with_base[] = {"--baseline", "part.json", "a.json", "big.jsonl",
                               "-",          "b2.ndjson", NULL};
    all_jobs_same(with_base, stdin_text);
    outcome b = run_all("2", with_base, stdin_text);
    ck_assert_ptr_nonnull(strstr(b.files[2], "\"suppressions\"")); /* sarif keeps them */
    outcome_free(&b);

    /* ...and --write-baseline records the same findings. */
    const char *jobs[] = {"1", "2", "8"};
    char *first = NULL;
    for (size_t k = 0; k < 3; k++) {
        const char *w[] = {"-j", jobs[k],     "--write-baseline", "all.json", "big.jsonl",
                           "-",  "b2.ndjson", "small.jsonl",      NULL};
        ck_assert_int_eq(harness_run(w, stdin_text), CLI_EXIT_OK);
        char *base = harness_slurp("all.json", NULL);
        ck_assert_ptr_nonnull(base);
        if (!first)
            first = base;
        else {
            ck_assert_str_eq(base, first);
            free(base);
        }
    }
    ck_assert_ptr_nonnull(strstr(first, "\"path\": \"big.jsonl\""));
    free(first);
}
END_TEST

/* A report that cannot be written while chunks are being checked stops every worker. */
START_TEST(write_failure_stops_all_workers)
{
    if (access("/dev/full", W_OK) != 0)
        return;
    make_big("big.jsonl", 20 * CHUNK);
    make_big("b2.jsonl", 4 * CHUNK);
    const char *jobs[] = {"1", "2", "8"};
    for (size_t k = 0; k < 3; k++) {
        const char *args[] = {"-j",        jobs[k],    "-f", "json:/dev/full", "-f", "gcc:r.gcc",
                              "big.jsonl", "b2.jsonl", NULL};
        unlink("r.gcc");
        ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_TROUBLE);
        ck_assert_ptr_nonnull(strstr(harness_err, "cannot write the json report to /dev/full"));
        ck_assert_ptr_null(strstr(harness_err, "out of memory"));
        ck_assert_int_ne(access("r.gcc", F_OK), 0); /* the run failed: not put in place */
    }
}
END_TEST

/* Allocation failures in the library while chunks are checked by several workers: the run
 * ends with "out of memory", exit 2, every worker stopped and nothing leaked. */
START_TEST(allocation_failure_stops_all_workers)
{
    /* A result is one allocation for most records (its texts and path come with it): enough
       records that the threads' own allocations, whose number varies with how many start, are
       a small part of the count, and the last fraction below stays inside the run. */
    make_big("big.jsonl", 24 * CHUNK);
    const char *args[] = {"-j", "8", "-f", "gcc:r.gcc", "big.jsonl", "big.jsonl", NULL};
    el_alloc_fail_after(0);
    ck_assert_int_eq(harness_run(args, NULL), CLI_EXIT_FINDINGS);
    long total = el_alloc_call_count();
    ck_assert_int_gt(total, 1000);
    /* Not at the very end: the count varies a little with the threads. */
    const double at[] = {0.02, 0.3, 0.5, 0.9, 0.97};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        el_alloc_fail_after((long)((double)total * at[k]));
        int rc = harness_run(args, NULL);
        el_alloc_fail_after(0);
        ck_assert_msg(rc == CLI_EXIT_TROUBLE && strstr(harness_err, "out of memory"),
                      "at %.3f: exit %d, %s", at[k], rc, harness_err);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("cli_jsonl");
    TCase *tc = tcase_create("jobs");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, big_jsonl_same_reports_and_lines);
    tcase_add_test(tc, mixed_inputs_same_reports);
    tcase_add_test(tc, write_failure_stops_all_workers);
    tcase_add_test(tc, allocation_failure_stops_all_workers);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return suite_run(suite());
}
