/* mf_grammar.c - the grammars of descriptor members (OCI descriptor.md): media types, digests,
 * URLs, base64. Digests are in util/digest.c. */
#include <string.h>

#include "manifest/el_manifest.h"
#include "util/el_alloc.h"

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* restricted-name = restricted-name-first *126restricted-name-chars (RFC 6838 4.2) */
static bool restricted_name(const char *s, size_t n)
{
    if (n < 1 || n > 127 || !(is_alpha(s[0]) || is_digit(s[0])))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!(is_alpha(c) || is_digit(c) || c == '!' || c == '#' || c == '$' || c == '&' ||
              c == '-' || c == '^' || c == '_' || c == '.' || c == '+'))
            return false;
    }
    return true;
}

bool el_mf_media_type_valid(const char *s, size_t n)
{
    if (!s)
        return false;
    const char *slash = memchr(s, '/', n);
    if (!slash)
        return false;
    size_t tn = (size_t)(slash - s);
    return restricted_name(s, tn) && restricted_name(slash + 1, n - tn - 1);
}

bool el_mf_media_type_has_params(const char *s, size_t n)
{
    if (!s)
        return false;
    const char *semi = memchr(s, ';', n);
    if (!semi)
        return false;
    size_t k = (size_t)(semi - s);
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    return el_mf_media_type_valid(s, k);
}

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || is_digit(c);
}

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(is_digit(s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

el_mf_digest el_mf_digest_check(const char *s, size_t len, size_t *hex_len)
{
    if (!s)
        return EL_MF_DIGEST_GRAMMAR;
    const char *colon = memchr(s, ':', len);
    if (!colon || colon == s)
        return EL_MF_DIGEST_GRAMMAR;
    /* algorithm = [a-z0-9]+([+._-][a-z0-9]+)* */
    bool after_sep = true;
    for (const char *p = s; p < colon; p++) {
        if (lower_alnum(*p))
            after_sep = false;
        else if ((*p == '+' || *p == '.' || *p == '_' || *p == '-') && !after_sep)
            after_sep = true;
        else
            return EL_MF_DIGEST_GRAMMAR;
    }
    if (after_sep)
        return EL_MF_DIGEST_GRAMMAR;
    /* encoded = [a-zA-Z0-9=_-]+ */
    const char *enc = colon + 1;
    size_t en = len - (size_t)(enc - s);
    if (en == 0)
        return EL_MF_DIGEST_GRAMMAR;
    for (size_t i = 0; i < en; i++) {
        char c = enc[i];
        if (!(is_alpha(c) || is_digit(c) || c == '=' || c == '_' || c == '-'))
            return EL_MF_DIGEST_GRAMMAR;
    }
    static const struct {
        const char *name;
        size_t hex;
    } algs[] = {{"sha256", 64}, {"sha384", 96}, {"sha512", 128}, {"blake3", 64}};
    size_t an = (size_t)(colon - s);
    for (size_t i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        if (strlen(algs[i].name) == an && memcmp(s, algs[i].name, an) == 0) {
            if (en == algs[i].hex && lower_hex(enc, en))
                return EL_MF_DIGEST_OK;
            if (hex_len)
                *hex_len = algs[i].hex;
            return EL_MF_DIGEST_ENCODING;
        }
    }
    return EL_MF_DIGEST_OTHER;
}

static bool uri_char(char c)
{
    return is_alpha(c) || is_digit(c) || (c && strchr("-._~:/?#[]@!$&'()*+,;=%", c));
}

bool el_mf_uri_valid(const char *s, size_t n)
{
    if (!s || n == 0 || !is_alpha(s[0]))
        return false;
    size_t i = 1;
    while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.'))
        i++;
    if (i >= n || s[i] != ':')
        return false;
    for (i++; i < n; i++) {
        if (!uri_char(s[i]))
            return false;
        if (s[i] == '%') {
            static const char hexd[] = "0123456789abcdefABCDEF";
            if (i + 2 >= n || !strchr(hexd, s[i + 1]) || !strchr(hexd, s[i + 2]) || !s[i + 1] ||
                !s[i + 2])
                return false;
        }
    }
    return true;
}

static bool prefix_nocase(const char *s, size_t n, const char *p)
{
    size_t pn = strlen(p);
    if (n < pn)
        return false;
    for (size_t i = 0; i < pn; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != p[i])
            return false;
    }
    return true;
}

bool el_mf_url_ok(const char *s, size_t n)
{
    if (!el_mf_uri_valid(s, n) || memchr(s, '#', n))
        return false;
    size_t skip;
    if (prefix_nocase(s, n, "http://"))
        skip = 7;
    else if (prefix_nocase(s, n, "https://"))
        skip = 8;
    else
        return false;
    return n > skip && s[skip] != '/' && s[skip] != '?';
}

/* ---- base64 ---------------------------------------------------------------------------- */

static int b64_value(char c, bool url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == (url ? '-' : '+'))
        return 62;
    if (c == (url ? '_' : '/'))
        return 63;
    return -1;
}

/* Decodes n characters (no padding among them); `url` selects the alphabet. The unused low
 * bits of the last character must be zero (canonical encoding). */
static unsigned char *b64_decode(const char *s, size_t n, bool url, size_t *out_len, bool *nomem)
{
    *nomem = false;
    *out_len = 0;
    if (n % 4 == 1)
        return NULL;
    unsigned char *out = el_malloc(n / 4 * 3 + 3);
    if (!out) {
        *nomem = true;
        return NULL;
    }
    size_t o = 0;
    unsigned long acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(s[i], url);
        if (v < 0) {
            el_free(out);
            return NULL;
        }
        acc = (acc << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)((acc >> bits) & 0xFF);
        }
    }
    if (bits > 0 && (acc & ((1UL << bits) - 1)) != 0) {
        el_free(out);
        return NULL;
    }
    *out_len = o;
    return out;
}

unsigned char *el_mf_base64_decode(const char *s, size_t n, size_t *out_len, bool *nomem)
{
    *nomem = false;
    *out_len = 0;
    if (!s || n % 4 != 0)
        return NULL;
    size_t pad = 0;
    while (pad < 2 && n > pad && s[n - 1 - pad] == '=')
        pad++;
    return b64_decode(s, n - pad, false, out_len, nomem);
}

unsigned char *el_mf_base64url_decode(const char *s, size_t n, size_t *out_len, bool *nomem)
{
    *nomem = false;
    *out_len = 0;
    if (!s)
        return NULL;
    return b64_decode(s, n, true, out_len, nomem);
}
