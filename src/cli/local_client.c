/* local_client.c - in-process MCP client (see local_client.h). */
#include "cli/local_client.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct local_client {
	mcp_session *session;
	pthread_mutex_t lock;
	pthread_cond_t arrived;
	json_t *responses;   /* id (as text) -> response message */
	json_int_t next_id;
};

static int collect(void *ctx, const json_t *msg)
{
	local_client *lc = ctx;
	const json_t *id = json_object_get(msg, "id");
	char key[32];

	/* Notifications (progress, logs) are not needed by our callers. */
	if (json_object_get(msg, "method") || !json_is_integer(id))
		return 0;
	snprintf(key, sizeof(key), "%lld", (long long)json_integer_value(id));
	pthread_mutex_lock(&lc->lock);
	json_object_set_new(lc->responses, key, json_deep_copy(msg));
	pthread_cond_broadcast(&lc->arrived);
	pthread_mutex_unlock(&lc->lock);
	return 0;
}

int local_client_request(local_client *lc, const char *method, const json_t *params,
			 json_t **result, long timeout_ms, errinfo *err)
{
	struct timespec deadline;
	json_t *req, *resp = NULL;
	json_int_t id;
	char *text, key[32];

	*result = NULL;
	pthread_mutex_lock(&lc->lock);
	id = lc->next_id++;
	pthread_mutex_unlock(&lc->lock);
	req = json_pack("{s:s, s:I, s:s}", "jsonrpc", "2.0", "id", id, "method", method);
	if (params)
		json_object_set(req, "params", (json_t *)params);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (!text)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	mcp_session_receive(lc->session, text, strlen(text), NULL);
	free(text);

	snprintf(key, sizeof(key), "%lld", (long long)id);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&lc->lock);
	while (!(resp = json_object_get(lc->responses, key)))
		if (pthread_cond_timedwait(&lc->arrived, &lc->lock, &deadline) != 0)
			break;
	if (resp) {
		json_incref(resp);
		json_object_del(lc->responses, key);
	}
	pthread_mutex_unlock(&lc->lock);

	if (!resp)
		return errinfo_set(err, ERR_TIMEOUT, "%s: no answer within %ld ms", method, timeout_ms);
	if (json_object_get(resp, "error")) {
		errinfo_set(err, ERR_PROTOCOL, "%s: %s", method,
			    json_string_value(json_object_get(json_object_get(resp, "error"),
							      "message")));
		json_decref(resp);
		return ERR_PROTOCOL;
	}
	*result = json_incref(json_object_get(resp, "result"));
	json_decref(resp);
	return 0;
}

int local_client_new(local_client **out, mcp_server *server, errinfo *err)
{
	local_client *lc = calloc(1, sizeof(*lc));
	mcp_sink sink = { 0 };
	json_t *params, *result = NULL;
	int error;

	*out = NULL;
	if (!lc)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	pthread_mutex_init(&lc->lock, NULL);
	pthread_cond_init(&lc->arrived, NULL);
	lc->responses = json_object();
	lc->next_id = 1;
	sink.send = collect;
	sink.ctx = lc;
	if (mcp_session_new(&lc->session, server, &sink, err) < 0) {
		local_client_free(lc);
		return err->code;
	}
	params = json_pack("{s:s, s:{}, s:{s:s, s:s}}", "protocolVersion", "2025-11-25",
			   "capabilities", "clientInfo", "name", "ews-mcp-cli", "version", "1");
	error = local_client_request(lc, "initialize", params, &result, 10000, err);
	json_decref(params);
	json_decref(result);
	if (error < 0) {
		local_client_free(lc);
		return error;
	}
	*out = lc;
	return 0;
}

void local_client_free(local_client *lc)
{
	if (!lc)
		return;
	mcp_session_free(lc->session);
	json_decref(lc->responses);
	pthread_mutex_destroy(&lc->lock);
	pthread_cond_destroy(&lc->arrived);
	free(lc);
}
