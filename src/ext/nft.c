/*
 * nft.c - libnftables behind containr-ext.so: run one nft batch.
 *
 * libnftables maps libnftnl, libxtables, libjansson and libgmp: ~3 ms of
 * dynamic linking the engine binary would pay on every `ps`.  Rules only
 * change at `network create|rm|reload` and when a container with published
 * ports starts or stops, so the plugin (already loaded lazily) holds it
 * (docs/NETWORK.md, "Libraries").  The engine builds the batches
 * (src/net/nft.c): the table as nft syntax, port elements as JSON (the
 * library's JSON API: input is parsed as JSON when the JSON output flag is
 * set, and falls back to nft syntax).
 */
#include <nftables/libnftables.h>
#include <stdlib.h>
#include <string.h>

#include "containr/log.h"
#include "ext/ext.h"

int ctr_nft_run_impl(const char *cmd, bool json, char **out, struct ctr_err *err)
{
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *ebuf;
	int rc;

	if (!nft)
		return ctr_fail(err, E_INTERNAL, "cannot create an nftables context");
	if (json)
		nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	rc = nft_run_cmd_from_buffer(nft, cmd);
	if (out) { /* getting the buffer also resets it: once */
		const char *obuf = nft_ctx_get_output_buffer(nft);
		*out = xstrdup(obuf ? obuf : "");
	}
	if (rc != 0) {
		ebuf = nft_ctx_get_error_buffer(nft);
		size_t len = ebuf ? strcspn(ebuf, "\n") : 0;
		ctr_fail(err, E_IO, "nftables: %.*s", (int)(len > 400 ? 400 : len),
		         len ? ebuf : "the batch was refused");
		ctr_hint(err,
		         "is the nf_tables module available? run with --log-level debug to see "
		         "the batch");
		ctr_debug("nft batch refused", "batch", cmd, "error", ebuf ? ebuf : "");
		if (out) {
			free(*out);
			*out = NULL;
		}
	}
	nft_ctx_free(nft);
	return rc != 0 ? -1 : 0;
}
