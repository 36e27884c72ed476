/* digest.c - content digests, computed by Nettle (never by hand).
 *
 * Nettle rather than libcrypto: its hash functions need no library initialisation (OpenSSL 3
 * sets up its providers on the first EVP call, about a millisecond per process), and linking it
 * statically adds kilobytes, not megabytes, to a binary that often runs once per file. */
#include <nettle/sha2.h>
#include <string.h>

#include "el_private.h"

static void put_hex(char *out, const unsigned char *h, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The raw hash of data by alg; returns its size, 0 for an unknown algorithm. */
static size_t hash(const char *alg, const void *data, size_t len, unsigned char h[SHA512_DIGEST_SIZE])
{
    const uint8_t *p = data ? data : (const uint8_t *)"";
    if (strcmp(alg, "sha256") == 0) {
        struct sha256_ctx c;
        sha256_init(&c);
        sha256_update(&c, len, p);
        sha256_digest(&c, SHA256_DIGEST_SIZE, h);
        return SHA256_DIGEST_SIZE;
    }
    if (strcmp(alg, "sha384") == 0) {
        struct sha384_ctx c;
        sha384_init(&c);
        sha384_update(&c, len, p);
        sha384_digest(&c, SHA384_DIGEST_SIZE, h);
        return SHA384_DIGEST_SIZE;
    }
    if (strcmp(alg, "sha512") == 0) {
        struct sha512_ctx c;
        sha512_init(&c);
        sha512_update(&c, len, p);
        sha512_digest(&c, SHA512_DIGEST_SIZE, h);
        return SHA512_DIGEST_SIZE;
    }
    return 0;
}

bool el_digest_of(const char *alg, const void *data, size_t len, char out[EL_DIGEST_BUF])
{
    unsigned char h[SHA512_DIGEST_SIZE];
    size_t n = hash(alg, data, len, h);
    if (!n)
        return false;
    size_t an = strlen(alg);
    memcpy(out, alg, an);
    out[an] = ':';
    put_hex(out + an + 1, h, n);
    return true;
}

bool el_sha256_digest(const void *data, size_t len, char out[EL_SHA256_DIGEST_SIZE])
{
    unsigned char h[SHA512_DIGEST_SIZE];
    hash("sha256", data, len, h);
    memcpy(out, "sha256:", 7);
    put_hex(out + 7, h, SHA256_DIGEST_SIZE);
    return true;
}
