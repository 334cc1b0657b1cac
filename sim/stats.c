/* stats.c - request counters and the fault log behind GET /sim/stats. */
#include "sim/stats.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

struct sim_stats {
	pthread_mutex_t lock;
	json_t *doc;   /* the document, updated in place */
};

static json_t *fresh(void)
{
	return json_pack("{s:I, s:{}, s:{}, s:{}, s:I, s:I, s:[],"
			 " s:{s:I, s:I, s:I, s:I, s:I, s:{}},"
			 " s:{s:I, s:I, s:{}, s:{}}}",
			 "requests", (json_int_t)0, "by_operation", "by_mailbox",
			 "by_identity", "messages_sent", (json_int_t)0,
			 "writes_executed", (json_int_t)0, "faults",
			 "http", "requests", (json_int_t)0, "challenges",
			 (json_int_t)0, "connections", (json_int_t)0,
			 "in_flight", (json_int_t)0, "token_requests",
			 (json_int_t)0, "by_status",
			 "writes", "executed", (json_int_t)0, "answered",
			 (json_int_t)0, "by_operation", "by_mailbox");
}

int sim_stats_new(sim_stats **out, errinfo *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out || !((*out)->doc = fresh())) {
		free(*out);
		*out = NULL;
		return errinfo_set(err, ERR_NOMEM, "stats: out of memory");
	}
	pthread_mutex_init(&(*out)->lock, NULL);
	return 0;
}

void sim_stats_free(sim_stats *s)
{
	if (!s)
		return;
	pthread_mutex_destroy(&s->lock);
	json_decref(s->doc);
	free(s);
}

void sim_stats_reset(sim_stats *s)
{
	json_t *d = fresh();

	if (!d)
		return;
	pthread_mutex_lock(&s->lock);
	json_decref(s->doc);
	s->doc = d;
	pthread_mutex_unlock(&s->lock);
}

static void bump(json_t *obj, const char *key, json_int_t by)
{
	json_t *v;

	if (!key || !json_is_object(obj))
		return;
	v = json_object_get(obj, key);
	json_object_set_new(obj, key, json_integer(json_integer_value(v) + by));
}

void sim_stats_request(sim_stats *s, const char *op, const char *mailbox,
		       const char *identity, int executed_write, int sent)
{
	pthread_mutex_lock(&s->lock);
	bump(s->doc, "requests", 1);
	bump(json_object_get(s->doc, "by_operation"), op, 1);
	bump(json_object_get(s->doc, "by_mailbox"), mailbox, 1);
	bump(json_object_get(s->doc, "by_identity"), identity, 1);
	if (executed_write)
		bump(s->doc, "writes_executed", 1);
	if (sent)
		bump(s->doc, "messages_sent", sent);
	pthread_mutex_unlock(&s->lock);
}

void sim_stats_http(sim_stats *s, sim_stats_http_event ev, int status)
{
	json_t *http;
	char key[16];

	pthread_mutex_lock(&s->lock);
	http = json_object_get(s->doc, "http");
	switch (ev) {
	case SIM_HTTP_CONNECTION:
		bump(http, "connections", 1);
		break;
	case SIM_HTTP_TOKEN_REQUEST:
		bump(http, "token_requests", 1);
		break;
	case SIM_HTTP_BEGIN:
		bump(http, "requests", 1);
		bump(http, "in_flight", 1);
		break;
	case SIM_HTTP_END:
		bump(http, "in_flight", -1);
		if (status == 401)
			bump(http, "challenges", 1);
		if (status > 0)
			snprintf(key, sizeof(key), "%d", status);
		else
			snprintf(key, sizeof(key), "reset");
		bump(json_object_get(http, "by_status"), key, 1);
		break;
	}
	pthread_mutex_unlock(&s->lock);
}

/* by[key] = {"executed": n, "answered": n}, created on first use. */
static void bump_write(json_t *by, const char *key, int answered)
{
	json_t *e;

	if (!key || !json_is_object(by))
		return;
	e = json_object_get(by, key);
	if (!e) {
		e = json_pack("{s:I, s:I}", "executed", (json_int_t)0, "answered",
			      (json_int_t)0);
		if (!e || json_object_set_new(by, key, e) < 0)
			return;
	}
	bump(e, "executed", 1);
	if (answered)
		bump(e, "answered", 1);
}

void sim_stats_write(sim_stats *s, const char *op, const char *mailbox,
		     int answered)
{
	json_t *w;

	pthread_mutex_lock(&s->lock);
	w = json_object_get(s->doc, "writes");
	bump(w, "executed", 1);
	if (answered)
		bump(w, "answered", 1);
	bump_write(json_object_get(w, "by_operation"), op, answered);
	bump_write(json_object_get(w, "by_mailbox"), mailbox, answered);
	pthread_mutex_unlock(&s->lock);
}

void sim_stats_fault(sim_stats *s, const char *kind, const char *op,
		     const char *mailbox, int executed)
{
	json_t *e = json_pack("{s:s, s:s?, s:s?, s:b}", "kind", kind,
			      "operation", op, "mailbox", mailbox,
			      "executed", executed);

	if (!e)
		return;
	pthread_mutex_lock(&s->lock);
	json_array_append_new(json_object_get(s->doc, "faults"), e);
	pthread_mutex_unlock(&s->lock);
}

char *sim_stats_json(sim_stats *s)
{
	char *out;

	pthread_mutex_lock(&s->lock);
	out = json_dumps(s->doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	pthread_mutex_unlock(&s->lock);
	return out;
}
