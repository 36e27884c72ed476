/* im_source.c - the entries of an image layout (a directory) or an image archive (a tar file),
 * as one sorted table the walk looks names up in.
 *
 * A layout is listed, not read: the top directory, blobs/ and blobs/<alg>/, each opened with
 * O_NOFOLLOW, so a symbolic link (to a file or a directory) is an entry of its own, never
 * followed; files are opened component by component the same way when the walk reads them.
 * An archive is read once, with libarchive, and never extracted: every entry's digests are
 * computed as it streams past, and the content of small entries (manifests, configs, the JSON
 * files of the archive) is kept for the walk. Entry names that would leave the archive (an
 * absolute path, a `..` component) are problems, never used. */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/el_image.h"
#include "util/el_alloc.h"

/* More entries than this and the rest of an input is not listed (a problem says so). */
#define IM_MAX_ENTRIES 1000000

bool im_source_problem(im_source *s, const char *name, const char *rule, const char *detail)
{
    if (!el_grow(&s->problems, &s->cap_problems, s->nproblems + 1, sizeof *s->problems, 8))
        return false;
    im_problem *p = &s->problems[s->nproblems];
    p->rule = rule;
    p->name = name ? el_strdup(name) : NULL;
    p->detail = el_strdup(detail ? detail : "");
    if ((name && !p->name) || !p->detail) {
        el_free(p->name);
        el_free(p->detail);
        return false;
    }
    s->nproblems++;
    return true;
}

static im_entry *add_entry(im_source *s, const char *name, im_type type, uint64_t size)
{
    if (!el_grow(&s->entries, &s->cap, s->n + 1, sizeof *s->entries, 64))
        return NULL;
    im_entry *e = &s->entries[s->n];
    memset(e, 0, sizeof *e);
    if (!(e->name = el_strdup(name)))
        return NULL;
    e->type = type;
    e->size = size;
    s->n++;
    return e;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const im_entry *)a)->name, ((const im_entry *)b)->name);
}

static void entry_free(im_entry *e)
{
    el_free(e->name);
    el_free(e->data);
}

/* Sorts the table; an archive's second entry of a name is a problem and dropped. */
static bool sort_entries(im_source *s)
{
    qsort(s->entries, s->n, sizeof *s->entries, cmp_entry);
    size_t out = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (out && strcmp(s->entries[out - 1].name, s->entries[i].name) == 0) {
            if (!im_source_problem(s, s->entries[i].name, "ECR8012",
                                   "the archive holds two entries of this name"))
                return false;
            s->kept_bytes -= s->entries[i].len;
            entry_free(&s->entries[i]);
            continue;
        }
        s->entries[out++] = s->entries[i];
    }
    s->n = out;
    return true;
}

im_entry *im_source_find(im_source *s, const char *name)
{
    im_entry key;
    key.name = (char *)name;
    return bsearch(&key, s->entries, s->n, sizeof *s->entries, cmp_entry);
}

void im_source_free(im_source *s)
{
    for (size_t i = 0; i < s->n; i++)
        entry_free(&s->entries[i]);
    el_free(s->entries);
    for (size_t i = 0; i < s->nproblems; i++) {
        el_free(s->problems[i].name);
        el_free(s->problems[i].detail);
    }
    el_free(s->problems);
    if (s->dirfd >= 0)
        close(s->dirfd);
    memset(s, 0, sizeof *s);
    s->dirfd = -1;
}

/* ---- layouts -------------------------------------------------------------------------------- */

static im_type type_of(mode_t m)
{
    return S_ISREG(m) ? IM_REGULAR : S_ISLNK(m) ? IM_SYMLINK : S_ISDIR(m) ? IM_DIRECTORY : IM_OTHER;
}

/* Lists directory fd (its name `prefix`, "" for the top) into the table; the directories
 * named in `descend` (NULL: none) are listed in turn, one level deeper each. */
static ecrlint_status list_dir(im_source *s, int fd, const char *prefix, int depth)
{
    int dup_fd = dup(fd);
    DIR *d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (!d) {
        if (dup_fd >= 0)
            close(dup_fd);
        return im_source_problem(s, prefix[0] ? prefix : NULL, "ECR8007", strerror(errno))
                   ? ECRLINT_OK
                   : ECRLINT_ERR_NOMEM;
    }
    ecrlint_status st = ECRLINT_OK;
    struct dirent *de;
    char name[4096];
    while (st == ECRLINT_OK && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (s->n >= IM_MAX_ENTRIES) {
            if (!im_source_problem(s, NULL, "ECR8012",
                                   "more than 1000000 entries: the rest is not checked"))
                st = ECRLINT_ERR_NOMEM;
            break;
        }
        snprintf(name, sizeof name, "%s%s%s", prefix, prefix[0] ? "/" : "", de->d_name);
        struct stat sb;
        if (fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* gone meanwhile */
        im_type t = type_of(sb.st_mode);
        if (!add_entry(s, name, t, t == IM_REGULAR ? (uint64_t)sb.st_size : 0)) {
            st = ECRLINT_ERR_NOMEM;
            break;
        }
        /* blobs/ and blobs/<alg>/ are listed; nothing deeper is part of a layout */
        bool descend =
            t == IM_DIRECTORY && ((depth == 0 && strcmp(de->d_name, "blobs") == 0) || depth == 1);
        if (descend) {
            int sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) {
                st = list_dir(s, sub, name, depth + 1);
                close(sub);
            }
        }
    }
    closedir(d);
    return st;
}

ecrlint_status im_source_layout(im_source *s, const char *open_path, const char **why)
{
    memset(s, 0, sizeof *s);
    s->format = IM_LAYOUT;
    s->open_path = open_path;
    s->dirfd = open(open_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (s->dirfd < 0) {
        *why = strerror(errno);
        return ECRLINT_ERR_IO;
    }
    ecrlint_status st = list_dir(s, s->dirfd, "", 0);
    if (st == ECRLINT_OK && !sort_entries(s))
        st = ECRLINT_ERR_NOMEM;
    return st;
}

/* Opens name (relative to the layout) one component at a time, never following a link. */
static int open_inside(int dirfd, const char *name)
{
    int fd = dirfd;
    const char *p = name;
    for (;;) {
        const char *slash = strchr(p, '/');
        char part[256];
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 0 || len >= sizeof part) {
            if (fd != dirfd)
                close(fd);
            errno = ENOENT;
            return -1;
        }
        memcpy(part, p, len);
        part[len] = '\0';
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : O_NONBLOCK);
        int next = openat(fd, part, flags);
        int saved = errno;
        if (fd != dirfd)
            close(fd);
        if (next < 0) {
            errno = saved;
            return -1;
        }
        if (!slash) {
            struct stat sb;
            if (fstat(next, &sb) != 0 || !S_ISREG(sb.st_mode)) {
                close(next);
                errno = EINVAL;
                return -1;
            }
            /* the file is read in blocks: no more non-blocking */
            int fl = fcntl(next, F_GETFL);
            if (fl >= 0)
                (void)fcntl(next, F_SETFL, fl & ~O_NONBLOCK);
            return next;
        }
        fd = next;
        p = slash + 1;
    }
}

int im_source_read(im_source *s, im_entry *e, size_t max, char **data, size_t *len, bool *owned)
{
    *data = NULL;
    *len = 0;
    *owned = false;
    if (e->type != IM_REGULAR)
        return EINVAL;
    if (s->format != IM_LAYOUT) {
        if (!e->kept)
            return e->size > max || e->size > IM_KEEP_MAX ? EFBIG : EIO;
        if (e->len > max)
            return EFBIG;
        *data = e->data;
        *len = e->len;
        return 0;
    }
    int fd = open_inside(s->dirfd, e->name);
    if (fd < 0)
        return errno ? errno : EIO;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int err = errno;
        close(fd);
        return err;
    }
    if ((uint64_t)sb.st_size > max) {
        close(fd);
        return EFBIG;
    }
    size_t cap = (size_t)sb.st_size + 1;
    char *buf = el_malloc(cap);
    if (!buf) {
        close(fd);
        return ENOMEM;
    }
    size_t got = 0;
    for (;;) {
        if (got == cap) {
            if (cap > max) {
                el_free(buf);
                close(fd);
                return EFBIG;
            }
            char *p = el_realloc(buf, cap * 2);
            if (!p) {
                el_free(buf);
                close(fd);
                return ENOMEM;
            }
            buf = p;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int err = errno;
            el_free(buf);
            close(fd);
            return err;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (got > max) {
        el_free(buf);
        return EFBIG;
    }
    *data = buf;
    *len = got;
    *owned = true;
    return 0;
}

/* The algorithm an entry's name gives its digest ("blobs/sha512/..."), sha256 otherwise. */
static const char *entry_alg(const char *name)
{
    if (strncmp(name, "blobs/sha512/", 13) == 0)
        return "sha512";
    if (strncmp(name, "blobs/sha384/", 13) == 0)
        return "sha384";
    return "sha256";
}

bool im_source_digest(im_source *s, im_entry *e, bool uncompressed, char *buf)
{
    if (e->digested || s->format != IM_LAYOUT)
        return true;
    int fd = open_inside(s->dirfd, e->name);
    if (fd < 0) {
        memset(&e->dg, 0, sizeof e->dg);
        e->dg.read_failed = true;
        snprintf(e->dg.read_error, sizeof e->dg.read_error, "%s", strerror(errno));
    } else {
#ifdef POSIX_FADV_SEQUENTIAL
        (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
        im_digest_fd(fd, entry_alg(e->name), uncompressed, buf, &e->dg);
        close(fd);
    }
    e->digested = true;
    return true;
}

/* ---- archives ------------------------------------------------------------------------------- */

/* What the pull of an archive entry keeps: the content of small entries. */
typedef struct entry_pull {
    struct archive *a;
    im_source *s;
    char *keep;
    size_t keep_len, keep_cap;
    bool keeping;
    bool nomem;
    la_int64_t next_offset;
} entry_pull;

static long long pull_entry(void *ud, const void **data, const char **why)
{
    entry_pull *p = ud;
    size_t len;
    la_int64_t off;
    int r = archive_read_data_block(p->a, data, &len, &off);
    if (r == ARCHIVE_EOF)
        return 0;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        *why = archive_error_string(p->a) ? archive_error_string(p->a) : "read error";
        return -1;
    }
    if (off != p->next_offset) {
        *why = "a sparse entry (holes in its data) is not an image file";
        return -1;
    }
    p->next_offset = off + (la_int64_t)len;
    if (p->keeping) {
        if (p->keep_len + len > IM_KEEP_MAX) {
            p->keeping = false;
        } else {
            if (!el_grow(&p->keep, &p->keep_cap, p->keep_len + len + 1, 1, 4096)) {
                p->nomem = true;
                p->keeping = false;
            } else {
                memcpy(p->keep + p->keep_len, *data, len);
                p->keep_len += len;
            }
        }
    }
    return (long long)len;
}

/* "./a//b" -> "a/b"; NULL when the name is absolute or has a ".." component (it would leave
 * the archive), or is empty. */
static char *clean_name(const char *raw)
{
    if (!raw || raw[0] == '/')
        return NULL;
    char *out = el_malloc(strlen(raw) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    const char *p = raw;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            el_free(out);
            return NULL;
        }
        if (len && !(len == 1 && p[0] == '.')) {
            if (o)
                out[o++] = '/';
            memcpy(out + o, p, len);
            o += len;
        }
        p += len;
        if (*p == '/')
            p++;
    }
    out[o] = '\0';
    if (!o) {
        el_free(out);
        return NULL;
    }
    return out;
}

/* Whether a name is one of the archive's own JSON files or may be a layer (decompressed with
 * --verify-layers): a layer is any regular entry that is not a known JSON file. */
static bool json_name(const char *name)
{
    size_t n = strlen(name);
    return strcmp(name, "oci-layout") == 0 || (n >= 5 && strcmp(name + n - 5, ".json") == 0) ||
           strcmp(name, "repositories") == 0;
}

static bool looks_json(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

/* The one pass over an opened archive (both ways of opening it below). */
static ecrlint_status read_pass(im_source *s, struct archive *a, bool uncompressed)
{
    ecrlint_status st = ECRLINT_OK;
    struct archive_entry *ae;
    for (;;) {
        int r = archive_read_next_header(a, &ae);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            const char *msg = archive_error_string(a) ? archive_error_string(a) : "unreadable";
            if (!im_source_problem(s, NULL, "ECR8012", msg))
                st = ECRLINT_ERR_NOMEM;
            break;
        }
        if (s->n >= IM_MAX_ENTRIES) {
            if (!im_source_problem(s, NULL, "ECR8012",
                                   "more than 1000000 entries: the rest is not checked"))
                st = ECRLINT_ERR_NOMEM;
            break;
        }
        const char *raw = archive_entry_pathname(ae);
        char *name = clean_name(raw);
        if (!name) {
            char msg[600];
            snprintf(msg, sizeof msg, "entry '%.500s' would be outside the archive's folder",
                     raw ? raw : "");
            if (!im_source_problem(s, NULL, "ECR8013", msg)) {
                st = ECRLINT_ERR_NOMEM;
                break;
            }
            continue; /* never used; its data is skipped */
        }
        mode_t m = archive_entry_filetype(ae);
        im_type t = archive_entry_hardlink(ae) ? IM_HARDLINK
                    : m == AE_IFREG            ? IM_REGULAR
                    : m == AE_IFLNK            ? IM_SYMLINK
                    : m == AE_IFDIR            ? IM_DIRECTORY
                                               : IM_OTHER;
        la_int64_t size = archive_entry_size_is_set(ae) ? archive_entry_size(ae) : 0;
        im_entry *e = add_entry(s, name, t, t == IM_REGULAR && size > 0 ? (uint64_t)size : 0);
        el_free(name);
        if (!e) {
            st = ECRLINT_ERR_NOMEM;
            break;
        }
        if (t != IM_REGULAR)
            continue;
        entry_pull p = {a, s, NULL, 0, 0, false, false, 0};
        p.keeping = (uint64_t)size <= IM_KEEP_MAX && s->kept_bytes + (size_t)size <= IM_KEEP_TOTAL;
        bool decompress = uncompressed && !json_name(e->name);
        im_digest_stream(entry_alg(e->name), decompress, pull_entry, &p, &e->dg);
        e->digested = true;
        if (p.nomem) {
            el_free(p.keep);
            st = ECRLINT_ERR_NOMEM;
            break;
        }
        if (p.keeping && !e->dg.read_failed && looks_json(p.keep, p.keep_len)) {
            e->data = p.keep;
            e->len = p.keep_len;
            e->kept = true;
            s->kept_bytes += p.keep_len;
        } else {
            el_free(p.keep);
        }
        if (e->dg.read_failed) {
            /* the archive ends inside this entry, or is damaged there: nothing after it can
               be read */
            char msg[300];
            snprintf(msg, sizeof msg, "the archive ends or is damaged inside this entry (%s)",
                     e->dg.read_error);
            if (!im_source_problem(s, e->name, "ECR8012", msg))
                st = ECRLINT_ERR_NOMEM;
            break;
        }
    }
    if (st == ECRLINT_OK && !sort_entries(s))
        st = ECRLINT_ERR_NOMEM;
    return st;
}

static struct archive *archive_begin(im_source *s, const char *name, bool uncompressed)
{
    memset(s, 0, sizeof *s);
    s->dirfd = -1;
    s->format = IM_OCI_ARCHIVE; /* decided by the walk from what the archive holds */
    s->open_path = name;
    s->uncompressed = uncompressed;
    struct archive *a = archive_read_new();
    if (a) {
        archive_read_support_format_tar(a);
        im_support_archive_filters(a);
    }
    return a;
}

bool im_source_compressed_tar(const char *path)
{
    struct archive *a = archive_read_new();
    if (!a)
        return false;
    archive_read_support_format_tar(a);
    im_support_archive_filters(a);
    struct archive_entry *ae;
    bool yes = archive_read_open_filename(a, path, IM_BLOCK) == ARCHIVE_OK &&
               archive_filter_count(a) > 1 && archive_read_next_header(a, &ae) == ARCHIVE_OK;
    archive_read_free(a);
    return yes;
}

static ecrlint_status archive_opened(im_source *s, struct archive *a, int r, bool uncompressed,
                                     char *why, size_t why_size)
{
    if (r != ARCHIVE_OK) {
        snprintf(why, why_size, "%s",
                 archive_error_string(a) ? archive_error_string(a) : "cannot open");
        archive_read_free(a);
        return ECRLINT_ERR_IO;
    }
    ecrlint_status st = read_pass(s, a, uncompressed);
    archive_read_free(a);
    return st;
}

ecrlint_status im_source_archive(im_source *s, const char *open_path, bool uncompressed, char *why,
                                 size_t why_size)
{
    struct archive *a = archive_begin(s, open_path, uncompressed);
    if (!a)
        return ECRLINT_ERR_NOMEM;
    return archive_opened(s, a, archive_read_open_filename(a, open_path, IM_BLOCK), uncompressed,
                          why, why_size);
}

ecrlint_status im_source_archive_memory(im_source *s, const void *data, size_t len,
                                        bool uncompressed, char *why, size_t why_size)
{
    struct archive *a = archive_begin(s, "(memory)", uncompressed);
    if (!a)
        return ECRLINT_ERR_NOMEM;
    return archive_opened(s, a, archive_read_open_memory(a, data, len), uncompressed, why,
                          why_size);
}
