/* template.c - message templates: split once, where their pack is loaded, into literal runs and
 * {name} placeholders (expansion, in src/lib/check/, then joins parts without searching). */
#include <string.h>

#include "rules/el_pack.h"
#include "rules/el_rules.h"
#include "util/el_alloc.h"

ecrlint_status el_tpl_compile(const char *tpl, el_tpl *out)
{
    out->parts = NULL;
    out->n = 0;
    if (!tpl || !*tpl)
        return ECRLINT_OK;
    size_t cap = 1; /* parts: at most one per '{', and one more for each literal run */
    for (const char *q = strchr(tpl, '{'); q; q = strchr(q + 1, '{'))
        cap += 2;
    el_tpl_part *parts = el_malloc(cap * sizeof *parts);
    if (!parts)
        return ECRLINT_ERR_NOMEM;
    size_t n = 0;
    const char *p = tpl;
    while (*p) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open + 1, '}') : NULL;
        if (!close) {
            parts[n++] = (el_tpl_part){p, strlen(p), false};
            break;
        }
        if (open > p)
            parts[n++] = (el_tpl_part){p, (size_t)(open - p), false};
        parts[n++] = (el_tpl_part){open, (size_t)(close - open + 1), true};
        p = close + 1;
    }
    out->parts = parts;
    out->n = n;
    return ECRLINT_OK;
}

void el_tpl_free(el_tpl *t)
{
    el_free((void *)t->parts);
    t->parts = NULL;
    t->n = 0;
}

bool el_tpl_var_name(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

bool el_tpl_uses(const el_tpl *t, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < t->n; i++) {
        const el_tpl_part *p = &t->parts[i];
        if (p->var && p->len == n + 2 && memcmp(p->text + 1, name, n) == 0)
            return true;
    }
    return false;
}
