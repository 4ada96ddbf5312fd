/*
 * blobs.c - parallel layer download with curl multi.
 *
 * Up to opts.max_parallel layer blobs are in flight.  Every chunk that
 * arrives goes straight into two writers of the image store: the blob
 * writer (temp file hashed with SHA-256, renamed into blobs/ only when the
 * digest matches) and the layer writer (decompressed, hashed for the
 * diff_id and extracted on the fly into a temp dir, renamed into layers/
 * only when the diff_id matches).  The blob digest is checked first, so a
 * corrupted blob is reported as E_DIGEST even when it also broke the
 * decompressor.  A transfer that fails transiently is restarted from
 * scratch (writers discarded) at most 3 times; a 401 (expired token)
 * renews the token and restarts.  Any fatal error stops every transfer and
 * discards every temp file.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "containr/log.h"
#include "registry/pull_int.h"

#define MAX_ATTEMPTS     3
#define ERRBODY_MAX      65536
#define EMIT_INTERVAL_NS 100000000LL

struct xfer {
	struct pull *p;
	int idx;
	CURL *h;
	struct curl_slist *hdrs;
	struct ctr_blob_writer *bw;
	struct ctr_layer_writer *lw;
	bool lw_failed;
	struct ctr_err lw_err;
	bool w_failed;
	struct ctr_err w_err;
	int64_t got;
	int attempts;
	long status;
	bool status_known;
	struct strbuf errbody;
	char *www_auth;
	int64_t last_emit;
	char ebuf[CURL_ERROR_SIZE];
	enum { X_TODO, X_RUNNING, X_DONE, X_SKIP } state;
};

static size_t xfer_header(char *b, size_t sz, size_t n, void *ud)
{
	struct xfer *x = ud;
	size_t len = sz * n;

	if (len > 5 && strncmp(b, "HTTP/", 5) == 0) {
		free(x->www_auth);
		x->www_auth = NULL;
	} else if (len > 17 && strncasecmp(b, "www-authenticate:", 17) == 0) {
		size_t vl = len - 17;
		const char *v = b + 17;
		while (vl && (*v == ' ' || *v == '\t')) {
			v++;
			vl--;
		}
		while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' '))
			vl--;
		free(x->www_auth);
		x->www_auth = xstrndup(v, vl);
	}
	return len;
}

/*
 * Bandwidth cap for the whole pull ($CONTAINR_PULL_RATE_LIMIT): sleep in the
 * write callback until the bytes stored so far are within the budget
 * (curl's own limit lets a fast loopback transfer through in one burst).
 */
static void throttle(struct pull *p, size_t len)
{
	if (p->rate_limit <= 0)
		return;
	int64_t now = ctr_mono_ns();
	if (!p->rate_start)
		p->rate_start = now;
	p->rate_bytes += (int64_t)len;
	int64_t due =
	    p->rate_start + (int64_t)((double)p->rate_bytes * 1e9 / (double)p->rate_limit);
	if (due > now) {
		int64_t ns = due - now > 1000000000LL ? 1000000000LL : due - now;
		struct timespec ts = {ns / 1000000000LL, ns % 1000000000LL};
		nanosleep(&ts, NULL);
	}
}

static size_t xfer_write(char *buf, size_t sz, size_t n, void *ud)
{
	struct xfer *x = ud;
	struct reg_descriptor *d = &x->p->m.layers[x->idx];
	size_t len = sz * n;

	if (x->p->opts.interrupted && *x->p->opts.interrupted) {
		/* curl may stay in one perform call for a whole blob: stop here. */
		x->w_failed = true;
		ctr_fail(&x->w_err, E_INTERRUPTED, "pull of %s interrupted", x->p->display);
		return 0;
	}
	if (!x->status_known) {
		curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &x->status);
		x->status_known = true;
	}
	if (x->status != 200) {
		if (x->errbody.len < ERRBODY_MAX)
			strbuf_add(&x->errbody, buf, len);
		return len;
	}
	if (x->got + (int64_t)len > d->size) {
		x->w_failed = true;
		ctr_fail(&x->w_err, E_DIGEST,
		         "layer %s: the registry sent more than the %lld bytes the manifest lists",
		         d->digest, (long long)d->size);
		return 0;
	}
	if (ctr_blob_writer_write(x->bw, buf, len, &x->w_err) < 0) {
		x->w_failed = true;
		return 0;
	}
	if (!x->lw_failed && ctr_layer_writer_write(x->lw, buf, len, &x->lw_err) < 0) {
		/* Keep hashing the blob: a corrupt blob must be reported as such. */
		x->lw_failed = true;
		ctr_layer_writer_abort(x->lw);
		x->lw = NULL;
	}
	x->got += (int64_t)len;
	throttle(x->p, len);
	int64_t now = ctr_mono_ns();
	if (now - x->last_emit >= EMIT_INTERVAL_NS || x->got == d->size) {
		x->last_emit = now;
		pull_emit(x->p, CTR_PULL_LAYER_PROGRESS, x->idx, d->digest, x->got, d->size);
	}
	return len;
}

static void xfer_reset(CURLM *m, struct xfer *x)
{
	if (x->h) {
		curl_multi_remove_handle(m, x->h);
		curl_easy_cleanup(x->h);
		x->h = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	ctr_blob_writer_abort(x->bw);
	x->bw = NULL;
	ctr_layer_writer_abort(x->lw);
	x->lw = NULL;
	x->lw_failed = x->w_failed = false;
	x->got = 0;
	x->status = 0;
	x->status_known = false;
	strbuf_reset(&x->errbody);
	free(x->www_auth);
	x->www_auth = NULL;
}

static int xfer_start(CURLM *m, struct xfer *x, struct ctr_err *err)
{
	struct pull *p = x->p;
	struct reg_descriptor *d = &p->m.layers[x->idx];
	struct ctr_layer_opts lo = {.expected_diffid = p->diff_ids[x->idx], .store_tar = false};

	if (reg_auth_refresh(&p->cl, err) < 0)
		return -1;
	if (ctr_blob_writer_open(p->st, d->digest, &x->bw, err) < 0)
		return -1;
	if (ctr_layer_writer_open(p->st, &lo, &x->lw, err) < 0)
		return -1;
	x->h = curl_easy_init();
	if (!x->h)
		return ctr_fail(err, E_INTERNAL, "curl_easy_init failed");
	cleanup_free char *path = xasprintf("/v2/%s/blobs/%s", p->ref.path, d->digest);
	cleanup_free char *url = reg_url(&p->cl, path);
	reg_setup_easy(&p->cl, x->h, url, &x->hdrs, true);
	x->ebuf[0] = '\0';
	curl_easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->ebuf);
	curl_easy_setopt(x->h, CURLOPT_WRITEFUNCTION, xfer_write);
	curl_easy_setopt(x->h, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->h, CURLOPT_HEADERFUNCTION, xfer_header);
	curl_easy_setopt(x->h, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->h, CURLOPT_PRIVATE, x);
	x->attempts++;
	x->state = X_RUNNING;
	ctr_debug("downloading layer", "digest", d->digest, "url", url);
	if (curl_multi_add_handle(m, x->h) != CURLM_OK)
		return ctr_fail(err, E_INTERNAL, "curl_multi_add_handle failed");
	return 0;
}

/* A transfer ended.  Returns 0 (done or requeued) or -1 (fatal, err set). */
static int xfer_finish(CURLM *m, struct xfer *x, CURLcode rc, struct ctr_err *err)
{
	struct pull *p = x->p;
	struct reg_descriptor *d = &p->m.layers[x->idx];
	bool retry = false;

	if (x->w_failed) {
		*err = x->w_err;
		return -1;
	}
	if (rc != CURLE_OK) {
		if (x->attempts >= MAX_ATTEMPTS) {
			ctr_fail(err, E_NETWORK,
			         "downloading layer %s from %s failed after %d attempts: %s",
			         d->digest, p->cl.host, x->attempts,
			         x->ebuf[0] ? x->ebuf : curl_easy_strerror(rc));
			return ctr_hint(err, "check the connection to the registry and pull again");
		}
		ctr_info("layer download failed, retrying", "digest", d->digest, "error",
		         x->ebuf[0] ? x->ebuf : curl_easy_strerror(rc));
		retry = true;
	} else if (x->status == 401) {
		if (x->attempts >= MAX_ATTEMPTS ||
		    reg_authorize(&p->cl, x->www_auth, true, err) < 0) {
			if (x->attempts >= MAX_ATTEMPTS)
				ctr_fail(err, E_AUTH,
				         "registry %s keeps refusing the download of %s",
				         p->cl.host, d->digest);
			return -1;
		}
		retry = true;
	} else if (x->status == 429 || (x->status >= 500 && x->status <= 504)) {
		if (x->attempts >= MAX_ATTEMPTS) {
			return ctr_fail(err, E_REGISTRY,
			                "registry %s answered HTTP %ld for layer %s (%d attempts)",
			                p->cl.host, x->status, d->digest, x->attempts);
		}
		retry = true;
	} else if (x->status != 200) {
		struct reg_resp r = {.status = x->status, .body = x->errbody};
		cleanup_free char *w = xasprintf("layer %s", d->digest);
		reg_fail_status(&p->cl, &r, w, err);
		return -1;
	}
	if (retry) {
		pull_emit(p, CTR_PULL_LAYER_RETRY, x->idx, d->digest, 0, d->size);
		xfer_reset(m, x);
		x->state = X_TODO;
		return 0;
	}

	/* 200 and complete: verify the blob, then the extracted layer. */
	struct ctr_blob_writer *bw = steal_pointer(&x->bw);
	if (ctr_blob_writer_commit(bw, NULL, err) < 0) {
		if (err && err->code == E_DIGEST)
			ctr_hint(err, "the blob is corrupted in the registry (or in transit); "
			              "nothing was stored");
		return -1;
	}
	pull_emit(p, CTR_PULL_LAYER_VERIFY, x->idx, d->digest, x->got, d->size);
	if (x->lw_failed) {
		*err = x->lw_err;
		return ctr_err_wrap(err, "layer %s", d->digest);
	}
	struct ctr_layer_writer *lw = steal_pointer(&x->lw);
	if (ctr_layer_writer_commit(lw, NULL, NULL, err) < 0)
		return ctr_err_wrap(err, "layer %s", d->digest);
	p->downloaded = true;
	x->state = X_DONE;
	pull_emit(p, CTR_PULL_LAYER_DONE, x->idx, d->digest, x->got, d->size);
	return 0;
}

int pull_layers(struct pull *p, struct ctr_err *err)
{
	int n = p->m.nlayers, todo = 0, running = 0, rc = 0;
	struct xfer *xs = xcalloc((size_t)n + 1, sizeof *xs);
	CURLM *m = curl_multi_init();

	if (!m) {
		free(xs);
		return ctr_fail(err, E_INTERNAL, "curl_multi_init failed");
	}
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)p->opts.max_parallel);
	for (int i = 0; i < n; i++) {
		struct xfer *x = &xs[i];
		x->p = p;
		x->idx = i;
		strbuf_init(&x->errbody);
		bool dup = false;
		for (int j = 0; j < i; j++)
			if (strcmp(p->diff_ids[j], p->diff_ids[i]) == 0)
				dup = true;
		if (dup || ctr_layer_exists(p->st, p->diff_ids[i])) {
			x->state = X_SKIP;
			pull_emit(p, CTR_PULL_LAYER_EXISTS, i, p->m.layers[i].digest, 0,
			          p->m.layers[i].size);
		} else {
			x->state = X_TODO;
			todo++;
			pull_emit(p, CTR_PULL_LAYER_WAIT, i, p->m.layers[i].digest, 0,
			          p->m.layers[i].size);
		}
	}
	while (todo > 0) {
		if (p->opts.interrupted && *p->opts.interrupted) {
			rc = ctr_fail(err, E_INTERRUPTED, "pull of %s interrupted", p->display);
			goto out;
		}
		/* Fill the free slots, bottom-most layers first. */
		for (int i = 0; i < n && running < p->opts.max_parallel; i++) {
			if (xs[i].state != X_TODO)
				continue;
			if (xfer_start(m, &xs[i], err) < 0) {
				rc = -1;
				goto out;
			}
			running++;
		}
		int still = 0;
		if (curl_multi_perform(m, &still) != CURLM_OK) {
			rc = ctr_fail(err, E_INTERNAL, "curl_multi_perform failed");
			goto out;
		}
		CURLMsg *msg;
		int q;
		while ((msg = curl_multi_info_read(m, &q))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct xfer *x = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
			CURLcode crc = msg->data.result;
			running--;
			if (xfer_finish(m, x, crc, err) < 0) {
				rc = -1;
				goto out;
			}
			if (x->state == X_DONE) {
				todo--;
				xfer_reset(m, x);
			}
		}
		if (todo > 0 && curl_multi_poll(m, NULL, 0, 500, NULL) != CURLM_OK) {
			rc = ctr_fail(err, E_INTERNAL, "curl_multi_poll failed");
			goto out;
		}
	}
out:
	for (int i = 0; i < n; i++) {
		xfer_reset(m, &xs[i]);
		strbuf_release(&xs[i].errbody);
	}
	curl_multi_cleanup(m);
	free(xs);
	return rc;
}
