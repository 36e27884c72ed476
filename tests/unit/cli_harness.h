/* cli_harness.h - the command line run inside a unit test: a scratch directory made current,
 * files written and read there, and cli_main() with its standard streams redirected. Failures
 * are Check assertions. Linked into every unit test (tests/CMakeLists.txt). */
#ifndef CLI_HARNESS_H
#define CLI_HARNESS_H

#include <stddef.h>

/* Makes $TMPDIR/ecrlint-<tag>.XXXXXX and enters it, with a .git there so that no configuration
 * file above it is found, and PRE_COMMIT unset; harness_leave() removes it. For Check fixtures. */
void harness_enter(const char *tag);
void harness_leave(void);

void harness_put(const char *path, const char *data, size_t len);
void harness_puts(const char *path, const char *text);
/* The whole file, NUL-terminated, for the caller to free; NULL when it cannot be opened. */
char *harness_slurp(const char *path, size_t *len);

/* Runs ecrlint with args (NULL-terminated) and `in` on standard input (NULL: empty); returns
 * cli_main()'s status. Standard output and error land in harness_out and harness_err, valid
 * until the next run or harness_leave(). */
int harness_run(const char *const *args, const char *in);
extern char *harness_out, *harness_err;
/* The same with standard input a terminal (a pseudo-terminal nobody types on). */
int harness_run_tty(const char *const *args);

#endif
