/* digest.c - content digests, computed by Nettle (never by hand).
 *
 * Nettle rather than libcrypto: its hash functions need no library initialisation (OpenSSL 3
 * sets up its providers on the first EVP call, about a millisecond per process), and linking it
 * statically adds kilobytes, not megabytes, to a binary that often runs once per file. */
#include <nettle/nettle-meta.h>
#include <nettle/sha2.h>
#include <string.h>

#include "util/el_digest.h"

static void put_hex(char *out, const unsigned char *h, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The algorithms a digest may name, through Nettle's generic hash interface. */
static const struct nettle_hash *const algorithms[] = {&nettle_sha256, &nettle_sha384,
                                                       &nettle_sha512};

/* The raw hash of data by alg; returns its size, 0 for an unknown algorithm. */
static size_t hash(const char *alg, const void *data, size_t len,
                   unsigned char h[SHA512_DIGEST_SIZE])
{
    for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++) {
        const struct nettle_hash *a = algorithms[i];
        if (strcmp(alg, a->name) != 0)
            continue;
        union {
            struct sha256_ctx sha256;
            struct sha512_ctx sha512; /* sha384 too */
        } ctx;
        a->init(&ctx);
        a->update(&ctx, len, data ? data : (const uint8_t *)"");
        a->digest(&ctx, a->digest_size, h);
        return a->digest_size;
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

bool el_hasher_init(el_hasher *h, const char *alg)
{
    for (size_t i = 0; i < sizeof algorithms / sizeof algorithms[0]; i++) {
        const struct nettle_hash *a = algorithms[i];
        if (strcmp(alg, a->name) != 0)
            continue;
        _Static_assert(sizeof(struct sha256_ctx) <= sizeof h->ctx.sha256, "sha256 context");
        _Static_assert(sizeof(struct sha512_ctx) <= sizeof h->ctx.sha512, "sha512 context");
        h->alg = a;
        h->name = a->name;
        a->init(&h->ctx);
        return true;
    }
    h->alg = NULL;
    return false;
}

void el_hasher_update(el_hasher *h, const void *data, size_t len)
{
    const struct nettle_hash *a = h->alg;
    if (len)
        a->update(&h->ctx, len, data);
}

void el_hasher_finish(el_hasher *h, char out[EL_DIGEST_BUF])
{
    const struct nettle_hash *a = h->alg;
    unsigned char raw[SHA512_DIGEST_SIZE];
    a->digest(&h->ctx, a->digest_size, raw);
    size_t an = strlen(a->name);
    memcpy(out, a->name, an);
    out[an] = ':';
    put_hex(out + an + 1, raw, a->digest_size);
}
