/* soap_reader.c - fuzz target: the SOAP response reader (src/soap/reader.c)
 * and the typed readers (read_items.c, read_folders.c, read_other.c).
 *
 * The input is an HTTP response body as Exchange (or anything in its
 * place) might send it. soap_response_parse() classifies it; a parsed
 * response then goes through every typed reader, whatever its operation,
 * since a client calls the reader of the operation it asked for and a
 * hostile or broken server may answer anything. Each response message also
 * goes through the error helpers a client uses to word a failure.
 */
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>
#include <libxml/parser.h>

#include "core/errinfo.h"
#include "soap/read_folders.h"
#include "soap/read_items.h"
#include "soap/read_other.h"
#include "soap/reader.h"

typedef int (*reader_fn)(json_t **out, const soap_response *r, errinfo *err);

static const reader_fn readers[] = {
	soap_read_find_item, soap_read_items, soap_read_find_folder,
	soap_read_folders, soap_read_attachments, soap_read_availability,
	soap_read_oof, soap_read_resolve_names, soap_read_expand_dl,
	soap_read_find_people, soap_read_sync_folder_items,
	soap_read_server_time_zones, soap_read_convert_id,
	soap_read_inbox_rules, soap_read_created_ids,
};

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	soap_response *r = NULL;
	errinfo err = ERRINFO_INIT;
	size_t i;

	if (!initialised) {
		xmlInitParser();
		xmlSetGenericErrorFunc(NULL, silent);
		initialised = 1;
	}
	/* The status only words messages; vary it with the input. */
	if (soap_response_parse(&r, (const char *)data, size,
				size % 2 ? 500 : 200, &err) < 0)
		return 0;
	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		json_t *out = NULL;
		errinfo e = ERRINFO_INIT;

		readers[i](&out, r, &e);
		json_decref(out);
	}
	for (i = 0; i < r->nmsgs; i++) {
		errinfo e = ERRINFO_INIT;
		json_t *j = soap_msg_error_json(&r->msgs[i]);

		json_decref(j);
		(void)soap_msg_is_error(&r->msgs[i]);
		(void)soap_msg_effective_code(&r->msgs[i]);
		soap_response_set_error(&e, ERR_PROTOCOL, "Fuzz", r, &r->msgs[i]);
	}
	if (r->is_fault) {
		errinfo e = ERRINFO_INIT;

		soap_response_set_error(&e, ERR_PROTOCOL, "Fuzz", r, NULL);
	}
	soap_response_free(r);
	return 0;
}
