/* cache.h - a bounded LRU cache with per-entry expiry, for mailbox
 * contexts.
 *
 * Keys are strings (the caller canonicalises them); values are opaque
 * reference-counted objects: the cache takes a reference when an entry is
 * stored (retain) and drops it when the entry is evicted, replaced, expired
 * or cleared (release). A lookup hands the caller a reference of its own,
 * so a context evicted while a tool call still uses it stays alive until
 * that call frees it. Time is passed in by the caller (milliseconds on any
 * monotonic scale), which keeps expiry testable without sleeping.
 * All functions are thread-safe.
 */
#ifndef INCLUDE_ews_cache_h__
#define INCLUDE_ews_cache_h__

#include <stddef.h>

#include "core/errinfo.h"

typedef struct ews_cache ews_cache;

typedef void (*ews_cache_ref_fn)(void *value);

/**
 * capacity: most entries kept (>= 1); the least recently used one goes
 * first when a new key arrives. retain/release manage value references.
 * @return 0 and *out, or ERR_INVAL / ERR_NOMEM.
 */
int ews_cache_new(ews_cache **out, size_t capacity, ews_cache_ref_fn retain,
		  ews_cache_ref_fn release, errinfo *err);

/** Releases every value and frees the cache. NULL-safe. */
void ews_cache_free(ews_cache *cache);

/**
 * The value stored under key, with a new reference for the caller (who
 * releases it), or NULL when absent or expired at now_ms (an expired entry
 * is dropped). A hit makes the entry the most recently used.
 */
void *ews_cache_get(ews_cache *cache, const char *key, long long now_ms);

/**
 * Stores value under key until expires_ms, replacing an older value and
 * evicting, when full, an entry already expired at now_ms or else the
 * least recently used one. 0, or ERR_NOMEM (nothing stored).
 */
int ews_cache_put(ews_cache *cache, const char *key, void *value,
		  long long now_ms, long long expires_ms);

/**
 * Moves the expiry of key's entry to expires_ms if that is earlier (used
 * to keep a failed target for a short time only). No-op when absent.
 */
void ews_cache_shorten(ews_cache *cache, const char *key, long long expires_ms);

/** Drops key's entry, only if it still holds value (NULL = any value). */
void ews_cache_remove(ews_cache *cache, const char *key, const void *value);

/** Drops every entry. */
void ews_cache_clear(ews_cache *cache);

/** Number of entries (expired ones not yet dropped included). */
size_t ews_cache_count(ews_cache *cache);

#endif
