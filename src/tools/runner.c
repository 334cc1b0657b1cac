/* runner.c - target resolution, result envelopes and auditing for every
 * mailbox tool (see runner.h). */
#include "tools/runner.h"

#include <string.h>
#include <time.h>

#include "core/log.h"
#include "ews/address.h"
#include "tools/args.h"

/* The Python server's exception class names (tool_error_type); mailbox
 * access failures are ConnectionError, as the seed shows them. */
static const char *error_type(const errinfo *err, int mailbox_failure)
{
	return mailbox_failure ? "ConnectionError" : tool_error_type(err->code);
}

/* Worth retrying as is, later: nothing was done and the cause may pass. */
static int retryable(int code)
{
	return code == ERR_THROTTLED || code == ERR_TRANSIENT || code == ERR_TIMEOUT;
}

static json_t *error_envelope(const errinfo *err, const char *mailbox,
			      int mailbox_failure)
{
	json_t *obj = json_object();

	json_object_set_new(obj, "success", json_false());
	json_object_set_new(obj, "error", tool_error_string(err->msg[0] ? err->msg : "The tool failed"));
	json_object_set_new(obj, "error_code", json_string(errinfo_code_name(err->code)));
	json_object_set_new(obj, "error_type", json_string(error_type(err, mailbox_failure)));
	json_object_set_new(obj, "is_retryable", json_boolean(retryable(err->code)));
	if (err->ews_code[0])
		json_object_set_new(obj, "ews_code", json_string(err->ews_code));
	if (err->backoff_ms > 0)
		json_object_set_new(obj, "retry_after_ms", json_integer(err->backoff_ms));
	json_object_set_new(obj, "mailbox", mailbox ? json_string(mailbox) : json_null());
	return obj;
}

static json_t *success_envelope(json_t *data, const char *mailbox)
{
	json_t *obj = json_object();
	const char *key;
	json_t *value;

	json_object_set_new(obj, "success", json_true());
	json_object_set(obj, "message", json_object_get(data, "message"));
	json_object_set_new(obj, "mailbox", json_string(mailbox));
	json_object_foreach(data, key, value)
		if (strcmp(key, "message") != 0 && strcmp(key, "mailbox") != 0 &&
		    strcmp(key, "success") != 0)
			json_object_set(obj, key, value);
	json_decref(data);
	return obj;
}

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1000.0 +
	       (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

/* What the caller asked for, for error envelopes before a context exists
 * (the seed reports the target as given): the primary when none. */
static const char *requested_target(const char *target, const tools_ctx *ctx)
{
	if (!target || !target[strspn(target, " \t")])
		return ews_client_primary(ctx->client);
	return target;
}

void tools_req_touch(tools_req *req, const char *id)
{
	if (req && id && id[0])
		json_array_append_new(req->item_ids, json_string(id));
}

int tools_run(json_t **out, tool_call *call, const json_t *args,
	      tools_body_fn body, errinfo *err)
{
	tools_ctx *ctx = call->app;
	tools_req req;
	ews_mailbox *mb = NULL;
	json_t *data = NULL;
	struct timespec start;
	audit_record rec;
	const char *target = NULL;
	char address[EWS_ADDRESS_MAX + 1];
	int error, mailbox_failure = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(&req, 0, sizeof(req));
	req.ctx = ctx;
	req.call = call;
	req.item_ids = json_array();
	*out = NULL;

	if (!json_is_null(json_object_get(args, "target_mailbox")) &&
	    json_object_get(args, "target_mailbox") &&
	    !json_is_string(json_object_get(args, "target_mailbox"))) {
		error = errinfo_set(err, ERR_INVAL, "target_mailbox: expected an email address");
		goto finish;
	}
	target = json_string_value(json_object_get(args, "target_mailbox"));
	if (target && strpbrk(target, "<\"")) {
		/* "Una User <user@contoso.com>": the address is the target. A
		 * plain address goes as it is, so the seed's checks keep their
		 * order (impersonation off is said before any syntax error). */
		error = tools_address(address, sizeof(address), target, "target_mailbox", err);
		if (error < 0)
			goto finish;
		target = address;
	}
	error = ews_mailbox_resolve(&mb, ctx->client, target, err);
	if (error < 0) {
		/* Refusals of the target itself are the seed's ConnectionErrors;
		 * a malformed address is the caller's input error. */
		mailbox_failure = err->code != ERR_INVAL && err->code != ERR_NOMEM;
		goto finish;
	}
	req.ews.client = ctx->client;
	req.ews.mailbox = mb;
	req.ews.cancel = call->cancel_flag;
	req.mailbox = ews_mailbox_address(mb);

	if (ctx->per_mailbox) {
		long wait = ratelimit_take(ctx->per_mailbox, req.mailbox, ratelimit_now_ms());

		if (wait > 0) {
			err->backoff_ms = wait;
			error = errinfo_set(err, ERR_THROTTLED, "Rate limit exceeded for mailbox %s: "
					    "more than %ld calls per minute (RATE_LIMIT_REQUESTS_PER_MINUTE); "
					    "retry in %ld s", req.mailbox, ctx->conf->rate_limit_per_minute,
					    (wait + 999) / 1000);
			goto finish;
		}
	}
	error = body(&data, &req, args, err);
	if (error < 0 && ews_mailbox_moved_to_delegate(mb, err)) {
		/* EWS_IMPERSONATION_TYPE=auto, first contact with this mailbox:
		 * Exchange refused impersonation before doing anything, and
		 * the context now uses delegate access. The call is made
		 * again, once, the way delegate access works. */
		json_decref(data);
		data = NULL;
		errinfo_clear(err);
		json_array_clear(req.item_ids);
		error = body(&data, &req, args, err);
	}
	if (error < 0 && strncmp(err->msg, "Failed to access mailbox ", 25) == 0)
		mailbox_failure = 1;

finish:
	if (error < 0) {
		json_decref(data);
		*out = error_envelope(err, req.mailbox ? req.mailbox : requested_target(target, ctx),
				      mailbox_failure);
	} else {
		*out = success_envelope(data, req.mailbox);
	}

	memset(&rec, 0, sizeof(rec));
	rec.tool = call->name;
	rec.service_account = ews_client_primary(ctx->client);
	rec.target_mailbox = req.mailbox ? req.mailbox : requested_target(target, ctx);
	rec.access_type = mb ? ews_access_name(ews_mailbox_access(mb)) : "none";
	rec.success = error >= 0;
	rec.error_code = error < 0 ? errinfo_code_name(err->code) : NULL;
	rec.ews_code = error < 0 && err->ews_code[0] ? err->ews_code : NULL;
	rec.duration_ms = elapsed_ms(&start);
	rec.item_ids = req.item_ids;
	rec.arguments = args;
	if (ctx->audit)
		audit_write(ctx->audit, &rec);
	log_debug("Tools", "%s on %s: %s (%.1f ms)", call->name, rec.target_mailbox,
		  error < 0 ? err->msg : "ok", rec.duration_ms);

	json_decref(req.item_ids);
	ews_mailbox_free(mb);
	return error;
}
