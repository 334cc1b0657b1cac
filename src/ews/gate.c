/* gate.c - keyed counting semaphores and back-off windows (see gate.h).
 *
 * One mutex and one condition variable serve all keys: waiters wake on
 * every leave and re-check their own key. The number of keys in use at a
 * time is bounded by the worker threads, so the linear list is short. */
#include "ews/gate.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct slot {
	struct slot *next;
	char *key;
	int in_flight;
	int waiters;
	long long backoff_until;
} slot;

struct ews_gate {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	slot *slots;
	int limit;
};

long long ews_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ews_gate_new(ews_gate **out, int limit, errinfo *err)
{
	ews_gate *g;
	pthread_condattr_t attr;

	*out = NULL;
	if (limit < 1)
		return errinfo_set(err, ERR_INVAL,
				   "concurrency limit must be at least 1");
	g = calloc(1, sizeof(*g));
	if (!g)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->changed, &attr);
	pthread_condattr_destroy(&attr);
	g->limit = limit;
	*out = g;
	return 0;
}

void ews_gate_free(ews_gate *g)
{
	slot *s, *next;

	if (!g)
		return;
	for (s = g->slots; s; s = next) {
		next = s->next;
		free(s->key);
		free(s);
	}
	pthread_cond_destroy(&g->changed);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

static slot *find(ews_gate *g, const char *key, int create)
{
	slot *s;

	for (s = g->slots; s; s = s->next)
		if (strcmp(s->key, key) == 0)
			return s;
	if (!create)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (s)
		s->key = strdup(key);
	if (!s || !s->key) {
		free(s);
		return NULL;
	}
	s->next = g->slots;
	g->slots = s;
	return s;
}

/* Frees s when nothing refers to it any more (lock held). */
static void maybe_drop(ews_gate *g, slot *s, long long now)
{
	slot **pp;

	if (s->in_flight || s->waiters || s->backoff_until > now)
		return;
	for (pp = &g->slots; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			free(s->key);
			free(s);
			return;
		}
	}
}

int ews_gate_enter(ews_gate *g, const char *key, const atomic_int *cancel,
		   long timeout_ms, const char *what, errinfo *err)
{
	long long deadline = ews_now_ms() + timeout_ms;
	int error = 0;
	slot *s;

	pthread_mutex_lock(&g->lock);
	s = find(g, key, 1);
	if (!s) {
		pthread_mutex_unlock(&g->lock);
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	}
	s->waiters++;
	while (s->in_flight >= g->limit) {
		struct timespec ts;
		long long now = ews_now_ms(), wake;

		if (cancel && atomic_load(cancel)) {
			error = errinfo_set(err, ERR_CANCELLED,
					    "cancelled while waiting for a free "
					    "slot of %s", what);
			break;
		}
		if (now >= deadline) {
			error = errinfo_set(err, ERR_LIMIT,
				"%s already has %d requests in flight and none "
				"finished within %ld s; try again later", what,
				g->limit, timeout_ms / 1000);
			break;
		}
		/* Wake at least every 100 ms to notice a cancellation. */
		wake = now + 100 < deadline ? now + 100 : deadline;
		ts.tv_sec = (time_t)(wake / 1000);
		ts.tv_nsec = (long)(wake % 1000) * 1000000L;
		pthread_cond_timedwait(&g->changed, &g->lock, &ts);
	}
	s->waiters--;
	if (!error)
		s->in_flight++;
	else
		maybe_drop(g, s, ews_now_ms());
	pthread_mutex_unlock(&g->lock);
	return error;
}

void ews_gate_leave(ews_gate *g, const char *key)
{
	slot *s;

	pthread_mutex_lock(&g->lock);
	s = find(g, key, 0);
	if (s && s->in_flight > 0) {
		s->in_flight--;
		maybe_drop(g, s, ews_now_ms());
	}
	pthread_cond_broadcast(&g->changed);
	pthread_mutex_unlock(&g->lock);
}

int ews_gate_in_flight(ews_gate *g, const char *key)
{
	slot *s;
	int n;

	pthread_mutex_lock(&g->lock);
	s = find(g, key, 0);
	n = s ? s->in_flight : 0;
	pthread_mutex_unlock(&g->lock);
	return n;
}

void ews_gate_backoff(ews_gate *g, const char *key, long long until_ms)
{
	slot *s;

	pthread_mutex_lock(&g->lock);
	s = find(g, key, 1);
	if (s && until_ms > s->backoff_until)
		s->backoff_until = until_ms;
	pthread_mutex_unlock(&g->lock);
}

long ews_gate_backoff_left(ews_gate *g, const char *key, long long now_ms)
{
	long left = 0;
	slot *s;

	pthread_mutex_lock(&g->lock);
	s = find(g, key, 0);
	if (s && s->backoff_until > now_ms)
		left = (long)(s->backoff_until - now_ms);
	else if (s)
		maybe_drop(g, s, now_ms);
	pthread_mutex_unlock(&g->lock);
	return left;
}
