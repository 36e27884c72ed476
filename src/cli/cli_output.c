/* cli_output.c - writing a report or a baseline to a file without ever leaving half of one:
 * a temporary file in the same directory (same file system), then rename(2). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_write_atomic(const char *file, cli_producer produce, void *userdata)
{
    if (!file || strcmp(file, "-") == 0) {
        int e = produce(stdout, userdata);
        if (!e && fflush(stdout) != 0)
            e = errno ? errno : EIO;
        return e;
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
    int e = produce(f, userdata);
    if (!e && fflush(f) != 0)
        e = errno ? errno : EIO;
    if (!e && fsync(fileno(f)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e && rename(tmp, file) != 0)
        e = errno;
    if (e)
        unlink(tmp);
    free(tmp);
    return e;
}
