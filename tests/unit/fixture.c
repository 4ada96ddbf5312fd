/* fixture.c - the unit tests' private state root (see fixture.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "containr/util.h"
#include "fixture.h"

void unit_store_open(char root[UNIT_ROOT_MAX], struct ctr_store *st, const char *tag)
{
	struct ctr_err err;

	snprintf(root, UNIT_ROOT_MAX, "/tmp/containr-unit-%s.XXXXXX", tag);
	cr_assert_not_null(mkdtemp(root), "cannot create %s", root);
	cr_assert_eq(ctr_store_open(st, root, &err), 0, "%s", err.msg);
}

void unit_store_close(const char *root, struct ctr_store *st)
{
	struct ctr_err err;

	ctr_store_close(st);
	ctr_rm_rf(root, &err);
}
