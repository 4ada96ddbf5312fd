/*
 * capture.c - stderr goes to a memory file while curses owns the screen.
 *
 * Library warnings and the dispatcher's "containr: …" errors would scribble
 * over the display; instead fd 2 points at a memfd.  The dashboard shows
 * each new piece in the status line (ui_capture_take) and, on exit, the
 * whole capture is replayed on the real stderr, as htop does.
 */
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "containr/util.h"
#include "ui.h"

int ui_capture_start(struct ui_capture *c)
{
	c->off = 0;
	c->saved_fd = -1;
	c->mem_fd = memfd_create("containr-stderr", MFD_CLOEXEC);
	if (c->mem_fd < 0)
		return -1;
	fflush(stderr);
	c->saved_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (c->saved_fd < 0 || dup2(c->mem_fd, STDERR_FILENO) < 0) {
		close(c->mem_fd);
		c->mem_fd = -1;
		return -1;
	}
	return 0;
}

char *ui_capture_take(struct ui_capture *c)
{
	struct stat st;
	struct strbuf sb;
	char buf[4096];

	strbuf_init(&sb);
	if (c->mem_fd < 0)
		return strbuf_detach(&sb);
	fflush(stderr);
	if (fstat(c->mem_fd, &st) < 0)
		return strbuf_detach(&sb);
	while (c->off < st.st_size) {
		ssize_t n = pread(c->mem_fd, buf, sizeof buf, c->off);
		if (n <= 0)
			break;
		strbuf_add(&sb, buf, (size_t)n);
		c->off += n;
	}
	return strbuf_detach(&sb);
}

void ui_capture_suspend(struct ui_capture *c)
{
	fflush(stderr);
	if (c->saved_fd >= 0)
		dup2(c->saved_fd, STDERR_FILENO);
}

void ui_capture_resume(struct ui_capture *c)
{
	fflush(stderr);
	if (c->mem_fd >= 0)
		dup2(c->mem_fd, STDERR_FILENO);
}

void ui_capture_stop(struct ui_capture *c)
{
	char buf[4096];
	off_t off = 0;
	ssize_t n;

	if (c->mem_fd < 0)
		return;
	fflush(stderr);
	dup2(c->saved_fd, STDERR_FILENO);
	close(c->saved_fd);
	while ((n = pread(c->mem_fd, buf, sizeof buf, off)) > 0) {
		if (write(STDERR_FILENO, buf, (size_t)n) < 0)
			break;
		off += n;
	}
	close(c->mem_fd);
	c->mem_fd = c->saved_fd = -1;
}
