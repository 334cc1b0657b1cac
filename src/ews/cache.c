/* cache.c - bounded LRU + expiry cache (see cache.h).
 *
 * A doubly linked list in recency order, searched linearly. The cache
 * holds at most a few hundred mailbox contexts (EWS_MAILBOX_CACHE_SIZE,
 * 256 by default) and each lookup is dwarfed by the EWS round trip it
 * saves, so a hash table would add code without a measurable gain.
 */
#include "ews/cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	struct entry *prev, *next;
	char *key;
	void *value;
	long long expires_ms;
} entry;

struct ews_cache {
	pthread_mutex_t lock;
	entry *head, *tail;  /* head = most recently used */
	size_t count, capacity;
	ews_cache_ref_fn retain, release;
};

int ews_cache_new(ews_cache **out, size_t capacity, ews_cache_ref_fn retain,
		  ews_cache_ref_fn release, errinfo *err)
{
	ews_cache *c;

	*out = NULL;
	if (capacity < 1 || !retain || !release)
		return errinfo_set(err, ERR_INVAL,
				   "mailbox cache: capacity must be at least 1");
	c = calloc(1, sizeof(*c));
	if (!c)
		return errinfo_set(err, ERR_NOMEM, "out of memory");
	pthread_mutex_init(&c->lock, NULL);
	c->capacity = capacity;
	c->retain = retain;
	c->release = release;
	*out = c;
	return 0;
}

static void unlink_entry(ews_cache *c, entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
	c->count--;
}

static void push_front(ews_cache *c, entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
	c->count++;
}

/* Unlinks and frees e; the value is handed back so the caller releases it
 * outside the lock (a release may free a whole context). */
static void *drop(ews_cache *c, entry *e)
{
	void *value = e->value;

	unlink_entry(c, e);
	free(e->key);
	free(e);
	return value;
}

static entry *find(ews_cache *c, const char *key)
{
	entry *e;

	for (e = c->head; e; e = e->next)
		if (strcmp(e->key, key) == 0)
			return e;
	return NULL;
}

void *ews_cache_get(ews_cache *c, const char *key, long long now_ms)
{
	void *value = NULL, *expired = NULL;
	entry *e;

	pthread_mutex_lock(&c->lock);
	e = find(c, key);
	if (e && e->expires_ms <= now_ms) {
		expired = drop(c, e);
	} else if (e) {
		unlink_entry(c, e);
		push_front(c, e);
		value = e->value;
		c->retain(value);
	}
	pthread_mutex_unlock(&c->lock);
	if (expired)
		c->release(expired);
	return value;
}

int ews_cache_put(ews_cache *c, const char *key, void *value,
		  long long now_ms, long long expires_ms)
{
	void *old = NULL, *evicted = NULL;
	entry *e, *x;

	pthread_mutex_lock(&c->lock);
	e = find(c, key);
	if (e) {
		old = e->value;
		unlink_entry(c, e);
	} else {
		e = calloc(1, sizeof(*e));
		if (e)
			e->key = strdup(key);
		if (!e || !e->key) {
			pthread_mutex_unlock(&c->lock);
			free(e);
			return ERR_NOMEM;
		}
		if (c->count >= c->capacity) {
			/* An entry that has already expired goes first (from
			 * the cold end); else the least recently used one. */
			entry *victim = c->tail;

			for (x = c->tail; x; x = x->prev) {
				if (x->expires_ms <= now_ms) {
					victim = x;
					break;
				}
			}
			evicted = drop(c, victim);
		}
	}
	c->retain(value);
	e->value = value;
	e->expires_ms = expires_ms;
	push_front(c, e);
	pthread_mutex_unlock(&c->lock);
	if (old)
		c->release(old);
	if (evicted)
		c->release(evicted);
	return 0;
}

void ews_cache_shorten(ews_cache *c, const char *key, long long expires_ms)
{
	entry *e;

	pthread_mutex_lock(&c->lock);
	e = find(c, key);
	if (e && e->expires_ms > expires_ms)
		e->expires_ms = expires_ms;
	pthread_mutex_unlock(&c->lock);
}

void ews_cache_remove(ews_cache *c, const char *key, const void *value)
{
	void *dropped = NULL;
	entry *e;

	pthread_mutex_lock(&c->lock);
	e = find(c, key);
	if (e && (!value || e->value == value))
		dropped = drop(c, e);
	pthread_mutex_unlock(&c->lock);
	if (dropped)
		c->release(dropped);
}

void ews_cache_clear(ews_cache *c)
{
	entry *list;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	list = c->head;
	c->head = c->tail = NULL;
	c->count = 0;
	pthread_mutex_unlock(&c->lock);
	while (list) {
		entry *next = list->next;

		c->release(list->value);
		free(list->key);
		free(list);
		list = next;
	}
}

size_t ews_cache_count(ews_cache *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->count;
	pthread_mutex_unlock(&c->lock);
	return n;
}

void ews_cache_free(ews_cache *c)
{
	if (!c)
		return;
	ews_cache_clear(c);
	pthread_mutex_destroy(&c->lock);
	free(c);
}
