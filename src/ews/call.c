/* call.c - posting one EWS request with the safety rules (see call.h).
 *
 * Order of events for one call:
 *   1. a cached refusal of the target ends the call at once (no request);
 *   2. a slot of the mailbox gate and one of the identity gate are taken,
 *      so one busy mailbox cannot occupy every worker;
 *   3. per attempt: honour a running back-off of the identity, get the
 *      OAuth token, POST, classify the answer into a failure kind;
 *   4. retry.h decides; writes are repeated only after answers that prove
 *      nothing was executed.
 * One call, all its attempts and waits together, ends within
 * REQUEST_TIMEOUT plus the retry budget (retry.max_wait_ms): each attempt
 * gets what is left of that, and a retry that could not get a useful
 * share is not made. A call whose attempts all time out says so, with
 * both numbers, instead of taking attempts x REQUEST_TIMEOUT.
 * The throttling identity is the impersonated mailbox when the context
 * impersonates (Exchange charges the budget of the service account acting
 * as that user separately per user), else the service account itself.
 */
#include "ews/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "ews/errors.h"
#include "ews/internal.h"

#define LOG_COMP "EWSClient"

void ews_ctx_header(soap_header *h, const ews_ctx *ctx)
{
	soap_header init = SOAP_HEADER_INIT;

	*h = init;
	h->server_version = ctx->client->server_version;
	h->timezone_id = ctx->client->tz_windows;
	h->impersonate = atomic_load(&ctx->mailbox->impersonate)
			 ? ctx->mailbox->address : NULL;
}

int ews_call_check_message(const ews_call *call, const soap_response *r,
			   size_t i, errinfo *err)
{
	const soap_msg *m;
	int code;

	if (i >= r->nmsgs)
		return errinfo_set(err, ERR_PROTOCOL,
				   "%s: Exchange sent %zu answers, expected more",
				   call->op, r->nmsgs);
	m = &r->msgs[i];
	if (!soap_msg_is_error(m))
		return 0;
	code = ews_error_set(err, call->op, soap_msg_effective_code(m),
			     m->message_text);
	if (err && m->backoff_ms > 0 && !err->backoff_ms)
		err->backoff_ms = m->backoff_ms;
	return code;
}

/* Sleeps ms milliseconds in short slices; ERR_CANCELLED if cancelled. */
static int sleep_ms(long ms, const atomic_int *cancel)
{
	while (ms > 0) {
		long slice = ms < 50 ? ms : 50;
		struct timespec ts = { 0, slice * 1000000L };

		if (cancel && atomic_load(cancel))
			return ERR_CANCELLED;
		nanosleep(&ts, NULL);
		ms -= slice;
	}
	return cancel && atomic_load(cancel) ? ERR_CANCELLED : 0;
}

/* The result of one attempt. */
typedef struct attempt {
	ews_failure failure;
	long hint_ms;
	int final;              /* settled, whatever the policy says */
	errinfo e;
	soap_response *resp;    /* a usable answer */
} attempt;

static int is_refusal(const char *code)
{
	return strcmp(code, "ErrorImpersonateUserDenied") == 0 ||
	       strcmp(code, "ErrorNonExistentMailbox") == 0 ||
	       strcmp(code, "ErrorImpersonationDenied") == 0;
}

/* Exchange said the target cannot be used. The refusals that concern
 * this mailbox are remembered; ErrorImpersonationDenied (the account may
 * not impersonate anyone) and ErrorAccessDenied of a delegate (which is
 * about one folder, not the mailbox: a delegate with Calendar rights
 * only must keep its calendar) are not. */
static void refused(attempt *a, const ews_ctx *ctx, const char *code,
		    const char *text)
{
	ews_mailbox *mb = ctx->mailbox;
	int cache_it = strcmp(code, "ErrorImpersonationDenied") != 0 &&
		       (strcmp(code, "ErrorAccessDenied") != 0 ||
			atomic_load(&mb->impersonate));
	a->final = 1;
	/* auto: a refused impersonation is the answer that decides; the
	 * caller repeats its call as a delegate (nothing was executed). */
	if ((strcmp(code, "ErrorImpersonateUserDenied") == 0 ||
	     strcmp(code, "ErrorImpersonationDenied") == 0) &&
	    ews_mailbox__auto_to_delegate(ctx->client, mb, code, text, &a->e))
		return;
	ews_mailbox__refused(ctx->client, mb, code, text, cache_it, &a->e);
}


static void classify_fault(attempt *a, const ews_ctx *ctx,
			   const ews_call *call, soap_response *r)
{
	const char *code = r->fault_code ? r->fault_code : "ErrorInternalServerError";
	const char *text = r->fault_string;

	if (strcmp(code, "ErrorInternalServerError") == 0 && r->fault_inner_code)
		code = r->fault_inner_code;
	a->hint_ms = r->fault_backoff_ms;
	if (strcmp(code, "ErrorServerBusy") == 0) {
		/* A fault is raised before the operation runs: safe to
		 * repeat, reads and writes alike. */
		a->failure = EWS_FAIL_SERVER_BUSY;
		ews_error_set(&a->e, call->op, code, text);
		a->e.backoff_ms = a->hint_ms;
	} else if (is_refusal(code) ||
		   (strcmp(code, "ErrorAccessDenied") == 0 &&
		    !ews_mailbox_is_verified(ctx->mailbox) &&
		    !ctx->mailbox->primary)) {
		refused(a, ctx, code, text);
	} else if (ews_error_is_transient(code)) {
		a->failure = EWS_FAIL_TRANSIENT;
		ews_error_set(&a->e, call->op, code, text);
	} else {
		ews_error_set(&a->e, call->op, code, text);
		a->final = 1;
	}
}

static void classify_messages(attempt *a, const ews_ctx *ctx,
			      const ews_call *call, soap_response *r)
{
	size_t i, errors = 0;
	const soap_msg *first_error = NULL;

	for (i = 0; i < r->nmsgs; i++) {
		if (soap_msg_is_error(&r->msgs[i])) {
			errors++;
			if (!first_error)
				first_error = &r->msgs[i];
		}
	}
	if (first_error && call->mailbox_bound && !ctx->mailbox->primary) {
		const char *code = soap_msg_effective_code(first_error);

		if (is_refusal(code) ||
		    (strcmp(code, "ErrorAccessDenied") == 0 &&
		     !ews_mailbox_is_verified(ctx->mailbox) &&
		     errors == r->nmsgs)) {
			refused(a, ctx, code, first_error->message_text);
			return;
		}
	}
	if (first_error && errors == r->nmsgs &&
	    ews_error_is_transient(soap_msg_effective_code(first_error))) {
		/* Every message failed for a temporary reason (e.g. a
		 * message-level ErrorServerBusy): reads try again. */
		a->failure = EWS_FAIL_TRANSIENT;
		a->hint_ms = first_error->backoff_ms;
		ews_error_set(&a->e, call->op,
			      soap_msg_effective_code(first_error),
			      first_error->message_text);
		a->e.backoff_ms = a->hint_ms;
		return;
	}
	a->resp = r;
}

/* Turns one HTTP answer into an attempt. */
static void classify(attempt *a, const ews_ctx *ctx, const ews_call *call,
		     const ews_http_response *hr)
{
	ews_client *c = ctx->client;
	soap_response *r = NULL;
	long status = hr->status;

	a->e.http_status = status;
	if (status == 401) {
		if (c->oauth) {
			a->failure = EWS_FAIL_AUTH_TOKEN;
			errinfo_set(&a->e, ERR_AUTH,
				    "%s: Exchange rejected the OAuth token (HTTP "
				    "401%s%s); check that the app has the "
				    "full_access_as_app permission with admin "
				    "consent", call->op,
				    hr->bearer_error[0] ? ", " : "", hr->bearer_error);
		} else if (c->o.auth_type == EWS_AUTH_NEGOTIATE) {
			a->failure = EWS_FAIL_AUTH_PASSWORD;
			errinfo_set(&a->e, ERR_AUTH,
				    "%s: Kerberos authentication failed (HTTP 401): "
				    "check the ticket cache (klist) and that the "
				    "server has the SPN HTTP/<host>", call->op);
		} else {
			a->failure = EWS_FAIL_AUTH_PASSWORD;
			errinfo_set(&a->e, ERR_AUTH,
				    "%s: Exchange rejected the credentials (HTTP "
				    "401, %s): check EWS_USERNAME and EWS_PASSWORD. "
				    "Not retried, so a wrong password cannot lock "
				    "the account out", call->op,
				    c->o.auth_type == EWS_AUTH_NTLM ? "NTLM"
								     : "Basic");
		}
		return;
	}
	if (status == 429 || status == 503) {
		a->failure = status == 429 ? EWS_FAIL_HTTP_429 : EWS_FAIL_HTTP_503;
		a->hint_ms = hr->retry_after_ms;
		errinfo_set(&a->e, ERR_THROTTLED,
			    "%s: Exchange is busy (HTTP %ld)", call->op, status);
		a->e.backoff_ms = a->hint_ms;
		return;
	}
	if (status >= 300 && status < 400) {
		errinfo_set(&a->e, ERR_CONFIG,
			    "%s: EWS answered with a redirect (HTTP %ld)%s%s; set "
			    "EWS_SERVER_URL to the final EWS URL", call->op, status,
			    hr->location[0] ? " to " : "", hr->location);
		a->final = 1;
		return;
	}
	if (status == 403) {
		errinfo_set(&a->e, ERR_ACCESS,
			    "%s: Exchange refused access (HTTP 403): EWS may be "
			    "disabled for this account or application, or "
			    "blocked by a policy", call->op);
		a->final = 1;
		return;
	}
	if (status == 404) {
		errinfo_set(&a->e, ERR_CONFIG,
			    "%s: no EWS endpoint at %s (HTTP 404): check "
			    "EWS_SERVER_URL", call->op, c->url);
		a->final = 1;
		return;
	}
	if (soap_response_parse(&r, hr->body.ptr ? hr->body.ptr : "",
				hr->body.len, status, &a->e) < 0) {
		if (a->e.code == ERR_LIMIT || a->e.code == ERR_NOMEM ||
		    a->e.code == ERR_CONFIG)
			a->final = 1;
		else if (status >= 500) {
			a->failure = EWS_FAIL_GATEWAY;
			if (hr->cas_error[0])
				a->e.code = ERR_TRANSIENT;
		} else if (status == 200)
			a->failure = EWS_FAIL_TRUNCATED;
		else
			a->final = 1;
		if (hr->cas_error[0] && a->e.msg[0]) {
			size_t n = strlen(a->e.msg);

			snprintf(a->e.msg + n, sizeof(a->e.msg) - n,
				 " (X-CasErrorCode: %s)", hr->cas_error);
		}
		return;
	}
	if (r->is_fault) {
		classify_fault(a, ctx, call, r);
		soap_response_free(r);
		return;
	}
	classify_messages(a, ctx, call, r);
	if (!a->resp)
		soap_response_free(r);
}

/* The message for a write whose answer was lost. */
static void outcome_unknown(errinfo *err, const ews_ctx *ctx,
			    const ews_call *call, const errinfo *e)
{
	errinfo_set(err, ERR_OUTCOME_UNKNOWN,
		    "%s for %s: %s. The outcome is unknown: Exchange may have "
		    "carried it out, so it was not repeated; %s", call->op,
		    ctx->mailbox->address, e->msg[0] ? e->msg : "no answer",
		    call->outcome_hint ? call->outcome_hint
				       : "check the mailbox before trying again");
}

/* The least time worth giving one more attempt. */
#define MIN_ATTEMPT_MS 1000L

/* Appends to e how the call's time went, when it took more than one
 * attempt or ran out of time: the client sees why it waited so long. */
static void add_time_summary(errinfo *e, const ews_client *c, int attempts,
			     long elapsed_ms)
{
	size_t n = strlen(e->msg);

	if (attempts < 2 && e->code != ERR_TIMEOUT)
		return;
	snprintf(e->msg + n, sizeof(e->msg) - n,
		 " (%d attempt%s in %.1f s; one call gets REQUEST_TIMEOUT %ld s "
		 "plus a retry budget of %.1f s)", attempts, attempts == 1 ? "" : "s",
		 (double)elapsed_ms / 1000.0, c->o.timeout_s,
		 (double)c->o.retry.max_wait_ms / 1000.0);
}

/* Copies an attempt's error into err with code (0 = keep its own). */
static int finish(errinfo *err, const errinfo *e, int code)
{
	if (!code)
		code = e->code ? e->code : ERR_GENERIC;
	if (err && !err->msg[0]) {
		*err = *e;
		err->code = code;
	}
	return code;
}

int ews_call_post(soap_response **out, const ews_ctx *ctx,
		  const ews_call *call, const buf *body, errinfo *err)
{
	ews_client *c = ctx->client;
	ews_mailbox *mb = ctx->mailbox;
	const char *identity = atomic_load(&mb->impersonate) ? mb->address
							     : c->primary_key;
	ews_retry_state st = { 0, 0, 0, 0 };
	char *token = NULL, *rejected = NULL;
	char what[320];
	int error = 0, attempts = 0;
	long long started, budget_ms = c->o.timeout_s * 1000LL + c->o.retry.max_wait_ms;

	*out = NULL;
	error = ews_mailbox__cached_failure(mb, err);
	if (error < 0)
		return error;
	snprintf(what, sizeof(what), "mailbox %s", mb->address);
	error = ews_gate_enter(c->mailbox_gate, mb->address, ctx->cancel,
			       c->o.slot_wait_s * 1000, what, err);
	if (error < 0)
		return error;
	snprintf(what, sizeof(what), "account %s", identity);
	error = ews_gate_enter(c->identity_gate, identity, ctx->cancel,
			       c->o.slot_wait_s * 1000, what, err);
	if (error < 0) {
		ews_gate_leave(c->mailbox_gate, mb->address);
		return error;
	}

	started = ews_now_ms();
	for (;;) {
		ews_http_response hr =
			EWS_HTTP_RESPONSE_INIT(c->o.max_response_bytes);
		ews_http_request req = { 0 };
		attempt a = { EWS_FAIL_NONE, 0, 0, ERRINFO_INIT, NULL };
		ews_retry_decision d;
		long left = ews_gate_backoff_left(c->identity_gate, identity,
						  ews_now_ms());

		if (left > 0) {
			if (st.waited_ms + left > c->o.retry.max_wait_ms) {
				error = errinfo_set(err, ERR_THROTTLED,
					"%s: Exchange asked %s to slow down; retry "
					"in %ld s", call->op, identity,
					(left + 999) / 1000);
				if (err)
					err->backoff_ms = left;
				break;
			}
			if (sleep_ms(left, ctx->cancel) < 0) {
				error = errinfo_set(err, ERR_CANCELLED,
						    "%s cancelled by the caller",
						    call->op);
				break;
			}
			st.waited_ms += left;
		}
		if (c->oauth) {
			free(token);
			token = NULL;
			error = ews_oauth_token(&token, c->oauth, rejected,
						ctx->cancel, err);
			if (error < 0)
				break;
		}
		if (c->o.request_hook)
			c->o.request_hook(call->op, buf_cstr(body), body->len,
					  c->o.request_hook_payload);
		req.url = c->url;
		req.body = buf_cstr(body);
		req.body_len = body->len;
		req.anchor_mailbox = mb->address;
		req.bearer = token;
		req.cancel = ctx->cancel;
		req.what = call->op;
		req.kind = call->kind;
		req.timeout_ms = started + budget_ms - ews_now_ms();
		if (req.timeout_ms < MIN_ATTEMPT_MS)
			req.timeout_ms = MIN_ATTEMPT_MS;
		attempts++;
		if (ews_transport_post(&hr, c->transport, &req, &a.e) < 0) {
			a.failure = hr.failure;
			if (a.failure == EWS_FAIL_NONE)
				a.final = 1;
		} else {
			classify(&a, ctx, call, &hr);
		}
		st.sent = st.sent || hr.sent;
		ews_http_response_dispose(&hr);

		if (a.resp) {
			ews_mailbox__succeeded(mb);
			*out = a.resp;
			error = 0;
			break;
		}
		if (a.hint_ms > 0 && (a.failure == EWS_FAIL_SERVER_BUSY ||
				      a.failure == EWS_FAIL_HTTP_503 ||
				      a.failure == EWS_FAIL_HTTP_429 ||
				      a.failure == EWS_FAIL_TRANSIENT))
			/* Every request of this identity waits, not just
			 * this one (ews-protocol.md 6.4). */
			ews_gate_backoff(c->identity_gate, identity,
					 ews_now_ms() + a.hint_ms);
		if (a.final) {
			/* The answer settles it; a lost write is still a
			 * lost write. */
			if (call->kind == EWS_OP_WRITE && a.e.code == ERR_LIMIT &&
			    st.sent) {
				outcome_unknown(err, ctx, call, &a.e);
				error = ERR_OUTCOME_UNKNOWN;
			} else {
				error = finish(err, &a.e, 0);
			}
			break;
		}
		d = ews_retry_decide(&c->o.retry, call->kind, a.failure, &st,
				     a.hint_ms);
		if (d.retry && started + budget_ms - ews_now_ms() - d.wait_ms <
			       MIN_ATTEMPT_MS) {
			/* No time left for a useful attempt: the last error
			 * stands, with the time it took. */
			d.retry = 0;
			d.code = 0;
		}
		if (d.retry) {
			log_info(LOG_COMP, "%s for %s: %s; trying again%s in %ld ms",
				 call->op, mb->address, a.e.msg,
				 d.refresh_token ? " with a new token" : "",
				 d.wait_ms);
			if (d.refresh_token) {
				free(rejected);
				rejected = token;
				token = NULL;
				st.token_refreshed = 1;
			} else {
				st.retries++;
			}
			if (d.wait_ms > 0) {
				if (sleep_ms(d.wait_ms, ctx->cancel) < 0) {
					error = errinfo_set(err, ERR_CANCELLED,
						"%s cancelled by the caller",
						call->op);
					break;
				}
				st.waited_ms += d.wait_ms;
			}
			continue;
		}
		if (d.code == ERR_OUTCOME_UNKNOWN) {
			outcome_unknown(err, ctx, call, &a.e);
			error = ERR_OUTCOME_UNKNOWN;
		} else {
			add_time_summary(&a.e, c, attempts, ews_now_ms() - started);
			error = finish(err, &a.e, d.code);
		}
		break;
	}

	if (token) {
		memset(token, 0, strlen(token));
		free(token);
	}
	if (rejected) {
		memset(rejected, 0, strlen(rejected));
		free(rejected);
	}
	ews_gate_leave(c->identity_gate, identity);
	ews_gate_leave(c->mailbox_gate, mb->address);
	return error;
}
