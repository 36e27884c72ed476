/* error.c - status texts and the caller-allocated error record (first error wins). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/el_error.h"

const char *ecrlint_status_str(ecrlint_status status)
{
    switch (status) {
    case ECRLINT_OK:
        return "success";
    case ECRLINT_ERR_NOMEM:
        return "out of memory";
    case ECRLINT_ERR_IO:
        return "input/output error";
    case ECRLINT_ERR_RULES:
        return "invalid rule pack";
    case ECRLINT_ERR_USAGE:
        return "invalid argument";
    case ECRLINT_ERR_LIMIT:
        return "limit exceeded";
    case ECRLINT_ERR_INTERNAL:
        return "internal error";
    }
    return "unknown status";
}

ecrlint_status el_error_set(ecrlint_error *err, ecrlint_status code, const char *source, int line,
                            int column, const char *fmt, ...)
{
    if (!err || err->code != ECRLINT_OK)
        return code;
    err->code = code;
    err->line = line;
    err->column = column;
    err->source[0] = '\0';
    if (source) {
        size_t n = strlen(source);
        /* Keep the end of a long path: it is the part that tells files apart. */
        if (n >= sizeof err->source)
            snprintf(err->source, sizeof err->source, "...%s",
                     source + n - (sizeof err->source - 4));
        else
            memcpy(err->source, source, n + 1);
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    return code;
}

const char *ecrlint_severity_str(ecrlint_severity severity)
{
    switch (severity) {
    case ECRLINT_SEVERITY_INFO:
        return "info";
    case ECRLINT_SEVERITY_WARNING:
        return "warning";
    case ECRLINT_SEVERITY_ERROR:
        return "error";
    }
    return "error";
}

int ecrlint_severity_parse(const char *text)
{
    if (!text)
        return -1;
    if (strcmp(text, "info") == 0)
        return ECRLINT_SEVERITY_INFO;
    if (strcmp(text, "warning") == 0)
        return ECRLINT_SEVERITY_WARNING;
    if (strcmp(text, "error") == 0)
        return ECRLINT_SEVERITY_ERROR;
    return -1;
}

const char *ecrlint_kind_str(ecrlint_kind kind)
{
    switch (kind) {
    case ECRLINT_KIND_REQUEST:
        return "request";
    case ECRLINT_KIND_RESPONSE:
        return "response";
    case ECRLINT_KIND_MANIFEST:
        return "manifest";
    case ECRLINT_KIND_SKIPPED:
        return "skipped";
    case ECRLINT_KIND_ERROR:
        return "error";
    case ECRLINT_KIND_IMAGE:
        return "image";
    case ECRLINT_KIND_POLICY:
        return "policy";
    case ECRLINT_KIND_LIFECYCLE_POLICY:
        return "lifecycle-policy";
    }
    return "error";
}
