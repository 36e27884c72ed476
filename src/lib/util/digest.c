/* digest.c - content digests, computed by libcrypto (never by hand). */
#include <openssl/evp.h>
#include <string.h>

#include "el_private.h"

bool el_sha256_digest(const void *data, size_t len, char out[EL_SHA256_DIGEST_SIZE])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
        return false;
    static const char hex[] = "0123456789abcdef";
    memcpy(out, "sha256:", 7);
    for (unsigned int i = 0; i < n; i++) {
        out[7 + 2 * i] = hex[md[i] >> 4];
        out[8 + 2 * i] = hex[md[i] & 15];
    }
    out[7 + 2 * n] = '\0';
    return true;
}
