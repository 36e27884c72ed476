/* cli_harness.c - see cli_harness.h. */
#define _XOPEN_SOURCE 700 /* posix_openpt and friends, for harness_run_tty */
#include "cli_harness.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

char *harness_out, *harness_err;
static char scratch[256];

void harness_enter(const char *tag)
{
    snprintf(scratch, sizeof scratch, "%s/ecrlint-%s.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", tag);
    ck_assert_ptr_nonnull(mkdtemp(scratch));
    ck_assert_int_eq(chdir(scratch), 0);
    ck_assert_int_eq(system("mkdir .git"), 0); /* no configuration from above */
    unsetenv("PRE_COMMIT");
}

void harness_leave(void)
{
    char cmd[512];
    ck_assert_int_eq(chdir("/"), 0);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    ck_assert_int_eq(system(cmd), 0);
    free(harness_out);
    free(harness_err);
    harness_out = harness_err = NULL;
}

void harness_put(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

void harness_puts(const char *path, const char *text)
{
    harness_put(path, text, strlen(text));
}

char *harness_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = 0, cap = 65536;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    size_t got;
    while ((got = fread(s + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            cap *= 2;
            s = realloc(s, cap);
            ck_assert_ptr_nonnull(s);
        }
    }
    fclose(f);
    s[n] = '\0';
    if (len)
        *len = n;
    return s;
}

static int run_with_stdin(const char *const *args, int fi);

int harness_run(const char *const *args, const char *in)
{
    harness_puts(".in", in ? in : "");
    return run_with_stdin(args, open(".in", O_RDONLY));
}

int harness_run_tty(const char *const *args)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_msg(master >= 0, "no pseudo-terminal");
    ck_assert(grantpt(master) == 0 && unlockpt(master) == 0);
    const char *name = ptsname(master);
    ck_assert(name != NULL);
    int rc = run_with_stdin(args, open(name, O_RDWR | O_NOCTTY));
    close(master);
    return rc;
}

static int run_with_stdin(const char *const *args, int fi)
{
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)"ecrlint";
    for (; *args; args++) {
        ck_assert_int_lt(argc, 63);
        argv[argc++] = (char *)*args;
    }
    argv[argc] = NULL;
    fflush(stdout);
    fflush(stderr);
    int si = dup(STDIN_FILENO), so = dup(STDOUT_FILENO), se = dup(STDERR_FILENO);
    int fo = open(".out", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int fe = open(".err", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ck_assert(si >= 0 && so >= 0 && se >= 0 && fi >= 0 && fo >= 0 && fe >= 0);
    dup2(fi, STDIN_FILENO);
    dup2(fo, STDOUT_FILENO);
    dup2(fe, STDERR_FILENO);
    int rc = cli_main(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(si, STDIN_FILENO);
    dup2(so, STDOUT_FILENO);
    dup2(se, STDERR_FILENO);
    close(si), close(so), close(se), close(fi), close(fo), close(fe);
    free(harness_out);
    free(harness_err);
    harness_out = harness_slurp(".out", NULL);
    harness_err = harness_slurp(".err", NULL);
    ck_assert(harness_out && harness_err);
    return rc;
}
