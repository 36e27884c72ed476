/* cli_util.c - what every part of the tool uses: its messages and growing arrays. */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void message(FILE *to, const char *fmt, va_list ap)
{
    fputs("ecrlint: ", to);
    vfprintf(to, fmt, ap);
    fputc('\n', to);
}

void cli_errorf(FILE *to, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(to, fmt, ap);
    va_end(ap);
}

void cli_notef(FILE *to, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    message(to, fmt, ap);
    va_end(ap);
}

void cli_print_error(FILE *to, const ecrlint_error *e)
{
    if (e->source[0] && e->line > 0)
        cli_errorf(to, "%s:%d:%d: %s", e->source, e->line, e->column, e->text);
    else if (e->source[0])
        cli_errorf(to, "%s: %s", e->source, e->text);
    else
        cli_errorf(to, "%s", e->text);
}

void *cli_grow(void *items, size_t *cap, size_t size, size_t first)
{
    if (*cap > SIZE_MAX / 2 / size)
        return NULL;
    size_t n = *cap ? *cap * 2 : first;
    void *p = realloc(items, n * size);
    if (p)
        *cap = n;
    return p;
}

const char *cli_rules_url(void)
{
    static char url[3 * PATH_MAX + 8];
    const char *env = getenv("ECRLINT_RULES_URL");
    if (env)
        return env;
    if (*ECRLINT_RULES_URL)
        return ECRLINT_RULES_URL;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return NULL;
    *slash = '\0'; /* the program's folder */
    char want[2 * PATH_MAX + 64];
    size_t build_len = strlen(ECRLINT_BUILD_DIR);
    size_t bin_len = strlen(ECRLINT_BINDIR);
    size_t dir_len = strlen(exe);
    if (strncmp(exe, ECRLINT_BUILD_DIR, build_len) == 0 &&
        (exe[build_len] == '/' || exe[build_len] == '\0'))
        snprintf(want, sizeof want, "%s/rules/REFERENCE.md", ECRLINT_SOURCE_DIR);
    else if (ECRLINT_DOCDIR[0] == '/')
        snprintf(want, sizeof want, "%s/REFERENCE.md", ECRLINT_DOCDIR);
    else if (dir_len > bin_len && exe[dir_len - bin_len - 1] == '/' &&
             strcmp(exe + dir_len - bin_len, ECRLINT_BINDIR) == 0)
        snprintf(want, sizeof want, "%.*s/%s/REFERENCE.md", (int)(dir_len - bin_len - 1), exe,
                 ECRLINT_DOCDIR);
    else
        return NULL;
    char real[PATH_MAX];
    if (!realpath(want, real) || access(real, R_OK) != 0)
        return NULL;
    /* a file: URL, with what is not a path character percent-encoded */
    static const char hex[] = "0123456789ABCDEF";
    size_t k = 0;
    memcpy(url, "file://", 7);
    k = 7;
    for (const unsigned char *p = (const unsigned char *)real; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p)) {
            url[k++] = (char)*p;
        } else {
            url[k++] = '%';
            url[k++] = hex[*p >> 4];
            url[k++] = hex[*p & 15];
        }
    }
    url[k] = '\0';
    return url;
}
