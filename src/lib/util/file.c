/* file.c - reading a whole file into memory (el_file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/el_alloc.h"
#include "util/el_file.h"

/* The buffer's first size when the file's size is not known (or smaller). */
#define FIRST_CAP ((size_t)64 * 1024)

/* Reads fd to its end into f. `size` is what fstat said of a regular file (0 when unknown):
 * once that much is read, no read is spent on finding the end. Short reads are not taken for
 * the end: Linux returns at most 2 GiB per read, and network or FUSE file systems may return
 * less. */
static el_file_status read_fd(el_file *f, int fd, size_t max, size_t size)
{
    size_t n = 0;
    f->len = 0;
    for (;;) {
        if (n == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : FIRST_CAP;
            if (size > n && cap < size)
                cap = size; /* what fstat said, at once: no copying while a large file grows */
            else if (!f->cap && size && size < cap)
                cap = size + 1; /* a small file: no 64 KiB of heap to step over */
            if (max < SIZE_MAX && cap > max + 1)
                cap = max + 1;
            if (cap <= n) {
                f->size = -1;
                return EL_FILE_TOO_LARGE;
            }
            /* the first buffer of a large file in whole huge pages (el_malloc_huge); a buffer
             * that grows (a file whose size was not known) is offered them too. Reading the
             * benchmark's 36 MB JSON Lines file took 110-150 ms without, about 20 ms with. */
            bool grow = f->data != NULL;
            char *p = grow ? el_realloc(f->data, cap) : el_malloc_huge(cap);
            if (!p)
                return EL_FILE_NOMEM;
            f->data = p;
            f->cap = cap;
            if (grow && cap >= EL_HUGE_FROM)
                el_advise_huge(p, cap);
        }
        ssize_t r = read(fd, f->data + n, f->cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            f->sys_error = errno;
            return EL_FILE_READ_ERROR;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            f->size = -1;
            return EL_FILE_TOO_LARGE;
        }
        if (size && n >= size)
            break;
    }
    f->len = n;
    return EL_FILE_OK;
}

el_file_status el_file_read_fd(el_file *f, int fd, size_t max)
{
    return read_fd(f, fd, max, 0);
}

el_file_status el_file_read(el_file *f, const char *path, size_t max)
{
    f->len = 0;
    /* O_NONBLOCK: opening a FIFO must not hang; it changes nothing for a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        f->sys_error = errno;
        return EL_FILE_OPEN_ERROR;
    }
    struct stat st;
    el_file_status s;
    if (fstat(fd, &st) != 0) {
        f->sys_error = errno;
        s = EL_FILE_OPEN_ERROR;
    } else if (S_ISDIR(st.st_mode)) {
        s = EL_FILE_DIRECTORY;
    } else if (!S_ISREG(st.st_mode)) {
        s = EL_FILE_NOT_REGULAR;
    } else if ((unsigned long long)st.st_size > max) {
        f->size = (long long)st.st_size;
        s = EL_FILE_TOO_LARGE;
    } else {
        s = read_fd(f, fd, max, (size_t)st.st_size);
    }
    close(fd);
    return s;
}

char *el_file_take(el_file *f)
{
    char *p = f->data;
    f->data = NULL;
    f->len = f->cap = 0;
    return p;
}

void el_file_free(el_file *f)
{
    el_free(f->data);
    f->data = NULL;
    f->len = f->cap = 0;
}
