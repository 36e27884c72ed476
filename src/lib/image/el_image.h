/*
 * el_image.h - image layouts and archives checked as a whole (src/lib/image/): an OCI layout
 * directory, an OCI archive (a tar of one) or a docker-archive (`docker save`).
 *
 * The module sits above the driver (layer 5): each manifest it meets is checked through the
 * driver as a manifest input, with its descriptor's media type as the declared type, and each
 * push it predicts through the driver as the PutImage request it amounts to, so that a manifest
 * in a layout gets exactly the findings, placement and predicted answer it gets as a file, and
 * the tag and repository rules are those of PutImage. What only a whole image has (blobs,
 * sizes, digests, configs, tags, archives) is checked here and reported with the rules of
 * rules/image.json (ECR8xxx).
 *
 * Sources, cited by document and section:
 *   OCI image layout: https://github.com/opencontainers/image-spec/blob/v1.1.1/image-layout.md
 *   OCI image index and annotations: image-index.md, annotations.md (same repository)
 *   OCI image configuration: https://github.com/opencontainers/image-spec/blob/v1.1.1/config.md
 *   docker-archive (`docker save`):
 * https://github.com/moby/moby/blob/v24.0.7/image/tarexport/save.go Amazon ECR service quotas:
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
 */
#ifndef EL_IMAGE_EL_IMAGE_H
#define EL_IMAGE_EL_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ecrlint/ecrlint.h"
#include "util/el_digest.h"

/* ---- digests of a stream (im_stream.c) ------------------------------------------------------ */

/* Gives the next block of a stream: its length and *data, 0 at the end, -1 when reading failed
 * (*why then says why, a static or lasting text). */
typedef long long (*im_pull_fn)(void *userdata, const void **data, const char **why);

typedef struct im_digests {
    uint64_t size;              /* bytes read */
    char digest[EL_DIGEST_BUF]; /* "<alg>:<hex>" of them */
    unsigned char head[8];      /* the first bytes (what the content says it is) */
    size_t head_len;
    bool read_failed;
    char read_error[160];
    /* with `uncompressed`: the sha256 of the bytes a gzip or zstd decompression gives (of the
       bytes themselves when they are neither), or why there is none */
    bool have_diff;
    char diff[EL_DIGEST_BUF];
    char diff_error[200];
} im_digests;

/* Reads the stream to its end through Nettle's `alg` ("sha256", "sha384", "sha512") and, when
 * `uncompressed`, through libarchive's gzip and zstd filters (never an external program) and a
 * sha256 of what they give. Memory is a few blocks whatever the size. False when `alg` is not
 * one Nettle gives here. */
bool im_digest_stream(const char *alg, bool uncompressed, im_pull_fn pull, void *userdata,
                      im_digests *out);

/* A block buffer for reading files (IM_BLOCK bytes). */
#define IM_BLOCK ((size_t)1 << 20)

struct archive;
/* Turns on, in reader `a`, the decompressions of layers (gzip, zstd) that libarchive does
 * itself (never one it would run as an external program on untrusted input): an image archive
 * may be compressed as a whole (image.tar.gz, image.tar.zst), and is then read through them,
 * still streaming. */
void im_support_archive_filters(struct archive *a);

/* Reads the open file fd to its end as im_digest_stream does; buf holds IM_BLOCK bytes. */
bool im_digest_fd(int fd, const char *alg, bool uncompressed, char *buf, im_digests *out);

/* ---- the entries of a layout or archive (im_source.c) --------------------------------------- */

typedef enum im_type {
    IM_REGULAR = 0,
    IM_SYMLINK,  /* never followed */
    IM_HARDLINK, /* an archive's hard link: not followed either */
    IM_DIRECTORY,
    IM_OTHER
} im_type;

typedef struct im_entry {
    char *name; /* relative, '/'-separated: "index.json", "blobs/sha256/<hex>" */
    im_type type;
    uint64_t size;
    bool referenced; /* some descriptor points at it */
    bool reported;   /* its own problems (type, size, digest) are reported */
    bool unused;     /* a blob nothing refers to, with no other finding: its result is made
                        only when it is passed on (100,000 of them are not held at once) */
    /* archives: the content of small entries, kept from the one pass over the archive */
    char *data;
    size_t len;
    bool kept;
    /* the digests: computed in the archive's pass, or when the walk asks (layouts) */
    bool digested;
    im_digests dg;
} im_entry;

typedef enum im_format { IM_LAYOUT = 1, IM_OCI_ARCHIVE, IM_DOCKER_ARCHIVE } im_format;

/* A problem with the layout or archive as a whole (an entry that may not be there, a tar that
 * ends early), found while reading it. */
typedef struct im_problem {
    char *name; /* the entry it is about, or NULL: the input itself */
    const char *rule;
    char *detail;
} im_problem;

typedef struct im_source {
    im_format format;
    const char *open_path;
    int dirfd;         /* a layout: its directory; -1 for archives */
    im_entry *entries; /* sorted by name */
    size_t n, cap;
    im_problem *problems;
    size_t nproblems, cap_problems;
    bool uncompressed; /* archives: diff digests computed in the pass (--verify-layers) */
    size_t kept_bytes; /* archives: bytes of content kept */
} im_source;

/* The largest entry whose content is kept from an archive's pass (manifests, configs, the
 * archive's JSON files), and all such content together. */
#define IM_KEEP_MAX ((size_t)4 * 1024 * 1024)
#define IM_KEEP_TOTAL ((size_t)256 * 1024 * 1024)

/* Opens the layout directory `open_path`: its blobs listed (not followed, not read).
 * ECRLINT_ERR_IO with *why when the directory cannot be opened. */
ecrlint_status im_source_layout(im_source *s, const char *open_path, const char **why);
/* Reads the archive `open_path` in one pass: every entry's size, type and digests (and, with
 * `uncompressed`, its decompressed digest), the content of the small ones kept. Problems of
 * the archive become im_problems. ECRLINT_ERR_IO with *why when it cannot be opened at all. */
ecrlint_status im_source_archive(im_source *s, const char *open_path, bool uncompressed, char *why,
                                 size_t why_size);
/* Whether the file `path` is a tar archive compressed as a whole (gzip, zstd): its first
 * entry's header is read through the decompression. */
bool im_source_compressed_tar(const char *path);
/* The same for an archive held in memory (the fuzz target). */
ecrlint_status im_source_archive_memory(im_source *s, const void *data, size_t len,
                                        bool uncompressed, char *why, size_t why_size);
void im_source_free(im_source *s);
/* The entry `name`, or NULL when there is none. */
im_entry *im_source_find(im_source *s, const char *name);
/* The content of regular entry e, at most `max` bytes: *data (borrowed from the entry for an
 * archive; for a layout a new buffer the caller frees with el_free, *owned set). Returns 0,
 * or an errno-like code: EFBIG over max, ENOMEM, or the system's. */
int im_source_read(im_source *s, im_entry *e, size_t max, char **data, size_t *len, bool *owned);
/* Digests of regular entry e of a layout (the archive's pass already has them). */
bool im_source_digest(im_source *s, im_entry *e, bool uncompressed, char *buf);
/* Adds a problem; false when memory ran out. */
bool im_source_problem(im_source *s, const char *name, const char *rule, const char *detail);

#endif
