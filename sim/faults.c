/* faults.c - parsing fault specs and picking the fault for a request (see
 * faults.h for the spec language). */
#include "sim/faults.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct rule {
	sim_fault_kind kind;
	long value;
	char op[64];
	char mailbox[256];
	long count;        /* remaining; -1 = unlimited */
} rule;

struct sim_faults {
	pthread_mutex_t lock;
	rule *rules;
	size_t n;
};

static const struct {
	const char *name;
	sim_fault_kind kind;
	const char *value_key;
	long def;
} kinds[] = {
	{ "latency", SIM_FAULT_LATENCY, "ms", 100 },
	{ "server_busy", SIM_FAULT_SERVER_BUSY, "backoff_ms", 30000 },
	{ "http503", SIM_FAULT_HTTP503, "retry_after", 5 },
	{ "html500", SIM_FAULT_HTML500, NULL, 0 },
	{ "truncate", SIM_FAULT_TRUNCATE, NULL, 0 },
	{ "reset_before", SIM_FAULT_RESET_BEFORE, NULL, 0 },
	{ "reset_after", SIM_FAULT_RESET_AFTER, NULL, 0 },
	{ "token_expired", SIM_FAULT_TOKEN_EXPIRED, NULL, 0 },
	{ NULL, SIM_FAULT_NONE, NULL, 0 }
};

const char *sim_fault_kind_name(sim_fault_kind k)
{
	size_t i;

	for (i = 0; kinds[i].name; i++)
		if (kinds[i].kind == k)
			return kinds[i].name;
	return "none";
}

int sim_faults_new(sim_faults **out, errinfo *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return errinfo_set(err, ERR_NOMEM, "faults: out of memory");
	pthread_mutex_init(&(*out)->lock, NULL);
	return 0;
}

void sim_faults_free(sim_faults *f)
{
	if (!f)
		return;
	pthread_mutex_destroy(&f->lock);
	free(f->rules);
	free(f);
}

static int parse_long(long *out, const char *v)
{
	char *end;

	if (!*v)
		return -1;
	*out = strtol(v, &end, 10);
	return *end || *out < 0 ? -1 : 0;
}

/* Parses one rule text (modified in place). */
static int parse_rule(rule *r, char *text, size_t idx, errinfo *err)
{
	char *save = NULL, *kv, *eq;
	int have_kind = 0;
	size_t i;
	const char *value_key = NULL;

	memset(r, 0, sizeof(*r));
	r->count = -1;
	/* first pass: kind */
	for (kv = strtok_r(text, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		while (*kv == ' ')
			kv++;
		eq = strchr(kv, '=');
		if (!eq)
			return errinfo_set(err, ERR_INVAL,
					   "faults: rule %zu: \"%s\" is not key=value",
					   idx, kv);
		*eq++ = '\0';
		if (strcmp(kv, "kind") == 0) {
			for (i = 0; kinds[i].name; i++)
				if (strcmp(kinds[i].name, eq) == 0)
					break;
			if (!kinds[i].name)
				return errinfo_set(err, ERR_INVAL,
						   "faults: rule %zu: kind: unknown \"%s\" (latency, server_busy, http503, html500, truncate, reset_before, reset_after, token_expired)",
						   idx, eq);
			r->kind = kinds[i].kind;
			if (!have_kind && !r->value)
				r->value = kinds[i].def;
			value_key = kinds[i].value_key;
			have_kind = 1;
		} else if (strcmp(kv, "op") == 0) {
			snprintf(r->op, sizeof(r->op), "%s", eq);
		} else if (strcmp(kv, "mailbox") == 0) {
			snprintf(r->mailbox, sizeof(r->mailbox), "%s", eq);
		} else if (strcmp(kv, "count") == 0) {
			if (parse_long(&r->count, eq) < 0 || r->count == 0)
				return errinfo_set(err, ERR_INVAL,
						   "faults: rule %zu: count: must be a positive integer",
						   idx);
		} else if (strcmp(kv, "ms") == 0 || strcmp(kv, "backoff_ms") == 0 ||
			   strcmp(kv, "retry_after") == 0) {
			if (parse_long(&r->value, eq) < 0)
				return errinfo_set(err, ERR_INVAL,
						   "faults: rule %zu: %s: must be a non-negative integer",
						   idx, kv);
			if (value_key && strcmp(value_key, kv) != 0)
				return errinfo_set(err, ERR_INVAL,
						   "faults: rule %zu: %s does not apply to this kind",
						   idx, kv);
			value_key = kv;
		} else {
			return errinfo_set(err, ERR_INVAL,
					   "faults: rule %zu: unknown key \"%s\" (kind, op, mailbox, count, ms, backoff_ms, retry_after)",
					   idx, kv);
		}
	}
	if (!have_kind)
		return errinfo_set(err, ERR_INVAL, "faults: rule %zu: kind: missing",
				   idx);
	return 0;
}

int sim_faults_set(sim_faults *f, const char *spec, errinfo *err)
{
	char *copy, *save = NULL, *part;
	rule *rules = NULL;
	size_t n = 0, idx = 0;

	copy = strdup(spec ? spec : "");
	if (!copy)
		return errinfo_set(err, ERR_NOMEM, "faults: out of memory");
	for (part = strtok_r(copy, ";\n", &save); part;
	     part = strtok_r(NULL, ";\n", &save)) {
		rule *nr;

		idx++;
		while (*part == ' ')
			part++;
		if (!*part)
			continue;
		nr = realloc(rules, (n + 1) * sizeof(*nr));
		if (!nr) {
			free(rules);
			free(copy);
			return errinfo_set(err, ERR_NOMEM, "faults: out of memory");
		}
		rules = nr;
		if (parse_rule(&rules[n], part, idx, err) < 0) {
			free(rules);
			free(copy);
			return ERR_INVAL;
		}
		n++;
	}
	free(copy);
	pthread_mutex_lock(&f->lock);
	free(f->rules);
	f->rules = rules;
	f->n = n;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

sim_fault sim_faults_pick(sim_faults *f, const char *op, const char *mailbox)
{
	sim_fault out = { SIM_FAULT_NONE, 0 };
	size_t i;

	pthread_mutex_lock(&f->lock);
	for (i = 0; i < f->n; i++) {
		rule *r = &f->rules[i];

		if (r->count == 0)
			continue;
		if (r->op[0] && (!op || strcasecmp(r->op, op) != 0))
			continue;
		if (r->mailbox[0] && (!mailbox || strcasecmp(r->mailbox, mailbox) != 0))
			continue;
		if (r->count > 0)
			r->count--;
		out.kind = r->kind;
		out.value = r->value;
		break;
	}
	pthread_mutex_unlock(&f->lock);
	return out;
}
