/* test_json.c - the cJSON getters of src/lib/json.h: typed, absent-tolerant. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "lib/json.h"

static const char *doc = "{\"s\":\"x\",\"e\":\"\",\"n\":42.9,\"neg\":-3,\"big\":1e300,"
                         "\"t\":true,\"f\":false,\"o\":{\"k\":\"v\"},\"a\":[\"1\",2,\"3\",null],"
                         "\"nul\":null}";

Test(json, getters_read_typed_values_and_absent_as_default)
{
	cJSON *j = cJSON_Parse(doc);
	cr_assert_not_null(j);

	cr_assert_str_eq(ctr_json_str(j, "s"), "x");
	cr_assert_str_eq(ctr_json_str(j, "e"), "");
	cr_assert_null(ctr_json_str(j, "n"), "a number is not a string");
	cr_assert_null(ctr_json_str(j, "missing"));
	cr_assert_null(ctr_json_str(j, "S"), "keys are case-sensitive");
	cr_assert_str_eq(ctr_json_str_or(j, "missing", "d"), "d");
	cr_assert_str_eq(ctr_json_str_or(j, "s", "d"), "x");

	char *d = ctr_json_strdup(j, "s");
	cr_assert_str_eq(d, "x");
	free(d);
	cr_assert_null(ctr_json_strdup(j, "nul"));

	cr_assert_eq(ctr_json_int(j, "n", -1), 42, "truncated towards zero");
	cr_assert_eq(ctr_json_int(j, "neg", 0), -3);
	cr_assert_eq(ctr_json_int(j, "big", 0), INT64_MAX, "clamped");
	cr_assert_eq(ctr_json_int(j, "s", 7), 7);
	cr_assert_float_eq(ctr_json_num(j, "n", 0), 42.9, 1e-9);
	cr_assert_float_eq(ctr_json_num(j, "t", 1.5), 1.5, 1e-9);

	cr_assert(ctr_json_bool(j, "t"));
	cr_assert(!ctr_json_bool(j, "f"));
	cr_assert(!ctr_json_bool(j, "s"));
	cr_assert(!ctr_json_bool(j, "missing"));

	cr_assert_str_eq(ctr_json_str(ctr_json_obj(j, "o"), "k"), "v");
	cr_assert_null(ctr_json_obj(j, "a"));
	cr_assert_not_null(ctr_json_arr(j, "a"));
	cr_assert_null(ctr_json_arr(j, "o"));

	struct strv sv = {0};
	ctr_json_strv(j, "a", &sv);
	cr_assert_eq(sv.n, 2, "non-strings are skipped");
	cr_assert_str_eq(sv.v[0], "1");
	cr_assert_str_eq(sv.v[1], "3");
	ctr_json_strv(ctr_json_arr(j, "a"), NULL, &sv);
	cr_assert_eq(sv.n, 4, "k NULL: o is the array");
	ctr_json_strv(j, "o", &sv);
	cr_assert_eq(sv.n, 4, "not an array: nothing appended");
	strv_release(&sv);

	/* NULL and non-objects read as absent */
	cr_assert_null(ctr_json_str(NULL, "s"));
	cr_assert_null(ctr_json_str(ctr_json_arr(j, "a"), "s"));
	cr_assert_eq(ctr_json_int(NULL, "n", 5), 5);
	cr_assert(!ctr_json_bool(NULL, "t"));
	cr_assert_null(ctr_json_obj(NULL, "o"));
	cJSON_Delete(j);
}
