/* cli_request.c - --request FILE: the accepted media types of a BatchGetImage request, so that a
 * manifest can be checked against the request that will fetch it. */
#include <jansson.h>
#include <string.h>

#include "cli.h"

bool cli_load_request_accept(cli_options *o, const char *path, void **doc, FILE *err)
{
    json_error_t jerr;
    json_t *req = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!req) {
        if (jerr.line > 0) /* a syntax error has a place; a file that cannot be read has none */
            cli_errorf(err, "%s:%d:%d: --request: %s", path, jerr.line, jerr.column, jerr.text);
        else
            cli_errorf(err, "%s: --request: %s", path, jerr.text);
        return false;
    }
    *doc = req;
    json_t *types = json_object_get(req, "acceptedMediaTypes");
    if (!json_is_object(req) || !json_object_get(req, "imageIds")) {
        cli_errorf(err, "%s: --request: not a BatchGetImage request (no imageIds)", path);
        return false;
    }
    if (!types) {
        cli_errorf(err,
                   "%s: --request: the request has no acceptedMediaTypes, so ECR returns "
                   "the manifest as stored",
                   path);
        return true;
    }
    if (!json_is_array(types)) {
        cli_errorf(err, "%s: --request: acceptedMediaTypes is not a list", path);
        return false;
    }
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t)
    {
        if (!json_is_string(t)) {
            cli_errorf(err, "%s: --request: acceptedMediaTypes[%zu] is not a string", path, i);
            return false;
        }
        if (o->naccept >= CLI_MAX_ACCEPT) {
            cli_errorf(err, "%s: --request: more than %d accepted types", path, CLI_MAX_ACCEPT);
            return false;
        }
        o->accept[o->naccept++] = json_string_value(t);
    }
    return true;
}
