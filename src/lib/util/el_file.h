/* el_file.h - reading a whole file into memory: rule packs, the CLI's inputs, packgen's packs.
 *
 * A file named by path must be a regular file: a directory, FIFO, device or socket is refused
 * before anything is read (it is opened without blocking, so that a FIFO with no writer does
 * not hang the caller). Standard input, which may be a pipe, is read with el_file_read_fd. The
 * status says what went wrong; the system's error number, when there is one, is in the el_file
 * (errno itself is not to be looked at afterwards). */
#ifndef EL_UTIL_EL_FILE_H
#define EL_UTIL_EL_FILE_H

#include <stddef.h>

typedef enum el_file_status {
    EL_FILE_OK = 0,
    EL_FILE_OPEN_ERROR,  /* the file could not be opened or looked at: sys_error says why */
    EL_FILE_READ_ERROR,  /* reading failed: sys_error says why */
    EL_FILE_DIRECTORY,   /* the path names a directory */
    EL_FILE_NOT_REGULAR, /* a FIFO, device or socket */
    EL_FILE_TOO_LARGE,   /* over the limit: see size */
    EL_FILE_NOMEM
} el_file_status;

/* The bytes of the last file read, in a buffer that the next read into the same el_file
 * reuses (it grows, never shrinks). Start from {0}; release with el_file_free. */
typedef struct el_file {
    char *data; /* len bytes, not terminated; NULL until a read allocated it */
    size_t len;
    size_t cap;
    int sys_error;  /* EL_FILE_OPEN_ERROR, EL_FILE_READ_ERROR: the errno of the failed call */
    long long size; /* EL_FILE_TOO_LARGE: the size the file system gave, or -1 when the limit
                       was passed while reading (the file grew, or a stream) */
} el_file;

/* Reads the regular file `path`, of at most `max` bytes, into f. */
el_file_status el_file_read(el_file *f, const char *path, size_t max);
/* Reads the open descriptor fd (standard input: any kind of file) to its end, refusing more
 * than `max` bytes, into f. The descriptor is left open. */
el_file_status el_file_read_fd(el_file *f, int fd, size_t max);
/* Hands f's buffer to the caller (to release with el_free) and leaves f empty. */
char *el_file_take(el_file *f);
void el_file_free(el_file *f);

#endif
