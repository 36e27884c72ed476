/* el_digest.h - content digests (Nettle). */
#ifndef EL_UTIL_EL_DIGEST_H
#define EL_UTIL_EL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

/* "sha256:" + 64 hex digits + NUL */
#define EL_SHA256_DIGEST_SIZE 72
/* "sha512:" + 128 hex digits + NUL, the longest */
#define EL_DIGEST_BUF 136
/* Writes "<alg>:<hex>" of data[0..len) for alg "sha256", "sha384" or "sha512"; false when the
 * algorithm is not one of those. */
bool el_digest_of(const char *alg, const void *data, size_t len, char out[EL_DIGEST_BUF]);
/* el_digest_of("sha256", ...) */
bool el_sha256_digest(const void *data, size_t len, char out[EL_SHA256_DIGEST_SIZE]);

/* A digest computed piece by piece, for contents of any size read in blocks (image layers). */
typedef struct el_hasher {
    const void *alg; /* Nettle's description of the algorithm */
    const char *name;
    union {
        unsigned char sha256[128];
        unsigned char sha512[256];
        long double align;
    } ctx;
} el_hasher;

/* Starts a digest by "sha256", "sha384" or "sha512"; false for another algorithm. */
bool el_hasher_init(el_hasher *h, const char *alg);
void el_hasher_update(el_hasher *h, const void *data, size_t len);
/* Writes "<alg>:<hex>" of everything given so far. */
void el_hasher_finish(el_hasher *h, char out[EL_DIGEST_BUF]);

#endif
