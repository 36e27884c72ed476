/* suite_run.h - the one way a unit-test executable runs its Check suite. */
#ifndef SUITE_RUN_H
#define SUITE_RUN_H

#include <check.h>

/* Runs every test of s (Check frees the suite with its runner) and returns the process's exit
 * status: EXIT_SUCCESS when none failed. */
int suite_run(Suite *s);

#endif
