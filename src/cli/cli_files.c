/* cli_files.c - from command-line paths to the list of inputs.
 *
 * Directories are searched recursively for *.json, *.http (captured requests), *.jsonl and
 * *.ndjson, in name order so that
 * output is the same on every machine. Symbolic links met inside a directory are not followed
 * (a link may loop or lead out of the tree; `find` behaves the same); paths named on the command
 * line are used as given. .git and node_modules are not entered. Inputs matching an exclude
 * glob (--exclude, "exclude" in .ecrlint.json) are left out. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

static bool add(cli_inputs *in, const char *path, const char *open_path, const char *problem,
                const char *skip, bool jsonl)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 64;
        cli_input *p = realloc(in->items, cap * sizeof *p);
        if (!p)
            return false;
        in->items = p;
        in->cap = cap;
    }
    cli_input *it = &in->items[in->n];
    it->path = strdup(path);
    it->open_path = open_path ? strdup(open_path) : NULL;
    it->problem = problem ? strdup(problem) : NULL;
    it->skip = skip;
    it->jsonl = jsonl;
    if (!it->path || (open_path && !it->open_path) || (problem && !it->problem)) {
        free(it->path);
        free(it->open_path);
        free(it->problem);
        return false;
    }
    in->n++;
    return true;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static bool is_jsonl_name(const char *name)
{
    return ends_with(name, ".jsonl") || ends_with(name, ".ndjson");
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool walk_dir(const char *dir, cli_inputs *in, bool jsonl, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return add(in, dir, NULL, strerror(errno), NULL, false);
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) {
                ok = false;
                break;
            }
            names = p;
        }
        if (!(names[n] = strdup(de->d_name))) {
            ok = false;
            break;
        }
        n++;
    }
    closedir(d);
    if (ok)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && ok; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(len);
        if (!path) {
            ok = false;
            break;
        }
        bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
        snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat st;
        bool wanted = ends_with(names[i], ".json") || ends_with(names[i], ".http") ||
                      is_jsonl_name(names[i]);
        if (lstat(path, &st) != 0) {
            if (wanted)
                ok = add(in, path, NULL, strerror(errno), NULL, false);
        } else if (S_ISLNK(st.st_mode)) {
            if (wanted)
                ok = add(in, path, NULL, NULL,
                         "a symbolic link inside a directory is not followed (name it to check it)",
                         false);
        } else if (S_ISDIR(st.st_mode)) {
            if (strcmp(names[i], ".git") != 0 && strcmp(names[i], "node_modules") != 0) {
                if (depth >= 64)
                    ok = add(in, path, NULL, "directory nesting deeper than 64 levels", NULL, false);
                else
                    ok = walk_dir(path, in, jsonl, depth + 1);
            }
        } else if (wanted) {
            if (!S_ISREG(st.st_mode))
                ok = add(in, path, NULL, "not a regular file", NULL, false);
            else
                ok = add(in, path, path, NULL, NULL, jsonl || is_jsonl_name(names[i]));
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return ok;
}

static bool excluded(const cli_options *o, const char *path)
{
    for (size_t i = 0; i < o->nexcludes; i++)
        if (cli_glob_matches_input(&o->excludes[i], path))
            return true;
    return false;
}

/* Leaves out the inputs an exclude glob matches, whether found in a directory or named on the
 * command line (pre-commit names every staged file). */
static void drop_excluded(const cli_options *o, cli_inputs *in)
{
    if (!o->nexcludes)
        return;
    size_t out = 0;
    for (size_t i = 0; i < in->n; i++) {
        cli_input *it = &in->items[i];
        if (excluded(o, it->path)) {
            free(it->path);
            free(it->open_path);
            free(it->problem);
        } else {
            in->items[out++] = *it;
        }
    }
    in->n = out;
}

static bool collect(const cli_options *o, cli_inputs *in);

bool cli_collect_inputs(const cli_options *o, cli_inputs *in)
{
    if (!collect(o, in))
        return false;
    drop_excluded(o, in);
    return true;
}

static bool collect(const cli_options *o, cli_inputs *in)
{
    memset(in, 0, sizeof *in);
    if (o->npaths == 0)
        return add(in, o->stdin_filename ? o->stdin_filename : "-", NULL, NULL, NULL, o->jsonl);
    for (size_t i = 0; i < o->npaths; i++) {
        const char *p = o->paths[i];
        if (strcmp(p, "-") == 0) {
            if (!add(in, o->stdin_filename ? o->stdin_filename : "-", NULL, NULL, NULL, o->jsonl))
                return false;
            continue;
        }
        struct stat st;
        if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!walk_dir(p, in, o->jsonl, 0))
                return false;
            continue;
        }
        /* Regular files are checked when read (the file may change in between). */
        if (!add(in, p, p, NULL, NULL, o->jsonl || is_jsonl_name(p)))
            return false;
    }
    return true;
}

void cli_inputs_free(cli_inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        free(in->items[i].path);
        free(in->items[i].open_path);
        free(in->items[i].problem);
    }
    free(in->items);
    memset(in, 0, sizeof *in);
}
