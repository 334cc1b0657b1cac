/* http_limits.c - tool-call rate limiting per API key (see http_int.h).
 *
 * A token bucket per key: RATE_LIMIT_REQUESTS_PER_MINUTE tokens, refilled
 * continuously, so a client may burst up to a minute's worth and then runs
 * at the configured rate. One client exhausting its budget does not touch
 * another's (the Python server had one global window, upstream defect 6).
 * The table is bounded: when it is full, the bucket idle the longest goes
 * (a forgotten bucket simply starts full again).
 */
#include "mcp/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BUCKETS 4096

void http_rate_init(http_rate *r, int enabled, long per_minute)
{
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	r->enabled = enabled && per_minute > 0;
	r->per_minute = per_minute > 0 ? (double)per_minute : 1.0;
}

void http_rate_dispose(http_rate *r)
{
	http_bucket *b;

	while ((b = r->buckets)) {
		r->buckets = b->next;
		free(b);
	}
	pthread_mutex_destroy(&r->lock);
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static http_bucket *bucket_for(http_rate *r, const char *key, const struct timespec *now)
{
	http_bucket *b, **pp, **oldest = NULL;

	for (pp = &r->buckets; (b = *pp); pp = &b->next) {
		if (strcmp(b->key, key) == 0)
			return b;
		if (!oldest || seconds_between(&(*oldest)->last, &b->last) < 0)
			oldest = pp;
	}
	if (r->count >= MAX_BUCKETS && oldest) {
		b = *oldest;
		*oldest = b->next;
		free(b);
		r->count--;
	}
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	snprintf(b->key, sizeof(b->key), "%s", key);
	b->tokens = r->per_minute;
	b->last = *now;
	b->next = r->buckets;
	r->buckets = b;
	r->count++;
	return b;
}

long http_rate_take(http_rate *r, const char *key, size_t n)
{
	struct timespec now;
	http_bucket *b;
	double rate, need = (double)n;
	long wait = 0;

	if (!r->enabled || n == 0)
		return 0;
	rate = r->per_minute / 60.0; /* tokens per second */
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&r->lock);
	b = bucket_for(r, key, &now);
	if (!b) {
		pthread_mutex_unlock(&r->lock);
		return 1;
	}
	b->tokens += seconds_between(&b->last, &now) * rate;
	if (b->tokens > r->per_minute)
		b->tokens = r->per_minute;
	b->last = now;
	if (need > r->per_minute)
		need = r->per_minute; /* a batch larger than the budget waits for a full bucket */
	if (b->tokens >= need) {
		b->tokens -= (double)n;
		if (b->tokens < 0)
			b->tokens = 0;
	} else {
		double secs = (need - b->tokens) / rate;

		wait = (long)secs;
		if ((double)wait < secs)
			wait++;
		if (wait < 1)
			wait = 1;
	}
	pthread_mutex_unlock(&r->lock);
	return wait;
}
