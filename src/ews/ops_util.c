/* ops_util.c - the steps every operation wrapper shares (see
 * internal.h): mailbox-qualified folder ids, posting, checking the
 * response messages and reading the payload. */
#include <string.h>

#include "ews/internal.h"

soap_folder_ref ews__folder_for(const soap_folder_ref *src,
				const ews_ctx *ctx)
{
	soap_folder_ref f = *src;

	if (f.distinguished && !f.mailbox)
		f.mailbox = ews_mailbox_address(ctx->mailbox);
	return f;
}

int ews__folders_for(soap_folder_ref *dst, const soap_folder_ref *src,
		     size_t n, const ews_ctx *ctx, const char *field,
		     errinfo *err)
{
	size_t i;

	if (n > SOAP_BATCH_MAX)
		return errinfo_set(err, ERR_INVAL,
				   "%s: at most %d folders per request", field,
				   SOAP_BATCH_MAX);
	for (i = 0; i < n; i++)
		dst[i] = ews__folder_for(&src[i], ctx);
	return 0;
}

soap_folder_ref ews__distinguished(const ews_ctx *ctx, const char *name)
{
	soap_folder_ref f = { 0 };

	f.distinguished = name;
	f.mailbox = ews_mailbox_address(ctx->mailbox);
	return f;
}

static int check_messages(const ews_call *call, const soap_response *r,
			  ews_check check, errinfo *err)
{
	size_t i;

	if (check == EWS_CHECK_NONE)
		return 0;
	if (r->nmsgs == 0)
		return errinfo_set(err, ERR_PROTOCOL,
				   "%s: Exchange's answer has no response message",
				   call->op);
	if (check == EWS_CHECK_FIRST)
		return ews_call_check_message(call, r, 0, err);
	for (i = 0; i < r->nmsgs; i++)
		if (!soap_msg_is_error(&r->msgs[i]))
			return 0;
	return ews_call_check_message(call, r, 0, err);
}

int ews__run(json_t **out, const ews_ctx *ctx, const ews_call *call,
	     buf *req, int built, ews_check check, ews_reader_fn read, errinfo *err)
{
	soap_response *r = NULL;
	int error = built;

	*out = NULL;
	if (!error) {
		error = ews_call_post(&r, ctx, call, req, err);
		if (!error)
			error = check_messages(call, r, check, err);
		if (error < 0)
			ews__delegate_hint(err, ctx, call, req, error);
	}
	if (!error)
		error = read(out, r, err);
	soap_response_free(r);
	buf_dispose(req);
	return error;
}
