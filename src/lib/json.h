/*
 * json.h - reading values out of parsed JSON (cJSON) records: the one set of
 * getters the engine, the CLI and the dashboard use for the store's files,
 * image configs, manifests and `info`/`version` objects.
 *
 * Contract, for every getter: `o` may be NULL or not an object, the key may
 * be missing or hold a value of another type; each case reads as "absent"
 * (NULL, the default, false), never as an error.  Keys are case-sensitive,
 * as the files are written by us or by the OCI/Docker specs.  Returned
 * pointers point into `o` and live as long as it does, except
 * ctr_json_strdup() and ctr_json_strv(), which copy.
 */
#ifndef CONTAINR_LIB_JSON_H
#define CONTAINR_LIB_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "containr/util.h"

/* The string at o[k], or NULL. */
const char *ctr_json_str(const cJSON *o, const char *k);
/* The string at o[k], or `def` when absent (`def` may be "" or NULL). */
const char *ctr_json_str_or(const cJSON *o, const char *k, const char *def);
/* A heap copy of the string at o[k] (free()), or NULL. */
char *ctr_json_strdup(const cJSON *o, const char *k);
/* The number at o[k] truncated towards zero and clamped to int64, or `def`. */
int64_t ctr_json_int(const cJSON *o, const char *k, int64_t def);
/* The number at o[k], or `def`. */
double ctr_json_num(const cJSON *o, const char *k, double def);
/* true only for a JSON true at o[k]. */
bool ctr_json_bool(const cJSON *o, const char *k);
/* The object at o[k], or NULL (also when o[k] is another type). */
const cJSON *ctr_json_obj(const cJSON *o, const char *k);
/* The array at o[k], or NULL. */
const cJSON *ctr_json_arr(const cJSON *o, const char *k);
/*
 * Append the strings of the array o[k] to `out`, skipping other elements;
 * with k NULL, `o` is the array.  Nothing appended when there is no array.
 */
void ctr_json_strv(const cJSON *o, const char *k, struct strv *out);
#endif
