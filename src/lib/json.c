/*
 * json.c - the getters of json.h: typed, NULL-tolerant reads of cJSON
 * objects (missing or mistyped values read as absent).
 */
#include "lib/json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const cJSON *item(const cJSON *o, const char *k)
{
	return cJSON_IsObject(o) && k ? cJSON_GetObjectItemCaseSensitive(o, k) : NULL;
}

const char *ctr_json_str(const cJSON *o, const char *k)
{
	const cJSON *v = item(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *ctr_json_str_or(const cJSON *o, const char *k, const char *def)
{
	const char *s = ctr_json_str(o, k);

	return s ? s : def;
}

char *ctr_json_strdup(const cJSON *o, const char *k)
{
	const char *s = ctr_json_str(o, k);

	return s ? xstrdup(s) : NULL;
}

int64_t ctr_json_int(const cJSON *o, const char *k, int64_t def)
{
	const cJSON *v = item(o, k);
	double d;

	if (!cJSON_IsNumber(v) || isnan(v->valuedouble))
		return def;
	d = v->valuedouble;
	if (d >= 9223372036854775807.0)
		return INT64_MAX;
	if (d <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)d;
}

double ctr_json_num(const cJSON *o, const char *k, double def)
{
	const cJSON *v = item(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

bool ctr_json_bool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(item(o, k));
}

const cJSON *ctr_json_obj(const cJSON *o, const char *k)
{
	const cJSON *v = item(o, k);

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *ctr_json_arr(const cJSON *o, const char *k)
{
	const cJSON *v = item(o, k);

	return cJSON_IsArray(v) ? v : NULL;
}

void ctr_json_strv(const cJSON *o, const char *k, struct strv *out)
{
	const cJSON *a = k ? ctr_json_arr(o, k) : o, *it;

	if (!cJSON_IsArray(a))
		return;
	cJSON_ArrayForEach (it, a) {
		if (cJSON_IsString(it))
			strv_push(out, it->valuestring);
	}
}
