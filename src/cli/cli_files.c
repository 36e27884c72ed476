/* cli_files.c - from command-line paths to the list of inputs.
 *
 * Directories are searched recursively for *.json, *.http (captured requests), *.jsonl and
 * *.ndjson, in name order so that
 * output is the same on every machine. Symbolic links met inside a directory are not followed
 * (a link may loop or lead out of the tree; `find` behaves the same); paths named on the command
 * line are used as given. .git and node_modules are not entered. A named path with an input
 * file's name (x.json) is not looked at before it is read: should it be a directory, the worker
 * that opens it searches it then (cli_collect_dir), and its files are reported in its place, as
 * if it had been searched here. Up to STAT_BEFORE paths are looked at first all the same (a
 * few system calls, and a directory among them is searched here, its files shared among the
 * -j threads). Regular files found in a directory are known from readdir's entry type, without
 * an lstat. Inputs matching an exclude
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
        cli_input *p = cli_grow(in->items, &in->cap, sizeof *p, 64);
        if (!p)
            return false;
        in->items = p;
    }
    /* One block for the three texts (a file named on the command line opens as named). */
    bool same = open_path && strcmp(open_path, path) == 0;
    size_t a = strlen(path) + 1, b = open_path && !same ? strlen(open_path) + 1 : 0,
           c = problem ? strlen(problem) + 1 : 0;
    char *block = malloc(a + b + c);
    if (!block)
        return false;
    cli_input *it = &in->items[in->n];
    it->path = memcpy(block, path, a);
    it->open_path = same ? it->path : b ? memcpy(block + a, open_path, b) : NULL;
    it->problem = c ? memcpy(block + a + b, problem, c) : NULL;
    it->skip = skip;
    it->jsonl = jsonl;
    it->image = false;
    it->dir_unknown = false;
    in->n++;
    return true;
}

static void cli_input_free(cli_input *it)
{
    free(it->path);
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

/* What a directory search looks at: json, captured HTTP and JSON Lines files. */
static bool input_name(const char *name)
{
    return ends_with(name, ".json") || ends_with(name, ".http") || is_jsonl_name(name);
}

/* A directory entry: its name and what readdir said it is (DT_UNKNOWN: look). */
typedef struct entry {
    char *name;
    unsigned char type;
} entry;

static int cmp_entries(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* The type of an entry as lstat says it (S_IFREG, S_IFDIR, S_IFLNK, other); 0 and *err set
 * when lstat failed. A regular file that readdir says is one needs no lstat: opening it says
 * all lstat would (in a directory that can be listed but not searched both fail alike). The
 * rest, few, are looked at, so that such a directory is skipped as before. */
static mode_t entry_type(const char *path, unsigned char d_type, int *err)
{
    if (d_type == DT_REG)
        return S_IFREG;
    struct stat st;
    if (lstat(path, &st) != 0) {
        *err = errno;
        return 0;
    }
    return st.st_mode & S_IFMT;
}

/* An image input: a layout directory or an archive, checked whole. */
static bool add_image(cli_inputs *in, const char *path)
{
    if (!add(in, path, path, NULL, NULL, false))
        return false;
    in->items[in->n - 1].image = true;
    return true;
}

static bool walk_dir(const char *dir, cli_inputs *in, bool jsonl, int depth)
{
    if (ecrlint_image_sniff(dir) == ECRLINT_IMAGE_LAYOUT)
        return add_image(in, dir);
    DIR *d = opendir(dir);
    if (!d)
        return add(in, dir, NULL, strerror(errno), NULL, false);
    entry *names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            entry *p = cli_grow(names, &cap, sizeof *p, 32);
            if (!p) {
                ok = false;
                break;
            }
            names = p;
        }
        if (!(names[n].name = strdup(de->d_name))) {
            ok = false;
            break;
        }
        names[n++].type = de->d_type;
    }
    closedir(d);
    if (ok && n) /* an empty directory has no array: qsort must not be given NULL */
        qsort(names, n, sizeof *names, cmp_entries);
    for (size_t i = 0; i < n && ok; i++) {
        const char *name = names[i].name;
        size_t len = strlen(dir) + strlen(name) + 2;
        char *path = malloc(len);
        if (!path) {
            ok = false;
            break;
        }
        bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
        snprintf(path, len, "%s%s%s", dir, slash ? "" : "/", name);
        bool wanted = input_name(name);
        int err = 0;
        /* Only directories and wanted files matter: readdir's word is enough to leave out the
           rest without an lstat. */
        mode_t type = wanted || names[i].type == DT_DIR || names[i].type == DT_UNKNOWN
                          ? entry_type(path, names[i].type, &err)
                          : S_IFIFO;
        if (type == 0) {
            if (wanted)
                ok = add(in, path, NULL, strerror(err), NULL, false);
        } else if (type == S_IFLNK) {
            if (wanted)
                ok = add(in, path, NULL, NULL,
                         "a symbolic link inside a directory is not followed (name it to check it)",
                         false);
        } else if (type == S_IFDIR) {
            if (strcmp(name, ".git") != 0 && strcmp(name, "node_modules") != 0) {
                if (depth >= 64)
                    ok =
                        add(in, path, NULL, "directory nesting deeper than 64 levels", NULL, false);
                else
                    ok = walk_dir(path, in, jsonl, depth + 1);
            }
        } else if (wanted) {
            if (type != S_IFREG)
                ok = add(in, path, NULL, "not a regular file", NULL, false);
            else
                ok = add(in, path, path, NULL, NULL, jsonl || is_jsonl_name(name));
        }
        free(path);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i].name);
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
            cli_input_free(it);
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

/* Command-line paths looked at before checking starts when there are no more than this: the
 * system call saved per path matters for thousands of paths, not for a few. */
#define STAT_BEFORE 16

static bool collect(const cli_options *o, cli_inputs *in)
{
    memset(in, 0, sizeof *in);
    /* Standard input named *.jsonl with --stdin-filename is JSON Lines, as such a file is. */
    const char *stdin_name = o->stdin_filename ? o->stdin_filename : "-";
    bool stdin_jsonl = o->jsonl || (o->stdin_filename && is_jsonl_name(o->stdin_filename));
    if (o->npaths == 0)
        return add(in, stdin_name, NULL, NULL, NULL, stdin_jsonl);
    for (size_t i = 0; i < o->npaths; i++) {
        const char *p = o->paths[i];
        if (strcmp(p, "-") == 0) {
            if (!add(in, stdin_name, NULL, NULL, NULL, stdin_jsonl))
                return false;
            continue;
        }
        /* Among more than STAT_BEFORE paths, a name like an input file's is taken for one
           without a look (10,000 staged files, 10,000 system calls fewer); should it be a
           directory, it is searched when opened. Anything else is looked at now. Files are
           checked when read (they may change in between). */
        size_t plen = strlen(p);
        bool file_like = o->npaths > STAT_BEFORE && plen && p[plen - 1] != '/' && input_name(p);
        struct stat st;
        if (!file_like && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
            size_t before = in->n;
            if (!walk_dir(p, in, o->jsonl, 0))
                return false;
            /* A directory that yields nothing to check (empty, a mistyped CI path, everything
               excluded) is a usage error, as eslint makes it, unless --allow-empty. */
            bool any = false;
            for (size_t k = before; k < in->n && !any; k++)
                any = !excluded(o, in->items[k].path);
            if (!any && !o->allow_empty && !in->empty)
                in->empty = p;
            continue;
        }
        if (!file_like && !input_name(p) && ecrlint_image_sniff(p) == ECRLINT_IMAGE_ARCHIVE) {
            if (!add_image(in, p))
                return false;
            continue;
        }
        if (!add(in, p, p, NULL, NULL, o->jsonl || is_jsonl_name(p)))
            return false;
        in->items[in->n - 1].dir_unknown = file_like;
    }
    return true;
}

bool cli_collect_dir(const cli_options *o, const char *dir, cli_inputs *in)
{
    memset(in, 0, sizeof *in);
    if (!walk_dir(dir, in, o->jsonl, 0))
        return false;
    drop_excluded(o, in);
    return true;
}

void cli_inputs_free(cli_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        cli_input_free(&in->items[i]);
    free(in->items);
    memset(in, 0, sizeof *in);
}
