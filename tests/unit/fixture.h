/*
 * fixture.h - the unit tests' private state root: a fresh temp directory
 * holding an open store, made before each test and removed after it.
 *   static char root[UNIT_ROOT_MAX];
 *   static struct ctr_store st;
 *   static void setup(void) { unit_store_open(root, &st, "mount"); }
 *   static void teardown(void) { unit_store_close(root, &st); }
 */
#ifndef CONTAINR_UNIT_FIXTURE_H
#define CONTAINR_UNIT_FIXTURE_H

#include "containr/store.h"

#define UNIT_ROOT_MAX 64

/* mkdtemp /tmp/containr-unit-TAG.XXXXXX into `root` and open a store there. */
void unit_store_open(char root[UNIT_ROOT_MAX], struct ctr_store *st, const char *tag);
/* Close the store and remove `root` with everything in it. */
void unit_store_close(const char *root, struct ctr_store *st);

#endif
