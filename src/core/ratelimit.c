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

long ratelimit_take(ratelimit *rl, const char *key, int64_t now_ms)
{
	unsigned slot = hash(key);
	bucket *b;
	long wait = 0;

	pthread_mutex_lock(&rl->lock);
	if (++rl->events_since_sweep >= 1024) {
		rl->events_since_sweep = 0;
		sweep(rl, now_ms);
	}
	for (b = rl->slots[slot]; b && strcmp(b->key, key) != 0; b = b->next)
		;
	if (!b) {
		size_t n = strlen(key) + 1;

		b = calloc(1, sizeof(*b) + n);
		if (b)
			b->times = calloc((size_t)rl->limit, sizeof(int64_t));
		if (!b || !b->times) {
			bucket_free(b);
			pthread_mutex_unlock(&rl->lock);
			return 0; /* out of memory: do not block calls over it */
		}
		memcpy(b->key, key, n);
		b->next = rl->slots[slot];
		rl->slots[slot] = b;
	}
	if (b->count == rl->limit) {
		int64_t oldest = b->times[b->head];

		if (now_ms - oldest < rl->window_ms) {
			wait = (long)(rl->window_ms - (now_ms - oldest));
		} else {
			b->times[b->head] = now_ms;
			b->head = (b->head + 1) % rl->limit;
		}
	} else {
		b->times[(b->head + b->count) % rl->limit] = now_ms;
		b->count++;
	}
	if (!wait)
		b->last = now_ms;
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

int64_t ratelimit_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
