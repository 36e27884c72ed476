/* client.c - botocore's parameter validation and the AWS CLI's reading of --cli-input-json
 * (client/el_client.h).
 *
 * The facts reproduced here, from botocore's validate.py (ParamValidator, ValidationErrors) and
 * the AWS CLI v2's --cli-input-json argument (https://github.com/boto/botocore,
 * https://github.com/aws/aws-cli):
 *
 *   - The parameters are what Python's json module makes of the file: objects are dicts,
 *     arrays lists, strings str, numbers without fraction or exponent int, other numbers
 *     float, true and false bool (a subclass of int: accepted where an integer is), null None.
 *   - A structure reports its missing required members first (in the model's "required"
 *     order; a member present as null is not missing), then its unknown members (in the
 *     input's order, with every member of the shape), then validates its known members in the
 *     input's order. A list checks its size, then each item; a map each key, then each value.
 *   - Types: structure and map take dict; list list or tuple; string str; blob str (bytes,
 *     bytearray, file objects from Python); integer and long int; double and float float,
 *     Decimal or int; boolean bool. A value of the wrong type is reported and not looked into.
 *   - "min" is checked for string lengths (code points), list sizes and numbers ("value <
 *     min", with Python's comparison); maps, blobs and every "max", "pattern" and "enum" are
 *     not checked.
 *   - Values appear in messages as str() shows them: a string as it is, everything else as
 *     repr() writes it (None, True, 1.0, 1e+16, ['a', "it's"], {'k': 1}).
 *
 * Not reproduced (documented in the README): repr() escapes code points Unicode leaves
 * unassigned, which are written here as they are; a number beyond jansson's range (an integer
 * of more than 64 bits, 1e400) is seen as +-1e308 (rules of ECR0001's relaxed parse), while
 * Python keeps the integer or makes inf; NaN and Infinity, which Python's json module accepts,
 * are invalid JSON here. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/el_client.h"

/* Cuts b back to its first len bytes. */
static void cut(el_buf *b, size_t len)
{
    b->len = len;
    if (b->data)
        b->data[len] = '\0';
}

const el_client_op *el_client_op_find(const char *name)
{
    for (size_t i = 0; name && i < el_client_nops; i++)
        if (strcmp(el_client_ops[i].name, name) == 0)
            return &el_client_ops[i];
    return NULL;
}

/* ---- Python's str() and repr() of the values JSON makes ----------------------------------- */

/* Code points Python's str.isprintable() is false for beyond ASCII: the Unicode categories
 * Cc, Cf, Cs, Co, Zl, Zp and Zs (but the space), in Unicode 14 (Python 3.11's database); see
 * https://docs.python.org/3/library/stdtypes.html#str.isprintable and
 * https://www.unicode.org/reports/tr44/#General_Category_Values. Unassigned code points (Cn)
 * are not listed. */
static const unsigned long nonprintable[][2] = {
    {0x80, 0xA0},       {0xAD, 0xAD},       {0x600, 0x605},      {0x61C, 0x61C},
    {0x6DD, 0x6DD},     {0x70F, 0x70F},     {0x890, 0x891},      {0x8E2, 0x8E2},
    {0x1680, 0x1680},   {0x180E, 0x180E},   {0x2000, 0x200F},    {0x2028, 0x202F},
    {0x205F, 0x2064},   {0x2066, 0x206F},   {0x3000, 0x3000},    {0xD800, 0xF8FF},
    {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},   {0x110BD, 0x110BD},  {0x110CD, 0x110CD},
    {0x13430, 0x13438}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},  {0xE0001, 0xE0001},
    {0xE0020, 0xE007F}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD}};

static bool printable(unsigned long c)
{
    for (size_t i = 0; i < sizeof nonprintable / sizeof nonprintable[0]; i++)
        if (c >= nonprintable[i][0] && c <= nonprintable[i][1])
            return false;
    return true;
}

/* Decodes one UTF-8 sequence of s[0..len) (jansson's strings are valid UTF-8); returns its
 * length and sets *cp. */
static size_t utf8_next(const unsigned char *s, size_t len, unsigned long *cp)
{
    unsigned char c = s[0];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > len)
        n = len;
    unsigned long v = n == 1 ? c : n == 2 ? c & 0x1Fu : n == 3 ? c & 0x0Fu : c & 0x07u;
    for (size_t i = 1; i < n; i++)
        v = v << 6 | (s[i] & 0x3Fu);
    *cp = v;
    return n;
}

/* Python's len() of a str, its code points, counted up to `enough`: a length check needs the
 * whole count only when the string is shorter than its minimum. */
static size_t code_points(const char *s, size_t len, size_t enough)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n < enough; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* repr() of a str. */
static void repr_str(el_buf *b, const char *s, size_t len)
{
    bool sq = memchr(s, '\'', len) != NULL, dq = memchr(s, '"', len) != NULL;
    char quote = sq && !dq ? '"' : '\'';
    el_buf_putc(b, quote);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned long c;
        size_t n = utf8_next(u + i, len - i, &c);
        if (c == (unsigned long)quote || c == '\\') {
            el_buf_putc(b, '\\');
            el_buf_putc(b, (char)c);
        } else if (c == '\t') {
            el_buf_puts(b, "\\t");
        } else if (c == '\n') {
            el_buf_puts(b, "\\n");
        } else if (c == '\r') {
            el_buf_puts(b, "\\r");
        } else if (c < 0x20 || c == 0x7F) {
            el_buf_printf(b, "\\x%02lx", c);
        } else if (c < 0x7F || printable(c)) {
            el_buf_append(b, s + i, n);
        } else if (c <= 0xFF) {
            el_buf_printf(b, "\\x%02lx", c);
        } else if (c <= 0xFFFF) {
            el_buf_printf(b, "\\u%04lx", c);
        } else {
            el_buf_printf(b, "\\U%08lx", c);
        }
        i += n;
    }
    el_buf_putc(b, quote);
}

/* repr() of a float: the shortest digits that read back as the same double, written fixed
 * when the decimal exponent is in [-4, 16) and with an exponent otherwise (1e+16, 1e-05). */
static void repr_float(el_buf *b, double x)
{
    if (isnan(x)) {
        el_buf_puts(b, "nan");
        return;
    }
    if (isinf(x)) {
        el_buf_puts(b, x < 0 ? "-inf" : "inf");
        return;
    }
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
        if (strtod(tmp, NULL) == x)
            break;
    }
    /* tmp: [-]d[.ddd]e[+-]xx */
    const char *s = tmp;
    if (*s == '-') {
        el_buf_putc(b, '-');
        s++;
    }
    char digits[24];
    size_t nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.' && nd < sizeof digits - 1)
            digits[nd++] = *s;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
    long exp = *s == 'e' ? strtol(s + 1, NULL, 10) : 0;
    if (digits[0] == '0')
        exp = 0; /* zero */
    long decpt = exp + 1;
    if (decpt > -4 && decpt <= 16) {
        if (decpt <= 0) {
            el_buf_puts(b, "0.");
            for (long i = 0; i < -decpt; i++)
                el_buf_putc(b, '0');
            el_buf_append(b, digits, nd);
        } else if ((size_t)decpt >= nd) {
            el_buf_append(b, digits, nd);
            for (size_t i = nd; i < (size_t)decpt; i++)
                el_buf_putc(b, '0');
            el_buf_puts(b, ".0");
        } else {
            el_buf_append(b, digits, (size_t)decpt);
            el_buf_putc(b, '.');
            el_buf_append(b, digits + decpt, nd - (size_t)decpt);
        }
    } else {
        el_buf_putc(b, digits[0]);
        if (nd > 1) {
            el_buf_putc(b, '.');
            el_buf_append(b, digits + 1, nd - 1);
        }
        el_buf_printf(b, "e%c%02ld", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
}

static void repr(el_buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        el_buf_putc(b, '{');
        const char *k;
        size_t klen;
        json_t *m;
        bool first = true;
        json_object_keylen_foreach((json_t *)v, k, klen, m)
        {
            if (!first)
                el_buf_puts(b, ", ");
            first = false;
            repr_str(b, k, klen);
            el_buf_puts(b, ": ");
            repr(b, m);
        }
        el_buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY:
        el_buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                el_buf_puts(b, ", ");
            repr(b, json_array_get(v, i));
        }
        el_buf_putc(b, ']');
        break;
    case JSON_STRING:
        repr_str(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        el_buf_printf(b, "%lld", (long long)json_integer_value(v));
        break;
    case JSON_REAL:
        repr_float(b, json_real_value(v));
        break;
    case JSON_TRUE:
        el_buf_puts(b, "True");
        break;
    case JSON_FALSE:
        el_buf_puts(b, "False");
        break;
    case JSON_NULL:
        el_buf_puts(b, "None");
        break;
    }
}

/* str() of a value: a string as it is, anything else as repr(). */
static void str(el_buf *b, const json_t *v)
{
    if (json_is_string(v))
        el_buf_append(b, json_string_value(v), json_string_length(v));
    else
        repr(b, v);
}

/* type() of a value, as Python prints it. */
static const char *py_type(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "<class 'dict'>";
    case JSON_ARRAY:
        return "<class 'list'>";
    case JSON_STRING:
        return "<class 'str'>";
    case JSON_INTEGER:
        return "<class 'int'>";
    case JSON_REAL:
        return "<class 'float'>";
    case JSON_TRUE:
    case JSON_FALSE:
        return "<class 'bool'>";
    case JSON_NULL:
        break;
    }
    return "<class 'NoneType'>";
}

/* ---- ParamValidator ------------------------------------------------------------------------ */

typedef struct validation {
    el_buf *out;
    el_buf name; /* the parameter's name as botocore builds it: ".imageIds[0].imageTag" */
    size_t problems;
    bool one_line; /* problems separated by "; " instead of botocore's new lines */
} validation;

/* Starts a report line. */
static void line(validation *va, const char *text)
{
    if (va->problems++)
        el_buf_puts(va->out, va->one_line ? "; " : "\n");
    el_buf_puts(va->out, text);
}

/* The parameter's name, as ValidationErrors._get_name writes it. */
static void put_name(validation *va)
{
    const char *n = va->name.data ? va->name.data : "";
    el_buf_puts(va->out, !*n ? "input" : *n == '.' ? n + 1 : n);
}

static void invalid_type(validation *va, const json_t *v, const char *valid)
{
    line(va, "Invalid type for parameter ");
    put_name(va);
    el_buf_puts(va->out, ", value: ");
    str(va->out, v);
    el_buf_puts(va->out, ", type: ");
    el_buf_puts(va->out, py_type(v));
    el_buf_puts(va->out, ", valid types: ");
    el_buf_puts(va->out, valid);
}

static void invalid_length(validation *va, const el_client_shape *s, size_t n)
{
    if (!s->has_min || (long long)n >= s->min)
        return;
    line(va, "Invalid length for parameter ");
    put_name(va);
    el_buf_printf(va->out, ", value: %zu, valid min length: %lld", n, s->min);
}

/* range_check of a number (int, bool or float) against the shape's min. */
static void invalid_range(validation *va, const el_client_shape *s, const json_t *v)
{
    if (!s->has_min)
        return;
    bool below;
    if (json_is_real(v))
        below = json_real_value(v) < (double)s->min;
    else if (json_is_integer(v))
        below = json_integer_value(v) < s->min;
    else
        below = (json_is_true(v) ? 1 : 0) < s->min;
    if (!below)
        return;
    line(va, "Invalid value for parameter ");
    put_name(va);
    el_buf_puts(va->out, ", value: ");
    str(va->out, v);
    el_buf_printf(va->out, ", valid min value: %lld", s->min);
}

static void validate(validation *va, const json_t *v, unsigned shape);

/* The index of s's member named k (klen bytes, which may hold a NUL), or -1. Most members
 * differ from the key in their first byte. */
static long member_of(const el_client_shape *s, const char *k, size_t klen)
{
    for (size_t i = 0; i < s->nmembers; i++) {
        const char *name = s->members[i].name;
        if (klen == 0 ? name[0] != '\0' : name[0] != k[0])
            continue;
        size_t j = 0;
        while (j < klen && name[j] && name[j] == k[j])
            j++;
        if (j == klen && name[klen] == '\0')
            return (long)i;
    }
    return -1;
}

/* Up to this many members of an object, the first pass keeps which member each key is. */
#define FEW_MEMBERS 32

static void validate_structure(validation *va, const json_t *v, const el_client_shape *s)
{
    for (size_t i = 0; i < s->nrequired; i++) {
        if (json_object_get(v, s->required[i]))
            continue;
        line(va, "Missing required parameter in ");
        put_name(va);
        el_buf_puts(va->out, ": \"");
        el_buf_puts(va->out, s->required[i]);
        el_buf_putc(va->out, '"');
    }
    /* botocore reports every unknown member before it looks into the known ones */
    long found[FEW_MEMBERS];
    size_t n = 0;
    const char *k;
    size_t klen;
    json_t *m;
    json_object_keylen_foreach((json_t *)v, k, klen, m)
    {
        long i = member_of(s, k, klen);
        if (n < FEW_MEMBERS)
            found[n] = i;
        n++;
        if (i >= 0)
            continue;
        line(va, "Unknown parameter in ");
        put_name(va);
        el_buf_puts(va->out, ": \"");
        el_buf_append(va->out, k, klen);
        el_buf_puts(va->out, "\", must be one of: ");
        for (size_t j = 0; j < s->nmembers; j++) {
            if (j)
                el_buf_puts(va->out, ", ");
            el_buf_puts(va->out, s->members[j].name);
        }
    }
    n = 0;
    json_object_keylen_foreach((json_t *)v, k, klen, m)
    {
        long i = n < FEW_MEMBERS ? found[n] : member_of(s, k, klen);
        n++;
        if (i < 0)
            continue;
        size_t mark = va->name.len;
        el_buf_putc(&va->name, '.');
        el_buf_append(&va->name, k, klen);
        validate(va, m, s->members[i].shape);
        cut(&va->name, mark);
    }
}

static void validate(validation *va, const json_t *v, unsigned shape)
{
    const el_client_shape *s = &el_client_shapes[shape];
    size_t mark = va->name.len;
    switch (s->type) {
    case EL_CT_STRUCTURE:
        if (!json_is_object(v))
            invalid_type(va, v, "<class 'dict'>");
        else
            validate_structure(va, v, s);
        break;
    case EL_CT_LIST:
        if (!json_is_array(v)) {
            invalid_type(va, v, "<class 'list'>, <class 'tuple'>");
            break;
        }
        invalid_length(va, s, json_array_size(v));
        for (size_t i = 0; i < json_array_size(v); i++) {
            el_buf_putc(&va->name, '[');
            el_buf_put_uint(&va->name, i);
            el_buf_putc(&va->name, ']');
            validate(va, json_array_get(v, i), s->member);
            cut(&va->name, mark);
        }
        break;
    case EL_CT_MAP: {
        if (!json_is_object(v)) {
            invalid_type(va, v, "<class 'dict'>");
            break;
        }
        const char *k;
        size_t klen;
        json_t *m;
        json_object_keylen_foreach((json_t *)v, k, klen, m)
        {
            el_buf_puts(&va->name, " (key: ");
            el_buf_append(&va->name, k, klen);
            el_buf_putc(&va->name, ')');
            json_t *key = json_stringn_nocheck(k, klen);
            if (key)
                validate(va, key, s->key);
            else
                va->out->failed = true;
            json_decref(key);
            cut(&va->name, mark);
            el_buf_putc(&va->name, '.');
            el_buf_append(&va->name, k, klen);
            validate(va, m, s->value);
            cut(&va->name, mark);
        }
        break;
    }
    case EL_CT_STRING:
        if (!json_is_string(v))
            invalid_type(va, v, "<class 'str'>");
        else if (s->has_min && s->min > 0)
            invalid_length(
                va, s, code_points(json_string_value(v), json_string_length(v), (size_t)s->min));
        break;
    case EL_CT_BLOB:
        if (!json_is_string(v))
            invalid_type(va, v, "<class 'bytes'>, <class 'bytearray'>, file-like object");
        break;
    case EL_CT_INTEGER:
    case EL_CT_LONG:
        if (!json_is_integer(v) && !json_is_boolean(v))
            invalid_type(va, v, "<class 'int'>");
        else
            invalid_range(va, s, v);
        break;
    case EL_CT_DOUBLE:
        if (!json_is_number(v) && !json_is_boolean(v))
            invalid_type(va, v, "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>");
        else
            invalid_range(va, s, v);
        break;
    case EL_CT_BOOLEAN:
        if (!json_is_boolean(v))
            invalid_type(va, v, "<class 'bool'>");
        break;
    default:
        break;
    }
}

bool el_client_validate(const el_client_op *op, const json_t *params, bool one_line, el_buf *out)
{
    if (op->input < 0)
        return false;
    validation va = {.out = out, .problems = 0, .one_line = one_line};
    el_buf_init(&va.name);
    el_buf_puts(&va.name, "");
    validate(&va, params, (unsigned)op->input);
    if (va.name.failed)
        out->failed = true;
    el_buf_free(&va.name);
    return va.problems > 0;
}

/* ---- the AWS CLI's --cli-input-json ------------------------------------------------------- */

/* Strict UTF-8, as Python's codec decodes it: no overlong forms, no surrogates, at most
 * U+10FFFF. */
static bool utf8_valid(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint64_t w;
        if (len - i >= 8 && (memcpy(&w, s + i, 8), !(w & UINT64_C(0x8080808080808080)))) {
            i += 8; /* eight ASCII bytes: most JSON is */
            continue;
        }
        unsigned char c = s[i];
        size_t n;
        unsigned long min, cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            n = 2, min = 0x80, cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3, min = 0x800, cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4, min = 0x10000, cp = c & 0x07u;
        } else {
            return false;
        }
        if (len - i < n)
            return false;
        for (size_t k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n;
    }
    return true;
}

bool el_client_check(const el_client_op *op, const char *path, const char *text, size_t len,
                     const json_t *root, bool record, bool one_line, el_buf *out)
{
    if (!utf8_valid((const unsigned char *)text, len)) {
        el_buf_puts(out, "Error parsing parameter '--cli-input-json': Unable to load paramfile (");
        el_buf_puts(out, path ? path : "-");
        el_buf_puts(out, "), text contents could not be decoded.  If this is a binary file, "
                         "please use the fileb:// prefix instead of the file:// prefix.");
        return true;
    }
    /* Python's json.loads refuses a byte-order mark ("Unexpected UTF-8 BOM") */
    if (!root || (!record && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)) {
        el_buf_puts(out, "Error parsing parameter 'cli-input-json': Invalid JSON received.");
        return true;
    }
    if (!record && !json_is_object(root)) {
        el_buf_puts(out, "Error parsing parameter '--cli-input-json': Invalid type: expecting "
                         "map, received ");
        el_buf_puts(out, py_type(root));
        return true;
    }
    size_t mark = out->len;
    el_buf_puts(out, one_line ? "Parameter validation failed: " : "Parameter validation failed:\n");
    if (el_client_validate(op, root, one_line, out))
        return true;
    cut(out, mark);
    return false;
}
