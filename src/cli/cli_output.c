/* cli_output.c - writing a report or a baseline to a file without ever leaving half of one:
 * a temporary file in the same directory (same file system), then rename(2). Reports stream
 * into the temporary file while inputs are checked, so opening, committing and abandoning are
 * separate steps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static bool is_stdout(const char *file)
{
    return !file || strcmp(file, "-") == 0;
}

int cli_atomic_open(cli_atomic *a, const char *file)
{
    memset(a, 0, sizeof *a);
    a->file = file;
    if (is_stdout(file)) {
        a->f = stdout;
        return 0;
    }
    /* Only a regular file (or none) is replaced by rename: a device (/dev/stdout, /dev/null), a
     * FIFO or a symbolic link is written to in place, or rename would put a regular file where
     * it was. */
    struct stat st;
    if (lstat(file, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return EISDIR;
        FILE *f = fopen(file, "w");
        if (!f)
            return errno ? errno : EIO;
        a->f = f;
        a->direct = true;
        return 0;
    }
    const char *slash = strrchr(file, '/');
    const char *name = slash ? slash + 1 : file;
    size_t dlen = slash ? (size_t)(slash - file) + 1 : 0;
    size_t len = dlen + strlen(name) + 16;
    char *tmp = malloc(len);
    if (!tmp)
        return ENOMEM;
    snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)dlen, file, name);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int e = errno;
        free(tmp);
        return e;
    }
    /* mkstemp makes the file 0600; give it the mode a plain creation would have. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return e;
    }
    a->f = f;
    a->tmp = tmp;
    return 0;
}

int cli_atomic_commit(cli_atomic *a)
{
    if (!a->f)
        return 0;
    if (!a->tmp) {
        int e = fflush(a->f) != 0 ? (errno ? errno : EIO) : 0;
        if (a->direct && fclose(a->f) != 0 && !e)
            e = errno ? errno : EIO;
        a->f = NULL;
        return e;
    }
    int e = 0;
    if (fflush(a->f) != 0)
        e = errno ? errno : EIO;
    if (!e && fsync(fileno(a->f)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(a->f) != 0 && !e)
        e = errno ? errno : EIO;
    a->f = NULL;
    if (!e && rename(a->tmp, a->file) != 0)
        e = errno;
    if (e)
        unlink(a->tmp);
    free(a->tmp);
    a->tmp = NULL;
    return e;
}

void cli_atomic_abort(cli_atomic *a)
{
    if (a->f && a->tmp) {
        fclose(a->f);
        unlink(a->tmp);
    } else if (a->f && a->direct) {
        fclose(a->f); /* written in place: what was written stays */
    }
    free(a->tmp);
    a->tmp = NULL;
    a->f = NULL;
}

int cli_write_atomic(const char *file, cli_producer produce, void *userdata)
{
    cli_atomic a;
    int e = cli_atomic_open(&a, file);
    if (e)
        return e;
    e = produce(a.f, userdata);
    if (e) {
        cli_atomic_abort(&a);
        return e;
    }
    return cli_atomic_commit(&a);
}
