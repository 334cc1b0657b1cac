/* ratelimit.c - sliding-window limits per key (see ratelimit.h). */
#include "core/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct bucket {
	struct bucket *next;
	int64_t *times;   /* ring of the last `limit` accepted events */
	long head;        /* index of the oldest */
	long count;
	int64_t last;     /* newest event, for expiry */
	char key[];
} bucket;

#define NSLOTS 256

struct ratelimit {
	pthread_mutex_t lock;
	long limit;
	long window_ms;
	bucket *slots[NSLOTS];
	long events_since_sweep;
};

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % NSLOTS;
}

int ratelimit_new(ratelimit **out, long limit, long window_ms)
{
	ratelimit *rl = calloc(1, sizeof(*rl));

	*out = NULL;
	if (!rl)
		return -1;
	pthread_mutex_init(&rl->lock, NULL);
	rl->limit = limit > 0 ? limit : 1;
	rl->window_ms = window_ms > 0 ? window_ms : 60000;
	*out = rl;
	return 0;
}

static void bucket_free(bucket *b)
{
	if (b) {
		free(b->times);
		free(b);
	}
}

void ratelimit_free(ratelimit *rl)
{
	size_t i;

	if (!rl)
		return;
	for (i = 0; i < NSLOTS; i++)
		while (rl->slots[i]) {
			bucket *b = rl->slots[i];

			rl->slots[i] = b->next;
			bucket_free(b);
		}
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

/* Drops keys idle for a whole window: they would accept anything anyway. */
static void sweep(ratelimit *rl, int64_t now)
{
	size_t i;

	for (i = 0; i < NSLOTS; i++) {
		bucket **pp = &rl->slots[i];

		while (*pp) {
			if (now - (*pp)->last >= rl->window_ms) {
				bucket *dead = *pp;

				*pp = dead->next;
				bucket_free(dead);
			} else {
				pp = &(*pp)->next;
			}
		}
	}
}

long ratelimit_take_n(ratelimit *rl, const char *key, long n, int64_t now_ms)
{
	unsigned slot = hash(key);
	bucket *b;
	long wait = 0, drop, i;

	if (n <= 0)
		return 0;
	if (n > rl->limit)
		n = rl->limit;
	pthread_mutex_lock(&rl->lock);
	if (++rl->events_since_sweep >= 1024) {
		rl->events_since_sweep = 0;
		sweep(rl, now_ms);
	}
	for (b = rl->slots[slot]; b && strcmp(b->key, key) != 0; b = b->next)
		;
	if (!b) {
		size_t len = strlen(key) + 1;

		b = calloc(1, sizeof(*b) + len);
		if (b)
			b->times = calloc((size_t)rl->limit, sizeof(int64_t));
		if (!b || !b->times) {
			bucket_free(b);
			pthread_mutex_unlock(&rl->lock);
			return 0; /* out of memory: do not block calls over it */
		}
		memcpy(b->key, key, len);
		b->next = rl->slots[slot];
		rl->slots[slot] = b;
	}
	/* The ring is in time order: forget what has left the window. */
	while (b->count && now_ms - b->times[b->head] >= rl->window_ms) {
		b->head = (b->head + 1) % rl->limit;
		b->count--;
	}
	drop = b->count + n - rl->limit;
	if (drop > 0) {
		/* The drop-th oldest event must leave the window first. */
		wait = (long)(rl->window_ms - (now_ms - b->times[(b->head + drop - 1) % rl->limit]));
	} else {
		for (i = 0; i < n; i++)
			b->times[(b->head + b->count++) % rl->limit] = now_ms;
		b->last = now_ms;
	}
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

long ratelimit_take(ratelimit *rl, const char *key, int64_t now_ms)
{
	return ratelimit_take_n(rl, key, 1, now_ms);
}

int64_t ratelimit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
