/* im_stream.c - the digests of a stream of any size: the bytes through Nettle, and with
 * --verify-layers their decompression through libarchive's filters and a sha256 of what comes
 * out, in the same single read. Memory is a few blocks, whatever the size. */
#include <archive.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "image/el_image.h"

/* Which decompressions libarchive does itself here: a filter it would run as an external
 * program (it says so with ARCHIVE_WARN) is not used on untrusted input. Decided once. */
static pthread_once_t filters_once = PTHREAD_ONCE_INIT;
static bool have_gzip, have_zstd;

static void probe_filters(void)
{
    struct archive *a = archive_read_new();
    if (!a)
        return;
    have_gzip = archive_read_support_filter_gzip(a) == ARCHIVE_OK;
    have_zstd = archive_read_support_filter_zstd(a) == ARCHIVE_OK;
    archive_read_free(a);
}

void im_support_archive_filters(struct archive *a)
{
    pthread_once(&filters_once, probe_filters);
    if (have_gzip)
        archive_read_support_filter_gzip(a);
    if (have_zstd)
        archive_read_support_filter_zstd(a);
}

/* Keeps the first bytes of the stream. */
static void take_head(im_digests *out, const void *data, size_t n)
{
    size_t room = sizeof out->head - out->head_len;
    if (room) {
        size_t k = n < room ? n : room;
        memcpy(out->head + out->head_len, data, k);
        out->head_len += k;
    }
}

/* The compressed side: what the decompressor pulls passes through the digest of the bytes. */
typedef struct pass {
    im_pull_fn pull;
    void *ud;
    el_hasher *h;
    im_digests *out;
    bool ended; /* the stream's end was seen */
} pass;

static la_ssize_t pass_read(struct archive *a, void *ud, const void **buf)
{
    pass *p = ud;
    if (p->ended)
        return 0;
    const char *why = NULL;
    long long n = p->pull(p->ud, buf, &why);
    if (n < 0) {
        p->out->read_failed = true;
        snprintf(p->out->read_error, sizeof p->out->read_error, "%s", why ? why : "read error");
        archive_set_error(a, EIO, "%s", p->out->read_error);
        p->ended = true;
        return -1;
    }
    if (n == 0) {
        p->ended = true;
        return 0;
    }
    take_head(p->out, *buf, (size_t)n);
    el_hasher_update(p->h, *buf, (size_t)n);
    p->out->size += (uint64_t)n;
    return (la_ssize_t)n;
}

/* Decompresses what p gives into a sha256; says why not in out->diff_error. */
static void decompress(pass *p, im_digests *out)
{
    struct archive *a = archive_read_new();
    if (!a) {
        snprintf(out->diff_error, sizeof out->diff_error, "out of memory in libarchive");
        return;
    }
    if (have_gzip)
        archive_read_support_filter_gzip(a);
    if (have_zstd)
        archive_read_support_filter_zstd(a);
    archive_read_support_format_raw(a);
    el_hasher diff;
    el_hasher_init(&diff, "sha256");
    struct archive_entry *ae;
    int r = archive_read_open(a, p, NULL, pass_read, NULL);
    if (r == ARCHIVE_OK)
        r = archive_read_next_header(a, &ae);
    if (r == ARCHIVE_EOF && out->size == 0 && !out->read_failed) {
        /* nothing at all: the empty stream decompresses to nothing */
        el_hasher_finish(&diff, out->diff);
        out->have_diff = true;
    } else if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        snprintf(out->diff_error, sizeof out->diff_error, "%s",
                 archive_error_string(a) ? archive_error_string(a) : "unreadable");
    } else {
        const void *blk;
        size_t len;
        la_int64_t off;
        while ((r = archive_read_data_block(a, &blk, &len, &off)) == ARCHIVE_OK ||
               r == ARCHIVE_WARN)
            el_hasher_update(&diff, blk, len);
        if (r == ARCHIVE_EOF) {
            el_hasher_finish(&diff, out->diff);
            out->have_diff = true;
        } else {
            snprintf(out->diff_error, sizeof out->diff_error, "%s",
                     archive_error_string(a) ? archive_error_string(a) : "unreadable");
        }
    }
    archive_read_free(a);
}

bool im_digest_stream(const char *alg, bool uncompressed, im_pull_fn pull, void *userdata,
                      im_digests *out)
{
    memset(out, 0, sizeof *out);
    el_hasher h;
    if (!el_hasher_init(&h, alg))
        return false;
    pass p = {pull, userdata, &h, out, false};
    if (uncompressed) {
        pthread_once(&filters_once, probe_filters);
        decompress(&p, out);
    }
    /* The rest of the stream (all of it without decompression; after a decompression that
       stopped early, what it did not pull). */
    const void *data;
    while (!p.ended) {
        const char *why = NULL;
        long long n = pull(userdata, &data, &why);
        if (n < 0) {
            out->read_failed = true;
            snprintf(out->read_error, sizeof out->read_error, "%s", why ? why : "read error");
            break;
        }
        if (n == 0)
            break;
        take_head(out, data, (size_t)n);
        el_hasher_update(&h, data, (size_t)n);
        out->size += (uint64_t)n;
    }
    el_hasher_finish(&h, out->digest);
    if (uncompressed && out->have_diff && out->read_failed) {
        out->have_diff = false;
        snprintf(out->diff_error, sizeof out->diff_error, "%s", out->read_error);
    }
    return true;
}

typedef struct fd_pull {
    int fd;
    char *buf;
} fd_pull;

static long long pull_fd(void *ud, const void **data, const char **why)
{
    fd_pull *f = ud;
    for (;;) {
        ssize_t n = read(f->fd, f->buf, IM_BLOCK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *why = strerror(errno);
            return -1;
        }
        *data = f->buf;
        return (long long)n;
    }
}

bool im_digest_fd(int fd, const char *alg, bool uncompressed, char *buf, im_digests *out)
{
    fd_pull f = {fd, buf};
    return im_digest_stream(alg, uncompressed, pull_fd, &f, out);
}
