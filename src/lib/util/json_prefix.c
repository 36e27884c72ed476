/* json_prefix.c - what a text that is not JSON says before its syntax error: the top-level
 * members read in full (el_json_prefix_members), and whether the error is a comment or a
 * trailing comma, which JSON-with-comments files (tsconfig.json, editor settings) have. */
#include <stdlib.h>
#include <string.h>

#include "util/el_alloc.h"
#include "util/el_json.h"

static size_t skip_ws(const char *s, size_t i, size_t end)
{
    while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* The end of the string that starts at s[i] == '"' (one past its closing quote), or 0 when it
 * does not end before `end`. */
static size_t string_end(const char *s, size_t i, size_t end)
{
    for (i++; i < end; i++) {
        if (s[i] == '\\')
            i++;
        else if (s[i] == '"')
            return i + 1;
        else if ((unsigned char)s[i] < 0x20)
            return 0;
    }
    return 0;
}

/* The end of the container that starts at s[i] ('{' or '['), or `end` when it does not close
 * before it. Strings are skipped whole; nothing else is looked at. */
static size_t container_end(const char *s, size_t i, size_t end)
{
    size_t depth = 0;
    while (i < end) {
        char c = s[i];
        if (c == '"') {
            size_t e = string_end(s, i, end);
            if (!e)
                return end;
            i = e;
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if ((c == '}' || c == ']') && --depth == 0)
            return i + 1;
        i++;
    }
    return end;
}

/* A scalar value s[i..): its JSON value (NULL when not one read in full) and its end. */
static json_t *scalar(const char *s, size_t i, size_t end, size_t *next)
{
    static const struct {
        const char *word;
        size_t len;
    } words[] = {{"true", 4}, {"false", 5}, {"null", 4}};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (end - i >= words[k].len && memcmp(s + i, words[k].word, words[k].len) == 0) {
            *next = i + words[k].len;
            return k == 0 ? json_true() : k == 1 ? json_false() : json_null();
        }
    size_t j = i;
    if (j < end && s[j] == '-')
        j++;
    while (j < end && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
                       s[j] == '+' || s[j] == '-'))
        j++;
    *next = j;
    if (j == i)
        return NULL;
    json_error_t e;
    return json_loadb(s + i, j - i, JSON_DECODE_ANY, &e);
}

json_t *el_json_prefix_members(const char *text, size_t len, size_t stop, bool *oom)
{
    *oom = false;
    size_t end = stop < len ? stop : len;
    size_t i = skip_ws(text, 0, end);
    if (i >= end || text[i] != '{')
        return NULL;
    json_t *obj = json_object();
    if (!obj) {
        *oom = true;
        return NULL;
    }
    i = skip_ws(text, i + 1, end);
    while (i < end && text[i] == '"') {
        size_t e = string_end(text, i, end);
        if (!e)
            break;
        json_error_t jerr;
        json_t *key = json_loadb(text + i, e - i, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
        i = skip_ws(text, e, end);
        if (!key || !json_is_string(key) || i >= end || text[i] != ':') {
            json_decref(key);
            break;
        }
        i = skip_ws(text, i + 1, end);
        json_t *value = NULL;
        size_t next = i;
        if (i < end && text[i] == '"') {
            next = string_end(text, i, end);
            value = next ? json_loadb(text + i, next - i, JSON_DECODE_ANY, &jerr) : NULL;
        } else if (i < end && (text[i] == '{' || text[i] == '[')) {
            value = text[i] == '{' ? json_object() : json_array();
            next = container_end(text, i, end);
            if (!value)
                *oom = true;
        } else if (i < end) {
            value = scalar(text, i, end, &next);
        }
        if (!value && !*oom)
            value = json_null();
        if (*oom || !value || json_object_set_new(obj, json_string_value(key), value) != 0) {
            *oom = true;
            json_decref(key);
            json_decref(obj);
            return NULL;
        }
        json_decref(key);
        if (!next || next >= end)
            break;
        i = skip_ws(text, next, end);
        if (i >= end || text[i] != ',')
            break;
        i = skip_ws(text, i + 1, end);
    }
    return obj;
}

char *el_json_strip_jsonc(const char *text, size_t len, unsigned *found)
{
    *found = 0;
    char *out = el_malloc(len + 1);
    if (!out)
        return NULL;
    memcpy(out, text, len);
    out[len] = '\0';
    size_t comma = 0;
    bool have_comma = false;
    for (size_t i = 0; i < len; i++) {
        char c = out[i];
        if (c == '"') {
            size_t e = string_end(out, i, len);
            if (!e)
                break;
            i = e - 1;
            have_comma = false;
        } else if (c == '/' && i + 1 < len && (out[i + 1] == '/' || out[i + 1] == '*')) {
            *found |= EL_JSONC_COMMENT;
            bool line = out[i + 1] == '/';
            size_t k = i + 2;
            while (k < len &&
                   (line ? out[k] != '\n' : !(out[k] == '*' && k + 1 < len && out[k + 1] == '/')))
                k++;
            if (!line && k < len)
                k += 2; /* the closing star and slash */
            for (size_t j = i; j < k && j < len; j++)
                if (out[j] != '\n' && out[j] != '\r')
                    out[j] = ' ';
            i = k - 1;
        } else if (c == ',') {
            comma = i;
            have_comma = true;
        } else if ((c == '}' || c == ']') && have_comma) {
            *found |= EL_JSONC_TRAILING_COMMA;
            out[comma] = ' ';
            have_comma = false;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            have_comma = false;
        }
    }
    return out;
}
