/* cli_glob.c - globs for "exclude" and "paths", and path arithmetic.
 *
 * Globs are matched against the input's path relative to the directory the glob belongs to
 * (the configuration file's directory, or the working directory for --exclude), '/'-separated:
 * a star is any characters but '/', '?' one character but '/', [a-z] and [!x] are classes, and
 * two stars as a whole segment stand for any number of segments (legacy/[star][star],
 * [star][star]/fixtures/[star].json). Like .gitignore: a glob matching a directory matches
 * everything under it, and a glob without '/' (other than a trailing one) matches a file or
 * directory name at any depth. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* [...] at p (p[0] == '['); returns the character after the class, or NULL when the class is
 * not closed (then '[' is literal). *hit tells whether c is in it. */
static const char *match_class(const char *p, char c, bool *hit)
{
    const char *q = p + 1;
    bool neg = *q == '!' || *q == '^';
    if (neg)
        q++;
    bool in = false;
    bool first = true;
    while (*q && (first || *q != ']')) {
        first = false;
        char lo = *q, hi = *q;
        if (q[1] == '-' && q[2] && q[2] != ']') {
            hi = q[2];
            q += 3;
        } else {
            q++;
        }
        if (c >= lo && c <= hi)
            in = true;
    }
    if (*q != ']')
        return NULL;
    *hit = in != neg;
    return q + 1;
}

static bool gm(const char *p, const char *s)
{
    while (*p) {
        if (p[0] == '*' && p[1] == '*') {
            while (*p == '*')
                p++;
            if (*p == '/') {
                p++;
                for (const char *t = s;;) {
                    if (gm(p, t))
                        return true;
                    t = strchr(t, '/');
                    if (!t)
                        return false;
                    t++;
                }
            }
            if (!*p)
                return true;
            for (const char *t = s;; t++) {
                if (gm(p, t))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (gm(p, t))
                    return true;
                if (!*t || *t == '/')
                    return false;
            }
        }
        if (!*s)
            return false;
        if (*p == '?') {
            if (*s == '/')
                return false;
            p++, s++;
            continue;
        }
        if (*p == '[') {
            bool hit = false;
            const char *next = match_class(p, *s, &hit);
            if (next) {
                if (!hit || *s == '/')
                    return false;
                p = next, s++;
                continue;
            }
        }
        if (*p == '\\' && p[1])
            p++;
        if (*p != *s)
            return false;
        p++, s++;
    }
    return *s == '\0';
}

bool cli_glob_match(const char *pattern, const char *path)
{
    char *pat = strdup(pattern);
    if (!pat)
        return false;
    size_t len = strlen(pat);
    while (len > 1 && pat[len - 1] == '/')
        pat[--len] = '\0';
    const char *p = pat;
    bool anchored = false;
    if (*p == '/') {
        anchored = true;
        while (*p == '/')
            p++;
    }
    if (strchr(p, '/'))
        anchored = true;
    while (path[0] == '.' && path[1] == '/')
        path += 2;
    bool hit = false;
    if (anchored) {
        /* the path itself, or one of its directories */
        hit = gm(p, path);
        char *copy = strdup(path);
        for (char *slash = copy ? strrchr(copy, '/') : NULL; !hit && slash;
             slash = strrchr(copy, '/')) {
            *slash = '\0';
            hit = gm(p, copy);
        }
        free(copy);
    } else {
        /* any component */
        const char *c = path;
        while (!hit && c) {
            const char *slash = strchr(c, '/');
            size_t n = slash ? (size_t)(slash - c) : strlen(c);
            char *comp = strndup(c, n);
            hit = comp && gm(p, comp);
            free(comp);
            c = slash ? slash + 1 : NULL;
        }
    }
    free(pat);
    return hit;
}

/* Appends the components of `path` to the normalised path in buf ("/a/b"), resolving "." and
 * ".." lexically. buf has room for strlen of both plus 2. */
static void push_components(char *buf, const char *path)
{
    const char *c = path;
    while (*c) {
        while (*c == '/')
            c++;
        if (!*c)
            break;
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 1 && c[0] == '.') {
            /* nothing */
        } else if (n == 2 && c[0] == '.' && c[1] == '.') {
            char *last = strrchr(buf, '/');
            if (last)
                *last = '\0';
        } else {
            size_t len = strlen(buf);
            buf[len] = '/';
            memcpy(buf + len + 1, c, n);
            buf[len + 1 + n] = '\0';
        }
        c += n;
    }
}

char *cli_path_absolute(const char *path)
{
    char *cwd = NULL;
    if (path[0] != '/' && !(cwd = getcwd(NULL, 0)))
        return NULL;
    char *buf = malloc((cwd ? strlen(cwd) : 0) + strlen(path) + 3);
    if (buf) {
        buf[0] = '\0';
        if (cwd)
            push_components(buf, cwd);
        push_components(buf, path);
        if (!buf[0])
            strcpy(buf, "/");
    }
    free(cwd);
    return buf;
}

char *cli_path_relative(const char *base, const char *path)
{
    char *abs = cli_path_absolute(path);
    if (!abs)
        return NULL;
    size_t blen = strlen(base);
    while (blen > 1 && base[blen - 1] == '/')
        blen--;
    char *rel = NULL;
    if (blen == 1 && base[0] == '/')
        rel = strdup(abs[1] ? abs + 1 : ".");
    else if (strncmp(abs, base, blen) == 0 && abs[blen] == '/')
        rel = strdup(abs + blen + 1);
    else if (strncmp(abs, base, blen) == 0 && abs[blen] == '\0')
        rel = strdup(".");
    else
        return abs;
    free(abs);
    return rel;
}

bool cli_glob_matches_input(const cli_glob *g, const char *path)
{
    char *rel = cli_path_relative(g->base, path);
    bool hit = rel && cli_glob_match(g->pattern, rel);
    free(rel);
    return hit;
}

bool cli_glob_set(cli_glob *g, const char *pattern, const char *base)
{
    /* "./tests/x.json", as reports print paths found under ".", means "tests/x.json" */
    while (pattern[0] == '.' && pattern[1] == '/')
        pattern += 2;
    g->pattern = strdup(pattern);
    g->base = strdup(base);
    if (!g->pattern || !g->base) {
        cli_glob_free(g);
        return false;
    }
    return true;
}

void cli_glob_free(cli_glob *g)
{
    free(g->pattern);
    free(g->base);
    g->pattern = g->base = NULL;
}
