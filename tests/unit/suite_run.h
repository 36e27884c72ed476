/* suite_run.h - the one way a unit-test executable runs its Check suite, and the helpers
 * several suites share. */
#ifndef SUITE_RUN_H
#define SUITE_RUN_H

#include <check.h>
#include <stddef.h>

/* Runs every test of s (Check frees the suite with its runner) and returns the process's exit
 * status: EXIT_SUCCESS when none failed. */
int suite_run(Suite *s);

/* A report writer's sink (ecrlint_report_write) that appends to a NUL-terminated text:
 * userdata is a char ** holding NULL or a malloc'd text, to free() afterwards. */
int suite_text_sink(const char *data, size_t len, void *userdata);

#endif
