/* cli_util.c - what every part of the tool uses: its messages and growing arrays. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

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
