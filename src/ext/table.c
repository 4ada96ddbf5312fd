/*
 * table.c - containr_ext, the one symbol containr-ext.so exports: the
 * implementations behind the engine binary's forwarders (see ext/ext.h).
 */
#include "ext/ext.h"

const struct ctr_ext containr_ext = {
    .size = sizeof(struct ctr_ext),
    .abi = CTR_EXT_ABI,
    .build = CONTAINR_VERSION,
    .image_init_default = ctr_image_init_default_impl,
    .image_import = ctr_image_import_impl,
    .image_save = ctr_image_save_impl,
    .nft_run = ctr_nft_run_impl,
    .image_load = ctr_image_load_impl,
    .container_export = ctr_container_export_impl,
    .layer_extract_file = ctr_layer_extract_file_impl,
    .image_pull = ctr_image_pull_impl,
    .pull_result_free = ctr_pull_result_free_impl,
    .registry_login = ctr_registry_login_impl,
    .registry_logout = ctr_registry_logout_impl,
    .cli_repl = cli_repl_impl,
    .cli_dashboard = ui_cmd_dashboard,
};
